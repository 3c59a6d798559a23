/*
 * questions.c - the Parley API of questions and answers (issue 7):
 * /api/parley/v1/questions, /spaces/:space/questions, /answers/:id/vote.
 * The contract is docs/API.md, "Questions".
 *
 * Thin: parse, ask model/question.c, render. The Question and Answer
 * entities are made here (parley_question_json, parley_answer_json) and
 * shared with the queue (Q2) and the metrics (L). Everything a viewer may
 * not read is 404, as if it did not exist (the model answers M_NOTFOUND).
 */
#include "api/parley/parley.h"
#include "api/mastodon/mastodon.h"
#include "api/mastodon/paging.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/buf.h"
#include "lib/config.h"
#include "lib/id.h"
#include "lib/json_list.h"
#include "lib/utf8.h"
#include "model/question.h"
#include "model/space.h"
#include "model/timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Q2 (routing) sets this to add "routing" for those who may see it. */
json_t *(*parley_question_routing)(const struct request *rq, struct mrender *m,
				   const struct question_view *qv) = NULL;

/* ---- entities ------------------------------------------------------------ */

static json_t *date_or_null(int64_t ms)
{
	return ms ? mastodon_date(ms) : json_null();
}

static json_t *id_or_null(int64_t id)
{
	char b[24];

	return id ? json_string(id_format(b, sizeof b, id)) : json_null();
}

static json_t *question_url(const struct request *rq, int64_t id)
{
	struct buf url = BUF_INIT;
	json_t *j;

	buf_printf(&url, "%s/questions/%lld", rq->cfg ? rq->cfg->base_url : "", (long long)id);
	j = json_string(buf_str(&url));
	buf_release(&url);
	return j;
}

json_t *parley_question_json_m(const struct request *rq, struct mrender *m,
			       const struct question_view *qv, int with_routing)
{
	const struct question_row *q = &qv->q;
	json_t *j = json_object(), *acc, *st;

	acc = mrender_account(m, q->account_id);
	st = mrender_status(m, &qv->post);
	json_object_set_new(j, "id", id_or_null(q->post_id));
	json_object_set_new(j, "title", json_string(q->title));
	json_object_set_new(j, "state", json_string(q->state));
	json_object_set_new(j, "close_reason", q->close_reason[0] ? json_string(q->close_reason) : json_null());
	json_object_set_new(j, "close_note", json_string(q->close_note));
	json_object_set_new(j, "duplicate_of", id_or_null(q->duplicate_of));
	json_object_set_new(j, "tags", json_list_split(q->tags, ' '));
	if (qv->in_space) {
		char sid[24];

		json_object_set_new(j, "space", json_pack("{s:s, s:s, s:s}",
			"id", id_format(sid, sizeof sid, qv->space.id),
			"handle", qv->space.handle, "name", qv->space.name));
	} else {
		json_object_set_new(j, "space", json_null());
	}
	json_object_set_new(j, "account", acc ? acc : json_null());
	json_object_set_new(j, "status", st ? st : json_null());
	json_object_set_new(j, "answers_count", json_integer(qv->answers_count));
	json_object_set_new(j, "accepted_answer_id", id_or_null(q->accepted_answer_id));
	json_object_set_new(j, "asked_at", mastodon_date(q->asked_at));
	json_object_set_new(j, "first_answer_at", date_or_null(q->first_answer_at));
	json_object_set_new(j, "resolved_at", date_or_null(q->resolved_at));
	json_object_set_new(j, "closed_at", date_or_null(q->closed_at));
	json_object_set_new(j, "due_at", date_or_null(q->due_at));
	json_object_set_new(j, "escalation_level", json_integer(q->escalation_level));
	/* Q2: the queue item's assignee (an account) when there is one */
	json_object_set_new(j, "assignee", parley_question_assignee(m, q->post_id));
	json_object_set_new(j, "url", question_url(rq, q->post_id));
	if (with_routing && parley_question_routing) {
		json_t *r = parley_question_routing(rq, m, qv);

		if (r)
			json_object_set_new(j, "routing", r);
	}
	return j;
}

json_t *parley_question_json(const struct request *rq, const struct question_view *qv, int with_routing)
{
	struct mrender m;
	json_t *j;

	mrender_init(&m, rq);
	j = parley_question_json_m(rq, &m, qv, with_routing);
	mrender_release(&m);
	return j;
}

json_t *parley_answer_json(struct mrender *m, const struct answer_view *av)
{
	json_t *j = json_object(), *acc = mrender_account(m, av->a.account_id), *st = mrender_status(m, &av->post);

	json_object_set_new(j, "id", id_or_null(av->a.post_id));
	json_object_set_new(j, "question_id", id_or_null(av->a.question_id));
	json_object_set_new(j, "account", acc ? acc : json_null());
	json_object_set_new(j, "status", st ? st : json_null());
	json_object_set_new(j, "score", json_integer(av->a.upvotes - av->a.downvotes));
	json_object_set_new(j, "upvotes", json_integer(av->a.upvotes));
	json_object_set_new(j, "downvotes", json_integer(av->a.downvotes));
	json_object_set_new(j, "my_vote", json_integer(av->my_vote));
	json_object_set_new(j, "accepted", json_boolean(av->a.accepted_at > 0));
	json_object_set_new(j, "created_at", mastodon_date(av->a.created_at));
	return j;
}

/* ---- helpers -------------------------------------------------------------- */

static void answer_error(struct request *rq, struct response *rs, enum mresult r, const char *err)
{
	http_error(rq, rs, http_status_for(r), err[0] ? err : "Storage error");
}

static int path_id(struct request *rq, struct response *rs, int64_t *id)
{
	const char *s = req_param(rq, "id");

	if (!s || id_parse(s, id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void answer_question(struct request *rq, struct response *rs, struct question_view *qv)
{
	resp_json(rs, 200, parley_question_json(rq, qv, 1));
	question_view_release(qv);
}

/* The answer to a model call that fills qv: the question, or the error. */
static void answer_result(struct request *rq, struct response *rs, enum mresult r,
			  struct question_view *qv, const char *err)
{
	if (r != M_OK)
		answer_error(rq, rs, r, err);
	else
		answer_question(rq, rs, qv);
}

#define TAGS_IN (QUESTION_TAGS_MAX + 1)   /* one more, to say "too many" */

/* The question fields of the body; *tags_given when "tags" was sent. */
static void read_input(struct request *rq, struct question_input *in, const char **tags)
{
	memset(in, 0, sizeof *in);
	in->title = req_arg(rq, "title");
	in->body = req_arg(rq, "body");
	in->visibility = req_arg(rq, "visibility");
	in->ntags = params_get_array(&rq->form, "tags", tags, TAGS_IN);
	if (!in->ntags)
		in->ntags = params_get_array(&rq->query, "tags", tags, TAGS_IN);
	in->tags = tags;
	in->tags_given = in->ntags || params_get(&rq->form, "tags") || params_get(&rq->form, "tags[]");
	/* an empty tags[] entry from a form means "no tags" */
	if (in->ntags == 1 && !tags[0][0])
		in->ntags = 0;
	in->app_id = rq->viewer.app_id;
}

static void ask(struct request *rq, struct response *rs, int64_t space_id)
{
	const char *tags[TAGS_IN];
	struct question_input in;
	struct question_view qv;
	char err[300] = "";
	enum mresult r;

	read_input(rq, &in, tags);
	in.space_id = space_id;
	if (!in.title || !in.body) {
		http_error(rq, rs, 422, !in.title ? "title is required" : "body is required");
		return;
	}
	r = question_create(&rq->viewer, &in, &qv, err, sizeof err);
	answer_result(rq, rs, r, &qv, err);
}

/* ---- handlers ---------------------------------------------------------------- */

static void post_questions(struct request *rq, struct response *rs)
{
	const char *space = req_arg(rq, "space");
	struct space_view sv;
	enum mresult r;

	if (!space || !space[0]) {
		ask(rq, rs, 0);
		return;
	}
	r = space_lookup(&rq->viewer, space, &sv);
	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Record not found");
		return;
	}
	ask(rq, rs, sv.s.id);
}

static void post_space_questions(struct request *rq, struct response *rs)
{
	struct space_view sv;
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "space"), &sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Record not found");
		return;
	}
	ask(rq, rs, sv.s.id);
}

struct list_ctx {
	const struct request *rq;
	struct mrender m;
	json_t *arr;
	int64_t first, last;
};

static void add_question(const struct question_view *qv, void *ctx)
{
	struct list_ctx *c = ctx;

	if (!c->first)
		c->first = qv->q.post_id;
	c->last = qv->q.post_id;
	json_array_append_new(c->arr, parley_question_json_m(c->rq, &c->m, qv, 0));
}

static void list_questions(struct request *rq, struct response *rs, int64_t space_id)
{
	struct question_filter f;
	struct list_ctx c;
	struct page pg;
	char err[200] = "";
	enum mresult r;

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "max_id must be an id and limit a number");
		return;
	}
	memset(&f, 0, sizeof f);
	f.space_id = space_id;
	f.state = params_get_nonempty(&rq->query, "state");
	f.tag = params_get_nonempty(&rq->query, "tag");
	f.q = params_get_nonempty(&rq->query, "q");
	f.mine = params_get_bool(&rq->query, "mine", 0) == 1;
	f.max_id = pg.max_id;
	f.limit = (int)timeline_limit(pg.limit, 20, 40);
	memset(&c, 0, sizeof c);
	c.rq = rq;
	c.arr = json_array();
	mrender_init(&c.m, rq);
	r = question_list(&rq->viewer, &f, add_question, &c, err, sizeof err);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		answer_error(rq, rs, r, err);
		return;
	}
	if (json_array_size(c.arr) == (size_t)f.limit)
		page_link(rq, rs, c.first, c.last);
	resp_json(rs, 200, c.arr);
}

static void get_questions(struct request *rq, struct response *rs)
{
	const char *space = params_get_nonempty(&rq->query, "space");
	struct space_view sv;

	if (space) {
		enum mresult r = space_lookup(&rq->viewer, space, &sv);

		if (r != M_OK) {
			http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Record not found");
			return;
		}
		list_questions(rq, rs, sv.s.id);
		return;
	}
	list_questions(rq, rs, 0);
}

static void get_space_questions(struct request *rq, struct response *rs)
{
	struct space_view sv;
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "space"), &sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Record not found");
		return;
	}
	list_questions(rq, rs, sv.s.id);
}

struct similar_ctx {
	const struct request *rq;
	json_t *arr;
};

/* A plain-text excerpt of Markdown: the first 200 characters on one line
 * (white space runs become one space), with "…" when cut. */
static json_t *excerpt(const char *src)
{
	struct buf out = BUF_INIT;
	const unsigned char *p = (const unsigned char *)src;
	size_t chars = 0;
	int space = 0;
	json_t *j;

	while (*p && chars < 200) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4, k;

		if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
			space = out.len > 0;
			p++;
			continue;
		}
		for (k = 1; k < len && p[k]; k++)
			;
		if (k < len)
			break;   /* a cut sequence at the very end */
		if (space) {
			buf_putc(&out, ' ');
			chars++;
			space = 0;
		}
		buf_append(&out, (const char *)p, len);
		p += len;
		chars++;
	}
	if (*p)
		buf_puts(&out, "\xe2\x80\xa6");
	j = !out.failed && utf8_valid(buf_str(&out), out.len) ? json_string(buf_str(&out)) : json_string("");
	buf_release(&out);
	return j;
}

static void add_similar(const struct question_view *qv, void *ctx)
{
	struct similar_ctx *c = ctx;
	json_t *ex = json_null();

	if (qv->q.accepted_answer_id) {
		struct answer_view av;
		char err[64];

		if (answer_lookup(&c->rq->viewer, qv->q.accepted_answer_id, &av, err, sizeof err) == M_OK) {
			ex = excerpt(av.post.source);
			answer_view_release(&av);
		}
	}
	json_array_append_new(c->arr, json_pack("{s:o, s:s, s:s, s:o, s:I, s:o}",
		"id", id_or_null(qv->q.post_id), "title", qv->q.title, "state", qv->q.state,
		"url", question_url(c->rq, qv->q.post_id), "answers_count", (json_int_t)qv->answers_count,
		"accepted_answer_excerpt", ex));
}

static void get_similar(struct request *rq, struct response *rs)
{
	const char *q = params_get_nonempty(&rq->query, "q");
	const char *ls = params_get_nonempty(&rq->query, "limit");
	struct similar_ctx c = { rq, json_array() };
	char err[200] = "";
	long limit = 5;
	enum mresult r;

	if (ls) {
		char *end;

		limit = strtol(ls, &end, 10);
		if (*end || limit < 1) {
			json_decref(c.arr);
			http_error(rq, rs, 400, "limit must be a number");
			return;
		}
		if (limit > 10)
			limit = 10;
	}
	r = q ? question_similar(&rq->viewer, q, (int)limit, add_similar, &c, err, sizeof err) : M_OK;
	if (r != M_OK) {
		json_decref(c.arr);
		answer_error(rq, rs, r, err);
		return;
	}
	resp_json(rs, 200, c.arr);
}

static void get_question(struct request *rq, struct response *rs)
{
	struct question_view qv;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = question_lookup(&rq->viewer, id, &qv, err, sizeof err);
	answer_result(rq, rs, r, &qv, err);
}

static void patch_question(struct request *rq, struct response *rs)
{
	const char *tags[TAGS_IN];
	struct question_input in;
	struct question_view qv;
	char err[300] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	read_input(rq, &in, tags);
	r = question_edit(&rq->viewer, id, &in, &qv, err, sizeof err);
	answer_result(rq, rs, r, &qv, err);
}

static void delete_question(struct request *rq, struct response *rs)
{
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = question_delete(&rq->viewer, id, err, sizeof err);
	if (r != M_OK)
		answer_error(rq, rs, r, err);
	else
		resp_json(rs, 200, json_object());
}

static void answer_answer(struct request *rq, struct response *rs, struct answer_view *av)
{
	struct mrender m;

	mrender_init(&m, rq);
	resp_json(rs, 200, parley_answer_json(&m, av));
	mrender_release(&m);
	answer_view_release(av);
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
	r = question_answer(&rq->viewer, id, body ? body : "", rq->viewer.app_id, &av, err, sizeof err);
	if (r != M_OK)
		answer_error(rq, rs, r, err);
	else
		answer_answer(rq, rs, &av);
}

struct answers_ctx {
	struct mrender m;
	json_t *arr;
};

static void add_answer(const struct answer_view *av, void *ctx)
{
	struct answers_ctx *c = ctx;

	json_array_append_new(c->arr, parley_answer_json(&c->m, av));
}

static void get_answers(struct request *rq, struct response *rs)
{
	struct answers_ctx c;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	c.arr = json_array();
	mrender_init(&c.m, rq);
	r = question_answers(&rq->viewer, id, add_answer, &c, err, sizeof err);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		answer_error(rq, rs, r, err);
		return;
	}
	resp_json(rs, 200, c.arr);
}

static void post_vote(struct request *rq, struct response *rs)
{
	const char *vs = req_arg(rq, "value");
	struct answer_view av;
	char err[200] = "";
	int64_t id;
	long value;
	char *end;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (!vs || !vs[0]) {
		http_error(rq, rs, 422, "value is required: 1, -1 or 0");
		return;
	}
	value = strtol(vs, &end, 10);
	if (*end || value < -1 || value > 1) {
		http_error(rq, rs, 422, "value must be 1, -1 or 0");
		return;
	}
	r = answer_vote(&rq->viewer, id, (int)value, &av, err, sizeof err);
	if (r != M_OK)
		answer_error(rq, rs, r, err);
	else
		answer_answer(rq, rs, &av);
}

static void post_accept(struct request *rq, struct response *rs)
{
	const char *as = req_arg(rq, "answer_id");
	struct question_view qv;
	char err[200] = "";
	int64_t id, aid;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (!as || id_parse(as, &aid) < 0) {
		http_error(rq, rs, 422, "answer_id is required");
		return;
	}
	r = question_accept(&rq->viewer, id, aid, &qv, err, sizeof err);
	answer_result(rq, rs, r, &qv, err);
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
	answer_result(rq, rs, r, &qv, err);
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
	if (dup && dup[0] && id_parse(dup, &dup_id) < 0) {
		http_error(rq, rs, 422, "duplicate_of must be a question's id");
		return;
	}
	r = question_close(&rq->viewer, id, req_arg(rq, "reason"), dup_id, req_arg(rq, "note"),
			   &qv, err, sizeof err);
	answer_result(rq, rs, r, &qv, err);
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
	answer_result(rq, rs, r, &qv, err);
}

void parley_questions_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;
	const char *R = "read:statuses";
	const char *WR = "write:statuses";

	router_add("POST", "/api/parley/v1/questions", post_questions, W, WR);
	router_add("GET", "/api/parley/v1/questions", get_questions, ROUTE_API, R);
	/* before /questions/:id, which would take "similar" as an id */
	router_add("GET", "/api/parley/v1/questions/similar", get_similar, ROUTE_API, R);
	router_add("GET", "/api/parley/v1/questions/:id", get_question, ROUTE_API, R);
	router_add("PATCH", "/api/parley/v1/questions/:id", patch_question, W, WR);
	router_add("DELETE", "/api/parley/v1/questions/:id", delete_question, W, WR);
	router_add("GET", "/api/parley/v1/questions/:id/answers", get_answers, ROUTE_API, R);
	router_add("POST", "/api/parley/v1/questions/:id/answers", post_answer, W, WR);
	router_add("POST", "/api/parley/v1/questions/:id/accept", post_accept, W, WR);
	router_add("POST", "/api/parley/v1/questions/:id/unaccept", post_unaccept, W, WR);
	router_add("POST", "/api/parley/v1/questions/:id/close", post_close, W, WR);
	router_add("POST", "/api/parley/v1/questions/:id/reopen", post_reopen, W, WR);
	router_add("POST", "/api/parley/v1/answers/:id/vote", post_vote, W, WR);
	router_add("POST", "/api/parley/v1/spaces/:space/questions", post_space_questions, W, WR);
	router_add("GET", "/api/parley/v1/spaces/:space/questions", get_space_questions, ROUTE_API, R);
}
