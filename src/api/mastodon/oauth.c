/*
 * oauth.c - the OAuth token endpoints Mastodon clients call:
 * POST /oauth/token (grants authorization_code, password,
 * client_credentials, refresh_token) and POST /oauth/revoke.
 * The consent page, GET/POST /oauth/authorize, is HTML: web/oauth.c.
 *
 * Errors follow RFC 6749 ({"error": "invalid_grant", "error_description":
 * "..."}), which also satisfies clients that only read "error".
 */
#include "api/mastodon/mastodon.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "lib/secret.h"
#include "model/account.h"
#include "model/oauth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static void oauth_error(struct response *rs, int status, const char *code, const char *desc)
{
	resp_json(rs, status, json_pack("{s:s, s:s}", "error", code, "error_description", desc));
}

/* Client credentials from the body or HTTP Basic. M_OK fills app. */
static enum mresult client_from_request(struct request *rq, struct app_row *app)
{
	const char *id = req_arg(rq, "client_id"), *secret = req_arg(rq, "client_secret");
	const char *auth = req_header(rq, "Authorization");
	char basic[512];

	if ((!id || !secret) && auth && !strncasecmp(auth, "Basic ", 6) &&
	    secret_base64_decode(auth + 6, basic, sizeof basic) > 0) {
		char *colon = strchr(basic, ':');

		if (colon) {
			*colon = '\0';
			return oauth_client_auth(basic, colon + 1, app);
		}
	}
	return oauth_client_auth(id, secret, app);
}

static void token_reply(struct response *rs, const struct token_row *t, const char *token,
			const char *refresh)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:I}", "access_token", token, "token_type", "Bearer",
			      "scope", t->scopes, "created_at", (json_int_t)(t->created_at / 1000));

	if (refresh)
		json_object_set_new(j, "refresh_token", json_string(refresh));
	resp_json(rs, 200, j);
}

static void post_token(struct request *rq, struct response *rs)
{
	const char *grant = req_arg(rq, "grant_type");
	char token[SECRET_TOKEN_LEN + 1], refresh[SECRET_TOKEN_LEN + 1];
	char scopes[512], err[256];
	struct app_row app;
	struct token_row t;
	enum mresult r;

	if (!grant) {
		oauth_error(rs, 400, "invalid_request", "grant_type is missing");
		return;
	}
	r = client_from_request(rq, &app);
	if (r == M_ERROR) {
		oauth_error(rs, 500, "server_error", "Database error");
		return;
	}
	if (r != M_OK) {
		oauth_error(rs, 401, "invalid_client",
			    "Client authentication failed: unknown client, or wrong client_secret");
		return;
	}

	if (!strcmp(grant, "authorization_code")) {
		struct code_row c;

		r = oauth_code_redeem(req_arg(rq, "code"), &app, req_arg(rq, "redirect_uri"),
				      req_arg(rq, "code_verifier"), &c, err, sizeof err);
		if (r != M_OK) {
			oauth_error(rs, r == M_ERROR ? 500 : 400, r == M_ERROR ? "server_error" : "invalid_grant", err);
			return;
		}
		r = oauth_token_issue(app.id, c.account_id, c.scopes, token, sizeof token,
				      refresh, sizeof refresh, &t);
		if (r != M_OK) {
			oauth_error(rs, 500, "server_error", "Could not issue a token");
			return;
		}
		token_reply(rs, &t, token, refresh);
		return;
	}
	if (!strcmp(grant, "refresh_token")) {
		r = oauth_token_refresh(req_arg(rq, "refresh_token"), &app, token, sizeof token,
					refresh, sizeof refresh, &t);
		if (r != M_OK) {
			oauth_error(rs, r == M_ERROR ? 500 : 400, r == M_ERROR ? "server_error" : "invalid_grant",
				    "The refresh token is invalid, revoked or already used");
			return;
		}
		token_reply(rs, &t, token, refresh);
		return;
	}

	/* password and client_credentials take a scope parameter */
	if (oauth_scopes_parse(req_arg(rq, "scope"), scopes, sizeof scopes, err, sizeof err) < 0) {
		oauth_error(rs, 400, "invalid_scope", err);
		return;
	}
	if (!oauth_scopes_cover(app.scopes, scopes)) {
		oauth_error(rs, 400, "invalid_scope",
			    "The requested scope is invalid, unknown, or malformed: it exceeds the application's scopes");
		return;
	}
	if (!strcmp(grant, "client_credentials")) {
		if (oauth_token_issue(app.id, 0, scopes, token, sizeof token, NULL, 0, &t) != M_OK) {
			oauth_error(rs, 500, "server_error", "Could not issue a token");
			return;
		}
		token_reply(rs, &t, token, NULL);
		return;
	}
	if (!strcmp(grant, "password")) {
		struct account_row a;
		int retry = 0;

		r = account_authenticate(req_arg(rq, "username"), req_arg(rq, "password"), rq->ip,
					 &a, &retry, err, sizeof err);
		if (r == M_LIMITED) {
			resp_retry_after(rs, retry);
			resp_json_error(rs, 429, err);
			return;
		}
		if (r == M_ERROR) {
			oauth_error(rs, 500, "server_error", err);
			return;
		}
		if (r != M_OK) {
			oauth_error(rs, 400, "invalid_grant", err);
			return;
		}
		if (oauth_token_issue(app.id, a.id, scopes, token, sizeof token, refresh, sizeof refresh,
				      &t) != M_OK) {
			oauth_error(rs, 500, "server_error", "Could not issue a token");
			return;
		}
		token_reply(rs, &t, token, refresh);
		return;
	}
	oauth_error(rs, 400, "unsupported_grant_type",
		    "grant_type must be authorization_code, password, client_credentials or refresh_token");
}

static void post_revoke(struct request *rq, struct response *rs)
{
	struct app_row app;
	enum mresult r = client_from_request(rq, &app);

	if (r != M_OK) {
		oauth_error(rs, r == M_ERROR ? 500 : 401, r == M_ERROR ? "server_error" : "invalid_client",
			    "Client authentication failed");
		return;
	}
	r = oauth_token_revoke(req_arg(rq, "token"), &app);
	if (r == M_FORBIDDEN) {
		oauth_error(rs, 403, "unauthorized_client", "You are not authorized to revoke this token");
		return;
	}
	if (r != M_OK) {
		oauth_error(rs, 500, "server_error", "Database error");
		return;
	}
	resp_json(rs, 200, json_object());
}

/* RFC 8414 server metadata, as Mastodon 4.3 publishes it. */
static void get_oauth_metadata(struct request *rq, struct response *rs)
{
	const char *base = rq->cfg->base_url;
	char authz[600], token[600], revoke[600], apps[600];

	snprintf(authz, sizeof authz, "%s/oauth/authorize", base);
	snprintf(token, sizeof token, "%s/oauth/token", base);
	snprintf(revoke, sizeof revoke, "%s/oauth/revoke", base);
	snprintf(apps, sizeof apps, "%s/api/v1/apps", base);
	resp_json(rs, 200, json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:[ssssssss], s:[s], s:[s], s:[ss], s:[ssss], s:[s]}",
		"issuer", base, "authorization_endpoint", authz, "token_endpoint", token,
		"revocation_endpoint", revoke, "app_registration_endpoint", apps,
		"scopes_supported", "read", "write", "follow", "push", "profile", "admin:read",
		"admin:write", "read:accounts",
		"response_types_supported", "code",
		"response_modes_supported", "query",
		"token_endpoint_auth_methods_supported", "client_secret_basic", "client_secret_post",
		"grant_types_supported", "authorization_code", "password", "client_credentials",
		"refresh_token",
		"code_challenge_methods_supported", "S256"));
}

void mastodon_oauth_routes(void)
{
	router_add("GET", "/.well-known/oauth-authorization-server", get_oauth_metadata, ROUTE_API, NULL);
	router_add("POST", "/oauth/token", post_token, ROUTE_API | ROUTE_SLOW, NULL);
	router_add("POST", "/oauth/revoke", post_revoke, ROUTE_API, NULL);
}
