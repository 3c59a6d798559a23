/*
 * follow_requests.c - answering follow requests to a locked account:
 *
 *   GET  /api/v1/follow_requests                      who asked (Accounts, newest
 *                                                     first, Link header paging)
 *   POST /api/v1/follow_requests/:account_id/authorize   -> Relationship
 *   POST /api/v1/follow_requests/:account_id/reject      -> Relationship
 *
 * Asking is POST /api/v1/accounts/:id/follow (model/relationship.c).
 */
#include "api/mastodon/mastodon.h"
#include "api/mastodon/paging.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "model/relationship.h"
#include "model/timeline.h"
#include "store/store_follow_requests.h"

#include <string.h>

struct people_ctx {
	struct mrender m;
	json_t *arr;
	int64_t first, last;
};

static void add_person(int64_t row_id, int64_t account_id, void *ctx)
{
	struct people_ctx *c = ctx;
	json_t *j = mrender_account(&c->m, account_id);

	if (!c->first)
		c->first = row_id;
	c->last = row_id;
	if (j)
		json_array_append_new(c->arr, j);
}

static void get_follow_requests(struct request *rq, struct response *rs)
{
	struct people_ctx c;
	struct page pg;

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "Bad pagination parameters");
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	if (store_follow_request_list(rq->viewer.account.id, pg.max_id, pg.since_id ? pg.since_id : pg.min_id,
				      timeline_limit(pg.limit, 40, 80), add_person, &c) != STORE_OK) {
		mrender_release(&c.m);
		json_decref(c.arr);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	mrender_release(&c.m);
	page_link(rq, rs, c.first, c.last);
	resp_json(rs, 200, c.arr);
}

static void answer(struct request *rq, struct response *rs, int authorize)
{
	struct relationship rel;
	char err[160] = "";
	int64_t id;
	enum mresult r;

	if (id_parse(req_param(rq, "account_id"), &id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	r = authorize ? follow_request_authorize(&rq->viewer, id, err, sizeof err)
		      : follow_request_reject(&rq->viewer, id, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	relationship_get(&rq->viewer, id, &rel);
	resp_json(rs, 200, mrender_relationship(&rel));
}

static void post_authorize(struct request *rq, struct response *rs) { answer(rq, rs, 1); }
static void post_reject(struct request *rq, struct response *rs) { answer(rq, rs, 0); }

void mastodon_follow_requests_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;

	router_add("GET", "/api/v1/follow_requests", get_follow_requests, W, "read:follows|follow");
	router_add("POST", "/api/v1/follow_requests/:account_id/authorize", post_authorize, W,
		   "write:follows|follow");
	router_add("POST", "/api/v1/follow_requests/:account_id/reject", post_reject, W,
		   "write:follows|follow");
}
