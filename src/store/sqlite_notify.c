/*
 * sqlite_notify.c - polls, notifications, markers and the job table in
 * the SQLite backend (see store_posts.h).
 */
#include "store/store_posts.h"
#include "store/sqlite_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- polls ---------------------------------------------------------- */

void poll_row_release(struct poll_row *p)
{
	free(p->options);
	p->options = NULL;
}

static int read_poll(sqlite3_stmt *st, struct poll_row *p)
{
	const unsigned char *o;
	size_t n;

	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->post_id = sqlite3_column_int64(st, 1);
	p->multiple = sqlite3_column_int(st, 2);
	p->hide_totals = sqlite3_column_int(st, 3);
	p->expires_at = sqlite3_column_int64(st, 4);
	o = sqlite3_column_text(st, 5);
	n = (size_t)sqlite3_column_bytes(st, 5);
	p->voters_count = sqlite3_column_int64(st, 6);
	p->options = malloc(n + 1);
	if (!p->options)
		return STORE_ERROR;
	if (o)
		memcpy(p->options, o, n);
	p->options[o ? n : 0] = '\0';
	return STORE_OK;
}

#define POLL_COLS "id, post_id, multiple, hide_totals, expires_at, options, voters_count"

static int poll_one(sqlite3_stmt *st, int64_t key, struct poll_row *out)
{
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, key);
	rc = sq_step(st);
	if (rc == STORE_OK)
		rc = read_poll(st, out);
	sq_done(st);
	return rc;
}

int store_poll_insert(const struct poll_row *p)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO polls (id, post_id, multiple, hide_totals, expires_at, options) "
				      "VALUES (?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_int64(st, 2, p->post_id);
	sqlite3_bind_int(st, 3, p->multiple);
	sqlite3_bind_int(st, 4, p->hide_totals);
	sqlite3_bind_int64(st, 5, p->expires_at);
	sq_bind_text(st, 6, p->options);
	return sq_exec(st);
}

int store_poll_by_post(int64_t post_id, struct poll_row *out)
{
	return poll_one(sq_prepare("SELECT " POLL_COLS " FROM polls WHERE post_id = ?"), post_id, out);
}

int store_poll_get(int64_t id, struct poll_row *out)
{
	return poll_one(sq_prepare("SELECT " POLL_COLS " FROM polls WHERE id = ?"), id, out);
}

int store_poll_replace(const struct poll_row *p)
{
	int rc = store_poll_delete_for_post(p->post_id);

	if (rc == STORE_ERROR)
		return rc;
	return store_poll_insert(p);
}

int store_poll_delete_for_post(int64_t post_id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM polls WHERE post_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	return sq_exec(st);
}

int store_poll_vote(int64_t poll_id, int64_t account_id, const int *choices, size_t n, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("SELECT 1 FROM poll_votes WHERE poll_id = ? AND account_id = ?");
	size_t i;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, poll_id);
	sqlite3_bind_int64(st, 2, account_id);
	rc = sq_step(st);
	sq_done(st);
	if (rc != STORE_NOTFOUND)
		return rc == STORE_OK ? STORE_CONFLICT : rc;
	for (i = 0; i < n; i++) {
		st = sq_prepare("INSERT INTO poll_votes (poll_id, account_id, choice, created_at) VALUES (?, ?, ?, ?)");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, poll_id);
		sqlite3_bind_int64(st, 2, account_id);
		sqlite3_bind_int(st, 3, choices[i]);
		sqlite3_bind_int64(st, 4, now_ms);
		rc = sq_exec(st);
		if (rc != STORE_OK)
			return rc;
	}
	st = sq_prepare("UPDATE polls SET voters_count = voters_count + 1 WHERE id = ?");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, poll_id);
	return sq_exec(st);
}

int store_poll_counts(int64_t poll_id, int64_t viewer_id, int64_t *counts, size_t n,
		      int64_t *votes_total, unsigned *own)
{
	sqlite3_stmt *st = sq_prepare("SELECT choice, count(*), max(account_id = ?2) FROM poll_votes "
				      "WHERE poll_id = ?1 GROUP BY choice");
	int rc;

	memset(counts, 0, n * sizeof *counts);
	*votes_total = 0;
	*own = 0;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, poll_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		int c = sqlite3_column_int(st, 0);

		if (c < 0 || (size_t)c >= n)
			continue;
		counts[c] = sqlite3_column_int64(st, 1);
		*votes_total += counts[c];
		if (sqlite3_column_int(st, 2))
			*own |= 1u << c;
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_poll_voters(int64_t poll_id, void (*fn)(int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT DISTINCT account_id FROM poll_votes WHERE poll_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, poll_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ---- notifications -------------------------------------------------- */

#define NOTE_COLS "id, account_id, from_account_id, type, coalesce(post_id, 0), emoji, created_at"

static void read_note(sqlite3_stmt *st, struct notification_row *n)
{
	memset(n, 0, sizeof *n);
	n->id = sqlite3_column_int64(st, 0);
	n->account_id = sqlite3_column_int64(st, 1);
	n->from_account_id = sqlite3_column_int64(st, 2);
	sq_col_text(st, 3, n->type, sizeof n->type);
	n->post_id = sqlite3_column_int64(st, 4);
	sq_col_text(st, 5, n->emoji, sizeof n->emoji);
	n->created_at = sqlite3_column_int64(st, 6);
}

int store_notification_insert(const struct notification_row *n)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO notifications (id, account_id, from_account_id, type, post_id, "
				      "emoji, created_at) VALUES (?, ?, ?, ?, nullif(?, 0), ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, n->id);
	sqlite3_bind_int64(st, 2, n->account_id);
	sqlite3_bind_int64(st, 3, n->from_account_id);
	sq_bind_text(st, 4, n->type);
	sqlite3_bind_int64(st, 5, n->post_id);
	sq_bind_text(st, 6, n->emoji);
	sqlite3_bind_int64(st, 7, n->created_at);
	return sq_exec(st);
}

int store_notification_get(int64_t account_id, int64_t id, struct notification_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " NOTE_COLS " FROM notifications WHERE account_id = ? AND id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_note(st, out);
	sq_done(st);
	return rc;
}

static int type_in(const char *t, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t, list[i]))
			return 1;
	return 0;
}

/* Type filters are applied here, in C, over a bounded scan: the number of
 * types is small and the statement stays fixed. */
int store_notification_list(const struct notification_query *q,
			    void (*fn)(const struct notification_row *, void *), void *ctx)
{
	int asc = q->min_id > 0;
	sqlite3_stmt *st = sq_prepare(asc
		? "SELECT " NOTE_COLS " FROM notifications WHERE account_id = ?1 AND id < ?2 AND id > ?3 "
		  "AND (?4 = 0 OR from_account_id = ?4) ORDER BY id ASC"
		: "SELECT " NOTE_COLS " FROM notifications WHERE account_id = ?1 AND id < ?2 AND id > ?3 "
		  "AND (?4 = 0 OR from_account_id = ?4) ORDER BY id DESC");
	struct notification_row *rows = NULL;
	size_t n = 0, i;
	int limit = q->limit > 0 ? q->limit : 20, rc = STORE_OK;
	int64_t low = q->min_id ? q->min_id : q->since_id;

	if (!st)
		return STORE_ERROR;
	rows = calloc((size_t)limit, sizeof *rows);
	if (!rows) {
		sq_done(st);
		return STORE_ERROR;
	}
	sqlite3_bind_int64(st, 1, q->account_id);
	sqlite3_bind_int64(st, 2, q->max_id > 0 ? q->max_id : INT64_MAX);
	sqlite3_bind_int64(st, 3, low > 0 ? low : 0);
	sqlite3_bind_int64(st, 4, q->from_account_id);
	while (n < (size_t)limit && (rc = sq_step(st)) == STORE_OK) {
		read_note(st, &rows[n]);
		if (q->ntypes && !type_in(rows[n].type, q->types, q->ntypes))
			continue;
		if (q->nexclude && type_in(rows[n].type, q->exclude, q->nexclude))
			continue;
		n++;
	}
	if (n < (size_t)limit && rc == STORE_ERROR) {
		sq_done(st);
		free(rows);
		return STORE_ERROR;
	}
	sq_done(st);
	for (i = 0; i < n; i++)
		fn(&rows[asc ? n - 1 - i : i], ctx);
	free(rows);
	return STORE_OK;
}

int store_notification_dismiss(int64_t account_id, int64_t id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM notifications WHERE account_id = ? AND id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, id);
	return sq_exec_changed(st);
}

int store_notification_clear(int64_t account_id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM notifications WHERE account_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	return sq_exec(st);
}

int64_t store_notification_count_after(int64_t account_id, int64_t after_id, int cap)
{
	sqlite3_stmt *st = sq_prepare("SELECT count(*) FROM (SELECT 1 FROM notifications "
				      "WHERE account_id = ? AND id > ? LIMIT ?)");
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, after_id);
	sqlite3_bind_int(st, 3, cap);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_notification_pref_set(int64_t account_id, const char *type, int enabled)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO notification_prefs (account_id, type, enabled) VALUES (?, ?, ?) "
				      "ON CONFLICT (account_id, type) DO UPDATE SET enabled = excluded.enabled");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sq_bind_text(st, 2, type);
	sqlite3_bind_int(st, 3, enabled);
	return sq_exec(st);
}

int store_notification_prefs(int64_t account_id, void (*fn)(const char *, int, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT type, enabled FROM notification_prefs WHERE account_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn((const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_notification_pref_enabled(int64_t account_id, const char *type)
{
	sqlite3_stmt *st = sq_prepare("SELECT enabled FROM notification_prefs WHERE account_id = ? AND type = ?");
	int enabled = 1;

	if (!st)
		return 1;
	sqlite3_bind_int64(st, 1, account_id);
	sq_bind_text(st, 2, type);
	if (sq_step(st) == STORE_OK)
		enabled = sqlite3_column_int(st, 0);
	sq_done(st);
	return enabled;
}

int store_marker_get(int64_t account_id, const char *timeline, struct marker_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT timeline, last_read_id, version, updated_at FROM markers "
				      "WHERE account_id = ? AND timeline = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sq_bind_text(st, 2, timeline);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		memset(out, 0, sizeof *out);
		sq_col_text(st, 0, out->timeline, sizeof out->timeline);
		out->last_read_id = sqlite3_column_int64(st, 1);
		out->version = sqlite3_column_int64(st, 2);
		out->updated_at = sqlite3_column_int64(st, 3);
	}
	sq_done(st);
	return rc;
}

int store_marker_set(int64_t account_id, const char *timeline, int64_t last_read_id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO markers (account_id, timeline, last_read_id, version, updated_at) VALUES (?, ?, ?, 1, ?) "
		"ON CONFLICT (account_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id, "
		"version = markers.version + 1, updated_at = excluded.updated_at");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sq_bind_text(st, 2, timeline);
	sqlite3_bind_int64(st, 3, last_read_id);
	sqlite3_bind_int64(st, 4, now_ms);
	return sq_exec(st);
}

/* ---- jobs ----------------------------------------------------------- */

int store_job_put(int64_t id, const char *kind, int64_t ref_id, int64_t run_at)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO jobs (id, kind, ref_id, run_at) VALUES (?, ?, ?, ?) "
		"ON CONFLICT (kind, ref_id) DO UPDATE SET run_at = excluded.run_at, attempts = 0");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, kind);
	sqlite3_bind_int64(st, 3, ref_id);
	sqlite3_bind_int64(st, 4, run_at);
	return sq_exec(st);
}

int store_job_claim(int64_t now_ms, int64_t lease_until, struct job_row *out)
{
	sqlite3_stmt *st = sq_prepare(
		"UPDATE jobs SET run_at = ?2, attempts = attempts + 1 WHERE id = "
		"(SELECT id FROM jobs WHERE run_at <= ?1 ORDER BY run_at LIMIT 1) "
		"RETURNING id, kind, ref_id, run_at, attempts");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, lease_until);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(st, 0);
		sq_col_text(st, 1, out->kind, sizeof out->kind);
		out->ref_id = sqlite3_column_int64(st, 2);
		out->run_at = sqlite3_column_int64(st, 3);
		out->attempts = sqlite3_column_int(st, 4);
		/* finish the statement so the write is complete */
		while (sqlite3_step(st) == SQLITE_ROW)
			;
	}
	sq_done(st);
	return rc;
}

int store_job_done(int64_t id, int64_t claimed_run_at)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM jobs WHERE id = ? AND run_at = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, claimed_run_at);
	return sq_exec(st);
}

int store_job_retry(int64_t id, int64_t run_at, const char *error)
{
	sqlite3_stmt *st = sq_prepare("UPDATE jobs SET run_at = ?, last_error = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, run_at);
	sq_bind_text(st, 2, error);
	sqlite3_bind_int64(st, 3, id);
	return sq_exec(st);
}

int store_job_next_at(int64_t *run_at)
{
	sqlite3_stmt *st = sq_prepare("SELECT min(run_at) FROM jobs");
	int rc;

	if (!st)
		return STORE_ERROR;
	rc = sq_step(st);
	if (rc == STORE_OK) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL)
			rc = STORE_NOTFOUND;
		else
			*run_at = sqlite3_column_int64(st, 0);
	}
	sq_done(st);
	return rc;
}
