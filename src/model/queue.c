/*
 * queue.c - the listeners' queue: views, reads and actions (see queue.h).
 *
 * Visibility is decided per item, in C, for every row a list returns: the
 * store narrows by scope and view, then queue_may_see() applies the
 * audience rule with the viewer, so an item whose post the listener may
 * not read is never shown (a list reads on past such rows to fill the
 * page, up to a bound).
 */
#include "model/queue.h"
#include "model/audience.h"
#include "model/listener.h"
#include "lib/buf.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "store/store_posts.h"

#include <stdio.h>
#include <string.h>

#define SCOPES_MAX 256

static const char *const views[] = {
	"unassigned", "assigned", "mine", "overdue", "awaiting", "mentions", "closed", "all", NULL,
};

int queue_view_parse(const char *name)
{
	int i;

	for (i = 0; name && views[i]; i++)
		if (!strcmp(name, views[i]))
			return i;
	return -1;
}

int queue_may_open(const struct viewer *v)
{
	int64_t ids[1];

	if (!v->signed_in)
		return 0;
	return listener_is_org(v) || listener_spaces(v, ids, 1) > 0;
}

int queue_may_see(const struct viewer *v, const struct queue_item_row *it)
{
	struct post_row p;
	int ok;

	if (!v->signed_in)
		return 0;
	if (!listener_is_org(v) && !(it->space_id > 0 && listener_is(v, it->space_id)))
		return 0;
	if (store_post_get(it->post_id, &p) != STORE_OK)
		return 0;
	ok = audience_may_read(v, &p);
	post_row_release(&p);
	return ok;
}

int queue_question_overdue(const char *state, int64_t due_at, int escalation_level, int64_t now_ms)
{
	if (strcmp(state, "open"))
		return 0;
	return escalation_level >= 2 || (due_at > 0 && due_at <= now_ms);
}

int queue_record(int64_t item_id, int64_t actor_id, const char *action, const char *detail)
{
	struct queue_action_row r;

	memset(&r, 0, sizeof r);
	r.id = id_next();
	r.item_id = item_id;
	r.actor_id = actor_id;
	snprintf(r.action, sizeof r.action, "%s", action);
	snprintf(r.detail, sizeof r.detail, "%s", detail ? detail : "");
	r.created_at = time_now_ms();
	return store_queue_action_insert(&r) == STORE_OK ? 0 : -1;
}

int queue_question_event(int64_t question_id, int64_t actor_id, const char *action, int64_t ref_id)
{
	struct queue_item_row it;
	char detail[24] = "";
	int rc = store_queue_item_of_question(question_id, &it);

	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc != STORE_OK)
		return -1;
	if (ref_id)
		id_format(detail, sizeof detail, ref_id);
	return queue_record(it.id, actor_id, action, detail);
}

/* ---- reading ------------------------------------------------------------- */

struct list_ctx {
	const struct viewer *v;
	void (*fn)(const struct queue_item_row *, void *);
	void *ctx;
	int want, got, seen;
	int64_t last;
};

static void each_item(const struct queue_item_row *it, void *ctx)
{
	struct list_ctx *c = ctx;

	c->seen++;
	if (c->got >= c->want)
		return;
	c->last = it->id;
	if (!queue_may_see(c->v, it))
		return;
	c->got++;
	c->fn(it, c->ctx);
}

enum mresult queue_list(const struct viewer *v, const struct queue_list_request *rq,
			void (*fn)(const struct queue_item_row *, void *), void *ctx, int64_t *last_id,
			char *err, size_t errlen)
{
	struct queue_query q;
	struct list_ctx c;
	int64_t spaces[SCOPES_MAX];
	int org = listener_is_org(v), n, round;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in to see the queue");
	n = listener_spaces(v, spaces, SCOPES_MAX);
	if (!org && n == 0)
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only listeners have a queue");
	if (rq->space_id > 0 && !org && !listener_is(v, rq->space_id))
		return mresult_fail(err, errlen, M_FORBIDDEN, "You do not listen to that space");
	memset(&q, 0, sizeof q);
	q.view = rq->view;
	q.all_scopes = org;
	q.spaces = spaces;
	q.nspaces = n;
	q.space_id = rq->space_id;
	q.me = v->account.id;
	q.now = time_now_ms();
	q.max_id = rq->max_id;
	q.limit = rq->limit;
	memset(&c, 0, sizeof c);
	c.v = v;
	c.fn = fn;
	c.ctx = ctx;
	c.want = rq->limit;
	/* unreadable rows are skipped: read on, a few pages at most */
	for (round = 0; round < 10 && c.got < c.want; round++) {
		c.seen = 0;
		if (store_queue_list(&q, each_item, &c) != STORE_OK)
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		if (c.seen < q.limit)
			break;
		q.max_id = c.last;
	}
	*last_id = c.last;
	return M_OK;
}

/* The item if v may see it. */
static enum mresult find(const struct viewer *v, int64_t id, struct queue_item_row *out, char *err, size_t errlen)
{
	int rc;

	if (!queue_may_open(v))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only listeners have a queue");
	rc = store_queue_item_get(id, out);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK || !queue_may_see(v, out))
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	return M_OK;
}

enum mresult queue_get(const struct viewer *v, int64_t id, struct queue_item_row *out,
		       char *err, size_t errlen)
{
	return find(v, id, out, err, errlen);
}

enum mresult queue_actions(const struct viewer *v, int64_t id,
			   void (*fn)(const struct queue_action_row *, void *), void *ctx,
			   char *err, size_t errlen)
{
	struct queue_item_row it;
	enum mresult r = find(v, id, &it, err, errlen);

	if (r != M_OK)
		return r;
	if (store_queue_actions(id, fn, ctx) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

/* ---- acting -------------------------------------------------------------- */

/* Write the item, its action and the notifications in one transaction. */
static enum mresult save(const struct viewer *v, struct queue_item_row *it, const char *action,
			 const char *detail, int64_t notify_to, char *err, size_t errlen)
{
	struct notify_batch nb;

	memset(&nb, 0, sizeof nb);
	it->updated_at = time_now_ms();
	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (store_queue_item_update(it) != STORE_OK || queue_record(it->id, v->account.id, action, detail) < 0)
		goto fail;
	if (notify_to && !strcmp(it->kind, "question") &&
	    notify_add(&nb, notify_to, v->account.id, "parley.question_assigned", it->post_id, NULL) < 0)
		goto fail;
	if (store_commit() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	notify_publish(&nb);
	return M_OK;
fail:
	store_rollback();
	return mresult_fail(err, errlen, M_ERROR, "Storage error");
}

enum mresult queue_assign(const struct viewer *v, int64_t id, int64_t account_id,
			  struct queue_item_row *out, char *err, size_t errlen)
{
	struct account_row a;
	struct post_row p;
	char detail[64];
	enum mresult r = find(v, id, out, err, errlen);
	int rc, ok, again;

	if (r != M_OK)
		return r;
	rc = store_account_get(account_id, &a);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK || a.suspended)
		return mresult_fail(err, errlen, M_INVALID, "No such account");
	if (store_post_get(out->post_id, &p) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	ok = audience_account_may_read(&a, &p);
	post_row_release(&p);
	if (!ok)
		return mresult_fail(err, errlen, M_INVALID, "The assignee cannot read this post");
	if (out->assignee_id == account_id && !strcmp(out->state, "open"))
		return M_OK; /* already theirs */
	again = out->assignee_id != 0;
	out->assignee_id = account_id;
	out->assigned_at = time_now_ms();
	snprintf(detail, sizeof detail, "@%s", a.username);
	return save(v, out, again ? "reassigned" : "assigned", detail, account_id, err, errlen);
}

enum mresult queue_unassign(const struct viewer *v, int64_t id, struct queue_item_row *out,
			    char *err, size_t errlen)
{
	enum mresult r = find(v, id, out, err, errlen);

	if (r != M_OK)
		return r;
	if (!out->assignee_id)
		return M_OK;
	out->assignee_id = 0;
	out->assigned_at = 0;
	return save(v, out, "unassigned", "", 0, err, errlen);
}

enum mresult queue_snooze(const struct viewer *v, int64_t id, int64_t until_ms,
			  struct queue_item_row *out, char *err, size_t errlen)
{
	char detail[40];
	enum mresult r;

	if (until_ms <= time_now_ms())
		return mresult_fail(err, errlen, M_INVALID, "Snooze until a time in the future");
	r = find(v, id, out, err, errlen);
	if (r != M_OK)
		return r;
	out->snoozed_until = until_ms;
	time_format_iso(detail, sizeof detail, until_ms);
	return save(v, out, "snoozed", detail, 0, err, errlen);
}

enum mresult queue_close(const struct viewer *v, int64_t id, const char *reason,
			 struct queue_item_row *out, char *err, size_t errlen)
{
	enum mresult r;

	if (reason && strlen(reason) >= sizeof out->close_reason)
		return mresult_fail(err, errlen, M_INVALID, "reason is too long");
	r = find(v, id, out, err, errlen);
	if (r != M_OK)
		return r;
	snprintf(out->state, sizeof out->state, "closed");
	snprintf(out->close_reason, sizeof out->close_reason, "%s", reason ? reason : "");
	return save(v, out, "closed", out->close_reason, 0, err, errlen);
}

enum mresult queue_reopen(const struct viewer *v, int64_t id, struct queue_item_row *out,
			  char *err, size_t errlen)
{
	enum mresult r = find(v, id, out, err, errlen);

	if (r != M_OK)
		return r;
	if (!strcmp(out->state, "open"))
		return M_OK;
	snprintf(out->state, sizeof out->state, "open");
	out->close_reason[0] = '\0';
	out->snoozed_until = 0;
	return save(v, out, "reopened", "", 0, err, errlen);
}
