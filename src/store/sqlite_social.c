/*
 * sqlite_social.c - what people do to posts and to each other, in the
 * SQLite backend (see store_posts.h): favourites, bookmarks, pins, emoji
 * reactions, follows, blocks, mutes, followed tags and account counters.
 *
 * Counters on posts (favourites_count) move in the same statement batch
 * as the row they count; the caller wraps both in a transaction.
 */
#include "store/store_posts.h"
#include "store/sqlite_internal.h"

#include <string.h>

static int exec2(const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = sq_prepare(sql);

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	return sq_exec_changed(st);
}

static int exec1(const char *sql, int64_t a)
{
	sqlite3_stmt *st = sq_prepare(sql);

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a);
	return sq_exec_changed(st);
}

static int exists2(const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = sq_prepare(sql);
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	rc = sq_step(st);
	sq_done(st);
	return rc;
}

/* Insert with a row id; CONFLICT when the pair exists. */
static int insert3(const char *sql, int64_t a, int64_t b, int64_t c)
{
	sqlite3_stmt *st = sq_prepare(sql);

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	sqlite3_bind_int64(st, 3, c);
	return sq_exec(st);
}

/* ---- favourites, bookmarks, pins, reactions ------------------------ */

int store_favourite_add(int64_t account_id, int64_t post_id, int64_t id)
{
	int rc = insert3("INSERT INTO favourites (account_id, post_id, id) VALUES (?, ?, ?)",
			 account_id, post_id, id);

	if (rc != STORE_OK)
		return rc;
	return exec1("UPDATE posts SET favourites_count = favourites_count + 1 WHERE id = ?", post_id);
}

int store_favourite_remove(int64_t account_id, int64_t post_id)
{
	int rc = exec2("DELETE FROM favourites WHERE account_id = ? AND post_id = ?", account_id, post_id);

	if (rc != STORE_OK)
		return rc;
	return exec1("UPDATE posts SET favourites_count = max(favourites_count - 1, 0) WHERE id = ?",
		     post_id);
}

int store_bookmark_add(int64_t account_id, int64_t post_id, int64_t id)
{
	return insert3("INSERT INTO bookmarks (account_id, post_id, id) VALUES (?, ?, ?)",
		       account_id, post_id, id);
}

int store_bookmark_remove(int64_t account_id, int64_t post_id)
{
	return exec2("DELETE FROM bookmarks WHERE account_id = ? AND post_id = ?", account_id, post_id);
}

int store_pin_add(int64_t account_id, int64_t post_id, int64_t now_ms)
{
	return insert3("INSERT INTO pins (account_id, post_id, created_at) VALUES (?, ?, ?)",
		       account_id, post_id, now_ms);
}

int store_pin_remove(int64_t account_id, int64_t post_id)
{
	return exec2("DELETE FROM pins WHERE account_id = ? AND post_id = ?", account_id, post_id);
}

int store_reaction_add(int64_t account_id, int64_t post_id, const char *emoji, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO reactions (account_id, post_id, emoji, created_at) "
				      "VALUES (?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, post_id);
	sq_bind_text(st, 3, emoji);
	sqlite3_bind_int64(st, 4, now_ms);
	return sq_exec(st);
}

int store_reaction_remove(int64_t account_id, int64_t post_id, const char *emoji)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM reactions WHERE account_id = ? AND post_id = ? AND emoji = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, post_id);
	sq_bind_text(st, 3, emoji);
	return sq_exec_changed(st);
}

int store_reactions(int64_t post_id, int64_t viewer_id,
		    void (*fn)(const char *emoji, int64_t count, int me, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT emoji, count(*), max(account_id = ?2), min(created_at) FROM reactions "
		"WHERE post_id = ?1 GROUP BY emoji ORDER BY 4");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
		   sqlite3_column_int(st, 2), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_post_state(int64_t viewer_id, int64_t post_id, unsigned *out)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT EXISTS (SELECT 1 FROM favourites WHERE account_id = ?1 AND post_id = ?2),"
		" EXISTS (SELECT 1 FROM posts WHERE account_id = ?1 AND reblog_of_id = ?2),"
		" EXISTS (SELECT 1 FROM bookmarks WHERE account_id = ?1 AND post_id = ?2),"
		" EXISTS (SELECT 1 FROM pins WHERE account_id = ?1 AND post_id = ?2)");
	int rc;

	*out = 0;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, viewer_id);
	sqlite3_bind_int64(st, 2, post_id);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		if (sqlite3_column_int(st, 0))
			*out |= POST_STATE_FAVOURITED;
		if (sqlite3_column_int(st, 1))
			*out |= POST_STATE_REBLOGGED;
		if (sqlite3_column_int(st, 2))
			*out |= POST_STATE_BOOKMARKED;
		if (sqlite3_column_int(st, 3))
			*out |= POST_STATE_PINNED;
	}
	sq_done(st);
	return rc == STORE_ERROR ? rc : STORE_OK;
}

int store_post_touched_by(int64_t post_id, void (*fn)(int64_t, void *), void *ctx)
{
	/* each part walks an index led by the post (migration 0010) */
	sqlite3_stmt *st = sq_prepare(
		"SELECT account_id FROM favourites WHERE post_id = ?1"
		" UNION ALL SELECT account_id FROM posts WHERE reblog_of_id = ?1"
		" UNION ALL SELECT account_id FROM bookmarks WHERE post_id = ?1"
		" UNION ALL SELECT account_id FROM pins WHERE post_id = ?1"
		" UNION ALL SELECT account_id FROM reactions WHERE post_id = ?1");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

static int each_pair(sqlite3_stmt *st, void (*fn)(int64_t, int64_t, void *), void *ctx)
{
	int rc;

	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

static int64_t max_or_top(int64_t max_id)
{
	return max_id > 0 ? max_id : INT64_MAX;
}

int store_post_favourited_by(int64_t post_id, int64_t max_id, int limit,
			     void (*fn)(int64_t, int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, account_id FROM favourites WHERE post_id = ? AND id < ? "
				      "ORDER BY id DESC LIMIT ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, max_or_top(max_id));
	sqlite3_bind_int(st, 3, limit);
	return each_pair(st, fn, ctx);
}

int store_post_reblogged_by(int64_t post_id, int64_t max_id, int limit,
			    void (*fn)(int64_t, int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, account_id FROM posts WHERE reblog_of_id = ? AND id < ? "
				      "ORDER BY id DESC LIMIT ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, max_or_top(max_id));
	sqlite3_bind_int(st, 3, limit);
	return each_pair(st, fn, ctx);
}

/* ---- follows, blocks, mutes ---------------------------------------- */

int store_follow_add(int64_t follower, int64_t followee, int64_t id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO follows (follower_id, followee_id, id, created_at) "
				      "VALUES (?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, follower);
	sqlite3_bind_int64(st, 2, followee);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int64(st, 4, now_ms);
	return sq_exec(st);
}

int store_follow_remove(int64_t follower, int64_t followee)
{
	return exec2("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", follower, followee);
}

int store_follow_exists(int64_t follower, int64_t followee)
{
	return exists2("SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?", follower, followee);
}

int store_block_add(int64_t account_id, int64_t target_id, int64_t now_ms)
{
	return insert3("INSERT INTO blocks (account_id, target_id, created_at) VALUES (?, ?, ?)",
		       account_id, target_id, now_ms);
}

int store_block_remove(int64_t account_id, int64_t target_id)
{
	return exec2("DELETE FROM blocks WHERE account_id = ? AND target_id = ?", account_id, target_id);
}

int store_block_exists(int64_t account_id, int64_t target_id)
{
	return exists2("SELECT 1 FROM blocks WHERE account_id = ? AND target_id = ?", account_id, target_id);
}

int store_blocked_either(int64_t a, int64_t b)
{
	return exists2("SELECT 1 FROM blocks WHERE (account_id = ?1 AND target_id = ?2) "
		       "OR (account_id = ?2 AND target_id = ?1)", a, b);
}

int store_mute_add(int64_t account_id, int64_t target_id, int notifications,
		   int64_t expires_at, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO mutes (account_id, target_id, notifications, expires_at, created_at) "
		"VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, target_id) DO UPDATE SET "
		"notifications = excluded.notifications, expires_at = excluded.expires_at");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, target_id);
	sqlite3_bind_int(st, 3, notifications);
	sqlite3_bind_int64(st, 4, expires_at);
	sqlite3_bind_int64(st, 5, now_ms);
	return sq_exec(st);
}

int store_mute_remove(int64_t account_id, int64_t target_id)
{
	return exec2("DELETE FROM mutes WHERE account_id = ? AND target_id = ?", account_id, target_id);
}

int store_mute_get(int64_t account_id, int64_t target_id, int64_t now_ms, int *notifications)
{
	sqlite3_stmt *st = sq_prepare("SELECT notifications FROM mutes WHERE account_id = ? AND target_id = ? "
				      "AND (expires_at = 0 OR expires_at > ?)");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, target_id);
	sqlite3_bind_int64(st, 3, now_ms);
	rc = sq_step(st);
	if (rc == STORE_OK && notifications)
		*notifications = sqlite3_column_int(st, 0);
	sq_done(st);
	return rc;
}

int store_follow_list(int64_t account_id, int dir, int64_t max_id, int64_t since_id, int limit,
		      void (*fn)(int64_t, int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(dir == 0
		? "SELECT id, follower_id FROM follows WHERE followee_id = ? AND id < ? AND id > ? "
		  "ORDER BY id DESC LIMIT ?"
		: "SELECT id, followee_id FROM follows WHERE follower_id = ? AND id < ? AND id > ? "
		  "ORDER BY id DESC LIMIT ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, max_or_top(max_id));
	sqlite3_bind_int64(st, 3, since_id > 0 ? since_id : 0);
	sqlite3_bind_int(st, 4, limit);
	return each_pair(st, fn, ctx);
}

int store_block_list(int64_t account_id, int mutes, int limit,
		     void (*fn)(int64_t, int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(mutes
		? "SELECT created_at, target_id FROM mutes WHERE account_id = ? ORDER BY created_at DESC LIMIT ?"
		: "SELECT created_at, target_id FROM blocks WHERE account_id = ? ORDER BY created_at DESC LIMIT ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int(st, 2, limit);
	return each_pair(st, fn, ctx);
}

int store_account_counts(int64_t account_id, struct account_counts *out)
{
	/* kept in step by the triggers of 0009_account_stats.sql */
	sqlite3_stmt *st = sq_prepare(
		"SELECT followers, following, statuses, last_status_at FROM account_stats WHERE account_id = ?1");
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		out->followers = sqlite3_column_int64(st, 0);
		out->following = sqlite3_column_int64(st, 1);
		out->statuses = sqlite3_column_int64(st, 2);
		out->last_status_at = sqlite3_column_int64(st, 3);
	}
	sq_done(st);
	return rc == STORE_ERROR ? rc : STORE_OK;
}

/* ---- followed tags -------------------------------------------------- */

int store_tag_follow(int64_t account_id, int64_t tag_id, int64_t id)
{
	return insert3("INSERT INTO tag_follows (account_id, tag_id, id) VALUES (?, ?, ?)",
		       account_id, tag_id, id);
}

int store_tag_unfollow(int64_t account_id, int64_t tag_id)
{
	return exec2("DELETE FROM tag_follows WHERE account_id = ? AND tag_id = ?", account_id, tag_id);
}

int store_tag_following(int64_t account_id, int64_t tag_id)
{
	return exists2("SELECT 1 FROM tag_follows WHERE account_id = ? AND tag_id = ?", account_id, tag_id);
}

int store_tag_follow_list(int64_t account_id, int64_t max_id, int limit,
			  void (*fn)(int64_t, const char *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT tf.id, t.name FROM tag_follows tf JOIN tags t ON t.id = tf.tag_id "
				      "WHERE tf.account_id = ? AND tf.id < ? ORDER BY tf.id DESC LIMIT ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, max_or_top(max_id));
	sqlite3_bind_int(st, 3, limit);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_tag_history(int64_t tag_id, int64_t now_ms, int days,
		      void (*fn)(int64_t, int64_t, int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT p.created_at / 86400000 AS day, count(*), count(DISTINCT p.account_id) "
		"FROM post_tags pt JOIN posts p ON p.id = pt.post_id "
		"WHERE pt.tag_id = ? AND p.created_at >= ? AND p.audience = 'public' GROUP BY day ORDER BY day DESC");
	int64_t today = now_ms / 86400000, counts[32][2];
	int rc, i;

	if (days > 32)
		days = 32;
	memset(counts, 0, sizeof counts);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, tag_id);
	sqlite3_bind_int64(st, 2, (today - days + 1) * 86400000);
	while ((rc = sq_step(st)) == STORE_OK) {
		int64_t d = today - sqlite3_column_int64(st, 0);

		if (d >= 0 && d < days) {
			counts[d][0] = sqlite3_column_int64(st, 1);
			counts[d][1] = sqlite3_column_int64(st, 2);
		}
	}
	sq_done(st);
	if (rc == STORE_ERROR)
		return rc;
	for (i = 0; i < days; i++)
		fn((today - i) * 86400000, counts[i][0], counts[i][1], ctx);
	return STORE_OK;
}
