/*
 * id.c - time-sortable ids (see id.h). A mutex guards the (ms, seq) pair:
 * id_next() is cheap next to the database write that follows it.
 */
#include "lib/id.h"
#include "lib/timeutil.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t last_ms;
static int64_t last_seq;

int64_t id_next(void)
{
	int64_t ms, id;

	pthread_mutex_lock(&id_lock);
	ms = time_now_ms();
	if (ms < last_ms)
		ms = last_ms; /* the clock stepped back: stay monotonic */
	if (ms == last_ms) {
		if (++last_seq > 0xffff) {
			ms = ++last_ms;
			last_seq = randombytes_uniform(0x8000);
		}
	} else {
		last_ms = ms;
		last_seq = randombytes_uniform(0x8000);
	}
	id = (ms << 16) | last_seq;
	pthread_mutex_unlock(&id_lock);
	return id;
}

int64_t id_from_ms(int64_t ms)
{
	return ms << 16;
}

int64_t id_to_ms(int64_t id)
{
	return id >> 16;
}

char *id_format(char *out, size_t n, int64_t id)
{
	snprintf(out, n, "%lld", (long long)id);
	return out;
}

int id_parse(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}
