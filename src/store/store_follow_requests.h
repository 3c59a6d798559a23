/*
 * store_follow_requests.h - storage of follow requests: who asked to
 * follow a locked account and has not been answered yet.
 *
 * Same rules as store.h: return codes STORE_OK, STORE_NOTFOUND,
 * STORE_CONFLICT, STORE_ERROR (logged). Callbacks borrow for the call.
 */
#ifndef PARLEY_STORE_STORE_FOLLOW_REQUESTS_H
#define PARLEY_STORE_STORE_FOLLOW_REQUESTS_H

#include <stdint.h>

#include "store/store.h"

/* CONFLICT when account_id already asked to follow target_id. */
int store_follow_request_add(int64_t account_id, int64_t target_id, int64_t id, int64_t now_ms);
/* NOTFOUND when there was no such request. */
int store_follow_request_remove(int64_t account_id, int64_t target_id);
/* Remove requests both ways between a and b (a block). */
int store_follow_request_remove_between(int64_t a, int64_t b);
int store_follow_request_exists(int64_t account_id, int64_t target_id);   /* OK / NOTFOUND */
/* Requests to target_id, newest first, by request id: below max_id
 * (0: from the newest), above since_id (0: no bound). fn(row id,
 * requester). */
int store_follow_request_list(int64_t target_id, int64_t max_id, int64_t since_id, int limit,
			      void (*fn)(int64_t row_id, int64_t account_id, void *), void *ctx);
/* Pending requests to target_id; -1 on error. */
int64_t store_follow_request_count(int64_t target_id);

#endif
