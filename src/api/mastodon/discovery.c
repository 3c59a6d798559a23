/*
 * discovery.c - follow suggestions and trends (model/discovery.h):
 *
 *   GET    /api/v1/suggestions?limit=       Accounts the viewer might follow
 *   GET    /api/v2/suggestions?limit=       [{source, sources, account}]
 *   DELETE /api/v1/suggestions/:account_id  never suggest them again -> {}
 *   GET    /api/v1/trends/tags?limit=&offset=     (also /api/v1/trends)
 *   GET    /api/v1/trends/statuses?limit=&offset=
 *   GET    /api/v1/trends/links             no link cards yet: []
 *
 * Trends page by offset, with a Link header (rel="next" while a page is
 * full, rel="prev" after the first), as Mastodon does.
 */
#include "api/mastodon/mastodon.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/buf.h"
#include "lib/config.h"
#include "lib/id.h"
#include "model/discovery.h"

#include <stdlib.h>
#include <string.h>

static long query_long(const struct request *rq, const char *key, long def)
{
	const char *v = params_get_nonempty(&rq->query, key);
	char *end;
	long x;

	if (!v)
		return def;
	x = strtol(v, &end, 10);
	return *end ? -1 : x;
}

/* ---- suggestions ------------------------------------------------------------ */

struct sugg_ctx {
	struct mrender m;
	json_t *arr;
	int v2;
};

static void add_suggestion(const struct suggestion *s, void *ctx)
{
	struct sugg_ctx *c = ctx;
	json_t *acc = mrender_account(&c->m, s->account_id), *sources;

	if (!acc)
		return;
	if (!c->v2) {
		json_array_append_new(c->arr, acc);
		return;
	}
	sources = json_array();
	if (s->shared_spaces)
		json_array_append_new(sources, json_string("most_interactions"));
	if (s->via_follows)
		json_array_append_new(sources, json_string("friends_of_friends"));
	if (!s->shared_spaces && !s->via_follows)
		json_array_append_new(sources, json_string("most_followed"));
	json_array_append_new(c->arr, json_pack("{s:s, s:o, s:o, s:{s:I, s:I}}",
		"source", s->shared_spaces || s->via_follows ? "past_interactions" : "global",
		"sources", sources, "account", acc,
		"parley", "shared_spaces", (json_int_t)s->shared_spaces,
		"followed_by_your_follows", (json_int_t)s->via_follows));
}

static void suggestions(struct request *rq, struct response *rs, int v2)
{
	struct sugg_ctx c;
	long limit = query_long(rq, "limit", 0);
	enum mresult r;

	if (limit < 0) {
		http_error(rq, rs, 400, "limit must be a number");
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	c.v2 = v2;
	r = suggestions_list(&rq->viewer, (int)(limit > 1000 ? 1000 : limit), add_suggestion, &c);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		http_error(rq, rs, http_status_for(r), "Storage error");
		return;
	}
	resp_json(rs, 200, c.arr);
}

static void get_suggestions_v1(struct request *rq, struct response *rs) { suggestions(rq, rs, 0); }
static void get_suggestions_v2(struct request *rq, struct response *rs) { suggestions(rq, rs, 1); }

static void delete_suggestion(struct request *rq, struct response *rs)
{
	int64_t id;

	if (id_parse(req_param(rq, "account_id"), &id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	if (suggestion_dismiss(&rq->viewer, id) != M_OK) {
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	resp_json(rs, 200, json_object());
}

/* ---- trends --------------------------------------------------------------------- */

/* Link: offset paging. */
static void offset_links(struct request *rq, struct response *rs, long offset, long limit, size_t got)
{
	struct buf b = BUF_INIT;
	const char *base = rq->cfg ? rq->cfg->base_url : "";

	if ((long)got >= limit)
		buf_printf(&b, "<%s%s?offset=%ld&limit=%ld>; rel=\"next\"", base, rq->path, offset + limit, limit);
	if (offset > 0)
		buf_printf(&b, "%s<%s%s?offset=%ld&limit=%ld>; rel=\"prev\"", b.len ? ", " : "", base, rq->path,
			   offset > limit ? offset - limit : 0, limit);
	if (b.len && !b.failed)
		resp_header(rs, "Link", buf_str(&b));
	buf_release(&b);
}

struct tag_ctx {
	struct mrender m;
	json_t *arr;
};

static void add_tag(int64_t tag_id, const char *name, int64_t accounts, int64_t uses, void *ctx)
{
	struct tag_ctx *c = ctx;

	(void)accounts;
	(void)uses;
	json_array_append_new(c->arr, mrender_tag(&c->m, name, tag_id));
}

static void get_trends_tags(struct request *rq, struct response *rs)
{
	long limit = query_long(rq, "limit", 10), offset = query_long(rq, "offset", 0);
	struct tag_ctx c;

	if (limit < 0 || offset < 0) {
		http_error(rq, rs, 400, "limit and offset must be numbers");
		return;
	}
	if (limit == 0 || limit > 20)
		limit = limit ? 20 : 10;
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	if (trends_tags((int)limit, offset > 100000 ? 100000 : (int)offset, add_tag, &c) != M_OK) {
		mrender_release(&c.m);
		json_decref(c.arr);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	mrender_release(&c.m);
	offset_links(rq, rs, offset, limit, json_array_size(c.arr));
	resp_json(rs, 200, c.arr);
}

struct status_ctx {
	struct mrender m;
	json_t *arr;
	size_t seen;
};

static void add_status(const struct post_row *p, void *ctx)
{
	struct status_ctx *c = ctx;
	json_t *j = mrender_status(&c->m, p);

	c->seen++;
	if (j)
		json_array_append_new(c->arr, j);
}

static void get_trends_statuses(struct request *rq, struct response *rs)
{
	long limit = query_long(rq, "limit", 20), offset = query_long(rq, "offset", 0);
	struct status_ctx c;

	if (limit < 0 || offset < 0) {
		http_error(rq, rs, 400, "limit and offset must be numbers");
		return;
	}
	if (limit == 0 || limit > 40)
		limit = limit ? 40 : 20;
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	if (trends_statuses(&rq->viewer, (int)limit, offset > 100000 ? 100000 : (int)offset,
			    add_status, &c) != M_OK) {
		mrender_release(&c.m);
		json_decref(c.arr);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	mrender_release(&c.m);
	offset_links(rq, rs, offset, limit, c.seen);
	resp_json(rs, 200, c.arr);
}

static void get_trends_links(struct request *rq, struct response *rs)
{
	(void)rq;
	resp_json(rs, 200, json_array());
}

void mastodon_discovery_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;

	router_add("GET", "/api/v1/suggestions", get_suggestions_v1, W, "read:accounts");
	router_add("GET", "/api/v2/suggestions", get_suggestions_v2, W, "read:accounts");
	router_add("DELETE", "/api/v1/suggestions/:account_id", delete_suggestion, W, "write:accounts");
	router_add("GET", "/api/v1/trends", get_trends_tags, ROUTE_API, NULL);
	router_add("GET", "/api/v1/trends/tags", get_trends_tags, ROUTE_API, NULL);
	router_add("GET", "/api/v1/trends/statuses", get_trends_statuses, ROUTE_API, NULL);
	router_add("GET", "/api/v1/trends/links", get_trends_links, ROUTE_API, NULL);
}
