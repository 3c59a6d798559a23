/*
 * sqlite_listeners.c - the listeners table in SQLite (see store_listeners.h).
 */
#include "store/store_listeners.h"
#include "store/sqlite_internal.h"

int store_listener_exists(int64_t space_id, int64_t account_id)
{
	return sq_exists_ids("SELECT 1 FROM listeners WHERE space_id = ? AND account_id = ?",
			     space_id, account_id);
}

int store_listener_add(int64_t space_id, int64_t account_id, int64_t added_by, int64_t now)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO listeners (space_id, account_id, added_by, created_at)"
				      " VALUES (?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int64(st, 3, added_by);
	sqlite3_bind_int64(st, 4, now);
	return sq_exec(st);
}

int store_listener_remove(int64_t space_id, int64_t account_id)
{
	return sq_exec_ids("DELETE FROM listeners WHERE space_id = ? AND account_id = ?",
			   space_id, account_id);
}

int store_listeners(int64_t space_id, void (*fn)(int64_t account_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT account_id FROM listeners WHERE space_id = ?"
				      " ORDER BY created_at, account_id LIMIT 1000");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : STORE_ERROR;
}

int store_listener_spaces(int64_t account_id, int64_t *ids, int max)
{
	sqlite3_stmt *st = sq_prepare("SELECT space_id FROM listeners WHERE account_id = ? AND space_id <> 0"
				      " ORDER BY space_id");
	int rc, n = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, account_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		if (n < max)
			ids[n++] = sqlite3_column_int64(st, 0);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? n : -1;
}
