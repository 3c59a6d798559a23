/*
 * session.c - browser sessions (see session.h).
 */
#include "model/session.h"
#include "lib/id.h"
#include "lib/utf8.h"
#include "model/housekeeping.h"
#include "lib/timeutil.h"

#include <stdio.h>
#include <string.h>

#define TTL_MS ((int64_t)SESSION_TTL_DAYS * 24 * 3600 * 1000)
#define TOUCH_EVERY_MS (5 * 60 * 1000)

enum mresult session_create(int64_t account_id, const char *user_agent, const char *ip,
			    char *token, size_t n, struct session_row *out)
{
	struct session_row s;
	int64_t now = time_now_ms();

	memset(&s, 0, sizeof s);
	s.id = id_next();
	s.account_id = account_id;
	secret_token(token, n);
	secret_hash(token, s.token_hash, sizeof s.token_hash);
	secret_token(s.csrf, sizeof s.csrf);
	s.created_at = now;
	s.last_used_at = now;
	s.expires_at = now + TTL_MS;
	/* shown on the settings page: keep it valid text, cut between characters */
	utf8_copy(s.user_agent, sizeof s.user_agent, user_agent ? user_agent : "");
	utf8_copy(s.ip, sizeof s.ip, ip ? ip : "");
	if (store_session_insert(&s) != STORE_OK)
		return M_ERROR;
	store_account_touch(account_id, now);
	housekeeping_maybe();
	if (out)
		*out = s;
	return M_OK;
}

enum mresult session_lookup(const char *token, struct session_row *s, struct account_row *a,
			    int *refreshed)
{
	char h[SECRET_HASH_LEN + 1];
	int64_t now = time_now_ms();
	int rc;

	if (!token || strlen(token) != SECRET_TOKEN_LEN)
		return M_NOTFOUND;
	secret_hash(token, h, sizeof h);
	rc = store_session_by_hash(h, s);
	if (rc != STORE_OK)
		return rc == STORE_ERROR ? M_ERROR : M_NOTFOUND;
	if (s->expires_at <= now) {
		store_session_delete(s->id);
		return M_NOTFOUND;
	}
	rc = store_account_get(s->account_id, a);
	if (rc != STORE_OK)
		return rc == STORE_ERROR ? M_ERROR : M_NOTFOUND;
	if (a->suspended)
		return M_NOTFOUND;
	if (refreshed)
		*refreshed = 0;
	if (now - s->last_used_at > TOUCH_EVERY_MS) {
		s->last_used_at = now;
		s->expires_at = now + TTL_MS;
		store_session_touch(s->id, now, s->expires_at);
		store_account_touch(a->id, now);
		if (refreshed)
			*refreshed = 1;
	}
	return M_OK;
}

enum mresult session_end(int64_t id)
{
	int rc = store_session_delete(id);

	return rc == STORE_OK ? M_OK : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
}
