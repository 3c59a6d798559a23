/*
 * metrics.c - GET /api/parley/v1/spaces/:space/metrics and
 * GET /api/parley/v1/metrics: the question metrics as JSON or CSV
 * (docs/API.md, "Metrics"). Thin: the window and the numbers come from
 * model/metrics.c, which counts only what the viewer may read.
 */
#include "api/parley/parley.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/timeutil.h"
#include "model/metrics.h"
#include "model/audience.h"
#include "model/space.h"
#include "store/store_metrics.h"

#include <math.h>
#include <string.h>

static json_t *seconds(int has, double v)
{
	return has ? json_real(round(v * 1000) / 1000) : json_null();
}

json_t *parley_metrics_json(const struct request *rq, const struct metrics_report *r)
{
	struct mrender m;
	json_t *j, *resp = json_array(), *daily = json_array();
	size_t i;

	mrender_init(&m, rq);
	for (i = 0; i < r->nresponders; i++) {
		const struct metrics_responder *p = &r->responders[i];
		json_t *acc = mrender_account(&m, p->account_id);

		if (!acc)
			continue;
		json_array_append_new(resp, json_pack("{s:o, s:I, s:I, s:I, s:o}", "account", acc,
			"answers", (json_int_t)p->answers, "first_answers", (json_int_t)p->first_answers,
			"accepted", (json_int_t)p->accepted,
			"median_first_answer_seconds", seconds(p->has_median, p->median_first_answer_s)));
	}
	mrender_release(&m);
	for (i = 0; i < r->ndays; i++)
		json_array_append_new(daily, json_pack("{s:s, s:I, s:I, s:I}", "date", r->days[i].date,
			"asked", (json_int_t)r->days[i].asked, "answered", (json_int_t)r->days[i].answered,
			"resolved", (json_int_t)r->days[i].resolved));
	j = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:{s:o, s:o}, s:{s:o, s:o}, s:o, s:o, s:o}",
		"from", r->from, "to", r->to,
		"asked", (json_int_t)r->asked, "answered", (json_int_t)r->answered,
		"resolved", (json_int_t)r->resolved, "closed", (json_int_t)r->closed,
		"escalations", (json_int_t)r->escalations,
		"time_to_first_answer", "median_seconds", seconds(r->has_ttfa, r->ttfa_median_s),
		"p90_seconds", seconds(r->has_ttfa, r->ttfa_p90_s),
		"time_to_resolution", "median_seconds", seconds(r->has_ttr, r->ttr_median_s),
		"p90_seconds", seconds(r->has_ttr, r->ttr_p90_s),
		"answered_within_target", r->has_within ? json_real(r->within) : json_null(),
		"responders", resp, "daily", daily);
	return j;
}

/* Shared by both routes: sv NULL for the organisation. */
static void answer_metrics(struct request *rq, struct response *rs, const struct space_view *sv)
{
	const char *format = req_arg(rq, "format");
	struct store_audience aud;
	struct metrics_report r;
	int64_t from, to, now = time_now_ms();
	char err[160] = "";
	enum mresult res;

	if (format && format[0] && strcmp(format, "json") && strcmp(format, "csv")) {
		http_error(rq, rs, 400, "format must be json or csv");
		return;
	}
	if (!metrics_may_see(&rq->viewer, sv)) {
		http_error(rq, rs, 403, sv ? "Only the space's moderators and listeners, org listeners and admins see its metrics"
					   : "Only organisation listeners and admins see the metrics");
		return;
	}
	res = metrics_window(req_arg(rq, "from"), req_arg(rq, "to"), now, &from, &to, err, sizeof err);
	if (res != M_OK) {
		http_error(rq, rs, 422, err);
		return;
	}
	audience_filter(&rq->viewer, &aud);
	if (metrics_build(&aud, sv ? sv->s.id : STORE_METRICS_ALL, from, to, now, &r) != M_OK) {
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	if (format && !strcmp(format, "csv")) {
		buf_reset(&rs->body);
		if (metrics_report_csv(&r, sv ? sv->s.handle : "organisation", &rs->body) < 0) {
			buf_reset(&rs->body);
			metrics_report_release(&r);
			http_error(rq, rs, 500, "The export failed");
			return;
		}
		rs->status = 200;
		rs->content_type = "text/csv; charset=utf-8";
		resp_header(rs, "Content-Disposition", "attachment; filename=\"metrics.csv\"");
	} else {
		resp_json(rs, 200, parley_metrics_json(rq, &r));
	}
	metrics_report_release(&r);
}

static void get_space_metrics(struct request *rq, struct response *rs)
{
	struct space_view sv;
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "space"), &sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Record not found");
		return;
	}
	answer_metrics(rq, rs, &sv);
}

static void get_org_metrics(struct request *rq, struct response *rs)
{
	answer_metrics(rq, rs, NULL);
}

void parley_metrics_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;

	router_add("GET", "/api/parley/v1/spaces/:space/metrics", get_space_metrics, W, "read:statuses");
	router_add("GET", "/api/parley/v1/metrics", get_org_metrics, W, "read:statuses");
}
