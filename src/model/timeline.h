/*
 * timeline.h - reading lists of posts: timelines, bookmarks, favourites
 * and thread context, always through the viewer's audience filter.
 *
 * Pagination follows Mastodon: max_id (older than), since_id (newer than,
 * newest first), min_id (just newer than, oldest first, returned newest
 * first), limit (default 20, at most 40).
 */
#ifndef PARLEY_MODEL_TIMELINE_H
#define PARLEY_MODEL_TIMELINE_H

#include "model/result.h"
#include "model/viewer.h"
#include "store/store_posts.h"

#define TIMELINE_LIMIT_DEFAULT 20
#define TIMELINE_LIMIT_MAX 40
#define CONTEXT_MAX 200

/* Clamp a requested limit (0 or negative: the default). */
int timeline_limit(long requested, int def, int max);

/* Fill q->aud from the viewer and run the query. TL_HOME needs a signed-in
 * viewer (M_UNAUTHORIZED), TL_ORGANISATION a staff one (M_FORBIDDEN). */
enum mresult timeline_read(const struct viewer *v, struct timeline_query *q,
			   void (*fn)(const struct post_row *, void *), void *ctx);
/* Bookmarks / favourites of the viewer; first and last: list row ids for the
 * Link header. */
enum mresult timeline_bookmarks(const struct viewer *v, struct timeline_query *q, int favourites,
				int64_t *first, int64_t *last,
				void (*fn)(const struct post_row *, void *), void *ctx);

/* The thread around a post v may read: its ancestors (oldest first) and
 * descendants (in reply order), each readable by v. M_NOTFOUND when the
 * post itself is not readable. */
enum mresult timeline_context(const struct viewer *v, int64_t id,
			      void (*ancestor)(const struct post_row *, void *),
			      void (*descendant)(const struct post_row *, void *), void *ctx);

#endif
