/*
 * store_listeners.h - storage of listeners: the people who watch a space's
 * incoming questions and mentions (space_id > 0), or the whole
 * organisation's (space_id 0). Table `listeners` (0007_questions.sql).
 *
 * Same rules as store.h: STORE_OK, STORE_NOTFOUND, STORE_CONFLICT,
 * STORE_ERROR (logged here). Permission decisions are the model's
 * (model/listener.c). Callbacks borrow their rows for the call.
 */
#ifndef PARLEY_STORE_STORE_LISTENERS_H
#define PARLEY_STORE_STORE_LISTENERS_H

#include <stdint.h>

#include "store/store.h"

/* STORE_OK when the account listens to that scope, STORE_NOTFOUND when not. */
int store_listener_exists(int64_t space_id, int64_t account_id);
/* Add (STORE_CONFLICT when already there). */
int store_listener_add(int64_t space_id, int64_t account_id, int64_t added_by, int64_t now);
/* Remove; STORE_NOTFOUND when the account was not a listener. */
int store_listener_remove(int64_t space_id, int64_t account_id);
/* The account ids of a scope's listeners, oldest first. STORE_OK or
 * STORE_ERROR. */
int store_listeners(int64_t space_id, void (*fn)(int64_t account_id, void *), void *ctx);
/* Ids of the spaces (> 0) the account listens to, up to max; the count,
 * or -1 on error. */
int store_listener_spaces(int64_t account_id, int64_t *ids, int max);

#endif
