/*
 * sqlite_listening.c - watched keywords and accounts, and the queue items
 * they create, in the SQLite backend (store_listening.h).
 */
#include "store/store_listening.h"
#include "store/sqlite_internal.h"

#include <stdio.h>

int store_watches_any(void)
{
	return sq_exists_ids("SELECT 1 FROM listen_watches WHERE ?1 = ?1 LIMIT 1", 0, 0);
}

int store_watches(int64_t space_id, void (*fn)(const char *kind, const char *value, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT kind, value FROM listen_watches WHERE space_id = ?"
				      " ORDER BY kind DESC, value");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

static int insert_watch(int64_t space_id, const char *kind, const char *value, int64_t by, int64_t now)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO listen_watches (space_id, kind, value, created_by, created_at)"
				      " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	sq_bind_text(st, 2, kind);
	sq_bind_text(st, 3, value);
	sqlite3_bind_int64(st, 4, by);
	sqlite3_bind_int64(st, 5, now);
	return sq_exec(st);
}

int store_watches_replace(int64_t space_id, char *const *keywords, size_t nkeywords,
			  const int64_t *accounts, size_t naccounts, int64_t by, int64_t now_ms)
{
	sqlite3_stmt *st;
	size_t i;

	if (store_begin() != STORE_OK)
		return STORE_ERROR;
	st = sq_prepare("DELETE FROM listen_watches WHERE space_id = ?");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, space_id);
	if (sq_exec(st) != STORE_OK)
		goto fail;
	for (i = 0; i < nkeywords; i++)
		if (insert_watch(space_id, "keyword", keywords[i], by, now_ms) != STORE_OK)
			goto fail;
	for (i = 0; i < naccounts; i++) {
		char v[24];

		snprintf(v, sizeof v, "%lld", (long long)accounts[i]);
		if (insert_watch(space_id, "account", v, by, now_ms) != STORE_OK)
			goto fail;
	}
	if (store_commit() != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	store_rollback();
	return STORE_ERROR;
}

int store_watch_scopes(void (*fn)(int64_t space_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT DISTINCT space_id FROM listen_watches ORDER BY space_id");
	int rc;

	if (!st)
		return STORE_ERROR;
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_watch_item_create(int64_t item_id, int64_t action_id, const char *kind, int64_t post_id,
			    int64_t space_id, const char *matched, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO queue_items (id, kind, post_id, space_id, matched, created_at, updated_at)"
		" SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6 WHERE NOT EXISTS (SELECT 1 FROM queue_items"
		"  WHERE post_id = ?3 AND space_id = ?4 AND kind IN ('mention', 'keyword'))"
		" ON CONFLICT DO NOTHING");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, item_id);
	sq_bind_text(st, 2, kind);
	sqlite3_bind_int64(st, 3, post_id);
	sqlite3_bind_int64(st, 4, space_id);
	sq_bind_text(st, 5, matched);
	sqlite3_bind_int64(st, 6, now_ms);
	rc = sq_exec_changed(st);
	if (rc == STORE_NOTFOUND)
		return STORE_CONFLICT;
	if (rc != STORE_OK)
		return rc;
	st = sq_prepare("INSERT INTO queue_actions (id, item_id, actor_id, action, detail, created_at)"
			" VALUES (?, ?, 0, 'created', ?, ?)");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, action_id);
	sqlite3_bind_int64(st, 2, item_id);
	sq_bind_text(st, 3, matched);
	sqlite3_bind_int64(st, 4, now_ms);
	return sq_exec(st);
}
