/*
 * ratelimit.c - per-caller request budgets in fixed windows (see
 * ratelimit.h).
 *
 * Each shard is an open-addressing hash table (linear probing, at most
 * half full) of {key, window start, count}. A key's entry is reused when
 * its window has passed. When a shard would pass half full, entries of
 * past windows are dropped first (the table is rebuilt without them); only
 * if that frees too little does the shard grow, up to its share of
 * RATELIMIT_KEYS_MAX.
 */
#include "http/ratelimit.h"
#include "lib/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHARDS 16

struct entry {
	char key[RATELIMIT_KEY_MAX];   /* "" when empty */
	int64_t window;                /* start, ms */
	long count;
};

struct shard {
	pthread_mutex_t lock;
	struct entry *slots;
	size_t nslots, nused;
};

static struct shard shards[SHARDS];
static long s_limit;
static int64_t s_period_ms = 300 * 1000;
static int s_full_logged;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_locks(void)
{
	size_t i;

	for (i = 0; i < SHARDS; i++)
		pthread_mutex_init(&shards[i].lock, NULL);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

void ratelimit_release(void)
{
	size_t i;

	pthread_once(&once, init_locks);
	for (i = 0; i < SHARDS; i++) {
		pthread_mutex_lock(&shards[i].lock);
		free(shards[i].slots);
		shards[i].slots = NULL;
		shards[i].nslots = shards[i].nused = 0;
		pthread_mutex_unlock(&shards[i].lock);
	}
}

void ratelimit_configure(long limit, int period_s)
{
	ratelimit_release();
	s_limit = limit > 0 ? limit : 0;
	s_period_ms = (int64_t)(period_s > 0 ? period_s : 300) * 1000;
}

int ratelimit_enabled(void)
{
	return s_limit > 0;
}

/* Put e into a table of n slots (no resize). */
static void place(struct entry *slots, size_t n, const struct entry *e, uint64_t h)
{
	size_t j = (size_t)(h >> 8) & (n - 1);

	while (slots[j].key[0])
		j = (j + 1) & (n - 1);
	slots[j] = *e;
}

/* Rebuild the shard with room for one more, keeping only entries of the
 * current window. -1 when it cannot (memory, or the cap). */
static int make_room(struct shard *s, int64_t window)
{
	size_t live = 0, n, i;
	struct entry *ns;

	for (i = 0; i < s->nslots; i++)
		if (s->slots[i].key[0] && s->slots[i].window >= window)
			live++;
	n = s->nslots ? s->nslots : 64;
	while ((live + 1) * 2 > n)
		n *= 2;
	if (n > (size_t)RATELIMIT_KEYS_MAX / SHARDS * 2)
		return -1;
	ns = calloc(n, sizeof *ns);
	if (!ns)
		return -1;
	for (i = 0; i < s->nslots; i++)
		if (s->slots[i].key[0] && s->slots[i].window >= window)
			place(ns, n, &s->slots[i], hash(s->slots[i].key));
	free(s->slots);
	s->slots = ns;
	s->nslots = n;
	s->nused = live;
	return 0;
}

int ratelimit_hit(const char *key, int64_t now_ms, struct ratelimit_state *out)
{
	char k[RATELIMIT_KEY_MAX];
	int64_t window = now_ms - now_ms % s_period_ms;
	uint64_t h;
	struct shard *s;
	struct entry *e = NULL;
	size_t j;
	long count;

	memset(out, 0, sizeof *out);
	if (s_limit <= 0)
		return 0;
	pthread_once(&once, init_locks);
	snprintf(k, sizeof k, "%s", key && *key ? key : "-");
	h = hash(k);
	s = &shards[h % SHARDS];
	out->limit = s_limit;
	out->reset_ms = window + s_period_ms;
	pthread_mutex_lock(&s->lock);
	if (s->nslots) {
		for (j = (size_t)(h >> 8) & (s->nslots - 1); s->slots[j].key[0]; j = (j + 1) & (s->nslots - 1))
			if (!strcmp(s->slots[j].key, k)) {
				e = &s->slots[j];
				break;
			}
	}
	if (!e) {
		struct entry fresh;

		if ((s->nused + 1) * 2 > s->nslots && make_room(s, window) < 0) {
			pthread_mutex_unlock(&s->lock);
			if (!s_full_logged) {
				s_full_logged = 1;
				log_warn("ratelimit: too many callers to count; letting new ones through");
			}
			out->remaining = s_limit;
			return 0;
		}
		memset(&fresh, 0, sizeof fresh);
		memcpy(fresh.key, k, sizeof k);
		fresh.window = window;
		j = (size_t)(h >> 8) & (s->nslots - 1);
		while (s->slots[j].key[0])
			j = (j + 1) & (s->nslots - 1);
		s->slots[j] = fresh;
		s->nused++;
		e = &s->slots[j];
	}
	if (e->window != window) {
		e->window = window;
		e->count = 0;
	}
	if (e->count < s_limit)
		e->count++;
	else
		out->limited = 1;
	count = e->count;
	pthread_mutex_unlock(&s->lock);
	out->remaining = out->limited ? 0 : s_limit - count;
	return out->limited;
}
