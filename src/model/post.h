/*
 * post.h - writing posts: create, edit, delete, reblog, and the reactions
 * people leave on them (favourite, bookmark, pin, emoji).
 *
 * A post's text is Markdown (lib/markdown.h), rendered once into
 * sanitised HTML and stored beside its source; mentions, hashtags and
 * links are extracted into their own tables. Every write here runs in one
 * transaction and is committed (durably) before the function returns;
 * events for live streams (model/events.h) and notifications follow the
 * commit.
 *
 * Reading posts goes through model/audience.h (single posts) and
 * model/timeline.h (lists).
 *
 * Results: M_OK, or M_INVALID / M_NOTFOUND / M_FORBIDDEN with a message
 * for the user in err, or M_ERROR (storage).
 */
#ifndef PARLEY_MODEL_POST_H
#define PARLEY_MODEL_POST_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"
#include "store/store_posts.h"

#define POST_MEDIA_MAX 4
#define POST_MENTIONS_MAX 50
#define POST_TAGS_MAX 50
#define POST_REACTIONS_MAX 16

/* Instance-wide settings, set once at start-up (post_configure copies). */
struct post_settings {
	const char *base_url;
	size_t max_chars;          /* a post (default 5000) */
	size_t article_max_chars;  /* an article (default 100000) */
	size_t poll_max_options;   /* default 4, at most POLL_OPTIONS_MAX */
	const char *reactions;     /* allowed emoji, space-separated */
};
void post_configure(const struct post_settings *s);
const struct post_settings *post_settings(void);
/* 1 when emoji is one of the configured reactions. */
int post_reaction_allowed(const char *emoji);

struct poll_input {
	const char *options[POLL_OPTIONS_MAX + 1];
	size_t noptions;           /* 0: no poll */
	int64_t expires_in;        /* seconds */
	int multiple;
	int hide_totals;
};

struct notify_batch;

/* Extra writes in a post's own transaction (model/question.c: the
 * question or answer row): called by post_create() and post_edit() after
 * the post, its mentions and tags are written and before the commit, with
 * the post as written. Anything but M_OK rolls the whole post back and is
 * the caller's answer (message in err). Notifications go into nb. */
typedef enum mresult (*post_within_fn)(void *ctx, const struct post_row *p, struct notify_batch *nb,
				       char *err, size_t errlen);

struct post_input {
	const char *text;          /* Markdown source (may be "" with media or a poll) */
	const char *spoiler_text;  /* content warning */
	const char *title;         /* non-empty: a long-form article */
	int audience;              /* enum audience, or -1 for the author's default */
	int64_t space_id;          /* post into this space (audience space); 0: none */
	int64_t in_reply_to_id;
	int64_t quote_of_id;
	int sensitive;
	const char *language;      /* ISO 639-1, or "" */
	int64_t media_ids[POST_MEDIA_MAX];
	size_t nmedia;
	struct poll_input poll;
	int64_t app_id;
	post_within_fn within;     /* NULL: none */
	void *within_ctx;
};

/* Create a post by v. *id_out is the new post's id. */
enum mresult post_create(const struct viewer *v, const struct post_input *in, int64_t *id_out,
			 char *err, size_t errlen);
/* Replace the text (and CW, sensitivity, language, media, poll) of v's
 * post. The audience and reply target do not change. */
enum mresult post_edit(const struct viewer *v, int64_t id, const struct post_input *in,
		       char *err, size_t errlen);
/* Delete v's post (moderators and admins may delete any). *out gets the
 * post as it was (caller releases) when out is not NULL. */
enum mresult post_delete(const struct viewer *v, int64_t id, struct post_row *out,
			 char *err, size_t errlen);
/* The same without the author check, for callers that decided who may
 * delete (model/question.c: a space's moderators delete its questions). */
enum mresult post_delete_unchecked(int64_t id, struct post_row *out, char *err, size_t errlen);

/* Reblog (boost) a post v may read; only public and organisation posts
 * can be reblogged, and the reblog keeps the original's audience.
 * *id_out: the reblog's id (an existing reblog is returned as is). */
enum mresult post_reblog(const struct viewer *v, int64_t id, int64_t *id_out, char *err, size_t errlen);
enum mresult post_unreblog(const struct viewer *v, int64_t id, char *err, size_t errlen);

enum post_mark { MARK_FAVOURITE, MARK_BOOKMARK, MARK_PIN };
/* Set (on = 1) or clear a mark on a post v may read. Setting twice or
 * clearing what is not set is not an error (Mastodon's behaviour). Pins:
 * only one's own public or organisation posts, at most 5. */
enum mresult post_mark(const struct viewer *v, int64_t id, enum post_mark m, int on,
		       char *err, size_t errlen);
/* Add or remove an emoji reaction (one of the configured set). */
enum mresult post_react(const struct viewer *v, int64_t id, const char *emoji, int on,
			char *err, size_t errlen);

/* Vote in the poll `poll_id` (its post must be readable by v). */
enum mresult poll_vote(const struct viewer *v, int64_t poll_id, const int *choices, size_t n,
		       char *err, size_t errlen);

/* The job that notifies voters and the author when a poll ends (jobs/). */
int poll_end_job(int64_t poll_id);

#endif
