/*
 * metrics.c - the question metrics (metrics.h): one pass over the
 * question rows and one over the answer rows of the window, then the
 * statistics of lib/stats.h. Everything is computed when asked; a window
 * holds at most a year of one scope's questions.
 */
#include "model/metrics.h"
#include "lib/csv.h"
#include "model/listener.h"
#include "model/space.h"
#include "store/store_metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_MS 86400000LL

/* A growable array of int64 (durations). */
struct i64v {
	int64_t *v;
	size_t n, cap;
	int failed;
};

static void i64v_push(struct i64v *a, int64_t x)
{
	if (a->failed)
		return;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		int64_t *nv = realloc(a->v, cap * sizeof *nv);

		if (!nv) {
			a->failed = 1;
			return;
		}
		a->v = nv;
		a->cap = cap;
	}
	a->v[a->n++] = x;
}

/* Per responder while counting: the first-answer durations too. */
struct resp_acc {
	struct metrics_responder r;
	struct i64v first;
};

struct build_ctx {
	struct metrics_report *out;
	int64_t now;
	struct i64v ttfa, ttr;
	struct stats_target *targets;
	size_t ntargets, captargets;
	struct resp_acc *resp;
	size_t nresp, capresp;
	int failed;
};

void metrics_report_release(struct metrics_report *r)
{
	free(r->responders);
	free(r->days);
	r->responders = NULL;
	r->days = NULL;
	r->nresponders = r->ndays = 0;
}

static void day_string(int64_t ms, char out[11])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Midnight UTC of a YYYY-MM-DD day; -1 when malformed or not a real date. */
static int64_t parse_day(const char *s)
{
	struct tm tm, check;
	time_t t;
	int i, mday, mon;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0') - 1900;
	tm.tm_mon = (s[5] - '0') * 10 + (s[6] - '0') - 1;
	tm.tm_mday = (s[8] - '0') * 10 + (s[9] - '0');
	if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1)
		return -1;
	mday = tm.tm_mday;
	mon = tm.tm_mon;
	t = timegm(&tm);     /* normalises tm too: compare with the copies */
	gmtime_r(&t, &check);
	if (check.tm_mday != mday || check.tm_mon != mon)
		return -1;   /* 30 February and the like */
	return (int64_t)t * 1000;
}

enum mresult metrics_window(const char *from, const char *to, int64_t now_ms,
			    int64_t *from_ms, int64_t *to_ms, char *err, size_t errlen)
{
	int64_t f, t;

	if (to && to[0]) {
		t = parse_day(to);
		if (t < 0)
			return mresult_fail(err, errlen, M_INVALID, "to must be a date YYYY-MM-DD");
	} else {
		t = now_ms - now_ms % DAY_MS;
	}
	t += DAY_MS;   /* the last day is included */
	if (from && from[0]) {
		f = parse_day(from);
		if (f < 0)
			return mresult_fail(err, errlen, M_INVALID, "from must be a date YYYY-MM-DD");
	} else {
		f = t - METRICS_DEFAULT_DAYS * DAY_MS;
	}
	if (f >= t)
		return mresult_fail(err, errlen, M_INVALID, "from must not be after to");
	if ((t - f) / DAY_MS > METRICS_MAX_DAYS)
		return mresult_fail(err, errlen, M_INVALID, "The window is at most 366 days");
	*from_ms = f;
	*to_ms = t;
	return M_OK;
}

static int in_window(const struct metrics_report *r, int64_t t)
{
	return t > 0 && t >= r->from_ms && t < r->to_ms;
}

static struct metrics_day *day_of(struct metrics_report *r, int64_t t)
{
	if (!in_window(r, t))
		return NULL;
	return &r->days[(t - r->from_ms) / DAY_MS];
}

static struct resp_acc *responder(struct build_ctx *c, int64_t account_id)
{
	size_t i;

	for (i = 0; i < c->nresp; i++)
		if (c->resp[i].r.account_id == account_id)
			return &c->resp[i];
	if (c->nresp == c->capresp) {
		size_t cap = c->capresp ? c->capresp * 2 : 16;
		struct resp_acc *n = realloc(c->resp, cap * sizeof *n);

		if (!n) {
			c->failed = 1;
			return NULL;
		}
		c->resp = n;
		c->capresp = cap;
	}
	memset(&c->resp[c->nresp], 0, sizeof c->resp[0]);
	c->resp[c->nresp].r.account_id = account_id;
	return &c->resp[c->nresp++];
}

static void on_question(const struct metrics_question_row *q, void *ctx)
{
	struct build_ctx *c = ctx;
	struct metrics_report *r = c->out;
	struct metrics_day *d;
	int resolved = !strcmp(q->state, "resolved") && q->resolved_at > 0;

	if (in_window(r, q->asked_at)) {
		r->asked++;
		if (q->first_answer_at > 0)
			r->answered++;
		if (!strcmp(q->state, "resolved"))
			r->resolved++;
		if (!strcmp(q->state, "closed"))
			r->closed++;
		r->escalations += q->escalations;
		if (q->target_ms > 0) {
			if (c->ntargets == c->captargets) {
				size_t cap = c->captargets ? c->captargets * 2 : 32;
				struct stats_target *n = realloc(c->targets, cap * sizeof *n);

				if (!n) {
					c->failed = 1;
					return;
				}
				c->targets = n;
				c->captargets = cap;
			}
			c->targets[c->ntargets].target_ms = q->target_ms;
			c->targets[c->ntargets].due_at = q->first_due_at;
			c->targets[c->ntargets].first_answer_at = q->first_answer_at;
			c->ntargets++;
		}
		if ((d = day_of(r, q->asked_at)))
			d->asked++;
	}
	if (in_window(r, q->first_answer_at)) {
		int64_t dt = q->first_answer_at - q->asked_at;

		i64v_push(&c->ttfa, dt);
		r->ttfa_bins[stats_duration_bin(dt)]++;
		if ((d = day_of(r, q->first_answer_at)))
			d->answered++;
		if (q->first_answer_by) {
			struct resp_acc *a = responder(c, q->first_answer_by);

			if (a) {
				a->r.first_answers++;
				i64v_push(&a->first, dt);
			}
		}
	}
	if (resolved && in_window(r, q->resolved_at)) {
		i64v_push(&c->ttr, q->resolved_at - q->asked_at);
		if ((d = day_of(r, q->resolved_at)))
			d->resolved++;
	}
}

static void on_answer(const struct metrics_answer_row *a, void *ctx)
{
	struct build_ctx *c = ctx;
	struct resp_acc *p = responder(c, a->account_id);

	if (!p)
		return;
	if (in_window(c->out, a->created_at))
		p->r.answers++;
	if (in_window(c->out, a->accepted_at))
		p->r.accepted++;
}

static int cmp_resp(const void *x, const void *y)
{
	const struct metrics_responder *a = x, *b = y;

	if (a->answers != b->answers)
		return a->answers > b->answers ? -1 : 1;
	if (a->first_answers != b->first_answers)
		return a->first_answers > b->first_answers ? -1 : 1;
	return (a->account_id > b->account_id) - (a->account_id < b->account_id);
}

/* median and p90 of v (sorted here), in seconds */
static int summarise(struct i64v *v, double *median_s, double *p90_s)
{
	double m, p;

	stats_sort(v->v, v->n);
	if (stats_median_sorted(v->v, v->n, &m) < 0 || stats_p90_sorted(v->v, v->n, &p) < 0)
		return 0;
	*median_s = m / 1000.0;
	*p90_s = p / 1000.0;
	return 1;
}

enum mresult metrics_build(const struct store_audience *aud, int64_t space_id, int64_t from_ms,
			   int64_t to_ms, int64_t now_ms, struct metrics_report *out)
{
	struct build_ctx c;
	enum mresult res = M_ERROR;
	size_t i;
	double share;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	c.out = out;
	c.now = now_ms;
	out->from_ms = from_ms;
	out->to_ms = to_ms;
	day_string(from_ms, out->from);
	day_string(to_ms - 1, out->to);
	out->ndays = (size_t)((to_ms - from_ms + DAY_MS - 1) / DAY_MS);
	out->days = calloc(out->ndays ? out->ndays : 1, sizeof *out->days);
	if (!out->days)
		goto done;
	for (i = 0; i < out->ndays; i++)
		day_string(from_ms + (int64_t)i * DAY_MS, out->days[i].date);
	if (store_metrics_questions(aud, space_id, from_ms, to_ms, on_question, &c) != STORE_OK ||
	    store_metrics_answers(aud, space_id, from_ms, to_ms, on_answer, &c) != STORE_OK)
		goto done;
	if (c.failed || c.ttfa.failed || c.ttr.failed)
		goto done;
	out->has_ttfa = summarise(&c.ttfa, &out->ttfa_median_s, &out->ttfa_p90_s);
	out->has_ttr = summarise(&c.ttr, &out->ttr_median_s, &out->ttr_p90_s);
	if (stats_within_target(c.targets, c.ntargets, now_ms, &share, NULL, NULL) == 0) {
		out->has_within = 1;
		out->within = share;
	}
	if (c.nresp) {
		out->responders = calloc(c.nresp, sizeof *out->responders);
		if (!out->responders)
			goto done;
		for (i = 0; i < c.nresp; i++) {
			double p90;

			if (c.resp[i].first.failed)
				goto done;
			out->responders[i] = c.resp[i].r;
			if (summarise(&c.resp[i].first, &out->responders[i].median_first_answer_s, &p90))
				out->responders[i].has_median = 1;
		}
		out->nresponders = c.nresp;
		qsort(out->responders, out->nresponders, sizeof *out->responders, cmp_resp);
	}
	res = M_OK;
done:
	for (i = 0; i < c.nresp; i++)
		free(c.resp[i].first.v);
	free(c.resp);
	free(c.targets);
	free(c.ttfa.v);
	free(c.ttr.v);
	if (res != M_OK)
		metrics_report_release(out);
	return res;
}

int metrics_may_see(const struct viewer *v, const struct space_view *sv)
{
	if (!v->signed_in)
		return 0;
	return listener_may_list(v, sv);
}

static void csv_num(struct buf *out, int has, double v)
{
	char n[48] = "";

	if (has)
		snprintf(n, sizeof n, "%.3f", v);
	csv_put_field(out, n, 1);
	buf_putc(out, ',');
}

static void csv_int(struct buf *out, int64_t v)
{
	char n[24];

	snprintf(n, sizeof n, "%lld", (long long)v);
	csv_put_field(out, n, 1);
	buf_putc(out, ',');
}

int metrics_report_csv(const struct metrics_report *r, const char *scope, struct buf *out)
{
	static const char *const cols[] = {
		"scope", "responder", "asked", "answered", "resolved", "escalations",
		"median_first_answer_s", "p90_first_answer_s", "median_resolution_s",
		"p90_resolution_s", "answered_within_target",
	};
	size_t i;

	for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		if (i)
			buf_putc(out, ',');
		csv_put_field(out, cols[i], 1);
	}
	csv_end_record(out);
	csv_put_field(out, scope, 1);
	buf_puts(out, ",,");
	csv_int(out, r->asked);
	csv_int(out, r->answered);
	csv_int(out, r->resolved);
	csv_int(out, r->escalations);
	csv_num(out, r->has_ttfa, r->ttfa_median_s);
	csv_num(out, r->has_ttfa, r->ttfa_p90_s);
	csv_num(out, r->has_ttr, r->ttr_median_s);
	csv_num(out, r->has_ttr, r->ttr_p90_s);
	if (r->has_within) {
		char n[24];

		snprintf(n, sizeof n, "%.4f", r->within);
		csv_put_field(out, n, 1);
	}
	csv_end_record(out);
	for (i = 0; i < r->nresponders; i++) {
		const struct metrics_responder *p = &r->responders[i];
		struct account_row a;

		if (store_account_get(p->account_id, &a) != STORE_OK)
			continue;
		csv_put_field(out, scope, 1);
		buf_putc(out, ',');
		csv_put_field(out, a.username, 1);
		buf_putc(out, ',');
		buf_putc(out, ',');             /* asked */
		csv_int(out, p->answers);
		buf_puts(out, ",,");            /* resolved, escalations */
		csv_num(out, p->has_median, p->median_first_answer_s);
		buf_puts(out, ",,,");
		csv_end_record(out);
	}
	return out->failed ? -1 : 0;
}
