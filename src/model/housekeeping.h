/*
 * housekeeping.h - deleting what can no longer be used: expired sessions
 * and authorization codes, and stale sign-in failure counters (an
 * attacker trying many names would otherwise grow that table for ever).
 *
 * Until the durable job runner exists, this runs opportunistically: the
 * paths that create such rows call housekeeping_maybe(), which prunes on
 * about one call in 64. The deletes are cheap (indexed or small tables)
 * and idempotent, so several processes doing it at once is harmless.
 */
#ifndef PARLEY_MODEL_HOUSEKEEPING_H
#define PARLEY_MODEL_HOUSEKEEPING_H

/* Prune now. Returns 0, or -1 when the store failed (logged). */
int housekeeping_run(void);
/* Prune on about one call in 64. */
void housekeeping_maybe(void);

#endif
