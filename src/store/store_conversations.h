/*
 * store_conversations.h - storage of direct conversations: which
 * conversation each direct post belongs to, and each participant's view
 * of a conversation (read or not, removed or not).
 *
 * Same rules as store.h: return codes STORE_OK, STORE_NOTFOUND,
 * STORE_CONFLICT, STORE_ERROR (logged). Callbacks borrow for the call.
 */
#ifndef PARLEY_STORE_STORE_CONVERSATIONS_H
#define PARLEY_STORE_STORE_CONVERSATIONS_H

#include <stdint.h>

#include "store/store.h"

/* Put a post in a conversation (in the caller's transaction). */
int store_conversation_add_post(int64_t post_id, int64_t conversation_id);
/* The conversation of a post; NOTFOUND when it is in none. */
int store_conversation_of_post(int64_t post_id, int64_t *conversation_id);
/* A participant's row: created, or moved to last_status_id (the newest
 * post), marked unread (1: someone else wrote) or read (0: they wrote). */
int store_conversation_touch(int64_t account_id, int64_t conversation_id, int64_t last_status_id,
			     int unread);

struct conversation_row {
	int64_t conversation_id;
	int unread;
	int64_t last_status_id;   /* the newest post when it was touched (it may be gone since) */
};

/* The account's conversations by last_status_id, newest first, below
 * max_id (0: no bound) and above min_id (0: no bound). */
int store_conversation_list(int64_t account_id, int64_t max_id, int64_t min_id, int limit,
			    void (*fn)(const struct conversation_row *, void *), void *ctx);
int store_conversation_get(int64_t account_id, int64_t conversation_id, struct conversation_row *out);
/* NOTFOUND when the account has no such conversation. */
int store_conversation_mark_read(int64_t account_id, int64_t conversation_id);
int store_conversation_remove(int64_t account_id, int64_t conversation_id);
/* Posts still in the conversation, newest first (fn(post id)); stops after max. */
int store_conversation_posts(int64_t conversation_id, int max, void (*fn)(int64_t post_id, void *), void *ctx);
/* Everyone who wrote or was mentioned in the conversation, once each. */
int store_conversation_participants(int64_t conversation_id, void (*fn)(int64_t account_id, void *),
				    void *ctx);

#endif
