/*
 * routing.c - the routing pages (issue 7): /s/:handle/routing (a space's
 * routing policy and its listeners) and /admin/routing (the
 * organisation's). The policy form and the listener forms are shown to
 * those who may change them (space owners and moderators, admins; for the
 * organisation, admins); listeners see both read-only. Everyone else gets
 * 403.
 *
 * Thin: permissions, ranges and "a listener must be a member" are
 * model/routing.c's and model/listener.c's; their messages are shown as
 * they are.
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "model/listener.h"
#include "model/routing.h"
#include "model/space.h"
#include "web/page.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const modes[] = { "suggest", "assign", "manual" };
static const char *const mode_labels[] = { "Suggest: notify the best candidates",
					   "Assign: assign the best candidate",
					   "Manual: listeners assign" };

static void base_path(const struct space_view *sv, char *out, size_t n)
{
	if (sv)
		snprintf(out, n, "/s/%s/routing", sv->s.handle);
	else
		snprintf(out, n, "/admin/routing");
}

static void add_listener_ctx(const struct account_row *a, void *ctx)
{
	char id[24];

	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s}", "id", id_format(id, sizeof id, a->id),
					     "username", a->username,
					     "display_name", a->display_name[0] ? a->display_name : a->username));
}

/* The page; p NULL: read the stored policy. error: shown above the forms. */
static void render(struct request *rq, struct response *rs, int status, const struct space_view *sv,
		   const struct routing_policy *p, const char *error, const char *username)
{
	struct routing_policy stored;
	char err[200] = "", path[160];
	json_t *ctx, *mode_opts = json_array(), *listeners = json_array();
	enum mresult r;
	size_t i;

	if (!p) {
		r = routing_policy_get(&rq->viewer, sv, &stored, err, sizeof err);
		if (r != M_OK) {
			json_decref(mode_opts);
			json_decref(listeners);
			http_error(rq, rs, http_status_for(r), err[0] ? err : "Storage error");
			return;
		}
		p = &stored;
	}
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
		json_array_append_new(mode_opts, json_pack("{s:s, s:s, s:b}", "value", modes[i], "label", mode_labels[i],
							   "selected", !strcmp(p->mode, modes[i])));
	if (listener_may_list(&rq->viewer, sv))
		listener_list(&rq->viewer, sv, add_listener_ctx, listeners, err, sizeof err);
	base_path(sv, path, sizeof path);
	ctx = json_pack("{s:s, s:s, s:o, s:s, s:i, s:I, s:I, s:I, s:b, s:i, s:b, s:b, s:o, s:b, s:s}",
			"base_path", path,
			"scope_name", sv ? sv->s.name : "the organisation",
			"modes", mode_opts, "mode", p->mode, "top_n", p->top_n,
			"target_seconds", (json_int_t)p->target_seconds,
			"target_hours", (json_int_t)(p->target_seconds / 3600),
			"target_minutes", (json_int_t)((p->target_seconds % 3600) / 60),
			"working_hours", p->working_hours, "max_open", p->max_open,
			"may_set", routing_may_set_policy(&rq->viewer, sv),
			"may_manage", listener_may_manage(&rq->viewer, sv),
			"listeners", listeners, "no_listeners", json_array_size(listeners) == 0,
			"username", username ? username : "");
	if (sv)
		json_object_set_new(ctx, "space", json_pack("{s:s, s:s}", "handle", sv->s.handle, "name", sv->s.name));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	page_render(rq, rs, status, "routing", "Routing", ctx);
}

static void show(struct request *rq, struct response *rs, const struct space_view *sv)
{
	if (!routing_may_read_policy(&rq->viewer, sv)) {
		http_error(rq, rs, 403, sv ? "Only the space's owners, moderators and listeners, organisation listeners and admins see its routing"
					   : "Only admins and organisation listeners see the organisation's routing");
		return;
	}
	render(rq, rs, 200, sv, NULL, NULL, NULL);
}

/* A whole number from the form: -1 absent or empty, -2 not a number. */
static long form_long(struct request *rq, const char *name)
{
	const char *s = req_arg(rq, name);
	char *end;
	long x;

	if (!s || !s[0])
		return -1;
	errno = 0;
	x = strtol(s, &end, 10);
	if (errno || end == s || *end || x < 0 || x > 100000000L)
		return -2;
	return x;
}

static void save_policy(struct request *rq, struct response *rs, const struct space_view *sv)
{
	struct routing_policy_input in;
	struct routing_policy out;
	long hours = form_long(rq, "target_hours"), minutes = form_long(rq, "target_minutes");
	char err[200] = "", path[160];
	enum mresult r;

	if (!routing_may_set_policy(&rq->viewer, sv)) {
		http_error(rq, rs, 403, "You may not change this routing policy");
		return;
	}
	memset(&in, 0, sizeof in);
	in.mode = req_arg(rq, "mode");
	in.top_n = form_long(rq, "top_n");
	in.max_open = form_long(rq, "max_open");
	in.working_hours = req_arg(rq, "working_hours") ? 1 : 0;
	if (hours == -1 && minutes == -1)
		in.target_seconds = -1;
	else if (hours == -2 || minutes == -2)
		in.target_seconds = -2;
	else
		in.target_seconds = (hours > 0 ? hours : 0) * 3600 + (minutes > 0 ? minutes : 0) * 60;
	if (in.top_n == -2 || in.max_open == -2 || in.target_seconds == -2) {
		routing_policy_get(&rq->viewer, sv, &out, err, sizeof err);
		render(rq, rs, 422, sv, &out, "Top N, the target and the open assignments must be whole numbers", NULL);
		return;
	}
	r = routing_policy_set(&rq->viewer, sv, &in, &out, err, sizeof err);
	if (r == M_INVALID) {
		char err2[100];

		routing_policy_get(&rq->viewer, sv, &out, err2, sizeof err2);
		render(rq, rs, 422, sv, &out, err[0] ? err : "That policy is not valid", NULL);
		return;
	}
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err[0] ? err : "Storage error");
		return;
	}
	base_path(sv, path, sizeof path);
	page_redirect(rq, rs, path, "Routing policy saved.");
}

static void add_listener(struct request *rq, struct response *rs, const struct space_view *sv)
{
	const char *user = req_arg(rq, "username");
	struct account_row a;
	char err[200] = "", path[160];
	enum mresult r;

	if (!listener_may_manage(&rq->viewer, sv)) {
		http_error(rq, rs, 403, "You may not change these listeners");
		return;
	}
	if (user && user[0] == '@')
		user++;
	if (!user || !user[0] || store_account_by_username(user, &a) != STORE_OK) {
		render(rq, rs, 422, sv, NULL, "There is no such person", user);
		return;
	}
	r = listener_add(&rq->viewer, sv, a.id, err, sizeof err);
	if (r == M_INVALID) {
		render(rq, rs, 422, sv, NULL, err[0] ? err : "That person cannot listen here", user);
		return;
	}
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err[0] ? err : "Storage error");
		return;
	}
	base_path(sv, path, sizeof path);
	page_redirect(rq, rs, path, "Listener added.");
}

static void remove_listener(struct request *rq, struct response *rs, const struct space_view *sv)
{
	const char *s = req_arg(rq, "account_id");
	char err[200] = "", path[160];
	int64_t id;
	enum mresult r;

	if (!listener_may_manage(&rq->viewer, sv)) {
		http_error(rq, rs, 403, "You may not change these listeners");
		return;
	}
	if (!s || id_parse(s, &id) < 0) {
		render(rq, rs, 422, sv, NULL, "Choose a listener to remove", NULL);
		return;
	}
	r = listener_remove(&rq->viewer, sv, id, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err[0] ? err : "Storage error");
		return;
	}
	base_path(sv, path, sizeof path);
	page_redirect(rq, rs, path, "Listener removed.");
}

static int path_space(struct request *rq, struct response *rs, struct space_view *sv)
{
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "handle"), sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Space not found");
		return -1;
	}
	return 0;
}

#define SPACE_HANDLER(name, fn)                                              \
	static void name(struct request *rq, struct response *rs)           \
	{                                                                    \
		struct space_view sv;                                        \
		if (path_space(rq, rs, &sv) == 0)                            \
			fn(rq, rs, &sv);                                     \
	}

SPACE_HANDLER(get_space, show)
SPACE_HANDLER(post_space, save_policy)
SPACE_HANDLER(post_space_add, add_listener)
SPACE_HANDLER(post_space_remove, remove_listener)

static void get_org(struct request *rq, struct response *rs) { show(rq, rs, NULL); }
static void post_org(struct request *rq, struct response *rs) { save_policy(rq, rs, NULL); }
static void post_org_add(struct request *rq, struct response *rs) { add_listener(rq, rs, NULL); }
static void post_org_remove(struct request *rq, struct response *rs) { remove_listener(rq, rs, NULL); }

void web_routing_routes(void)
{
	router_add("GET", "/s/:handle/routing", get_space, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/routing", post_space, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/routing/listeners", post_space_add, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/routing/listeners/remove", post_space_remove, ROUTE_AUTH, NULL);
	router_add("GET", "/admin/routing", get_org, ROUTE_AUTH, NULL);
	router_add("POST", "/admin/routing", post_org, ROUTE_AUTH, NULL);
	router_add("POST", "/admin/routing/listeners", post_org_add, ROUTE_AUTH, NULL);
	router_add("POST", "/admin/routing/listeners/remove", post_org_remove, ROUTE_AUTH, NULL);
}
