/*
 * stats.h - the small statistics the metrics need: median, 90th
 * percentile, and the share of questions answered within their target.
 * Pure C, no SQL; durations are int64 milliseconds.
 *
 * Definitions (docs/API.md, "Metrics", says the same):
 *   median  the middle value of the sorted values; for an even count, the
 *           mean of the two middle values (so it may end in .5 ms).
 *   p90     nearest rank: the value at rank ceil(0.9 * n) (1-based) of the
 *           sorted values; no interpolation, so it is always one of the
 *           values (n = 1: that value; n = 10: the 9th; n = 11: the 10th).
 *   within-target share: over questions that had a target (target > 0):
 *           answered at or before their due time counts as a hit; answered
 *           after it, or still unanswered when `now` is past it, as a miss;
 *           unanswered and not yet due is left out. hits / (hits + misses).
 */
#ifndef PARLEY_LIB_STATS_H
#define PARLEY_LIB_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Sort v[0..n) in place, ascending. */
void stats_sort(int64_t *v, size_t n);

/* On sorted values: 0 with the statistic in *out, -1 when n is 0. */
int stats_median_sorted(const int64_t *v, size_t n, double *out);
int stats_p90_sorted(const int64_t *v, size_t n, double *out);

struct stats_target {
	int64_t target_ms;        /* 0: the question had no target */
	int64_t due_at;           /* when the first answer was due (ms) */
	int64_t first_answer_at;  /* 0: not answered */
};

/* Share of hits among items[0..n) as above: 0 with the share in [0, 1] in
 * *out, -1 when no item counts (no targets, or none due yet). *hits and
 * *counted (may be NULL) get the two counts. */
int stats_within_target(const struct stats_target *items, size_t n, int64_t now_ms,
			double *out, size_t *hits, size_t *counted);

/* The bins of the "time to first answer" histogram. */
#define STATS_DURATION_BINS 6
/* Labels: "< 15 min", "15-60 min", "1-4 h", "4-24 h", "1-7 days", "> 7 days". */
extern const char *const stats_duration_bin_labels[STATS_DURATION_BINS];
/* The bin of a duration (negative durations go to the first). */
int stats_duration_bin(int64_t ms);

#endif
