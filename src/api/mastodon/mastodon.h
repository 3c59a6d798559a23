/*
 * mastodon.h - handlers and entities of the Mastodon client API.
 *
 * Entities follow Mastodon's documentation field by field, with null where
 * a value is empty, string ids, and ISO 8601 dates with milliseconds.
 * Parley-only information rides in an extra "parley" object, which
 * Mastodon clients ignore.
 */
#ifndef PARLEY_API_MASTODON_H
#define PARLEY_API_MASTODON_H

#include <jansson.h>

#include "http/request.h"
#include "store/store.h"

/* The Account entity; with_source adds the "source" and "role" parts that
 * only the account's owner sees (verify_credentials). New reference. */
json_t *mastodon_account(const struct request *rq, const struct account_row *a, int with_source);
/* "2026-01-02T03:04:05.678Z" as a new JSON string. */
json_t *mastodon_date(int64_t ms);

struct media_row;
/* The MediaAttachment entity (api/mastodon/media.c): urls of the file
 * and its thumbnail, meta sizes and focus, description. New reference. */
json_t *mastodon_media(const struct request *rq, const struct media_row *m);

/* Accounts matching q for /api/v1/accounts/search and /api/v2/search
 * (the people directory; see accounts.c). A new JSON array, or NULL with
 * err for bad arguments. */
json_t *mastodon_account_search(struct request *rq, const char *q, long limit, long offset,
				int following, char *err, size_t errlen);

void mastodon_routes(void);

#endif
