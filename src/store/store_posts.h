/*
 * store_posts.h - the storage interface for conversations: posts and what
 * hangs off them (mentions, tags, edits, reactions, polls), follows,
 * blocks and mutes, notifications and markers.
 *
 * Same rules as store.h: the model never sees SQL; return codes are
 * STORE_OK, STORE_NOTFOUND, STORE_CONFLICT, STORE_ERROR (logged here).
 *
 * Audience: every list function here takes a struct store_audience, the
 * filter model/audience.c computes for the viewer. The backend turns it
 * into one SQL predicate (see sqlite_posts.c: AUDIENCE_SQL); the model's
 * single-object check (audience_may_read) must agree with it, and
 * tests/unit/test_audience.c walks the matrix to prove it.
 *
 * Ownership: struct post_row owns its text fields (malloc'ed);
 * post_row_release() frees them. Callbacks receive rows they borrow for
 * the duration of the call.
 */
#ifndef PARLEY_STORE_STORE_POSTS_H
#define PARLEY_STORE_STORE_POSTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct post_row {
	int64_t id;
	int64_t account_id;
	char audience[16];        /* public, organisation, followers, direct, space */
	int64_t space_id;
	char kind[8];             /* note, article */
	int64_t in_reply_to_id;   /* 0: none */
	int64_t in_reply_to_account_id;
	int64_t reblog_of_id;     /* 0: not a reblog */
	int64_t quote_of_id;
	char *title;
	char *source;
	char *content;            /* sanitised HTML */
	char *spoiler_text;
	int sensitive;
	char language[16];
	int64_t app_id;
	int has_media;
	int has_poll;
	int64_t created_at;
	int64_t edited_at;        /* 0: never */
	int64_t replies_count;
	int64_t reblogs_count;
	int64_t favourites_count;
};

void post_row_release(struct post_row *p);

/* Who is reading, as the backend needs it. viewer_id 0: anonymous. */
struct store_audience {
	int64_t viewer_id;
	int staff;                /* may read audience 'organisation' */
	int privileged;           /* admin or moderator: sees suspended accounts */
};

/* ---- posts ---------------------------------------------------------- */

int store_post_insert(const struct post_row *p);
/* Any post by id (no audience check: the model checks). */
int store_post_get(int64_t id, struct post_row *out);
/* Replace the text fields; the previous version is kept in post_edits. */
int store_post_update(const struct post_row *p);
int store_post_delete(int64_t id);
/* The reblog of post_id by account_id, if any (its id in *out). */
int store_post_reblog_of(int64_t account_id, int64_t post_id, int64_t *out);

struct post_edit_row {
	char *title, *source, *content, *spoiler_text;
	char *poll_options;       /* newline-separated; "" when there was no poll */
	int sensitive;
	int64_t created_at;
};
/* Earlier versions of a post, oldest first. */
int store_post_edits(int64_t post_id, void (*fn)(const struct post_edit_row *, void *), void *ctx);

/* Mentions, tags and links of a post (replaced as a whole on edit). */
int store_post_set_mentions(int64_t post_id, const int64_t *account_ids, size_t n);
int store_post_mentions(int64_t post_id, int64_t *ids, size_t max, size_t *n);
int store_post_mentions_account(int64_t post_id, int64_t account_id);  /* OK / NOTFOUND */
int store_post_set_tags(int64_t post_id, char *const *names, size_t n, int64_t now_ms);
int store_post_tags(int64_t post_id, void (*fn)(const char *name, void *), void *ctx);
int store_post_set_links(int64_t post_id, char *const *urls, size_t n);

/* ---- timelines ------------------------------------------------------ */

enum timeline_kind {
	TL_HOME,          /* own posts, followed accounts and tags (not muted) */
	TL_PUBLIC,        /* audience public, no reblogs */
	TL_ORGANISATION,  /* public and organisation posts of staff, no reblogs */
	TL_TAG,           /* posts with tag_id */
	TL_ACCOUNT,       /* posts by account_id */
	TL_PINNED,        /* posts pinned by account_id */
	TL_REPLIES,       /* direct replies to post_id (oldest first) */
	TL_SPACE,         /* posts in space_id (text: only those containing it) */
	TL_SPACE_PINS,    /* posts pinned in space_id */
	TL_LIST,          /* posts by the accounts of personal list list_id (text: its replies policy) */
	TL_SEARCH,        /* posts (not reblogs) whose title or text contains text, ignoring case */
};

struct timeline_query {
	enum timeline_kind kind;
	struct store_audience aud;
	int64_t account_id;       /* TL_ACCOUNT, TL_PINNED */
	int64_t tag_id;           /* TL_TAG */
	int64_t post_id;          /* TL_REPLIES */
	int64_t space_id;         /* TL_SPACE, TL_SPACE_PINS */
	int64_t list_id;          /* TL_LIST */
	const char *text;         /* TL_SPACE, TL_SEARCH: search text; TL_LIST: replies policy */
	int64_t max_id, since_id, min_id;   /* 0: unset */
	int limit;
	int exclude_replies;
	int exclude_reblogs;
	int only_media;
};

/* Posts of a timeline the viewer may read, newest first (with min_id:
 * the oldest `limit` above min_id, still returned newest first). */
int store_timeline(const struct timeline_query *q,
		   void (*fn)(const struct post_row *, void *), void *ctx);
/* 1 when the post is in what store_audience may read, 0 when not, -1 on
 * error. The SQL twin of audience_may_read(), for the agreement test. */
int store_post_visible(const struct store_audience *a, int64_t post_id);

/* How many direct replies to post_id the viewer may read (a count must
 * not reveal replies the viewer cannot see); -1 on error. */
int64_t store_post_replies_visible(const struct store_audience *a, int64_t post_id);

/* Every reply below post_id (the whole subtree), oldest first, at most max. */
int store_post_descendants(int64_t post_id, int max,
			   void (*fn)(const struct post_row *, void *), void *ctx);

/* ---- per-account lists of posts (bookmarks, favourites) ------------- */

/* Pages through the list by the list row's id: *next_max / *prev_min get
 * the ids for the Link header (0 when the page was empty). */
int store_bookmarks(const struct timeline_query *q, int64_t *first, int64_t *last,
		    void (*fn)(const struct post_row *, void *), void *ctx);
int store_favourites(const struct timeline_query *q, int64_t *first, int64_t *last,
		     void (*fn)(const struct post_row *, void *), void *ctx);

/* ---- reactions on posts --------------------------------------------- */

/* Each returns STORE_OK when the row was added/removed, STORE_CONFLICT
 * when it already existed (add), STORE_NOTFOUND when absent (remove); the
 * post's counters follow. */
int store_favourite_add(int64_t account_id, int64_t post_id, int64_t id);
int store_favourite_remove(int64_t account_id, int64_t post_id);
int store_bookmark_add(int64_t account_id, int64_t post_id, int64_t id);
int store_bookmark_remove(int64_t account_id, int64_t post_id);
int store_pin_add(int64_t account_id, int64_t post_id, int64_t now_ms);
int store_pin_remove(int64_t account_id, int64_t post_id);
int store_reaction_add(int64_t account_id, int64_t post_id, const char *emoji, int64_t now_ms);
int store_reaction_remove(int64_t account_id, int64_t post_id, const char *emoji);
/* Counts per emoji, and whether viewer_id reacted with it. */
int store_reactions(int64_t post_id, int64_t viewer_id,
		    void (*fn)(const char *emoji, int64_t count, int me, void *), void *ctx);

/* What the viewer did to a post: bits below. */
enum {
	POST_STATE_FAVOURITED = 1, POST_STATE_REBLOGGED = 2, POST_STATE_BOOKMARKED = 4,
	POST_STATE_PINNED = 8, POST_STATE_MUTED = 16,
};
int store_post_state(int64_t viewer_id, int64_t post_id, unsigned *out);
/* Every account with its own state on the post: who favourited, reblogged,
 * bookmarked, pinned or reacted to it (not poll votes). fn may see an
 * account more than once. For the streaming dispatch, which renders a
 * post once for the viewers outside this set (api/mastodon). */
int store_post_touched_by(int64_t post_id, void (*fn)(int64_t account_id, void *), void *ctx);

/* Accounts that favourited / reblogged a post, newest first, paged by
 * the favourite's / reblog's id. */
int store_post_favourited_by(int64_t post_id, int64_t max_id, int limit,
			     void (*fn)(int64_t row_id, int64_t account_id, void *), void *ctx);
int store_post_reblogged_by(int64_t post_id, int64_t max_id, int limit,
			    void (*fn)(int64_t row_id, int64_t account_id, void *), void *ctx);

/* ---- relationships -------------------------------------------------- */

int store_follow_add(int64_t follower, int64_t followee, int64_t id, int64_t now_ms);
int store_follow_remove(int64_t follower, int64_t followee);
int store_follow_exists(int64_t follower, int64_t followee);   /* OK / NOTFOUND */
int store_block_add(int64_t account_id, int64_t target_id, int64_t now_ms);
int store_block_remove(int64_t account_id, int64_t target_id);
int store_block_exists(int64_t account_id, int64_t target_id);
/* Either blocked the other. */
int store_blocked_either(int64_t a, int64_t b);
int store_mute_add(int64_t account_id, int64_t target_id, int notifications,
		   int64_t expires_at, int64_t now_ms);
int store_mute_remove(int64_t account_id, int64_t target_id);
/* OK with *notifications set when muted (and not expired). */
int store_mute_get(int64_t account_id, int64_t target_id, int64_t now_ms, int *notifications);

/* Followers (dir 0) or following (dir 1) of account_id, newest first,
 * paged by the follow row's id. */
int store_follow_list(int64_t account_id, int dir, int64_t max_id, int64_t since_id, int limit,
		      void (*fn)(int64_t row_id, int64_t account_id, void *), void *ctx);
/* Blocks and mutes of account_id. */
int store_block_list(int64_t account_id, int mutes, int limit,
		     void (*fn)(int64_t row_id, int64_t account_id, void *), void *ctx);

struct account_counts {
	int64_t followers, following, statuses;
	int64_t last_status_at;
};
int store_account_counts(int64_t account_id, struct account_counts *out);

/* ---- tags ----------------------------------------------------------- */

/* The tag's id by name (case-insensitive); NOTFOUND when never used. */
int store_tag_find(const char *name, int64_t *id, char *display, size_t n);
/* Find or create. */
int store_tag_ensure(const char *name, int64_t now_ms, int64_t *id);
int store_tag_follow(int64_t account_id, int64_t tag_id, int64_t id);
int store_tag_unfollow(int64_t account_id, int64_t tag_id);
int store_tag_following(int64_t account_id, int64_t tag_id);   /* OK / NOTFOUND */
int store_tag_follow_list(int64_t account_id, int64_t max_id, int limit,
			  void (*fn)(int64_t row_id, const char *name, void *), void *ctx);
/* Uses per day over the last `days` days (newest first), for Tag.history. */
int store_tag_history(int64_t tag_id, int64_t now_ms, int days,
		      void (*fn)(int64_t day_ms, int64_t uses, int64_t accounts, void *), void *ctx);

/* ---- polls ---------------------------------------------------------- */

#define POLL_OPTIONS_MAX 10

struct poll_row {
	int64_t id;
	int64_t post_id;
	int multiple;
	int hide_totals;
	int64_t expires_at;
	char *options;            /* newline-separated, malloc'ed */
	int64_t voters_count;
};
void poll_row_release(struct poll_row *p);

int store_poll_insert(const struct poll_row *p);
int store_poll_by_post(int64_t post_id, struct poll_row *out);
int store_poll_get(int64_t id, struct poll_row *out);
/* Replace a poll's options (edit): votes are dropped. */
int store_poll_replace(const struct poll_row *p);
int store_poll_delete_for_post(int64_t post_id);
/* Record a voter's choices (all at once); CONFLICT if they voted already. */
int store_poll_vote(int64_t poll_id, int64_t account_id, const int *choices, size_t n, int64_t now_ms);
/* Votes per option (counts[i]) and the viewer's own choices (bitmask). */
int store_poll_counts(int64_t poll_id, int64_t viewer_id, int64_t *counts, size_t n,
		      int64_t *votes_total, unsigned *own);
/* Voters of a poll (for "poll ended" notifications). */
int store_poll_voters(int64_t poll_id, void (*fn)(int64_t account_id, void *), void *ctx);

/* ---- notifications -------------------------------------------------- */

struct notification_row {
	int64_t id;
	int64_t account_id;       /* recipient */
	int64_t from_account_id;
	char type[32];            /* the longest, parley.question_suggested, is 25 */
	int64_t post_id;          /* 0: none */
	char emoji[32];
	int64_t created_at;
};

struct notification_query {
	int64_t account_id;
	int64_t max_id, since_id, min_id;
	int limit;
	const char *const *types; size_t ntypes;          /* only these (none: all) */
	const char *const *exclude; size_t nexclude;      /* not these */
	int64_t from_account_id;                           /* 0: anyone */
};

int store_notification_insert(const struct notification_row *n);
int store_notification_get(int64_t account_id, int64_t id, struct notification_row *out);
int store_notification_list(const struct notification_query *q,
			    void (*fn)(const struct notification_row *, void *), void *ctx);
int store_notification_dismiss(int64_t account_id, int64_t id);
int store_notification_clear(int64_t account_id);
int64_t store_notification_count_after(int64_t account_id, int64_t after_id, int cap);
/* Per-type switches; absent types are on. */
int store_notification_pref_set(int64_t account_id, const char *type, int enabled);
int store_notification_prefs(int64_t account_id, void (*fn)(const char *type, int enabled, void *), void *ctx);
int store_notification_pref_enabled(int64_t account_id, const char *type);  /* 1 / 0 */

struct marker_row {
	char timeline[24];
	int64_t last_read_id;
	int64_t version;
	int64_t updated_at;
};
int store_marker_get(int64_t account_id, const char *timeline, struct marker_row *out);
int store_marker_set(int64_t account_id, const char *timeline, int64_t last_read_id, int64_t now_ms);

/* ---- jobs ----------------------------------------------------------- */

struct job_row {
	int64_t id;
	char kind[32];
	int64_t ref_id;
	int64_t run_at;
	int attempts;
};
/* Schedule kind(ref_id) at run_at; an existing (kind, ref_id) job is moved. */
int store_job_put(int64_t id, const char *kind, int64_t ref_id, int64_t run_at);
/* The next job due at now_ms, claimed by moving its run_at to lease_until
 * (so another worker or process does not take it meanwhile). NOTFOUND when none. */
int store_job_claim(int64_t now_ms, int64_t lease_until, struct job_row *out);
/* Delete the claimed job, unless it was moved meanwhile: claimed_run_at
 * is the lease its claim set (job_row.run_at); a handler that scheduled
 * the same kind and ref again (store_job_put moves the row) keeps it. */
int store_job_done(int64_t id, int64_t claimed_run_at);
int store_job_retry(int64_t id, int64_t run_at, const char *error);
/* The earliest run_at of any job, or NOTFOUND. */
int store_job_next_at(int64_t *run_at);

#endif
