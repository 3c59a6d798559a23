/*
 * spaces.c - the Parley API of spaces: /api/parley/v1/spaces (directory,
 * create, read, update, archive), membership (join, leave, home setting),
 * members and roles, invitations, join requests, the feed, pins, search and
 * posting; /api/parley/v1/invitations for the invitee; and the audited
 * moderation read /api/parley/v1/admin/posts/:id with /admin/audit.
 *
 * Thin: each handler finds the space through space_lookup() (which
 * answers 404 for a space the viewer may not see, so a secret space's
 * name never leaks), asks model/space.c, and renders. The contract is in
 * docs/API.md, "Spaces".
 */
#include "api/parley/parley.h"
#include "api/mastodon/mastodon.h"
#include "api/mastodon/paging.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/buf.h"
#include "lib/config.h"
#include "lib/id.h"
#include "model/audience.h"
#include "model/idea.h"
#include "model/space.h"
#include "model/timeline.h"

#include <stdio.h>
#include <string.h>

/* ---- rendering ------------------------------------------------------- */

json_t *parley_space_json(const struct request *rq, const struct space_view *sv)
{
	struct buf url = BUF_INIT;
	char id[24];
	json_t *j;

	buf_printf(&url, "%s/s/%s", rq->cfg ? rq->cfg->base_url : "", sv->s.handle);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:I, s:s, s:b, s:b}",
		      "id", id_format(id, sizeof id, sv->s.id),
		      "handle", sv->s.handle,
		      "name", sv->s.name,
		      "description", sv->s.description,
		      "purpose", sv->s.purpose,
		      "kind", sv->s.kind,
		      "access", sv->s.access,
		      "posting", sv->s.posting,
		      "archived", sv->s.archived,
		      "created_at", mastodon_date(sv->s.created_at),
		      "members_count", (json_int_t)sv->s.members_count,
		      "url", buf_str(&url),
		      "invited", sv->invited,
		      "requested", sv->requested);
	buf_release(&url);
	if (!j)
		return NULL;
	if (sv->member)
		json_object_set_new(j, "membership", json_pack("{s:s, s:s, s:o}", "role", sv->m.role,
							       "home", sv->m.home,
							       "joined_at", mastodon_date(sv->m.joined_at)));
	else
		json_object_set_new(j, "membership", json_null());
	json_object_set_new(j, "ideas", json_boolean(idea_board_enabled(sv->s.id)));
	return j;
}

static void answer_result(struct request *rq, struct response *rs, enum mresult r, const char *err)
{
	http_error(rq, rs, r == M_CONFLICT ? 409 : http_status_for(r), err[0] ? err : "Storage error");
}

/* The space of the path's :space (id or handle), visible to the viewer. */
static int path_space(struct request *rq, struct response *rs, struct space_view *sv)
{
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "space"), sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Record not found");
		return -1;
	}
	return 0;
}

static int path_id(struct request *rq, struct response *rs, const char *name, int64_t *id)
{
	const char *s = req_param(rq, name);

	if (!s || id_parse(s, id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void answer_space(struct request *rq, struct response *rs, const struct space_view *sv)
{
	resp_json(rs, 200, parley_space_json(rq, sv));
}

static void read_input(struct request *rq, struct space_input *in)
{
	memset(in, 0, sizeof *in);
	in->name = req_arg(rq, "name");
	in->handle = req_arg(rq, "handle");
	in->kind = req_arg(rq, "kind");
	in->access = req_arg(rq, "access");
	in->description = req_arg(rq, "description");
	in->purpose = req_arg(rq, "purpose");
	in->posting = req_arg(rq, "posting");
}

/* ---- directory, create, read, update ---------------------------------- */

struct list_ctx {
	const struct request *rq;
	const struct viewer *v;
	json_t *arr;
	int64_t first, last;
};

static void add_space(const struct space_row *s, const struct space_member_row *m, void *ctx)
{
	struct list_ctx *c = ctx;
	struct space_view sv;

	if (!c->first)
		c->first = s->id;
	c->last = s->id;
	memset(&sv, 0, sizeof sv);
	sv.s = *s;
	if (m) {
		sv.member = 1;
		sv.m = *m;
	}
	json_array_append_new(c->arr, parley_space_json(c->rq, &sv));
}

static void get_spaces(struct request *rq, struct response *rs)
{
	struct space_query q;
	struct list_ctx c;
	struct page pg;
	const char *kind = params_get_nonempty(&rq->query, "kind");

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "max_id must be an id and limit a number");
		return;
	}
	if (kind && strcmp(kind, "internal") && strcmp(kind, "external") && strcmp(kind, "public")) {
		http_error(rq, rs, 422, "kind must be internal, external or public");
		return;
	}
	memset(&q, 0, sizeof q);
	q.viewer_id = rq->viewer.signed_in ? rq->viewer.account.id : 0;
	q.staff = viewer_is_staff(&rq->viewer);
	q.mine = params_get_bool(&rq->query, "mine", 0) == 1;
	q.archived = params_get_bool(&rq->query, "archived", 0) == 1;
	q.kind = kind;
	q.q = params_get_nonempty(&rq->query, "q");
	q.max_id = pg.max_id;
	q.limit = timeline_limit(pg.limit, 20, 40);
	memset(&c, 0, sizeof c);
	c.rq = rq;
	c.v = &rq->viewer;
	c.arr = json_array();
	if (store_space_list(&q, add_space, &c) != STORE_OK) {
		json_decref(c.arr);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	if (json_array_size(c.arr) == (size_t)q.limit)
		page_link(rq, rs, c.first, c.last);
	resp_json(rs, 200, c.arr);
}

static void post_spaces(struct request *rq, struct response *rs)
{
	struct space_input in;
	struct space_view sv;
	char err[200] = "";
	enum mresult r;

	read_input(rq, &in);
	r = space_create(&rq->viewer, &in, &sv, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		answer_space(rq, rs, &sv);
}

static void get_space(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		answer_space(rq, rs, &sv);
}

static void patch_space(struct request *rq, struct response *rs)
{
	int ideas;
	struct space_input in;
	struct space_view sv;
	char err[200] = "";
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	read_input(rq, &in);
	ideas = req_arg_bool(rq, "ideas");
	if (ideas == -2) {
		http_error(rq, rs, 422, "ideas must be true or false");
		return;
	}
	r = space_update(&rq->viewer, &sv, &in, err, sizeof err);
	if (r == M_OK && ideas >= 0)
		r = idea_board_set(&rq->viewer, &sv, ideas, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		answer_space(rq, rs, &sv);
}

static void archive(struct request *rq, struct response *rs, int on)
{
	struct space_view sv;
	char err[200] = "";
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	r = space_archive(&rq->viewer, &sv, on, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		answer_space(rq, rs, &sv);
}

static void post_archive(struct request *rq, struct response *rs) { archive(rq, rs, 1); }
static void post_unarchive(struct request *rq, struct response *rs) { archive(rq, rs, 0); }

/* ---- membership ------------------------------------------------------ */

static void post_join(struct request *rq, struct response *rs)
{
	struct space_view sv;
	char err[200] = "";
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	r = space_join(&rq->viewer, &sv, req_arg(rq, "note"), err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		answer_space(rq, rs, &sv);
}

static void post_leave(struct request *rq, struct response *rs)
{
	struct space_view sv;
	char err[200] = "";
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	r = space_leave(&rq->viewer, &sv, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		answer_space(rq, rs, &sv);
}

static void patch_membership(struct request *rq, struct response *rs)
{
	struct space_view sv;
	char err[200] = "";
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	r = space_set_home(&rq->viewer, &sv, req_arg(rq, "home"), err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		answer_space(rq, rs, &sv);
}

struct member_ctx {
	struct mrender m;
	json_t *arr;
	int64_t last;
};

static json_t *member_json(struct mrender *m, const struct space_member_row *r)
{
	json_t *acc = mrender_account(m, r->account_id);

	if (!acc)
		return NULL;
	return json_pack("{s:o, s:s, s:o}", "account", acc, "role", r->role,
			 "joined_at", mastodon_date(r->joined_at));
}

static void add_member(const struct space_member_row *r, void *ctx)
{
	struct member_ctx *c = ctx;
	json_t *j = member_json(&c->m, r);

	c->last = r->account_id;
	if (j)
		json_array_append_new(c->arr, j);
}

static void get_members(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct member_ctx c;
	const char *role = params_get_nonempty(&rq->query, "role");
	const char *after = params_get_nonempty(&rq->query, "after");
	int64_t after_id = 0;
	struct page pg;

	if (path_space(rq, rs, &sv) < 0)
		return;
	if (!space_may_read_posts(&rq->viewer, &sv)) {
		http_error(rq, rs, 403, "Join the space to see its members");
		return;
	}
	if (page_parse(rq, &pg) < 0 || (after && id_parse(after, &after_id) < 0)) {
		http_error(rq, rs, 400, "after must be an account id and limit a number");
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	store_space_members(sv.s.id, role, after_id, timeline_limit(pg.limit, 40, 80), add_member, &c);
	mrender_release(&c.m);
	resp_json(rs, 200, c.arr);
}

static void patch_member(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct space_member_row m;
	struct mrender mr;
	char err[200] = "";
	int64_t account;
	enum mresult r;
	json_t *j;

	if (path_space(rq, rs, &sv) < 0 || path_id(rq, rs, "account", &account) < 0)
		return;
	r = space_set_role(&rq->viewer, &sv, account, req_arg(rq, "role"), &m, err, sizeof err);
	if (r != M_OK) {
		answer_result(rq, rs, r, err);
		return;
	}
	mrender_init(&mr, rq);
	j = member_json(&mr, &m);
	mrender_release(&mr);
	resp_json(rs, 200, j ? j : json_object());
}

static void delete_member(struct request *rq, struct response *rs)
{
	struct space_view sv;
	char err[200] = "";
	int64_t account;
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0 || path_id(rq, rs, "account", &account) < 0)
		return;
	r = space_remove_member(&rq->viewer, &sv, account, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		resp_json(rs, 200, json_object());
}

/* ---- invitations and requests ---------------------------------------- */

static json_t *invitation_json(const struct request *rq, struct mrender *m,
			       const struct space_invitation_row *r, const char *code)
{
	char id[24];
	json_t *j = json_pack("{s:s, s:s, s:o, s:o}", "id", id_format(id, sizeof id, r->id),
			      "email", r->email, "invited_by", mrender_account(m, r->invited_by) ?: json_null(),
			      "created_at", mastodon_date(r->created_at));

	if (!j)
		return NULL;
	json_object_set_new(j, "account", r->account_id ? (mrender_account(m, r->account_id) ?: json_null())
						       : json_null());
	if (code) {
		struct buf u = BUF_INIT;

		buf_printf(&u, "%s/invite/%s", rq->cfg ? rq->cfg->base_url : "", code);
		json_object_set_new(j, "invite_url", json_string(buf_str(&u)));
		buf_release(&u);
	}
	return j;
}

struct inv_ctx {
	const struct request *rq;
	struct mrender m;
	json_t *arr;
	const struct viewer *v;
	int with_space;
};

static void add_invitation(const struct space_invitation_row *r, void *ctx)
{
	struct inv_ctx *c = ctx;
	json_t *j = invitation_json(c->rq, &c->m, r, NULL);

	if (!j)
		return;
	if (c->with_space) {
		struct space_view sv;

		if (space_lookup_id(c->v, r->space_id, &sv) != M_OK) {
			json_decref(j);
			return;
		}
		json_object_set_new(j, "space", parley_space_json(c->rq, &sv));
	}
	json_array_append_new(c->arr, j);
}

static void post_invitations(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct space_invitation_row inv;
	struct mrender m;
	char err[200] = "", code[64] = "";
	const char *username = req_arg(rq, "username");
	const char *email = req_arg(rq, "email");
	enum mresult r;
	json_t *arr;

	if (path_space(rq, rs, &sv) < 0)
		return;
	if (username && *username) {
		struct account_row a;

		if (username[0] == '@')
			username++;
		if (store_account_by_username(username, &a) != STORE_OK) {
			http_error(rq, rs, 404, "No such account");
			return;
		}
		r = space_invite_account(&rq->viewer, &sv, a.id, &inv, err, sizeof err);
	} else if (email && *email) {
		r = space_invite_email(&rq->viewer, &sv, email, &inv, code, sizeof code, err, sizeof err);
	} else if (req_arg(rq, "department")) {
		struct inv_ctx c;
		int n;

		r = space_invite_department(&rq->viewer, &sv, req_arg(rq, "department"), &n, err, sizeof err);
		if (r != M_OK) {
			answer_result(rq, rs, r, err);
			return;
		}
		/* the space's pending invitations, the new ones among them */
		memset(&c, 0, sizeof c);
		c.rq = rq;
		c.v = &rq->viewer;
		mrender_init(&c.m, rq);
		c.arr = json_array();
		store_space_invitations(sv.s.id, add_invitation, &c);
		mrender_release(&c.m);
		resp_json(rs, 200, c.arr);
		return;
	} else {
		http_error(rq, rs, 422, "Give a username or an email address");
		return;
	}
	if (r != M_OK) {
		answer_result(rq, rs, r, err);
		return;
	}
	mrender_init(&m, rq);
	arr = json_array();
	json_array_append_new(arr, invitation_json(rq, &m, &inv, code[0] ? code : NULL));
	mrender_release(&m);
	resp_json(rs, 200, arr);
}

static void get_invitations(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct inv_ctx c;

	if (path_space(rq, rs, &sv) < 0)
		return;
	if (!space_is_moderator(&sv)) {
		http_error(rq, rs, 403, "Only the space's owners and moderators see its invitations");
		return;
	}
	memset(&c, 0, sizeof c);
	c.rq = rq;
	c.v = &rq->viewer;
	mrender_init(&c.m, rq);
	c.arr = json_array();
	store_space_invitations(sv.s.id, add_invitation, &c);
	mrender_release(&c.m);
	resp_json(rs, 200, c.arr);
}

static void delete_invitation(struct request *rq, struct response *rs)
{
	struct space_view sv;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0 || path_id(rq, rs, "inv", &id) < 0)
		return;
	r = space_invitation_cancel(&rq->viewer, &sv, id, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		resp_json(rs, 200, json_object());
}

static void get_my_invitations(struct request *rq, struct response *rs)
{
	struct inv_ctx c;

	memset(&c, 0, sizeof c);
	c.rq = rq;
	c.v = &rq->viewer;
	c.with_space = 1;
	mrender_init(&c.m, rq);
	c.arr = json_array();
	store_space_invitations_of(rq->viewer.account.id, add_invitation, &c);
	mrender_release(&c.m);
	resp_json(rs, 200, c.arr);
}

static void answer_invitation(struct request *rq, struct response *rs, int accept)
{
	struct space_view sv;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, "inv", &id) < 0)
		return;
	r = space_invitation_answer(&rq->viewer, id, accept, &sv, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else if (accept)
		answer_space(rq, rs, &sv);
	else
		resp_json(rs, 200, json_object());
}

static void post_accept(struct request *rq, struct response *rs) { answer_invitation(rq, rs, 1); }
static void post_decline(struct request *rq, struct response *rs) { answer_invitation(rq, rs, 0); }

struct req_ctx {
	struct mrender m;
	json_t *arr;
};

static void add_request(const struct space_request_row *r, void *ctx)
{
	struct req_ctx *c = ctx;
	json_t *acc = mrender_account(&c->m, r->account_id);

	if (acc)
		json_array_append_new(c->arr, json_pack("{s:o, s:s, s:o}", "account", acc, "note", r->note,
							"created_at", mastodon_date(r->created_at)));
}

static void get_requests(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct req_ctx c;

	if (path_space(rq, rs, &sv) < 0)
		return;
	if (!space_is_moderator(&sv)) {
		http_error(rq, rs, 403, "Only the space's owners and moderators see join requests");
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	store_space_requests(sv.s.id, add_request, &c);
	mrender_release(&c.m);
	resp_json(rs, 200, c.arr);
}

static void answer_request(struct request *rq, struct response *rs, int approve)
{
	struct space_view sv;
	char err[200] = "";
	int64_t account;
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0 || path_id(rq, rs, "account", &account) < 0)
		return;
	r = space_request_answer(&rq->viewer, &sv, account, approve, err, sizeof err);
	if (r != M_OK)
		answer_result(rq, rs, r, err);
	else
		resp_json(rs, 200, json_object());
}

static void post_approve(struct request *rq, struct response *rs) { answer_request(rq, rs, 1); }
static void post_reject(struct request *rq, struct response *rs) { answer_request(rq, rs, 0); }

/* ---- feed, posting, pins, search -------------------------------------- */

static void space_timeline(struct request *rq, struct response *rs, enum timeline_kind kind,
			   const char *text)
{
	struct space_view sv;
	struct timeline_query q;

	if (path_space(rq, rs, &sv) < 0)
		return;
	if (!space_may_read_posts(&rq->viewer, &sv)) {
		http_error(rq, rs, 403, "Join the space to read it");
		return;
	}
	memset(&q, 0, sizeof q);
	q.kind = kind;
	q.space_id = sv.s.id;
	q.text = text;
	mastodon_answer_timeline(rq, rs, &q);
}

static void get_feed(struct request *rq, struct response *rs) { space_timeline(rq, rs, TL_SPACE, NULL); }
static void get_pins(struct request *rq, struct response *rs) { space_timeline(rq, rs, TL_SPACE_PINS, NULL); }

static void get_search(struct request *rq, struct response *rs)
{
	const char *q = params_get_nonempty(&rq->query, "q");

	if (!q) {
		http_error(rq, rs, 422, "q is required");
		return;
	}
	space_timeline(rq, rs, TL_SPACE, q);
}

static void post_space_status(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) < 0)
		return;
	mastodon_post_status(rq, rs, sv.s.id);
}

static void pin(struct request *rq, struct response *rs, int on)
{
	struct space_view sv;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0 || path_id(rq, rs, "status", &id) < 0)
		return;
	r = space_pin(&rq->viewer, &sv, id, on, err, sizeof err);
	if (r == M_OK)
		resp_json(rs, 200, json_object());
	else
		answer_result(rq, rs, r, err);
}

static void post_pin(struct request *rq, struct response *rs) { pin(rq, rs, 1); }
static void delete_pin(struct request *rq, struct response *rs) { pin(rq, rs, 0); }

/* ---- moderation -------------------------------------------------------- */

static void get_admin_post(struct request *rq, struct response *rs)
{
	struct post_row p;
	struct mrender m;
	char err[200] = "";
	int64_t id;
	enum mresult r;
	json_t *j;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	r = space_moderation_read(&rq->viewer, id, &p, err, sizeof err);
	if (r != M_OK) {
		answer_result(rq, rs, r, err);
		return;
	}
	mrender_init(&m, rq);
	j = mrender_status(&m, &p);
	mrender_release(&m);
	post_row_release(&p);
	resp_json(rs, 200, j ? j : json_object());
}

struct audit_ctx {
	struct mrender m;
	json_t *arr;
	int64_t first, last;
};

static void add_audit(const struct audit_row *r, void *ctx)
{
	struct audit_ctx *c = ctx;
	char id[24], oid[24];

	if (!c->first)
		c->first = r->id;
	c->last = r->id;
	json_array_append_new(c->arr, json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:o}",
		"id", id_format(id, sizeof id, r->id),
		"actor", mrender_account(&c->m, r->actor_id) ?: json_null(),
		"action", r->action, "object_type", r->object_type,
		"object_id", id_format(oid, sizeof oid, r->object_id),
		"detail", r->detail, "created_at", mastodon_date(r->created_at)));
}

static void get_audit(struct request *rq, struct response *rs)
{
	struct audit_ctx c;
	struct page pg;

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "max_id must be an id and limit a number");
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	store_audit_list(pg.max_id, timeline_limit(pg.limit, 40, 200), add_audit, &c);
	mrender_release(&c.m);
	page_link(rq, rs, c.first, c.last);
	resp_json(rs, 200, c.arr);
}

void parley_spaces_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;
	const char *R = "read:lists|read:statuses";
	const char *WR = "write:lists|write:statuses";

	router_add("GET", "/api/parley/v1/spaces", get_spaces, ROUTE_API, R);
	router_add("POST", "/api/parley/v1/spaces", post_spaces, W, WR);
	router_add("GET", "/api/parley/v1/spaces/:space", get_space, ROUTE_API, R);
	router_add("PATCH", "/api/parley/v1/spaces/:space", patch_space, W, WR);
	router_add("POST", "/api/parley/v1/spaces/:space/archive", post_archive, W, WR);
	router_add("POST", "/api/parley/v1/spaces/:space/unarchive", post_unarchive, W, WR);
	router_add("POST", "/api/parley/v1/spaces/:space/join", post_join, W, WR);
	router_add("POST", "/api/parley/v1/spaces/:space/leave", post_leave, W, WR);
	router_add("PATCH", "/api/parley/v1/spaces/:space/membership", patch_membership, W, WR);
	router_add("GET", "/api/parley/v1/spaces/:space/members", get_members, ROUTE_API, R);
	router_add("PATCH", "/api/parley/v1/spaces/:space/members/:account", patch_member, W, WR);
	router_add("DELETE", "/api/parley/v1/spaces/:space/members/:account", delete_member, W, WR);
	router_add("GET", "/api/parley/v1/spaces/:space/invitations", get_invitations, W, R);
	router_add("POST", "/api/parley/v1/spaces/:space/invitations", post_invitations, W, WR);
	router_add("DELETE", "/api/parley/v1/spaces/:space/invitations/:inv", delete_invitation, W, WR);
	router_add("GET", "/api/parley/v1/spaces/:space/requests", get_requests, W, R);
	router_add("POST", "/api/parley/v1/spaces/:space/requests/:account/approve", post_approve, W, WR);
	router_add("POST", "/api/parley/v1/spaces/:space/requests/:account/reject", post_reject, W, WR);
	router_add("GET", "/api/parley/v1/spaces/:space/feed", get_feed, ROUTE_API, R);
	router_add("POST", "/api/parley/v1/spaces/:space/statuses", post_space_status, W, "write:statuses");
	router_add("GET", "/api/parley/v1/spaces/:space/pins", get_pins, ROUTE_API, R);
	router_add("POST", "/api/parley/v1/spaces/:space/pins/:status", post_pin, W, WR);
	router_add("DELETE", "/api/parley/v1/spaces/:space/pins/:status", delete_pin, W, WR);
	router_add("GET", "/api/parley/v1/spaces/:space/search", get_search, ROUTE_API, R);
	router_add("GET", "/api/parley/v1/invitations", get_my_invitations, W, R);
	router_add("POST", "/api/parley/v1/invitations/:inv/accept", post_accept, W, WR);
	router_add("POST", "/api/parley/v1/invitations/:inv/decline", post_decline, W, WR);
	router_add("GET", "/api/parley/v1/admin/posts/:id", get_admin_post, W, "admin:read|read:statuses");
	router_add("GET", "/api/parley/v1/admin/audit", get_audit, W | ROUTE_ADMIN, "admin:read|read");
}
