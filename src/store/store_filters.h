/*
 * store_filters.h - storage of keyword and status filters (Mastodon's
 * filters, v2 with v1 as a view of their keywords).
 *
 * Same rules as store.h: return codes STORE_OK, STORE_NOTFOUND,
 * STORE_CONFLICT, STORE_ERROR (logged). Rows are plain structs with fixed
 * arrays: nothing to free. Every function that takes an account id only
 * touches that account's filters: a filter of someone else is NOTFOUND.
 */
#ifndef PARLEY_STORE_STORE_FILTERS_H
#define PARLEY_STORE_STORE_FILTERS_H

#include <stdint.h>

#include "store/store.h"

#define FILTER_TITLE_MAX 256     /* characters */
#define FILTER_KEYWORD_MAX 256   /* characters */

struct filter_row {
	int64_t id;
	int64_t account_id;
	char title[FILTER_TITLE_MAX * 4 + 1];
	char context[64];        /* space-separated: home notifications public thread account */
	char action[8];          /* warn, hide */
	int64_t expires_at;      /* ms, 0: never */
	int64_t created_at;
};

struct filter_keyword_row {
	int64_t id;
	int64_t filter_id;
	char keyword[FILTER_KEYWORD_MAX * 4 + 1];
	int whole_word;
};

struct filter_status_row {
	int64_t id;
	int64_t filter_id;
	int64_t post_id;
};

int store_filter_insert(const struct filter_row *f);
/* Title, context, action, expires_at. */
int store_filter_update(const struct filter_row *f);
int store_filter_delete(int64_t account_id, int64_t id);
int store_filter_get(int64_t account_id, int64_t id, struct filter_row *out);
/* The account's filters, oldest first; only_active leaves out those
 * expired at now_ms. */
int store_filter_list(int64_t account_id, int only_active, int64_t now_ms,
		      void (*fn)(const struct filter_row *, void *), void *ctx);
/* Every account with a filter not expired at now_ms (fn once each). */
int store_filter_owners(int64_t now_ms, void (*fn)(int64_t account_id, void *), void *ctx);

int store_filter_keyword_insert(const struct filter_keyword_row *k);
int store_filter_keyword_update(const struct filter_keyword_row *k);
int store_filter_keyword_delete(int64_t account_id, int64_t id);
/* A keyword by its id, with the filter it belongs to (of that account). */
int store_filter_keyword_get(int64_t account_id, int64_t id, struct filter_keyword_row *out);
/* Keywords of one filter (filter_id) or, with filter_id 0, of every filter
 * of the account; oldest first. */
int store_filter_keywords(int64_t account_id, int64_t filter_id,
			  void (*fn)(const struct filter_keyword_row *, void *), void *ctx);
int64_t store_filter_keyword_count(int64_t filter_id);

/* CONFLICT when the post is already in the filter. */
int store_filter_status_insert(const struct filter_status_row *s);
int store_filter_status_delete(int64_t account_id, int64_t id);
int store_filter_status_get(int64_t account_id, int64_t id, struct filter_status_row *out);
/* Statuses of one filter, or of every filter of the account (filter_id 0). */
int store_filter_statuses(int64_t account_id, int64_t filter_id,
			  void (*fn)(const struct filter_status_row *, void *), void *ctx);

#endif
