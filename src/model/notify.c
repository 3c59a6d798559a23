/*
 * notify.c - creating notifications (see notify.h).
 */
#include "model/notify.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/events.h"
#include "store/store_posts.h"

#include <stdio.h>
#include <string.h>

const char *const notify_types[] = {
	"mention", "status", "reblog", "follow", "follow_request", "favourite", "poll", "update",
	"parley.reaction",
	"parley.idea_status",
	NULL,
};

int notify_type_known(const char *type)
{
	size_t i;

	for (i = 0; notify_types[i]; i++)
		if (!strcmp(type, notify_types[i]))
			return 1;
	return 0;
}

int notify_add(struct notify_batch *b, int64_t recipient, int64_t from, const char *type,
	       int64_t post_id, const char *emoji)
{
	struct notification_row n;
	int muted_notes = 0;
	int64_t now = time_now_ms();
	int rc;

	if (recipient == from || !store_notification_pref_enabled(recipient, type))
		return 0;
	rc = store_blocked_either(recipient, from);
	if (rc != STORE_NOTFOUND)
		return rc == STORE_OK ? 0 : -1;
	rc = store_mute_get(recipient, from, now, &muted_notes);
	if (rc == STORE_OK && muted_notes)
		return 0;
	if (rc == STORE_ERROR)
		return -1;
	if (post_id) {
		/* never tell someone about a post they may not read (a guest
		 * mentioned in an organisation post) */
		struct account_row who;
		struct post_row p;
		int ok;

		if (store_account_get(recipient, &who) != STORE_OK || store_post_get(post_id, &p) != STORE_OK)
			return -1;
		ok = audience_account_may_read(&who, &p);
		post_row_release(&p);
		if (!ok)
			return 0;
	}
	memset(&n, 0, sizeof n);
	n.id = id_next();
	n.account_id = recipient;
	n.from_account_id = from;
	snprintf(n.type, sizeof n.type, "%s", type);
	n.post_id = post_id;
	snprintf(n.emoji, sizeof n.emoji, "%s", emoji ? emoji : "");
	n.created_at = now;
	if (store_notification_insert(&n) != STORE_OK)
		return -1;
	if (b && b->n < NOTIFY_BATCH_MAX) {
		b->ids[b->n] = n.id;
		b->recipients[b->n] = recipient;
		b->n++;
	}
	return 0;
}

void notify_publish(const struct notify_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct event e = { EVENT_NOTIFICATION, b->ids[i], b->recipients[i] };

		events_publish(&e);
	}
}
