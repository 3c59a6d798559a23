/*
 * jobs.h - durable background work.
 *
 * A job is a row in the jobs table (store_posts.h: store_job_*): a kind,
 * the id it is about, and when to run. It survives a restart. One worker
 * thread claims due jobs (a claim moves run_at forward by a lease, so a
 * crashed run is retried once the lease passes, and another process on
 * the same database would not take it meanwhile), runs the handler
 * registered for the kind, and deletes the job on success or reschedules
 * it with exponential backoff (10 s doubling, at most an hour; after 12
 * attempts it is dropped with an error in the log). Handlers must be
 * idempotent: a job may run more than once. A handler (or anyone else
 * meanwhile) may schedule the same kind and ref again: the row is moved,
 * and the worker then leaves it in place instead of deleting it, so a
 * job that reschedules itself or is coalesced while it runs is not lost.
 *
 * This layer sits below model/: it knows no rules, only the registry.
 * main.c registers the model's handlers (e.g. "poll.end" ->
 * poll_end_job) before jobs_start().
 */
#ifndef PARLEY_JOBS_JOBS_H
#define PARLEY_JOBS_JOBS_H

#include <stdint.h>

/* 0 on success; anything else is a failure to retry. */
typedef int (*job_fn)(int64_t ref_id);

/* Register before jobs_start(); -1 when the table is full. */
int jobs_register(const char *kind, job_fn fn);
/* Start the worker thread; -1 when it cannot be created. */
int jobs_start(void);
/* Wake the worker (a job was just scheduled sooner than it expects). */
void jobs_wake(void);
/* Stop: the running job finishes; the thread is joined. */
void jobs_stop(void);
/* Run every due job now on the calling thread (tests, the CLI). Returns
 * how many ran. */
int jobs_run_due(void);

#endif
