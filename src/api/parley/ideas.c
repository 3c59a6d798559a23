/*
 * ideas.c - the Parley API of idea boards: /api/parley/v1/spaces/:space/ideas
 * (propose, board, flagged votes) and /api/parley/v1/ideas/:id (read,
 * edit, versions, comments, vote, status, merge). The contract is in
 * docs/API.md, "Ideas".
 *
 * Thin: the space comes from space_lookup() (404 for a space the viewer
 * may not see), every rule from model/idea.c, which answers M_NOTFOUND
 * for an idea the viewer may not read.
 */
#include "api/parley/parley.h"
#include "api/mastodon/mastodon.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/buf.h"
#include "lib/config.h"
#include "lib/id.h"
#include "model/audience.h"
#include "model/idea.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rendering --------------------------------------------------------------- */

/* The Idea entity (docs/API.md). New reference. */
static json_t *idea_json(const struct request *rq, struct mrender *m, const struct idea_row *r,
			 const struct space_view *sv)
{
	struct post_row p;
	struct buf url = BUF_INIT;
	char id[24], sid[24], mid[24];
	int author = rq->viewer.signed_in && rq->viewer.account.id == r->account_id;
	int have_post = audience_read_post(&rq->viewer, r->current_post_id, &p) == M_OK;
	json_t *j;

	buf_printf(&url, "%s/ideas/%s", rq->cfg ? rq->cfg->base_url : "", id_format(id, sizeof id, r->id));
	j = json_pack("{s:s, s:o, s:s, s:s, s:s, s:o, s:s, s:s, s:I, s:I, s:b, s:I, s:i, s:i, s:o, s:o, s:o, s:s, s:s}",
		      "id", id,
		      "space", sv ? parley_space_json(rq, sv) : json_null(),
		      "title", r->title,
		      "description", have_post ? p.content : "",
		      "category", r->category,
		      "account", mrender_account(m, r->account_id) ?: json_null(),
		      "status", r->status,
		      "status_explanation", r->status_explanation,
		      "votes_count", (json_int_t)r->votes_count,
		      "flagged_votes_count", (json_int_t)r->flagged_votes_count,
		      "my_vote", r->my_vote,
		      "comments_count", (json_int_t)r->comments_count,
		      "version", r->version,
		      "versions_count", r->version,
		      "merged_into", r->merged_into ? json_string(id_format(mid, sizeof mid, r->merged_into)) : json_null(),
		      "created_at", mastodon_date(r->created_at),
		      "updated_at", mastodon_date(r->updated_at),
		      "url", buf_str(&url),
		      "status_id", id_format(sid, sizeof sid, r->current_post_id));
	if (j && author && have_post)
		json_object_set_new(j, "description_source", json_string(p.source));
	if (j)
		json_object_set_new(j, "status_changed_at", r->status_changed_at ? mastodon_date(r->status_changed_at)
										  : json_null());
	if (have_post)
		post_row_release(&p);
	buf_release(&url);
	return j;
}

static void answer_result(struct request *rq, struct response *rs, enum mresult r, const char *err)
{
	http_error(rq, rs, r == M_CONFLICT ? 409 : http_status_for(r),
		   err && err[0] ? err : r == M_NOTFOUND ? "Record not found" : "Storage error");
}

static void answer_idea(struct request *rq, struct response *rs, const struct idea_row *r)
{
	struct space_view sv;
	struct mrender m;
	int have_sv = space_lookup_id(&rq->viewer, r->space_id, &sv) == M_OK;

	mrender_init(&m, rq);
	resp_json(rs, 200, idea_json(rq, &m, r, have_sv ? &sv : NULL));
	mrender_release(&m);
}

static int path_space(struct request *rq, struct response *rs, struct space_view *sv)
{
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "space"), sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Record not found");
		return -1;
	}
	return 0;
}

static int path_idea(struct request *rq, struct response *rs, int64_t *id)
{
	const char *s = req_param(rq, "id");

	if (!s || id_parse(s, id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void read_input(struct request *rq, struct idea_input *in)
{
	memset(in, 0, sizeof *in);
	in->title = req_arg(rq, "title");
	in->description = req_arg(rq, "description");
	in->category = req_arg(rq, "category");
	in->note = req_arg(rq, "note");
}

/* ---- the board ------------------------------------------------------------------ */

static void post_ideas(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct idea_input in;
	struct idea_row r;
	char err[200] = "";
	enum mresult res;

	if (path_space(rq, rs, &sv) < 0)
		return;
	read_input(rq, &in);
	in.note = NULL;
	res = idea_create(&rq->viewer, &sv, &in, &r, err, sizeof err);
	if (res != M_OK)
		answer_result(rq, rs, res, err);
	else
		answer_idea(rq, rs, &r);
}

struct list_ctx {
	const struct request *rq;
	struct mrender m;
	const struct space_view *sv;
	json_t *arr;
};

static void add_idea(const struct idea_row *r, void *ctx)
{
	struct list_ctx *c = ctx;
	json_t *j = idea_json(c->rq, &c->m, r, c->sv);

	if (j)
		json_array_append_new(c->arr, j);
}

static void get_ideas(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct idea_list_query q;
	struct list_ctx c;
	char err[200] = "";
	const char *lim = params_get_nonempty(&rq->query, "limit");
	const char *off = params_get_nonempty(&rq->query, "offset");
	int sort = idea_sort_parse(params_get_nonempty(&rq->query, "sort"));
	enum mresult r;
	char *end;

	if (path_space(rq, rs, &sv) < 0)
		return;
	memset(&q, 0, sizeof q);
	if (sort < 0) {
		http_error(rq, rs, 422, "sort must be trending, top or new");
		return;
	}
	q.sort = (enum idea_sort)sort;
	q.status = params_get_nonempty(&rq->query, "status");
	q.category = params_get_nonempty(&rq->query, "category");
	q.limit = 20;
	if (lim) {
		long n = strtol(lim, &end, 10);

		if (*end || n < 0) {
			http_error(rq, rs, 400, "limit must be a number");
			return;
		}
		q.limit = n > IDEA_LIST_MAX ? IDEA_LIST_MAX : (int)n;
	}
	if (off) {
		long n = strtol(off, &end, 10);

		if (*end || n < 0 || n > 100000) {
			http_error(rq, rs, 400, "offset must be a number");
			return;
		}
		q.offset = (int)n;
	}
	memset(&c, 0, sizeof c);
	c.rq = rq;
	c.sv = &sv;
	c.arr = json_array();
	mrender_init(&c.m, rq);
	r = idea_list(&rq->viewer, &sv, &q, add_idea, &c, err, sizeof err);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		answer_result(rq, rs, r, err);
		return;
	}
	resp_json(rs, 200, c.arr);
}

struct flag_ctx {
	const struct request *rq;
	struct mrender m;
	const struct space_view *sv;
	json_t *arr;
	int64_t last_id;
	json_t *last;
};

static void add_flag(const struct idea_flag_row *f, void *ctx)
{
	struct flag_ctx *c = ctx;
	struct idea_row r;
	json_t *acc;

	if (f->idea_id != c->last_id) {
		if (c->last)
			json_decref(c->last);
		c->last = NULL;
		c->last_id = f->idea_id;
		if (idea_read(&c->rq->viewer, f->idea_id, &r, NULL) == M_OK)
			c->last = idea_json(c->rq, &c->m, &r, c->sv);
	}
	acc = mrender_account(&c->m, f->account_id);
	if (!c->last || !acc) {
		if (acc)
			json_decref(acc);
		return;
	}
	json_array_append_new(c->arr, json_pack("{s:O, s:o, s:s, s:o}", "idea", c->last, "account", acc,
						"reason", f->flag, "created_at", mastodon_date(f->created_at)));
}

static void get_flagged(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct flag_ctx c;
	char err[200] = "";
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	memset(&c, 0, sizeof c);
	c.rq = rq;
	c.sv = &sv;
	c.arr = json_array();
	mrender_init(&c.m, rq);
	r = idea_flagged(&rq->viewer, &sv, add_flag, &c, err, sizeof err);
	if (c.last)
		json_decref(c.last);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		answer_result(rq, rs, r, err);
		return;
	}
	resp_json(rs, 200, c.arr);
}

/* ---- one idea ------------------------------------------------------------------- */

static void get_idea(struct request *rq, struct response *rs)
{
	struct idea_row r;
	int64_t id;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0)
		return;
	res = idea_read(&rq->viewer, id, &r, NULL);
	if (res != M_OK)
		answer_result(rq, rs, res, NULL);
	else
		answer_idea(rq, rs, &r);
}

static void patch_idea(struct request *rq, struct response *rs)
{
	struct idea_input in;
	struct idea_row r;
	char err[200] = "";
	int64_t id;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0)
		return;
	read_input(rq, &in);
	res = idea_update(&rq->viewer, id, &in, &r, err, sizeof err);
	if (res != M_OK)
		answer_result(rq, rs, res, err);
	else
		answer_idea(rq, rs, &r);
}

static void post_version(struct request *rq, struct response *rs)
{
	struct idea_input in;
	struct idea_row r;
	char err[200] = "";
	int64_t id;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0)
		return;
	read_input(rq, &in);
	in.category = NULL;
	res = idea_new_version(&rq->viewer, id, &in, &r, err, sizeof err);
	if (res != M_OK)
		answer_result(rq, rs, res, err);
	else
		answer_idea(rq, rs, &r);
}

struct ver_ctx {
	const struct request *rq;
	json_t *arr;
};

static void add_version(const struct idea_version_row *v, void *ctx)
{
	struct ver_ctx *c = ctx;
	struct post_row p;
	char pid[24];

	if (audience_read_post(&c->rq->viewer, v->post_id, &p) != M_OK)
		return;
	json_array_append_new(c->arr, json_pack("{s:i, s:s, s:s, s:s, s:o, s:s, s:I}",
		"version", v->version, "title", p.title, "description", p.content, "note", v->note,
		"created_at", mastodon_date(v->created_at), "status_id", id_format(pid, sizeof pid, v->post_id),
		"comments_count", (json_int_t)v->comments_count));
	post_row_release(&p);
}

static void get_versions(struct request *rq, struct response *rs)
{
	struct ver_ctx c = { rq, json_array() };
	int64_t id;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0) {
		json_decref(c.arr);
		return;
	}
	res = idea_versions(&rq->viewer, id, add_version, &c);
	if (res != M_OK) {
		json_decref(c.arr);
		answer_result(rq, rs, res, NULL);
		return;
	}
	resp_json(rs, 200, c.arr);
}

/* The version of the request (0: absent); -1 after answering 400. */
static int arg_version(struct request *rq, struct response *rs)
{
	const char *s = req_arg(rq, "version");
	char *end;
	long n;

	if (!s || !*s)
		return 0;
	n = strtol(s, &end, 10);
	if (*end || n < 1 || n > 100000) {
		http_error(rq, rs, 400, "version must be a number");
		return -1;
	}
	return (int)n;
}

static void post_comment(struct request *rq, struct response *rs)
{
	struct post_row p;
	struct mrender m;
	char err[200] = "";
	int64_t id, post_id;
	int version;
	enum mresult res;
	json_t *j = NULL;

	if (path_idea(rq, rs, &id) < 0 || (version = arg_version(rq, rs)) < 0)
		return;
	res = idea_comment(&rq->viewer, id, version, req_arg(rq, "body"), &post_id, err, sizeof err);
	if (res != M_OK) {
		answer_result(rq, rs, res, err);
		return;
	}
	mrender_init(&m, rq);
	if (audience_read_post(&rq->viewer, post_id, &p) == M_OK) {
		j = mrender_status(&m, &p);
		post_row_release(&p);
	}
	mrender_release(&m);
	resp_json(rs, 200, j ? j : json_object());
}

struct com_ctx {
	struct mrender m;
	json_t *arr;
};

static void add_comment(const struct post_row *p, int version, void *ctx)
{
	struct com_ctx *c = ctx;
	json_t *j = mrender_status(&c->m, p);

	(void)version;
	if (j)
		json_array_append_new(c->arr, j);
}

static void get_comments(struct request *rq, struct response *rs)
{
	struct com_ctx c;
	char err[200] = "";
	int64_t id;
	int version;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0 || (version = arg_version(rq, rs)) < 0)
		return;
	c.arr = json_array();
	mrender_init(&c.m, rq);
	res = idea_comments(&rq->viewer, id, version, add_comment, &c, err, sizeof err);
	mrender_release(&c.m);
	if (res != M_OK) {
		json_decref(c.arr);
		answer_result(rq, rs, res, err);
		return;
	}
	resp_json(rs, 200, c.arr);
}

static void vote(struct request *rq, struct response *rs, int on)
{
	struct idea_row r;
	char err[200] = "";
	int64_t id;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0)
		return;
	res = idea_vote(&rq->viewer, id, on, &r, err, sizeof err);
	if (res == M_LIMITED)
		resp_retry_after(rs, 600);
	if (res != M_OK)
		answer_result(rq, rs, res, err);
	else
		answer_idea(rq, rs, &r);
}

static void post_vote(struct request *rq, struct response *rs) { vote(rq, rs, 1); }
static void delete_vote(struct request *rq, struct response *rs) { vote(rq, rs, 0); }

static void post_status(struct request *rq, struct response *rs)
{
	struct idea_row r;
	char err[200] = "";
	int64_t id;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0)
		return;
	res = idea_set_status(&rq->viewer, id, req_arg(rq, "status"), req_arg(rq, "explanation"), &r,
			      err, sizeof err);
	if (res != M_OK)
		answer_result(rq, rs, res, err);
	else
		answer_idea(rq, rs, &r);
}

static void post_merge(struct request *rq, struct response *rs)
{
	struct idea_row r;
	const char *into_s = req_arg(rq, "into");
	char err[200] = "";
	int64_t id, into;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0)
		return;
	if (!into_s || id_parse(into_s, &into) < 0) {
		http_error(rq, rs, 422, "into must be an idea id");
		return;
	}
	res = idea_merge(&rq->viewer, id, into, &r, err, sizeof err);
	if (res != M_OK)
		answer_result(rq, rs, res, err);
	else
		answer_idea(rq, rs, &r);
}

void parley_ideas_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;
	const char *R = "read:statuses";
	const char *WR = "write:statuses";

	router_add("POST", "/api/parley/v1/spaces/:space/ideas", post_ideas, W, WR);
	router_add("GET", "/api/parley/v1/spaces/:space/ideas", get_ideas, ROUTE_API, R);
	router_add("GET", "/api/parley/v1/spaces/:space/ideas/flagged", get_flagged, W, R);
	router_add("GET", "/api/parley/v1/ideas/:id", get_idea, ROUTE_API, R);
	router_add("PATCH", "/api/parley/v1/ideas/:id", patch_idea, W, WR);
	router_add("GET", "/api/parley/v1/ideas/:id/versions", get_versions, ROUTE_API, R);
	router_add("POST", "/api/parley/v1/ideas/:id/versions", post_version, W, WR);
	router_add("GET", "/api/parley/v1/ideas/:id/comments", get_comments, ROUTE_API, R);
	router_add("POST", "/api/parley/v1/ideas/:id/comments", post_comment, W, WR);
	router_add("POST", "/api/parley/v1/ideas/:id/vote", post_vote, W, WR);
	router_add("DELETE", "/api/parley/v1/ideas/:id/vote", delete_vote, W, WR);
	router_add("POST", "/api/parley/v1/ideas/:id/status", post_status, W, WR);
	router_add("POST", "/api/parley/v1/ideas/:id/merge", post_merge, W, WR);
}
