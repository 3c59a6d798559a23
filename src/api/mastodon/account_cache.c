/*
 * account_cache.c - a direct-mapped table of Account entities (see
 * account_cache.h).
 *
 * Each slot has its own lock, held only to swap or take a reference to
 * the entity; the deep copy is made outside it (jansson's reference
 * counts are atomic, and a cached entity is never changed).
 */
#include "api/mastodon/account_cache.h"

#include <pthread.h>
#include <stdatomic.h>

#define LOCKS 64 /* slots share locks, by slot number */

struct entry {
	int64_t id;
	int vis;
	int64_t version;
	json_t *j;
};

static struct entry slots[ACCOUNT_CACHE_SLOTS];
static pthread_mutex_t locks[LOCKS] = { [0 ... LOCKS - 1] = PTHREAD_MUTEX_INITIALIZER };
static _Atomic uint64_t hits, misses;

static size_t slot_of(int64_t id, int vis)
{
	uint64_t h = ((uint64_t)id ^ (uint64_t)vis) * 0x9E3779B97F4A7C15ull;

	return (size_t)(h >> 40) & (ACCOUNT_CACHE_SLOTS - 1);
}

json_t *account_cache_get(int64_t account_id, int vis, int64_t version)
{
	size_t i = slot_of(account_id, vis);
	struct entry *e = &slots[i];
	json_t *held = NULL, *copy;

	pthread_mutex_lock(&locks[i % LOCKS]);
	if (e->j && e->id == account_id && e->vis == vis && e->version == version)
		held = json_incref(e->j);
	pthread_mutex_unlock(&locks[i % LOCKS]);
	if (!held) {
		atomic_fetch_add(&misses, 1);
		return NULL;
	}
	copy = json_deep_copy(held);
	json_decref(held);
	if (copy)
		atomic_fetch_add(&hits, 1);
	return copy;
}

void account_cache_put(int64_t account_id, int vis, int64_t version, json_t *j)
{
	size_t i = slot_of(account_id, vis);
	struct entry *e = &slots[i];
	json_t *old;

	if (!j)
		return;
	pthread_mutex_lock(&locks[i % LOCKS]);
	old = e->j;
	e->id = account_id;
	e->vis = vis;
	e->version = version;
	e->j = j;
	pthread_mutex_unlock(&locks[i % LOCKS]);
	json_decref(old);
}

void account_cache_stats(uint64_t *h, uint64_t *m)
{
	*h = atomic_load(&hits);
	*m = atomic_load(&misses);
}
