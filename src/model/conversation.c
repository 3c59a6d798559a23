/*
 * conversation.c - direct conversations (see conversation.h).
 */
#include "model/conversation.h"
#include "model/audience.h"
#include "model/timeline.h"
#include "store/store_conversations.h"

#include <string.h>

#define POSTS_LOOKED_AT 50   /* newest posts tried for the last readable one */

int conversation_on_post(int64_t post_id, int64_t in_reply_to_id, int64_t author_id,
			 const int64_t *recipients, size_t nrecipients)
{
	int64_t conv = post_id;
	size_t i;
	int rc;

	if (in_reply_to_id) {
		rc = store_conversation_of_post(in_reply_to_id, &conv);
		if (rc == STORE_ERROR)
			return -1;
		if (rc == STORE_NOTFOUND)
			conv = post_id;
	}
	if (store_conversation_add_post(post_id, conv) != STORE_OK ||
	    store_conversation_touch(author_id, conv, post_id, 0) != STORE_OK)
		return -1;
	for (i = 0; i < nrecipients; i++)
		if (recipients[i] != author_id &&
		    store_conversation_touch(recipients[i], conv, post_id, 1) != STORE_OK)
			return -1;
	return 0;
}

struct last_ctx {
	const struct viewer *v;
	struct post_row *out;
	int found;
};

static void try_post(int64_t post_id, void *ctx)
{
	struct last_ctx *l = ctx;

	if (l->found)
		return;
	if (audience_read_post(l->v, post_id, l->out) == M_OK)
		l->found = 1;
}

struct part_ctx {
	struct conversation_view *cv;
	int64_t me;
};

static void add_participant(int64_t account_id, void *ctx)
{
	struct part_ctx *p = ctx;

	if (account_id != p->me && p->cv->nparticipants < CONVERSATION_PARTICIPANTS_MAX)
		p->cv->participants[p->cv->nparticipants++] = account_id;
}

/* Fill a view from a row: 1 when there is something to show, 0 when not,
 * -1 on error. On 1, the caller releases cv->last. */
static int view_of(const struct viewer *v, const struct conversation_row *r, struct conversation_view *cv)
{
	struct last_ctx l = { v, &cv->last, 0 };
	struct part_ctx p = { cv, v->account.id };

	memset(cv, 0, sizeof *cv);
	cv->id = r->conversation_id;
	cv->unread = r->unread;
	cv->last_status_id = r->last_status_id;
	if (store_conversation_posts(r->conversation_id, POSTS_LOOKED_AT, try_post, &l) != STORE_OK) {
		if (l.found)
			post_row_release(&cv->last);
		return -1;
	}
	if (!l.found)
		return 0;
	if (store_conversation_participants(r->conversation_id, add_participant, &p) != STORE_OK) {
		post_row_release(&cv->last);
		return -1;
	}
	if (!cv->nparticipants)
		cv->participants[cv->nparticipants++] = v->account.id;
	return 1;
}

struct list_ctx {
	const struct viewer *v;
	void (*fn)(const struct conversation_view *, void *);
	void *ctx;
	int failed;
};

static void on_row(const struct conversation_row *r, void *ctx)
{
	struct list_ctx *c = ctx;
	struct conversation_view cv;
	int rc = view_of(c->v, r, &cv);

	if (rc < 0)
		c->failed = 1;
	if (rc <= 0)
		return;
	c->fn(&cv, c->ctx);
	post_row_release(&cv.last);
}

enum mresult conversation_list(const struct viewer *v, int64_t max_id, int64_t min_id, int limit,
			       void (*fn)(const struct conversation_view *, void *), void *ctx)
{
	struct list_ctx c = { v, fn, ctx, 0 };

	if (!v->signed_in)
		return M_UNAUTHORIZED;
	limit = timeline_limit(limit, TIMELINE_LIMIT_DEFAULT, CONVERSATION_LIMIT_MAX);
	if (store_conversation_list(v->account.id, max_id, min_id, limit, on_row, &c) != STORE_OK || c.failed)
		return M_ERROR;
	return M_OK;
}

enum mresult conversation_mark_read(const struct viewer *v, int64_t id,
				    void (*fn)(const struct conversation_view *, void *), void *ctx)
{
	struct conversation_row r;
	struct conversation_view cv;
	int rc = store_conversation_mark_read(v->account.id, id);

	if (rc == STORE_NOTFOUND)
		return M_NOTFOUND;
	if (rc != STORE_OK || store_conversation_get(v->account.id, id, &r) != STORE_OK)
		return M_ERROR;
	rc = view_of(v, &r, &cv);
	if (rc < 0)
		return M_ERROR;
	if (rc == 0)
		return M_NOTFOUND;
	fn(&cv, ctx);
	post_row_release(&cv.last);
	return M_OK;
}

enum mresult conversation_of_post(const struct viewer *v, int64_t post_id,
				  void (*fn)(const struct conversation_view *, void *), void *ctx)
{
	struct conversation_row r;
	struct conversation_view cv;
	int64_t id;
	int rc = store_conversation_of_post(post_id, &id);

	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
	rc = store_conversation_get(v->account.id, id, &r);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
	rc = view_of(v, &r, &cv);
	if (rc <= 0)
		return rc < 0 ? M_ERROR : M_NOTFOUND;
	fn(&cv, ctx);
	post_row_release(&cv.last);
	return M_OK;
}

enum mresult conversation_remove(const struct viewer *v, int64_t id)
{
	int rc = store_conversation_remove(v->account.id, id);

	return rc == STORE_OK ? M_OK : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
}
