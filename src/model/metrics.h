/*
 * metrics.h - how well questions are answered: counts, time to first
 * answer and to resolution (median, p90), the share answered within the
 * response target, escalations, per responder and per day, for one space
 * or for every question the viewer may read (issue 7).
 *
 * Window: UTC days [from, to], both inclusive, given as YYYY-MM-DD; by
 * default the last 30 days ending today. Definitions:
 *   asked, answered, resolved, closed, escalations: questions ASKED in the
 *       window; answered = got at least one answer (at any time);
 *       resolved / closed = in that state now; escalations = their sum.
 *   time_to_first_answer: over questions FIRST ANSWERED in the window
 *       (first_answer_at - asked_at); time_to_resolution: over questions
 *       resolved in the window (resolved_at - asked_at). Median and
 *       nearest-rank p90 as lib/stats.h defines them, in seconds.
 *   answered_within_target: questions asked in the window with a target;
 *       lib/stats.h: stats_within_target() at `now`.
 *   responders: per account, answers written in the window, first answers
 *       in the window (and their median time), answers accepted in the
 *       window; most answers first.
 *   daily: per day, questions asked, first answered, resolved that day.
 * Only questions and answers the viewer may read are counted
 * (store_metrics.h), so a number never reveals what the viewer cannot see.
 *
 * Memory: a report owns its arrays; metrics_report_release() frees them.
 */
#ifndef PARLEY_MODEL_METRICS_H
#define PARLEY_MODEL_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/stats.h"
#include "model/result.h"
#include "model/viewer.h"
#include "store/store_posts.h"

#define METRICS_MAX_DAYS 366
#define METRICS_DEFAULT_DAYS 30

struct metrics_responder {
	int64_t account_id;
	int64_t answers;
	int64_t first_answers;
	int64_t accepted;
	int has_median;
	double median_first_answer_s;
};

struct metrics_day {
	char date[11];            /* YYYY-MM-DD */
	int64_t asked, answered, resolved;
};

struct metrics_report {
	char from[11], to[11];    /* the window, both days inclusive */
	int64_t from_ms, to_ms;   /* [from_ms, to_ms) */
	int64_t asked, answered, resolved, closed, escalations;
	int has_ttfa;             /* time to first answer known */
	double ttfa_median_s, ttfa_p90_s;
	int has_ttr;              /* time to resolution known */
	double ttr_median_s, ttr_p90_s;
	int has_within;
	double within;            /* 0..1 */
	int64_t ttfa_bins[STATS_DURATION_BINS];   /* histogram of time to first answer */
	struct metrics_responder *responders;
	size_t nresponders;
	struct metrics_day *days;
	size_t ndays;
};

void metrics_report_release(struct metrics_report *r);

/* The window from the two parameters (NULL or "" for the default).
 * M_INVALID with a message when a date is malformed, from is after to, or
 * the window is longer than METRICS_MAX_DAYS days. */
enum mresult metrics_window(const char *from, const char *to, int64_t now_ms,
			    int64_t *from_ms, int64_t *to_ms, char *err, size_t errlen);

/* Compute the report for what `aud` may read in the scope (space_id > 0,
 * 0 outside spaces, STORE_METRICS_ALL everything) over [from_ms, to_ms)
 * (whole UTC days). M_ERROR on storage or memory failure (out released). */
enum mresult metrics_build(const struct store_audience *aud, int64_t space_id, int64_t from_ms,
			   int64_t to_ms, int64_t now_ms, struct metrics_report *out);

/* The report as CSV (text/csv, RFC 4180, formula-safe cells: lib/csv.h
 * guard) into out: the header
 *   scope,responder,asked,answered,resolved,escalations,median_first_answer_s,
 *   p90_first_answer_s,median_resolution_s,p90_resolution_s,answered_within_target
 * then one row for the scope (responder empty) and one per responder
 * (their answers in "answered", their median first-answer time; the other
 * cells empty). Unknown values are empty cells. -1 when out fails. */
int metrics_report_csv(const struct metrics_report *r, const char *scope, struct buf *out);

struct space_view;
/* May v see the metrics of a space (its owners and moderators, its
 * listeners, org listeners, admins) or, with sv NULL, of the whole
 * organisation (org listeners and admins)? 1 yes, 0 no. The space must
 * be one v may see (the caller looked it up with space_lookup()). */
int metrics_may_see(const struct viewer *v, const struct space_view *sv);

#endif
