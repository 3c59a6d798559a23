/*
 * store_discovery.h - storage queries that help people find each other
 * and what is being talked about: follow suggestions and trends.
 *
 * Same rules as store.h. Suggestions apply the account visibility rule
 * in SQL (ACCOUNT_VISIBLE_SQL, the twin of audience_may_see_account());
 * trends count only public posts, which anyone may read.
 */
#ifndef PARLEY_STORE_STORE_DISCOVERY_H
#define PARLEY_STORE_STORE_DISCOVERY_H

#include <stdint.h>

#include "store/store_posts.h"

/* Accounts the viewer (aud->viewer_id) might follow, best first: people
 * they share spaces with, people followed by those they follow, then the
 * most followed. Never the viewer, someone they follow, asked to follow,
 * muted, blocked or were blocked by, dismissed, a suspended or
 * undiscoverable account, nor one they may not see.
 * fn(account, shared spaces, followed by how many of the viewer's
 * follows, followers). */
int store_suggestions(const struct store_audience *aud, int64_t now_ms, int limit,
		      void (*fn)(int64_t account_id, int64_t spaces, int64_t via_follows,
				 int64_t followers, void *), void *ctx);
int store_suggestion_dismiss(int64_t account_id, int64_t target_id, int64_t now_ms);

/* Hashtags of public posts (not reblogs, not by suspended accounts)
 * written since since_ms, by the number of people using them, then
 * uses. fn(tag id, name, accounts, uses). */
int store_trending_tags(int64_t since_ms, int limit, int offset,
			void (*fn)(int64_t tag_id, const char *name, int64_t accounts, int64_t uses, void *),
			void *ctx);
/* Public posts (not reblogs, not by suspended accounts) written since
 * since_ms with at least one favourite, reblog or reply, by those
 * counts. */
int store_trending_posts(int64_t since_ms, int limit, int offset,
			 void (*fn)(const struct post_row *, void *), void *ctx);

#endif
