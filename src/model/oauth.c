/*
 * oauth.c - OAuth applications, codes and tokens (see oauth.h).
 */
#include "model/oauth.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/housekeeping.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CODE_TTL_MS (10 * 60 * 1000)

static const char *const sub_scopes[] = {
	"accounts", "blocks", "bookmarks", "conversations", "favourites", "filters",
	"follows", "lists", "media", "mutes", "notifications", "reports", "search",
	"statuses", "canonical_email_blocks", "domain_allows", "domain_blocks",
	"email_domain_blocks", "ip_blocks",
};

static int known_scope(const char *s)
{
	const char *rest;
	size_t i;

	if (!strcmp(s, "read") || !strcmp(s, "write") || !strcmp(s, "follow") ||
	    !strcmp(s, "push") || !strcmp(s, "profile") ||
	    !strcmp(s, "admin:read") || !strcmp(s, "admin:write"))
		return 1;
	if (!strncmp(s, "read:", 5))
		rest = s + 5;
	else if (!strncmp(s, "write:", 6))
		rest = s + 6;
	else if (!strncmp(s, "admin:read:", 11))
		rest = s + 11;
	else if (!strncmp(s, "admin:write:", 12))
		rest = s + 12;
	else
		return 0;
	for (i = 0; i < sizeof sub_scopes / sizeof sub_scopes[0]; i++)
		if (!strcmp(rest, sub_scopes[i]))
			return 1;
	return 0;
}

/* Iterate words of a list separated by spaces, '+' or ','. */
static const char *next_word(const char *p, char *w, size_t n)
{
	size_t len = 0;

	while (*p == ' ' || *p == '+' || *p == ',' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		return NULL;
	while (*p && *p != ' ' && *p != '+' && *p != ',' && *p != '\t' && *p != '\n') {
		if (len + 1 < n)
			w[len++] = *p;
		else
			len = n; /* mark as too long */
		p++;
	}
	if (len >= n)
		w[0] = '\0';
	else
		w[len] = '\0';
	return p;
}

static int has_word(const char *list, const char *word)
{
	char w[64];
	const char *p = list;

	while ((p = next_word(p, w, sizeof w)))
		if (!strcmp(w, word))
			return 1;
	return 0;
}

int oauth_scopes_parse(const char *in, char *out, size_t n, char *err, size_t errlen)
{
	char w[64];
	const char *p = in ? in : "";
	size_t len = 0;

	out[0] = '\0';
	while ((p = next_word(p, w, sizeof w))) {
		size_t wl = strlen(w);

		if (!known_scope(w)) {
			snprintf(err, errlen, "Unknown scope: %s", w[0] ? w : "(too long)");
			return -1;
		}
		if (has_word(out, w))
			continue;
		if (len + wl + 2 > n) {
			snprintf(err, errlen, "Too many scopes");
			return -1;
		}
		if (len)
			out[len++] = ' ';
		memcpy(out + len, w, wl + 1);
		len += wl;
	}
	if (!len)
		snprintf(out, n, "read");
	return 0;
}

/* Is one scope `s` covered by the list `granted`? */
static int covered(const char *granted, const char *s)
{
	char parent[64];
	const char *colon;
	size_t pl;

	if (has_word(granted, s))
		return 1;
	if (has_word(granted, "follow") &&
	    (!strcmp(s, "read:follows") || !strcmp(s, "write:follows") ||
	     !strcmp(s, "read:blocks") || !strcmp(s, "write:blocks") ||
	     !strcmp(s, "read:mutes") || !strcmp(s, "write:mutes")))
		return 1;
	/* profile is the narrowest way to read one's own account */
	if (!strcmp(s, "profile") && (has_word(granted, "read") || has_word(granted, "read:accounts")))
		return 1;
	colon = strrchr(s, ':');
	if (!colon)
		return 0;
	pl = (size_t)(colon - s);
	if (pl >= sizeof parent)
		return 0;
	memcpy(parent, s, pl);
	parent[pl] = '\0';
	if (!strcmp(parent, "admin"))
		return 0;
	return covered(granted, parent);
}

int oauth_scopes_cover(const char *granted, const char *want)
{
	char w[64];
	const char *p = want;

	while ((p = next_word(p, w, sizeof w)))
		if (!w[0] || !covered(granted, w))
			return 0;
	return 1;
}

int oauth_scope_allows(const char *granted, const char *required)
{
	char alt[64];
	const char *p = required;

	while (*p) {
		size_t len = strcspn(p, "|");

		if (len < sizeof alt) {
			memcpy(alt, p, len);
			alt[len] = '\0';
			if (covered(granted, alt))
				return 1;
		}
		p += len;
		if (*p == '|')
			p++;
	}
	return 0;
}

static int valid_redirect(const char *u)
{
	const char *colon;
	size_t i;

	if (!strcmp(u, OAUTH_OOB))
		return 1;
	colon = strchr(u, ':');
	if (!colon || colon == u || strchr(u, '#'))
		return 0;
	for (i = 0; u + i < colon; i++) {
		char c = u[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (i && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
			return 0;
	}
	/* javascript: and data: URIs would run in the user's browser */
	if (!strncasecmp(u, "javascript:", 11) || !strncasecmp(u, "data:", 5) ||
	    !strncasecmp(u, "vbscript:", 9))
		return 0;
	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] <= ' ')
			return 0;
	return 1;
}

enum mresult oauth_app_create(const char *name, const char *redirect_uris, const char *scopes,
			      const char *website, struct app_row *out, char *secret, size_t n,
			      char *err, size_t errlen)
{
	struct app_row a;
	char w[1024];
	const char *p;
	size_t len = 0;
	int count = 0;

	memset(&a, 0, sizeof a);
	if (!name || !*name || strlen(name) >= sizeof a.name) {
		snprintf(err, errlen, "client_name is missing or too long");
		return M_INVALID;
	}
	if (!redirect_uris || !*redirect_uris) {
		snprintf(err, errlen, "redirect_uris is missing");
		return M_INVALID;
	}
	/* redirect URIs are separated by whitespace (not '+' or ',') */
	p = redirect_uris;
	while (*p) {
		size_t wl;

		while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
			p++;
		if (!*p)
			break;
		wl = strcspn(p, " \n\r\t");
		if (wl >= sizeof w || len + wl + 2 > sizeof a.redirect_uris) {
			snprintf(err, errlen, "redirect_uris is too long");
			return M_INVALID;
		}
		memcpy(w, p, wl);
		w[wl] = '\0';
		p += wl;
		if (!valid_redirect(w)) {
			snprintf(err, errlen, "redirect_uris has an invalid URI: it must be absolute");
			return M_INVALID;
		}
		if (len)
			a.redirect_uris[len++] = '\n';
		memcpy(a.redirect_uris + len, w, wl + 1);
		len += wl;
		count++;
	}
	if (!count) {
		snprintf(err, errlen, "redirect_uris is missing");
		return M_INVALID;
	}
	if (oauth_scopes_parse(scopes, a.scopes, sizeof a.scopes, err, errlen) < 0)
		return M_INVALID;
	if (website && strlen(website) >= sizeof a.website) {
		snprintf(err, errlen, "website is too long");
		return M_INVALID;
	}
	/* shown as a link on the consent page: only web addresses */
	if (website && *website && strncasecmp(website, "https://", 8) && strncasecmp(website, "http://", 7)) {
		snprintf(err, errlen, "website must be an http:// or https:// address");
		return M_INVALID;
	}
	a.id = id_next();
	snprintf(a.name, sizeof a.name, "%s", name);
	snprintf(a.website, sizeof a.website, "%s", website ? website : "");
	secret_token(a.client_id, sizeof a.client_id);
	secret_token(secret, n);
	secret_hash(secret, a.secret_hash, sizeof a.secret_hash);
	a.created_at = time_now_ms();
	if (store_app_insert(&a) != STORE_OK) {
		snprintf(err, errlen, "Could not save the application");
		return M_ERROR;
	}
	*out = a;
	return M_OK;
}

enum mresult oauth_client_auth(const char *client_id, const char *client_secret,
			       struct app_row *out)
{
	char h[SECRET_HASH_LEN + 1];
	int rc;

	if (!client_id || !client_secret || strlen(client_id) >= 64)
		return M_UNAUTHORIZED;
	rc = store_app_by_client_id(client_id, out);
	if (rc == STORE_ERROR)
		return M_ERROR;
	if (rc != STORE_OK)
		return M_UNAUTHORIZED;
	secret_hash(client_secret, h, sizeof h);
	return secret_equal(h, out->secret_hash) ? M_OK : M_UNAUTHORIZED;
}

int oauth_redirect_allowed(const struct app_row *app, const char *uri)
{
	const char *p = app->redirect_uris;
	size_t ul = strlen(uri);

	while (*p) {
		size_t len = strcspn(p, "\n");

		if (len == ul && !memcmp(p, uri, len))
			return 1;
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

enum mresult oauth_code_create(const struct app_row *app, int64_t account_id,
			       const char *redirect_uri, const char *scopes,
			       const char *code_challenge, char *code, size_t n)
{
	struct code_row c;
	char h[SECRET_HASH_LEN + 1];

	memset(&c, 0, sizeof c);
	c.app_id = app->id;
	c.account_id = account_id;
	snprintf(c.redirect_uri, sizeof c.redirect_uri, "%s", redirect_uri);
	snprintf(c.scopes, sizeof c.scopes, "%s", scopes);
	snprintf(c.code_challenge, sizeof c.code_challenge, "%s", code_challenge ? code_challenge : "");
	c.expires_at = time_now_ms() + CODE_TTL_MS;
	secret_token(code, n);
	secret_hash(code, h, sizeof h);
	housekeeping_maybe();
	return store_code_insert(h, &c) == STORE_OK ? M_OK : M_ERROR;
}

enum mresult oauth_code_redeem(const char *code, const struct app_row *app,
			       const char *redirect_uri, const char *code_verifier,
			       struct code_row *out, char *err, size_t errlen)
{
	char h[SECRET_HASH_LEN + 1];
	int rc;

	if (!code || !*code) {
		snprintf(err, errlen, "code is missing");
		return M_INVALID;
	}
	secret_hash(code, h, sizeof h);
	rc = store_code_take(h, out);
	if (rc == STORE_ERROR)
		return M_ERROR;
	if (rc != STORE_OK || out->app_id != app->id || out->expires_at < time_now_ms()) {
		snprintf(err, errlen, "The authorization code is invalid, expired or already used");
		return M_UNAUTHORIZED;
	}
	{
		struct account_row a;

		if (store_account_get(out->account_id, &a) != STORE_OK || a.suspended) {
			snprintf(err, errlen, "The account of this authorization code cannot sign in");
			return M_UNAUTHORIZED;
		}
	}
	if (!redirect_uri || strcmp(redirect_uri, out->redirect_uri)) {
		snprintf(err, errlen, "redirect_uri does not match the authorization request");
		return M_UNAUTHORIZED;
	}
	if (out->code_challenge[0]) {
		char calc[64];

		if (!code_verifier || strlen(code_verifier) < 43 || strlen(code_verifier) > 128) {
			snprintf(err, errlen, "code_verifier is missing or invalid");
			return M_UNAUTHORIZED;
		}
		secret_sha256_b64url(code_verifier, strlen(code_verifier), calc, sizeof calc);
		if (!secret_equal(calc, out->code_challenge)) {
			snprintf(err, errlen, "code_verifier does not match the code challenge");
			return M_UNAUTHORIZED;
		}
	}
	return M_OK;
}

enum mresult oauth_token_issue(int64_t app_id, int64_t account_id, const char *scopes,
			       char *token, size_t tn, char *refresh, size_t rn,
			       struct token_row *out)
{
	struct token_row t;

	memset(&t, 0, sizeof t);
	t.id = id_next();
	t.app_id = app_id;
	t.account_id = account_id;
	snprintf(t.scopes, sizeof t.scopes, "%s", scopes);
	t.created_at = time_now_ms();
	secret_token(token, tn);
	secret_hash(token, t.token_hash, sizeof t.token_hash);
	if (refresh) {
		secret_token(refresh, rn);
		secret_hash(refresh, t.refresh_hash, sizeof t.refresh_hash);
	}
	if (store_token_insert(&t) != STORE_OK)
		return M_ERROR;
	if (out)
		*out = t;
	return M_OK;
}

enum mresult oauth_token_lookup(const char *token, struct token_row *t, struct account_row *a)
{
	char h[SECRET_HASH_LEN + 1];
	int64_t now;
	int rc;

	if (!token || !*token || strlen(token) > 256)
		return M_UNAUTHORIZED;
	secret_hash(token, h, sizeof h);
	rc = store_token_by_hash(h, t);
	if (rc == STORE_ERROR)
		return M_ERROR;
	if (rc != STORE_OK || t->revoked_at)
		return M_UNAUTHORIZED;
	memset(a, 0, sizeof *a);
	if (t->account_id) {
		rc = store_account_get(t->account_id, a);
		if (rc == STORE_ERROR)
			return M_ERROR;
		if (rc != STORE_OK || a->suspended)
			return M_UNAUTHORIZED;
	}
	now = time_now_ms();
	if (now - t->last_used_at > 5 * 60 * 1000) {
		store_token_touch(t->id, now);
		if (a->id)
			store_account_touch(a->id, now);
	}
	return M_OK;
}

enum mresult oauth_token_refresh(const char *refresh, const struct app_row *app,
				 char *token, size_t tn, char *new_refresh, size_t rn,
				 struct token_row *out)
{
	struct token_row old;
	char h[SECRET_HASH_LEN + 1];
	enum mresult r;
	int rc;

	if (!refresh || !*refresh || strlen(refresh) > 256)
		return M_UNAUTHORIZED;
	secret_hash(refresh, h, sizeof h);
	if (store_begin() != STORE_OK)
		return M_ERROR;
	rc = store_token_by_refresh(h, &old);
	if (rc != STORE_OK || old.revoked_at || old.app_id != app->id) {
		store_rollback();
		return rc == STORE_ERROR ? M_ERROR : M_UNAUTHORIZED;
	}
	if (store_token_revoke(old.id, time_now_ms()) != STORE_OK) {
		store_rollback();
		return M_ERROR;
	}
	r = oauth_token_issue(old.app_id, old.account_id, old.scopes, token, tn,
			      new_refresh, rn, out);
	if (r != M_OK || store_commit() != STORE_OK) {
		store_rollback();
		return M_ERROR;
	}
	return M_OK;
}

enum mresult oauth_token_revoke(const char *token, const struct app_row *app)
{
	struct token_row t;
	char h[SECRET_HASH_LEN + 1];
	int rc;

	if (!token || !*token || strlen(token) > 256)
		return M_OK;
	secret_hash(token, h, sizeof h);
	rc = store_token_by_hash(h, &t);
	if (rc == STORE_NOTFOUND)
		rc = store_token_by_refresh(h, &t);
	if (rc == STORE_ERROR)
		return M_ERROR;
	if (rc != STORE_OK)
		return M_OK;
	if (t.app_id != app->id)
		return M_FORBIDDEN;
	return store_token_revoke(t.id, time_now_ms()) == STORE_OK ? M_OK : M_ERROR;
}

enum mresult oauth_app_revoke_for(int64_t account_id, int64_t app_id)
{
	int rc;

	if (store_begin() != STORE_OK)
		return M_ERROR;
	rc = store_token_revoke_app(account_id, app_id, time_now_ms());
	if (rc == STORE_OK || rc == STORE_NOTFOUND) {
		int rc2 = store_code_delete(account_id, app_id);

		if (rc2 != STORE_OK)
			rc = rc2;
	}
	if ((rc != STORE_OK && rc != STORE_NOTFOUND) || store_commit() != STORE_OK) {
		store_rollback();
		return M_ERROR;
	}
	return rc == STORE_OK ? M_OK : M_NOTFOUND;
}
