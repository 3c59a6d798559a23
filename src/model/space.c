/*
 * space.c - spaces, memberships, invitations, join requests and pins (see
 * space.h for the rules). Each action re-reads what it depends on and
 * checks the viewer's role before writing; the store keeps the rows.
 */
#include "model/space.h"
#include "model/audience.h"
#include "model/registration.h"
#include "store/store.h"
#include "store/store_people.h"
#include "lib/id.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

static const char *const PURPOSES[] = { "project", "team", "community", "support", "ideas",
					"announcements", "other", NULL };
static const char *const KINDS[] = { "internal", "external", "public", NULL };
static const char *const ACCESSES[] = { "open", "closed", "secret", NULL };
static const char *const POSTINGS[] = { "everyone", "moderators", NULL };
static const char *const HOMES[] = { "all", "pinned", "none", NULL };
static const char *const ROLES[] = { "owner", "moderator", "member", NULL };

/* ---- seeing ------------------------------------------------------------ */

static int may_see(const struct viewer *v, const struct space_view *sv)
{
	const struct space_row *s = &sv->s;

	if (sv->member || sv->invited)
		return 1;
	if (!strcmp(s->access, "secret"))
		return 0;
	if (!strcmp(s->kind, "public"))
		return 1;
	return viewer_is_staff(v);
}

static enum mresult fill_view(const struct viewer *v, struct space_view *out)
{
	struct space_invitation_row inv;
	struct space_request_row req;
	int rc;

	out->member = out->invited = out->requested = 0;
	out->invitation_id = 0;
	out->s.members_count = store_space_member_count(out->s.id);
	if (!v->signed_in)
		return M_OK;
	rc = store_space_member_get(out->s.id, v->account.id, &out->m);
	if (rc == STORE_ERROR)
		return M_ERROR;
	out->member = rc == STORE_OK;
	if (!out->member) {
		rc = store_space_invitation_for(out->s.id, v->account.id, &inv);
		if (rc == STORE_ERROR)
			return M_ERROR;
		if (rc == STORE_OK) {
			out->invited = 1;
			out->invitation_id = inv.id;
		}
		rc = store_space_request_get(out->s.id, v->account.id, &req);
		if (rc == STORE_ERROR)
			return M_ERROR;
		out->requested = rc == STORE_OK;
	}
	return M_OK;
}

static enum mresult finish_lookup(const struct viewer *v, int rc, struct space_view *out)
{
	enum mresult r;

	if (rc == STORE_ERROR)
		return M_ERROR;
	if (rc != STORE_OK)
		return M_NOTFOUND;
	r = fill_view(v, out);
	if (r != M_OK)
		return r;
	return may_see(v, out) ? M_OK : M_NOTFOUND;
}

enum mresult space_lookup_id(const struct viewer *v, int64_t id, struct space_view *out)
{
	memset(out, 0, sizeof *out);
	return finish_lookup(v, store_space_get(id, &out->s), out);
}

enum mresult space_lookup(const struct viewer *v, const char *key, struct space_view *out)
{
	int64_t id;

	memset(out, 0, sizeof *out);
	if (!key || !*key)
		return M_NOTFOUND;
	if (id_parse(key, &id) == 0)
		return finish_lookup(v, store_space_get(id, &out->s), out);
	return finish_lookup(v, store_space_by_handle(key, &out->s), out);
}

int space_is_moderator(const struct space_view *sv)
{
	return sv->member && (!strcmp(sv->m.role, "owner") || !strcmp(sv->m.role, "moderator"));
}

static int is_owner(const struct space_view *sv)
{
	return sv->member && !strcmp(sv->m.role, "owner");
}

int space_may_read_posts(const struct viewer *v, const struct space_view *sv)
{
	if (sv->member || !strcmp(sv->s.kind, "public"))
		return 1;
	return !strcmp(sv->s.kind, "internal") && !strcmp(sv->s.access, "open") && viewer_is_staff(v);
}

int space_may_post(const struct viewer *v, const struct space_view *sv)
{
	if (!v->signed_in || !sv->member || sv->s.archived)
		return 0;
	return strcmp(sv->s.posting, "moderators") || space_is_moderator(sv);
}

/* ---- creating and changing ------------------------------------------- */

static int handle_valid(const char *h)
{
	size_t n = strlen(h), i;

	if (n < 2 || n > SPACE_HANDLE_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = h[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* Kind/access combinations the model allows. */
static int access_fits(const char *kind, const char *access)
{
	if (!strcmp(kind, "external"))
		return strcmp(access, "open") != 0;
	if (!strcmp(kind, "public"))
		return strcmp(access, "secret") != 0;
	return 1;
}

static enum mresult check_text(const struct space_input *in, char *err, size_t errlen)
{
	if (in->name) {
		size_t n = utf8_chars(in->name);
		const char *p = in->name;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p || n > SPACE_NAME_MAX || strlen(in->name) >= sizeof ((struct space_row *)0)->name)
			return mresult_fail(err, errlen, M_INVALID, "A space needs a name of 1 to 100 characters");
	}
	if (in->description && (utf8_chars(in->description) > SPACE_DESCRIPTION_MAX ||
				strlen(in->description) >= sizeof ((struct space_row *)0)->description))
		return mresult_fail(err, errlen, M_INVALID, "The description is too long (at most 2000 characters)");
	if (in->purpose && !one_of(in->purpose, PURPOSES))
		return mresult_fail(err, errlen, M_INVALID, "Purpose must be project, team, community, support, "
			    "ideas, announcements or other");
	if (in->posting && !one_of(in->posting, POSTINGS))
		return mresult_fail(err, errlen, M_INVALID, "Posting must be everyone or moderators");
	if (in->access && !one_of(in->access, ACCESSES))
		return mresult_fail(err, errlen, M_INVALID, "Access must be open, closed or secret");
	return M_OK;
}

enum mresult space_create(const struct viewer *v, const struct space_input *in,
			  struct space_view *out, char *err, size_t errlen)
{
	struct space_row *s = &out->s;
	enum mresult r;
	int rc;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in to create a space");
	if (!viewer_is_staff(v))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only staff members create spaces");
	if (!in->name)
		return mresult_fail(err, errlen, M_INVALID, "A space needs a name of 1 to 100 characters");
	if (!in->handle || !handle_valid(in->handle))
		return mresult_fail(err, errlen, M_INVALID, "A handle is 2 to 32 letters, digits or underscores");
	if (!in->kind || !one_of(in->kind, KINDS))
		return mresult_fail(err, errlen, M_INVALID, "Kind must be internal, external or public");
	r = check_text(in, err, errlen);
	if (r != M_OK)
		return r;
	{
		const char *access = in->access ? in->access : (!strcmp(in->kind, "internal") ? "open" : "closed");

		if (!access_fits(in->kind, access))
			return mresult_fail(err, errlen, M_INVALID, !strcmp(in->kind, "external")
				    ? "An external space is closed or secret"
				    : "A public space is open or closed");
		memset(out, 0, sizeof *out);
		snprintf(s->access, sizeof s->access, "%s", access);
	}
	s->id = id_next();
	snprintf(s->handle, sizeof s->handle, "%s", in->handle);
	snprintf(s->name, sizeof s->name, "%s", in->name);
	snprintf(s->description, sizeof s->description, "%s", in->description ? in->description : "");
	snprintf(s->purpose, sizeof s->purpose, "%s", in->purpose ? in->purpose : "other");
	snprintf(s->kind, sizeof s->kind, "%s", in->kind);
	snprintf(s->posting, sizeof s->posting, "%s", in->posting ? in->posting : "everyone");
	s->created_by = v->account.id;
	s->created_at = s->updated_at = time_now_ms();
	rc = store_space_insert(s, v->account.id);
	if (rc == STORE_CONFLICT)
		return mresult_fail(err, errlen, M_CONFLICT, "That handle is taken");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return space_lookup_id(v, s->id, out) == M_OK ? M_OK
	       : mresult_fail(err, errlen, M_ERROR, "Storage error");
}

static enum mresult reload(const struct viewer *v, struct space_view *sv, char *err, size_t errlen)
{
	enum mresult r = space_lookup_id(v, sv->s.id, sv);

	/* the viewer may have left a secret space: keep what we had */
	if (r == M_NOTFOUND)
		return M_OK;
	return r == M_OK ? M_OK : mresult_fail(err, errlen, r, "Storage error");
}

enum mresult space_update(const struct viewer *v, struct space_view *sv, const struct space_input *in,
			  char *err, size_t errlen)
{
	struct space_row s = sv->s;
	enum mresult r;

	if (!space_is_moderator(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators change it");
	if (in->kind && strcmp(in->kind, s.kind))
		return mresult_fail(err, errlen, M_INVALID, "A space's kind cannot change: create a new space");
	if (in->handle && strcmp(in->handle, s.handle))
		return mresult_fail(err, errlen, M_INVALID, "A space's handle cannot change");
	r = check_text(in, err, errlen);
	if (r != M_OK)
		return r;
	if (in->access) {
		if (!access_fits(s.kind, in->access))
			return mresult_fail(err, errlen, M_INVALID, !strcmp(s.kind, "external")
				    ? "An external space is closed or secret"
				    : "A public space is open or closed");
		snprintf(s.access, sizeof s.access, "%s", in->access);
	}
	if (in->name)
		snprintf(s.name, sizeof s.name, "%s", in->name);
	if (in->description)
		snprintf(s.description, sizeof s.description, "%s", in->description);
	if (in->purpose)
		snprintf(s.purpose, sizeof s.purpose, "%s", in->purpose);
	if (in->posting)
		snprintf(s.posting, sizeof s.posting, "%s", in->posting);
	s.updated_at = time_now_ms();
	if (store_space_update(&s) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return reload(v, sv, err, errlen);
}

enum mresult space_archive(const struct viewer *v, struct space_view *sv, int archived,
			   char *err, size_t errlen)
{
	struct space_row s = sv->s;

	if (!is_owner(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners archive it");
	s.archived = !!archived;
	s.updated_at = time_now_ms();
	if (store_space_update(&s) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return reload(v, sv, err, errlen);
}

/* ---- membership ------------------------------------------------------ */

static int put_member(int64_t space_id, int64_t account_id, const char *role)
{
	struct space_member_row m;

	memset(&m, 0, sizeof m);
	m.space_id = space_id;
	m.account_id = account_id;
	snprintf(m.role, sizeof m.role, "%s", role);
	snprintf(m.home, sizeof m.home, "all");
	m.joined_at = time_now_ms();
	return store_space_member_put(&m);
}

/* May this account be a member of the space at all? */
static int kind_admits(const struct space_row *s, const struct account_row *a)
{
	if (!strcmp(s->kind, "internal"))
		return !strcmp(a->kind, "staff");
	return !strcmp(a->kind, "staff") || !strcmp(a->kind, "guest");
}

enum mresult space_join(const struct viewer *v, struct space_view *sv, const char *note,
			char *err, size_t errlen)
{
	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in to join a space");
	if (sv->member)
		return M_OK;
	if (sv->s.archived)
		return mresult_fail(err, errlen, M_INVALID, "This space is archived");
	if (!kind_admits(&sv->s, &v->account))
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	if (!sv->invited) {
		if (!strcmp(sv->s.access, "secret"))
			return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
		/* guests join external spaces only when invited */
		if (!viewer_is_staff(v) && strcmp(sv->s.kind, "public"))
			return mresult_fail(err, errlen, M_FORBIDDEN, "This space is by invitation");
		if (!strcmp(sv->s.access, "closed")) {
			struct space_request_row rq;

			memset(&rq, 0, sizeof rq);
			rq.space_id = sv->s.id;
			rq.account_id = v->account.id;
			snprintf(rq.note, sizeof rq.note, "%s", note ? note : "");
			rq.created_at = time_now_ms();
			if (store_space_request_put(&rq) != STORE_OK)
				return mresult_fail(err, errlen, M_ERROR, "Storage error");
			return reload(v, sv, err, errlen);
		}
	}
	if (put_member(sv->s.id, v->account.id, "member") != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return reload(v, sv, err, errlen);
}

enum mresult space_leave(const struct viewer *v, struct space_view *sv, char *err, size_t errlen)
{
	int rc;

	if (!sv->member) {
		if (!sv->requested)
			return mresult_fail(err, errlen, M_INVALID, "You are not a member of this space");
		/* withdrawing a join request */
		if (store_space_request_delete(sv->s.id, v->account.id) == STORE_ERROR)
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		return reload(v, sv, err, errlen);
	}
	if (is_owner(sv) && store_space_owner_count(sv->s.id) <= 1)
		return mresult_fail(err, errlen, M_INVALID, "The last owner cannot leave: make someone else owner first");
	rc = store_space_member_delete(sv->s.id, v->account.id);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return reload(v, sv, err, errlen);
}

enum mresult space_set_home(const struct viewer *v, struct space_view *sv, const char *home,
			    char *err, size_t errlen)
{
	struct space_member_row m;

	if (!sv->member)
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only members choose what reaches their home");
	if (!home || !one_of(home, HOMES))
		return mresult_fail(err, errlen, M_INVALID, "home must be all, pinned or none");
	m = sv->m;
	snprintf(m.home, sizeof m.home, "%s", home);
	if (store_space_member_put(&m) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return reload(v, sv, err, errlen);
}

enum mresult space_set_role(const struct viewer *v, const struct space_view *sv, int64_t account_id,
			    const char *role, struct space_member_row *out, char *err, size_t errlen)
{
	struct space_member_row m;
	int rc;

	if (!space_is_moderator(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators change roles");
	if (!role || !one_of(role, ROLES))
		return mresult_fail(err, errlen, M_INVALID, "role must be owner, moderator or member");
	rc = store_space_member_get(sv->s.id, account_id, &m);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_NOTFOUND, "Not a member of this space");
	if (!is_owner(sv) && (!strcmp(role, "owner") || !strcmp(m.role, "owner")))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only owners make or unmake owners");
	if (!strcmp(m.role, "owner") && strcmp(role, "owner") && store_space_owner_count(sv->s.id) <= 1)
		return mresult_fail(err, errlen, M_INVALID, "A space keeps at least one owner");
	snprintf(m.role, sizeof m.role, "%s", role);
	if (store_space_member_put(&m) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	*out = m;
	return M_OK;
}

enum mresult space_remove_member(const struct viewer *v, const struct space_view *sv,
				 int64_t account_id, char *err, size_t errlen)
{
	struct space_member_row m;
	int rc;

	if (!space_is_moderator(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators remove members");
	rc = store_space_member_get(sv->s.id, account_id, &m);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_NOTFOUND, "Not a member of this space");
	if (!strcmp(m.role, "owner") && !is_owner(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only owners remove owners");
	if (!strcmp(m.role, "owner") && store_space_owner_count(sv->s.id) <= 1)
		return mresult_fail(err, errlen, M_INVALID, "A space keeps at least one owner");
	if (store_space_member_delete(sv->s.id, account_id) == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

/* ---- invitations and requests ---------------------------------------- */

enum mresult space_invite_account(const struct viewer *v, const struct space_view *sv,
				  int64_t account_id, struct space_invitation_row *out,
				  char *err, size_t errlen)
{
	struct account_row a;
	struct space_member_row m;
	int rc;

	if (!space_is_moderator(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators invite");
	if (sv->s.archived)
		return mresult_fail(err, errlen, M_INVALID, "This space is archived");
	rc = store_account_get(account_id, &a);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK || !audience_may_see_account(v, &a) || a.suspended)
		return mresult_fail(err, errlen, M_NOTFOUND, "No such account");
	if (!kind_admits(&sv->s, &a))
		return mresult_fail(err, errlen, M_INVALID, "Guests cannot be members of an internal space");
	rc = store_space_member_get(sv->s.id, account_id, &m);
	if (rc == STORE_OK)
		return mresult_fail(err, errlen, M_CONFLICT, "Already a member");
	rc = store_space_invitation_for(sv->s.id, account_id, out);
	if (rc == STORE_OK)
		return M_OK;
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	memset(out, 0, sizeof *out);
	out->id = id_next();
	out->space_id = sv->s.id;
	out->account_id = account_id;
	snprintf(out->email, sizeof out->email, "%s", a.email);
	out->invited_by = v->account.id;
	out->created_at = time_now_ms();
	/* someone who asked to join and is invited is simply let in */
	if (store_space_request_get(sv->s.id, account_id, &(struct space_request_row){ 0 }) == STORE_OK)
		return put_member(sv->s.id, account_id, "member") == STORE_OK ? M_OK
		       : mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (store_space_invitation_insert(out) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult space_invite_email(const struct viewer *v, const struct space_view *sv, const char *email,
				struct space_invitation_row *out, char *code, size_t codelen,
				char *err, size_t errlen)
{
	struct invite_row inv;
	struct account_row a;
	enum mresult r;
	const char *at;

	if (!space_is_moderator(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators invite");
	if (sv->s.archived)
		return mresult_fail(err, errlen, M_INVALID, "This space is archived");
	at = email ? strchr(email, '@') : NULL;
	if (!at || at == email || !at[1] || strchr(at + 1, '@') || strlen(email) >= sizeof out->email ||
	    strpbrk(email, " \t\r\n<>\"'"))
		return mresult_fail(err, errlen, M_INVALID, "That is not an email address");
	/* someone who already has an account is invited as an account */
	if (store_account_by_email(email, &a) == STORE_OK)
		return space_invite_account(v, sv, a.id, out, err, errlen);
	/* an email link makes a guest: a space moderator never makes staff
	 * accounts (that is the admins' call), and guests never join an
	 * internal space */
	if (!strcmp(sv->s.kind, "internal"))
		return mresult_fail(err, errlen, M_INVALID, "An email link makes a guest, and an internal space is for "
			    "staff: invite staff members by username once they have an account");
	{
		struct reg_policy pol;

		if (registration_get(&pol) != M_OK)
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		if (pol.mode == REG_CLOSED)
			return mresult_fail(err, errlen, M_FORBIDDEN, "Registration is closed on this server, so invitation "
				    "links do not work: an admin can allow them under Admin, Registration");
	}
	r = invite_create(v->account.id, "guest", 1,
			  time_now_ms() + 14LL * 24 * 3600 * 1000, &inv, err, errlen);
	if (r != M_OK)
		return r;
	memset(out, 0, sizeof *out);
	out->id = id_next();
	out->space_id = sv->s.id;
	out->invite_id = inv.id;
	snprintf(out->email, sizeof out->email, "%s", email);
	out->invited_by = v->account.id;
	out->created_at = time_now_ms();
	if (store_space_invitation_insert(out) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	snprintf(code, codelen, "%s", inv.code);
	return M_OK;
}

#define DEPARTMENT_MAX 5000

struct dept_ctx {
	int64_t ids[DEPARTMENT_MAX];
	int n;
};

static void add_dept(int64_t account_id, void *ctx)
{
	struct dept_ctx *c = ctx;

	if (c->n < DEPARTMENT_MAX)
		c->ids[c->n++] = account_id;
}

enum mresult space_invite_department(const struct viewer *v, const struct space_view *sv,
				     const char *department, int *count, char *err, size_t errlen)
{
	struct dept_ctx *c;
	enum mresult r = M_OK;
	int i;

	*count = 0;
	if (!space_is_moderator(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators invite");
	if (!department || !*department || strlen(department) > 200)
		return mresult_fail(err, errlen, M_INVALID, "Name a department");
	c = calloc(1, sizeof *c);
	if (!c)
		return mresult_fail(err, errlen, M_ERROR, "Out of memory");
	if (store_people_by_department(department, add_dept, c) != STORE_OK) {
		free(c);
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	if (!c->n) {
		free(c);
		return mresult_fail(err, errlen, M_NOTFOUND, "Nobody works in that department");
	}
	for (i = 0; i < c->n && r != M_ERROR; i++) {
		struct space_invitation_row inv;
		struct space_member_row m;

		if (c->ids[i] == v->account.id || store_space_member_get(sv->s.id, c->ids[i], &m) == STORE_OK)
			continue;
		r = space_invite_account(v, sv, c->ids[i], &inv, err, errlen);
		if (r == M_OK)
			(*count)++;
	}
	free(c);
	return r == M_ERROR ? r : M_OK;
}

enum mresult space_invitation_cancel(const struct viewer *v, const struct space_view *sv,
				     int64_t invitation_id, char *err, size_t errlen)
{
	struct space_invitation_row r;
	int rc;

	if (!space_is_moderator(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators manage invitations");
	rc = store_space_invitation_get(invitation_id, &r);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK || r.space_id != sv->s.id)
		return mresult_fail(err, errlen, M_NOTFOUND, "No such invitation");
	if (r.invite_id)
		invite_revoke(r.invite_id);
	if (store_space_invitation_delete(r.id) == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult space_invitation_answer(const struct viewer *v, int64_t invitation_id, int accept,
				     struct space_view *out, char *err, size_t errlen)
{
	struct space_invitation_row r;
	int rc;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in first");
	rc = store_space_invitation_get(invitation_id, &r);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK || r.account_id != v->account.id)
		return mresult_fail(err, errlen, M_NOTFOUND, "No such invitation");
	if (!accept) {
		if (store_space_invitation_delete(r.id) == STORE_ERROR)
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		memset(out, 0, sizeof *out);
		return M_OK;
	}
	if (space_lookup_id(v, r.space_id, out) != M_OK)
		return mresult_fail(err, errlen, M_NOTFOUND, "No such invitation");
	return space_join(v, out, NULL, err, errlen);
}

enum mresult space_request_answer(const struct viewer *v, const struct space_view *sv,
				  int64_t account_id, int approve, char *err, size_t errlen)
{
	struct space_request_row rq;
	int rc;

	if (!space_is_moderator(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators answer requests");
	rc = store_space_request_get(sv->s.id, account_id, &rq);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_NOTFOUND, "No such request");
	if (!approve)
		return store_space_request_delete(sv->s.id, account_id) == STORE_ERROR
		       ? mresult_fail(err, errlen, M_ERROR, "Storage error") : M_OK;
	return put_member(sv->s.id, account_id, "member") == STORE_OK ? M_OK
	       : mresult_fail(err, errlen, M_ERROR, "Storage error");
}

int space_invite_redeemed(int64_t invite_id, int64_t account_id, int64_t now)
{
	struct space_invitation_row r;
	struct space_member_row m;
	int rc = store_space_invitation_by_invite(invite_id, &r);

	if (rc == STORE_NOTFOUND)
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	memset(&m, 0, sizeof m);
	m.space_id = r.space_id;
	m.account_id = account_id;
	snprintf(m.role, sizeof m.role, "member");
	snprintf(m.home, sizeof m.home, "all");
	m.joined_at = now;
	rc = store_space_member_put(&m);
	if (rc != STORE_OK)
		return rc;
	rc = store_space_invitation_delete(r.id);
	return rc == STORE_ERROR ? rc : STORE_OK;
}

/* ---- pins ------------------------------------------------------------- */

enum mresult space_pin(const struct viewer *v, const struct space_view *sv, int64_t post_id, int on,
		       char *err, size_t errlen)
{
	struct post_row p;
	enum mresult r;
	int rc;

	if (!space_is_moderator(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators pin posts");
	r = audience_read_post(v, post_id, &p);
	if (r != M_OK)
		return mresult_fail(err, errlen, r, r == M_NOTFOUND ? "Record not found" : "Storage error");
	rc = strcmp(p.audience, "space") || p.space_id != sv->s.id;
	post_row_release(&p);
	if (rc)
		return mresult_fail(err, errlen, M_INVALID, "That post is not in this space");
	rc = on ? store_space_pin(sv->s.id, post_id, v->account.id, time_now_ms())
		: store_space_unpin(sv->s.id, post_id);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

/* ---- posting ---------------------------------------------------------- */

enum mresult space_check_post(const struct viewer *v, int64_t space_id, char *err, size_t errlen)
{
	struct space_view sv;
	enum mresult r = space_lookup_id(v, space_id, &sv);

	if (r == M_ERROR)
		return mresult_fail(err, errlen, r, "Storage error");
	if (r != M_OK)
		return mresult_fail(err, errlen, M_NOTFOUND, "No such space");
	if (sv.s.archived)
		return mresult_fail(err, errlen, M_INVALID, "This space is archived");
	if (!sv.member)
		return mresult_fail(err, errlen, M_FORBIDDEN, "Join the space to post in it");
	if (!space_may_post(v, &sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's moderators post here");
	return M_OK;
}

int64_t space_for_mention(const struct viewer *v, const char *handle)
{
	struct space_row s;
	struct space_member_row m;

	if (!v->signed_in || store_space_by_handle(handle, &s) != STORE_OK)
		return 0;
	return store_space_member_get(s.id, v->account.id, &m) == STORE_OK ? s.id : 0;
}

/* ---- moderation -------------------------------------------------------- */

void audit_record(int64_t actor, const char *action, const char *object_type, int64_t object_id,
		  const char *detail)
{
	struct audit_row r;

	memset(&r, 0, sizeof r);
	r.id = id_next();
	r.actor_id = actor;
	snprintf(r.action, sizeof r.action, "%s", action);
	snprintf(r.object_type, sizeof r.object_type, "%s", object_type);
	r.object_id = object_id;
	snprintf(r.detail, sizeof r.detail, "%s", detail ? detail : "");
	r.created_at = time_now_ms();
	if (store_audit_insert(&r) != STORE_OK)
		log_error("audit: could not record %s of %s %lld by %lld", action, object_type,
			  (long long)object_id, (long long)actor);
}

enum mresult space_moderation_read(const struct viewer *v, int64_t post_id, struct post_row *out,
				   char *err, size_t errlen)
{
	int rc;

	if (!v->signed_in || !(v->account.is_admin || v->account.is_moderator))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only admins and moderators read posts for moderation");
	rc = store_post_get(post_id, out);
	if (rc == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	audit_record(v->account.id, "read", "post", post_id,
		     audience_may_read(v, out) ? "readable anyway" : "beyond the role's audience");
	return M_OK;
}
