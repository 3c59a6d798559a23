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
 * and its thumbnail (signed when sign is set: model/media.h), meta sizes
 * and focus, description. New reference. */
json_t *mastodon_media(const struct request *rq, const struct media_row *m, int sign);

struct timeline_query;
/* Answer a page of timeline q (kind and its id set by the caller; paging
 * read from the request) as an array of statuses with a Link header. */
void mastodon_answer_timeline(struct request *rq, struct response *rs, struct timeline_query *q);
/* POST /api/v1/statuses, into space_id when non-zero. */
void mastodon_post_status(struct request *rq, struct response *rs, int64_t space_id);

struct filter_row;
/* The Filter entity (v2) of a stored filter (api/mastodon/filters.c);
 * with_rules adds its keywords and statuses (read from the store). New
 * reference. */
json_t *mastodon_filter(const struct filter_row *f, int with_rules);

struct mrender;
struct conversation_view;
/* The Conversation entity (api/mastodon/conversations.c): the other
 * participants, the last status the viewer may read, unread. New
 * reference, NULL on failure. */
json_t *mastodon_conversation(struct mrender *m, const struct conversation_view *cv);

/* Accounts matching q for /api/v1/accounts/search and /api/v2/search
 * (the people directory; see accounts.c). A new JSON array, or NULL with
 * err for bad arguments. */
json_t *mastodon_account_search(struct request *rq, const char *q, long limit, long offset,
				int following, char *err, size_t errlen);

void mastodon_routes(void);

#endif
