/*
 * discovery.h - helping people find each other and the conversation:
 * follow suggestions and trends.
 *
 * Suggestions come from the viewer's neighbourhood: people they share
 * spaces with (the strongest sign), people followed by those they follow,
 * then the most followed accounts; never anyone the viewer may not see
 * (the audience rule, applied in the query), follows already, asked to
 * follow, muted, blocked or dismissed. Skills arrive with profiles
 * (issue 3) and are not used yet.
 *
 * Trends are simple for now: over the last TRENDS_DAYS days, hashtags by
 * how many people used them in public posts, and public posts by
 * favourites, reblogs (counted twice) and replies. Only public posts
 * count, so a trend never reveals organisation, space or private
 * content.
 */
#ifndef PARLEY_MODEL_DISCOVERY_H
#define PARLEY_MODEL_DISCOVERY_H

#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"
#include "store/store_posts.h"

#define TRENDS_DAYS 7
#define SUGGESTIONS_LIMIT_MAX 80

struct suggestion {
	int64_t account_id;
	int64_t shared_spaces;
	int64_t via_follows;     /* how many of the viewer's follows follow them */
	int64_t followers;
};

/* limit clamped to 1..80 (default 40). */
enum mresult suggestions_list(const struct viewer *v, int limit,
			      void (*fn)(const struct suggestion *, void *), void *ctx);
/* Never suggest this account to v again. M_OK also when it was not
 * suggested (Mastodon answers 200 either way). */
enum mresult suggestion_dismiss(const struct viewer *v, int64_t account_id);

/* limit clamped to 1..20 (default 10). fn(tag id, name, accounts, uses). */
enum mresult trends_tags(int limit, int offset,
			 void (*fn)(int64_t tag_id, const char *name, int64_t accounts, int64_t uses, void *),
			 void *ctx);
/* limit clamped to 1..40 (default 20); only posts v may read. */
enum mresult trends_statuses(const struct viewer *v, int limit, int offset,
			     void (*fn)(const struct post_row *, void *), void *ctx);

#endif
