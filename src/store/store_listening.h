/*
 * store_listening.h - what listeners watch (keywords and accounts, table
 * listen_watches) and the queue items those watches create (queue_items
 * of kind mention or keyword, with their "created" action). Scope:
 * space_id > 0 for a space's listeners, 0 for the organisation's.
 *
 * Same rules as store.h: STORE_OK, STORE_NOTFOUND, STORE_CONFLICT,
 * STORE_ERROR (logged here). Permission and matching are the model's
 * (model/listening.c). Callbacks borrow their arguments for the call.
 */
#ifndef PARLEY_STORE_STORE_LISTENING_H
#define PARLEY_STORE_STORE_LISTENING_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* STORE_OK when any scope watches anything, STORE_NOTFOUND when none
 * does (one index probe: cheap enough to ask after every post). */
int store_watches_any(void);

/* The watches of one scope: fn(kind, value) with kind "keyword" (value:
 * the lower-case keyword) or "account" (value: the account id in
 * decimal), keywords first, each sorted. STORE_OK or STORE_ERROR. */
int store_watches(int64_t space_id, void (*fn)(const char *kind, const char *value, void *), void *ctx);

/* Replace the watches of a scope with these keywords and account ids, in
 * one transaction of its own. STORE_OK or STORE_ERROR. */
int store_watches_replace(int64_t space_id, char *const *keywords, size_t nkeywords,
			  const int64_t *accounts, size_t naccounts, int64_t by, int64_t now_ms);

/* Every scope that watches something: fn(space_id). */
int store_watch_scopes(void (*fn)(int64_t space_id, void *), void *ctx);

/* Create the queue item of kind ("mention" or "keyword") for post_id in
 * the scope, with `matched` and a "created" action by Parley (actor 0),
 * unless the scope already has a mention or keyword item for that post.
 * Runs inside the caller's transaction. STORE_OK when created,
 * STORE_CONFLICT when it existed, STORE_ERROR. */
int store_watch_item_create(int64_t item_id, int64_t action_id, const char *kind, int64_t post_id,
			    int64_t space_id, const char *matched, int64_t now_ms);

#endif
