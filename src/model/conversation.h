/*
 * conversation.h - direct conversations (Mastodon's /api/v1/conversations):
 * the threads of direct posts, as each participant sees them.
 *
 * A direct post belongs to the conversation of the post it replies to,
 * or starts its own (its id is the conversation's id). When one is
 * written, every participant (the author and everyone it mentions) gets
 * the conversation on their list, moved to the top, unread for everyone
 * but the author. Removing a conversation takes it off one's own list
 * only, until the next post in it. What a participant sees of it is
 * still decided by the audience rule: the last status shown is the
 * newest one they may read, and a conversation with none is not listed.
 */
#ifndef PARLEY_MODEL_CONVERSATION_H
#define PARLEY_MODEL_CONVERSATION_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"
#include "store/store_posts.h"

#define CONVERSATION_PARTICIPANTS_MAX 64
#define CONVERSATION_LIMIT_MAX 40

/* Record a new direct post (inside the writer's transaction). 0, or -1 on
 * a storage error. */
int conversation_on_post(int64_t post_id, int64_t in_reply_to_id, int64_t author_id,
			 const int64_t *recipients, size_t nrecipients);

struct conversation_view {
	int64_t id;
	int unread;
	int64_t last_status_id;    /* for paging */
	struct post_row last;      /* the newest post the viewer may read */
	int64_t participants[CONVERSATION_PARTICIPANTS_MAX]; /* but the viewer (alone: the viewer) */
	size_t nparticipants;
};

/* The viewer's conversations, most recent first, paged by last status id
 * (max_id / min_id, 0: unbounded; limit clamped to 1..40, default 20).
 * fn borrows each view. */
enum mresult conversation_list(const struct viewer *v, int64_t max_id, int64_t min_id, int limit,
			       void (*fn)(const struct conversation_view *, void *), void *ctx);
/* Mark one read, then call fn with it. M_NOTFOUND when not on the list. */
enum mresult conversation_mark_read(const struct viewer *v, int64_t id,
				    void (*fn)(const struct conversation_view *, void *), void *ctx);
/* The conversation a post belongs to, as the viewer sees it (fn is called
 * once), when it is on the viewer's list. M_NOTFOUND otherwise. */
enum mresult conversation_of_post(const struct viewer *v, int64_t post_id,
				  void (*fn)(const struct conversation_view *, void *), void *ctx);
/* Take it off the viewer's list. */
enum mresult conversation_remove(const struct viewer *v, int64_t id);

#endif
