/*
 * sqlite_routing.c - routing policies, candidates, the facts routing
 * weighs and the routing columns of questions, in SQLite (see
 * store_routing.h).
 */
#include "store/store_routing.h"
#include "store/store.h"
#include "store/sqlite_internal.h"

#include <string.h>

/* ---- policies ------------------------------------------------------------ */

int store_routing_policy_get(int64_t space_id, struct routing_policy_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT space_id, mode, top_n, target_ms, working_hours, max_open,"
				      " updated_by, updated_at FROM routing_policies WHERE space_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		memset(out, 0, sizeof *out);
		out->space_id = sqlite3_column_int64(st, 0);
		sq_col_text(st, 1, out->mode, sizeof out->mode);
		out->top_n = sqlite3_column_int(st, 2);
		out->target_ms = sqlite3_column_int64(st, 3);
		out->working_hours = sqlite3_column_int(st, 4);
		out->max_open = sqlite3_column_int(st, 5);
		out->updated_by = sqlite3_column_int64(st, 6);
		out->updated_at = sqlite3_column_int64(st, 7);
	}
	sq_done(st);
	return rc;
}

int store_routing_policy_put(const struct routing_policy_row *p)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO routing_policies (space_id, mode, top_n, target_ms, working_hours, max_open,"
		" updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (space_id) DO UPDATE SET"
		" mode = excluded.mode, top_n = excluded.top_n, target_ms = excluded.target_ms,"
		" working_hours = excluded.working_hours, max_open = excluded.max_open,"
		" updated_by = excluded.updated_by, updated_at = excluded.updated_at");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, p->space_id);
	sq_bind_text(st, 2, p->mode);
	sqlite3_bind_int(st, 3, p->top_n);
	sqlite3_bind_int64(st, 4, p->target_ms);
	sqlite3_bind_int(st, 5, p->working_hours);
	sqlite3_bind_int(st, 6, p->max_open);
	sqlite3_bind_int64(st, 7, p->updated_by);
	sqlite3_bind_int64(st, 8, p->updated_at);
	return sq_exec(st);
}

/* ---- candidates ---------------------------------------------------------- */

int store_candidates_clear(int64_t question_id)
{
	int rc = sq_exec_ids("DELETE FROM question_candidates WHERE question_id = ?", question_id, 0);

	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_candidate_insert(const struct candidate_row *c)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO question_candidates (question_id, account_id, rank, score, reasons, notified_level)"
		" VALUES (?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, c->question_id);
	sqlite3_bind_int64(st, 2, c->account_id);
	sqlite3_bind_int(st, 3, c->rank);
	sqlite3_bind_double(st, 4, c->score);
	sq_bind_text(st, 5, c->reasons);
	sqlite3_bind_int(st, 6, c->notified_level);
	return sq_exec(st);
}

int store_candidates(int64_t question_id, void (*fn)(const struct candidate_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT question_id, account_id, rank, score, reasons, notified_level FROM question_candidates"
		" WHERE question_id = ? ORDER BY rank");
	struct candidate_row c;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, question_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		c.question_id = sqlite3_column_int64(st, 0);
		c.account_id = sqlite3_column_int64(st, 1);
		c.rank = sqlite3_column_int(st, 2);
		c.score = sqlite3_column_double(st, 3);
		sq_col_text(st, 4, c.reasons, sizeof c.reasons);
		c.notified_level = sqlite3_column_int(st, 5);
		fn(&c, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : STORE_ERROR;
}

int store_candidate_notified(int64_t question_id, int64_t account_id, int level)
{
	sqlite3_stmt *st = sq_prepare("UPDATE question_candidates SET notified_level = ?"
				      " WHERE question_id = ? AND account_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, level);
	sqlite3_bind_int64(st, 2, question_id);
	sqlite3_bind_int64(st, 3, account_id);
	return sq_exec(st);
}

/* ---- facts about people -------------------------------------------------- */

int store_routing_person(int64_t account_id, struct routing_person *out)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT coalesce(p.away_until, 0), coalesce(p.timezone, ''), coalesce(p.working_hours, ''),"
		" (SELECT count(*) FROM queue_items qi WHERE qi.assignee_id = a.id AND qi.state = 'open')"
		" FROM accounts a LEFT JOIN profiles p ON p.account_id = a.id WHERE a.id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		memset(out, 0, sizeof *out);
		out->away_until = sqlite3_column_int64(st, 0);
		sq_col_text(st, 1, out->timezone, sizeof out->timezone);
		sq_col_text(st, 2, out->working_hours, sizeof out->working_hours);
		out->open_assignments = sqlite3_column_int64(st, 3);
	}
	sq_done(st);
	return rc;
}

int store_routing_accepted_on_tag(const char *tag, void (*fn)(int64_t account_id, int64_t n, void *),
				  void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT an.account_id, count(*) FROM answers an JOIN questions q ON q.post_id = an.question_id"
		" WHERE an.accepted_at > 0 AND instr(' ' || q.tags || ' ', ' ' || ? || ' ') > 0"
		" GROUP BY an.account_id");
	int rc;

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, tag);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : STORE_ERROR;
}

/* ---- the routing columns of questions ------------------------------------ */

int store_routing_question_start(int64_t question_id, const char *mode, int64_t target_ms,
				 int64_t first_due_at, int64_t due_at)
{
	sqlite3_stmt *st = sq_prepare("UPDATE questions SET policy_mode = ?, target_ms = ?, first_due_at = ?,"
				      " due_at = ? WHERE post_id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, mode);
	sqlite3_bind_int64(st, 2, target_ms);
	sqlite3_bind_int64(st, 3, first_due_at);
	sqlite3_bind_int64(st, 4, due_at);
	sqlite3_bind_int64(st, 5, question_id);
	return sq_exec_changed(st);
}

int store_routing_question_escalate(int64_t question_id, int level, int64_t due_at)
{
	sqlite3_stmt *st = sq_prepare("UPDATE questions SET escalation_level = ?, escalations = escalations + 1,"
				      " due_at = ? WHERE post_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, level);
	sqlite3_bind_int64(st, 2, due_at);
	sqlite3_bind_int64(st, 3, question_id);
	return sq_exec_changed(st);
}

