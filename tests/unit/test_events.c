/*
 * test_events.c - unit tests for the event bus (src/model/events.c):
 * delivery to every subscriber in publish order on one other thread,
 * publishing from many threads, a full queue dropping and counting
 * instead of blocking, and stop draining what was queued.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/log.h"
#include "lib/timeutil.h"
#include "model/events.h"
#include "unit.h"

#define MAX_SEEN 20000

struct recorder {
	pthread_mutex_t lock;
	struct event seen[MAX_SEEN];
	int n;
	pthread_t thread; /* the thread that called us last */
	int tag;              /* 1 or 2: which subscriber */
};

static struct recorder rec_a, rec_b;
static int calls_in_order[2 * MAX_SEEN];
static int ncalls;
static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;

static void record(const struct event *e, void *ctx)
{
	struct recorder *r = ctx;

	pthread_mutex_lock(&r->lock);
	if (r->n < MAX_SEEN)
		r->seen[r->n++] = *e;
	r->thread = pthread_self();
	pthread_mutex_unlock(&r->lock);
	pthread_mutex_lock(&calls_lock);
	if (ncalls < 2 * MAX_SEEN)
		calls_in_order[ncalls++] = r->tag;
	pthread_mutex_unlock(&calls_lock);
}

static void recorder_reset(struct recorder *r, int tag)
{
	pthread_mutex_destroy(&r->lock);
	memset(r, 0, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	r->tag = tag;
}

static void setup(void)
{
	events_reset();
	recorder_reset(&rec_a, 1);
	recorder_reset(&rec_b, 2);
	ncalls = 0;
}

static struct event ev(enum event_type t, int64_t id, int64_t account)
{
	struct event e;

	memset(&e, 0, sizeof e);
	e.type = t;
	e.id = id;
	e.account_id = account;
	return e;
}

static void test_delivery_in_order_to_every_subscriber(void)
{
	int i, ok = 1;

	setup();
	CHECK(events_subscribe(record, &rec_a) == 0);
	CHECK(events_subscribe(record, &rec_b) == 0);
	CHECK(events_start() == 0);
	CHECK(events_start() == -1); /* already running */
	CHECK(events_subscribe(record, &rec_a) == -1); /* too late */
	for (i = 1; i <= 1000; i++) {
		struct event e = ev(i % 2 ? EVENT_STATUS_NEW : EVENT_NOTIFICATION, i, 1000 + i);

		events_publish(&e);
	}
	events_stop();
	CHECK(rec_a.n == 1000);
	CHECK(rec_b.n == 1000);
	for (i = 0; i < 1000 && i < rec_a.n && i < rec_b.n; i++) {
		if (rec_a.seen[i].id != i + 1 || rec_b.seen[i].id != i + 1 ||
		    rec_a.seen[i].account_id != 1001 + i ||
		    rec_a.seen[i].type != ((i + 1) % 2 ? EVENT_STATUS_NEW : EVENT_NOTIFICATION))
			ok = 0;
	}
	CHECK(ok);
	/* each event goes to a, then b, before the next event */
	ok = ncalls == 2000;
	for (i = 0; ok && i < ncalls; i++)
		if (calls_in_order[i] != (i % 2 ? 2 : 1))
			ok = 0;
	CHECK(ok);
	/* on the dispatcher thread, not ours */
	CHECK(!pthread_equal(rec_a.thread, pthread_self()));
	CHECK(pthread_equal(rec_a.thread, rec_b.thread));
	CHECK(events_dropped() == 0);
}

static void test_subscriber_slots_are_limited(void)
{
	int i;

	setup();
	for (i = 0; i < EVENTS_MAX_SUBSCRIBERS; i++)
		CHECK(events_subscribe(record, &rec_a) == 0);
	CHECK(events_subscribe(record, &rec_a) == -1);
	CHECK(events_subscribe(NULL, NULL) == -1);
	events_reset();
	CHECK(events_subscribe(record, &rec_a) == 0);
}

static void test_not_running_discards(void)
{
	struct event e = ev(EVENT_STATUS_NEW, 1, 2);

	setup();
	CHECK(events_subscribe(record, &rec_a) == 0);
	events_publish(&e);   /* before start: nobody listens */
	events_stop();        /* never started: harmless */
	CHECK(events_start() == 0);
	events_stop();
	events_publish(&e);   /* after stop */
	CHECK(rec_a.n == 0);
	CHECK(events_dropped() == 0);
	/* and it starts again after a stop */
	CHECK(events_start() == 0);
	e.id = 7;
	events_publish(&e);
	events_stop();
	CHECK(rec_a.n == 1 && rec_a.seen[0].id == 7);
}

/* ---- a full queue drops instead of blocking ---- */

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open, gate_entered;

static void blocked(const struct event *e, void *ctx)
{
	pthread_mutex_lock(&gate_lock);
	gate_entered = 1;
	pthread_cond_broadcast(&gate_cond);
	while (!gate_open)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	record(e, ctx);
}

static void test_full_queue_drops_and_counts(void)
{
	struct event e;
	int64_t t0, took;
	int i, ok = 1;

	setup();
	log_set_level(LOG_ERROR); /* the expected "queue full" warning */
	gate_open = gate_entered = 0;
	CHECK(events_subscribe(blocked, &rec_a) == 0);
	CHECK(events_start() == 0);
	/* the first event is taken by the dispatcher, which then blocks */
	e = ev(EVENT_STATUS_NEW, 1, 1);
	events_publish(&e);
	pthread_mutex_lock(&gate_lock);
	while (!gate_entered)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	/* fill the queue and go 100 past it: never waits */
	t0 = time_mono_us();
	for (i = 2; i <= EVENTS_QUEUE_MAX + 101; i++) {
		e = ev(EVENT_STATUS_NEW, i, 1);
		events_publish(&e);
	}
	took = time_mono_us() - t0;
	CHECK(took < 1000000); /* far less in practice: no waiting */
	CHECK(events_dropped() == 100);
	pthread_mutex_lock(&gate_lock);
	gate_open = 1;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
	events_stop(); /* drains the queue */
	log_set_level(LOG_INFO);
	CHECK(rec_a.n == EVENTS_QUEUE_MAX + 1);
	/* what got through is the oldest, in order */
	for (i = 0; i < rec_a.n; i++)
		if (rec_a.seen[i].id != i + 1)
			ok = 0;
	CHECK(ok);
	events_reset();
	CHECK(events_dropped() == 0);
}

/* ---- many publishers ---- */

#define PUBLISHERS 4
#define PER_PUBLISHER 1000

static void *publisher(void *arg)
{
	int64_t who = (int64_t)(intptr_t)arg;
	int i;

	for (i = 0; i < PER_PUBLISHER; i++) {
		struct event e = ev(EVENT_STATUS_NEW, i, who);

		events_publish(&e);
	}
	return NULL;
}

static void test_many_publishers_each_in_order(void)
{
	pthread_t t[PUBLISHERS];
	int64_t next[PUBLISHERS] = { 0 };
	int i, ok = 1;

	setup();
	CHECK(events_subscribe(record, &rec_a) == 0);
	CHECK(events_start() == 0);
	for (i = 0; i < PUBLISHERS; i++)
		pthread_create(&t[i], NULL, publisher, (void *)(intptr_t)i);
	for (i = 0; i < PUBLISHERS; i++)
		pthread_join(t[i], NULL);
	events_stop();
	/* the queue may have dropped some if the dispatcher fell behind; what
	 * arrived from one publisher arrived in that publisher's order */
	CHECK(rec_a.n + (int)events_dropped() == PUBLISHERS * PER_PUBLISHER);
	for (i = 0; i < rec_a.n; i++) {
		int64_t w = rec_a.seen[i].account_id;

		if (w < 0 || w >= PUBLISHERS || rec_a.seen[i].id < next[w]) {
			ok = 0;
			break;
		}
		next[w] = rec_a.seen[i].id + 1;
	}
	CHECK(ok);
}

int main(void)
{
	RUN(test_delivery_in_order_to_every_subscriber);
	RUN(test_subscriber_slots_are_limited);
	RUN(test_not_running_discards);
	RUN(test_full_queue_drops_and_counts);
	RUN(test_many_publishers_each_in_order);
	return unit_finish("test_events");
}
