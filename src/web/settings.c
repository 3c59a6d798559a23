/*
 * settings.c - the signed-in user's account settings: change password,
 * see and end sessions, see and revoke authorised applications.
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/account.h"
#include "model/oauth.h"
#include "model/session.h"
#include "web/page.h"

#include <stdio.h>
#include <string.h>

struct list_ctx {
	json_t *arr;
	int64_t current;
};

static void add_session(const struct session_row *s, void *p)
{
	struct list_ctx *c = p;
	char id[24];

	json_array_append_new(c->arr, json_pack("{s:s, s:o, s:o, s:s, s:s, s:b}",
		"id", id_format(id, sizeof id, s->id), "created", page_time(s->created_at),
		"last_used", page_time(s->last_used_at), "ip", s->ip, "user_agent", s->user_agent,
		"current", s->id == c->current));
}

static void add_app(const struct app_row *a, int64_t tokens, int64_t last, void *p)
{
	struct list_ctx *c = p;
	char id[24];

	json_array_append_new(c->arr, json_pack("{s:s, s:s, s:s, s:I, s:o}",
		"id", id_format(id, sizeof id, a->id), "name", a->name, "website", a->website,
		"tokens", (json_int_t)tokens, "last_used", page_time(last)));
}

static void render_settings(struct request *rq, struct response *rs, int status, const char *error)
{
	const struct account_row *a = &rq->viewer.account;
	struct list_ctx sessions = { json_array(), rq->viewer.session_id };
	struct list_ctx apps = { json_array(), 0 };
	json_t *ctx;

	store_session_list(a->id, add_session, &sessions);
	store_token_apps(a->id, add_app, &apps);
	ctx = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s?}",
			"username", a->username, "email", a->email, "display_name", a->display_name,
			"role", account_role_name(a), "sessions", sessions.arr, "apps", apps.arr,
			"error", error);
	page_render(rq, rs, status, "settings", "Settings", ctx);
}

static void get_settings(struct request *rq, struct response *rs)
{
	render_settings(rq, rs, 200, NULL);
}

static void post_password(struct request *rq, struct response *rs)
{
	const char *pw = req_arg(rq, "password"), *confirm = req_arg(rq, "password_confirm");
	char err[256] = "";
	int retry = 0;
	enum mresult r;

	if (!pw || !confirm || strcmp(pw, confirm)) {
		render_settings(rq, rs, 422, "The new passwords do not match");
		return;
	}
	r = account_change_password(rq->viewer.account.id, req_arg(rq, "current_password"), pw,
				    rq->viewer.session_id, rq->ip, &retry, err, sizeof err);
	if (r == M_LIMITED)
		resp_retry_after(rs, retry);
	if (r != M_OK) {
		render_settings(rq, rs, http_status_for(r), err);
		return;
	}
	page_redirect(rq, rs, "/settings", "Your password is changed. Your other sessions and apps are signed out.");
}

static void post_session_revoke(struct request *rq, struct response *rs)
{
	int64_t id;

	if (id_parse(req_param(rq, "id"), &id) < 0 ||
	    store_session_delete_for(rq->viewer.account.id, id) != STORE_OK) {
		http_error(rq, rs, 404, "No such session");
		return;
	}
	page_redirect(rq, rs, id == rq->viewer.session_id ? "/signin" : "/settings", "The session is ended.");
}

static void post_sessions_revoke_others(struct request *rq, struct response *rs)
{
	if (store_session_delete_all(rq->viewer.account.id, rq->viewer.session_id) != STORE_OK) {
		http_error(rq, rs, 500, "Database error");
		return;
	}
	page_redirect(rq, rs, "/settings", "Your other sessions are ended.");
}

static void post_app_revoke(struct request *rq, struct response *rs)
{
	int64_t id;

	if (id_parse(req_param(rq, "id"), &id) < 0 ||
	    oauth_app_revoke_for(rq->viewer.account.id, id) != M_OK) {
		http_error(rq, rs, 404, "No such application");
		return;
	}
	page_redirect(rq, rs, "/settings", "The application's access is revoked.");
}

void web_settings_routes(void)
{
	router_add("GET", "/settings", get_settings, ROUTE_AUTH, NULL);
	router_add("POST", "/settings/password", post_password, ROUTE_AUTH | ROUTE_SLOW, NULL);
	router_add("POST", "/settings/sessions/others/revoke", post_sessions_revoke_others, ROUTE_AUTH, NULL);
	router_add("POST", "/settings/sessions/:id/revoke", post_session_revoke, ROUTE_AUTH, NULL);
	router_add("POST", "/settings/apps/:id/revoke", post_app_revoke, ROUTE_AUTH, NULL);
}
