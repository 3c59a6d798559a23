/*
 * notify.h - creating notifications.
 *
 * Types (Mastodon's names): mention, status, reblog, follow, follow_request, favourite,
 * poll, update, and Parley's parley.reaction; issue 7's
 * parley.question_suggested, parley.question_assigned,
 * parley.question_escalated, parley.answer, parley.answer_accepted and
 * parley.idea_status (the post is the question, answer or idea). A notification is not created when
 * the recipient is the actor, has switched the type off
 * (store_notification_pref_set), muted the actor with notifications, or
 * when either blocked the other.
 *
 * Use: inside the writer's transaction call notify_add() for each
 * recipient; after the commit, notify_publish() sends the live events.
 * Email delivery will hang off notify_publish() too (a later issue).
 */
#ifndef PARLEY_MODEL_NOTIFY_H
#define PARLEY_MODEL_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#define NOTIFY_BATCH_MAX 64

struct notify_batch {
	int64_t ids[NOTIFY_BATCH_MAX];
	int64_t recipients[NOTIFY_BATCH_MAX];
	size_t n;
};

/* The notification types Parley knows, NULL-terminated. */
extern const char *const notify_types[];
/* 1 when type is one of them. */
int notify_type_known(const char *type);

/* Record a notification (in the caller's transaction). 0 when created or
 * skipped by the rules above, -1 on a storage error. Past
 * NOTIFY_BATCH_MAX the row is stored but not streamed. */
int notify_add(struct notify_batch *b, int64_t recipient, int64_t from, const char *type,
	       int64_t post_id, const char *emoji);
/* After commit: one live event per notification. */
void notify_publish(const struct notify_batch *b);

#endif
