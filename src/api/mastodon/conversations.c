/*
 * conversations.c - direct conversations (model/conversation.h):
 *
 *   GET    /api/v1/conversations            newest first; max_id / since_id /
 *                                           min_id are last-status ids (Link header)
 *   POST   /api/v1/conversations/:id/read   -> the Conversation, read
 *   DELETE /api/v1/conversations/:id        off the viewer's list -> {}
 */
#include "api/mastodon/mastodon.h"
#include "api/mastodon/paging.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "model/conversation.h"

#include <string.h>

struct conv_ctx {
	struct mrender m;
	json_t *arr;        /* a list, or NULL: keep the one in `one` */
	json_t *one;
	int64_t first, last;
};

json_t *mastodon_conversation(struct mrender *m, const struct conversation_view *cv)
{
	json_t *accounts = json_array(), *status = mrender_status(m, &cv->last);
	char id[24];
	size_t i;

	for (i = 0; i < cv->nparticipants; i++) {
		json_t *a = mrender_account(m, cv->participants[i]);

		if (a)
			json_array_append_new(accounts, a);
	}
	return json_pack("{s:s, s:b, s:o, s:o}", "id", id_format(id, sizeof id, cv->id),
			 "unread", cv->unread, "accounts", accounts,
			 "last_status", status ? status : json_null());
}

static void add_conversation(const struct conversation_view *cv, void *ctx)
{
	struct conv_ctx *c = ctx;
	json_t *j = mastodon_conversation(&c->m, cv);

	if (!c->first)
		c->first = cv->last_status_id;
	c->last = cv->last_status_id;
	if (!j)
		return;
	if (c->arr)
		json_array_append_new(c->arr, j);
	else
		c->one = j;
}

static void get_conversations(struct request *rq, struct response *rs)
{
	struct conv_ctx c;
	struct page pg;
	enum mresult r;

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "max_id, since_id and min_id must be ids, limit a number");
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	r = conversation_list(&rq->viewer, pg.max_id, pg.min_id ? pg.min_id : pg.since_id,
			      (int)(pg.limit > 1000 ? 1000 : pg.limit), add_conversation, &c);
	mrender_release(&c.m);
	if (r != M_OK) {
		json_decref(c.arr);
		http_error(rq, rs, http_status_for(r), "Storage error");
		return;
	}
	page_link(rq, rs, c.first, c.last);
	resp_json(rs, 200, c.arr);
}

static int path_id(struct request *rq, struct response *rs, int64_t *id)
{
	if (id_parse(req_param(rq, "id"), id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void post_read(struct request *rq, struct response *rs)
{
	struct conv_ctx c;
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	r = conversation_mark_read(&rq->viewer, id, add_conversation, &c);
	mrender_release(&c.m);
	if (r != M_OK || !c.one) {
		json_decref(c.one);
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Record not found");
		return;
	}
	resp_json(rs, 200, c.one);
}

static void delete_conversation(struct request *rq, struct response *rs)
{
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = conversation_remove(&rq->viewer, id);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), r == M_NOTFOUND ? "Record not found" : "Storage error");
		return;
	}
	resp_json(rs, 200, json_object());
}

void mastodon_conversations_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;

	router_add("GET", "/api/v1/conversations", get_conversations, W, "read:statuses");
	router_add("POST", "/api/v1/conversations/:id/read", post_read, W, "write:conversations");
	router_add("DELETE", "/api/v1/conversations/:id", delete_conversation, W, "write:conversations");
}
