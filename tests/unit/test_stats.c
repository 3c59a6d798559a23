/*
 * test_stats.c - median, nearest-rank p90, within-target share and the
 * duration bins (lib/stats.h), against values worked out by hand and a
 * brute-force restatement of nearest rank.
 */
#include "lib/stats.h"
#include "unit.h"

#include <math.h>
#include <stdlib.h>

static void test_median(void)
{
	int64_t a[] = { 5, 1, 3 }, b[] = { 4, 1, 3, 2 }, c[] = { 7 };
	double m = -1;

	stats_sort(a, 3);
	CHECK(a[0] == 1 && a[1] == 3 && a[2] == 5);
	CHECK(stats_median_sorted(a, 3, &m) == 0 && m == 3);
	stats_sort(b, 4);
	CHECK(stats_median_sorted(b, 4, &m) == 0 && m == 2.5);
	CHECK(stats_median_sorted(c, 1, &m) == 0 && m == 7);
	m = -1;
	CHECK(stats_median_sorted(c, 0, &m) == -1 && m == -1);
}

static void test_p90_nearest_rank(void)
{
	int64_t v[100];
	double p;
	size_t n, i;

	for (i = 0; i < 100; i++)
		v[i] = (int64_t)(i + 1) * 10;   /* 10, 20, ... 1000 */
	CHECK(stats_p90_sorted(v, 1, &p) == 0 && p == 10);
	CHECK(stats_p90_sorted(v, 2, &p) == 0 && p == 20);
	CHECK(stats_p90_sorted(v, 10, &p) == 0 && p == 90);
	CHECK(stats_p90_sorted(v, 11, &p) == 0 && p == 100);
	CHECK(stats_p90_sorted(v, 100, &p) == 0 && p == 900);
	CHECK(stats_p90_sorted(v, 0, &p) == -1);
	/* the definition: the smallest value with at least 90 % of values <= it */
	for (n = 1; n <= 100; n++) {
		size_t k = 0;

		CHECK(stats_p90_sorted(v, n, &p) == 0);
		for (i = 0; i < n; i++)
			if ((double)v[i] <= p)
				k++;
		CHECK(k * 10 >= 9 * n);
		CHECK((k - 1) * 10 < 9 * n);
	}
}

static void test_within_target(void)
{
	struct stats_target t[] = {
		{ 1000, 5000, 4000 },   /* hit */
		{ 1000, 5000, 5000 },   /* hit: at the due time */
		{ 1000, 5000, 5001 },   /* miss: late */
		{ 1000, 5000, 0 },      /* unanswered, due passed at now 6000: miss */
		{ 1000, 9000, 0 },      /* not yet due: left out */
		{ 0, 0, 100 },          /* no target: left out */
	};
	size_t hits = 0, counted = 0;
	double s = -1;

	CHECK(stats_within_target(t, 6, 6000, &s, &hits, &counted) == 0);
	CHECK(hits == 2 && counted == 4);
	CHECK(fabs(s - 0.5) < 1e-12);
	/* later, the fifth passes its due time unanswered */
	CHECK(stats_within_target(t, 6, 10000, &s, &hits, &counted) == 0);
	CHECK(hits == 2 && counted == 5);
	/* nothing due or targeted: no share */
	CHECK(stats_within_target(t + 4, 2, 6000, &s, NULL, NULL) == -1);
	CHECK(stats_within_target(t, 0, 6000, &s, NULL, NULL) == -1);
}

static void test_bins(void)
{
	CHECK(stats_duration_bin(-5) == 0);
	CHECK(stats_duration_bin(0) == 0);
	CHECK(stats_duration_bin(15 * 60000LL - 1) == 0);
	CHECK(stats_duration_bin(15 * 60000LL) == 1);
	CHECK(stats_duration_bin(3600000LL) == 2);
	CHECK(stats_duration_bin(5 * 3600000LL) == 3);
	CHECK(stats_duration_bin(2 * 86400000LL) == 4);
	CHECK(stats_duration_bin(30 * 86400000LL) == 5);
	CHECK_STR(stats_duration_bin_labels[0], "< 15 min");
	CHECK_STR(stats_duration_bin_labels[STATS_DURATION_BINS - 1], "> 7 days");
}

int main(void)
{
	RUN(test_median);
	RUN(test_p90_nearest_rank);
	RUN(test_within_target);
	RUN(test_bins);
	return unit_finish("stats");
}
