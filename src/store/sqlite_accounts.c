/*
 * sqlite_accounts.c - accounts in the SQLite backend (see store.h).
 *
 * Usernames and emails are unique without regard to case: the lowercased
 * copies carry the UNIQUE constraints, which is portable to PostgreSQL
 * (no COLLATE NOCASE).
 */
#include "store/store.h"
#include "store/sqlite_internal.h"

#include <ctype.h>
#include <string.h>

#define ACCOUNT_COLS "id, username, email, display_name, note, kind, is_admin, " \
	"is_moderator, suspended, locked, bot, discoverable, password_hash, created_at, last_seen_at, profile_public, version"

static void lower_copy(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static void read_account(sqlite3_stmt *st, struct account_row *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	sq_col_text(st, 1, a->username, sizeof a->username);
	sq_col_text(st, 2, a->email, sizeof a->email);
	sq_col_text(st, 3, a->display_name, sizeof a->display_name);
	sq_col_text(st, 4, a->note, sizeof a->note);
	sq_col_text(st, 5, a->kind, sizeof a->kind);
	a->is_admin = sqlite3_column_int(st, 6);
	a->is_moderator = sqlite3_column_int(st, 7);
	a->suspended = sqlite3_column_int(st, 8);
	a->locked = sqlite3_column_int(st, 9);
	a->bot = sqlite3_column_int(st, 10);
	a->discoverable = sqlite3_column_int(st, 11);
	sq_col_text(st, 12, a->password_hash, sizeof a->password_hash);
	a->created_at = sqlite3_column_int64(st, 13);
	a->last_seen_at = sqlite3_column_int64(st, 14);
	a->profile_public = sqlite3_column_int(st, 15);
	a->version = sqlite3_column_int64(st, 16);
}

static int fetch_one(sqlite3_stmt *st, struct account_row *out)
{
	int rc = sq_step(st);

	if (rc == STORE_OK)
		read_account(st, out);
	sq_done(st);
	return rc;
}

int store_account_insert(const struct account_row *a)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO accounts (id, username, username_lower, email, email_lower, "
		"display_name, note, kind, is_admin, is_moderator, suspended, locked, bot, "
		"discoverable, password_hash, created_at, last_seen_at, profile_public) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	char ulow[sizeof a->username], elow[sizeof a->email];

	if (!st)
		return STORE_ERROR;
	lower_copy(ulow, sizeof ulow, a->username);
	lower_copy(elow, sizeof elow, a->email);
	sqlite3_bind_int64(st, 1, a->id);
	sq_bind_text(st, 2, a->username);
	sq_bind_text(st, 3, ulow);
	sq_bind_text(st, 4, a->email);
	sq_bind_text(st, 5, elow);
	sq_bind_text(st, 6, a->display_name);
	sq_bind_text(st, 7, a->note);
	sq_bind_text(st, 8, a->kind);
	sqlite3_bind_int(st, 9, a->is_admin);
	sqlite3_bind_int(st, 10, a->is_moderator);
	sqlite3_bind_int(st, 11, a->suspended);
	sqlite3_bind_int(st, 12, a->locked);
	sqlite3_bind_int(st, 13, a->bot);
	sqlite3_bind_int(st, 14, a->discoverable);
	sq_bind_text(st, 15, a->password_hash);
	sqlite3_bind_int64(st, 16, a->created_at);
	sqlite3_bind_int64(st, 17, a->last_seen_at);
	sqlite3_bind_int(st, 18, a->profile_public);
	return sq_exec(st);
}

int store_account_update_profile(const struct account_row *a)
{
	sqlite3_stmt *st = sq_prepare(
		"UPDATE accounts SET display_name = ?, note = ?, locked = ?, bot = ?,"
		" discoverable = ?, profile_public = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, a->display_name);
	sq_bind_text(st, 2, a->note);
	sqlite3_bind_int(st, 3, a->locked);
	sqlite3_bind_int(st, 4, a->bot);
	sqlite3_bind_int(st, 5, a->discoverable);
	sqlite3_bind_int(st, 6, a->profile_public);
	sqlite3_bind_int64(st, 7, a->id);
	return sq_exec_changed(st);
}

int store_account_get(int64_t id, struct account_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " ACCOUNT_COLS " FROM accounts WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return fetch_one(st, out);
}

int store_account_by_username(const char *username, struct account_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " ACCOUNT_COLS " FROM accounts WHERE username_lower = ?");
	char low[ACCOUNT_USERNAME_MAX + 2];

	if (!st)
		return STORE_ERROR;
	if (strlen(username) > ACCOUNT_USERNAME_MAX) {
		sq_done(st);
		return STORE_NOTFOUND;
	}
	lower_copy(low, sizeof low, username);
	sq_bind_text(st, 1, low);
	return fetch_one(st, out);
}

int store_account_by_email(const char *email, struct account_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " ACCOUNT_COLS " FROM accounts WHERE email_lower = ?");
	char low[ACCOUNT_EMAIL_MAX + 2];

	if (!st)
		return STORE_ERROR;
	if (strlen(email) > ACCOUNT_EMAIL_MAX) {
		sq_done(st);
		return STORE_NOTFOUND;
	}
	lower_copy(low, sizeof low, email);
	sq_bind_text(st, 1, low);
	return fetch_one(st, out);
}

int64_t store_account_count(void)
{
	sqlite3_stmt *st = sq_prepare("SELECT COUNT(*) FROM accounts WHERE kind <> 'remote'");
	int64_t n = -1;

	if (!st)
		return -1;
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_account_list(int64_t before, int limit,
		       void (*fn)(const struct account_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT " ACCOUNT_COLS " FROM accounts "
				      "WHERE id < ? ORDER BY id DESC LIMIT ?");
	struct account_row a;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sq_step(st)) == STORE_OK) {
		read_account(st, &a);
		fn(&a, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_account_set_roles(int64_t id, const char *kind, int is_admin, int is_moderator)
{
	sqlite3_stmt *st = sq_prepare("UPDATE accounts SET kind = ?, is_admin = ?, is_moderator = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, kind);
	sqlite3_bind_int(st, 2, is_admin);
	sqlite3_bind_int(st, 3, is_moderator);
	sqlite3_bind_int64(st, 4, id);
	return sq_exec_changed(st);
}

int store_account_set_suspended(int64_t id, int suspended)
{
	sqlite3_stmt *st = sq_prepare("UPDATE accounts SET suspended = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, suspended);
	sqlite3_bind_int64(st, 2, id);
	return sq_exec_changed(st);
}

int store_account_set_password(int64_t id, const char *hash)
{
	sqlite3_stmt *st = sq_prepare("UPDATE accounts SET password_hash = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, hash);
	sqlite3_bind_int64(st, 2, id);
	return sq_exec_changed(st);
}

int store_account_touch(int64_t id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("UPDATE accounts SET last_seen_at = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, id);
	return sq_exec(st);
}
