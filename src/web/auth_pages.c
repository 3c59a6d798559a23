/*
 * auth_pages.c - pages that make and end sessions: first-run setup,
 * sign in, sign out, accepting an invite, open sign-up. (The home page is
 * in conversations.c.)
 *
 * Signing in always starts a new session (a fresh cookie value), so a
 * session id planted before sign-in is worthless after it, and ends the
 * one the browser held before, if any.
 */
#include "http/auth.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "model/account.h"
#include "model/registration.h"
#include "model/session.h"
#include "store/store.h"
#include "web/page.h"

#include <stdio.h>
#include <string.h>

#define SESSION_MAX_AGE ((long)SESSION_TTL_DAYS * 24 * 3600)

/* Start a session for a and answer with a redirect to `next`. */
static void sign_in_and_go(struct request *rq, struct response *rs, const struct account_row *a,
			   const char *next, const char *notice)
{
	char token[SECRET_TOKEN_LEN + 1];

	if (rq->viewer.session_id)
		session_end(rq->viewer.session_id);
	if (session_create(a->id, req_header(rq, "User-Agent"), rq->ip, token, sizeof token, NULL) != M_OK) {
		http_error(rq, rs, 500, "Could not start a session; try again");
		return;
	}
	resp_cookie(rq, rs, SESSION_COOKIE, token, SESSION_MAX_AGE);
	page_redirect(rq, rs, page_safe_next(next), notice);
}

/* Keep what the user typed (never the password) when a form is re-shown. */
static json_t *form_echo(struct request *rq, const char *error)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?}",
			 "username", req_arg(rq, "username") ? req_arg(rq, "username") : "",
			 "email", req_arg(rq, "email") ? req_arg(rq, "email") : "",
			 "display_name", req_arg(rq, "display_name") ? req_arg(rq, "display_name") : "",
			 "next", page_safe_next(req_arg(rq, "next")),
			 "error", error);
}

static int passwords_match(struct request *rq)
{
	const char *p = req_arg(rq, "password"), *c = req_arg(rq, "password_confirm");

	return p && (!c || !strcmp(p, c));
}

/* ---- setup ----------------------------------------------------------- */

static int setup_done(void)
{
	return store_account_count() != 0;
}

static void get_setup(struct request *rq, struct response *rs)
{
	if (setup_done()) {
		page_redirect(rq, rs, "/signin", NULL);
		return;
	}
	page_render(rq, rs, 200, "setup", "Set up Parley", form_echo(rq, NULL));
}

static void post_setup(struct request *rq, struct response *rs)
{
	struct account_new n = { req_arg(rq, "username"), req_arg(rq, "email"),
				 req_arg(rq, "display_name"), req_arg(rq, "password"), ROLE_ADMIN };
	struct account_row a;
	char err[256] = "";
	enum mresult r;

	if (!passwords_match(rq)) {
		page_render(rq, rs, 422, "setup", "Set up Parley", form_echo(rq, "The passwords do not match"));
		return;
	}
	r = account_create_first(&n, &a, err, sizeof err);
	if (r == M_FORBIDDEN) {
		page_redirect(rq, rs, "/signin", "Parley is already set up: sign in");
		return;
	}
	if (r != M_OK) {
		page_render(rq, rs, http_status_for(r), "setup", "Set up Parley", form_echo(rq, err));
		return;
	}
	sign_in_and_go(rq, rs, &a, "/", "Welcome! Your administrator account is ready.");
}

/* ---- sign in and out --------------------------------------------------- */

static void get_signin(struct request *rq, struct response *rs)
{
	struct reg_policy pol;
	json_t *ctx;

	if (!setup_done()) {
		page_redirect(rq, rs, "/setup", NULL);
		return;
	}
	if (rq->viewer.signed_in) {
		page_redirect(rq, rs, page_safe_next(req_arg(rq, "next")), NULL);
		return;
	}
	ctx = form_echo(rq, NULL);
	if (registration_get(&pol) == M_OK && pol.mode == REG_OPEN)
		json_object_set_new(ctx, "signup_open", json_true());
	page_render(rq, rs, 200, "signin", "Sign in", ctx);
}

static void post_signin(struct request *rq, struct response *rs)
{
	const char *login = req_arg(rq, "username");
	struct account_row a;
	char err[256] = "";
	int retry = 0;
	enum mresult r;

	r = account_authenticate(login, req_arg(rq, "password"), rq->ip, &a, &retry, err, sizeof err);
	if (r == M_OK) {
		sign_in_and_go(rq, rs, &a, req_arg(rq, "next"), NULL);
		return;
	}
	if (r == M_LIMITED)
		resp_retry_after(rs, retry);
	page_render(rq, rs, http_status_for(r), "signin", "Sign in", form_echo(rq, err));
}

static void post_signout(struct request *rq, struct response *rs)
{
	if (rq->viewer.session_id)
		session_end(rq->viewer.session_id);
	resp_cookie(rq, rs, SESSION_COOKIE, "", -1);
	page_redirect(rq, rs, "/signin", "You are signed out.");
}

/* ---- invites and sign-up ---------------------------------------------- */

static void render_invite(struct request *rq, struct response *rs, int status,
			  const struct invite_row *v, const char *error)
{
	json_t *ctx = form_echo(rq, error);

	json_object_set_new(ctx, "code", json_string(v->code));
	json_object_set_new(ctx, "guest", json_boolean(!strcmp(v->kind, "guest")));
	page_render(rq, rs, status, "invite", "Accept your invitation", ctx);
}

static void get_invite(struct request *rq, struct response *rs)
{
	struct invite_row v;
	char err[256] = "";
	enum mresult r = invite_check(req_param(rq, "code"), &v, err, sizeof err);

	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	if (rq->viewer.signed_in) {
		page_redirect(rq, rs, "/", "You are already signed in; sign out first to accept an invitation.");
		return;
	}
	render_invite(rq, rs, 200, &v, NULL);
}

static void post_invite(struct request *rq, struct response *rs)
{
	struct account_new n = { req_arg(rq, "username"), req_arg(rq, "email"),
				 req_arg(rq, "display_name"), req_arg(rq, "password"), ROLE_GUEST };
	const char *code = req_param(rq, "code");
	struct invite_row v;
	struct account_row a;
	char err[256] = "";
	enum mresult r;

	r = invite_check(code, &v, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	if (!passwords_match(rq)) {
		render_invite(rq, rs, 422, &v, "The passwords do not match");
		return;
	}
	r = invite_redeem(code, &n, &a, err, sizeof err);
	if (r != M_OK) {
		render_invite(rq, rs, http_status_for(r), &v, err);
		return;
	}
	sign_in_and_go(rq, rs, &a, "/", "Welcome to Parley!");
}

static void get_signup(struct request *rq, struct response *rs)
{
	struct reg_policy pol;
	json_t *ctx;

	if (registration_get(&pol) != M_OK || pol.mode != REG_OPEN) {
		http_error(rq, rs, 403, "Registration is not open; ask an administrator for an invite link");
		return;
	}
	ctx = form_echo(rq, NULL);
	json_object_set_new(ctx, "domains", json_string(pol.domains));
	page_render(rq, rs, 200, "signup", "Create your account", ctx);
}

static void post_signup(struct request *rq, struct response *rs)
{
	struct account_new n = { req_arg(rq, "username"), req_arg(rq, "email"),
				 req_arg(rq, "display_name"), req_arg(rq, "password"), ROLE_STAFF };
	struct reg_policy pol;
	struct account_row a;
	char err[256] = "";
	enum mresult r;
	json_t *ctx;

	if (!passwords_match(rq)) {
		r = M_INVALID;
		snprintf(err, sizeof err, "The passwords do not match");
	} else {
		r = registration_signup(&n, &a, err, sizeof err);
	}
	if (r == M_OK) {
		sign_in_and_go(rq, rs, &a, "/", "Welcome to Parley!");
		return;
	}
	if (registration_get(&pol) != M_OK || pol.mode != REG_OPEN) {
		http_error(rq, rs, 403, err);
		return;
	}
	ctx = form_echo(rq, err);
	json_object_set_new(ctx, "domains", json_string(pol.domains));
	page_render(rq, rs, http_status_for(r), "signup", "Create your account", ctx);
}

void web_auth_routes(void)
{
	router_add("GET", "/setup", get_setup, 0, NULL);
	router_add("POST", "/setup", post_setup, ROUTE_SLOW, NULL);
	router_add("GET", "/signin", get_signin, 0, NULL);
	router_add("POST", "/signin", post_signin, ROUTE_SLOW, NULL);
	router_add("POST", "/signout", post_signout, ROUTE_AUTH, NULL);
	router_add("GET", "/invite/:code", get_invite, ROUTE_SECRET_PATH, NULL);
	router_add("POST", "/invite/:code", post_invite, ROUTE_SECRET_PATH | ROUTE_SLOW, NULL);
	router_add("GET", "/signup", get_signup, 0, NULL);
	router_add("POST", "/signup", post_signup, ROUTE_SLOW, NULL);
}
