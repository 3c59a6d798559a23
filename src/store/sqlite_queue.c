/*
 * sqlite_queue.c - the listeners' queue in SQLite (see store_queue.h).
 *
 * A list names its scopes as a JSON array bound to one parameter and read
 * with json_each(), so one prepared statement serves any number of them.
 */
#include "store/store_queue.h"
#include "store/store.h"
#include "store/sqlite_internal.h"
#include "lib/buf.h"

#include <string.h>

#define ITEM_COLS "qi.id, qi.kind, qi.post_id, qi.space_id, qi.state, qi.assignee_id, qi.assigned_at," \
	" qi.snoozed_until, qi.matched, qi.close_reason, qi.created_at, qi.updated_at"

static void read_item(sqlite3_stmt *st, struct queue_item_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	sq_col_text(st, 1, r->kind, sizeof r->kind);
	r->post_id = sqlite3_column_int64(st, 2);
	r->space_id = sqlite3_column_int64(st, 3);
	sq_col_text(st, 4, r->state, sizeof r->state);
	r->assignee_id = sqlite3_column_int64(st, 5);
	r->assigned_at = sqlite3_column_int64(st, 6);
	r->snoozed_until = sqlite3_column_int64(st, 7);
	sq_col_text(st, 8, r->matched, sizeof r->matched);
	sq_col_text(st, 9, r->close_reason, sizeof r->close_reason);
	r->created_at = sqlite3_column_int64(st, 10);
	r->updated_at = sqlite3_column_int64(st, 11);
}

static int fetch_item(sqlite3_stmt *st, struct queue_item_row *out)
{
	int rc = sq_step(st);

	if (rc == STORE_OK)
		read_item(st, out);
	sq_done(st);
	return rc;
}

int store_queue_item_insert(const struct queue_item_row *r)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO queue_items (id, kind, post_id, space_id, state, assignee_id, assigned_at,"
		" snoozed_until, matched, close_reason, created_at, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, r->id);
	sq_bind_text(st, 2, r->kind);
	sqlite3_bind_int64(st, 3, r->post_id);
	sqlite3_bind_int64(st, 4, r->space_id);
	sq_bind_text(st, 5, r->state[0] ? r->state : "open");
	sqlite3_bind_int64(st, 6, r->assignee_id);
	sqlite3_bind_int64(st, 7, r->assigned_at);
	sqlite3_bind_int64(st, 8, r->snoozed_until);
	sq_bind_text(st, 9, r->matched);
	sq_bind_text(st, 10, r->close_reason);
	sqlite3_bind_int64(st, 11, r->created_at);
	sqlite3_bind_int64(st, 12, r->updated_at);
	return sq_exec(st);
}

int store_queue_item_get(int64_t id, struct queue_item_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " ITEM_COLS " FROM queue_items qi WHERE qi.id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return fetch_item(st, out);
}

int store_queue_item_find(const char *kind, int64_t post_id, int64_t space_id, struct queue_item_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " ITEM_COLS " FROM queue_items qi"
				      " WHERE qi.kind = ? AND qi.post_id = ? AND qi.space_id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, post_id);
	sqlite3_bind_int64(st, 3, space_id);
	return fetch_item(st, out);
}

int store_queue_item_of_question(int64_t question_id, struct queue_item_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " ITEM_COLS " FROM queue_items qi"
				      " WHERE qi.kind = 'question' AND qi.post_id = ? ORDER BY qi.id LIMIT 1");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, question_id);
	return fetch_item(st, out);
}

int store_queue_item_update(const struct queue_item_row *r)
{
	sqlite3_stmt *st = sq_prepare(
		"UPDATE queue_items SET state = ?, assignee_id = ?, assigned_at = ?, snoozed_until = ?,"
		" close_reason = ?, updated_at = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, r->state);
	sqlite3_bind_int64(st, 2, r->assignee_id);
	sqlite3_bind_int64(st, 3, r->assigned_at);
	sqlite3_bind_int64(st, 4, r->snoozed_until);
	sq_bind_text(st, 5, r->close_reason);
	sqlite3_bind_int64(st, 6, r->updated_at);
	sqlite3_bind_int64(st, 7, r->id);
	return sq_exec_changed(st);
}

int store_queue_action_insert(const struct queue_action_row *r)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO queue_actions (id, item_id, actor_id, action, detail, created_at)"
				      " VALUES (?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->item_id);
	sqlite3_bind_int64(st, 3, r->actor_id);
	sq_bind_text(st, 4, r->action);
	sq_bind_text(st, 5, r->detail);
	sqlite3_bind_int64(st, 6, r->created_at);
	return sq_exec(st);
}

int store_queue_actions(int64_t item_id, void (*fn)(const struct queue_action_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, item_id, actor_id, action, detail, created_at"
				      " FROM queue_actions WHERE item_id = ? ORDER BY id LIMIT 1000");
	struct queue_action_row r;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, item_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		r.id = sqlite3_column_int64(st, 0);
		r.item_id = sqlite3_column_int64(st, 1);
		r.actor_id = sqlite3_column_int64(st, 2);
		sq_col_text(st, 3, r.action, sizeof r.action);
		sq_col_text(st, 4, r.detail, sizeof r.detail);
		r.created_at = sqlite3_column_int64(st, 5);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : STORE_ERROR;
}

int store_queue_list(const struct queue_query *q, void (*fn)(const struct queue_item_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT " ITEM_COLS " FROM queue_items qi"
		" LEFT JOIN questions q ON qi.kind = 'question' AND q.post_id = qi.post_id"
		" WHERE (?1 <> 0 OR qi.space_id IN (SELECT value FROM json_each(?2)))"
		" AND (?3 = 0 OR (?3 > 0 AND qi.space_id = ?3) OR (?3 < 0 AND qi.space_id = 0))"
		" AND (?4 = 0 OR qi.id < ?4)"
		" AND CASE ?5"
		"  WHEN 0 THEN qi.state = 'open' AND qi.assignee_id = 0 AND qi.snoozed_until <= ?6"
		"  WHEN 1 THEN qi.state = 'open' AND qi.assignee_id <> 0 AND qi.snoozed_until <= ?6"
		"  WHEN 2 THEN qi.state = 'open' AND qi.assignee_id = ?7 AND qi.snoozed_until <= ?6"
		"  WHEN 3 THEN qi.state = 'open' AND qi.snoozed_until <= ?6 AND q.state = 'open'"
		"   AND ((q.due_at > 0 AND q.due_at <= ?6) OR q.escalation_level >= 2)"
		"  WHEN 4 THEN qi.state = 'open' AND qi.snoozed_until <= ?6 AND q.state = 'answered'"
		"  WHEN 5 THEN qi.state = 'open' AND qi.snoozed_until <= ?6 AND qi.kind IN ('mention', 'keyword')"
		"  WHEN 6 THEN qi.state = 'closed'"
		"  ELSE 1 END"
		" ORDER BY qi.id DESC LIMIT ?8");
	struct queue_item_row r;
	struct buf scopes = BUF_INIT;
	int rc, i;

	if (!st)
		return STORE_ERROR;
	buf_putc(&scopes, '[');
	for (i = 0; !q->all_scopes && i < q->nspaces; i++)
		buf_printf(&scopes, "%s%lld", i ? "," : "", (long long)q->spaces[i]);
	buf_putc(&scopes, ']');
	sqlite3_bind_int(st, 1, q->all_scopes);
	sq_bind_text(st, 2, buf_str(&scopes));
	sqlite3_bind_int64(st, 3, q->space_id);
	sqlite3_bind_int64(st, 4, q->max_id);
	sqlite3_bind_int(st, 5, (int)q->view);
	sqlite3_bind_int64(st, 6, q->now);
	sqlite3_bind_int64(st, 7, q->me);
	sqlite3_bind_int(st, 8, q->limit);
	while ((rc = sq_step(st)) == STORE_OK) {
		read_item(st, &r);
		fn(&r, ctx);
	}
	sq_done(st);
	buf_release(&scopes);
	return rc == STORE_NOTFOUND ? STORE_OK : STORE_ERROR;
}
