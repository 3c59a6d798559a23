/*
 * store_instance.h - storage of what describes the instance as a whole:
 * administrators' announcements (with who dismissed them and the emoji
 * reactions on them) and the counters behind instance metadata (NodeInfo
 * usage, weekly activity).
 *
 * Same rules as store.h: return codes STORE_OK, STORE_NOTFOUND,
 * STORE_CONFLICT, STORE_ERROR (logged). Rows are plain structs; the text
 * fields of struct announcement_row are malloc'ed and freed with
 * announcement_row_release(). Callbacks borrow their rows for the call.
 */
#ifndef PARLEY_STORE_STORE_INSTANCE_H
#define PARLEY_STORE_STORE_INSTANCE_H

#include <stdint.h>

#include "store/store.h"

struct announcement_row {
	int64_t id;
	char *text;              /* Markdown source */
	char *content;           /* sanitised HTML */
	int64_t starts_at;       /* ms, 0: none */
	int64_t ends_at;         /* ms, 0: none */
	int all_day;
	int published;
	int64_t published_at;
	int64_t created_by;
	int64_t created_at;
	int64_t updated_at;
};

void announcement_row_release(struct announcement_row *a);

int store_announcement_insert(const struct announcement_row *a);
/* Replace text, content, dates, all_day, published, published_at and
 * updated_at. NOTFOUND when there is no such announcement. */
int store_announcement_update(const struct announcement_row *a);
int store_announcement_delete(int64_t id);
int store_announcement_get(int64_t id, struct announcement_row *out);

/* Announcements in chronological order (oldest first). only_active: only
 * published ones not ended at now_ms. viewer_id (0: none) with
 * with_dismissed == 0 leaves out those the viewer dismissed. fn gets each
 * row and whether the viewer dismissed it. */
int store_announcement_list(int only_active, int64_t now_ms, int64_t viewer_id, int with_dismissed,
			    void (*fn)(const struct announcement_row *, int dismissed, void *), void *ctx);
int store_announcement_dismiss(int64_t id, int64_t account_id);
/* CONFLICT when the account already reacted with that name. */
int store_announcement_react(int64_t id, int64_t account_id, const char *name, int64_t now_ms);
/* NOTFOUND when there was no such reaction. */
int store_announcement_unreact(int64_t id, int64_t account_id, const char *name);
/* Reactions by name, in order of the first reaction: count, and whether
 * viewer_id is one of the reactors. */
int store_announcement_reactions(int64_t id, int64_t viewer_id,
				 void (*fn)(const char *name, int64_t count, int me, void *), void *ctx);
/* Distinct reaction names on an announcement. */
int64_t store_announcement_reaction_names(int64_t id);

/* ---- counters ---------------------------------------------------------- */

struct instance_usage {
	int64_t users;            /* local accounts (staff and guests), not suspended */
	int64_t active_month;     /* active (signed in, used a session or a token) in the last 30 days */
	int64_t active_halfyear;  /* ... 180 days */
	int64_t local_posts;      /* posts that are not reblogs */
	int64_t local_comments;   /* of which replies */
};
int store_instance_usage(int64_t now_ms, struct instance_usage *out);

/* For each of the `weeks` weeks (each starting at week_start_ms minus a
 * multiple of 7 days, newest first): posts written (not reblogs), accounts
 * that signed in or got a token, and accounts created. */
int store_instance_activity(int64_t week_start_ms, int weeks,
			    void (*fn)(int64_t week_ms, int64_t statuses, int64_t logins,
				       int64_t registrations, void *), void *ctx);

/* The oldest admin account (the instance's contact). NOTFOUND when none. */
int store_instance_contact(struct account_row *out);

#endif
