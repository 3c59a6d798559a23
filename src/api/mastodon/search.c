/*
 * search.c - GET /api/v2/search (and /api/v1/search, its older form):
 * q, type (accounts, hashtags, statuses; all when absent), limit (20, at
 * most 40), offset, following, resolve (accepted; nothing remote yet).
 *
 *   accounts   the people directory (see /api/v1/accounts/search)
 *   hashtags   tags by name prefix ("#" optional), most used first, as
 *              Tag entities
 *   statuses   posts the viewer may read whose text contains q (signed
 *              in only), newest first
 */
#include "api/mastodon/mastodon.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "model/people_search.h"
#include "model/filter.h"
#include "model/timeline.h"

#include <stdlib.h>
#include <string.h>

struct tag_ctx {
	struct mrender m;
	json_t *arr;
};

static void add_tag(const char *name, void *ctx)
{
	struct tag_ctx *c = ctx;
	int64_t id = 0;

	if (store_tag_find(name, &id, NULL, 0) == STORE_OK)
		json_array_append_new(c->arr, mrender_tag(&c->m, name, id));
}

static json_t *search_hashtags(struct request *rq, const char *q, long limit, long offset)
{
	struct tag_ctx c;

	while (*q == '#')
		q++;
	mrender_init(&c.m, rq);
	c.arr = json_array();
	people_tag_prefix(q, (int)limit, (int)offset, add_tag, &c);
	mrender_release(&c.m);
	return c.arr;
}

struct status_ctx {
	struct mrender m;
	json_t *arr;
	long skip;
};

static void add_status(const struct post_row *p, void *ctx)
{
	struct status_ctx *c = ctx;
	json_t *j;

	if (c->skip > 0) {
		c->skip--;
		return;
	}
	j = mrender_status(&c->m, p);
	if (j)
		json_array_append_new(c->arr, j);
}

/* Posts whose title or text contains q (ignoring ASCII case), newest
 * first, through the audience filter (model/timeline). Signed-in viewers
 * only, as Mastodon. A scan, not an index: fine for an organisation's
 * recent posts, to be replaced by FTS5 (docs/PERFORMANCE.md). */
static json_t *search_statuses(struct request *rq, const char *q, long limit, long offset)
{
	struct timeline_query tq;
	struct status_ctx c;

	c.arr = json_array();
	/* model/timeline reads at most TIMELINE_LIMIT_MAX rows: deeper pages
	 * of a text search come with the full-text index */
	if (offset + limit > TIMELINE_LIMIT_MAX)
		limit = TIMELINE_LIMIT_MAX - offset;
	if (!rq->viewer.signed_in || strlen(q) < 2 || limit <= 0)
		return c.arr;
	memset(&tq, 0, sizeof tq);
	tq.kind = TL_SEARCH;
	tq.text = q;
	tq.limit = (int)(limit + offset);
	c.skip = offset;
	mrender_init(&c.m, rq);
	mrender_set_filter_context(&c.m, FILTER_CTX_PUBLIC);
	timeline_read(&rq->viewer, &tq, add_status, &c);
	mrender_release(&c.m);
	return c.arr;
}

static void get_search(struct request *rq, struct response *rs)
{
	const char *q = params_get(&rq->query, "q"), *type = params_get_nonempty(&rq->query, "type");
	const char *l = params_get_nonempty(&rq->query, "limit"), *o = params_get_nonempty(&rq->query, "offset");
	int following = params_get_bool(&rq->query, "following", 0);
	long limit = 20, offset = 0;
	json_t *accounts, *out;
	char err[200];

	if (!q) {
		http_error(rq, rs, 400, "q is required");
		return;
	}
	if (type && strcmp(type, "accounts") && strcmp(type, "hashtags") && strcmp(type, "statuses")) {
		http_error(rq, rs, 400, "type must be accounts, hashtags or statuses");
		return;
	}
	if (l) {
		char *end;

		limit = strtol(l, &end, 10);
		if (*end || limit < 1) {
			http_error(rq, rs, 400, "limit must be a positive number");
			return;
		}
		if (limit > 40)
			limit = 40;
	}
	if (o) {
		char *end;

		offset = strtol(o, &end, 10);
		if (*end || offset < 0) {
			http_error(rq, rs, 400, "offset must be 0 or more");
			return;
		}
	}
	if (following < 0) {
		http_error(rq, rs, 400, "following must be true or false");
		return;
	}
	/* Mastodon answers offset > 0 only to signed-in users */
	if (offset && !rq->viewer.signed_in) {
		http_error(rq, rs, 401, "Search queries with an offset need a signed-in user");
		return;
	}
	if (!type || !strcmp(type, "accounts")) {
		accounts = mastodon_account_search(rq, q, limit, offset, following == 1, err, sizeof err);
		if (!accounts) {
			http_error(rq, rs, 400, err);
			return;
		}
	} else {
		accounts = json_array();
	}
	out = json_pack("{s:o, s:o, s:o}", "accounts", accounts,
			"statuses", !type || !strcmp(type, "statuses") ? search_statuses(rq, q, limit, offset) : json_array(),
			"hashtags", !type || !strcmp(type, "hashtags") ? search_hashtags(rq, q, limit, offset) : json_array());
	resp_json(rs, 200, out);
}

void mastodon_search_routes(void)
{
	router_add("GET", "/api/v2/search", get_search, ROUTE_API, "read:search");
}
