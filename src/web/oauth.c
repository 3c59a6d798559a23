/*
 * oauth.c - the OAuth consent page: GET and POST /oauth/authorize.
 *
 * GET checks the client and redirect URI first (an unknown client or an
 * unregistered redirect URI gets an error page here, never a redirect:
 * that would make Parley an open redirector), asks a signed-out visitor to
 * sign in and come back, then shows what the app asks for. POST (with the
 * session's CSRF token) either approves, making a single-use code, or
 * denies. The code goes to the redirect URI, or is shown on a page for the
 * out-of-band URN.
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/json_list.h"
#include "model/oauth.h"
#include "web/page.h"

#include <stdio.h>
#include <string.h>

struct authz {
	struct app_row app;
	const char *redirect_uri;
	const char *state;
	const char *challenge;
	char scopes[512];
};

/* Validate the request's parameters. 0, or -1 with an error page sent. */
static int read_authz(struct request *rq, struct response *rs, struct authz *z)
{
	const char *client_id = req_arg(rq, "client_id"), *rtype = req_arg(rq, "response_type");
	const char *method = req_arg(rq, "code_challenge_method");
	char err[256] = "";

	memset(z, 0, sizeof *z);
	if (!client_id || store_app_by_client_id(client_id, &z->app) != STORE_OK) {
		http_error(rq, rs, 400, "Unknown application (client_id)");
		return -1;
	}
	z->redirect_uri = req_arg(rq, "redirect_uri");
	if (!z->redirect_uri) {
		/* one registered URI may be left implicit */
		if (!strchr(z->app.redirect_uris, '\n'))
			z->redirect_uri = z->app.redirect_uris;
	}
	if (!z->redirect_uri || !oauth_redirect_allowed(&z->app, z->redirect_uri)) {
		http_error(rq, rs, 400, "The redirect_uri is not one this application registered");
		return -1;
	}
	if (rtype && strcmp(rtype, "code")) {
		http_error(rq, rs, 400, "Only response_type=code is supported");
		return -1;
	}
	if (oauth_scopes_parse(req_arg(rq, "scope"), z->scopes, sizeof z->scopes, err, sizeof err) < 0) {
		http_error(rq, rs, 400, err);
		return -1;
	}
	if (!oauth_scopes_cover(z->app.scopes, z->scopes)) {
		http_error(rq, rs, 400, "The application asks for more than the scopes it registered");
		return -1;
	}
	z->challenge = req_arg(rq, "code_challenge");
	if (z->challenge && *z->challenge) {
		if (!method || strcmp(method, "S256") || strlen(z->challenge) != 43) {
			http_error(rq, rs, 400, "Only PKCE code_challenge_method=S256 is supported");
			return -1;
		}
	} else {
		z->challenge = NULL;
	}
	z->state = req_arg(rq, "state");
	return 0;
}

static void redirect_with(struct response *rs, const struct authz *z, const char *key, const char *value)
{
	struct buf loc = BUF_INIT;

	buf_puts(&loc, z->redirect_uri);
	buf_puts(&loc, strchr(z->redirect_uri, '?') ? "&" : "?");
	buf_puts(&loc, key);
	buf_putc(&loc, '=');
	url_encode(&loc, value);
	if (z->state) {
		buf_puts(&loc, "&state=");
		url_encode(&loc, z->state);
	}
	resp_redirect(rs, buf_str(&loc));
	buf_release(&loc);
}

static void get_authorize(struct request *rq, struct response *rs)
{
	struct authz z;
	json_t *ctx, *scopes;

	if (read_authz(rq, rs, &z) < 0)
		return;
	if (!rq->viewer.signed_in) {
		struct buf next = BUF_INIT, loc = BUF_INIT;
		size_t i;

		/* come back here, with the same query, after signing in */
		buf_puts(&next, "/oauth/authorize?");
		for (i = 0; i < rq->query.n; i++) {
			if (i)
				buf_putc(&next, '&');
			url_encode(&next, rq->query.items[i].key);
			buf_putc(&next, '=');
			url_encode(&next, rq->query.items[i].value);
		}
		buf_puts(&loc, "/signin?next=");
		url_encode(&loc, buf_str(&next));
		resp_redirect(rs, buf_str(&loc));
		buf_release(&next);
		buf_release(&loc);
		return;
	}
	scopes = json_list_split(z.scopes, ' ');
	ctx = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
			"app_name", z.app.name, "app_website", z.app.website,
			"client_id", z.app.client_id, "redirect_uri", z.redirect_uri,
			"scope", z.scopes, "state", z.state ? z.state : "", "scopes", scopes);
	if (z.challenge) {
		json_object_set_new(ctx, "code_challenge", json_string(z.challenge));
		json_object_set_new(ctx, "code_challenge_method", json_string("S256"));
	}
	page_render(rq, rs, 200, "authorize", "Authorise an application", ctx);
}

static void post_authorize(struct request *rq, struct response *rs)
{
	char code[SECRET_TOKEN_LEN + 1];
	struct authz z;

	if (read_authz(rq, rs, &z) < 0)
		return;
	if (params_get(&rq->form, "deny")) {
		if (!strcmp(z.redirect_uri, OAUTH_OOB)) {
			page_redirect(rq, rs, "/", "You did not authorise the application.");
			return;
		}
		redirect_with(rs, &z, "error", "access_denied");
		return;
	}
	if (oauth_code_create(&z.app, rq->viewer.account.id, z.redirect_uri, z.scopes, z.challenge,
			      code, sizeof code) != M_OK) {
		http_error(rq, rs, 500, "Could not create an authorization code");
		return;
	}
	if (!strcmp(z.redirect_uri, OAUTH_OOB)) {
		page_render(rq, rs, 200, "oauth_code", "Authorisation code",
			    json_pack("{s:s, s:s}", "code", code, "app_name", z.app.name));
		return;
	}
	redirect_with(rs, &z, "code", code);
}

void web_oauth_routes(void)
{
	router_add("GET", "/oauth/authorize", get_authorize, 0, NULL);
	router_add("POST", "/oauth/authorize", post_authorize, ROUTE_AUTH, NULL);
}
