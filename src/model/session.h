/*
 * session.h - browser sessions.
 *
 * A session is a random token in an HttpOnly cookie; the store keeps only
 * its hash. Each session carries its own CSRF token for forms. Sessions
 * last SESSION_TTL_DAYS after their last use (sliding), and last use is
 * written at most every few minutes so reading pages does not mean writing.
 */
#ifndef PARLEY_MODEL_SESSION_H
#define PARLEY_MODEL_SESSION_H

#include "lib/secret.h"
#include "model/result.h"
#include "store/store.h"

#define SESSION_TTL_DAYS 30

/* Start a session; the cookie value goes to token (SECRET_TOKEN_LEN + 1). */
enum mresult session_create(int64_t account_id, const char *user_agent, const char *ip,
			    char *token, size_t n, struct session_row *out);
/* Resolve a cookie value: M_OK with the session and its (not suspended)
 * account, M_NOTFOUND when unknown, expired or the account is suspended.
 * *refreshed (may be NULL) says the session's expiry was just moved on,
 * so the cookie's Max-Age should be renewed too. */
enum mresult session_lookup(const char *token, struct session_row *s, struct account_row *a,
			    int *refreshed);
enum mresult session_end(int64_t id);

#endif
