/*
 * idea.h - idea boards: a space's ideas, their versions, comments, votes,
 * status reports, merges, and the integrity of votes.
 *
 * An idea is posts: each version is a post in the space (title = the
 * idea's title, text = its description) and comments are replies to a
 * version's post. Who may read an idea is who may read its first
 * version's post (model/audience.h), so every rule of spaces applies:
 * readers of the space read the board; who may post there proposes,
 * comments; owners and moderators of the space (and its listeners, for
 * the status) run the board. Anything the viewer may not read is
 * M_NOTFOUND, the same answer as for an idea that does not exist.
 *
 * Votes: one per person and idea. At most `vote_limit` votes per person
 * in 10 minutes (M_LIMITED). A vote from an account younger than
 * `new_account_hours` is flagged "new_account"; accounts found to vote as
 * a ring (model/idea_rings.h; the "ideas.rings" job of the space, queued
 * after every vote) have all their votes in the space flagged "ring".
 * Flagged votes are not counted (votes_count) nor used for sorting; they
 * are counted apart (flagged_votes_count) and listed for moderators.
 *
 * Status changes notify ("parley.idea_status", about the current
 * version's post) the author, the voters and the commenters, once each,
 * never the one who changed it.
 *
 * Results: M_OK, or M_INVALID / M_NOTFOUND / M_FORBIDDEN /
 * M_UNAUTHORIZED / M_LIMITED with a message for the user in err, or
 * M_ERROR (storage). Rows are plain structs: nothing to free.
 */
#ifndef PARLEY_MODEL_IDEA_H
#define PARLEY_MODEL_IDEA_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/space.h"
#include "model/viewer.h"
#include "store/store_ideas.h"

#define IDEA_LIST_MAX 40          /* a page of the board */
#define IDEA_CANDIDATES_MAX 1000  /* ideas a sorted board considers */

/* Set once at start-up. Defaults: 30 votes per 10 minutes, 24 hours. */
struct idea_settings {
	int vote_limit;
	int new_account_hours;
};
void idea_configure(const struct idea_settings *s);

/* 1 when the space's board is on (0 also on errors). */
int idea_board_enabled(int64_t space_id);
/* Turn the board on or off: space owners and moderators (M_FORBIDDEN). */
enum mresult idea_board_set(const struct viewer *v, const struct space_view *sv, int on,
			    char *err, size_t errlen);

/* 1 when the status name is one of new, under_review, planned,
 * in_progress, done, declined. */
int idea_status_valid(const char *status);
/* "Under review" for "under_review"...; the name itself when unknown. */
const char *idea_status_label(const char *status);

/* May v run the board of sv (merge, see flagged votes)? Space owners and
 * moderators; for flagged votes also instance moderators and admins. */
int idea_may_moderate(const struct viewer *v, const struct space_view *sv);
int idea_may_see_flags(const struct viewer *v, const struct space_view *sv);
/* May v change statuses: space owners, moderators and listeners. */
int idea_may_set_status(const struct viewer *v, const struct space_view *sv);

struct idea_input {
	const char *title;         /* 1-200 characters */
	const char *description;   /* Markdown, 1-post_max_chars */
	const char *category;      /* 0-40 characters; NULL: unchanged / none */
	const char *note;          /* a new version: what changed, 1-500 */
};

/* Propose an idea in sv: who may post there, board enabled (M_INVALID). */
enum mresult idea_create(const struct viewer *v, const struct space_view *sv, const struct idea_input *in,
			 struct idea_row *out, char *err, size_t errlen);

/* The idea if v may read it (with comments_count and my_vote for v); sv
 * (optional) gets its space as v sees it. */
enum mresult idea_read(const struct viewer *v, int64_t id, struct idea_row *out, struct space_view *sv);

enum idea_sort { IDEA_SORT_TRENDING, IDEA_SORT_TOP, IDEA_SORT_NEW };
/* -1 when unknown; NULL or "" is trending. */
int idea_sort_parse(const char *s);

struct idea_list_query {
	enum idea_sort sort;
	const char *status;        /* NULL: any */
	const char *category;      /* NULL: any */
	int limit;                 /* clamped to 1..IDEA_LIST_MAX */
	int offset;
};
/* The board of sv as v may read it (merged ideas left out), sorted:
 * trending (sum over counted votes of 0.5^(age_hours/48), comments
 * weighing 0.5), top (counted votes), new; ties by id, newest first.
 * M_NOTFOUND when v may not read the space's posts; M_INVALID for an
 * unknown status filter. */
enum mresult idea_list(const struct viewer *v, const struct space_view *sv, const struct idea_list_query *q,
		       void (*fn)(const struct idea_row *, void *), void *ctx, char *err, size_t errlen);

/* The author edits title, description, category while the status is new. */
enum mresult idea_update(const struct viewer *v, int64_t id, const struct idea_input *in,
			 struct idea_row *out, char *err, size_t errlen);
/* The author posts a new version (description, optional new title, note). */
enum mresult idea_new_version(const struct viewer *v, int64_t id, const struct idea_input *in,
			      struct idea_row *out, char *err, size_t errlen);
/* Versions, oldest first (comments_count for v). */
enum mresult idea_versions(const struct viewer *v, int64_t id,
			   void (*fn)(const struct idea_version_row *, void *), void *ctx);

/* Comment on a version (0: the current one): a reply to its post.
 * *post_id: the comment. */
enum mresult idea_comment(const struct viewer *v, int64_t id, int version, const char *body,
			  int64_t *post_id, char *err, size_t errlen);
/* Comments v may read, oldest first: of one version, or (version 0) of
 * all versions in version order. */
enum mresult idea_comments(const struct viewer *v, int64_t id, int version,
			   void (*fn)(const struct post_row *, int version, void *), void *ctx,
			   char *err, size_t errlen);

/* Vote (on = 1) or withdraw (0). Voting twice or withdrawing twice is no
 * error. M_UNAUTHORIZED when not signed in, M_LIMITED past the rate
 * limit, M_INVALID on a merged idea. out: the idea afterwards. */
enum mresult idea_vote(const struct viewer *v, int64_t id, int on, struct idea_row *out,
		       char *err, size_t errlen);

/* Change the status (declined needs an explanation) and notify. */
enum mresult idea_set_status(const struct viewer *v, int64_t id, const char *status,
			     const char *explanation, struct idea_row *out, char *err, size_t errlen);

/* Merge idea id into `into` (same space, neither merged, not itself);
 * out: the target afterwards. */
enum mresult idea_merge(const struct viewer *v, int64_t id, int64_t into, struct idea_row *out,
			char *err, size_t errlen);

/* Flagged votes of the board (idea_may_see_flags: else M_FORBIDDEN). */
enum mresult idea_flagged(const struct viewer *v, const struct space_view *sv,
			  void (*fn)(const struct idea_flag_row *, void *), void *ctx, char *err, size_t errlen);

/* The ideas merged into id that v may read. */
enum mresult idea_merged_from(const struct viewer *v, int64_t id,
			      void (*fn)(const struct idea_row *, void *), void *ctx);

/* The "ideas.rings" job (jobs/): find the rings among the voters of the
 * space and flag their votes; idempotent. 0 on success. */
int idea_rings_job(int64_t space_id);

/* How many ideas account_id proposed that v may read (merged ones left
 * out), for the person card and page. M_OK or M_ERROR. */
enum mresult idea_contributions(const struct viewer *v, int64_t account_id, int64_t *n);

#endif
