/*
 * sqlite_metrics.c - the question and answer rows behind the metrics, in
 * the SQLite backend (store_metrics.h).
 *
 * Both queries filter by AUD_SQL (?1 viewer, ?2 staff) on the question's
 * post; the answer query also on the answer's own post (blocks between the
 * viewer and the answerer hide the answer). The scope is "(?3 < 0 OR
 * q.space_id = ?3)", the window ?4 <= t < ?5, so each statement is one
 * fixed string prepared once per connection.
 */
#include "store/store_metrics.h"
#include "store/sqlite_internal.h"

#include <string.h>

static void bind_common(sqlite3_stmt *st, const struct store_audience *aud, int64_t space_id,
			int64_t from_ms, int64_t to_ms)
{
	sqlite3_bind_int64(st, 1, aud->viewer_id);
	sqlite3_bind_int(st, 2, aud->staff);
	sqlite3_bind_int64(st, 3, space_id);
	sqlite3_bind_int64(st, 4, from_ms);
	sqlite3_bind_int64(st, 5, to_ms);
}

int store_metrics_questions(const struct store_audience *aud, int64_t space_id,
			    int64_t from_ms, int64_t to_ms,
			    void (*fn)(const struct metrics_question_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT q.post_id, q.space_id, q.state, q.asked_at, q.first_answer_at, q.first_answer_by,"
		" q.resolved_at, q.closed_at, q.target_ms, q.first_due_at, q.escalations"
		" FROM questions q CROSS JOIN posts p ON p.id = q.post_id"
		" WHERE (?3 < 0 OR q.space_id = ?3)"
		" AND ((q.asked_at >= ?4 AND q.asked_at < ?5)"
		"  OR (q.first_answer_at >= ?4 AND q.first_answer_at < ?5)"
		"  OR (q.resolved_at >= ?4 AND q.resolved_at < ?5))"
		" AND " AUD_SQL
		" ORDER BY q.asked_at, q.post_id");
	int rc;

	if (!st)
		return STORE_ERROR;
	bind_common(st, aud, space_id, from_ms, to_ms);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct metrics_question_row r;

		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(st, 0);
		r.space_id = sqlite3_column_int64(st, 1);
		sq_col_text(st, 2, r.state, sizeof r.state);
		r.asked_at = sqlite3_column_int64(st, 3);
		r.first_answer_at = sqlite3_column_int64(st, 4);
		r.first_answer_by = sqlite3_column_int64(st, 5);
		r.resolved_at = sqlite3_column_int64(st, 6);
		r.closed_at = sqlite3_column_int64(st, 7);
		r.target_ms = sqlite3_column_int64(st, 8);
		r.first_due_at = sqlite3_column_int64(st, 9);
		r.escalations = sqlite3_column_int64(st, 10);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_metrics_answers(const struct store_audience *aud, int64_t space_id,
			  int64_t from_ms, int64_t to_ms,
			  void (*fn)(const struct metrics_answer_row *, void *), void *ctx)
{
	/* the outer AUD_SQL is on the answer's post (alias p); the inner one,
	 * in the sub-select, on the question's post (its own alias p) */
	sqlite3_stmt *st = sq_prepare(
		"SELECT a.post_id, a.question_id, a.account_id, a.created_at, a.accepted_at"
		" FROM answers a CROSS JOIN posts p ON p.id = a.post_id"
		" WHERE ((a.created_at >= ?4 AND a.created_at < ?5)"
		"  OR (a.accepted_at >= ?4 AND a.accepted_at < ?5))"
		" AND " AUD_SQL
		" AND a.question_id IN (SELECT q.post_id FROM questions q CROSS JOIN posts p ON p.id = q.post_id"
		"   WHERE (?3 < 0 OR q.space_id = ?3) AND " AUD_SQL ")"
		" ORDER BY a.created_at, a.post_id");
	int rc;

	if (!st)
		return STORE_ERROR;
	bind_common(st, aud, space_id, from_ms, to_ms);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct metrics_answer_row r;

		r.id = sqlite3_column_int64(st, 0);
		r.question_id = sqlite3_column_int64(st, 1);
		r.account_id = sqlite3_column_int64(st, 2);
		r.created_at = sqlite3_column_int64(st, 3);
		r.accepted_at = sqlite3_column_int64(st, 4);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}
