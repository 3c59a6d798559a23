/*
 * ideas.c - the pages of idea boards: a space's board (/s/:handle/ideas:
 * sort tabs, status and category filters, vote buttons, the form to
 * propose an idea), one idea (/ideas/:id: status and explanation, vote,
 * versions with their notes and comments, the author's "new version"
 * form, the status and merge forms of those who run the board), the
 * switch in the space's settings, and the forms behind them.
 *
 * Everything works without JavaScript (forms and redirects); with htmx
 * the vote button swaps itself in place (templates/idea_vote.html).
 * Every rule is model/idea.c's, as for the API (api/parley/ideas.c).
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/buf.h"
#include "lib/id.h"
#include "model/audience.h"
#include "model/idea.h"
#include "model/space.h"
#include "web/page.h"
#include "web/post_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = { "new", "under_review", "planned", "in_progress", "done", "declined" };
#define NSTATUS (sizeof status_names / sizeof status_names[0])

/* The context of one idea for the board and the idea page. */
static json_t *idea_ctx(struct request *rq, const struct idea_row *r, int show_flags, const char *next)
{
	struct account_row a;
	char id[24];
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:b, s:I, s:i, s:b, s:b, s:o, s:s}",
			      "id", id_format(id, sizeof id, r->id), "title", r->title, "category", r->category,
			      "status", r->status, "status_label", idea_status_label(r->status),
			      "status_explanation", r->status_explanation,
			      "votes_count", (json_int_t)r->votes_count,
			      "flagged_votes_count", (json_int_t)r->flagged_votes_count,
			      "show_flags", show_flags && r->flagged_votes_count > 0,
			      "my_vote", r->my_vote, "comments_count", (json_int_t)r->comments_count,
			      "version", r->version, "one_vote", r->votes_count == 1, "one_comment", r->comments_count == 1,
			      "created", page_time(r->created_at), "next", next ? next : "");

	if (j && store_account_get(r->account_id, &a) == STORE_OK &&
	    audience_may_name_account(&rq->viewer, &a)) {
		json_object_set_new(j, "author", json_pack("{s:s, s:s}", "username", a.username,
							   "display_name", a.display_name[0] ? a.display_name : a.username));
	}
	if (j && r->merged_into) {
		char m[24];

		json_object_set_new(j, "merged_into", json_string(id_format(m, sizeof m, r->merged_into)));
	}
	return j;
}

static int path_space(struct request *rq, struct response *rs, struct space_view *sv)
{
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "handle"), sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404,
			   r == M_ERROR ? "Could not read the space" : "There is no such space, or it is not for you");
		return -1;
	}
	return 0;
}

static int path_idea(struct request *rq, struct response *rs, int64_t *id)
{
	const char *s = req_param(rq, "id");

	if (!s || id_parse(s, id) < 0) {
		http_error(rq, rs, 404, "There is no such idea, or it is not for you");
		return -1;
	}
	return 0;
}

static void to_idea(struct request *rq, struct response *rs, int64_t id, const char *anchor,
		    enum mresult r, const char *err, const char *done)
{
	struct buf path = BUF_INIT;
	char ids[24];

	buf_printf(&path, "/ideas/%s%s", id_format(ids, sizeof ids, id), anchor ? anchor : "");
	page_redirect(rq, rs, buf_str(&path), r == M_OK ? done : err);
	buf_release(&path);
}

/* ---- the board ------------------------------------------------------------------ */

struct board_ctx {
	struct request *rq;
	json_t *arr;
	int show_flags;
	const char *next;
};

static void add_board_idea(const struct idea_row *r, void *ctx)
{
	struct board_ctx *c = ctx;
	json_t *j = idea_ctx(c->rq, r, c->show_flags, c->next);

	if (j)
		json_array_append_new(c->arr, j);
}

static void render_board(struct request *rq, struct response *rs, int status, struct space_view *sv,
			 const char *error, const char *title, const char *description, const char *category)
{
	static const char *const sorts[][2] = { { "trending", "Trending" }, { "top", "Top" }, { "new", "New" } };
	const char *sort_s = params_get_nonempty(&rq->query, "sort");
	const char *st = params_get_nonempty(&rq->query, "status");
	const char *cat = params_get_nonempty(&rq->query, "category");
	int sort = idea_sort_parse(sort_s);
	struct idea_list_query q;
	struct board_ctx c;
	struct buf next = BUF_INIT, base = BUF_INIT;
	json_t *ctx, *sj = json_array(), *stj = json_array();
	char err[200] = "";
	enum mresult r;
	size_t i;

	if (sort < 0 || (st && !idea_status_valid(st))) {
		json_decref(sj);
		json_decref(stj);
		http_error(rq, rs, 400, "Unknown sort or status");
		return;
	}
	buf_printf(&base, "/s/%s/ideas", sv->s.handle);
	buf_printf(&next, "%s", buf_str(&base));
	memset(&q, 0, sizeof q);
	q.sort = (enum idea_sort)sort;
	q.status = st;
	q.category = cat;
	q.limit = IDEA_LIST_MAX;
	c.rq = rq;
	c.arr = json_array();
	c.show_flags = idea_may_see_flags(&rq->viewer, sv);
	c.next = buf_str(&next);
	r = idea_list(&rq->viewer, sv, &q, add_board_idea, &c, err, sizeof err);
	if (r != M_OK) {
		json_decref(c.arr);
		json_decref(sj);
		json_decref(stj);
		buf_release(&next);
		buf_release(&base);
		http_error(rq, rs, r == M_NOTFOUND ? 404 : http_status_for(r),
			   r == M_NOTFOUND ? "Join the space to read its ideas" : err);
		return;
	}
	for (i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
		json_array_append_new(sj, json_pack("{s:s, s:s, s:b}", "value", sorts[i][0], "label", sorts[i][1],
						    "selected", (int)i == sort));
	for (i = 0; i < NSTATUS; i++)
		json_array_append_new(stj, json_pack("{s:s, s:s, s:b}", "value", status_names[i],
						     "label", idea_status_label(status_names[i]),
						     "selected", st && !strcmp(st, status_names[i])));
	ctx = json_pack("{s:{s:s, s:s}, s:o, s:o, s:o, s:s, s:s, s:b, s:b, s:b, s:b, s:s?, s:s, s:s, s:s}",
			"space", "handle", sv->s.handle, "name", sv->s.name,
			"ideas", c.arr, "sorts", sj, "statuses", stj,
			"category", cat ? cat : "", "sort", sorts[sort][0],
			"enabled", idea_board_enabled(sv->s.id),
			"may_propose", space_may_post(&rq->viewer, sv) && idea_board_enabled(sv->s.id),
			"show_flags", c.show_flags, "has_ideas", json_array_size(c.arr) > 0,
			"error", error, "f_title", title ? title : "", "f_description", description ? description : "",
			"f_category", category ? category : "");
	buf_release(&next);
	buf_release(&base);
	page_render(rq, rs, status, "ideas", "Ideas", ctx);
}

static void get_board(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		render_board(rq, rs, 200, &sv, NULL, NULL, NULL, NULL);
}

static void post_propose(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct idea_input in;
	struct idea_row r;
	char err[200] = "";
	enum mresult res;

	if (path_space(rq, rs, &sv) < 0)
		return;
	memset(&in, 0, sizeof in);
	in.title = req_arg(rq, "title");
	in.description = req_arg(rq, "description");
	in.category = req_arg(rq, "category");
	res = idea_create(&rq->viewer, &sv, &in, &r, err, sizeof err);
	if (res == M_OK) {
		to_idea(rq, rs, r.id, NULL, res, NULL, "Your idea is on the board.");
		return;
	}
	if (res == M_ERROR) {
		http_error(rq, rs, 500, err);
		return;
	}
	render_board(rq, rs, http_status_for(res), &sv, err, in.title, in.description, in.category);
}

static void post_switch(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct buf path = BUF_INIT;
	char err[200] = "";
	int on = req_arg_bool(rq, "on");
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	if (on < 0) {
		http_error(rq, rs, 400, "on must be 1 or 0");
		return;
	}
	r = idea_board_set(&rq->viewer, &sv, on, err, sizeof err);
	if (r == M_FORBIDDEN) {
		http_error(rq, rs, 403, err);
		return;
	}
	buf_printf(&path, "/s/%s/settings", sv.s.handle);
	page_redirect(rq, rs, buf_str(&path), r == M_OK ? (on ? "The idea board is on." : "The idea board is off.")
							: err);
	buf_release(&path);
}

/* ---- one idea ---------------------------------------------------------------------- */

struct page_ctx {
	struct request *rq;
	json_t *versions;
};

static void add_page_version(const struct idea_version_row *v, void *ctx)
{
	struct page_ctx *c = ctx;
	struct post_row p;
	json_t *j;

	if (audience_read_post(&c->rq->viewer, v->post_id, &p) != M_OK)
		return;
	j = json_pack("{s:i, s:s, s:s, s:s, s:o, s:o, s:I}", "version", v->version, "title", p.title,
		      "description", p.content, "note", v->note, "created", page_time(v->created_at),
		      "comments", json_array(), "comments_count", (json_int_t)v->comments_count);
	post_row_release(&p);
	if (j)
		json_array_append_new(c->versions, j);
}

static void add_page_comment(const struct post_row *p, int version, void *ctx)
{
	struct page_ctx *c = ctx;
	size_t i;

	for (i = 0; i < json_array_size(c->versions); i++) {
		json_t *v = json_array_get(c->versions, i);

		if (json_integer_value(json_object_get(v, "version")) == version) {
			json_t *pj = web_post_json(c->rq, p, 0);

			if (pj)
				json_array_append_new(json_object_get(v, "comments"), pj);
			return;
		}
	}
}

struct merged_ctx {
	json_t *arr;
};

static void add_merged(const struct idea_row *r, void *ctx)
{
	struct merged_ctx *c = ctx;
	char id[24];

	json_array_append_new(c->arr, json_pack("{s:s, s:s}", "id", id_format(id, sizeof id, r->id),
						"title", r->title));
}

static void get_idea_page(struct request *rq, struct response *rs)
{
	struct idea_row r;
	struct space_view sv;
	struct page_ctx pc;
	struct merged_ctx mc;
	struct buf next = BUF_INIT;
	json_t *ctx, *ij, *stj = json_array();
	char err[200] = "", ids[24];
	int64_t id;
	size_t i;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0) {
		json_decref(stj);
		return;
	}
	res = idea_read(&rq->viewer, id, &r, &sv);
	if (res != M_OK) {
		json_decref(stj);
		http_error(rq, rs, res == M_NOTFOUND ? 404 : 500,
			   res == M_NOTFOUND ? "There is no such idea, or it is not for you" : "Could not read the idea");
		return;
	}
	buf_printf(&next, "/ideas/%s", id_format(ids, sizeof ids, id));
	ij = idea_ctx(rq, &r, idea_may_see_flags(&rq->viewer, &sv), buf_str(&next));
	buf_release(&next);
	pc.rq = rq;
	pc.versions = json_array();
	idea_versions(&rq->viewer, id, add_page_version, &pc);
	idea_comments(&rq->viewer, id, 0, add_page_comment, &pc, err, sizeof err);
	/* the newest version first, marked current */
	{
		json_t *rev = json_array();

		for (i = json_array_size(pc.versions); i > 0; i--) {
			json_t *v = json_array_get(pc.versions, i - 1);

			json_object_set_new(v, "current", json_boolean(i == json_array_size(pc.versions)));
			json_object_set_new(v, "has_comments", json_boolean(json_array_size(json_object_get(v, "comments")) > 0));
			json_object_set_new(v, "may_comment", json_boolean(space_may_post(&rq->viewer, &sv)));
			json_object_set_new(v, "idea_id", json_string(ids));
			json_array_append(rev, v);
		}
		json_decref(pc.versions);
		pc.versions = rev;
	}
	if (json_array_size(pc.versions)) {
		json_t *cur = json_array_get(pc.versions, 0);

		json_object_set(ij, "description", json_object_get(cur, "description"));
	}
	mc.arr = json_array();
	idea_merged_from(&rq->viewer, id, add_merged, &mc);
	for (i = 0; i < NSTATUS; i++)
		json_array_append_new(stj, json_pack("{s:s, s:s, s:b}", "value", status_names[i],
						     "label", idea_status_label(status_names[i]),
						     "selected", !strcmp(r.status, status_names[i])));
	ctx = json_pack("{s:o, s:{s:s, s:s}, s:o, s:o, s:b, s:o, s:b, s:b, s:b, s:b, s:b}",
			"idea", ij, "space", "handle", sv.s.handle, "name", sv.s.name,
			"versions", pc.versions, "merged_from", mc.arr,
			"has_merged_from", json_array_size(mc.arr) > 0, "statuses", stj,
			"is_author", rq->viewer.signed_in && rq->viewer.account.id == r.account_id && !r.merged_into,
			"may_set_status", idea_may_set_status(&rq->viewer, &sv),
			"may_merge", idea_may_moderate(&rq->viewer, &sv) && !r.merged_into,
			"declined", !strcmp(r.status, "declined"),
			"is_new", !strcmp(r.status, "new"));
	page_render(rq, rs, 200, "idea", r.title, ctx);
}

static void post_vote(struct request *rq, struct response *rs)
{
	struct idea_row r;
	struct space_view sv;
	char err[200] = "";
	int64_t id;
	int on = req_arg_bool(rq, "on");
	const char *next = page_safe_next(req_arg(rq, "next"));
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0)
		return;
	res = idea_vote(&rq->viewer, id, on != 0, &r, err, sizeof err);
	if (res == M_NOTFOUND) {
		http_error(rq, rs, 404, "There is no such idea, or it is not for you");
		return;
	}
	if (page_is_htmx(rq)) {
		json_t *ctx;
		int flags;

		if (idea_read(&rq->viewer, id, &r, &sv) != M_OK) {
			http_error(rq, rs, 500, "Could not read the idea");
			return;
		}
		flags = idea_may_see_flags(&rq->viewer, &sv);
		ctx = idea_ctx(rq, &r, flags, next);
		if (res != M_OK)
			json_object_set_new(ctx, "vote_error", json_string(err));
		page_fragment(rq, rs, res == M_OK ? 200 : http_status_for(res), "idea_vote", ctx);
		return;
	}
	page_redirect(rq, rs, next, res == M_OK ? (on != 0 ? "Your vote counts." : "Your vote is withdrawn.") : err);
}

static void post_comment(struct request *rq, struct response *rs)
{
	const char *v = req_arg(rq, "version");
	char err[200] = "", anchor[32];
	int64_t id, post_id;
	long version = 0;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0)
		return;
	if (v && *v) {
		char *end;

		version = strtol(v, &end, 10);
		if (*end || version < 0 || version > 100000)
			version = 0;
	}
	res = idea_comment(&rq->viewer, id, (int)version, req_arg(rq, "body"), &post_id, err, sizeof err);
	if (res == M_NOTFOUND) {
		http_error(rq, rs, 404, "There is no such idea, or it is not for you");
		return;
	}
	snprintf(anchor, sizeof anchor, "#v%ld", version);
	to_idea(rq, rs, id, version ? anchor : NULL, res, err, "Your comment is posted.");
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
	memset(&in, 0, sizeof in);
	in.title = req_arg(rq, "title");
	in.description = req_arg(rq, "description");
	in.note = req_arg(rq, "note");
	res = idea_new_version(&rq->viewer, id, &in, &r, err, sizeof err);
	if (res == M_NOTFOUND) {
		http_error(rq, rs, 404, "There is no such idea, or it is not for you");
		return;
	}
	to_idea(rq, rs, id, NULL, res, err, "The new version is published.");
}

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
	if (res == M_NOTFOUND) {
		http_error(rq, rs, 404, "There is no such idea, or it is not for you");
		return;
	}
	if (res == M_FORBIDDEN) {
		http_error(rq, rs, 403, err);
		return;
	}
	to_idea(rq, rs, id, NULL, res, err, "The status is changed; everyone who cared is told.");
}

static void post_merge(struct request *rq, struct response *rs)
{
	struct idea_row r;
	const char *into_s = req_arg(rq, "into");
	char err[200] = "";
	int64_t id, into = 0;
	enum mresult res;

	if (path_idea(rq, rs, &id) < 0)
		return;
	if (into_s) {
		/* an idea's id, or its page's address */
		const char *slash = strrchr(into_s, '/');

		if (id_parse(slash ? slash + 1 : into_s, &into) < 0)
			into = 0;
	}
	res = into ? idea_merge(&rq->viewer, id, into, &r, err, sizeof err) : M_INVALID;
	if (!into)
		snprintf(err, sizeof err, "Give the id or address of the idea to merge into");
	if (res == M_NOTFOUND) {
		http_error(rq, rs, 404, "There is no such idea, or it is not for you");
		return;
	}
	if (res == M_FORBIDDEN) {
		http_error(rq, rs, 403, err);
		return;
	}
	to_idea(rq, rs, res == M_OK ? into : id, NULL, res, err, "Merged: the votes moved here.");
}

void web_idea_routes(void)
{
	router_add("GET", "/s/:handle/ideas", get_board, 0, NULL);
	router_add("POST", "/s/:handle/ideas", post_propose, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/ideas/board", post_switch, ROUTE_AUTH, NULL);
	router_add("GET", "/ideas/:id", get_idea_page, 0, NULL);
	router_add("POST", "/ideas/:id/vote", post_vote, ROUTE_AUTH, NULL);
	router_add("POST", "/ideas/:id/comments", post_comment, ROUTE_AUTH, NULL);
	router_add("POST", "/ideas/:id/versions", post_version, ROUTE_AUTH, NULL);
	router_add("POST", "/ideas/:id/status", post_status, ROUTE_AUTH, NULL);
	router_add("POST", "/ideas/:id/merge", post_merge, ROUTE_AUTH, NULL);
}
