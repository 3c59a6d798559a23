/*
 * oauth.h - OAuth 2 as Mastodon clients use it: applications, scopes,
 * authorization codes (with optional PKCE), access and refresh tokens.
 *
 * Secrets (client secrets, codes, access and refresh tokens) are returned
 * to the caller once, in the clear, and stored only as hashes. Access
 * tokens do not expire (as in Mastodon); they end when revoked, when their
 * account's password is changed or reset, or when the account is suspended.
 *
 * Scopes are Mastodon's: read, write, follow, push, profile, admin:read,
 * admin:write and their sub-scopes (read:accounts, write:statuses,
 * admin:read:accounts ...). A granted scope covers its sub-scopes, and
 * the legacy `follow` covers read/write of follows, blocks and mutes.
 */
#ifndef PARLEY_MODEL_OAUTH_H
#define PARLEY_MODEL_OAUTH_H

#include <stddef.h>

#include "lib/secret.h"
#include "model/result.h"
#include "store/store.h"

#define OAUTH_OOB "urn:ietf:wg:oauth:2.0:oob"

/* Normalise a scope list ('+', ',' or spaces between; duplicates dropped)
 * into out, space-separated. "" becomes "read". -1 with err for an unknown
 * scope or an overlong list. */
int oauth_scopes_parse(const char *in, char *out, size_t n, char *err, size_t errlen);
/* 1 when every scope in `want` is covered by `granted`. */
int oauth_scopes_cover(const char *granted, const char *want);
/* 1 when `granted` allows `required`, which may list alternatives "a|b". */
int oauth_scope_allows(const char *granted, const char *required);

/* Register an application. redirect_uris: newline- or space-separated
 * absolute URIs or the out-of-band URN. The client secret is written to
 * secret (SECRET_TOKEN_LEN + 1). */
enum mresult oauth_app_create(const char *name, const char *redirect_uris, const char *scopes,
			      const char *website, struct app_row *out, char *secret, size_t n,
			      char *err, size_t errlen);
/* Check client credentials: M_UNAUTHORIZED when unknown or wrong. */
enum mresult oauth_client_auth(const char *client_id, const char *client_secret,
			       struct app_row *out);
/* 1 when uri is one of the app's registered redirect URIs. */
int oauth_redirect_allowed(const struct app_row *app, const char *uri);

/* Make a single-use authorization code valid for ten minutes. */
enum mresult oauth_code_create(const struct app_row *app, int64_t account_id,
			       const char *redirect_uri, const char *scopes,
			       const char *code_challenge, char *code, size_t n);
/* Exchange a code: it must belong to app, match redirect_uri, be unexpired
 * and, when it was made with a PKCE challenge, match code_verifier. */
enum mresult oauth_code_redeem(const char *code, const struct app_row *app,
			       const char *redirect_uri, const char *code_verifier,
			       struct code_row *out, char *err, size_t errlen);

/* Issue an access token (and a refresh token when refresh != NULL). */
enum mresult oauth_token_issue(int64_t app_id, int64_t account_id, const char *scopes,
			       char *token, size_t tn, char *refresh, size_t rn,
			       struct token_row *out);
/* Resolve a bearer token: M_OK with the token and, for user tokens, the
 * account (a->id == 0 for app tokens). M_UNAUTHORIZED when unknown,
 * revoked, or its account is suspended. */
enum mresult oauth_token_lookup(const char *token, struct token_row *t, struct account_row *a);
/* Trade a refresh token for a new pair; the old access token is revoked. */
enum mresult oauth_token_refresh(const char *refresh, const struct app_row *app,
				 char *token, size_t tn, char *new_refresh, size_t rn,
				 struct token_row *out);
/* The user withdraws an app's access: revoke its tokens for the account
 * and delete its pending codes. M_NOTFOUND when the app holds nothing. */
enum mresult oauth_app_revoke_for(int64_t account_id, int64_t app_id);

/* Revoke a token of app (access or refresh). Unknown tokens succeed. */
enum mresult oauth_token_revoke(const char *token, const struct app_row *app);

#endif
