/*
 * sqlite_conversations.c - direct conversations in the SQLite backend
 * (see store_conversations.h).
 */
#include "store/store_conversations.h"
#include "store/sqlite_internal.h"

int store_conversation_add_post(int64_t post_id, int64_t conversation_id)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO post_conversations (post_id, conversation_id) VALUES (?, ?) "
				      "ON CONFLICT (post_id) DO NOTHING");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, conversation_id);
	return sq_exec(st);
}

int store_conversation_of_post(int64_t post_id, int64_t *conversation_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT conversation_id FROM post_conversations WHERE post_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		*conversation_id = sqlite3_column_int64(st, 0);
	sq_done(st);
	return rc;
}

int store_conversation_touch(int64_t account_id, int64_t conversation_id, int64_t last_status_id,
			     int unread)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO conversation_accounts (account_id, conversation_id, unread, last_status_id) "
		"VALUES (?1, ?2, ?4, ?3) ON CONFLICT (account_id, conversation_id) DO UPDATE SET "
		"last_status_id = max(last_status_id, excluded.last_status_id), "
		"unread = excluded.unread");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, conversation_id);
	sqlite3_bind_int64(st, 3, last_status_id);
	sqlite3_bind_int(st, 4, unread);
	return sq_exec(st);
}

static void read_row(sqlite3_stmt *st, struct conversation_row *r)
{
	r->conversation_id = sqlite3_column_int64(st, 0);
	r->unread = sqlite3_column_int(st, 1);
	r->last_status_id = sqlite3_column_int64(st, 2);
}

int store_conversation_list(int64_t account_id, int64_t max_id, int64_t min_id, int limit,
			    void (*fn)(const struct conversation_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT conversation_id, unread, last_status_id FROM conversation_accounts "
				      "WHERE account_id = ? AND last_status_id < ? AND last_status_id > ? "
				      "ORDER BY last_status_id DESC LIMIT ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, max_id > 0 ? max_id : INT64_MAX);
	sqlite3_bind_int64(st, 3, min_id > 0 ? min_id : 0);
	sqlite3_bind_int(st, 4, limit);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct conversation_row r;

		read_row(st, &r);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_conversation_get(int64_t account_id, int64_t conversation_id, struct conversation_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT conversation_id, unread, last_status_id FROM conversation_accounts "
				      "WHERE account_id = ? AND conversation_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, conversation_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_row(st, out);
	sq_done(st);
	return rc;
}

int store_conversation_mark_read(int64_t account_id, int64_t conversation_id)
{
	sqlite3_stmt *st = sq_prepare("UPDATE conversation_accounts SET unread = 0 "
				      "WHERE account_id = ? AND conversation_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, conversation_id);
	return sq_exec_changed(st);
}

int store_conversation_remove(int64_t account_id, int64_t conversation_id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM conversation_accounts WHERE account_id = ? AND conversation_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, conversation_id);
	return sq_exec_changed(st);
}

int store_conversation_posts(int64_t conversation_id, int max, void (*fn)(int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT post_id FROM post_conversations WHERE conversation_id = ? "
				      "ORDER BY post_id DESC LIMIT ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, conversation_id);
	sqlite3_bind_int(st, 2, max);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_conversation_participants(int64_t conversation_id, void (*fn)(int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT p.account_id FROM post_conversations pc JOIN posts p ON p.id = pc.post_id "
		"WHERE pc.conversation_id = ?1 "
		"UNION SELECT m.account_id FROM post_conversations pc JOIN mentions m ON m.post_id = pc.post_id "
		"WHERE pc.conversation_id = ?1");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, conversation_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}
