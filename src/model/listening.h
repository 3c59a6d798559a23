/*
 * listening.h - what listeners watch, so that nothing said to the
 * organisation goes unheard (issue 7): keywords and accounts per scope (a
 * space's listeners, or the organisation's with space 0), and the durable
 * job that turns a matching post into a queue item.
 *
 * Matching (listening_post_job): a post matches a scope when it mentions
 * a watched account (kind "mention", matched "@username"), or else when
 * its title, text or content warning contains a watched keyword as a
 * whole word or phrase, ignoring case (Unicode case fold; kind "keyword",
 * matched the keyword). Word characters are letters, digits, '_' and any
 * non-ASCII character, so "api" does not match "rapid" nor "apis".
 * One item per (post, scope), created once however often the job runs,
 * and only when at least one listener of the scope may read the post
 * (listener_ids(): space listeners who are members, org listeners who are
 * staff; audience_account_may_read()). The queue shows an item only to
 * listeners who may read its post (model/queue, another module).
 *
 * Who manages watches: a space's owners and moderators and its listeners;
 * the organisation's: org listeners and admins.
 *
 * Nothing here allocates what the caller must free.
 */
#ifndef PARLEY_MODEL_LISTENING_H
#define PARLEY_MODEL_LISTENING_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"

#define LISTEN_KEYWORDS_MAX 50
#define LISTEN_KEYWORD_MAX 100   /* bytes, after case folding */
#define LISTEN_ACCOUNTS_MAX 50

struct space_view;

struct listening_watches {
	char keywords[LISTEN_KEYWORDS_MAX][LISTEN_KEYWORD_MAX + 1];
	size_t nkeywords;
	int64_t accounts[LISTEN_ACCOUNTS_MAX];
	size_t naccounts;
};

/* May v read and change the watches of the scope (sv NULL: the
 * organisation)? 1 yes, 0 no. */
int listening_may_manage(const struct viewer *v, const struct space_view *sv);

/* The scope's watches into *out. M_FORBIDDEN when v may not manage them,
 * M_ERROR on storage failure. */
enum mresult listening_get(const struct viewer *v, const struct space_view *sv,
			   struct listening_watches *out, char *err, size_t errlen);

/* Replace the scope's watches: keywords (trimmed, case-folded, inner
 * spaces collapsed, duplicates dropped; each 1-100 bytes, at most 50) and
 * accounts by username (with or without '@'; at most 50; each must be an
 * account v may see). M_INVALID with a message for a bad keyword or an
 * unknown account, M_FORBIDDEN, M_ERROR. On success *out (may be NULL)
 * holds the new watches. */
enum mresult listening_put(const struct viewer *v, const struct space_view *sv,
			   const char *const *keywords, size_t nkeywords,
			   const char *const *usernames, size_t nusernames,
			   struct listening_watches *out, char *err, size_t errlen);

/* 1 when `text` contains `keyword` (already folded: listening_fold) as a
 * whole word or phrase, ignoring case; 0 when not. */
int listening_text_matches(const char *text, const char *keyword);

/* The normalised form of a keyword into out (n bytes): folded, trimmed,
 * inner white space collapsed to one space. -1 when it is empty, has no
 * word character, or does not fit. */
int listening_fold(const char *keyword, char *out, size_t n);

/* Called by post_create() inside its transaction: schedules "listen.post"
 * for the new post when any scope watches anything (one cheap query
 * otherwise). Returns 1 when scheduled (call listening_kick() after the
 * commit), 0 when nothing watches, -1 on storage error. */
int listening_schedule(int64_t post_id, int64_t now_ms);
/* Wake the job worker (after the commit). */
void listening_kick(void);

/* The durable job "listen.post" (ref = post id): creates the queue items.
 * 0 on success (also when the post is gone), -1 to retry. */
int listening_post_job(int64_t post_id);

#endif
