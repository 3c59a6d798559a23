/*
 * sqlite_follow_requests.c - follow requests in the SQLite backend (see
 * store_follow_requests.h).
 */
#include "store/store_follow_requests.h"
#include "store/sqlite_internal.h"

int store_follow_request_add(int64_t account_id, int64_t target_id, int64_t id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO follow_requests (id, account_id, target_id, created_at) "
				      "VALUES (?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int64(st, 3, target_id);
	sqlite3_bind_int64(st, 4, now_ms);
	return sq_exec(st);
}

int store_follow_request_remove(int64_t account_id, int64_t target_id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM follow_requests WHERE account_id = ? AND target_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, target_id);
	return sq_exec_changed(st);
}

int store_follow_request_remove_between(int64_t a, int64_t b)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM follow_requests WHERE (account_id = ?1 AND target_id = ?2) "
				      "OR (account_id = ?2 AND target_id = ?1)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	return sq_exec(st);
}

int store_follow_request_exists(int64_t account_id, int64_t target_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT 1 FROM follow_requests WHERE account_id = ? AND target_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, target_id);
	rc = sq_step(st);
	sq_done(st);
	return rc;
}

int store_follow_request_list(int64_t target_id, int64_t max_id, int64_t since_id, int limit,
			      void (*fn)(int64_t, int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, account_id FROM follow_requests WHERE target_id = ? "
				      "AND id < ? AND id > ? ORDER BY id DESC LIMIT ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, target_id);
	sqlite3_bind_int64(st, 2, max_id > 0 ? max_id : INT64_MAX);
	sqlite3_bind_int64(st, 3, since_id > 0 ? since_id : 0);
	sqlite3_bind_int(st, 4, limit);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int64_t store_follow_request_count(int64_t target_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT count(*) FROM follow_requests WHERE target_id = ?");
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, target_id);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}
