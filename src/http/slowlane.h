/*
 * slowlane.h - a small bounded thread pool for slow request handlers.
 *
 * Checking a password costs about 70 ms of CPU (Argon2id). Run on an HTTP
 * worker, it would hold up every other connection of that worker, so a
 * burst of sign-ins would slow the whole site. The server instead suspends
 * such a connection, hands the handler to this pool, and resumes the
 * connection when the answer is ready (see http/server.c).
 *
 * Jobs run in submission order on `threads` threads. The queue holds at
 * most `max_queued` jobs; past that, submission fails and the server
 * answers 503 at once. slowlane_stop() lets running jobs finish and runs
 * every job still queued with cancelled = 1, so each suspended connection
 * is resumed exactly once (libmicrohttpd requires that before it stops).
 */
#ifndef PARLEY_HTTP_SLOWLANE_H
#define PARLEY_HTTP_SLOWLANE_H

#include <stddef.h>

typedef void (*slowlane_fn)(void *arg, int cancelled);

/* Start the threads. -1 when a thread cannot be created. */
int slowlane_start(int threads, size_t max_queued);
/* Queue fn(arg). 0, or -1 when the queue is full or the pool stopped
 * (fn is then not called: the caller answers for itself). */
int slowlane_submit(slowlane_fn fn, void *arg);
/* Finish: running jobs complete, queued ones run cancelled, threads join. */
void slowlane_stop(void);

#endif
