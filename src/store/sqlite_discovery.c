/*
 * sqlite_discovery.c - follow suggestions and trends in the SQLite
 * backend (see store_discovery.h).
 *
 * Suggestions gather candidates first (co-members of the viewer's spaces,
 * weight 2; accounts followed by those the viewer follows, weight 1; the
 * most followed accounts, weight 0), score them, and only then join the
 * accounts they name, so the work grows with the viewer's neighbourhood,
 * not with the number of accounts.
 */
#include "store/store_discovery.h"
#include "store/sqlite_internal.h"

#include <stdlib.h>
#include <string.h>

int store_suggestions(const struct store_audience *aud, int64_t now_ms, int limit,
		      void (*fn)(int64_t, int64_t, int64_t, int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"WITH cand(id, w) AS ("
		"  SELECT sa.account_id, 2 FROM space_members sv JOIN space_members sa ON sa.space_id = sv.space_id"
		"   WHERE sv.account_id = :aud_viewer"
		"  UNION ALL SELECT f2.followee_id, 1 FROM follows f1 JOIN follows f2 ON f2.follower_id = f1.followee_id"
		"   WHERE f1.follower_id = :aud_viewer"
		"  UNION ALL SELECT * FROM (SELECT followee_id, 0 FROM follows GROUP BY followee_id"
		"   ORDER BY count(*) DESC LIMIT 200)),"
		" scored(id, spaces, via, score) AS (SELECT id, sum(w = 2), sum(w = 1), sum(w) FROM cand GROUP BY id)"
		" SELECT s.id, s.spaces, s.via, (SELECT count(*) FROM follows fc WHERE fc.followee_id = s.id) AS followers"
		" FROM scored s JOIN accounts a ON a.id = s.id"
		" WHERE a.id <> :aud_viewer AND a.kind <> 'remote' AND a.suspended = 0 AND a.discoverable <> 0"
		" AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = :aud_viewer AND f.followee_id = a.id)"
		" AND NOT EXISTS (SELECT 1 FROM follow_requests r WHERE r.account_id = :aud_viewer AND r.target_id = a.id)"
		" AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.account_id = :aud_viewer AND b.target_id = a.id)"
		"   OR (b.account_id = a.id AND b.target_id = :aud_viewer))"
		" AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.account_id = :aud_viewer AND m.target_id = a.id"
		"   AND (m.expires_at = 0 OR m.expires_at > :now))"
		" AND NOT EXISTS (SELECT 1 FROM suggestion_dismissals d WHERE d.account_id = :aud_viewer"
		"   AND d.target_id = a.id)"
		" AND " ACCOUNT_VISIBLE_SQL("a")
		" ORDER BY s.score DESC, followers DESC, a.id DESC LIMIT :limit");
	int rc;

	if (!st)
		return STORE_ERROR;
	sq_bind_audience(st, aud);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":now"), now_ms);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
		   sqlite3_column_int64(st, 3), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_suggestion_dismiss(int64_t account_id, int64_t target_id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO suggestion_dismissals (account_id, target_id, created_at) "
				      "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, target_id);
	sqlite3_bind_int64(st, 3, now_ms);
	return sq_exec(st);
}

int store_trending_tags(int64_t since_ms, int limit, int offset,
			void (*fn)(int64_t, const char *, int64_t, int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT t.id, t.name, count(DISTINCT p.account_id) AS accts, count(*) AS uses"
		" FROM posts p JOIN post_tags pt ON pt.post_id = p.id JOIN tags t ON t.id = pt.tag_id"
		" JOIN accounts a ON a.id = p.account_id"
		" WHERE p.id >= ?1 AND p.created_at >= ?2 AND p.audience = 'public' AND p.reblog_of_id IS NULL"
		" AND a.suspended = 0"
		" GROUP BY t.id ORDER BY accts DESC, uses DESC, t.id DESC LIMIT ?3 OFFSET ?4");
	int rc;

	if (!st)
		return STORE_ERROR;
	/* ids are time-sortable: the bound on p.id walks only recent posts */
	sqlite3_bind_int64(st, 1, (since_ms > 0 ? since_ms : 0) << 16);
	sqlite3_bind_int64(st, 2, since_ms);
	sqlite3_bind_int(st, 3, limit);
	sqlite3_bind_int(st, 4, offset);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		   sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}


int store_trending_posts(int64_t since_ms, int limit, int offset,
			 void (*fn)(const struct post_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT p.id FROM posts p JOIN accounts a ON a.id = p.account_id"
		" WHERE p.id >= ?1 AND p.created_at >= ?2 AND p.audience = 'public' AND p.reblog_of_id IS NULL"
		" AND a.suspended = 0 AND p.favourites_count + p.reblogs_count + p.replies_count > 0"
		" ORDER BY p.favourites_count + 2 * p.reblogs_count + p.replies_count DESC, p.id DESC"
		" LIMIT ?3 OFFSET ?4");
	int64_t ids[100];
	int rc, n = 0, i;

	if (!st)
		return STORE_ERROR;
	if (limit > 100)
		limit = 100;
	sqlite3_bind_int64(st, 1, (since_ms > 0 ? since_ms : 0) << 16);
	sqlite3_bind_int64(st, 2, since_ms);
	sqlite3_bind_int(st, 3, limit);
	sqlite3_bind_int(st, 4, offset);
	while ((rc = sq_step(st)) == STORE_OK && n < 100)
		ids[n++] = sqlite3_column_int64(st, 0);
	sq_done(st);
	if (rc == STORE_ERROR)
		return rc;
	/* one post at a time, after the ranking statement is done */
	for (i = 0; i < n; i++) {
		struct post_row p;

		rc = store_post_get(ids[i], &p);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK)
			return rc;
		fn(&p, ctx);
		post_row_release(&p);
	}
	return STORE_OK;
}
