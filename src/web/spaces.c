/*
 * spaces.c - the pages of spaces: the directory (/spaces, with the kinds
 * the viewer may see and their pending invitations), a new space
 * (/spaces/new), a space (/s/:handle: feed, pinned posts, composer for
 * those who may post), its members and its settings (owners and
 * moderators: details, invitations by username or email link, join
 * requests, archive), and the forms behind them.
 *
 * Every page finds the space with space_lookup(), which answers "not
 * found" for a space the viewer may not see; posts come through
 * model/timeline (the audience filter) and model/space decides every
 * action, as for the API (api/parley/spaces.c).
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/buf.h"
#include "lib/config.h"
#include "lib/id.h"
#include "model/audience.h"
#include "model/idea.h"
#include "model/post.h"
#include "model/space.h"
#include "model/timeline.h"
#include "web/page.h"
#include "web/post_view.h"

#include <stdio.h>
#include <string.h>

#define SPACES_PAGE 30
#define MEMBERS_MAX 500

/* ---- contexts ---------------------------------------------------------- */

static json_t *space_ctx(const struct space_view *sv)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:b, s:b}",
			      "handle", sv->s.handle, "name", sv->s.name, "description", sv->s.description,
			      "purpose", sv->s.purpose, "kind", sv->s.kind, "access", sv->s.access,
			      "posting", sv->s.posting, "archived", sv->s.archived,
			      "members_count", (json_int_t)sv->s.members_count,
			      "invited", sv->invited, "requested", sv->requested);

	json_object_set_new(j, "ideas", json_boolean(idea_board_enabled(sv->s.id)));
	if (sv->member)
		json_object_set_new(j, "membership", json_pack("{s:s, s:s}", "role", sv->m.role,
							       "home", sv->m.home));
	return j;
}

/* What every page of one space shows in its head (templates/space_head.html). */
static json_t *head_ctx(struct request *rq, const struct space_view *sv, const char *tab)
{
	const struct viewer *v = &rq->viewer;
	int may_join = v->signed_in && !sv->s.archived &&
		       (viewer_is_staff(v) ? strcmp(sv->s.access, "secret") != 0
					   : (!strcmp(sv->s.kind, "public") && strcmp(sv->s.access, "secret")));
	json_t *ctx;
	char key[32];

	if (!strcmp(sv->s.kind, "internal") && !viewer_is_staff(v))
		may_join = 0;
	ctx = json_pack("{s:o, s:b, s:b, s:b, s:b, s:s, s:b, s:b, s:b, s:b}",
			"space", space_ctx(sv),
			"one", sv->s.members_count == 1,
			"may_read", space_may_read_posts(v, sv),
			"is_moderator", space_is_moderator(sv),
			"may_join", may_join,
			"join_label", !strcmp(sv->s.access, "open") ? "Join" : "Ask to join",
			"home_all", sv->member && !strcmp(sv->m.home, "all"),
			"home_pinned", sv->member && !strcmp(sv->m.home, "pinned"),
			"home_none", sv->member && !strcmp(sv->m.home, "none"),
			"is_owner", sv->member && !strcmp(sv->m.role, "owner"));
	snprintf(key, sizeof key, "tab_%s", tab);
	json_object_set_new(ctx, key, json_true());
	return ctx;
}

/* The space of the path's :handle, or a "not found" page. */
static int path_space(struct request *rq, struct response *rs, struct space_view *sv)
{
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "handle"), sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404,
			   r == M_ERROR ? "Could not read the space" : "There is no such space, or it is not for you");
		return -1;
	}
	return 0;
}

static void back_to(struct request *rq, struct response *rs, const struct space_view *sv,
		    const char *sub, enum mresult r, const char *err, const char *done)
{
	struct buf path = BUF_INIT;

	buf_printf(&path, "/s/%s%s", sv->s.handle, sub);
	page_redirect(rq, rs, buf_str(&path), r == M_OK ? done : err);
	buf_release(&path);
}

/* ---- directory ---------------------------------------------------------- */

struct dir_ctx {
	json_t *arr;
	int64_t last;
	int n;
};

static void add_dir_space(const struct space_row *s, const struct space_member_row *m, void *ctx)
{
	struct dir_ctx *c = ctx;
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b}",
			      "handle", s->handle, "name", s->name, "description", s->description,
			      "purpose", s->purpose, "kind", s->kind, "access", s->access,
			      "members_count", (json_int_t)s->members_count, "one", s->members_count == 1);

	if (m)
		json_object_set_new(j, "role", json_string(m->role));
	json_array_append_new(c->arr, j);
	c->last = s->id;
	c->n++;
}

struct my_inv_ctx {
	const struct viewer *v;
	json_t *arr;
};

static void add_my_invitation(const struct space_invitation_row *r, void *ctx)
{
	struct my_inv_ctx *c = ctx;
	struct space_view sv;
	char id[24];

	if (space_lookup_id(c->v, r->space_id, &sv) != M_OK)
		return;
	json_array_append_new(c->arr, json_pack("{s:s, s:o}", "id", id_format(id, sizeof id, r->id),
						"space", space_ctx(&sv)));
}

static void get_spaces(struct request *rq, struct response *rs)
{
	static const char *const kinds[][2] = { { "internal", "Internal" }, { "external", "External" },
						{ "public", "Public" } };
	const char *kind = params_get_nonempty(&rq->query, "kind");
	const char *max = params_get_nonempty(&rq->query, "max_id");
	struct space_query q;
	struct dir_ctx c = { json_array(), 0, 0 };
	json_t *ctx, *kj = json_array();
	size_t i;

	memset(&q, 0, sizeof q);
	if ((max && id_parse(max, &q.max_id) < 0) ||
	    (kind && strcmp(kind, "internal") && strcmp(kind, "external") && strcmp(kind, "public"))) {
		json_decref(c.arr);
		json_decref(kj);
		http_error(rq, rs, 400, "Unknown filter");
		return;
	}
	q.viewer_id = rq->viewer.signed_in ? rq->viewer.account.id : 0;
	q.staff = viewer_is_staff(&rq->viewer);
	q.mine = params_get_bool(&rq->query, "mine", 0) == 1;
	q.kind = kind;
	q.q = params_get_nonempty(&rq->query, "q");
	q.limit = SPACES_PAGE;
	store_space_list(&q, add_dir_space, &c);
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		/* guests and visitors have no internal spaces to browse */
		if (!strcmp(kinds[i][0], "internal") && !viewer_is_staff(&rq->viewer))
			continue;
		json_array_append_new(kj, json_pack("{s:s, s:s, s:b}", "value", kinds[i][0], "label", kinds[i][1],
						    "selected", kind && !strcmp(kind, kinds[i][0])));
	}
	ctx = json_pack("{s:o, s:o, s:b, s:b, s:b, s:s}", "spaces", c.arr, "kinds", kj,
			"can_create", viewer_is_staff(&rq->viewer), "mine", q.mine, "all", !q.mine && !kind,
			"q", q.q ? q.q : "");
	if (c.n == SPACES_PAGE && c.last) {
		struct buf more = BUF_INIT;
		char id[24];

		buf_printf(&more, "/spaces?max_id=%s%s%s%s", id_format(id, sizeof id, c.last),
			   kind ? "&kind=" : "", kind ? kind : "", q.mine ? "&mine=1" : "");
		json_object_set_new(ctx, "more", json_string(buf_str(&more)));
		buf_release(&more);
	}
	if (rq->viewer.signed_in) {
		struct my_inv_ctx ic = { &rq->viewer, json_array() };

		store_space_invitations_of(rq->viewer.account.id, add_my_invitation, &ic);
		json_object_set_new(ctx, "has_invitations", json_boolean(json_array_size(ic.arr) > 0));
		json_object_set_new(ctx, "invitations", ic.arr);
	}
	page_render(rq, rs, 200, "spaces", "Spaces", ctx);
}

static json_t *new_space_ctx(const char *error, const struct space_input *in)
{
	json_t *purposes = json_pack("[s, s, s, s, s, s, s]", "project", "team", "community", "support",
				     "ideas", "announcements", "other");
	const char *kind = in && in->kind ? in->kind : "internal";

	return json_pack("{s:o, s:s?, s:s, s:s, s:s, s:b, s:b, s:b}", "purposes", purposes, "error", error,
			 "name", in && in->name ? in->name : "", "handle", in && in->handle ? in->handle : "",
			 "description", in && in->description ? in->description : "",
			 "k_internal", !strcmp(kind, "internal"), "k_external", !strcmp(kind, "external"),
			 "k_public", !strcmp(kind, "public"));
}

static void get_new_space(struct request *rq, struct response *rs)
{
	if (!viewer_is_staff(&rq->viewer)) {
		http_error(rq, rs, 403, "Only staff members create spaces");
		return;
	}
	page_render(rq, rs, 200, "space_new", "New space", new_space_ctx(NULL, NULL));
}

static void post_new_space(struct request *rq, struct response *rs)
{
	struct space_input in;
	struct space_view sv;
	char err[200] = "";
	enum mresult r;

	memset(&in, 0, sizeof in);
	in.name = req_arg(rq, "name");
	in.handle = req_arg(rq, "handle");
	in.kind = req_arg(rq, "kind");
	in.access = req_arg(rq, "access");
	in.purpose = req_arg(rq, "purpose");
	in.description = req_arg(rq, "description");
	r = space_create(&rq->viewer, &in, &sv, err, sizeof err);
	if (r == M_OK) {
		back_to(rq, rs, &sv, "", r, NULL, "Your space is ready. Invite people from its settings.");
		return;
	}
	if (r == M_ERROR) {
		http_error(rq, rs, 500, err);
		return;
	}
	page_render(rq, rs, r == M_FORBIDDEN ? 403 : 422, "space_new", "New space", new_space_ctx(err, &in));
}

/* ---- a space ------------------------------------------------------------- */

static json_t *space_composer(struct request *rq, const struct space_view *sv, const char *text,
			      const char *error)
{
	json_t *c = web_composer_json(rq, NULL, text, NULL, 0, error);
	struct buf action = BUF_INIT;

	/* the audience is the space: no choice to offer */
	json_object_set_new(c, "audiences", json_pack("[{s:s, s:s, s:b}]", "value", "space",
						      "label", sv->s.name, "selected", 1));
	buf_printf(&action, "/s/%s/posts", sv->s.handle);
	json_object_set_new(c, "action", json_string(buf_str(&action)));
	json_object_set_new(c, "target", json_string("#timeline"));
	json_object_set_new(c, "swap", json_string("afterbegin"));
	buf_release(&action);
	return c;
}

static void render_space(struct request *rq, struct response *rs, int status, struct space_view *sv,
			 json_t *composer)
{
	struct timeline_query q;
	struct web_posts w, pinned;
	json_t *ctx = head_ctx(rq, sv, "feed");
	char idbuf[24];

	memset(&q, 0, sizeof q);
	if (params_get_nonempty(&rq->query, "max_id") &&
	    id_parse(params_get_nonempty(&rq->query, "max_id"), &q.max_id) < 0) {
		json_decref(ctx);
		json_decref(composer);
		http_error(rq, rs, 400, "max_id must be an id");
		return;
	}
	web_posts_init(&w, rq);
	web_posts_init(&pinned, rq);
	if (space_may_read_posts(&rq->viewer, sv)) {
		q.kind = TL_SPACE;
		q.space_id = sv->s.id;
		q.limit = TIMELINE_LIMIT_DEFAULT;
		timeline_read(&rq->viewer, &q, web_posts_add, &w);
		if (!q.max_id) {
			struct timeline_query pq;

			memset(&pq, 0, sizeof pq);
			pq.kind = TL_SPACE_PINS;
			pq.space_id = sv->s.id;
			pq.limit = 10;
			timeline_read(&rq->viewer, &pq, web_posts_add, &pinned);
		}
	}
	if (w.n == TIMELINE_LIMIT_DEFAULT && w.last) {
		struct buf more = BUF_INIT;

		buf_printf(&more, "/s/%s?max_id=%s", sv->s.handle, id_format(idbuf, sizeof idbuf, w.last));
		json_object_set_new(ctx, "more", json_string(buf_str(&more)));
		buf_release(&more);
	}
	json_object_set_new(ctx, "posts", w.arr);
	json_object_set_new(ctx, "has_pinned", json_boolean(json_array_size(pinned.arr) > 0));
	json_object_set_new(ctx, "pinned", pinned.arr);
	if (page_is_htmx(rq) && q.max_id) {
		json_decref(composer);
		page_fragment(rq, rs, status, "posts_page", ctx);
		return;
	}
	if (!composer && space_may_post(&rq->viewer, sv)) {
		/* "Copy to a space": the composer starts with the text of a post
		 * the viewer may read; what is posted is the viewer's own */
		const char *copy = params_get_nonempty(&rq->query, "copy");
		struct post_row src;
		int64_t cid;

		if (copy && id_parse(copy, &cid) == 0 && audience_read_post(&rq->viewer, cid, &src) == M_OK) {
			composer = space_composer(rq, sv, src.source, NULL);
			post_row_release(&src);
		} else {
			composer = space_composer(rq, sv, NULL, NULL);
		}
	}
	if (composer)
		json_object_set_new(ctx, "composer", composer);
	page_render(rq, rs, status, "space", sv->s.name, ctx);
}

static void get_space(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		render_space(rq, rs, 200, &sv, NULL);
}

static void post_space_post(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct post_input in;
	const char *text = req_arg(rq, "text"), *cw = req_arg(rq, "spoiler_text");
	char err[256] = "";
	int64_t id;
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	memset(&in, 0, sizeof in);
	in.audience = -1;
	in.space_id = sv.s.id;
	in.text = text ? text : "";
	in.spoiler_text = cw ? cw : "";
	r = in.text[0] ? post_create(&rq->viewer, &in, &id, err, sizeof err) : M_INVALID;
	if (!in.text[0])
		snprintf(err, sizeof err, "Write something first");
	if (r == M_OK && page_is_htmx(rq)) {
		struct post_row created;
		json_t *ctx, *composer = space_composer(rq, &sv, NULL, NULL);

		json_object_set_new(composer, "oob", json_true());
		ctx = json_pack("{s:o}", "composer", composer);
		if (audience_read_post(&rq->viewer, id, &created) == M_OK) {
			json_t *pj = web_post_json(rq, &created, 0);

			if (pj)
				json_object_set_new(ctx, "post", pj);
			post_row_release(&created);
		}
		page_fragment(rq, rs, 200, "compose_result", ctx);
		return;
	}
	if (r == M_OK) {
		back_to(rq, rs, &sv, "", r, NULL, "Your post is published.");
		return;
	}
	if (r == M_ERROR) {
		http_error(rq, rs, 500, err);
		return;
	}
	if (page_is_htmx(rq)) {
		json_t *composer = space_composer(rq, &sv, text, err);

		json_object_set_new(composer, "oob", json_true());
		page_fragment(rq, rs, 422, "compose_result", json_pack("{s:o}", "composer", composer));
		return;
	}
	render_space(rq, rs, http_status_for(r), &sv, space_composer(rq, &sv, text, err));
}

static void post_join(struct request *rq, struct response *rs)
{
	struct space_view sv;
	char err[200] = "";
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	r = space_join(&rq->viewer, &sv, NULL, err, sizeof err);
	back_to(rq, rs, &sv, "", r, err, sv.member ? "Welcome to the space." : "Your request to join is sent.");
}

static void post_leave(struct request *rq, struct response *rs)
{
	struct space_view sv;
	char err[200] = "";
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	r = space_leave(&rq->viewer, &sv, err, sizeof err);
	if (r == M_OK && space_lookup_id(&rq->viewer, sv.s.id, &sv) != M_OK) {
		page_redirect(rq, rs, "/spaces", "You left the space.");
		return;
	}
	back_to(rq, rs, &sv, "", r, err, "Done.");
}

static void post_home(struct request *rq, struct response *rs)
{
	struct space_view sv;
	char err[200] = "";
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	r = space_set_home(&rq->viewer, &sv, req_arg(rq, "home"), err, sizeof err);
	back_to(rq, rs, &sv, "", r, err, "Saved.");
}

/* ---- members ------------------------------------------------------------- */

struct members_ctx {
	const struct viewer *v;
	const struct space_view *sv;
	json_t *arr;
};

static void add_member(const struct space_member_row *m, void *ctx)
{
	struct members_ctx *c = ctx;
	struct account_row a;
	char id[24];
	int owner = c->sv->member && !strcmp(c->sv->m.role, "owner");
	json_t *j;

	/* as the API's list: members are named, as authors are (blocks and
	 * suspension hide them) */
	if (store_account_get(m->account_id, &a) != STORE_OK || !audience_may_name_account(c->v, &a))
		return;
	j = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "id", id_format(id, sizeof id, a.id),
		      "username", a.username, "display_name", a.display_name[0] ? a.display_name : a.username,
		      "role", m->role, "guest", !strcmp(a.kind, "guest"), "space_handle", c->sv->s.handle);
	if (space_is_moderator(c->sv) && m->account_id != c->sv->m.account_id &&
	    (owner || strcmp(m->role, "owner")))
		json_object_set_new(j, "manage", json_pack("{s:b}", "owner_choice", owner));
	json_array_append_new(c->arr, j);
}

static void get_members(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct members_ctx c;
	json_t *ctx;

	if (path_space(rq, rs, &sv) < 0)
		return;
	if (!space_may_read_posts(&rq->viewer, &sv)) {
		http_error(rq, rs, 403, "Join the space to see its members");
		return;
	}
	c.v = &rq->viewer;
	c.sv = &sv;
	c.arr = json_array();
	store_space_members(sv.s.id, NULL, 0, MEMBERS_MAX, add_member, &c);
	ctx = head_ctx(rq, &sv, "members");
	json_object_set_new(ctx, "members", c.arr);
	page_render(rq, rs, 200, "space_members", sv.s.name, ctx);
}

static int path_account_id(struct request *rq, struct response *rs, int64_t *id)
{
	const char *s = req_param(rq, "account");

	if (!s || id_parse(s, id) < 0) {
		http_error(rq, rs, 404, "No such member");
		return -1;
	}
	return 0;
}

static void post_member_role(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct space_member_row m;
	char err[200] = "";
	int64_t account;
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0 || path_account_id(rq, rs, &account) < 0)
		return;
	r = space_set_role(&rq->viewer, &sv, account, req_arg(rq, "role"), &m, err, sizeof err);
	back_to(rq, rs, &sv, "/members", r, err, "Role changed.");
}

static void post_member_remove(struct request *rq, struct response *rs)
{
	struct space_view sv;
	char err[200] = "";
	int64_t account;
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0 || path_account_id(rq, rs, &account) < 0)
		return;
	r = space_remove_member(&rq->viewer, &sv, account, err, sizeof err);
	back_to(rq, rs, &sv, "/members", r, err, "Removed from the space.");
}

/* ---- settings -------------------------------------------------------------- */

struct settings_lists {
	const struct space_view *sv;
	json_t *inv, *req;
};

static void add_pending_invitation(const struct space_invitation_row *r, void *ctx)
{
	struct settings_lists *c = ctx;
	struct account_row a;
	char id[24];
	const char *who = r->email;

	if (r->account_id && store_account_get(r->account_id, &a) == STORE_OK)
		who = a.username;
	json_array_append_new(c->inv, json_pack("{s:s, s:s, s:s}", "id", id_format(id, sizeof id, r->id),
						"who", who, "space_handle", c->sv->s.handle));
}

static void add_pending_request(const struct space_request_row *r, void *ctx)
{
	struct settings_lists *c = ctx;
	struct account_row a;
	char id[24];

	if (store_account_get(r->account_id, &a) != STORE_OK)
		return;
	json_array_append_new(c->req, json_pack("{s:s, s:s, s:s, s:s}", "id", id_format(id, sizeof id, a.id),
		"username", a.username, "display_name", a.display_name[0] ? a.display_name : a.username,
		"space_handle", c->sv->s.handle));
}

static void render_settings(struct request *rq, struct response *rs, int status, const struct space_view *sv,
			    const char *error, const char *invite_url, const char *invite_email)
{
	static const char *const accesses[] = { "open", "closed", "secret" };
	struct settings_lists c = { sv, json_array(), json_array() };
	json_t *ctx = head_ctx(rq, sv, "settings"), *acc = json_array();
	size_t i;

	for (i = 0; i < 3; i++) {
		if ((!strcmp(sv->s.kind, "external") && i == 0) || (!strcmp(sv->s.kind, "public") && i == 2))
			continue;
		json_array_append_new(acc, json_pack("{s:s, s:b}", "value", accesses[i],
						     "selected", !strcmp(sv->s.access, accesses[i])));
	}
	store_space_invitations(sv->s.id, add_pending_invitation, &c);
	store_space_requests(sv->s.id, add_pending_request, &c);
	json_object_set_new(ctx, "accesses", acc);
	json_object_set_new(ctx, "posting_everyone", json_boolean(!strcmp(sv->s.posting, "everyone")));
	json_object_set_new(ctx, "external", json_boolean(strcmp(sv->s.kind, "internal") != 0));
	json_object_set_new(ctx, "has_invitations", json_boolean(json_array_size(c.inv) > 0));
	json_object_set_new(ctx, "invitations", c.inv);
	json_object_set_new(ctx, "has_requests", json_boolean(json_array_size(c.req) > 0));
	json_object_set_new(ctx, "requests", c.req);
	json_object_set_new(ctx, "archive_value", json_string(sv->s.archived ? "0" : "1"));
	json_object_set_new(ctx, "archive_label", json_string(sv->s.archived ? "Take out of the archive"
									     : "Archive the space"));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	if (invite_url) {
		json_object_set_new(ctx, "invite_url", json_string(invite_url));
		json_object_set_new(ctx, "invite_email", json_string(invite_email));
	}
	page_render(rq, rs, status, "space_settings", sv->s.name, ctx);
}

static int settings_space(struct request *rq, struct response *rs, struct space_view *sv)
{
	if (path_space(rq, rs, sv) < 0)
		return -1;
	if (!space_is_moderator(sv)) {
		http_error(rq, rs, 403, "Only the space's owners and moderators change its settings");
		return -1;
	}
	return 0;
}

static void get_settings(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (settings_space(rq, rs, &sv) == 0)
		render_settings(rq, rs, 200, &sv, NULL, NULL, NULL);
}

static void post_space_settings(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct space_input in;
	char err[200] = "";
	enum mresult r;

	if (settings_space(rq, rs, &sv) < 0)
		return;
	memset(&in, 0, sizeof in);
	in.name = req_arg(rq, "name");
	in.description = req_arg(rq, "description");
	in.access = req_arg(rq, "access");
	in.posting = req_arg(rq, "posting");
	r = space_update(&rq->viewer, &sv, &in, err, sizeof err);
	if (r == M_OK)
		back_to(rq, rs, &sv, "/settings", r, NULL, "Saved.");
	else
		render_settings(rq, rs, http_status_for(r), &sv, err, NULL, NULL);
}

static void post_invite(struct request *rq, struct response *rs)
{
	struct space_view sv;
	struct space_invitation_row inv;
	const char *email = req_arg(rq, "email"), *who = req_arg(rq, "username");
	char err[200] = "", code[64] = "";
	enum mresult r;

	if (settings_space(rq, rs, &sv) < 0)
		return;
	if (email && *email)
		who = email;
	if (!who || !*who) {
		render_settings(rq, rs, 422, &sv, "Give a username or an email address", NULL, NULL);
		return;
	}
	if (who == email) {
		r = space_invite_email(&rq->viewer, &sv, who, &inv, code, sizeof code, err, sizeof err);
	} else {
		struct account_row a;

		if (store_account_by_username(who[0] == '@' ? who + 1 : who, &a) != STORE_OK) {
			render_settings(rq, rs, 404, &sv, "There is nobody by that username", NULL, NULL);
			return;
		}
		r = space_invite_account(&rq->viewer, &sv, a.id, &inv, err, sizeof err);
	}
	if (r != M_OK) {
		render_settings(rq, rs, http_status_for(r), &sv, err, NULL, NULL);
		return;
	}
	if (code[0]) {
		struct buf url = BUF_INIT;

		buf_printf(&url, "%s/invite/%s", rq->cfg ? rq->cfg->base_url : "", code);
		render_settings(rq, rs, 200, &sv, NULL, buf_str(&url), who);
		buf_release(&url);
		return;
	}
	back_to(rq, rs, &sv, "/settings", r, err, "Invited.");
}

static void post_invitation_cancel(struct request *rq, struct response *rs)
{
	struct space_view sv;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (settings_space(rq, rs, &sv) < 0)
		return;
	if (id_parse(req_param(rq, "inv"), &id) < 0) {
		http_error(rq, rs, 404, "No such invitation");
		return;
	}
	r = space_invitation_cancel(&rq->viewer, &sv, id, err, sizeof err);
	back_to(rq, rs, &sv, "/settings", r, err, "Invitation cancelled.");
}

static void answer_request(struct request *rq, struct response *rs, int approve)
{
	struct space_view sv;
	char err[200] = "";
	int64_t account;
	enum mresult r;

	if (settings_space(rq, rs, &sv) < 0 || path_account_id(rq, rs, &account) < 0)
		return;
	r = space_request_answer(&rq->viewer, &sv, account, approve, err, sizeof err);
	back_to(rq, rs, &sv, "/settings", r, err, approve ? "Approved." : "Rejected.");
}

static void post_approve(struct request *rq, struct response *rs) { answer_request(rq, rs, 1); }
static void post_reject(struct request *rq, struct response *rs) { answer_request(rq, rs, 0); }

static void post_archive(struct request *rq, struct response *rs)
{
	struct space_view sv;
	const char *on = req_arg(rq, "on");
	char err[200] = "";
	enum mresult r;

	if (path_space(rq, rs, &sv) < 0)
		return;
	r = space_archive(&rq->viewer, &sv, on && !strcmp(on, "1"), err, sizeof err);
	back_to(rq, rs, &sv, "/settings", r, err, "Saved.");
}

/* ---- the invitee ------------------------------------------------------------ */

static void answer_invitation(struct request *rq, struct response *rs, int accept)
{
	struct space_view sv;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (id_parse(req_param(rq, "inv"), &id) < 0) {
		http_error(rq, rs, 404, "No such invitation");
		return;
	}
	r = space_invitation_answer(&rq->viewer, id, accept, &sv, err, sizeof err);
	if (r == M_OK && accept)
		back_to(rq, rs, &sv, "", r, NULL, "Welcome to the space.");
	else
		page_redirect(rq, rs, "/spaces", r == M_OK ? "Invitation declined." : err);
}

static void post_accept(struct request *rq, struct response *rs) { answer_invitation(rq, rs, 1); }
static void post_decline(struct request *rq, struct response *rs) { answer_invitation(rq, rs, 0); }

/* ---- copying a post into another space -------------------------------- */

struct copy_ctx {
	const struct viewer *v;
	int64_t from_space, post_id;
	json_t *arr;
};

static void add_copy_target(const struct space_row *s, const struct space_member_row *m, void *ctx)
{
	struct copy_ctx *c = ctx;
	struct space_view sv;
	char id[24];

	if (s->id == c->from_space || !m)
		return;
	memset(&sv, 0, sizeof sv);
	sv.s = *s;
	sv.member = 1;
	sv.m = *m;
	if (!space_may_post(c->v, &sv))
		return;
	json_array_append_new(c->arr, json_pack("{s:s, s:s, s:s, s:I, s:s}", "handle", s->handle, "name", s->name,
		"kind", s->kind, "members_count", (json_int_t)s->members_count,
		"post_id", id_format(id, sizeof id, c->post_id)));
}

/* GET /posts/:id/copy: the spaces the viewer may copy a readable post into. */
static void get_copy(struct request *rq, struct response *rs)
{
	struct post_row p;
	struct space_query q;
	struct copy_ctx c;
	int64_t id;

	if (id_parse(req_param(rq, "id"), &id) < 0 || audience_read_post(&rq->viewer, id, &p) != M_OK) {
		http_error(rq, rs, 404, "There is no such post, or you may not read it");
		return;
	}
	memset(&q, 0, sizeof q);
	q.viewer_id = rq->viewer.account.id;
	q.staff = viewer_is_staff(&rq->viewer);
	q.mine = 1;
	q.limit = 200;
	c.v = &rq->viewer;
	c.from_space = p.space_id;
	c.post_id = id;
	c.arr = json_array();
	store_space_list(&q, add_copy_target, &c);
	page_render(rq, rs, 200, "space_copy", "Copy to a space",
		    json_pack("{s:o, s:s}", "spaces", c.arr, "source", p.source));
	post_row_release(&p);
}

void web_space_routes(void)
{
	router_add("GET", "/posts/:id/copy", get_copy, ROUTE_AUTH, NULL);
	router_add("GET", "/spaces", get_spaces, 0, NULL);
	router_add("GET", "/spaces/new", get_new_space, ROUTE_AUTH, NULL);
	router_add("POST", "/spaces", post_new_space, ROUTE_AUTH, NULL);
	router_add("POST", "/invitations/:inv/accept", post_accept, ROUTE_AUTH, NULL);
	router_add("POST", "/invitations/:inv/decline", post_decline, ROUTE_AUTH, NULL);
	router_add("GET", "/s/:handle", get_space, 0, NULL);
	router_add("POST", "/s/:handle/posts", post_space_post, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/join", post_join, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/leave", post_leave, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/home", post_home, ROUTE_AUTH, NULL);
	router_add("GET", "/s/:handle/members", get_members, 0, NULL);
	router_add("POST", "/s/:handle/members/:account/role", post_member_role, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/members/:account/remove", post_member_remove, ROUTE_AUTH, NULL);
	router_add("GET", "/s/:handle/settings", get_settings, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/settings", post_space_settings, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/invite", post_invite, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/invitations/:inv/cancel", post_invitation_cancel, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/requests/:account/approve", post_approve, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/requests/:account/reject", post_reject, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/archive", post_archive, ROUTE_AUTH, NULL);
}
