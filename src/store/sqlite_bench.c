/*
 * sqlite_bench.c - the SQLite side of store_bench.h: bulk mode and the few
 * rows the benchmark data generator (bench/seed.c) writes without the
 * per-row functions. Only the generator calls these.
 */
#include "store/store_bench.h"
#include "store/sqlite_internal.h"
#include "lib/log.h"

#include <stdio.h>
#include <string.h>

/* A PRAGMA through the statement cache (pragmas return a row or none). */
static int pragma(const char *sql)
{
	sqlite3_stmt *st = sq_prepare(sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	do
		rc = sqlite3_step(st);
	while (rc == SQLITE_ROW);
	sq_done(st);
	if (rc != SQLITE_DONE) {
		log_error("sqlite: %s failed", sql);
		return STORE_ERROR;
	}
	return STORE_OK;
}

int store_bench_bulk_begin(int cache_mib)
{
	sqlite3_stmt *st = sq_prepare("SELECT 1");   /* opens this thread's connection */
	char sql[160];
	char *msg = NULL;

	if (!st)
		return STORE_ERROR;
	/* the cache size is a number in the text: no binding in a PRAGMA, so
	 * this one goes through sqlite3_exec() on the same connection */
	snprintf(sql, sizeof sql, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-%d",
		 cache_mib * 1024);
	if (sqlite3_exec(sqlite3_db_handle(st), sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("sqlite: %s: %s", sql, msg ? msg : "");
		sqlite3_free(msg);
		return STORE_ERROR;
	}
	return STORE_OK;
}

int store_bench_bulk_end(void)
{
	if (pragma("PRAGMA synchronous=FULL") != STORE_OK || pragma("PRAGMA journal_mode=WAL") != STORE_OK)
		return STORE_ERROR;
	return pragma("PRAGMA wal_checkpoint(TRUNCATE)");
}

int store_bench_space_insert(const struct space_row *s)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO spaces (id, handle, handle_lower, name, description, purpose, kind,"
		" access, posting, avatar_media_id, archived, created_by, created_at, updated_at)"
		" VALUES (?, ?, lower(?), ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, s->id);
	sq_bind_text(st, 2, s->handle);
	sq_bind_text(st, 3, s->handle);
	sq_bind_text(st, 4, s->name);
	sq_bind_text(st, 5, s->description);
	sq_bind_text(st, 6, s->purpose);
	sq_bind_text(st, 7, s->kind);
	sq_bind_text(st, 8, s->access);
	sq_bind_text(st, 9, s->posting);
	sqlite3_bind_int64(st, 10, s->created_by);
	sqlite3_bind_int64(st, 11, s->created_at);
	sqlite3_bind_int64(st, 12, s->updated_at);
	return sq_exec(st);
}

int store_bench_tag_insert(int64_t id, const char *name, int64_t created_at)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO tags (id, name, name_lower, created_at) VALUES (?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, name);
	sq_bind_text(st, 3, name);
	sqlite3_bind_int64(st, 4, created_at);
	return sq_exec(st);
}

int store_bench_post_tag(int64_t post_id, int64_t tag_id)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO post_tags (post_id, tag_id) VALUES (?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, tag_id);
	return sq_exec(st);
}

int store_bench_sample_threads(int limit, void (*fn)(int64_t post_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT id FROM posts NOT INDEXED WHERE replies_count > 0 AND in_reply_to_id = 0"
		" AND reblog_of_id IS NULL AND space_id = 0 AND audience IN ('public', 'organisation')"
		" ORDER BY id DESC LIMIT ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, limit);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : STORE_ERROR;
}

int64_t store_bench_count(const char *table)
{
	static const char *const sql[][2] = {
		{ "accounts", "SELECT count(*) FROM accounts" },
		{ "posts", "SELECT count(*) FROM posts" },
		{ "follows", "SELECT count(*) FROM follows" },
		{ "favourites", "SELECT count(*) FROM favourites" },
		{ "mentions", "SELECT count(*) FROM mentions" },
		{ "post_tags", "SELECT count(*) FROM post_tags" },
		{ "spaces", "SELECT count(*) FROM spaces" },
		{ "space_members", "SELECT count(*) FROM space_members" },
		{ "profile_skills", "SELECT count(*) FROM profile_skills" },
		{ "endorsements", "SELECT count(*) FROM endorsements" },
		{ "people_fts", "SELECT count(*) FROM people_fts" },
		{ "oauth_tokens", "SELECT count(*) FROM oauth_tokens" },
	};
	size_t i;

	for (i = 0; i < sizeof sql / sizeof sql[0]; i++)
		if (!strcmp(table, sql[i][0])) {
			sqlite3_stmt *st = sq_prepare(sql[i][1]);
			int64_t n = -1;

			if (st && sq_step(st) == STORE_OK)
				n = sqlite3_column_int64(st, 0);
			sq_done(st);
			return n;
		}
	return -1;
}
