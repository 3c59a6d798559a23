/*
 * admin.c - administration pages: accounts (roles, suspension),
 * registration policy, invite links. Every route needs an admin.
 *
 * An admin cannot demote or suspend their own account here, so an
 * instance never loses its last administrator by a slip of the mouse
 * (the command line can still do it).
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/account.h"
#include "model/registration.h"
#include "web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct acct_list {
	json_t *arr;
	int64_t self;
	int64_t last;
	int n;
};

static void add_account(const struct account_row *a, void *p)
{
	struct acct_list *l = p;
	const char *role = account_role_name(a);
	char id[24];

	json_array_append_new(l->arr, json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:b, s:b, s:b, s:b}",
		"id", id_format(id, sizeof id, a->id), "username", a->username, "email", a->email,
		"display_name", a->display_name, "role", role, "suspended", a->suspended,
		"self", a->id == l->self, "created", page_time(a->created_at), "last_seen", page_time(a->last_seen_at),
		"is_admin", !strcmp(role, "admin"), "is_moderator", !strcmp(role, "moderator"),
		"is_staff", !strcmp(role, "staff"), "is_guest", !strcmp(role, "guest")));
	l->last = a->id;
	l->n++;
}

static void add_invite(const struct invite_row *v, void *p)
{
	json_t **ctx = p;
	const char *base = json_string_value(json_object_get(*ctx, "base_url"));
	int64_t now = time_now_ms();
	char id[24], link[800], uses[48];
	const char *state = v->revoked ? "revoked" :
			    (v->expires_at && v->expires_at <= now) ? "expired" :
			    (v->max_uses && v->uses >= v->max_uses) ? "used up" : "active";

	snprintf(link, sizeof link, "%s/invite/%s", base ? base : "", v->code);
	if (v->max_uses)
		snprintf(uses, sizeof uses, "%d of %d", v->uses, v->max_uses);
	else
		snprintf(uses, sizeof uses, "%d (no limit)", v->uses);
	json_array_append_new(json_object_get(*ctx, "invites"), json_pack(
		"{s:s, s:s, s:s, s:s, s:o, s:s, s:b}",
		"id", id_format(id, sizeof id, v->id), "link", link, "kind", v->kind, "uses", uses,
		"expires", page_time(v->expires_at),
		"state", state, "active", !strcmp(state, "active")));
}

static void render_admin(struct request *rq, struct response *rs, int status, const char *error)
{
	struct acct_list accts = { json_array(), rq->viewer.account.id, 0, 0 };
	struct reg_policy pol;
	int64_t before = 0;
	const char *b = params_get(&rq->query, "before");
	json_t *ctx;

	if (b)
		id_parse(b, &before);
	store_account_list(before, 100, add_account, &accts);
	if (registration_get(&pol) != M_OK) {
		pol.mode = REG_CLOSED;
		pol.domains[0] = '\0';
	}
	ctx = json_pack("{s:o, s:s, s:b, s:b, s:b, s:s, s:[], s:s, s:s?}",
			"accounts", accts.arr, "mode", registration_mode_name(pol.mode),
			"mode_closed", pol.mode == REG_CLOSED, "mode_invite", pol.mode == REG_INVITE,
			"mode_open", pol.mode == REG_OPEN, "domains", pol.domains, "invites",
			"base_url", rq->cfg->base_url, "error", error);
	if (accts.n == 100) {
		char id[24];

		json_object_set_new(ctx, "next_before", json_string(id_format(id, sizeof id, accts.last)));
	}
	store_invite_list(add_invite, &ctx);
	page_render(rq, rs, status, "admin", "Administration", ctx);
}

static void get_admin(struct request *rq, struct response *rs)
{
	render_admin(rq, rs, 200, NULL);
}

static int target_account(struct request *rq, struct response *rs, int64_t *id)
{
	if (id_parse(req_param(rq, "id"), id) < 0) {
		http_error(rq, rs, 404, "No such account");
		return -1;
	}
	if (*id == rq->viewer.account.id) {
		render_admin(rq, rs, 422, "You cannot change your own role or suspend yourself here");
		return -1;
	}
	return 0;
}

static void post_role(struct request *rq, struct response *rs)
{
	enum account_role role;
	char err[256] = "";
	int64_t id;
	enum mresult r;

	if (target_account(rq, rs, &id) < 0)
		return;
	if (account_role_parse(req_arg(rq, "role"), &role) < 0) {
		render_admin(rq, rs, 422, "Choose admin, moderator, staff or guest");
		return;
	}
	r = account_set_role(id, role, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	page_redirect(rq, rs, "/admin", "The role is changed.");
}

static void post_suspend(struct request *rq, struct response *rs)
{
	int suspend = params_get_bool(&rq->form, "suspended", 1);
	char err[256] = "";
	int64_t id;
	enum mresult r;

	if (target_account(rq, rs, &id) < 0)
		return;
	if (suspend < 0) {
		render_admin(rq, rs, 422, "suspended must be 1 or 0");
		return;
	}
	r = account_set_suspended(id, suspend == 1, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	page_redirect(rq, rs, "/admin", suspend == 1 ? "The account is suspended." : "The account is active again.");
}

static void post_registration(struct request *rq, struct response *rs)
{
	enum reg_mode mode;
	char err[256] = "";
	enum mresult r;

	if (registration_mode_parse(req_arg(rq, "mode"), &mode) < 0) {
		render_admin(rq, rs, 422, "Choose closed, invite or open");
		return;
	}
	r = registration_set(mode, req_arg(rq, "domains"), err, sizeof err);
	if (r != M_OK) {
		render_admin(rq, rs, http_status_for(r), err);
		return;
	}
	page_redirect(rq, rs, "/admin", "The registration policy is saved.");
}

static void post_invite(struct request *rq, struct response *rs)
{
	const char *uses = req_arg(rq, "max_uses"), *days = req_arg(rq, "expires_days");
	struct invite_row v;
	char err[256] = "", *end;
	long max_uses = 1, d = 0;
	enum mresult r;

	if (uses && *uses) {
		max_uses = strtol(uses, &end, 10);
		if (*end) {
			render_admin(rq, rs, 422, "Uses must be a number (0 for no limit)");
			return;
		}
	}
	if (days && *days) {
		d = strtol(days, &end, 10);
		if (*end || d < 0 || d > 3650) {
			render_admin(rq, rs, 422, "Expiry must be a number of days between 0 (never) and 3650");
			return;
		}
	}
	r = invite_create(rq->viewer.account.id, req_arg(rq, "kind"), (int)(max_uses < 0 || max_uses > 100000 ? -1 : max_uses),
			  d ? time_now_ms() + d * 86400000LL : 0, &v, err, sizeof err);
	if (r != M_OK) {
		render_admin(rq, rs, http_status_for(r), err);
		return;
	}
	page_redirect(rq, rs, "/admin#invites", "The invite link is ready: copy it from the list below.");
}

static void post_invite_revoke(struct request *rq, struct response *rs)
{
	int64_t id;

	if (id_parse(req_param(rq, "id"), &id) < 0 || invite_revoke(id) != M_OK) {
		http_error(rq, rs, 404, "No such invite");
		return;
	}
	page_redirect(rq, rs, "/admin#invites", "The invite link is revoked.");
}

void web_admin_routes(void)
{
	router_add("GET", "/admin", get_admin, ROUTE_AUTH | ROUTE_ADMIN, NULL);
	router_add("POST", "/admin/accounts/:id/role", post_role, ROUTE_AUTH | ROUTE_ADMIN, NULL);
	router_add("POST", "/admin/accounts/:id/suspend", post_suspend, ROUTE_AUTH | ROUTE_ADMIN, NULL);
	router_add("POST", "/admin/registration", post_registration, ROUTE_AUTH | ROUTE_ADMIN, NULL);
	router_add("POST", "/admin/invites", post_invite, ROUTE_AUTH | ROUTE_ADMIN, NULL);
	router_add("POST", "/admin/invites/:id/revoke", post_invite_revoke, ROUTE_AUTH | ROUTE_ADMIN, NULL);
}
