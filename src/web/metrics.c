/*
 * metrics.c - the question metrics pages: /s/:handle/metrics (a space)
 * and /metrics (every question the viewer may read), with server-rendered
 * SVG charts (lib/svgchart.h: questions per day, and the distribution of
 * time to first answer), each also given as a table; and the same numbers
 * as CSV at /s/:handle/metrics.csv and /metrics.csv (for the browser
 * session; API clients use /api/parley/v1/.../metrics?format=csv).
 * Permissions and numbers are model/metrics.c's.
 */
#include "web/page.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/svgchart.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/metrics.h"
#include "model/space.h"
#include "store/store_metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "45 s", "12 min", "3 h 20 min", "2 d 4 h"; "-" when unknown. */
static json_t *duration(int has, double s)
{
	char out[48];
	long long x = (long long)(s + 0.5);

	if (!has)
		return json_string("-");
	if (x < 60)
		snprintf(out, sizeof out, "%lld s", x);
	else if (x < 3600)
		snprintf(out, sizeof out, "%lld min", x / 60);
	else if (x < 86400)
		snprintf(out, sizeof out, "%lld h %lld min", x / 3600, (x % 3600) / 60);
	else
		snprintf(out, sizeof out, "%lld d %lld h", x / 86400, (x % 86400) / 3600);
	return json_string(out);
}

static int charts(const struct metrics_report *r, json_t *ctx)
{
	struct buf daily = BUF_INIT, hist = BUF_INIT;
	const char **labels = calloc(r->ndays ? r->ndays : 1, sizeof *labels);
	double *v = calloc(3 * (r->ndays ? r->ndays : 1), sizeof *v);
	double bins[STATS_DURATION_BINS];
	struct svgchart_series s[3];
	struct svgchart c;
	size_t i;
	int rc = -1;

	if (!labels || !v)
		goto done;
	for (i = 0; i < r->ndays; i++) {
		labels[i] = r->days[i].date;
		v[i] = (double)r->days[i].asked;
		v[r->ndays + i] = (double)r->days[i].answered;
		v[2 * r->ndays + i] = (double)r->days[i].resolved;
	}
	s[0].name = "asked";
	s[0].values = v;
	s[1].name = "answered";
	s[1].values = v + r->ndays;
	s[2].name = "resolved";
	s[2].values = v + 2 * r->ndays;
	memset(&c, 0, sizeof c);
	c.id = "chart-daily";
	c.title = "Questions per day";
	c.desc = "Questions asked, first answered and resolved each day (UTC); the table below gives the same numbers.";
	c.x_label = "day (UTC)";
	c.y_label = "questions";
	c.labels = labels;
	c.n = r->ndays;
	c.series = s;
	c.nseries = 3;
	c.bars = 0;
	for (i = 0; i < STATS_DURATION_BINS; i++)
		bins[i] = (double)r->ttfa_bins[i];
	if (svgchart_render(&daily, &c) < 0 ||
	    svgchart_histogram(&hist, "chart-ttfa", "Time to first answer",
			       "How many questions got their first answer within each time range; the table below gives the same numbers.",
			       "time to first answer", stats_duration_bin_labels, bins, STATS_DURATION_BINS) < 0)
		goto done;
	json_object_set_new(ctx, "chart_daily", json_string(buf_str(&daily)));
	json_object_set_new(ctx, "chart_ttfa", json_string(buf_str(&hist)));
	rc = 0;
done:
	buf_release(&daily);
	buf_release(&hist);
	free(labels);
	free(v);
	return rc;
}

static json_t *report_ctx(struct request *rq, const struct metrics_report *r)
{
	json_t *ctx = json_object(), *daily = json_array(), *bins = json_array(), *resp = json_array();
	char within[16] = "-";
	size_t i;

	json_object_set_new(ctx, "from", json_string(r->from));
	json_object_set_new(ctx, "to", json_string(r->to));
	json_object_set_new(ctx, "asked", json_integer(r->asked));
	json_object_set_new(ctx, "answered", json_integer(r->answered));
	json_object_set_new(ctx, "resolved", json_integer(r->resolved));
	json_object_set_new(ctx, "closed", json_integer(r->closed));
	json_object_set_new(ctx, "escalations", json_integer(r->escalations));
	json_object_set_new(ctx, "ttfa_median", duration(r->has_ttfa, r->ttfa_median_s));
	json_object_set_new(ctx, "ttfa_p90", duration(r->has_ttfa, r->ttfa_p90_s));
	json_object_set_new(ctx, "ttr_median", duration(r->has_ttr, r->ttr_median_s));
	json_object_set_new(ctx, "ttr_p90", duration(r->has_ttr, r->ttr_p90_s));
	if (r->has_within)
		snprintf(within, sizeof within, "%.0f %%", r->within * 100);
	json_object_set_new(ctx, "within", json_string(within));
	for (i = 0; i < r->ndays; i++)
		json_array_append_new(daily, json_pack("{s:s, s:I, s:I, s:I}", "date", r->days[i].date,
			"asked", (json_int_t)r->days[i].asked, "answered", (json_int_t)r->days[i].answered,
			"resolved", (json_int_t)r->days[i].resolved));
	for (i = 0; i < STATS_DURATION_BINS; i++)
		json_array_append_new(bins, json_pack("{s:s, s:I}", "label", stats_duration_bin_labels[i],
						      "count", (json_int_t)r->ttfa_bins[i]));
	for (i = 0; i < r->nresponders; i++) {
		const struct metrics_responder *p = &r->responders[i];
		struct account_row a;

		if (store_account_get(p->account_id, &a) != STORE_OK ||
		    !audience_may_name_account(&rq->viewer, &a))
			continue;
		json_array_append_new(resp, json_pack("{s:s, s:s, s:I, s:I, s:I, s:o}", "username", a.username,
			"display_name", a.display_name[0] ? a.display_name : a.username,
			"answers", (json_int_t)p->answers, "first_answers", (json_int_t)p->first_answers,
			"accepted", (json_int_t)p->accepted,
			"median", duration(p->has_median, p->median_first_answer_s)));
	}
	json_object_set_new(ctx, "daily", daily);
	json_object_set_new(ctx, "bins", bins);
	json_object_set_new(ctx, "has_responders", json_boolean(json_array_size(resp) > 0));
	json_object_set_new(ctx, "responders", resp);
	return ctx;
}

/* sv NULL: the organisation. csv: answer the CSV instead of the page. */
static void show(struct request *rq, struct response *rs, const struct space_view *sv, int csv)
{
	struct store_audience aud;
	struct metrics_report r;
	int64_t from, to, now = time_now_ms();
	char err[160] = "", path[160];
	json_t *ctx;
	int status = 200;

	if (!metrics_may_see(&rq->viewer, sv)) {
		http_error(rq, rs, 403, sv ? "Only the space's moderators and listeners, organisation listeners and admins see its metrics"
					   : "Only organisation listeners and admins see the metrics");
		return;
	}
	if (metrics_window(req_arg(rq, "from"), req_arg(rq, "to"), now, &from, &to, err, sizeof err) != M_OK) {
		if (csv) {
			http_error(rq, rs, 422, err);
			return;
		}
		status = 422;
		metrics_window(NULL, NULL, now, &from, &to, NULL, 0);
	}
	audience_filter(&rq->viewer, &aud);
	if (metrics_build(&aud, sv ? sv->s.id : STORE_METRICS_ALL, from, to, now, &r) != M_OK) {
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	if (csv) {
		buf_reset(&rs->body);
		if (metrics_report_csv(&r, sv ? sv->s.handle : "organisation", &rs->body) < 0) {
			buf_reset(&rs->body);
			http_error(rq, rs, 500, "The export failed");
		} else {
			rs->status = 200;
			rs->content_type = "text/csv; charset=utf-8";
			resp_header(rs, "Content-Disposition", "attachment; filename=\"metrics.csv\"");
		}
		metrics_report_release(&r);
		return;
	}
	ctx = report_ctx(rq, &r);
	if (charts(&r, ctx) < 0) {
		metrics_report_release(&r);
		json_decref(ctx);
		http_error(rq, rs, 500, "The charts failed");
		return;
	}
	metrics_report_release(&r);
	if (sv)
		snprintf(path, sizeof path, "/s/%s/metrics", sv->s.handle);
	else
		snprintf(path, sizeof path, "/metrics");
	json_object_set_new(ctx, "base_path", json_string(path));
	json_object_set_new(ctx, "scope_name", json_string(sv ? sv->s.name : "the organisation"));
	if (sv)
		json_object_set_new(ctx, "space_handle", json_string(sv->s.handle));
	if (err[0])
		json_object_set_new(ctx, "error", json_string(err));
	page_render(rq, rs, status, "metrics", "Metrics", ctx);
}

static int path_space(struct request *rq, struct response *rs, struct space_view *sv)
{
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "handle"), sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Space not found");
		return -1;
	}
	return 0;
}

static void get_space_metrics(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		show(rq, rs, &sv, 0);
}

static void get_space_metrics_csv(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		show(rq, rs, &sv, 1);
}

static void get_org_metrics(struct request *rq, struct response *rs) { show(rq, rs, NULL, 0); }
static void get_org_metrics_csv(struct request *rq, struct response *rs) { show(rq, rs, NULL, 1); }

void web_metrics_routes(void)
{
	router_add("GET", "/s/:handle/metrics", get_space_metrics, ROUTE_AUTH, NULL);
	router_add("GET", "/s/:handle/metrics.csv", get_space_metrics_csv, ROUTE_AUTH, NULL);
	router_add("GET", "/metrics", get_org_metrics, ROUTE_AUTH, NULL);
	router_add("GET", "/metrics.csv", get_org_metrics_csv, ROUTE_AUTH, NULL);
}
