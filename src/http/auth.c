/*
 * auth.c - viewer resolution and route checks (see auth.h).
 */
#include "http/auth.h"
#include "http/response.h"
#include "http/websocket.h"
#include "lib/buf.h"
#include "lib/secret.h"
#include "model/oauth.h"
#include "model/session.h"
#include "model/sitekey.h"

#include <sodium.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A WebSocket client that cannot set headers (a browser) may send its
 * token as the subprotocol it asks for (Mastodon's streaming server takes
 * it there too): the first of Sec-WebSocket-Protocol's values. */
static const char *protocol_token(const struct request *rq, char *out, size_t n)
{
	const char *p = ws_is_upgrade(rq) ? req_header(rq, "Sec-WebSocket-Protocol") : NULL;
	size_t len;

	if (!p)
		return NULL;
	p += strspn(p, " \t");
	len = strcspn(p, ", \t");
	if (!len || len >= n)
		return NULL;
	memcpy(out, p, len);
	out[len] = '\0';
	return out;
}

static const char *bearer_token(const struct request *rq, char *buf, size_t n)
{
	const char *h = req_header(rq, "Authorization");

	if (h && !strncasecmp(h, "Bearer ", 7)) {
		h += 7;
		while (*h == ' ')
			h++;
		return *h ? h : NULL;
	}
	h = params_get_nonempty(&rq->query, "access_token");
	return h ? h : protocol_token(rq, buf, n);
}

static int resolve_token(struct request *rq, const char *token, struct response *rs)
{
	struct viewer *v = &rq->viewer;
	struct token_row t;
	enum mresult r = oauth_token_lookup(token, &t, &v->account);

	if (r == M_ERROR) {
		resp_json_error(rs, 500, "Database error");
		return -1;
	}
	if (r != M_OK) {
		resp_json_error(rs, 401, "The access token is invalid");
		return -1;
	}
	v->via_token = 1;
	v->token_id = t.id;
	v->app_id = t.app_id;
	snprintf(v->scopes, sizeof v->scopes, "%s", t.scopes);
	v->signed_in = v->account.id != 0;
	return 0;
}

void auth_resolve_session(struct request *rq)
{
	struct viewer *v = &rq->viewer;
	struct session_row s;
	const char *cookie = req_cookie(rq, SESSION_COOKIE);

	if (!cookie || session_lookup(cookie, &s, &v->account, &v->session_refreshed) != M_OK)
		return;
	v->signed_in = 1;
	v->session_id = s.id;
	snprintf(v->csrf, sizeof v->csrf, "%s", s.csrf);
}

/* The token a form shown before sign-in carries: an HMAC of the random
 * double-submit cookie under the instance key, so someone able to plant a
 * cookie (a sibling subdomain, a network attacker on plain http) still
 * cannot make a token that matches it. 0, or -1 (bad cookie, no key). */
static int anonymous_token(const char *cookie, char *out, size_t n)
{
	unsigned char key[SECRET_KEY_LEN];

	if (!cookie || strlen(cookie) != SECRET_TOKEN_LEN || sitekey_get(key) < 0)
		return -1;
	secret_mac(key, cookie, out, n);
	sodium_memzero(key, sizeof key);
	return 0;
}

static int csrf_ok(struct request *rq)
{
	const char *sent = params_get(&rq->form, "csrf");
	char want[SECRET_TOKEN_LEN + 1];

	if (!sent)
		sent = req_header(rq, "X-CSRF-Token");
	if (!sent || !*sent)
		return 0;
	if (rq->viewer.session_id)
		return secret_equal(sent, rq->viewer.csrf);
	return anonymous_token(req_cookie(rq, CSRF_COOKIE), want, sizeof want) == 0 &&
	       secret_equal(sent, want);
}

static void redirect_to_signin(struct request *rq, struct response *rs)
{
	struct buf loc = BUF_INIT;

	buf_puts(&loc, "/signin?next=");
	url_encode(&loc, rq->path);
	resp_redirect(rs, buf_str(&loc));
	buf_release(&loc);
}

int auth_apply(struct request *rq, const struct route *r, struct response *rs)
{
	int api = (r->flags & ROUTE_API) != 0;
	struct viewer *v = &rq->viewer;

	if (api) {
		char buf[256];
		const char *token = bearer_token(rq, buf, sizeof buf);

		if (token && resolve_token(rq, token, rs) < 0)
			return -1;
	} else {
		auth_resolve_session(rq);
		if ((r->flags & ROUTE_TOKEN_OK) && !v->signed_in && !strcmp(rq->method, "GET")) {
			char buf[256];
			const char *token = bearer_token(rq, buf, sizeof buf);

			if (token && resolve_token(rq, token, rs) < 0)
				return -1;
		}
	}

	if (r->flags & ROUTE_AUTH) {
		if (api && v->via_token && !v->signed_in && !(r->flags & ROUTE_APP_OK)) {
			resp_json_error(rs, 422, "This method requires an authenticated user");
			return -1;
		}
		if (!v->signed_in && !(api && v->via_token && (r->flags & ROUTE_APP_OK))) {
			if (api)
				resp_json_error(rs, 401, "The access token is invalid");
			else
				redirect_to_signin(rq, rs);
			return -1;
		}
	}
	if ((r->flags & ROUTE_ADMIN) && !viewer_is_admin(v)) {
		http_error(rq, rs, 403, "This page is for administrators");
		return -1;
	}
	if (api && r->scope && v->via_token && !oauth_scope_allows(v->scopes, r->scope)) {
		resp_json_error(rs, 403, "This action is outside the authorized scopes");
		return -1;
	}
	if (!api && strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD") && !csrf_ok(rq)) {
		http_error(rq, rs, 403, "The form has expired or did not come from this site; "
			   "go back, reload the page and try again");
		return -1;
	}
	return 0;
}

int auth_upload_allowed(const struct request *rq, const char *query_token)
{
	char buf[256];
	const char *token = bearer_token(rq, buf, sizeof buf);
	struct token_row t;
	struct account_row a;

	if (!token)
		token = query_token;
	if (!token) {
		/* a web form (profile pictures, imports): a valid session; its
		 * CSRF token is checked once the body is read */
		const char *cookie = req_cookie(rq, SESSION_COOKIE);
		struct session_row s;
		int refreshed;

		return cookie && session_lookup(cookie, &s, &a, &refreshed) == M_OK;
	}
	return oauth_token_lookup(token, &t, &a) == M_OK && a.id != 0;
}

const char *auth_csrf_token(struct request *rq, struct response *rs)
{
	char cookie[SECRET_TOKEN_LEN + 1];
	const char *c;

	if (rq->viewer.session_id)
		return rq->viewer.csrf;
	if (rq->session_cookie_csrf[0])
		return rq->session_cookie_csrf;
	c = req_cookie(rq, CSRF_COOKIE);
	if (c && strlen(c) == SECRET_TOKEN_LEN) {
		snprintf(cookie, sizeof cookie, "%s", c);
	} else {
		secret_token(cookie, sizeof cookie);
		resp_cookie(rq, rs, CSRF_COOKIE, cookie, 24 * 3600);
	}
	if (anonymous_token(cookie, rq->session_cookie_csrf, sizeof rq->session_cookie_csrf) < 0)
		rq->session_cookie_csrf[0] = '\0'; /* no key: forms will be refused */
	return rq->session_cookie_csrf;
}
