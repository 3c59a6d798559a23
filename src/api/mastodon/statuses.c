/*
 * statuses.c - /api/v1/statuses: create, read, edit, delete, thread
 * context, history, source, and the actions on a status (favourite,
 * reblog, bookmark, pin, Parley's emoji reactions), plus /api/v1/polls.
 *
 * Visibility on create (docs/API.md): "public" -> public; "unlisted" ->
 * organisation for staff, followers for guests; "private" -> followers;
 * "direct" -> direct; "organisation" is accepted too. Without one, the
 * account's default applies (organisation for staff), which is also what
 * verify_credentials' source.privacy says ("unlisted"), so an app never
 * makes a staff post public unless the user chose "public".
 */
#include "api/mastodon/mastodon.h"
#include "api/mastodon/paging.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "model/audience.h"
#include "model/filter.h"
#include "model/post.h"
#include "model/timeline.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers shared by the handlers below --------------------------- */

static int path_id(struct request *rq, struct response *rs, int64_t *id)
{
	const char *s = req_param(rq, "id");

	if (!s || id_parse(s, id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void answer_error(struct request *rq, struct response *rs, enum mresult r, const char *err)
{
	http_error(rq, rs, http_status_for(r), err[0] ? err : "Error");
}

/* Answer with the status `id` as the viewer sees it now. */
static void answer_status(struct request *rq, struct response *rs, int64_t id)
{
	struct post_row p;
	struct mrender m;
	json_t *j;
	enum mresult r = audience_read_post(&rq->viewer, id, &p);

	if (r != M_OK) {
		http_error(rq, rs, r == M_NOTFOUND ? 404 : 500, r == M_NOTFOUND ? "Record not found" : "Storage error");
		return;
	}
	mrender_init(&m, rq);
	j = mrender_status(&m, &p);
	mrender_release(&m);
	post_row_release(&p);
	if (!j) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	resp_json(rs, 200, j);
}

int mastodon_parse_visibility(const struct request *rq, const char *vis, int *out, char *err, size_t errlen)
{
	int staff = viewer_is_staff(&rq->viewer);

	if (!vis || !vis[0])
		*out = -1;
	else if (!strcmp(vis, "public"))
		*out = AUDIENCE_PUBLIC;
	else if (!strcmp(vis, "unlisted"))
		*out = staff ? AUDIENCE_ORGANISATION : AUDIENCE_FOLLOWERS;
	else if (!strcmp(vis, "private") || !strcmp(vis, "followers"))
		*out = AUDIENCE_FOLLOWERS;
	else if (!strcmp(vis, "direct"))
		*out = AUDIENCE_DIRECT;
	else if (!strcmp(vis, "organisation"))
		*out = AUDIENCE_ORGANISATION;
	else {
		snprintf(err, errlen, "Visibility must be public, unlisted, private, direct, organisation or followers");
		return -1;
	}
	return 0;
}

static int parse_bool(const struct request *rq, const char *key, int def, int *out,
		      char *err, size_t errlen)
{
	int b = req_arg_bool(rq, key);

	if (b == -1)
		b = def;
	if (b < 0) {
		snprintf(err, errlen, "%s must be true or false", key);
		return -1;
	}
	*out = b;
	return 0;
}

/* Fill a post_input from the request (form, JSON or query). */
static int parse_input(struct request *rq, struct post_input *in, int creating, char *err, size_t errlen)
{
	const char *ids[POST_MEDIA_MAX + 2];
	const char *s;
	size_t n, i;

	memset(in, 0, sizeof *in);
	in->audience = -1;
	in->text = req_arg(rq, "status");
	in->spoiler_text = req_arg(rq, "spoiler_text");
	in->title = req_arg(rq, "parley_title");
	if (!in->title)
		in->title = req_arg(rq, "parley[title]");
	in->language = req_arg(rq, "language");
	if (in->language && strlen(in->language) > 15) {
		snprintf(err, errlen, "language must be an ISO 639 code");
		return -1;
	}
	if (parse_bool(rq, "sensitive", 0, &in->sensitive, err, errlen) < 0)
		return -1;
	if (creating) {
		if (mastodon_parse_visibility(rq, req_arg(rq, "visibility"), &in->audience, err, errlen) < 0)
			return -1;
		s = req_arg(rq, "parley_space_id");
		if (!s)
			s = req_arg(rq, "parley[space_id]");
		if (s && s[0] && id_parse(s, &in->space_id) < 0) {
			snprintf(err, errlen, "parley_space_id is not an id");
			return -1;
		}
		s = req_arg(rq, "in_reply_to_id");
		if (s && s[0] && id_parse(s, &in->in_reply_to_id) < 0) {
			snprintf(err, errlen, "in_reply_to_id is not an id");
			return -1;
		}
		s = req_arg(rq, "quoted_status_id");
		if (!s)
			s = req_arg(rq, "quote_id");
		if (s && s[0] && id_parse(s, &in->quote_of_id) < 0) {
			snprintf(err, errlen, "quoted_status_id is not an id");
			return -1;
		}
		in->app_id = rq->viewer.app_id;
	}
	n = params_get_array(&rq->form, "media_ids", ids, POST_MEDIA_MAX + 2);
	if (!n)
		n = params_get_array(&rq->query, "media_ids", ids, POST_MEDIA_MAX + 2);
	if (n > POST_MEDIA_MAX) {
		snprintf(err, errlen, "At most %d attachments", POST_MEDIA_MAX);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (id_parse(ids[i], &in->media_ids[i]) < 0) {
			snprintf(err, errlen, "media_ids must be ids");
			return -1;
		}
	in->nmedia = n;
	n = params_get_array(&rq->form, "poll[options]", in->poll.options, POLL_OPTIONS_MAX + 1);
	if (n) {
		char *end;

		if (n > POLL_OPTIONS_MAX) {
			snprintf(err, errlen, "A poll has at most %zu options", post_settings()->poll_max_options);
			return -1;
		}
		in->poll.noptions = n;
		s = req_arg(rq, "poll[expires_in]");
		if (!s) {
			snprintf(err, errlen, "poll[expires_in] is required");
			return -1;
		}
		in->poll.expires_in = strtoll(s, &end, 10);
		if (!*s || *end) {
			snprintf(err, errlen, "poll[expires_in] must be a number of seconds");
			return -1;
		}
		if (parse_bool(rq, "poll[multiple]", 0, &in->poll.multiple, err, errlen) < 0 ||
		    parse_bool(rq, "poll[hide_totals]", 0, &in->poll.hide_totals, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* ---- create, read, edit, delete ------------------------------------- */

void mastodon_post_status(struct request *rq, struct response *rs, int64_t space_id)
{
	struct post_input in;
	char err[256] = "";
	int64_t id;
	enum mresult r;

	if (parse_input(rq, &in, 1, err, sizeof err) < 0) {
		http_error(rq, rs, 422, err);
		return;
	}
	if (space_id)
		in.space_id = space_id;
	r = post_create(&rq->viewer, &in, &id, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_status(rq, rs, id);
}

static void post_status(struct request *rq, struct response *rs)
{
	mastodon_post_status(rq, rs, 0);
}

static void get_status(struct request *rq, struct response *rs)
{
	int64_t id;

	if (path_id(rq, rs, &id) == 0)
		answer_status(rq, rs, id);
}

static void get_statuses(struct request *rq, struct response *rs)
{
	const char *ids[40];
	size_t n = params_get_array(&rq->query, "id", ids, 40), i;
	struct mrender m;
	json_t *arr = json_array();

	mrender_init(&m, rq);
	for (i = 0; i < n; i++) {
		struct post_row p;
		int64_t id;
		json_t *j;

		if (id_parse(ids[i], &id) < 0 || audience_read_post(&rq->viewer, id, &p) != M_OK)
			continue;
		j = mrender_status(&m, &p);
		post_row_release(&p);
		if (j)
			json_array_append_new(arr, j);
	}
	mrender_release(&m);
	resp_json(rs, 200, arr);
}

static void put_status(struct request *rq, struct response *rs)
{
	struct post_input in;
	char err[256] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (parse_input(rq, &in, 0, err, sizeof err) < 0) {
		http_error(rq, rs, 422, err);
		return;
	}
	r = post_edit(&rq->viewer, id, &in, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_status(rq, rs, id);
}

static void delete_status(struct request *rq, struct response *rs)
{
	struct post_row p;
	struct mrender m;
	char err[256] = "";
	int64_t id;
	json_t *j;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	/* render first: afterwards it is gone */
	r = audience_read_post(&rq->viewer, id, &p);
	if (r != M_OK) {
		http_error(rq, rs, r == M_NOTFOUND ? 404 : 500, r == M_NOTFOUND ? "Record not found" : "Storage error");
		return;
	}
	mrender_init(&m, rq);
	j = mrender_status(&m, &p);
	mrender_release(&m);
	r = post_delete(&rq->viewer, id, NULL, err, sizeof err);
	if (r != M_OK) {
		json_decref(j);
		post_row_release(&p);
		answer_error(rq, rs, r, err);
		return;
	}
	if (!j)
		j = json_object();
	/* Mastodon returns the source so apps can offer "delete and redraft" */
	json_object_set_new(j, "text", json_string(p.source));
	post_row_release(&p);
	resp_json(rs, 200, j);
}

/* ---- thread, history, source ---------------------------------------- */

struct two_lists {
	struct mrender *m;
	json_t *a, *b;
};

static void add_a(const struct post_row *p, void *ctx)
{
	struct two_lists *t = ctx;
	json_t *j = mrender_status(t->m, p);

	if (j)
		json_array_append_new(t->a, j);
}

static void add_b(const struct post_row *p, void *ctx)
{
	struct two_lists *t = ctx;
	json_t *j = mrender_status(t->m, p);

	if (j)
		json_array_append_new(t->b, j);
}

static void get_context(struct request *rq, struct response *rs)
{
	struct mrender m;
	struct two_lists t;
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	mrender_init(&m, rq);
	mrender_set_filter_context(&m, FILTER_CTX_THREAD);
	t.m = &m;
	t.a = json_array();
	t.b = json_array();
	r = timeline_context(&rq->viewer, id, add_a, add_b, &t);
	mrender_release(&m);
	if (r != M_OK) {
		json_decref(t.a);
		json_decref(t.b);
		http_error(rq, rs, r == M_NOTFOUND ? 404 : 500, r == M_NOTFOUND ? "Record not found" : "Storage error");
		return;
	}
	resp_json(rs, 200, json_pack("{s:o, s:o}", "ancestors", t.a, "descendants", t.b));
}

struct history_ctx {
	json_t *arr, *account;
	json_t *poll;
};

/* A past poll as history shows it: its options, without counts. */
static json_t *past_poll(const char *options)
{
	json_t *opts = json_array();
	const char *p = options;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		json_array_append_new(opts, json_pack("{s:s%, s:n}", "title", p, len, "votes_count"));
		if (!e)
			break;
		p = e + 1;
	}
	return json_pack("{s:o}", "options", opts);
}

static void add_version(const struct post_edit_row *e, void *ctx)
{
	struct history_ctx *h = ctx;

	json_array_append_new(h->arr, json_pack("{s:s, s:s, s:b, s:o, s:O, s:[], s:[], s:o}",
		"content", e->content, "spoiler_text", e->spoiler_text, "sensitive", e->sensitive,
		"created_at", mastodon_date(e->created_at), "account", h->account,
		"media_attachments", "emojis",
		"poll", e->poll_options[0] ? past_poll(e->poll_options) : json_null()));
}

static void get_history(struct request *rq, struct response *rs)
{
	struct post_row p;
	struct history_ctx h;
	struct mrender m;
	json_t *cur;
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = audience_read_post(&rq->viewer, id, &p);
	if (r != M_OK) {
		http_error(rq, rs, r == M_NOTFOUND ? 404 : 500, "Record not found");
		return;
	}
	mrender_init(&m, rq);
	cur = mrender_status(&m, &p);
	if (!cur) {
		mrender_release(&m);
		post_row_release(&p);
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	h.arr = json_array();
	h.account = json_object_get(cur, "account");
	h.poll = json_object_get(cur, "poll");
	store_post_edits(p.id, add_version, &h);
	json_array_append_new(h.arr, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:[], s:O}",
		"content", json_object_get(cur, "content"),
		"spoiler_text", json_object_get(cur, "spoiler_text"),
		"sensitive", json_object_get(cur, "sensitive"),
		"created_at", p.edited_at ? json_object_get(cur, "edited_at") : json_object_get(cur, "created_at"),
		"account", h.account,
		"media_attachments", json_object_get(cur, "media_attachments"),
		"emojis",
		"poll", h.poll));
	json_decref(cur);
	mrender_release(&m);
	post_row_release(&p);
	resp_json(rs, 200, h.arr);
}

static void get_source(struct request *rq, struct response *rs)
{
	struct post_row p;
	char ids[24];
	int64_t id;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (audience_read_post(&rq->viewer, id, &p) != M_OK) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	if (p.account_id != rq->viewer.account.id) {
		post_row_release(&p);
		http_error(rq, rs, 403, "Only the author can see a post's source");
		return;
	}
	resp_json(rs, 200, json_pack("{s:s, s:s, s:s}", "id", id_format(ids, sizeof ids, p.id),
				     "text", p.source, "spoiler_text", p.spoiler_text));
	post_row_release(&p);
}

/* ---- who favourited / reblogged ------------------------------------- */

struct people_ctx {
	struct mrender *m;
	json_t *arr;
	int64_t first, last;
};

static void add_person(int64_t row_id, int64_t account_id, void *ctx)
{
	struct people_ctx *c = ctx;
	json_t *a = mrender_account(c->m, account_id);

	if (!c->first)
		c->first = row_id;
	c->last = row_id;
	if (a)
		json_array_append_new(c->arr, a);
}

static void people_of(struct request *rq, struct response *rs, int reblogs)
{
	struct post_row p;
	struct page pg;
	struct mrender m;
	struct people_ctx c;
	int64_t id;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "Bad pagination parameters");
		return;
	}
	if (audience_read_post(&rq->viewer, id, &p) != M_OK) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	post_row_release(&p);
	mrender_init(&m, rq);
	memset(&c, 0, sizeof c);
	c.m = &m;
	c.arr = json_array();
	(reblogs ? store_post_reblogged_by : store_post_favourited_by)(
		id, pg.max_id, timeline_limit(pg.limit, TIMELINE_LIMIT_DEFAULT, 80), add_person, &c);
	mrender_release(&m);
	page_link(rq, rs, c.first, c.last);
	resp_json(rs, 200, c.arr);
}

static void get_favourited_by(struct request *rq, struct response *rs)
{
	people_of(rq, rs, 0);
}

static void get_reblogged_by(struct request *rq, struct response *rs)
{
	people_of(rq, rs, 1);
}

/* ---- actions -------------------------------------------------------- */

static void do_mark(struct request *rq, struct response *rs, enum post_mark mk, int on)
{
	char err[256] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = post_mark(&rq->viewer, id, mk, on, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_status(rq, rs, id);
}

static void post_favourite(struct request *rq, struct response *rs) { do_mark(rq, rs, MARK_FAVOURITE, 1); }
static void post_unfavourite(struct request *rq, struct response *rs) { do_mark(rq, rs, MARK_FAVOURITE, 0); }
static void post_bookmark(struct request *rq, struct response *rs) { do_mark(rq, rs, MARK_BOOKMARK, 1); }
static void post_unbookmark(struct request *rq, struct response *rs) { do_mark(rq, rs, MARK_BOOKMARK, 0); }
static void post_pin(struct request *rq, struct response *rs) { do_mark(rq, rs, MARK_PIN, 1); }
static void post_unpin(struct request *rq, struct response *rs) { do_mark(rq, rs, MARK_PIN, 0); }

static void post_reblog_h(struct request *rq, struct response *rs)
{
	char err[256] = "";
	int64_t id, rid;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = post_reblog(&rq->viewer, id, &rid, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_status(rq, rs, rid);
}

static void post_unreblog_h(struct request *rq, struct response *rs)
{
	char err[256] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = post_unreblog(&rq->viewer, id, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_status(rq, rs, id);
}

static void react(struct request *rq, struct response *rs, int on)
{
	char err[256] = "";
	const char *emoji = req_param(rq, "emoji");
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = post_react(&rq->viewer, id, emoji ? emoji : "", on, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_status(rq, rs, id);
}

static void post_react_h(struct request *rq, struct response *rs) { react(rq, rs, 1); }
static void post_unreact_h(struct request *rq, struct response *rs) { react(rq, rs, 0); }

/* ---- polls ---------------------------------------------------------- */

static void answer_poll(struct request *rq, struct response *rs, int64_t poll_id)
{
	struct poll_row poll;
	struct post_row p;
	struct mrender m;

	if (store_poll_get(poll_id, &poll) != STORE_OK) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	if (audience_read_post(&rq->viewer, poll.post_id, &p) != M_OK) {
		poll_row_release(&poll);
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	mrender_init(&m, rq);
	resp_json(rs, 200, mrender_poll(&m, p.id));
	mrender_release(&m);
	post_row_release(&p);
	poll_row_release(&poll);
}

static void get_poll(struct request *rq, struct response *rs)
{
	int64_t id;

	if (path_id(rq, rs, &id) == 0)
		answer_poll(rq, rs, id);
}

static void post_poll_votes(struct request *rq, struct response *rs)
{
	const char *vals[POLL_OPTIONS_MAX + 1];
	int choices[POLL_OPTIONS_MAX + 1];
	char err[256] = "";
	size_t n, i;
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	n = params_get_array(&rq->form, "choices", vals, POLL_OPTIONS_MAX + 1);
	if (n > POLL_OPTIONS_MAX) {
		http_error(rq, rs, 422, "Too many choices");
		return;
	}
	for (i = 0; i < n; i++) {
		char *end;
		long c = strtol(vals[i], &end, 10);

		if (!*vals[i] || *end || c < 0 || c > 1000) {
			http_error(rq, rs, 422, "choices must be option numbers");
			return;
		}
		choices[i] = (int)c;
	}
	r = poll_vote(&rq->viewer, id, choices, n, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_poll(rq, rs, id);
}

void mastodon_statuses_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;

	router_add("POST", "/api/v1/statuses", post_status, W, "write:statuses");
	router_add("GET", "/api/v1/statuses", get_statuses, ROUTE_API, "read:statuses");
	router_add("GET", "/api/v1/statuses/:id", get_status, ROUTE_API, "read:statuses");
	router_add("PUT", "/api/v1/statuses/:id", put_status, W, "write:statuses");
	router_add("DELETE", "/api/v1/statuses/:id", delete_status, W, "write:statuses");
	router_add("GET", "/api/v1/statuses/:id/context", get_context, ROUTE_API, "read:statuses");
	router_add("GET", "/api/v1/statuses/:id/history", get_history, ROUTE_API, "read:statuses");
	router_add("GET", "/api/v1/statuses/:id/source", get_source, W, "read:statuses");
	router_add("GET", "/api/v1/statuses/:id/favourited_by", get_favourited_by, ROUTE_API, "read:accounts");
	router_add("GET", "/api/v1/statuses/:id/reblogged_by", get_reblogged_by, ROUTE_API, "read:accounts");
	router_add("POST", "/api/v1/statuses/:id/favourite", post_favourite, W, "write:favourites");
	router_add("POST", "/api/v1/statuses/:id/unfavourite", post_unfavourite, W, "write:favourites");
	router_add("POST", "/api/v1/statuses/:id/reblog", post_reblog_h, W, "write:statuses");
	router_add("POST", "/api/v1/statuses/:id/unreblog", post_unreblog_h, W, "write:statuses");
	router_add("POST", "/api/v1/statuses/:id/bookmark", post_bookmark, W, "write:bookmarks");
	router_add("POST", "/api/v1/statuses/:id/unbookmark", post_unbookmark, W, "write:bookmarks");
	router_add("POST", "/api/v1/statuses/:id/pin", post_pin, W, "write:accounts");
	router_add("POST", "/api/v1/statuses/:id/unpin", post_unpin, W, "write:accounts");
	router_add("POST", "/api/v1/statuses/:id/react/:emoji", post_react_h, W, "write:favourites");
	router_add("POST", "/api/v1/statuses/:id/unreact/:emoji", post_unreact_h, W, "write:favourites");
	router_add("GET", "/api/v1/polls/:id", get_poll, ROUTE_API, "read:statuses");
	router_add("POST", "/api/v1/polls/:id/votes", post_poll_votes, W, "write:statuses");
}
