/*
 * questions.c - the pages of questions and answers (issue 7): the list
 * (/questions, with a state filter and a search box), a space's questions
 * (/s/:handle/questions, with "Ask"), asking (/questions/new, with similar
 * resolved questions as you type the title: an htmx request to
 * /questions/similar, or the "Check for similar" button without
 * JavaScript), one question (/questions/:id: answers, votes, accept,
 * close and reopen), and the forms behind them.
 *
 * Thin, as the API (api/parley/questions.c): model/question.c decides
 * every action and answers "not found" for what the viewer may not read.
 * Posts are shown through web_post_json(), which applies the audience and
 * account-visibility rules once more.
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/buf.h"
#include "lib/id.h"
#include "lib/json_list.h"
#include "model/audience.h"
#include "model/question.h"
#include "model/queue.h"
#include "model/routing.h"
#include "model/space.h"
#include "store/store_spaces.h"
#include "web/page.h"
#include "web/post_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_PAGE 20

/* ---- contexts ---------------------------------------------------------- */

static const char *state_label(const char *state)
{
	if (!strcmp(state, "open"))
		return "Open";
	if (!strcmp(state, "answered"))
		return "Answered";
	if (!strcmp(state, "resolved"))
		return "Resolved";
	return "Closed";
}

static json_t *question_ctx(const struct question_view *qv)
{
	char id[24];
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:b, s:o}",
			      "id", id_format(id, sizeof id, qv->q.post_id),
			      "title", qv->q.title,
			      "state", qv->q.state,
			      "state_label", state_label(qv->q.state),
			      "tags", json_list_split(qv->q.tags, ' '),
			      "answers_count", (json_int_t)qv->answers_count,
			      "one", qv->answers_count == 1,
			      "asked", page_time(qv->q.asked_at));

	if (qv->in_space)
		json_object_set_new(j, "space", json_pack("{s:s, s:s}", "handle", qv->space.handle,
							  "name", qv->space.name));
	return j;
}

/* A question page's "not found", whatever the reason (never say which). */
static void not_found(struct request *rq, struct response *rs, enum mresult r)
{
	http_error(rq, rs, r == M_ERROR ? 500 : 404,
		   r == M_ERROR ? "Could not read the question" : "There is no such question, or it is not for you");
}

static int path_id(struct request *rq, struct response *rs, int64_t *id)
{
	const char *s = req_param(rq, "id");

	if (!s || id_parse(s, id) < 0) {
		not_found(rq, rs, M_NOTFOUND);
		return -1;
	}
	return 0;
}

static void back_to_question(struct request *rq, struct response *rs, int64_t id, enum mresult r,
			     const char *err, const char *done)
{
	char path[64];

	snprintf(path, sizeof path, "/questions/%lld", (long long)id);
	page_redirect(rq, rs, path, r == M_OK ? done : (err[0] ? err : "That did not work"));
}

/* ---- lists --------------------------------------------------------------- */

struct list_ctx {
	json_t *arr;
	int64_t last;
	int n;
};

static void add_question(const struct question_view *qv, void *ctx)
{
	struct list_ctx *c = ctx;

	json_array_append_new(c->arr, question_ctx(qv));
	c->last = qv->q.post_id;
	c->n++;
}

static void render_list(struct request *rq, struct response *rs, const struct space_view *sv)
{
	struct question_filter f;
	struct list_ctx c = { json_array(), 0, 0 };
	const char *state = params_get_nonempty(&rq->query, "state");
	const char *q = params_get_nonempty(&rq->query, "q");
	const char *max = params_get_nonempty(&rq->query, "max_id");
	static const char *const states[] = { "open", "answered", "resolved", "closed" };
	struct buf base = BUF_INIT, more = BUF_INIT;
	char err[200] = "";
	json_t *ctx, *tabs = json_array();
	enum mresult r;
	size_t i;

	memset(&f, 0, sizeof f);
	if (state) {
		for (i = 0; i < 4 && strcmp(state, states[i]); i++)
			;
		if (i == 4)
			state = NULL;
	}
	f.state = state;
	f.q = q;
	f.space_id = sv ? sv->s.id : 0;
	f.mine = params_get_bool(&rq->query, "mine", 0) == 1;
	f.limit = LIST_PAGE;
	if (max && id_parse(max, &f.max_id) < 0)
		f.max_id = 0;
	r = question_list(&rq->viewer, &f, add_question, &c, err, sizeof err);
	if (r != M_OK) {
		json_decref(c.arr);
		json_decref(tabs);
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	if (sv)
		buf_printf(&base, "/s/%s/questions", sv->s.handle);
	else
		buf_puts(&base, "/questions");
	for (i = 0; i < 4; i++)
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:b}", "value", states[i],
						      "label", state_label(states[i]),
						      "selected", state && !strcmp(state, states[i])));
	if (c.n == LIST_PAGE) {
		buf_printf(&more, "%s?max_id=%lld", buf_str(&base), (long long)c.last);
		if (state)
			buf_printf(&more, "&state=%s", state);
	}
	ctx = json_pack("{s:o, s:o, s:s, s:b, s:s, s:b}", "questions", c.arr, "states", tabs,
			"base", buf_str(&base), "all", !state && !f.mine, "q", q ? q : "", "mine", f.mine);
	if (more.len)
		json_object_set_new(ctx, "more", json_string(buf_str(&more)));
	if (sv) {
		json_object_set_new(ctx, "space", json_pack("{s:s, s:s}", "handle", sv->s.handle, "name", sv->s.name));
		json_object_set_new(ctx, "may_ask", json_boolean(rq->viewer.signed_in && space_may_post(&rq->viewer, sv) &&
								 sv->member && !sv->s.archived));
	} else {
		json_object_set_new(ctx, "may_ask", json_boolean(rq->viewer.signed_in));
	}
	buf_release(&base);
	buf_release(&more);
	page_render(rq, rs, 200, "questions", sv ? sv->s.name : "Questions", ctx);
}

static void get_questions(struct request *rq, struct response *rs)
{
	render_list(rq, rs, NULL);
}

static void get_space_questions(struct request *rq, struct response *rs)
{
	struct space_view sv;
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "handle"), &sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404,
			   r == M_ERROR ? "Could not read the space" : "There is no such space, or it is not for you");
		return;
	}
	render_list(rq, rs, &sv);
}

/* ---- similar (htmx fragment, or a page without JavaScript) --------------- */

static void add_similar(const struct question_view *qv, void *ctx)
{
	json_array_append_new(ctx, question_ctx(qv));
}

static json_t *similar_ctx(struct request *rq, const char *q)
{
	json_t *arr = json_array();
	char err[100];

	if (q && q[0])
		question_similar(&rq->viewer, q, 5, add_similar, arr, err, sizeof err);
	return json_pack("{s:b, s:o, s:b}", "has_similar", json_array_size(arr) > 0, "similar", arr,
			 "asked", q && q[0]);
}

static void get_similar(struct request *rq, struct response *rs)
{
	const char *q = params_get_nonempty(&rq->query, "q");

	if (!q)
		q = params_get_nonempty(&rq->query, "title");
	page_fragment(rq, rs, 200, "question_similar", similar_ctx(rq, q));
}

/* ---- asking ---------------------------------------------------------------- */

struct spaces_ctx {
	const struct viewer *v;
	json_t *arr;
	const char *selected;
};

static void add_space_option(const struct space_row *s, const struct space_member_row *m, void *ctx)
{
	struct spaces_ctx *c = ctx;
	struct space_view sv;

	memset(&sv, 0, sizeof sv);
	sv.s = *s;
	if (m) {
		sv.member = 1;
		sv.m = *m;
	}
	if (!m || s->archived || !space_may_post(c->v, &sv))
		return;
	json_array_append_new(c->arr, json_pack("{s:s, s:s, s:b}", "handle", s->handle, "name", s->name,
						"selected", c->selected && !strcmp(c->selected, s->handle)));
}

static void render_new(struct request *rq, struct response *rs, int status, const char *error)
{
	const struct viewer *v = &rq->viewer;
	const char *space = req_arg(rq, "space");
	const char *title = req_arg(rq, "title");
	struct spaces_ctx sc = { v, json_array(), space };
	struct space_query q;
	json_t *ctx;

	memset(&q, 0, sizeof q);
	q.viewer_id = v->account.id;
	q.staff = viewer_is_staff(v);
	q.mine = 1;
	q.limit = 200;
	store_space_list(&q, add_space_option, &sc);
	ctx = json_pack("{s:o, s:b, s:s, s:s, s:s, s:b}", "spaces", sc.arr, "staff", viewer_is_staff(v),
			"title", title ? title : "", "body", req_arg(rq, "body") ? req_arg(rq, "body") : "",
			"tags", req_arg(rq, "tags") ? req_arg(rq, "tags") : "",
			"public", req_arg(rq, "visibility") && !strcmp(req_arg(rq, "visibility"), "public"));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	{
		json_t *sim = similar_ctx(rq, title);

		json_object_update(ctx, sim);
		json_decref(sim);
	}
	page_render(rq, rs, status, "question_new", "Ask a question", ctx);
}

static void get_new(struct request *rq, struct response *rs)
{
	render_new(rq, rs, 200, NULL);
}

/* Tags typed in one field: split at commas and spaces. */
static size_t split_tags(char *s, const char **out, size_t max)
{
	size_t n = 0;
	char *p = s;

	while (*p && n < max) {
		char *start;

		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
		out[n++] = start;
	}
	return n;
}

static void post_new(struct request *rq, struct response *rs)
{
	const char *space = req_arg(rq, "space");
	const char *tags_in = req_arg(rq, "tags");
	const char *tags[QUESTION_TAGS_MAX + 1];
	struct question_input in;
	struct question_view qv;
	char tagbuf[2048], err[300] = "", path[64];
	enum mresult r;

	if (req_arg(rq, "check")) {   /* "Check for similar" without JavaScript */
		render_new(rq, rs, 200, NULL);
		return;
	}
	memset(&in, 0, sizeof in);
	in.title = req_arg(rq, "title") ? req_arg(rq, "title") : "";
	in.body = req_arg(rq, "body") ? req_arg(rq, "body") : "";
	in.visibility = req_arg(rq, "visibility");
	snprintf(tagbuf, sizeof tagbuf, "%s", tags_in ? tags_in : "");
	in.ntags = split_tags(tagbuf, tags, QUESTION_TAGS_MAX + 1);
	in.tags = tags;
	if (space && space[0]) {
		struct space_view sv;

		if (space_lookup(&rq->viewer, space, &sv) != M_OK) {
			render_new(rq, rs, 422, "There is no such space");
			return;
		}
		in.space_id = sv.s.id;
	}
	r = question_create(&rq->viewer, &in, &qv, err, sizeof err);
	if (r != M_OK) {
		render_new(rq, rs, http_status_for(r), err[0] ? err : "That did not work");
		return;
	}
	snprintf(path, sizeof path, "/questions/%lld", (long long)qv.q.post_id);
	question_view_release(&qv);
	page_redirect(rq, rs, path, "Your question is asked.");
}

/* ---- one question ----------------------------------------------------------- */

struct cand_ctx {
	const struct viewer *v;
	json_t *arr;
};

static void add_candidate(const struct candidate_row *c, const struct account_row *a, void *ctx)
{
	struct cand_ctx *cc = ctx;
	json_t *reasons;
	char score[32];

	if (!audience_may_name_account(cc->v, a))
		return;
	reasons = json_loads(c->reasons, 0, NULL);
	if (!json_is_array(reasons)) {
		json_decref(reasons);
		reasons = json_array();
	}
	snprintf(score, sizeof score, "%.2f", c->score);
	json_array_append_new(cc->arr, json_pack("{s:i, s:s, s:s, s:s, s:o, s:b}", "rank", c->rank,
		"username", a->username, "display_name", a->display_name[0] ? a->display_name : a->username,
		"score", score, "reasons", reasons, "notified", c->notified_level >= 0));
}

/* The "Routing" section for those who may see it (routing_may_see():
 * the scope's listeners, org listeners, admins); NULL for anyone else. */
static json_t *routing_ctx(struct request *rq, const struct question_view *qv)
{
	struct cand_ctx cc = { &rq->viewer, NULL };
	struct queue_item_row it;
	json_t *j;
	char id[24];

	if (!rq->viewer.signed_in || !routing_may_see(&rq->viewer, qv->q.space_id))
		return NULL;
	cc.arr = json_array();
	routing_candidates(qv->q.post_id, add_candidate, &cc);
	j = json_pack("{s:o, s:b, s:i, s:o}", "candidates", cc.arr, "has_candidates", json_array_size(cc.arr) > 0,
		      "escalation_level", qv->q.escalation_level, "due", page_time(qv->q.due_at));
	if (qv->q.policy_mode[0])
		json_object_set_new(j, "mode", json_string(qv->q.policy_mode));
	if (store_queue_item_of_question(qv->q.post_id, &it) == STORE_OK && queue_may_see(&rq->viewer, &it)) {
		json_object_set_new(j, "item_id", json_string(id_format(id, sizeof id, it.id)));
		if (it.assignee_id && !strcmp(it.state, "open")) {
			struct account_row a;

			if (store_account_get(it.assignee_id, &a) == STORE_OK && audience_may_name_account(&rq->viewer, &a))
				json_object_set_new(j, "assignee", json_pack("{s:s, s:s}", "username", a.username,
					"display_name", a.display_name[0] ? a.display_name : a.username));
		}
	}
	return j;
}

struct answers_ctx {
	struct request *rq;
	json_t *arr;
	int may_accept;
	int64_t me;
};

static void add_answer(const struct answer_view *av, void *ctx)
{
	struct answers_ctx *c = ctx;
	json_t *post = web_post_json(c->rq, &av->post, 1);
	char id[24], qid[24];

	if (!post)
		return;
	json_array_append_new(c->arr, json_pack("{s:s, s:s, s:o, s:I, s:b, s:b, s:b, s:b, s:b}",
		"id", id_format(id, sizeof id, av->a.post_id),
		"question_id", id_format(qid, sizeof qid, av->a.question_id), "post", post,
		"score", (json_int_t)(av->a.upvotes - av->a.downvotes),
		"accepted", av->a.accepted_at > 0,
		"up", av->my_vote > 0, "down", av->my_vote < 0,
		"may_vote", c->me && c->me != av->a.account_id,
		"may_accept", c->may_accept));
}

static void get_question(struct request *rq, struct response *rs)
{
	struct question_view qv;
	struct answers_ctx ac;
	char err[200] = "";
	int64_t id;
	json_t *ctx, *post;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = question_lookup(&rq->viewer, id, &qv, err, sizeof err);
	if (r != M_OK) {
		not_found(rq, rs, r);
		return;
	}
	memset(&ac, 0, sizeof ac);
	ac.rq = rq;
	ac.arr = json_array();
	ac.may_accept = qv.may_accept && strcmp(qv.q.state, "closed");
	ac.me = rq->viewer.signed_in ? rq->viewer.account.id : 0;
	question_answers(&rq->viewer, id, add_answer, &ac, err, sizeof err);
	ctx = question_ctx(&qv);
	post = web_post_json(rq, &qv.post, 1);
	json_object_set_new(ctx, "post", post ? post : json_null());
	json_object_set_new(ctx, "answers", ac.arr);
	json_object_set_new(ctx, "may_answer", json_boolean(qv.may_answer));
	json_object_set_new(ctx, "may_close", json_boolean(qv.may_close && strcmp(qv.q.state, "closed")));
	json_object_set_new(ctx, "may_reopen", json_boolean(qv.may_close && !strcmp(qv.q.state, "closed")));
	json_object_set_new(ctx, "may_unaccept", json_boolean(ac.may_accept && qv.q.accepted_answer_id));
	json_object_set_new(ctx, "may_delete", json_boolean(qv.may_delete));
	json_object_set_new(ctx, "closed", json_boolean(!strcmp(qv.q.state, "closed")));
	if (qv.q.close_reason[0]) {
		json_object_set_new(ctx, "close_reason", json_string(!strcmp(qv.q.close_reason, "duplicate") ? "a duplicate"
								      : !strcmp(qv.q.close_reason, "out_of_scope") ? "out of scope"
								      : "other"));
		json_object_set_new(ctx, "close_note", json_string(qv.q.close_note));
	}
	if (qv.q.duplicate_of) {
		struct question_view dv;

		/* the original is linked only when this viewer may read it */
		if (question_lookup(&rq->viewer, qv.q.duplicate_of, &dv, err, sizeof err) == M_OK) {
			json_object_set_new(ctx, "duplicate", question_ctx(&dv));
			question_view_release(&dv);
		}
	}
	{
		json_t *routing = routing_ctx(rq, &qv);

		if (routing)
			json_object_set_new(ctx, "routing", routing);
	}
	page_render(rq, rs, 200, "question", qv.q.title, ctx);
	question_view_release(&qv);
}

static void post_answer(struct request *rq, struct response *rs)
{
	const char *body = req_arg(rq, "body");
	struct answer_view av;
	char err[300] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = question_answer(&rq->viewer, id, body ? body : "", 0, &av, err, sizeof err);
	if (r == M_OK)
		answer_view_release(&av);
	if (r == M_NOTFOUND) {
		not_found(rq, rs, r);
		return;
	}
	back_to_question(rq, rs, id, r, err, "Your answer is posted.");
}

static void post_vote(struct request *rq, struct response *rs)
{
	const char *vs = req_arg(rq, "value");
	struct answer_view av;
	char err[200] = "";
	int64_t id, qid;
	long value = vs ? strtol(vs, NULL, 10) : 0;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = answer_lookup(&rq->viewer, id, &av, err, sizeof err);
	if (r != M_OK) {
		not_found(rq, rs, r);
		return;
	}
	qid = av.a.question_id;
	answer_view_release(&av);
	/* the page sends 0 when the viewer presses the vote they already gave */
	r = answer_vote(&rq->viewer, id, (int)value, &av, err, sizeof err);
	if (r == M_OK)
		answer_view_release(&av);
	back_to_question(rq, rs, qid, r, err, "Your vote is counted.");
}

static void post_accept(struct request *rq, struct response *rs)
{
	const char *as = req_arg(rq, "answer_id");
	struct question_view qv;
	char err[200] = "";
	int64_t id, aid = 0;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (as)
		id_parse(as, &aid);
	r = question_accept(&rq->viewer, id, aid, &qv, err, sizeof err);
	if (r == M_OK)
		question_view_release(&qv);
	if (r == M_NOTFOUND) {
		not_found(rq, rs, r);
		return;
	}
	back_to_question(rq, rs, id, r, err, "The answer is accepted.");
}

static void post_unaccept(struct request *rq, struct response *rs)
{
	struct question_view qv;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = question_unaccept(&rq->viewer, id, &qv, err, sizeof err);
	if (r == M_OK)
		question_view_release(&qv);
	if (r == M_NOTFOUND) {
		not_found(rq, rs, r);
		return;
	}
	back_to_question(rq, rs, id, r, err, "The answer is no longer accepted.");
}

static void post_close(struct request *rq, struct response *rs)
{
	const char *dup = req_arg(rq, "duplicate_of");
	struct question_view qv;
	char err[200] = "";
	int64_t id, dup_id = 0;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (dup && dup[0]) {
		/* an id, or a link to the original question */
		const char *slash = strrchr(dup, '/');

		if (id_parse(slash ? slash + 1 : dup, &dup_id) < 0)
			dup_id = -1;
	}
	r = question_close(&rq->viewer, id, req_arg(rq, "reason"), dup_id, req_arg(rq, "note"), &qv,
			   err, sizeof err);
	if (r == M_OK)
		question_view_release(&qv);
	if (r == M_NOTFOUND && !dup_id) {
		not_found(rq, rs, r);
		return;
	}
	back_to_question(rq, rs, id, r, err, "The question is closed.");
}

static void post_reopen(struct request *rq, struct response *rs)
{
	struct question_view qv;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = question_reopen(&rq->viewer, id, &qv, err, sizeof err);
	if (r == M_OK)
		question_view_release(&qv);
	if (r == M_NOTFOUND) {
		not_found(rq, rs, r);
		return;
	}
	back_to_question(rq, rs, id, r, err, "The question is open again.");
}

static void post_delete(struct request *rq, struct response *rs)
{
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = question_delete(&rq->viewer, id, err, sizeof err);
	if (r == M_NOTFOUND) {
		not_found(rq, rs, r);
		return;
	}
	if (r != M_OK) {
		back_to_question(rq, rs, id, r, err, "");
		return;
	}
	page_redirect(rq, rs, "/questions", "The question is deleted.");
}

void web_question_routes(void)
{
	router_add("GET", "/questions", get_questions, 0, NULL);
	router_add("GET", "/questions/new", get_new, ROUTE_AUTH, NULL);
	router_add("POST", "/questions/new", post_new, ROUTE_AUTH, NULL);
	router_add("GET", "/questions/similar", get_similar, 0, NULL);
	router_add("GET", "/questions/:id", get_question, 0, NULL);
	router_add("POST", "/questions/:id/answers", post_answer, ROUTE_AUTH, NULL);
	router_add("POST", "/questions/:id/accept", post_accept, ROUTE_AUTH, NULL);
	router_add("POST", "/questions/:id/unaccept", post_unaccept, ROUTE_AUTH, NULL);
	router_add("POST", "/questions/:id/close", post_close, ROUTE_AUTH, NULL);
	router_add("POST", "/questions/:id/reopen", post_reopen, ROUTE_AUTH, NULL);
	router_add("POST", "/questions/:id/delete", post_delete, ROUTE_AUTH, NULL);
	router_add("POST", "/answers/:id/vote", post_vote, ROUTE_AUTH, NULL);
	router_add("GET", "/s/:handle/questions", get_space_questions, 0, NULL);
}
