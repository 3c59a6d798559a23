/*
 * jobs.c - the durable job worker (see jobs.h).
 */
#include "jobs/jobs.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store_posts.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#define JOB_KINDS 16
#define LEASE_MS (5 * 60 * 1000)
#define MAX_ATTEMPTS 12
#define IDLE_WAIT_MS 1000

static struct {
	const char *kind;
	job_fn fn;
} kinds[JOB_KINDS];
static int nkinds;

static pthread_t worker;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int running, stopping, woken;

int jobs_register(const char *kind, job_fn fn)
{
	if (nkinds >= JOB_KINDS)
		return -1;
	kinds[nkinds].kind = kind;
	kinds[nkinds].fn = fn;
	nkinds++;
	return 0;
}

static job_fn find(const char *kind)
{
	int i;

	for (i = 0; i < nkinds; i++)
		if (!strcmp(kinds[i].kind, kind))
			return kinds[i].fn;
	return NULL;
}

static int run_one(void)
{
	struct job_row j;
	int64_t now = time_now_ms();
	job_fn fn;
	int rc = store_job_claim(now, now + LEASE_MS, &j);

	if (rc != STORE_OK)
		return 0;
	fn = find(j.kind);
	if (fn && fn(j.ref_id) == 0) {
		store_job_done(j.id, j.run_at);
	} else if (j.attempts >= MAX_ATTEMPTS || !fn) {
		log_error("jobs: giving up on %s %lld after %d attempts%s", j.kind, (long long)j.ref_id,
			  j.attempts, fn ? "" : " (no handler)");
		store_job_done(j.id, j.run_at);
	} else {
		int64_t delay = 10000LL << (j.attempts < 9 ? j.attempts - 1 : 8);

		if (delay > 3600000)
			delay = 3600000;
		log_warn("jobs: %s %lld failed (attempt %d); retrying in %llds", j.kind,
			 (long long)j.ref_id, j.attempts, (long long)(delay / 1000));
		store_job_retry(j.id, now + delay, "failed");
	}
	return 1;
}

int jobs_run_due(void)
{
	int n = 0;

	while (n < 1000 && run_one())
		n++;
	return n;
}

static void *work(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		struct timespec ts;
		int64_t next = 0, wait = IDLE_WAIT_MS, now;

		pthread_mutex_unlock(&mu);
		jobs_run_due();
		now = time_now_ms();
		if (store_job_next_at(&next) == STORE_OK && next - now < wait)
			wait = next > now ? next - now : 1;
		pthread_mutex_lock(&mu);
		if (stopping || woken) {
			woken = 0;
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += wait / 1000;
		ts.tv_nsec += (wait % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&cv, &mu, &ts);
		woken = 0;
	}
	pthread_mutex_unlock(&mu);
	return NULL; /* the thread's database connection closes with it */
}

int jobs_start(void)
{
	stopping = 0;
	if (pthread_create(&worker, NULL, work, NULL) != 0)
		return -1;
	running = 1;
	return 0;
}

void jobs_wake(void)
{
	pthread_mutex_lock(&mu);
	woken = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

void jobs_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&mu);
	stopping = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(worker, NULL);
	running = 0;
}
