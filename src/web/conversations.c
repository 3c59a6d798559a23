/*
 * conversations.c - the pages of posts: the home timeline with its
 * composer, writing a post (with htmx or a plain form), the actions on a
 * post (favourite, bookmark, reblog, emoji reaction, delete), a post's
 * page with its thread, and editing a post.
 *
 * Every action works both ways: with htmx (HX-Request) the answer is the
 * fragment to swap in (the post again, or the new post and a fresh
 * composer); without JavaScript it is a redirect back to the page the form
 * was on ("next"), or, for a refused post, the page again with the error
 * and the text kept.
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "model/audience.h"
#include "model/post.h"
#include "model/timeline.h"
#include "web/page.h"
#include "web/post_view.h"
#include "web/web.h"

#include <stdio.h>
#include <string.h>

/* ---- home ------------------------------------------------------------- */

/* The "Load more" link after a page that came full. */
static void set_more(json_t *ctx, const char *base, const struct web_posts *w, int limit)
{
	char more[160], idbuf[24];

	if (w->n < limit || !w->last)
		return;
	snprintf(more, sizeof more, "%s?max_id=%s", base, id_format(idbuf, sizeof idbuf, w->last));
	json_object_set_new(ctx, "more", json_string(more));
}

/* The composer on the home page: new posts go to the top of #timeline. */
static json_t *home_composer(struct request *rq, const char *aud, const char *text,
			     const char *cw, const char *error)
{
	json_t *c = web_composer_json(rq, aud, text, cw, 0, error);

	json_object_set_new(c, "target", json_string("#timeline"));
	json_object_set_new(c, "swap", json_string("afterbegin"));
	return c;
}

static int query_max_id(struct request *rq, int64_t *max_id)
{
	const char *s = params_get_nonempty(&rq->query, "max_id");

	*max_id = 0;
	return s ? id_parse(s, max_id) : 0;
}

static void render_home(struct request *rq, struct response *rs, int status, json_t *composer)
{
	struct timeline_query q;
	struct web_posts w;
	json_t *ctx;
	enum mresult r;

	memset(&q, 0, sizeof q);
	q.kind = TL_HOME;
	q.limit = TIMELINE_LIMIT_DEFAULT;
	if (query_max_id(rq, &q.max_id) < 0) {
		json_decref(composer);
		http_error(rq, rs, 400, "max_id must be an id");
		return;
	}
	web_posts_init(&w, rq);
	r = timeline_read(&rq->viewer, &q, web_posts_add, &w);
	if (r != M_OK) {
		json_decref(w.arr);
		json_decref(composer);
		http_error(rq, rs, http_status_for(r), "Could not read the timeline");
		return;
	}
	ctx = json_pack("{s:o}", "posts", w.arr);
	set_more(ctx, "/", &w, q.limit);
	if (page_is_htmx(rq) && q.max_id) {
		json_decref(composer);
		page_fragment(rq, rs, status, "posts_page", ctx);
		return;
	}
	json_object_set_new(ctx, "composer", composer ? composer : home_composer(rq, NULL, NULL, NULL, NULL));
	page_render(rq, rs, status, "home", "Home", ctx);
}

static void get_home(struct request *rq, struct response *rs)
{
	if (!rq->viewer.signed_in) {
		page_redirect(rq, rs, store_account_count() ? "/signin" : "/setup", NULL);
		return;
	}
	render_home(rq, rs, 200, NULL);
}

/* ---- writing a post ----------------------------------------------------- */

static void render_post_page(struct request *rq, struct response *rs, int status, int64_t id,
			     json_t *composer);

/* The composer of the post page of `parent`: replies go to the end of
 * #replies. Its audience defaults to the parent's when the viewer may
 * use it. */
static json_t *reply_composer(struct request *rq, const struct post_row *parent, const char *aud,
			      const char *text, const char *cw, const char *error)
{
	json_t *c = web_composer_json(rq, aud ? aud : parent->audience, text, cw, parent->id, error);

	json_object_set_new(c, "target", json_string("#replies"));
	json_object_set_new(c, "swap", json_string("beforeend"));
	return c;
}

static void post_compose(struct request *rq, struct response *rs)
{
	const char *text = req_arg(rq, "text"), *cw = req_arg(rq, "spoiler_text");
	const char *aud = req_arg(rq, "audience"), *reply = req_arg(rq, "in_reply_to");
	struct post_input in;
	struct post_row parent, created;
	char err[256] = "";
	int64_t id = 0;
	enum mresult r = M_OK;
	int have_parent = 0;
	json_t *composer, *ctx;

	memset(&in, 0, sizeof in);
	in.text = text ? text : "";
	in.spoiler_text = cw ? cw : "";
	in.audience = aud && aud[0] ? audience_parse(aud) : -1;
	if (aud && aud[0] && in.audience < 0) {
		r = M_INVALID;
		snprintf(err, sizeof err, "Choose who can read the post");
	}
	if (reply && reply[0]) {
		if (id_parse(reply, &in.in_reply_to_id) < 0 ||
		    audience_read_post(&rq->viewer, in.in_reply_to_id, &parent) != M_OK) {
			http_error(rq, rs, 404, "The post you reply to is not there");
			return;
		}
		have_parent = 1;
	}
	if (r == M_OK && !in.text[0]) {
		r = M_INVALID;
		snprintf(err, sizeof err, "Write something first");
	}
	if (r == M_OK)
		r = post_create(&rq->viewer, &in, &id, err, sizeof err);
	if (r != M_OK && r != M_ERROR) {
		/* refused: the composer again, with the error and the text kept */
		composer = have_parent ? reply_composer(rq, &parent, aud, text, cw, err)
				       : home_composer(rq, aud, text, cw, err);
		if (page_is_htmx(rq)) {
			json_object_set_new(composer, "oob", json_true());
			page_fragment(rq, rs, 422, "compose_result", json_pack("{s:o}", "composer", composer));
		} else if (have_parent) {
			render_post_page(rq, rs, 422, parent.id, composer);
		} else {
			render_home(rq, rs, 422, composer);
		}
		if (have_parent)
			post_row_release(&parent);
		return;
	}
	if (r != M_OK) {
		if (have_parent)
			post_row_release(&parent);
		http_error(rq, rs, 500, err[0] ? err : "Could not save the post");
		return;
	}
	if (!page_is_htmx(rq)) {
		char path[128];

		if (have_parent) {
			struct account_row pa;

			if (store_account_get(parent.account_id, &pa) == STORE_OK)
				web_post_path(path, sizeof path, pa.username, parent.id);
			else
				snprintf(path, sizeof path, "/");
			post_row_release(&parent);
		} else {
			snprintf(path, sizeof path, "/");
		}
		page_redirect(rq, rs, path, "Your post is published.");
		return;
	}
	/* htmx: the new post, and a fresh composer out of band */
	composer = have_parent ? reply_composer(rq, &parent, aud, NULL, NULL, NULL)
			       : home_composer(rq, aud, NULL, NULL, NULL);
	json_object_set_new(composer, "oob", json_true());
	ctx = json_pack("{s:o}", "composer", composer);
	if (audience_read_post(&rq->viewer, id, &created) == M_OK) {
		json_t *pj = web_post_json(rq, &created, 0);

		if (pj)
			json_object_set_new(ctx, "post", pj);
		post_row_release(&created);
	}
	if (have_parent)
		post_row_release(&parent);
	page_fragment(rq, rs, 200, "compose_result", ctx);
}

/* ---- actions on a post -------------------------------------------------- */

/* The post named by the path's :id, when the viewer may read it. */
static int path_post(struct request *rq, struct response *rs, struct post_row *p)
{
	const char *s = req_param(rq, "id");
	int64_t id;

	if (!s || id_parse(s, &id) < 0 || audience_read_post(&rq->viewer, id, p) != M_OK) {
		http_error(rq, rs, 404, "There is no such post, or you may not read it");
		return -1;
	}
	return 0;
}

/* After an action: the post as it is now (htmx), or back to the page. */
static void answer_action(struct request *rq, struct response *rs, int64_t id, enum mresult r,
			  const char *err)
{
	struct post_row p;

	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err[0] ? err : "That did not work");
		return;
	}
	if (!page_is_htmx(rq)) {
		page_redirect(rq, rs, page_safe_next(req_arg(rq, "next")), NULL);
		return;
	}
	if (audience_read_post(&rq->viewer, id, &p) != M_OK) {
		http_error(rq, rs, 404, "There is no such post, or you may not read it");
		return;
	}
	page_fragment(rq, rs, 200, "post", web_post_json(rq, &p, 0));
	post_row_release(&p);
}

static int want_on(struct request *rq)
{
	return params_get_bool(&rq->form, "on", 1) != 0;
}

static void mark(struct request *rq, struct response *rs, enum post_mark m)
{
	struct post_row p;
	char err[256] = "";
	enum mresult r;

	if (path_post(rq, rs, &p) < 0)
		return;
	r = post_mark(&rq->viewer, p.id, m, want_on(rq), err, sizeof err);
	answer_action(rq, rs, p.id, r, err);
	post_row_release(&p);
}

static void post_favourite(struct request *rq, struct response *rs)
{
	mark(rq, rs, MARK_FAVOURITE);
}

static void post_bookmark(struct request *rq, struct response *rs)
{
	mark(rq, rs, MARK_BOOKMARK);
}

static void post_reblog_action(struct request *rq, struct response *rs)
{
	struct post_row p;
	char err[256] = "";
	int64_t rid;
	enum mresult r;

	if (path_post(rq, rs, &p) < 0)
		return;
	r = want_on(rq) ? post_reblog(&rq->viewer, p.id, &rid, err, sizeof err)
			: post_unreblog(&rq->viewer, p.id, err, sizeof err);
	answer_action(rq, rs, p.id, r, err);
	post_row_release(&p);
}

static void post_react_action(struct request *rq, struct response *rs)
{
	struct post_row p;
	const char *emoji = req_arg(rq, "emoji");
	char err[256] = "";
	enum mresult r;

	if (path_post(rq, rs, &p) < 0)
		return;
	r = post_react(&rq->viewer, p.id, emoji ? emoji : "", want_on(rq), err, sizeof err);
	answer_action(rq, rs, p.id, r, err);
	post_row_release(&p);
}

static void post_delete_action(struct request *rq, struct response *rs)
{
	struct post_row p;
	char err[256] = "", path[128];
	const char *next = page_safe_next(req_arg(rq, "next"));
	struct account_row a;
	enum mresult r;

	if (path_post(rq, rs, &p) < 0)
		return;
	r = post_delete(&rq->viewer, p.id, NULL, err, sizeof err);
	/* the deleted post's own page is gone: go home instead */
	if (store_account_get(p.account_id, &a) == STORE_OK &&
	    !strncmp(next, web_post_path(path, sizeof path, a.username, p.id), strlen(path)))
		next = "/";
	post_row_release(&p);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err[0] ? err : "Could not delete the post");
		return;
	}
	if (page_is_htmx(rq)) {
		/* an empty answer: the article is swapped out of the page */
		rs->status = 200;
		rs->content_type = "text/html; charset=utf-8";
		buf_reset(&rs->body);
		return;
	}
	page_redirect(rq, rs, next, "The post is deleted.");
}

/* ---- the post page ------------------------------------------------------ */

struct thread_ctx {
	struct request *rq;
	json_t *up, *down;
};

static void add_ancestor(const struct post_row *p, void *ctx)
{
	struct thread_ctx *t = ctx;
	json_t *j = web_post_json(t->rq, p, 0);

	if (j)
		json_array_append_new(t->up, j);
}

static void add_descendant(const struct post_row *p, void *ctx)
{
	struct thread_ctx *t = ctx;
	json_t *j = web_post_json(t->rq, p, 0);

	if (j)
		json_array_append_new(t->down, j);
}

/* The post `id` (which the viewer may read: checked again here) with its
 * thread; composer: the reply form to show (NULL: an empty one). */
static void render_post_page(struct request *rq, struct response *rs, int status, int64_t id,
			     json_t *composer)
{
	struct thread_ctx t = { rq, NULL, NULL };
	struct post_row p;
	json_t *pj, *ctx;
	char title[160];

	if (audience_read_post(&rq->viewer, id, &p) != M_OK) {
		json_decref(composer);
		http_error(rq, rs, 404, "There is no such post, or you may not read it");
		return;
	}
	pj = web_post_json(rq, &p, 1);
	if (!pj) {
		post_row_release(&p);
		json_decref(composer);
		http_error(rq, rs, 404, "There is no such post, or you may not read it");
		return;
	}
	t.up = json_array();
	t.down = json_array();
	if (timeline_context(&rq->viewer, id, add_ancestor, add_descendant, &t) != M_OK) {
		json_decref(t.up);
		json_decref(t.down);
		t.up = json_array();
		t.down = json_array();
	}
	if (!composer && rq->viewer.signed_in)
		composer = reply_composer(rq, &p, NULL, NULL, NULL, NULL);
	if (p.title && p.title[0])
		snprintf(title, sizeof title, "%s", p.title);
	else
		snprintf(title, sizeof title, "Post by @%s",
			 json_string_value(json_object_get(json_object_get(pj, "author"), "username")));
	ctx = json_pack("{s:o, s:b, s:o, s:o}", "post", pj, "has_ancestors", json_array_size(t.up) > 0,
			"ancestors", t.up, "descendants", t.down);
	if (composer)
		json_object_set_new(ctx, "composer", composer);
	post_row_release(&p);
	page_render(rq, rs, status, "post_page", title, ctx);
}

/* The post of a /@user/:id path, when it exists, the viewer may read it
 * and it is by that user (other combinations are 404s, like absent ones). */
static int user_post(struct request *rq, struct response *rs, struct post_row *p)
{
	const char *user = req_param(rq, "user");
	struct account_row a;

	if (path_post(rq, rs, p) < 0)
		return -1;
	if (!user || store_account_by_username(user, &a) != STORE_OK || a.id != p->account_id ||
	    p->reblog_of_id) {
		post_row_release(p);
		http_error(rq, rs, 404, "There is no such post, or you may not read it");
		return -1;
	}
	return 0;
}

static void get_post_page(struct request *rq, struct response *rs)
{
	struct post_row p;

	if (user_post(rq, rs, &p) < 0)
		return;
	render_post_page(rq, rs, 200, p.id, NULL);
	post_row_release(&p);
}

/* ---- articles and editing ----------------------------------------------- */

static void render_editor(struct request *rq, struct response *rs, int status, const char *action,
			  const char *page_title, const char *title, const char *body, const char *cw,
			  const char *aud, int editing, int article, const char *error)
{
	json_t *ctx = web_composer_json(rq, aud, body, cw, 0, error);

	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "heading", json_string(page_title));
	json_object_set_new(ctx, "title_value", json_string(title ? title : ""));
	json_object_set_new(ctx, "editing", json_boolean(editing));
	json_object_set_new(ctx, "article", json_boolean(article));
	page_render(rq, rs, status, "editor", page_title, ctx);
}

static void get_article_new(struct request *rq, struct response *rs)
{
	render_editor(rq, rs, 200, "/articles", "New article", NULL, NULL, NULL, NULL, 0, 1, NULL);
}

static void post_article(struct request *rq, struct response *rs)
{
	const char *title = req_arg(rq, "title"), *body = req_arg(rq, "text");
	const char *cw = req_arg(rq, "spoiler_text"), *aud = req_arg(rq, "audience");
	struct post_input in;
	char err[256] = "", path[128];
	int64_t id;
	enum mresult r = M_OK;

	memset(&in, 0, sizeof in);
	in.title = title ? title : "";
	in.text = body ? body : "";
	in.spoiler_text = cw ? cw : "";
	in.audience = aud && aud[0] ? audience_parse(aud) : -1;
	if (!in.title[0] || !in.text[0]) {
		r = M_INVALID;
		snprintf(err, sizeof err, "An article needs a title and a text");
	} else if (aud && aud[0] && in.audience < 0) {
		r = M_INVALID;
		snprintf(err, sizeof err, "Choose who can read the article");
	}
	if (r == M_OK)
		r = post_create(&rq->viewer, &in, &id, err, sizeof err);
	if (r != M_OK) {
		render_editor(rq, rs, http_status_for(r), "/articles", "New article", title, body, cw, aud,
			      0, 1, err);
		return;
	}
	page_redirect(rq, rs, web_post_path(path, sizeof path, rq->viewer.account.username, id),
		      "Your article is published.");
}

static void get_edit(struct request *rq, struct response *rs)
{
	struct post_row p;
	char action[160], path[128];

	if (user_post(rq, rs, &p) < 0)
		return;
	if (p.account_id != rq->viewer.account.id) {
		post_row_release(&p);
		http_error(rq, rs, 403, "Only the author can edit a post");
		return;
	}
	snprintf(action, sizeof action, "%s/edit", web_post_path(path, sizeof path,
		 rq->viewer.account.username, p.id));
	render_editor(rq, rs, 200, action, !strcmp(p.kind, "article") ? "Edit article" : "Edit post",
		      p.title, p.source, p.spoiler_text, p.audience, 1, !strcmp(p.kind, "article"), NULL);
	post_row_release(&p);
}

static void post_edit_form(struct request *rq, struct response *rs)
{
	const char *title = req_arg(rq, "title"), *body = req_arg(rq, "text");
	const char *cw = req_arg(rq, "spoiler_text");
	struct post_input in;
	struct post_row p;
	char err[256] = "", path[128], action[160];
	enum mresult r;
	int article;

	if (user_post(rq, rs, &p) < 0)
		return;
	article = !strcmp(p.kind, "article");
	memset(&in, 0, sizeof in);
	in.title = article ? (title ? title : "") : "";
	in.text = body ? body : "";
	in.spoiler_text = cw ? cw : "";
	in.audience = -1;
	r = post_edit(&rq->viewer, p.id, &in, err, sizeof err);
	web_post_path(path, sizeof path, rq->viewer.account.username, p.id);
	if (r != M_OK) {
		snprintf(action, sizeof action, "%s/edit", path);
		render_editor(rq, rs, http_status_for(r), action, article ? "Edit article" : "Edit post",
			      title, body, cw, p.audience, 1, article, err);
		post_row_release(&p);
		return;
	}
	post_row_release(&p);
	page_redirect(rq, rs, path, "Your changes are saved.");
}

void web_conversation_routes(void)
{
	router_add("GET", "/", get_home, 0, NULL);
	router_add("POST", "/posts", post_compose, ROUTE_AUTH, NULL);
	router_add("POST", "/posts/:id/favourite", post_favourite, ROUTE_AUTH, NULL);
	router_add("POST", "/posts/:id/bookmark", post_bookmark, ROUTE_AUTH, NULL);
	router_add("POST", "/posts/:id/reblog", post_reblog_action, ROUTE_AUTH, NULL);
	router_add("POST", "/posts/:id/react", post_react_action, ROUTE_AUTH, NULL);
	router_add("POST", "/posts/:id/delete", post_delete_action, ROUTE_AUTH, NULL);
	router_add("GET", "/articles/new", get_article_new, ROUTE_AUTH, NULL);
	router_add("POST", "/articles", post_article, ROUTE_AUTH, NULL);
	router_add("GET", "/@:user/:id", get_post_page, 0, NULL);
	router_add("GET", "/@:user/:id/edit", get_edit, ROUTE_AUTH, NULL);
	router_add("POST", "/@:user/:id/edit", post_edit_form, ROUTE_AUTH, NULL);
}
