/*
 * render.h - Mastodon entities of conversations (Status, Poll, Tag,
 * Relationship, Notification), rendered for one viewer.
 *
 * A struct mrender lives for one response: it caches the Account entities
 * it made, so a timeline of twenty posts by three people renders three
 * accounts. Entities only ever show what the viewer may read: a reblog of
 * a post the viewer cannot read, or a notification about one, renders as
 * NULL and the caller leaves it out.
 *
 * The status's real audience is in "parley": {"audience": ...}; its
 * Mastodon "visibility" is the nearest value apps understand (see
 * docs/API.md): public -> public, organisation -> unlisted, followers ->
 * private, direct -> direct.
 */
#ifndef PARLEY_API_MASTODON_RENDER_H
#define PARLEY_API_MASTODON_RENDER_H

#include <jansson.h>

#include "http/request.h"
#include "model/relationship.h"
#include "store/store_posts.h"

#define MRENDER_ACCOUNTS 64

struct filter_set;

struct mrender {
	const struct request *rq;
	const struct viewer *v;
	struct {
		int64_t id;
		json_t *j;
	} acc[MRENDER_ACCOUNTS];
	int nacc;
	/* The viewer's filters (model/filter.h), loaded on the first status.
	 * Every Status gets "filtered" (the filters it matches, whatever their
	 * context, as Mastodon does); when filter_context is set (a
	 * FILTER_CTX_ bit: the list being rendered), a status that a "hide"
	 * filter of that context matches renders as NULL. */
	struct filter_set *filters;
	int filters_loaded;
	unsigned filter_context;
	unsigned last_hide;      /* contexts in which the last status would be hidden */
};

void mrender_init(struct mrender *m, const struct request *rq);
void mrender_release(struct mrender *m);
/* The context whose "hide" filters leave statuses out (FILTER_CTX_HOME...;
 * 0: none, the default). */
void mrender_set_filter_context(struct mrender *m, unsigned filter_context);

/* Account entity by id (cached; new reference), NULL when missing or not
 * visible to the viewer. */
json_t *mrender_account(struct mrender *m, int64_t id);
/* Status entity (new reference) or NULL when it may not be shown. */
json_t *mrender_status(struct mrender *m, const struct post_row *p);
/* Poll entity of a post, or JSON null when it has none. */
json_t *mrender_poll(struct mrender *m, int64_t post_id);
json_t *mrender_relationship(const struct relationship *r);
/* Tag entity with history and (signed in) "following". */
json_t *mrender_tag(struct mrender *m, const char *name, int64_t tag_id);
/* Notification entity or NULL when its status is no longer readable. */
json_t *mrender_notification(struct mrender *m, const struct notification_row *n);

/* "public", "unlisted", "private", "direct" for an audience name. */
const char *mastodon_visibility(const char *audience);

#endif
