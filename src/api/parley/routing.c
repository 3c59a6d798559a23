/*
 * routing.c - the Parley API of routing and listening: routing policies
 * (/spaces/:space/routing, /routing), listeners (/spaces/:space/listeners,
 * /listeners), the listeners' queue (/queue ...), and the "routing" and
 * "assignee" members of the question entity. docs/API.md, "Routing" and
 * "Listeners and the queue".
 *
 * Thin: permissions and the audience rule live in model/routing.c,
 * model/listener.c and model/queue.c.
 */
#include "api/parley/parley.h"
#include "api/mastodon/mastodon.h"
#include "api/mastodon/paging.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/listener.h"
#include "model/question.h"
#include "model/queue.h"
#include "model/routing.h"
#include "model/space.h"
#include "model/timeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void answer_result(struct request *rq, struct response *rs, enum mresult r, const char *err)
{
	http_error(rq, rs, http_status_for(r), err[0] ? err : "Storage error");
}

/* The path's :space if visible, else answered 404 (-1). */
static int path_space(struct request *rq, struct response *rs, struct space_view *sv)
{
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "space"), sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Record not found");
		return -1;
	}
	return 0;
}

static int path_id(struct request *rq, struct response *rs, const char *name, int64_t *id)
{
	const char *s = req_param(rq, name);

	if (!s || id_parse(s, id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

/* ---- policies ------------------------------------------------------------ */

static json_t *policy_json(const struct routing_policy *p)
{
	return json_pack("{s:s, s:i, s:I, s:b, s:i}", "mode", p->mode, "top_n", p->top_n,
			 "target_seconds", (json_int_t)p->target_seconds, "working_hours", p->working_hours,
			 "max_open", p->max_open);
}

/* An integer field: -1 when absent; -2 when present but not a number. */
static long arg_long(struct request *rq, const char *name)
{
	const char *s = req_arg(rq, name);
	char *end;
	long x;

	if (!s)
		return -1;
	errno = 0;
	x = strtol(s, &end, 10);
	if (errno || end == s || *end || x < 0)
		return -2;
	return x;
}

static void policy_get(struct request *rq, struct response *rs, const struct space_view *sv)
{
	struct routing_policy p;
	char err[200] = "";
	enum mresult r = routing_policy_get(&rq->viewer, sv, &p, err, sizeof err);

	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		resp_json(rs, 200, policy_json(&p));
}

static void policy_put(struct request *rq, struct response *rs, const struct space_view *sv)
{
	struct routing_policy_input in;
	struct routing_policy p;
	char err[200] = "";
	enum mresult r;

	memset(&in, 0, sizeof in);
	in.mode = req_arg(rq, "mode");
	in.top_n = arg_long(rq, "top_n");
	in.target_seconds = arg_long(rq, "target_seconds");
	in.max_open = arg_long(rq, "max_open");
	in.working_hours = req_arg_bool(rq, "working_hours");
	if (in.top_n == -2 || in.target_seconds == -2 || in.max_open == -2 || in.working_hours == -2) {
		/* a field that is not a number or a boolean: as out of range */
		if (!routing_may_set_policy(&rq->viewer, sv)) {
			http_error(rq, rs, 403, "You may not change this routing policy");
			return;
		}
		http_error(rq, rs, 422, "top_n, target_seconds and max_open must be numbers, working_hours a boolean");
		return;
	}
	r = routing_policy_set(&rq->viewer, sv, &in, &p, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		resp_json(rs, 200, policy_json(&p));
}

static void get_space_routing(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		policy_get(rq, rs, &sv);
}

static void put_space_routing(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		policy_put(rq, rs, &sv);
}

static void get_org_routing(struct request *rq, struct response *rs)
{
	policy_get(rq, rs, NULL);
}

static void put_org_routing(struct request *rq, struct response *rs)
{
	policy_put(rq, rs, NULL);
}

/* ---- listeners ----------------------------------------------------------- */

struct acc_ctx {
	struct mrender m;
	json_t *arr;
};

static void add_account(const struct account_row *a, void *ctx)
{
	struct acc_ctx *c = ctx;
	json_t *j = mrender_account(&c->m, a->id);

	if (j)
		json_array_append_new(c->arr, j);
}

static void answer_listeners(struct request *rq, struct response *rs, const struct space_view *sv,
			     int only_if_allowed)
{
	struct acc_ctx c;
	char err[200] = "";
	enum mresult r;

	if (only_if_allowed && !listener_may_list(&rq->viewer, sv)) {
		/* a manager who may add but not list cannot exist; answer [] */
		resp_json(rs, 200, json_array());
		return;
	}
	mrender_init(&c.m, rq);
	c.arr = json_array();
	r = listener_list(&rq->viewer, sv, add_account, &c, err, sizeof err);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		answer_result(rq, rs, r, err);
		return;
	}
	resp_json(rs, 200, c.arr);
}

static int body_account(struct request *rq, struct response *rs, int64_t *id)
{
	const char *s = req_arg(rq, "account_id");

	if (!s || id_parse(s, id) < 0) {
		http_error(rq, rs, 422, "account_id must be an account id");
		return -1;
	}
	return 0;
}

static void listeners_add(struct request *rq, struct response *rs, const struct space_view *sv)
{
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (!listener_may_manage(&rq->viewer, sv)) {
		http_error(rq, rs, 403, "You may not change these listeners");
		return;
	}
	if (body_account(rq, rs, &id) < 0)
		return;
	r = listener_add(&rq->viewer, sv, id, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		answer_listeners(rq, rs, sv, 1);
}

static void listeners_remove(struct request *rq, struct response *rs, const struct space_view *sv)
{
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, "account", &id) < 0)
		return;
	r = listener_remove(&rq->viewer, sv, id, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		resp_json(rs, 200, json_array());
}

static void get_space_listeners(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		answer_listeners(rq, rs, &sv, 0);
}

static void post_space_listeners(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		listeners_add(rq, rs, &sv);
}

static void delete_space_listener(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		listeners_remove(rq, rs, &sv);
}

static void get_org_listeners(struct request *rq, struct response *rs)
{
	answer_listeners(rq, rs, NULL, 0);
}

static void post_org_listeners(struct request *rq, struct response *rs)
{
	listeners_add(rq, rs, NULL);
}

static void delete_org_listener(struct request *rq, struct response *rs)
{
	listeners_remove(rq, rs, NULL);
}

/* ---- the queue ----------------------------------------------------------- */

json_t *parley_queue_item_json(const struct request *rq, struct mrender *m, const struct queue_item_row *it)
{
	struct question_view qv;
	struct post_row p;
	char id[24], err[80];
	json_t *j = json_object(), *acc;
	int overdue = 0;

	json_object_set_new(j, "id", json_string(id_format(id, sizeof id, it->id)));
	json_object_set_new(j, "kind", json_string(it->kind));
	if (it->space_id) {
		struct space_view sv;

		if (space_lookup_id(&rq->viewer, it->space_id, &sv) == M_OK)
			json_object_set_new(j, "space", json_pack("{s:s, s:s, s:s}",
				"id", id_format(id, sizeof id, sv.s.id), "handle", sv.s.handle, "name", sv.s.name));
		else
			json_object_set_new(j, "space", json_null());
	} else {
		json_object_set_new(j, "space", json_null());
	}
	json_object_set_new(j, "state", json_string(it->state));
	acc = it->assignee_id ? mrender_account(m, it->assignee_id) : NULL;
	json_object_set_new(j, "assignee", acc ? acc : json_null());
	json_object_set_new(j, "assigned_at", it->assigned_at ? mastodon_date(it->assigned_at) : json_null());
	json_object_set_new(j, "snoozed_until", it->snoozed_until > time_now_ms() ?
			    mastodon_date(it->snoozed_until) : json_null());
	json_object_set_new(j, "matched", json_string(it->matched));
	json_object_set_new(j, "close_reason", json_string(it->close_reason));
	json_object_set_new(j, "created_at", mastodon_date(it->created_at));
	if (!strcmp(it->kind, "question") && question_lookup(&rq->viewer, it->post_id, &qv, err, sizeof err) == M_OK) {
		overdue = queue_question_overdue(qv.q.state, qv.q.due_at, qv.q.escalation_level, time_now_ms());
		json_object_set_new(j, "status", mrender_status(m, &qv.post) ?: json_null());
		json_object_set_new(j, "question", parley_question_json_m(rq, m, &qv, 0));
		question_view_release(&qv);
	} else {
		json_object_set_new(j, "question", json_null());
		if (audience_read_post(&rq->viewer, it->post_id, &p) == M_OK) {
			json_object_set_new(j, "status", mrender_status(m, &p) ?: json_null());
			post_row_release(&p);
		} else {
			json_object_set_new(j, "status", json_null());
		}
	}
	json_object_set_new(j, "overdue", json_boolean(overdue));
	return j;
}

struct queue_ctx {
	const struct request *rq;
	struct mrender m;
	json_t *arr;
	int64_t first;
};

static void add_item(const struct queue_item_row *it, void *ctx)
{
	struct queue_ctx *c = ctx;

	if (!c->first)
		c->first = it->id;
	json_array_append_new(c->arr, parley_queue_item_json(c->rq, &c->m, it));
}

static void get_queue(struct request *rq, struct response *rs)
{
	struct queue_list_request q;
	struct queue_ctx c;
	struct page pg;
	const char *view = params_get_nonempty(&rq->query, "view");
	const char *space = params_get_nonempty(&rq->query, "space");
	char err[200] = "";
	int64_t last = 0;
	enum mresult r;
	int vi;

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "max_id must be an id and limit a number");
		return;
	}
	vi = queue_view_parse(view ? view : "all");
	if (vi < 0) {
		http_error(rq, rs, 422, "view must be unassigned, assigned, mine, overdue, awaiting, mentions, closed or all");
		return;
	}
	memset(&q, 0, sizeof q);
	q.view = (enum queue_view)vi;
	q.max_id = pg.max_id;
	q.limit = timeline_limit(pg.limit, QUEUE_LIMIT_DEFAULT, QUEUE_LIMIT_MAX);
	if (space) {
		struct space_view sv;

		if (space_lookup(&rq->viewer, space, &sv) != M_OK) {
			http_error(rq, rs, 404, "Record not found");
			return;
		}
		q.space_id = sv.s.id;
	}
	memset(&c, 0, sizeof c);
	c.rq = rq;
	mrender_init(&c.m, rq);
	c.arr = json_array();
	r = queue_list(&rq->viewer, &q, add_item, &c, &last, err, sizeof err);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		answer_result(rq, rs, r, err);
		return;
	}
	if (json_array_size(c.arr) == (size_t)q.limit)
		page_link(rq, rs, c.first, last);
	resp_json(rs, 200, c.arr);
}

static void answer_item(struct request *rq, struct response *rs, const struct queue_item_row *it)
{
	struct mrender m;

	mrender_init(&m, rq);
	resp_json(rs, 200, parley_queue_item_json(rq, &m, it));
	mrender_release(&m);
}

static void get_queue_item(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	r = queue_get(&rq->viewer, id, &it, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		answer_item(rq, rs, &it);
}

struct actions_ctx {
	struct mrender m;
	json_t *arr;
};

static void add_action(const struct queue_action_row *a, void *ctx)
{
	struct actions_ctx *c = ctx;
	json_t *actor = a->actor_id ? mrender_account(&c->m, a->actor_id) : NULL;

	json_array_append_new(c->arr, json_pack("{s:o, s:s, s:s, s:o}", "actor", actor ? actor : json_null(),
						"action", a->action, "detail", a->detail,
						"created_at", mastodon_date(a->created_at)));
}

static void get_queue_actions(struct request *rq, struct response *rs)
{
	struct actions_ctx c;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	mrender_init(&c.m, rq);
	c.arr = json_array();
	r = queue_actions(&rq->viewer, id, add_action, &c, err, sizeof err);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		answer_result(rq, rs, r, err);
		return;
	}
	resp_json(rs, 200, c.arr);
}

static void item_done(struct request *rq, struct response *rs, enum mresult r, const char *err,
		      const struct queue_item_row *it)
{
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		answer_item(rq, rs, it);
}

static void post_queue_assign(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	char err[200] = "";
	const char *who = req_arg(rq, "account_id");
	int64_t id, acc;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	if (who && !strcmp(who, "me"))
		acc = rq->viewer.account.id;
	else if (!who || id_parse(who, &acc) < 0) {
		const char *user = req_arg(rq, "username");
		struct account_row a;

		if (!user || store_account_by_username(user[0] == '@' ? user + 1 : user, &a) != STORE_OK) {
			http_error(rq, rs, 422, "account_id must be an account id, or \"me\"");
			return;
		}
		acc = a.id;
	}
	item_done(rq, rs, queue_assign(&rq->viewer, id, acc, &it, err, sizeof err), err, &it);
}

static void post_queue_unassign(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	char err[200] = "";
	int64_t id;

	if (path_id(rq, rs, "id", &id) == 0)
		item_done(rq, rs, queue_unassign(&rq->viewer, id, &it, err, sizeof err), err, &it);
}

static void post_queue_snooze(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	char err[200] = "";
	const char *until = req_arg(rq, "until");
	long minutes = arg_long(rq, "minutes");
	int64_t id, at;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	if (until && *until) {
		if (time_parse_iso_any(until, &at) < 0) {
			http_error(rq, rs, 422, "until must be an ISO 8601 time");
			return;
		}
	} else if (minutes > 0 && minutes <= 60L * 24 * 365) {
		at = time_now_ms() + (int64_t)minutes * 60000;
	} else {
		http_error(rq, rs, 422, "Give minutes (1 to 525600) or until (an ISO 8601 time)");
		return;
	}
	item_done(rq, rs, queue_snooze(&rq->viewer, id, at, &it, err, sizeof err), err, &it);
}

static void post_queue_close(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	char err[200] = "";
	int64_t id;

	if (path_id(rq, rs, "id", &id) == 0)
		item_done(rq, rs, queue_close(&rq->viewer, id, req_arg(rq, "reason"), &it, err, sizeof err), err, &it);
}

static void post_queue_reopen(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	char err[200] = "";
	int64_t id;

	if (path_id(rq, rs, "id", &id) == 0)
		item_done(rq, rs, queue_reopen(&rq->viewer, id, &it, err, sizeof err), err, &it);
}

/* ---- the question entity's routing and assignee -------------------------- */

struct cand_ctx {
	struct mrender *m;
	json_t *arr;
};

static void add_candidate(const struct candidate_row *c, const struct account_row *a, void *ctx)
{
	struct cand_ctx *cc = ctx;
	json_t *acc = mrender_account(cc->m, a->id), *reasons;

	if (!acc)
		return;
	reasons = json_loads(c->reasons, 0, NULL);
	if (!json_is_array(reasons)) {
		json_decref(reasons);
		reasons = json_array();
	}
	json_array_append_new(cc->arr, json_pack("{s:o, s:i, s:f, s:o, s:b}", "account", acc, "rank", c->rank,
						 "score", c->score, "reasons", reasons,
						 "notified", c->notified_level >= 0));
}

static json_t *question_routing(const struct request *rq, struct mrender *m, const struct question_view *qv)
{
	struct routing_policy p;
	struct space_view sv;
	struct cand_ctx cc;
	char err[80];
	int in_space = qv->q.space_id > 0;

	if (!routing_may_see(&rq->viewer, qv->q.space_id))
		return NULL;
	if (in_space) {
		memset(&sv, 0, sizeof sv);
		sv.s.id = qv->q.space_id;
	}
	/* a listener, org listener or admin may read the policy of the scope */
	if (routing_policy_get(&rq->viewer, in_space ? &sv : NULL, &p, err, sizeof err) != M_OK)
		routing_policy_defaults(&p);
	cc.m = m;
	cc.arr = json_array();
	if (routing_candidates(qv->q.post_id, add_candidate, &cc) != M_OK) {
		json_decref(cc.arr);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "policy", policy_json(&p), "candidates", cc.arr);
}

json_t *parley_question_assignee(struct mrender *m, int64_t question_id)
{
	struct queue_item_row it;
	json_t *j;

	if (store_queue_item_of_question(question_id, &it) != STORE_OK || !it.assignee_id ||
	    strcmp(it.state, "open"))
		return json_null();
	j = mrender_account(m, it.assignee_id);
	return j ? j : json_null();
}

void parley_routing_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;
	const char *R = "read:statuses";
	const char *WR = "write:statuses";

	parley_question_routing = question_routing;
	router_add("GET", "/api/parley/v1/spaces/:space/routing", get_space_routing, W, R);
	router_add("PUT", "/api/parley/v1/spaces/:space/routing", put_space_routing, W, WR);
	router_add("GET", "/api/parley/v1/routing", get_org_routing, W, R);
	router_add("PUT", "/api/parley/v1/routing", put_org_routing, W, WR);
	router_add("GET", "/api/parley/v1/spaces/:space/listeners", get_space_listeners, W, R);
	router_add("POST", "/api/parley/v1/spaces/:space/listeners", post_space_listeners, W, WR);
	router_add("DELETE", "/api/parley/v1/spaces/:space/listeners/:account", delete_space_listener, W, WR);
	router_add("GET", "/api/parley/v1/listeners", get_org_listeners, W, R);
	router_add("POST", "/api/parley/v1/listeners", post_org_listeners, W, WR);
	router_add("DELETE", "/api/parley/v1/listeners/:account", delete_org_listener, W, WR);
	router_add("GET", "/api/parley/v1/queue", get_queue, W, R);
	router_add("GET", "/api/parley/v1/queue/:id", get_queue_item, W, R);
	router_add("GET", "/api/parley/v1/queue/:id/actions", get_queue_actions, W, R);
	router_add("POST", "/api/parley/v1/queue/:id/assign", post_queue_assign, W, WR);
	router_add("POST", "/api/parley/v1/queue/:id/unassign", post_queue_unassign, W, WR);
	router_add("POST", "/api/parley/v1/queue/:id/snooze", post_queue_snooze, W, WR);
	router_add("POST", "/api/parley/v1/queue/:id/close", post_queue_close, W, WR);
	router_add("POST", "/api/parley/v1/queue/:id/reopen", post_queue_reopen, W, WR);
}
