/*
 * space.h - spaces: where work happens (projects, teams, communities,
 * support), and who may see them, read them, post in them and run them.
 *
 * Kinds and access:
 *   internal  staff only; open (any staff member joins, and may read
 *             without joining), closed (join by request or invitation),
 *             secret (unlisted; invitation only)
 *   external  staff and invited guests; closed or secret
 *   public    anyone reads (anonymous too); members post; open or closed
 *
 * Seeing a space (that it exists, its name): members and pending
 * invitees always; public non-secret spaces everyone; internal and
 * external non-secret spaces staff. Everyone else gets M_NOTFOUND, the
 * same answer as for a space that does not exist, so a secret space's
 * name never leaks. store_space_list() applies the same rule in SQL.
 *
 * Reading a space's posts is the audience module's rule (model/audience.c:
 * members; anyone for public spaces; staff for open internal spaces).
 *
 * Roles: owner (everything), moderator (settings, invitations, requests,
 * members who are not owners, pins), member (posts unless posting is
 * "moderators"). The last owner cannot leave or be demoted.
 *
 * Every function takes the viewer and returns an mresult with a message in
 * err; nothing here allocates what the caller must free.
 */
#ifndef PARLEY_MODEL_SPACE_H
#define PARLEY_MODEL_SPACE_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"
#include "store/store_spaces.h"

/* A space as one viewer sees it. */
struct space_view {
	struct space_row s;
	int member;                  /* m is valid */
	struct space_member_row m;
	int invited;                 /* a pending invitation of the viewer */
	int64_t invitation_id;
	int requested;               /* a pending join request of the viewer */
};

/* Look up by id (decimal) or handle; M_NOTFOUND when absent or not
 * visible to v, M_ERROR on storage failure. */
enum mresult space_lookup(const struct viewer *v, const char *id_or_handle, struct space_view *out);
enum mresult space_lookup_id(const struct viewer *v, int64_t id, struct space_view *out);

int space_is_moderator(const struct space_view *sv);        /* owner or moderator */
int space_may_read_posts(const struct viewer *v, const struct space_view *sv);
int space_may_post(const struct viewer *v, const struct space_view *sv);

struct space_input {
	const char *name, *handle, *kind, *access, *description, *purpose, *posting;
};

/* Staff only. M_CONFLICT when the handle is taken. */
enum mresult space_create(const struct viewer *v, const struct space_input *in,
			  struct space_view *out, char *err, size_t errlen);
/* Owners and moderators; kind and handle cannot change. sv is updated. */
enum mresult space_update(const struct viewer *v, struct space_view *sv, const struct space_input *in,
			  char *err, size_t errlen);
/* Owners. */
enum mresult space_archive(const struct viewer *v, struct space_view *sv, int archived,
			   char *err, size_t errlen);

/* Join an open space, accept a pending invitation, or ask to join a
 * closed one (sv->requested then). */
enum mresult space_join(const struct viewer *v, struct space_view *sv, const char *note,
			char *err, size_t errlen);
enum mresult space_leave(const struct viewer *v, struct space_view *sv, char *err, size_t errlen);
/* What of the space reaches the member's home: "all", "pinned", "none". */
enum mresult space_set_home(const struct viewer *v, struct space_view *sv, const char *home,
			    char *err, size_t errlen);
enum mresult space_set_role(const struct viewer *v, const struct space_view *sv, int64_t account_id,
			    const char *role, struct space_member_row *out, char *err, size_t errlen);
enum mresult space_remove_member(const struct viewer *v, const struct space_view *sv,
				 int64_t account_id, char *err, size_t errlen);

/* Invite an existing account. */
enum mresult space_invite_account(const struct viewer *v, const struct space_view *sv,
				  int64_t account_id, struct space_invitation_row *out,
				  char *err, size_t errlen);
/* Invite someone without an account by email: a one-use guest
 * registration invite (not for internal spaces: M_INVALID); code gets its
 * code. An email of an existing account invites that account. */
enum mresult space_invite_email(const struct viewer *v, const struct space_view *sv, const char *email,
				struct space_invitation_row *out, char *code, size_t codelen,
				char *err, size_t errlen);
/* Invite every staff member of a department (the profile's department,
 * ignoring case) who is not a member yet; *count gets how many were
 * invited. M_NOTFOUND when nobody works there. */
enum mresult space_invite_department(const struct viewer *v, const struct space_view *sv,
				     const char *department, int *count, char *err, size_t errlen);
enum mresult space_invitation_cancel(const struct viewer *v, const struct space_view *sv,
				     int64_t invitation_id, char *err, size_t errlen);
/* The invitee accepts (joins; out gets the space) or declines. */
enum mresult space_invitation_answer(const struct viewer *v, int64_t invitation_id, int accept,
				     struct space_view *out, char *err, size_t errlen);
enum mresult space_request_answer(const struct viewer *v, const struct space_view *sv,
				  int64_t account_id, int approve, char *err, size_t errlen);
enum mresult space_pin(const struct viewer *v, const struct space_view *sv, int64_t post_id, int on,
		       char *err, size_t errlen);

/* For model/post.c: may v post into this space now? */
enum mresult space_check_post(const struct viewer *v, int64_t space_id, char *err, size_t errlen);
/* The space with this handle if v is a member of it (posting by
 * mentioning @handle), else 0. */
int64_t space_for_mention(const struct viewer *v, const char *handle);
/* Called inside the registration transaction when an account was made
 * through an invite: a space invitation bound to it becomes membership. */
int space_invite_redeemed(int64_t invite_id, int64_t account_id, int64_t now);

/* Moderation read of any post by an admin or moderator, recorded in the
 * audit log. M_FORBIDDEN for others; out released by the caller. */
enum mresult space_moderation_read(const struct viewer *v, int64_t post_id, struct post_row *out,
				   char *err, size_t errlen);
/* Append to the audit log (errors logged, not returned). */
void audit_record(int64_t actor, const char *action, const char *object_type, int64_t object_id,
		  const char *detail);

#endif
