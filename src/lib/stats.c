/*
 * stats.c - median, nearest-rank p90, within-target share and duration
 * bins (stats.h). Sorting is qsort on int64 (the metrics hold at most a
 * few thousand values per window).
 */
#include "lib/stats.h"

#include <stdlib.h>

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

void stats_sort(int64_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_i64);
}

int stats_median_sorted(const int64_t *v, size_t n, double *out)
{
	if (!n)
		return -1;
	if (n % 2)
		*out = (double)v[n / 2];
	else
		*out = ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
	return 0;
}

int stats_p90_sorted(const int64_t *v, size_t n, double *out)
{
	size_t rank;

	if (!n)
		return -1;
	/* ceil(0.9 n) in integers: (9n + 9) / 10 */
	rank = (9 * n + 9) / 10;
	if (rank < 1)
		rank = 1;
	*out = (double)v[rank - 1];
	return 0;
}

int stats_within_target(const struct stats_target *items, size_t n, int64_t now_ms,
			double *out, size_t *hits, size_t *counted)
{
	size_t i, h = 0, c = 0;

	for (i = 0; i < n; i++) {
		const struct stats_target *t = &items[i];

		if (t->target_ms <= 0)
			continue;
		if (t->first_answer_at > 0) {
			c++;
			if (t->first_answer_at <= t->due_at)
				h++;
		} else if (now_ms > t->due_at) {
			c++;
		}
	}
	if (hits)
		*hits = h;
	if (counted)
		*counted = c;
	if (!c)
		return -1;
	*out = (double)h / (double)c;
	return 0;
}

const char *const stats_duration_bin_labels[STATS_DURATION_BINS] = {
	"< 15 min", "15-60 min", "1-4 h", "4-24 h", "1-7 days", "> 7 days",
};

int stats_duration_bin(int64_t ms)
{
	static const int64_t upper[STATS_DURATION_BINS - 1] = {
		15 * 60000LL, 60 * 60000LL, 4 * 3600000LL, 24 * 3600000LL, 7 * 86400000LL,
	};
	int i;

	for (i = 0; i < STATS_DURATION_BINS - 1; i++)
		if (ms < upper[i])
			return i;
	return STATS_DURATION_BINS - 1;
}
