/*
 * housekeeping.c - pruning expired rows (see housekeeping.h).
 */
#include "model/housekeeping.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <sodium.h>

/* Failure counters older than a day with no lock running are forgotten
 * (authlimit forgets them after 15 minutes anyway). */
#define FAILURE_KEEP_MS (24LL * 3600 * 1000)

int housekeeping_run(void)
{
	int64_t now = time_now_ms();

	return store_prune(now, now - FAILURE_KEEP_MS) == STORE_OK ? 0 : -1;
}

void housekeeping_maybe(void)
{
	if (randombytes_uniform(64) == 0)
		housekeeping_run();
}
