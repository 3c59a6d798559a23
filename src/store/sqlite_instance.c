/*
 * sqlite_instance.c - announcements and instance counters in the SQLite
 * backend (see store_instance.h).
 */
#include "store/store_instance.h"
#include "store/sqlite_internal.h"

#include <stdlib.h>
#include <string.h>

#define ANN_COLS "a.id, a.text, a.content, a.starts_at, a.ends_at, a.all_day, a.published, " \
	"a.published_at, a.created_by, a.created_at, a.updated_at"

static char *dup_col(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);
	char *d = malloc(n + 1);

	if (!d)
		return NULL;
	if (s && n)
		memcpy(d, s, n);
	d[s ? n : 0] = '\0';
	return d;
}

void announcement_row_release(struct announcement_row *a)
{
	free(a->text);
	free(a->content);
	a->text = a->content = NULL;
}

static int read_announcement(sqlite3_stmt *st, struct announcement_row *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	a->text = dup_col(st, 1);
	a->content = dup_col(st, 2);
	a->starts_at = sqlite3_column_int64(st, 3);
	a->ends_at = sqlite3_column_int64(st, 4);
	a->all_day = sqlite3_column_int(st, 5);
	a->published = sqlite3_column_int(st, 6);
	a->published_at = sqlite3_column_int64(st, 7);
	a->created_by = sqlite3_column_int64(st, 8);
	a->created_at = sqlite3_column_int64(st, 9);
	a->updated_at = sqlite3_column_int64(st, 10);
	if (!a->text || !a->content) {
		announcement_row_release(a);
		return STORE_ERROR;
	}
	return STORE_OK;
}

int store_announcement_insert(const struct announcement_row *a)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO announcements (id, text, content, starts_at, ends_at, all_day, published, "
		"published_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a->id);
	sq_bind_text(st, 2, a->text);
	sq_bind_text(st, 3, a->content);
	sqlite3_bind_int64(st, 4, a->starts_at);
	sqlite3_bind_int64(st, 5, a->ends_at);
	sqlite3_bind_int(st, 6, a->all_day);
	sqlite3_bind_int(st, 7, a->published);
	sqlite3_bind_int64(st, 8, a->published_at);
	sqlite3_bind_int64(st, 9, a->created_by);
	sqlite3_bind_int64(st, 10, a->created_at);
	sqlite3_bind_int64(st, 11, a->updated_at);
	return sq_exec(st);
}

int store_announcement_update(const struct announcement_row *a)
{
	sqlite3_stmt *st = sq_prepare(
		"UPDATE announcements SET text = ?, content = ?, starts_at = ?, ends_at = ?, all_day = ?, "
		"published = ?, published_at = ?, updated_at = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, a->text);
	sq_bind_text(st, 2, a->content);
	sqlite3_bind_int64(st, 3, a->starts_at);
	sqlite3_bind_int64(st, 4, a->ends_at);
	sqlite3_bind_int(st, 5, a->all_day);
	sqlite3_bind_int(st, 6, a->published);
	sqlite3_bind_int64(st, 7, a->published_at);
	sqlite3_bind_int64(st, 8, a->updated_at);
	sqlite3_bind_int64(st, 9, a->id);
	return sq_exec_changed(st);
}

int store_announcement_delete(int64_t id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM announcements WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return sq_exec_changed(st);
}

int store_announcement_get(int64_t id, struct announcement_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " ANN_COLS " FROM announcements a WHERE a.id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		rc = read_announcement(st, out);
	sq_done(st);
	return rc;
}

int store_announcement_list(int only_active, int64_t now_ms, int64_t viewer_id, int with_dismissed,
			    void (*fn)(const struct announcement_row *, int dismissed, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT " ANN_COLS ", EXISTS (SELECT 1 FROM announcement_dismissals d"
		"  WHERE d.announcement_id = a.id AND d.account_id = ?3) AS dismissed"
		" FROM announcements a"
		" WHERE (?1 = 0 OR (a.published <> 0 AND (a.ends_at = 0 OR a.ends_at > ?2)))"
		" AND (?4 <> 0 OR ?3 = 0 OR NOT EXISTS (SELECT 1 FROM announcement_dismissals d2"
		"  WHERE d2.announcement_id = a.id AND d2.account_id = ?3))"
		" ORDER BY coalesce(nullif(a.starts_at, 0), nullif(a.published_at, 0), a.created_at), a.id");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, only_active);
	sqlite3_bind_int64(st, 2, now_ms);
	sqlite3_bind_int64(st, 3, viewer_id);
	sqlite3_bind_int(st, 4, with_dismissed);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct announcement_row a;

		if (read_announcement(st, &a) != STORE_OK) {
			rc = STORE_ERROR;
			break;
		}
		fn(&a, sqlite3_column_int(st, 11), ctx);
		announcement_row_release(&a);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_announcement_dismiss(int64_t id, int64_t account_id)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO announcement_dismissals (announcement_id, account_id) "
				      "VALUES (?, ?) ON CONFLICT DO NOTHING");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	return sq_exec(st);
}

int store_announcement_react(int64_t id, int64_t account_id, const char *name, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO announcement_reactions (announcement_id, account_id, "
				      "name, created_at) VALUES (?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	sq_bind_text(st, 3, name);
	sqlite3_bind_int64(st, 4, now_ms);
	return sq_exec(st);
}

int store_announcement_unreact(int64_t id, int64_t account_id, const char *name)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM announcement_reactions WHERE announcement_id = ? "
				      "AND account_id = ? AND name = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	sq_bind_text(st, 3, name);
	return sq_exec_changed(st);
}

int store_announcement_reactions(int64_t id, int64_t viewer_id,
				 void (*fn)(const char *name, int64_t count, int me, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT name, count(*), max(account_id = ?2), min(created_at) FROM announcement_reactions "
		"WHERE announcement_id = ?1 GROUP BY name ORDER BY 4, 1");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, viewer_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
		   sqlite3_column_int(st, 2), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int64_t store_announcement_reaction_names(int64_t id)
{
	sqlite3_stmt *st = sq_prepare("SELECT count(DISTINCT name) FROM announcement_reactions "
				      "WHERE announcement_id = ?");
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

/* ---- counters ---------------------------------------------------------- */

/* Account a was active since T: signed in, or used a browser session or an
 * app token. */
#define ACTIVE_SINCE(T) "(a.last_seen_at > " T \
	" OR EXISTS (SELECT 1 FROM sessions s WHERE s.account_id = a.id AND s.last_used_at > " T ")" \
	" OR EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.account_id = a.id AND (t.last_used_at > " T \
	"  OR t.created_at > " T ")))"

int store_instance_usage(int64_t now_ms, struct instance_usage *out)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT (SELECT count(*) FROM accounts WHERE kind <> 'remote' AND suspended = 0),"
		" (SELECT count(*) FROM accounts a WHERE kind <> 'remote' AND suspended = 0 AND " ACTIVE_SINCE("?1") "),"
		" (SELECT count(*) FROM accounts a WHERE kind <> 'remote' AND suspended = 0 AND " ACTIVE_SINCE("?2") "),"
		" (SELECT count(*) FROM posts WHERE reblog_of_id IS NULL),"
		" (SELECT count(*) FROM posts WHERE reblog_of_id IS NULL AND in_reply_to_id <> 0)");
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms - 30LL * 86400000);
	sqlite3_bind_int64(st, 2, now_ms - 180LL * 86400000);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		out->users = sqlite3_column_int64(st, 0);
		out->active_month = sqlite3_column_int64(st, 1);
		out->active_halfyear = sqlite3_column_int64(st, 2);
		out->local_posts = sqlite3_column_int64(st, 3);
		out->local_comments = sqlite3_column_int64(st, 4);
	}
	sq_done(st);
	return rc == STORE_ERROR ? rc : STORE_OK;
}

int store_instance_activity(int64_t week_start_ms, int weeks,
			    void (*fn)(int64_t, int64_t, int64_t, int64_t, void *), void *ctx)
{
	/* Logins: accounts that opened a browser session, got a user token,
	 * or (for the last sign-in we know of) were last seen that week. */
	sqlite3_stmt *st = sq_prepare(
		"SELECT (SELECT count(*) FROM posts WHERE reblog_of_id IS NULL AND created_at >= ?1 AND created_at < ?2),"
		" (SELECT count(*) FROM (SELECT account_id FROM sessions WHERE created_at >= ?1 AND created_at < ?2"
		"   UNION SELECT account_id FROM oauth_tokens WHERE account_id IS NOT NULL AND created_at >= ?1 AND created_at < ?2"
		"   UNION SELECT id FROM accounts WHERE last_seen_at >= ?1 AND last_seen_at < ?2)),"
		" (SELECT count(*) FROM accounts WHERE kind <> 'remote' AND created_at >= ?1 AND created_at < ?2)");
	int i;

	if (!st)
		return STORE_ERROR;
	for (i = 0; i < weeks; i++) {
		int64_t from = week_start_ms - (int64_t)i * 7 * 86400000, to = from + 7LL * 86400000;
		int rc;

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, from);
		sqlite3_bind_int64(st, 2, to);
		rc = sq_step(st);
		if (rc != STORE_OK) {
			sq_done(st);
			return STORE_ERROR;
		}
		fn(from, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		   sqlite3_column_int64(st, 2), ctx);
	}
	sq_done(st);
	return STORE_OK;
}

int store_instance_contact(struct account_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT id FROM accounts WHERE is_admin <> 0 AND suspended = 0 "
				      "ORDER BY created_at, id LIMIT 1");
	int64_t id = 0;
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = sq_step(st);
	if (rc == STORE_OK)
		id = sqlite3_column_int64(st, 0);
	sq_done(st);
	if (rc != STORE_OK)
		return rc;
	return store_account_get(id, out);
}
