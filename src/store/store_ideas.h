/*
 * store_ideas.h - storage of idea boards: a space's switch, ideas, their
 * versions, votes (with their flags) and the vote rate-limit log.
 *
 * Same rules as store.h: the model never sees SQL; return codes are
 * STORE_OK, STORE_NOTFOUND, STORE_CONFLICT, STORE_ERROR (logged here).
 * Rows are plain structs with fixed arrays: nothing to release. Callbacks
 * borrow their rows for the duration of the call.
 *
 * An idea's id is its first version's post id; readability is the
 * model's decision (audience_may_read on that post). Functions taking a
 * struct store_audience apply the audience predicate of posts (AUD_SQL)
 * in SQL: lists show only ideas whose first post the viewer may read, and
 * comment counts count only replies the viewer may read.
 *
 * Writes that span several statements (a vote and its recount, a merge,
 * ring flags) run in the caller's transaction (store_begin) where the
 * model says so.
 */
#ifndef PARLEY_STORE_STORE_IDEAS_H
#define PARLEY_STORE_STORE_IDEAS_H

#include <stdint.h>

#include "store/store_posts.h"

#define IDEA_TITLE_MAX 200         /* characters */
#define IDEA_CATEGORY_MAX 40
#define IDEA_EXPLANATION_MAX 1000
#define IDEA_NOTE_MAX 500

struct idea_row {
	int64_t id;                /* = first version's post id */
	int64_t space_id;
	int64_t account_id;
	char title[IDEA_TITLE_MAX * 4 + 1];
	char category[IDEA_CATEGORY_MAX * 4 + 1];
	char status[16];
	char status_explanation[IDEA_EXPLANATION_MAX * 4 + 1];
	int64_t status_changed_at;
	int64_t status_changed_by;
	int64_t current_post_id;
	int version;
	int64_t merged_into;
	int64_t votes_count;
	int64_t flagged_votes_count;
	int64_t created_at;
	int64_t updated_at;
	/* filled by the reads that take a store_audience */
	int64_t comments_count;    /* replies to any version the viewer may read */
	int my_vote;               /* the viewer voted (flagged or not) */
};

struct idea_version_row {
	int64_t idea_id;
	int version;
	int64_t post_id;
	char note[IDEA_NOTE_MAX * 4 + 1];
	int64_t created_at;
	int64_t comments_count;    /* replies the viewer may read */
};

/* ---- the board switch of a space ------------------------------------- */

/* *on = 1 when the space's board is enabled; NOTFOUND when no space. */
int store_space_ideas_enabled(int64_t space_id, int *on);
int store_space_set_ideas(int64_t space_id, int on);

/* ---- ideas ------------------------------------------------------------ */

/* Insert the idea and its version 1 (post id = row->id). */
int store_idea_insert(const struct idea_row *row);
/* Any idea by id, with comments_count and my_vote for aud. */
int store_idea_get(int64_t id, const struct store_audience *aud, struct idea_row *out);
/* How many ideas account_id proposed (merged ones left out) whose first
 * post aud may read, into *n. STORE_OK or STORE_ERROR. */
int store_idea_count_by_author(int64_t account_id, const struct store_audience *aud, int64_t *n);
/* The idea a version's post belongs to (*idea_id, *version). */
int store_idea_of_post(int64_t post_id, int64_t *idea_id, int *version);

struct idea_query {
	struct store_audience aud;
	int64_t space_id;
	const char *status;        /* NULL: any */
	const char *category;      /* NULL: any */
	int limit;                 /* at most this many rows, newest first */
};
/* Ideas of a space the viewer may read, not merged, newest first. */
int store_idea_list(const struct idea_query *q, void (*fn)(const struct idea_row *, void *), void *ctx);

/* Ideas merged into `target` whose first post the viewer may read, oldest first. */
int store_idea_merged_from(int64_t target, const struct store_audience *aud,
			   void (*fn)(const struct idea_row *, void *), void *ctx);

/* Replace title and category (the first version's post is edited by the
 * model through post_edit). */
int store_idea_update(int64_t id, const char *title, const char *category, int64_t now);
/* Record version `version` (its post post_id, note) and make it current;
 * title is the idea's title from now on. */
int store_idea_add_version(int64_t id, int version, int64_t post_id, const char *note,
			   const char *title, int64_t now);
/* Versions, oldest first, with comments_count for aud. */
int store_idea_versions(int64_t id, const struct store_audience *aud,
			void (*fn)(const struct idea_version_row *, void *), void *ctx);
int store_idea_set_status(int64_t id, const char *status, const char *explanation, int64_t by, int64_t now);

/* ---- votes ------------------------------------------------------------ */

/* Add a vote (flag 'new_account' when new_account); CONFLICT when the
 * account voted already. The idea's counts are recomputed. */
int store_idea_vote(int64_t idea_id, int64_t account_id, int64_t now, int new_account);
/* Remove a vote; NOTFOUND when there was none. Counts recomputed. */
int store_idea_unvote(int64_t idea_id, int64_t account_id);
/* Votes account_id cast since `since` (the log); -1 on error. */
int64_t store_idea_votes_since(int64_t account_id, int64_t since);
/* Log a vote at now, dropping the account's entries before prune_before. */
int store_idea_vote_log(int64_t account_id, int64_t now, int64_t prune_before);

/* Everyone who voted on the idea / wrote a comment on any version. */
int store_idea_voters(int64_t idea_id, void (*fn)(int64_t account_id, void *), void *ctx);
int store_idea_commenters(int64_t idea_id, void (*fn)(int64_t account_id, void *), void *ctx);

/* Merge: votes of source move to target (each account once), source gets
 * merged_into = target; both recounted. In the caller's transaction. */
int store_idea_merge(int64_t source, int64_t target, int64_t now);

/* ---- vote integrity ----------------------------------------------------- */

/* Every vote (on any idea, anywhere) of the accounts that voted on an
 * idea of space_id: the data the ring detection needs. */
int store_idea_space_votes(int64_t space_id, void (*fn)(int64_t account_id, int64_t idea_id, void *),
			   void *ctx);
/* In the caller's transaction: the votes in space_id of the given accounts are
 * flagged 'ring', the other ring flags of the space are cleared (back to
 * 'new_account' where the vote was new_account), and the space's ideas
 * are recounted. */
int store_idea_set_rings(int64_t space_id, const int64_t *accounts, size_t n);
/* The newest vote time in space_id (0 when none). */
int64_t store_idea_last_vote(int64_t space_id);

struct idea_flag_row {
	int64_t idea_id;
	int64_t account_id;
	char flag[16];
	int64_t created_at;
};
/* Flagged votes of a space, newest first, at most limit. */
int store_idea_flagged(int64_t space_id, int limit, void (*fn)(const struct idea_flag_row *, void *),
		       void *ctx);

/* Activity for the trending score: each counted vote (weight 1) and each
 * reply the viewer may read to any version (weight 0.5) of the
 * non-merged ideas of space_id, with its time. */
int store_idea_activity(int64_t space_id, const struct store_audience *aud,
			void (*fn)(int64_t idea_id, int64_t at, double weight, void *), void *ctx);

/* OK when account_id listens to space_id (questions' listeners table). */
int store_idea_is_listener(int64_t space_id, int64_t account_id);

#endif
