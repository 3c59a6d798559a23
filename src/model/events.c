/*
 * events.c - the in-process event bus (see events.h).
 *
 * A fixed ring of EVENTS_QUEUE_MAX events under one mutex, and one
 * dispatcher thread that takes events out in order and calls every
 * subscriber with the mutex released. Publishing only copies 24 bytes
 * under the mutex, so writers are never held up by subscribers.
 */
#include "model/events.h"
#include "lib/log.h"
#include "lib/timeutil.h"

#include <assert.h>
#include <pthread.h>
#include <stddef.h>

struct subscriber {
	events_fn fn;
	void *ctx;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct event ring[EVENTS_QUEUE_MAX];
static size_t head, count;        /* oldest event, number queued */
static struct subscriber subs[EVENTS_MAX_SUBSCRIBERS];
static int nsubs;
static int running, stopping;
static pthread_t thread;
static uint64_t dropped;
static uint64_t dropped_reported;
static int64_t last_warning_us;

int events_subscribe(events_fn fn, void *ctx)
{
	int rc = -1;

	pthread_mutex_lock(&lock);
	if (fn && !running && nsubs < EVENTS_MAX_SUBSCRIBERS) {
		subs[nsubs].fn = fn;
		subs[nsubs].ctx = ctx;
		nsubs++;
		rc = 0;
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

static void *dispatcher(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&lock);
	for (;;) {
		struct event e;
		int i, n;

		while (!count && !stopping)
			pthread_cond_wait(&wake, &lock);
		if (!count)
			break; /* stopping, and everything delivered */
		e = ring[head];
		head = (head + 1) % EVENTS_QUEUE_MAX;
		count--;
		n = nsubs; /* fixed while running */
		pthread_mutex_unlock(&lock);
		for (i = 0; i < n; i++)
			subs[i].fn(&e, subs[i].ctx);
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int events_start(void)
{
	pthread_mutex_lock(&lock);
	if (running) {
		pthread_mutex_unlock(&lock);
		return -1;
	}
	stopping = 0;
	head = count = 0;
	if (pthread_create(&thread, NULL, dispatcher, NULL) != 0) {
		pthread_mutex_unlock(&lock);
		log_error("events: cannot start the dispatcher thread");
		return -1;
	}
	running = 1;
	pthread_mutex_unlock(&lock);
	return 0;
}

void events_publish(const struct event *e)
{
	uint64_t report = 0;

	pthread_mutex_lock(&lock);
	if (!running || stopping) {
		pthread_mutex_unlock(&lock);
		return;
	}
	if (count == EVENTS_QUEUE_MAX) {
		int64_t now = time_mono_us();

		dropped++;
		if (!last_warning_us || now - last_warning_us >= 10 * 1000000LL) {
			last_warning_us = now;
			report = dropped - dropped_reported;
			dropped_reported = dropped;
		}
		pthread_mutex_unlock(&lock);
		if (report)
			log_warn("events: queue full (%d events): %llu dropped since the last warning; "
				 "live streams miss them until clients reload",
				 EVENTS_QUEUE_MAX, (unsigned long long)report);
		return;
	}
	ring[(head + count) % EVENTS_QUEUE_MAX] = *e;
	count++;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

void events_stop(void)
{
	pthread_mutex_lock(&lock);
	if (!running || stopping) {
		pthread_mutex_unlock(&lock);
		return;
	}
	stopping = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	pthread_mutex_lock(&lock);
	assert(count == 0);
	running = 0;
	stopping = 0;
	pthread_mutex_unlock(&lock);
}

uint64_t events_dropped(void)
{
	uint64_t n;

	pthread_mutex_lock(&lock);
	n = dropped;
	pthread_mutex_unlock(&lock);
	return n;
}

void events_reset(void)
{
	pthread_mutex_lock(&lock);
	assert(!running);
	nsubs = 0;
	dropped = dropped_reported = 0;
	last_warning_us = 0;
	pthread_mutex_unlock(&lock);
}
