/*
 * store_queue.h - storage of the listeners' queue: queue items (a question,
 * or a post that mentions a watched account or holds a watched keyword,
 * owned by a scope: a space, or the organisation with space_id 0) and the
 * history of what was done to each (queue_actions). Tables in
 * migrations/0007_questions.sql.
 *
 * Same rules as store.h: STORE_OK, STORE_NOTFOUND, STORE_CONFLICT (an item
 * of that kind, post and scope exists), STORE_ERROR (logged here). Writes
 * run in the caller's transaction when there is one. Lists apply the
 * scope and view given by the model; whether the viewer may read each
 * item's post is the model's check (model/queue.c), done on every row.
 */
#ifndef PARLEY_STORE_STORE_QUEUE_H
#define PARLEY_STORE_STORE_QUEUE_H

#include <stdint.h>

#define QUEUE_MATCHED_MAX 256
#define QUEUE_DETAIL_MAX 512

struct queue_item_row {
	int64_t id;
	char kind[12];           /* question mention keyword */
	int64_t post_id;
	int64_t space_id;        /* 0: the organisation's listeners */
	char state[8];           /* open closed */
	int64_t assignee_id;     /* 0: nobody */
	int64_t assigned_at;
	int64_t snoozed_until;   /* 0: not snoozed */
	char matched[QUEUE_MATCHED_MAX];
	char close_reason[QUEUE_DETAIL_MAX];
	int64_t created_at;
	int64_t updated_at;
};

/* Insert (the id is the caller's); STORE_CONFLICT when (kind, post_id,
 * space_id) exists. */
int store_queue_item_insert(const struct queue_item_row *r);
int store_queue_item_get(int64_t id, struct queue_item_row *out);
/* The item of a kind for a post in a scope. */
int store_queue_item_find(const char *kind, int64_t post_id, int64_t space_id, struct queue_item_row *out);
/* The question item of a question (whatever its scope). */
int store_queue_item_of_question(int64_t question_id, struct queue_item_row *out);
/* Write state, assignee_id, assigned_at, snoozed_until, close_reason and
 * updated_at from r. */
int store_queue_item_update(const struct queue_item_row *r);

struct queue_action_row {
	int64_t id;
	int64_t item_id;
	int64_t actor_id;        /* 0: Parley (routing, escalation) */
	char action[16];         /* created suggested assigned reassigned unassigned escalated
	                          * snoozed closed reopened answered accepted */
	char detail[QUEUE_DETAIL_MAX];
	int64_t created_at;
};

int store_queue_action_insert(const struct queue_action_row *r);
/* Oldest first. STORE_OK or STORE_ERROR. */
int store_queue_actions(int64_t item_id, void (*fn)(const struct queue_action_row *, void *), void *ctx);

enum queue_view {
	QUEUE_UNASSIGNED, QUEUE_ASSIGNED, QUEUE_MINE, QUEUE_OVERDUE, QUEUE_AWAITING,
	QUEUE_MENTIONS, QUEUE_CLOSED, QUEUE_ALL,
};

struct queue_query {
	enum queue_view view;
	int all_scopes;          /* every scope (an org listener) ... */
	const int64_t *spaces;   /* ... else these scopes (space ids; 0 = the organisation) */
	int nspaces;
	int64_t space_id;        /* > 0: only this space's items; -1: only the organisation's; 0: no filter */
	int64_t me;              /* for QUEUE_MINE */
	int64_t now;             /* for snoozes and due dates */
	int64_t max_id;          /* 0: from the newest */
	int limit;
};
/* Items of the view, newest first. STORE_OK or STORE_ERROR. */
int store_queue_list(const struct queue_query *q, void (*fn)(const struct queue_item_row *, void *), void *ctx);

#endif
