/*
 * test_ratelimit.c - the API's request budget (http/ratelimit.h): fixed
 * windows per key, remaining counts, reset times, independence of keys,
 * counting off, and many callers at once.
 */
#include "http/ratelimit.h"
#include "unit.h"

#include <pthread.h>
#include <stdio.h>

static void test_budget_and_reset(void)
{
	struct ratelimit_state st;
	int64_t t0 = 1000LL * 300 * 1000 + 5000; /* 5 s into a window */
	int i;

	ratelimit_configure(3, 300);
	for (i = 0; i < 3; i++) {
		CHECK(ratelimit_hit("t:1", t0 + i, &st) == 0);
		CHECK(st.limit == 3 && st.remaining == 2 - i && !st.limited);
		CHECK(st.reset_ms == 1001LL * 300 * 1000);
	}
	CHECK(ratelimit_hit("t:1", t0 + 10, &st) == 1);
	CHECK(st.limited && st.remaining == 0);
	/* refused requests do not push the window */
	CHECK(ratelimit_hit("t:1", t0 + 20, &st) == 1);
	/* another key has its own budget */
	CHECK(ratelimit_hit("ip:127.0.0.1", t0, &st) == 0 && st.remaining == 2);
	/* the next window starts afresh */
	CHECK(ratelimit_hit("t:1", 1001LL * 300 * 1000, &st) == 0 && st.remaining == 2);
	CHECK(st.reset_ms == 1002LL * 300 * 1000);
	ratelimit_release();
}

static void test_off(void)
{
	struct ratelimit_state st;
	int i;

	ratelimit_configure(0, 300);
	CHECK(!ratelimit_enabled());
	for (i = 0; i < 1000; i++)
		CHECK(ratelimit_hit("t:1", 1000, &st) == 0);
	CHECK(st.limit == 0 && !st.limited);
	ratelimit_configure(5, 60);
	CHECK(ratelimit_enabled());
	ratelimit_release();
}

static void test_many_keys_and_sweep(void)
{
	struct ratelimit_state st;
	char key[32];
	int i, ok = 1;

	ratelimit_configure(2, 60);
	/* 50,000 callers in one window, each counted on their own */
	for (i = 0; i < 50000; i++) {
		snprintf(key, sizeof key, "ip:10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
		if (ratelimit_hit(key, 60000, &st) != 0 || st.remaining != 1)
			ok = 0;
	}
	CHECK(ok);
	snprintf(key, sizeof key, "ip:10.0.0.7");
	CHECK(ratelimit_hit(key, 60001, &st) == 0 && st.remaining == 0);
	CHECK(ratelimit_hit(key, 60002, &st) == 1);
	/* the next window: the old entries are swept as new callers come */
	ok = 1;
	for (i = 0; i < 50000; i++) {
		snprintf(key, sizeof key, "t:%d", i);
		if (ratelimit_hit(key, 120000, &st) != 0 || st.remaining != 1)
			ok = 0;
	}
	CHECK(ok);
	ratelimit_release();
}

struct thread_arg {
	int refused;
};

static void *hammer(void *p)
{
	struct thread_arg *a = p;
	struct ratelimit_state st;
	int i;

	for (i = 0; i < 1000; i++)
		if (ratelimit_hit("shared", 5000, &st))
			a->refused++;
	return NULL;
}

static void test_threads_count_exactly(void)
{
	pthread_t t[8];
	struct thread_arg a[8];
	int i, refused = 0;

	ratelimit_configure(3000, 60);
	for (i = 0; i < 8; i++) {
		a[i].refused = 0;
		pthread_create(&t[i], NULL, hammer, &a[i]);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		refused += a[i].refused;
	}
	/* 8000 requests against 3000: exactly 5000 refused */
	CHECK(refused == 5000);
	ratelimit_release();
}

int main(void)
{
	RUN(test_budget_and_reset);
	RUN(test_off);
	RUN(test_many_keys_and_sweep);
	RUN(test_threads_count_exactly);
	return unit_finish("ratelimit");
}
