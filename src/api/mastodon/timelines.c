/*
 * timelines.c - lists of statuses: /api/v1/timelines/{home,public,tag/:tag},
 * /api/v1/accounts/:id/statuses, /api/v1/bookmarks, /api/v1/favourites,
 * and Parley's /api/parley/v1/timelines/organisation.
 *
 * The Local timeline (public?local=true) is the organisation's feed for
 * staff: public and organisation posts of staff. For anyone else it is the
 * public timeline (every account is local until federation arrives).
 */
#include "api/mastodon/mastodon.h"
#include "api/mastodon/paging.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "model/audience.h"
#include "model/filter.h"
#include "model/timeline.h"

#include <string.h>

struct list_ctx {
	struct mrender m;
	json_t *arr;
	int64_t first, last;
};

static void add_post(const struct post_row *p, void *ctx)
{
	struct list_ctx *c = ctx;
	json_t *j = mrender_status(&c->m, p);

	if (!c->first)
		c->first = p->id;
	c->last = p->id;
	if (j)
		json_array_append_new(c->arr, j);
}

static int flag(const struct request *rq, const char *key)
{
	return params_get_bool(&rq->query, key, 0) == 1;
}

/* Run q for the request and answer the page with its Link header. */
void mastodon_answer_timeline(struct request *rq, struct response *rs, struct timeline_query *q)
{
	struct page pg;
	struct list_ctx c;
	enum mresult r;

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "max_id, since_id and min_id must be ids, limit a number");
		return;
	}
	q->max_id = pg.max_id;
	q->since_id = pg.since_id;
	q->min_id = pg.min_id;
	q->limit = (int)(pg.limit > 1000 ? 1000 : pg.limit);
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	/* Mastodon's filter contexts: home, public (also tags), account */
	/* lists and spaces read as home does (Mastodon files lists under home) */
	mrender_set_filter_context(&c.m, q->kind == TL_HOME || q->kind == TL_LIST || q->kind == TL_SPACE ||
				   q->kind == TL_SPACE_PINS ? FILTER_CTX_HOME :
				   q->kind == TL_ACCOUNT || q->kind == TL_PINNED ? FILTER_CTX_ACCOUNT :
				   FILTER_CTX_PUBLIC);
	c.arr = json_array();
	r = timeline_read(&rq->viewer, q, add_post, &c);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		http_error(rq, rs, http_status_for(r), r == M_FORBIDDEN ? "This timeline is for staff"
			   : r == M_UNAUTHORIZED ? "The access token is invalid" : "Storage error");
		return;
	}
	page_link(rq, rs, c.first, c.last);
	resp_json(rs, 200, c.arr);
}

static void get_home(struct request *rq, struct response *rs)
{
	struct timeline_query q;

	memset(&q, 0, sizeof q);
	q.kind = TL_HOME;
	mastodon_answer_timeline(rq, rs, &q);
}

static void get_public(struct request *rq, struct response *rs)
{
	struct timeline_query q;

	memset(&q, 0, sizeof q);
	q.kind = flag(rq, "local") && viewer_is_staff(&rq->viewer) ? TL_ORGANISATION : TL_PUBLIC;
	if (flag(rq, "remote")) {
		resp_json(rs, 200, json_array()); /* no federation yet: nothing remote */
		return;
	}
	q.only_media = flag(rq, "only_media");
	mastodon_answer_timeline(rq, rs, &q);
}

static void get_organisation(struct request *rq, struct response *rs)
{
	struct timeline_query q;

	memset(&q, 0, sizeof q);
	q.kind = TL_ORGANISATION;
	mastodon_answer_timeline(rq, rs, &q);
}

static void get_tag(struct request *rq, struct response *rs)
{
	struct timeline_query q;
	const char *tag = req_param(rq, "tag");

	memset(&q, 0, sizeof q);
	q.kind = TL_TAG;
	if (!tag || store_tag_find(tag, &q.tag_id, NULL, 0) != STORE_OK) {
		resp_json(rs, 200, json_array());
		return;
	}
	q.only_media = flag(rq, "only_media");
	mastodon_answer_timeline(rq, rs, &q);
}

static void get_account_statuses(struct request *rq, struct response *rs)
{
	struct timeline_query q;
	struct account_row a;
	const char *s = req_param(rq, "id");

	memset(&q, 0, sizeof q);
	if (!s || id_parse(s, &q.account_id) < 0 || store_account_get(q.account_id, &a) != STORE_OK ||
	    !audience_may_see_account(&rq->viewer, &a)) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	q.kind = flag(rq, "pinned") ? TL_PINNED : TL_ACCOUNT;
	q.exclude_replies = flag(rq, "exclude_replies");
	q.exclude_reblogs = flag(rq, "exclude_reblogs");
	q.only_media = flag(rq, "only_media");
	mastodon_answer_timeline(rq, rs, &q);
}

static void marked(struct request *rq, struct response *rs, int favourites)
{
	struct timeline_query q;
	struct page pg;
	struct list_ctx c;
	int64_t first = 0, last = 0;   /* bookmark / favourite row ids, not post ids */
	enum mresult r;

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "max_id, since_id and min_id must be ids, limit a number");
		return;
	}
	memset(&q, 0, sizeof q);
	q.max_id = pg.max_id;
	q.since_id = pg.since_id;
	q.min_id = pg.min_id;
	q.limit = (int)(pg.limit > 1000 ? 1000 : pg.limit);
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	r = timeline_bookmarks(&rq->viewer, &q, favourites, &first, &last, add_post, &c);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		http_error(rq, rs, http_status_for(r), "Storage error");
		return;
	}
	page_link(rq, rs, first, last);
	resp_json(rs, 200, c.arr);
}

static void get_bookmarks(struct request *rq, struct response *rs)
{
	marked(rq, rs, 0);
}

static void get_favourites(struct request *rq, struct response *rs)
{
	marked(rq, rs, 1);
}

void mastodon_timelines_routes(void)
{
	router_add("GET", "/api/v1/timelines/home", get_home, ROUTE_API | ROUTE_AUTH, "read:statuses");
	router_add("GET", "/api/v1/timelines/public", get_public, ROUTE_API, "read:statuses");
	router_add("GET", "/api/v1/timelines/tag/:tag", get_tag, ROUTE_API, "read:statuses");
	router_add("GET", "/api/parley/v1/timelines/organisation", get_organisation,
		   ROUTE_API | ROUTE_AUTH, "read:statuses");
	router_add("GET", "/api/v1/accounts/:id/statuses", get_account_statuses, ROUTE_API, "read:statuses");
	router_add("GET", "/api/v1/bookmarks", get_bookmarks, ROUTE_API | ROUTE_AUTH, "read:bookmarks");
	router_add("GET", "/api/v1/favourites", get_favourites, ROUTE_API | ROUTE_AUTH, "read:favourites");
}
