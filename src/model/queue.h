/*
 * queue.h - the listeners' queue (issue 7; docs/API.md, "Listeners and
 * the queue").
 *
 * An item is a question (created when it is routed, model/routing.c) or a
 * post that mentions a watched account or holds a watched keyword (kind
 * mention / keyword, created by the listening job). Each item belongs to
 * a scope: a space's listeners (space_id), or the organisation's
 * (space_id 0).
 *
 * Who sees an item: space listeners see the items of their spaces, org
 * listeners every item; in both cases only when they may read the item's
 * post (the audience rule), checked on every item of every list and
 * every read. Anyone else gets 403 for the queue and 404 for an item.
 *
 * Every change is recorded as an action with who (NULL actor: Parley)
 * and when. Closing a question's item does not close the question.
 *
 * Results: M_OK, or M_FORBIDDEN / M_NOTFOUND / M_INVALID with a message in
 * err, or M_ERROR. Nothing here allocates what the caller must free.
 */
#ifndef PARLEY_MODEL_QUEUE_H
#define PARLEY_MODEL_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "model/notify.h"
#include "model/result.h"
#include "model/viewer.h"
#include "store/store_queue.h"

#define QUEUE_LIMIT_DEFAULT 20
#define QUEUE_LIMIT_MAX 40

/* "unassigned" ... "all" -> the view; -1 for an unknown name. */
int queue_view_parse(const char *name);

/* 1 when v is a listener of any scope (may open the queue). */
int queue_may_open(const struct viewer *v);
/* 1 when v may see and act on the item: a listener of its scope (or an org
 * listener) who may read its post. */
int queue_may_see(const struct viewer *v, const struct queue_item_row *it);

struct queue_list_request {
	enum queue_view view;
	int64_t space_id;            /* > 0 one space; 0 every scope v listens to */
	int64_t max_id;              /* 0: from the newest */
	int limit;                   /* 1..QUEUE_LIMIT_MAX */
};
/* Items of the view v may see, newest first; fn gets each (borrowed).
 * *last_id gets the id of the last item examined (for paging).
 * M_FORBIDDEN when v listens to nothing, M_ERROR. */
enum mresult queue_list(const struct viewer *v, const struct queue_list_request *rq,
			void (*fn)(const struct queue_item_row *, void *), void *ctx, int64_t *last_id,
			char *err, size_t errlen);
/* One item. M_FORBIDDEN for non-listeners, M_NOTFOUND when absent or not
 * visible to v. */
enum mresult queue_get(const struct viewer *v, int64_t id, struct queue_item_row *out,
		       char *err, size_t errlen);
/* Its actions, oldest first (rows borrowed by fn). Same failures. */
enum mresult queue_actions(const struct viewer *v, int64_t id,
			   void (*fn)(const struct queue_action_row *, void *), void *ctx,
			   char *err, size_t errlen);

/* Assign (or re-assign) to account_id, who must be able to read the post
 * (M_INVALID otherwise); notifies them ("parley.question_assigned" for a
 * question). Unassign, snooze until a time (ms, in the future), close
 * with an optional reason, reopen. *out gets the item after the change. */
enum mresult queue_assign(const struct viewer *v, int64_t id, int64_t account_id,
			  struct queue_item_row *out, char *err, size_t errlen);
enum mresult queue_unassign(const struct viewer *v, int64_t id, struct queue_item_row *out,
			    char *err, size_t errlen);
enum mresult queue_snooze(const struct viewer *v, int64_t id, int64_t until_ms,
			  struct queue_item_row *out, char *err, size_t errlen);
enum mresult queue_close(const struct viewer *v, int64_t id, const char *reason,
			 struct queue_item_row *out, char *err, size_t errlen);
enum mresult queue_reopen(const struct viewer *v, int64_t id, struct queue_item_row *out,
			  char *err, size_t errlen);

/* For model/ code inside its own transaction: record an action (actor 0:
 * Parley). 0, or -1 on a storage error. */
int queue_record(int64_t item_id, int64_t actor_id, const char *action, const char *detail);
/* The same for a question's item, if it has one yet (routing makes it):
 * action "answered" or "accepted", detail the answer's id (ref_id, 0 for
 * none). 0 (also when there is no item), or -1 on a storage error. */
int queue_question_event(int64_t question_id, int64_t actor_id, const char *action, int64_t ref_id);

/* 1 when a question item is overdue now: the question is still open and
 * its due time passed, or it escalated to the listeners. */
int queue_question_overdue(const char *state, int64_t due_at, int escalation_level, int64_t now_ms);

#endif
