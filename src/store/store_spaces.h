/*
 * store_spaces.h - storage of spaces, memberships, invitations, join
 * requests, space pins, personal lists and the audit log.
 *
 * Same rules as store.h: the model never sees SQL; return codes are
 * STORE_OK, STORE_NOTFOUND, STORE_CONFLICT, STORE_ERROR (logged here).
 * Rows are plain structs with fixed arrays: nothing to release. Callbacks
 * borrow their rows for the duration of the call.
 *
 * Permission and audience decisions are the model's (model/space.c,
 * model/audience.c); the list queries here take what the model decided
 * (struct space_query) and apply it in SQL.
 */
#ifndef PARLEY_STORE_STORE_SPACES_H
#define PARLEY_STORE_STORE_SPACES_H

#include <stdint.h>

#include "store/store_posts.h"

#define SPACE_HANDLE_MAX 32
#define SPACE_NAME_MAX 100
#define SPACE_DESCRIPTION_MAX 2000

struct space_row {
	int64_t id;
	char handle[SPACE_HANDLE_MAX + 1];
	char name[SPACE_NAME_MAX * 4 + 1];          /* UTF-8 */
	char description[SPACE_DESCRIPTION_MAX * 4 + 1];
	char purpose[16];        /* project team community support ideas announcements other */
	char kind[12];           /* internal external public */
	char access[8];          /* open closed secret */
	char posting[12];        /* everyone moderators */
	int64_t avatar_media_id;
	int archived;
	int64_t created_by;
	int64_t created_at;
	int64_t updated_at;
	int64_t members_count;   /* filled by store_space_list (-1 from get and by_handle) */
};

struct space_member_row {
	int64_t space_id;
	int64_t account_id;
	char role[12];           /* owner moderator member */
	char home[8];            /* all pinned none */
	int64_t joined_at;
};

/* Insert the space and its owner's membership in one transaction. A taken
 * handle (case-insensitive) is STORE_CONFLICT. */
int store_space_insert(const struct space_row *s, int64_t owner_id);
/* Update name, description, purpose, access, posting, avatar, archived,
 * updated_at (kind and handle do not change). */
int store_space_update(const struct space_row *s);
int store_space_get(int64_t id, struct space_row *out);
int store_space_by_handle(const char *handle, struct space_row *out);

/* Which spaces to list. The model fills viewer and staff from the viewer;
 * the rule applied (see sqlite_spaces.c): members see their spaces; staff
 * also see internal and external spaces that are not secret; everyone
 * sees public spaces that are not secret. */
struct space_query {
	int64_t viewer_id;       /* 0: anonymous */
	int staff;
	int mine;                /* only spaces the viewer is a member of */
	const char *kind;        /* NULL or a kind */
	const char *q;           /* NULL or text searched in handle, name, description */
	int archived;            /* 0: leave archived spaces out, 1: only archived */
	int64_t max_id;          /* 0: from the newest */
	int limit;
};
/* Calls fn for each space, newest first; `mine` is the viewer's
 * membership or NULL. STORE_OK or STORE_ERROR. */
int store_space_list(const struct space_query *q,
		     void (*fn)(const struct space_row *, const struct space_member_row *mine, void *),
		     void *ctx);

/* ---- members -------------------------------------------------------- */

int store_space_member_get(int64_t space_id, int64_t account_id, struct space_member_row *out);
/* Insert or replace a membership (and drop a pending request and
 * invitations of the account to that space). */
int store_space_member_put(const struct space_member_row *m);
int store_space_member_delete(int64_t space_id, int64_t account_id);
/* Drop the account's memberships, invitations and requests of internal
 * spaces (it became a guest). STORE_OK or STORE_ERROR. */
int store_space_leave_internal(int64_t account_id);
int64_t store_space_owner_count(int64_t space_id);
int64_t store_space_member_count(int64_t space_id);     /* -1 on error */
/* Members by role (NULL: all), then account id; after_account paginates. */
int store_space_members(int64_t space_id, const char *role, int64_t after_account, int limit,
			void (*fn)(const struct space_member_row *, void *), void *ctx);
/* STORE_OK when the two accounts share a space, STORE_NOTFOUND when not. */
int store_space_shared(int64_t a, int64_t b);
/* Ids of the spaces the account is a member of (for streams); up to max.
 * Returns the count, or -1 on error. */
int store_space_ids_of(int64_t account_id, int64_t *ids, int max);

/* ---- invitations and requests ---------------------------------------- */

struct space_invitation_row {
	int64_t id;
	int64_t space_id;
	int64_t account_id;      /* 0 for an email invitation */
	int64_t invite_id;       /* the registration invite of an email invitation */
	char email[256];
	int64_t invited_by;
	int64_t created_at;
};

int store_space_invitation_insert(const struct space_invitation_row *r);
int store_space_invitation_get(int64_t id, struct space_invitation_row *out);
/* The pending invitation of an account to a space. */
int store_space_invitation_for(int64_t space_id, int64_t account_id, struct space_invitation_row *out);
/* The invitation behind a registration invite. */
int store_space_invitation_by_invite(int64_t invite_id, struct space_invitation_row *out);
int store_space_invitation_delete(int64_t id);
int store_space_invitations(int64_t space_id, void (*fn)(const struct space_invitation_row *, void *),
			    void *ctx);
/* Pending invitations of an account, newest first. */
int store_space_invitations_of(int64_t account_id,
			       void (*fn)(const struct space_invitation_row *, void *), void *ctx);

struct space_request_row {
	int64_t space_id;
	int64_t account_id;
	char note[512];
	int64_t created_at;
};

int store_space_request_put(const struct space_request_row *r);
int store_space_request_get(int64_t space_id, int64_t account_id, struct space_request_row *out);
int store_space_request_delete(int64_t space_id, int64_t account_id);
int store_space_requests(int64_t space_id, void (*fn)(const struct space_request_row *, void *),
			 void *ctx);

/* ---- pins ------------------------------------------------------------ */

int store_space_pin(int64_t space_id, int64_t post_id, int64_t by, int64_t now);
int store_space_unpin(int64_t space_id, int64_t post_id);
int store_space_pinned(int64_t space_id, int64_t post_id);  /* STORE_OK / STORE_NOTFOUND */
/* (The pinned posts themselves are a timeline: TL_SPACE_PINS in store_posts.h.) */

/* ---- personal lists ---------------------------------------------------- */

struct list_row {
	int64_t id;
	int64_t account_id;
	char title[401];
	char replies_policy[12]; /* followed list none */
	int exclusive;
	int64_t created_at;
};

int store_list_insert(const struct list_row *l);
int store_list_update(const struct list_row *l);
int store_list_delete(int64_t id);
int store_list_get(int64_t id, struct list_row *out);
int store_lists_of(int64_t account_id, void (*fn)(const struct list_row *, void *), void *ctx);
int store_list_account_add(int64_t list_id, int64_t account_id);
int store_list_account_remove(int64_t list_id, int64_t account_id);
int store_list_accounts(int64_t list_id, void (*fn)(int64_t account_id, void *), void *ctx);
int store_list_has_account(int64_t list_id, int64_t account_id);  /* STORE_OK / STORE_NOTFOUND */

/* ---- audit log ------------------------------------------------------- */

struct audit_row {
	int64_t id;
	int64_t actor_id;
	char action[48];
	char object_type[24];
	int64_t object_id;
	char detail[512];
	int64_t created_at;
};

int store_audit_insert(const struct audit_row *r);
/* Newest first, ids below before (0: from the newest). */
int store_audit_list(int64_t before, int limit, void (*fn)(const struct audit_row *, void *), void *ctx);

#endif
