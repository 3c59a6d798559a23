/*
 * sqlite_auth.c - sessions, OAuth apps/codes/tokens, invites, settings and
 * sign-in failure counters in the SQLite backend (see store.h).
 *
 * Secrets never reach this file in the clear: callers pass hashes of
 * session tokens, OAuth tokens, codes and client secrets.
 */
#include "store/store.h"
#include "store/sqlite_internal.h"

#include <string.h>

/* ---- sessions -------------------------------------------------------- */

#define SESSION_COLS "id, account_id, token_hash, csrf, created_at, last_used_at, expires_at, user_agent, ip"

static void read_session(sqlite3_stmt *st, struct session_row *s)
{
	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	s->account_id = sqlite3_column_int64(st, 1);
	sq_col_text(st, 2, s->token_hash, sizeof s->token_hash);
	sq_col_text(st, 3, s->csrf, sizeof s->csrf);
	s->created_at = sqlite3_column_int64(st, 4);
	s->last_used_at = sqlite3_column_int64(st, 5);
	s->expires_at = sqlite3_column_int64(st, 6);
	sq_col_text(st, 7, s->user_agent, sizeof s->user_agent);
	sq_col_text(st, 8, s->ip, sizeof s->ip);
}

int store_session_insert(const struct session_row *s)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO sessions (" SESSION_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_int64(st, 2, s->account_id);
	sq_bind_text(st, 3, s->token_hash);
	sq_bind_text(st, 4, s->csrf);
	sqlite3_bind_int64(st, 5, s->created_at);
	sqlite3_bind_int64(st, 6, s->last_used_at);
	sqlite3_bind_int64(st, 7, s->expires_at);
	sq_bind_text(st, 8, s->user_agent);
	sq_bind_text(st, 9, s->ip);
	return sq_exec(st);
}

int store_session_by_hash(const char *token_hash, struct session_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " SESSION_COLS " FROM sessions WHERE token_hash = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, token_hash);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_session(st, out);
	sq_done(st);
	return rc;
}

int store_session_touch(int64_t id, int64_t now_ms, int64_t expires_at)
{
	sqlite3_stmt *st = sq_prepare("UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, expires_at);
	sqlite3_bind_int64(st, 3, id);
	return sq_exec(st);
}

int store_session_delete(int64_t id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM sessions WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return sq_exec_changed(st);
}

int store_session_delete_for(int64_t account_id, int64_t id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM sessions WHERE id = ? AND account_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	return sq_exec_changed(st);
}

int store_session_delete_all(int64_t account_id, int64_t keep)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM sessions WHERE account_id = ? AND id <> ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, keep);
	return sq_exec(st);
}

int store_session_list(int64_t account_id,
		       void (*fn)(const struct session_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT " SESSION_COLS " FROM sessions WHERE account_id = ? "
				      "ORDER BY last_used_at DESC LIMIT 200");
	struct session_row s;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		read_session(st, &s);
		fn(&s, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ---- OAuth apps ------------------------------------------------------ */

#define APP_COLS "id, name, website, redirect_uris, scopes, client_id, secret_hash, created_at"

static void read_app(sqlite3_stmt *st, int c, struct app_row *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, c);
	sq_col_text(st, c + 1, a->name, sizeof a->name);
	sq_col_text(st, c + 2, a->website, sizeof a->website);
	sq_col_text(st, c + 3, a->redirect_uris, sizeof a->redirect_uris);
	sq_col_text(st, c + 4, a->scopes, sizeof a->scopes);
	sq_col_text(st, c + 5, a->client_id, sizeof a->client_id);
	sq_col_text(st, c + 6, a->secret_hash, sizeof a->secret_hash);
	a->created_at = sqlite3_column_int64(st, c + 7);
}

int store_app_insert(const struct app_row *a)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO oauth_apps (" APP_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a->id);
	sq_bind_text(st, 2, a->name);
	sq_bind_text(st, 3, a->website);
	sq_bind_text(st, 4, a->redirect_uris);
	sq_bind_text(st, 5, a->scopes);
	sq_bind_text(st, 6, a->client_id);
	sq_bind_text(st, 7, a->secret_hash);
	sqlite3_bind_int64(st, 8, a->created_at);
	return sq_exec(st);
}

static int app_fetch(sqlite3_stmt *st, struct app_row *out)
{
	int rc = sq_step(st);

	if (rc == STORE_OK)
		read_app(st, 0, out);
	sq_done(st);
	return rc;
}

int store_app_by_client_id(const char *client_id, struct app_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " APP_COLS " FROM oauth_apps WHERE client_id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, client_id);
	return app_fetch(st, out);
}

int store_app_get(int64_t id, struct app_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " APP_COLS " FROM oauth_apps WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return app_fetch(st, out);
}

/* ---- authorization codes --------------------------------------------- */

int store_code_insert(const char *code_hash, const struct code_row *c)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO oauth_codes (code_hash, app_id, account_id, "
				      "redirect_uri, scopes, code_challenge, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, code_hash);
	sqlite3_bind_int64(st, 2, c->app_id);
	sqlite3_bind_int64(st, 3, c->account_id);
	sq_bind_text(st, 4, c->redirect_uri);
	sq_bind_text(st, 5, c->scopes);
	sq_bind_text(st, 6, c->code_challenge);
	sqlite3_bind_int64(st, 7, c->expires_at);
	return sq_exec(st);
}

int store_code_delete(int64_t account_id, int64_t app_id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM oauth_codes WHERE account_id = ? AND (? = 0 OR app_id = ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, app_id);
	sqlite3_bind_int64(st, 3, app_id);
	return sq_exec(st);
}

int store_code_take(const char *code_hash, struct code_row *out)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM oauth_codes WHERE code_hash = ? RETURNING "
				      "app_id, account_id, redirect_uri, scopes, code_challenge, expires_at");
	int rc;

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, code_hash);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		memset(out, 0, sizeof *out);
		out->app_id = sqlite3_column_int64(st, 0);
		out->account_id = sqlite3_column_int64(st, 1);
		sq_col_text(st, 2, out->redirect_uri, sizeof out->redirect_uri);
		sq_col_text(st, 3, out->scopes, sizeof out->scopes);
		sq_col_text(st, 4, out->code_challenge, sizeof out->code_challenge);
		out->expires_at = sqlite3_column_int64(st, 5);
		/* run to completion: the DELETE (and its autocommit) happens here,
		 * and a code whose deletion failed must not be accepted */
		int last;

		while ((last = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (last != SQLITE_DONE)
			rc = STORE_ERROR;
	}
	sq_done(st);
	return rc;
}

/* ---- tokens ---------------------------------------------------------- */

#define TOKEN_COLS "id, app_id, COALESCE(account_id, 0), token_hash, COALESCE(refresh_hash, ''), " \
	"scopes, created_at, last_used_at, revoked_at"

static int token_fetch(sqlite3_stmt *st, struct token_row *t)
{
	int rc = sq_step(st);

	if (rc == STORE_OK) {
		memset(t, 0, sizeof *t);
		t->id = sqlite3_column_int64(st, 0);
		t->app_id = sqlite3_column_int64(st, 1);
		t->account_id = sqlite3_column_int64(st, 2);
		sq_col_text(st, 3, t->token_hash, sizeof t->token_hash);
		sq_col_text(st, 4, t->refresh_hash, sizeof t->refresh_hash);
		sq_col_text(st, 5, t->scopes, sizeof t->scopes);
		t->created_at = sqlite3_column_int64(st, 6);
		t->last_used_at = sqlite3_column_int64(st, 7);
		t->revoked_at = sqlite3_column_int64(st, 8);
	}
	sq_done(st);
	return rc;
}

int store_token_insert(const struct token_row *t)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO oauth_tokens (id, app_id, account_id, token_hash, "
				      "refresh_hash, scopes, created_at, last_used_at, revoked_at) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_int64(st, 2, t->app_id);
	if (t->account_id)
		sqlite3_bind_int64(st, 3, t->account_id);
	else
		sqlite3_bind_null(st, 3);
	sq_bind_text(st, 4, t->token_hash);
	if (t->refresh_hash[0])
		sq_bind_text(st, 5, t->refresh_hash);
	else
		sqlite3_bind_null(st, 5);
	sq_bind_text(st, 6, t->scopes);
	sqlite3_bind_int64(st, 7, t->created_at);
	sqlite3_bind_int64(st, 8, t->last_used_at);
	return sq_exec(st);
}

int store_token_by_hash(const char *token_hash, struct token_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " TOKEN_COLS " FROM oauth_tokens WHERE token_hash = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, token_hash);
	return token_fetch(st, out);
}

int store_token_by_refresh(const char *refresh_hash, struct token_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " TOKEN_COLS " FROM oauth_tokens WHERE refresh_hash = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, refresh_hash);
	return token_fetch(st, out);
}

int store_token_revoke(int64_t id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("UPDATE oauth_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, id);
	return sq_exec(st);
}

int store_token_touch(int64_t id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("UPDATE oauth_tokens SET last_used_at = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, id);
	return sq_exec(st);
}

int store_token_revoke_app(int64_t account_id, int64_t app_id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("UPDATE oauth_tokens SET revoked_at = ? "
				      "WHERE account_id = ? AND app_id = ? AND revoked_at = 0");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int64(st, 3, app_id);
	return sq_exec_changed(st);
}

int store_token_revoke_account(int64_t account_id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("UPDATE oauth_tokens SET revoked_at = ? "
				      "WHERE account_id = ? AND revoked_at = 0");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, account_id);
	return sq_exec(st);
}

int store_token_apps(int64_t account_id,
		     void (*fn)(const struct app_row *, int64_t, int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT a.id, a.name, a.website, a.redirect_uris, a.scopes, a.client_id, a.secret_hash, "
		"a.created_at, COUNT(*), MAX(MAX(t.last_used_at, t.created_at)) FROM oauth_tokens t "
		"JOIN oauth_apps a ON a.id = t.app_id WHERE t.account_id = ? AND t.revoked_at = 0 "
		"GROUP BY a.id ORDER BY a.name");
	struct app_row a;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		read_app(st, 0, &a);
		fn(&a, sqlite3_column_int64(st, 8), sqlite3_column_int64(st, 9), ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ---- invites --------------------------------------------------------- */

#define INVITE_COLS "id, code, COALESCE(created_by, 0), kind, max_uses, uses, expires_at, revoked, created_at"

static void read_invite(sqlite3_stmt *st, struct invite_row *v)
{
	memset(v, 0, sizeof *v);
	v->id = sqlite3_column_int64(st, 0);
	sq_col_text(st, 1, v->code, sizeof v->code);
	v->created_by = sqlite3_column_int64(st, 2);
	sq_col_text(st, 3, v->kind, sizeof v->kind);
	v->max_uses = sqlite3_column_int(st, 4);
	v->uses = sqlite3_column_int(st, 5);
	v->expires_at = sqlite3_column_int64(st, 6);
	v->revoked = sqlite3_column_int(st, 7);
	v->created_at = sqlite3_column_int64(st, 8);
}

int store_invite_insert(const struct invite_row *v)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO invites (id, code, created_by, kind, max_uses, uses, expires_at, revoked, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, 0, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, v->id);
	sq_bind_text(st, 2, v->code);
	if (v->created_by)
		sqlite3_bind_int64(st, 3, v->created_by);
	else
		sqlite3_bind_null(st, 3);
	sq_bind_text(st, 4, v->kind);
	sqlite3_bind_int(st, 5, v->max_uses);
	sqlite3_bind_int64(st, 6, v->expires_at);
	sqlite3_bind_int64(st, 7, v->created_at);
	return sq_exec(st);
}

int store_invite_by_code(const char *code, struct invite_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " INVITE_COLS " FROM invites WHERE code = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, code);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_invite(st, out);
	sq_done(st);
	return rc;
}

int store_invite_use(int64_t id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("UPDATE invites SET uses = uses + 1 WHERE id = ? AND revoked = 0 "
				      "AND (expires_at = 0 OR expires_at > ?) AND (max_uses = 0 OR uses < max_uses)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now_ms);
	return sq_exec_changed(st);
}

int store_invite_revoke(int64_t id)
{
	sqlite3_stmt *st = sq_prepare("UPDATE invites SET revoked = 1 WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return sq_exec_changed(st);
}

int store_invite_list(void (*fn)(const struct invite_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT " INVITE_COLS " FROM invites ORDER BY id DESC LIMIT 200");
	struct invite_row v;
	int rc;

	if (!st)
		return STORE_ERROR;
	while ((rc = sq_step(st)) == STORE_OK) {
		read_invite(st, &v);
		fn(&v, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ---- settings -------------------------------------------------------- */

int store_setting_get(const char *key, char *out, size_t n)
{
	sqlite3_stmt *st = sq_prepare("SELECT value FROM settings WHERE key = ?");
	int rc;

	out[0] = '\0';
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, key);
	rc = sq_step(st);
	if (rc == STORE_OK)
		sq_col_text(st, 0, out, n);
	sq_done(st);
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

int store_setting_set(const char *key, const char *value)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO settings (key, value) VALUES (?, ?) "
				      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, key);
	sq_bind_text(st, 2, value);
	return sq_exec(st);
}

/* ---- sign-in failures ------------------------------------------------ */

int store_failure_get(const char *key, struct failure_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT failures, last_failure_at, locked_until FROM auth_failures WHERE key = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, key);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		out->failures = sqlite3_column_int(st, 0);
		out->last_failure_at = sqlite3_column_int64(st, 1);
		out->locked_until = sqlite3_column_int64(st, 2);
	}
	sq_done(st);
	return rc;
}

int store_failure_put(const char *key, const struct failure_row *f)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO auth_failures (key, failures, last_failure_at, locked_until) "
				      "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
				      "last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, key);
	sqlite3_bind_int(st, 2, f->failures);
	sqlite3_bind_int64(st, 3, f->last_failure_at);
	sqlite3_bind_int64(st, 4, f->locked_until);
	return sq_exec(st);
}

int store_failure_clear(const char *key)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM auth_failures WHERE key = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, key);
	return sq_exec(st);
}

/* ---- housekeeping ---------------------------------------------------- */

int store_prune(int64_t now_ms, int64_t failures_before)
{
	sqlite3_stmt *st;

	st = sq_prepare("DELETE FROM sessions WHERE expires_at < ?");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms);
	if (sq_exec(st) != STORE_OK)
		return STORE_ERROR;
	st = sq_prepare("DELETE FROM oauth_codes WHERE expires_at < ?");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms);
	if (sq_exec(st) != STORE_OK)
		return STORE_ERROR;
	st = sq_prepare("DELETE FROM auth_failures WHERE last_failure_at < ? AND locked_until < ?");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, failures_before);
	sqlite3_bind_int64(st, 2, now_ms);
	return sq_exec(st);
}
