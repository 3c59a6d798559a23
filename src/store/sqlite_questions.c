/*
 * sqlite_questions.c - questions, answers and answer votes in the SQLite
 * backend (see store_questions.h).
 *
 * Lists join `posts p` and apply AUD_SQL (?1 viewer, ?2 staff), so what a
 * viewer may not read never leaves the database. Optional filters are
 * written "(?N = '' OR ...)" so each statement is one fixed string; the
 * full-text filter has its own statements (an empty MATCH is an error).
 * questions_fts is an ordinary (not external-content) FTS5 table whose
 * rowid is the question's post id: insert, update and delete keep it in
 * step with the row.
 */
#include "store/store_questions.h"
#include "store/sqlite_internal.h"
#include "lib/buf.h"

#include <ctype.h>
#include <string.h>

#define Q_COLS "q.post_id, q.space_id, q.account_id, q.title, q.tags, q.state, q.close_reason, " \
	"q.close_note, q.duplicate_of, q.accepted_answer_id, q.policy_mode, q.target_ms, q.first_due_at, " \
	"q.due_at, q.escalation_level, q.escalations, q.asked_at, q.first_answer_at, q.first_answer_by, " \
	"q.resolved_at, q.closed_at"

static void read_question(sqlite3_stmt *st, struct question_row *q)
{
	memset(q, 0, sizeof *q);
	q->post_id = sqlite3_column_int64(st, 0);
	q->space_id = sqlite3_column_int64(st, 1);
	q->account_id = sqlite3_column_int64(st, 2);
	sq_col_text(st, 3, q->title, sizeof q->title);
	sq_col_text(st, 4, q->tags, sizeof q->tags);
	sq_col_text(st, 5, q->state, sizeof q->state);
	sq_col_text(st, 6, q->close_reason, sizeof q->close_reason);
	sq_col_text(st, 7, q->close_note, sizeof q->close_note);
	q->duplicate_of = sqlite3_column_int64(st, 8);
	q->accepted_answer_id = sqlite3_column_int64(st, 9);
	sq_col_text(st, 10, q->policy_mode, sizeof q->policy_mode);
	q->target_ms = sqlite3_column_int64(st, 11);
	q->first_due_at = sqlite3_column_int64(st, 12);
	q->due_at = sqlite3_column_int64(st, 13);
	q->escalation_level = sqlite3_column_int(st, 14);
	q->escalations = sqlite3_column_int(st, 15);
	q->asked_at = sqlite3_column_int64(st, 16);
	q->first_answer_at = sqlite3_column_int64(st, 17);
	q->first_answer_by = sqlite3_column_int64(st, 18);
	q->resolved_at = sqlite3_column_int64(st, 19);
	q->closed_at = sqlite3_column_int64(st, 20);
}

static int each_question(sqlite3_stmt *st, void (*fn)(const struct question_row *, void *), void *ctx)
{
	struct question_row q;
	int rc;

	while ((rc = sq_step(st)) == STORE_OK) {
		read_question(st, &q);
		fn(&q, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* Accepted answers are evidence in "who knows X": a change to them makes
 * the directory's cached rankings stale (people_search.c, "the cache"). */
static int bump_people_gen(void)
{
	sqlite3_stmt *st = sq_prepare("UPDATE people_meta SET gen = gen + 1 WHERE id = 1");

	return st ? sq_exec(st) : STORE_ERROR;
}

/* ---- questions ------------------------------------------------------------ */

int store_question_insert(const struct question_row *q, const char *body)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO questions (post_id, space_id, account_id, title, tags, state, asked_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6)");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, q->post_id);
	sqlite3_bind_int64(st, 2, q->space_id);
	sqlite3_bind_int64(st, 3, q->account_id);
	sq_bind_text(st, 4, q->title);
	sq_bind_text(st, 5, q->tags);
	sqlite3_bind_int64(st, 6, q->asked_at);
	rc = sq_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sq_prepare("INSERT INTO questions_fts (rowid, title, body, tags) VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, q->post_id);
	sq_bind_text(st, 2, q->title);
	sq_bind_text(st, 3, body);
	sq_bind_text(st, 4, q->tags);
	return sq_exec(st);
}

int store_question_get(int64_t post_id, struct question_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " Q_COLS " FROM questions q WHERE q.post_id = ?1");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_question(st, out);
	sq_done(st);
	return rc;
}

int store_question_set_text(int64_t post_id, const char *title, const char *tags, const char *body)
{
	sqlite3_stmt *st = sq_prepare("UPDATE questions SET title = ?2, tags = ?3 WHERE post_id = ?1");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sq_bind_text(st, 2, title);
	sq_bind_text(st, 3, tags);
	rc = sq_exec_changed(st);
	if (rc != STORE_OK)
		return rc;
	if (sq_exec_ids("DELETE FROM questions_fts WHERE rowid = ?1", post_id, 0) == STORE_ERROR)
		return STORE_ERROR;
	st = sq_prepare("INSERT INTO questions_fts (rowid, title, body, tags) VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sq_bind_text(st, 2, title);
	sq_bind_text(st, 3, body);
	sq_bind_text(st, 4, tags);
	return sq_exec(st);
}

int store_question_sync_post(int64_t post_id, const char *title, const char *body)
{
	struct question_row q;
	int rc = store_question_get(post_id, &q);

	if (rc == STORE_NOTFOUND)
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	return store_question_set_text(post_id, title && title[0] ? title : q.title, q.tags, body);
}

int store_question_set_state(const struct question_row *q)
{
	sqlite3_stmt *st = sq_prepare(
		"UPDATE questions SET state = ?2, close_reason = ?3, close_note = ?4, duplicate_of = ?5,"
		" accepted_answer_id = ?6, resolved_at = ?7, closed_at = ?8 WHERE post_id = ?1");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, q->post_id);
	sq_bind_text(st, 2, q->state);
	sq_bind_text(st, 3, q->close_reason);
	sq_bind_text(st, 4, q->close_note);
	sqlite3_bind_int64(st, 5, q->duplicate_of);
	sqlite3_bind_int64(st, 6, q->accepted_answer_id);
	sqlite3_bind_int64(st, 7, q->resolved_at);
	sqlite3_bind_int64(st, 8, q->closed_at);
	return sq_exec_changed(st);
}

int store_question_refresh(int64_t post_id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare(
		"UPDATE questions SET"
		" accepted_answer_id = coalesce((SELECT a.post_id FROM answers a WHERE a.question_id = ?1"
		"   AND a.accepted_at > 0 ORDER BY a.accepted_at DESC LIMIT 1), 0),"
		" state = CASE WHEN state = 'closed' THEN 'closed'"
		"   WHEN EXISTS (SELECT 1 FROM answers a WHERE a.question_id = ?1 AND a.accepted_at > 0) THEN 'resolved'"
		"   WHEN EXISTS (SELECT 1 FROM answers a WHERE a.question_id = ?1) THEN 'answered'"
		"   ELSE 'open' END,"
		" resolved_at = CASE WHEN EXISTS (SELECT 1 FROM answers a WHERE a.question_id = ?1 AND a.accepted_at > 0)"
		"   THEN (CASE WHEN resolved_at > 0 THEN resolved_at ELSE ?2 END) ELSE 0 END"
		" WHERE post_id = ?1");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, now_ms);
	return sq_exec_changed(st);
}

int store_question_answered(int64_t post_id, int64_t by, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare(
		"UPDATE questions SET due_at = 0,"
		" first_answer_by = CASE WHEN first_answer_at = 0 THEN ?2 ELSE first_answer_by END,"
		" first_answer_at = CASE WHEN first_answer_at = 0 THEN ?3 ELSE first_answer_at END,"
		" state = CASE WHEN state = 'open' THEN 'answered' ELSE state END"
		" WHERE post_id = ?1");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, by);
	sqlite3_bind_int64(st, 3, now_ms);
	return sq_exec_changed(st);
}

int store_question_post_deleting(int64_t post_id, int64_t now_ms)
{
	struct answer_row a;
	int rc;

	if (sq_exec_ids("DELETE FROM questions_fts WHERE rowid = ?1", post_id, 0) == STORE_ERROR)
		return STORE_ERROR;
	rc = store_answer_get(post_id, &a);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	if (sq_exec_ids("DELETE FROM answers WHERE post_id = ?1", post_id, 0) == STORE_ERROR)
		return STORE_ERROR;
	if (a.accepted_at && bump_people_gen() != STORE_OK)
		return STORE_ERROR;
	rc = store_question_refresh(a.question_id, now_ms);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ?1 viewer, ?2 staff, ?3 max_id, ?4 limit, ?5 space (0 any), ?6 outside
 * spaces, ?7 state, ?8 tag, ?9 asker, ?10 match */
#define Q_LIST_WHERE \
	" WHERE q.post_id < ?3 AND (?5 = 0 OR q.space_id = ?5) AND (?6 = 0 OR q.space_id = 0)" \
	" AND (?7 = '' OR q.state = ?7) AND (?8 = '' OR instr(' ' || q.tags || ' ', ' ' || ?8 || ' ') > 0)" \
	" AND (?9 = 0 OR q.account_id = ?9) AND " AUD_SQL

int store_question_list(const struct question_query *qq,
			void (*fn)(const struct question_row *, void *), void *ctx)
{
	int fts = qq->match && qq->match[0];
	sqlite3_stmt *st = sq_prepare(fts
		? "SELECT " Q_COLS " FROM questions q CROSS JOIN posts p ON p.id = q.post_id" Q_LIST_WHERE
		  " AND q.post_id IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ?10)"
		  " ORDER BY q.post_id DESC LIMIT ?4"
		: "SELECT " Q_COLS " FROM questions q CROSS JOIN posts p ON p.id = q.post_id" Q_LIST_WHERE
		  " AND (?10 = ?10) ORDER BY q.post_id DESC LIMIT ?4");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, qq->aud.viewer_id);
	sqlite3_bind_int(st, 2, qq->aud.staff);
	sqlite3_bind_int64(st, 3, qq->max_id > 0 ? qq->max_id : INT64_MAX);
	sqlite3_bind_int(st, 4, qq->limit > 0 ? qq->limit : 20);
	sqlite3_bind_int64(st, 5, qq->space_id);
	sqlite3_bind_int(st, 6, qq->outside_spaces);
	sq_bind_text(st, 7, qq->state ? qq->state : "");
	sq_bind_text(st, 8, qq->tag ? qq->tag : "");
	sqlite3_bind_int64(st, 9, qq->asker_id);
	sq_bind_text(st, 10, fts ? qq->match : "");
	return each_question(st, fn, ctx);
}

int store_question_similar(const struct store_audience *aud, const char *match, int limit,
			   void (*fn)(const struct question_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT " Q_COLS " FROM (SELECT rowid AS id, bm25(questions_fts, 5.0, 1.0, 3.0) AS score"
		"   FROM questions_fts WHERE questions_fts MATCH ?3) f"
		" CROSS JOIN questions q ON q.post_id = f.id CROSS JOIN posts p ON p.id = q.post_id"
		" WHERE q.state IN ('answered', 'resolved') AND " AUD_SQL
		" ORDER BY f.score, q.post_id DESC LIMIT ?4");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, aud->viewer_id);
	sqlite3_bind_int(st, 2, aud->staff);
	sq_bind_text(st, 3, match);
	sqlite3_bind_int(st, 4, limit > 0 ? limit : 5);
	return each_question(st, fn, ctx);
}

/* ---- answers -------------------------------------------------------------- */

#define A_COLS "a.post_id, a.question_id, a.account_id, a.upvotes, a.downvotes, a.accepted_at, a.created_at"

static void read_answer(sqlite3_stmt *st, struct answer_row *a)
{
	memset(a, 0, sizeof *a);
	a->post_id = sqlite3_column_int64(st, 0);
	a->question_id = sqlite3_column_int64(st, 1);
	a->account_id = sqlite3_column_int64(st, 2);
	a->upvotes = sqlite3_column_int64(st, 3);
	a->downvotes = sqlite3_column_int64(st, 4);
	a->accepted_at = sqlite3_column_int64(st, 5);
	a->created_at = sqlite3_column_int64(st, 6);
}

int store_answer_insert(const struct answer_row *a)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO answers (post_id, question_id, account_id, created_at) VALUES (?1, ?2, ?3, ?4)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a->post_id);
	sqlite3_bind_int64(st, 2, a->question_id);
	sqlite3_bind_int64(st, 3, a->account_id);
	sqlite3_bind_int64(st, 4, a->created_at);
	return sq_exec(st);
}

int store_answer_get(int64_t post_id, struct answer_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " A_COLS " FROM answers a WHERE a.post_id = ?1");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_answer(st, out);
	sq_done(st);
	return rc;
}

int store_answer_list(const struct store_audience *aud, int64_t question_id,
		      void (*fn)(const struct answer_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT " A_COLS " FROM answers a CROSS JOIN posts p ON p.id = a.post_id"
		" WHERE a.question_id = ?3 AND " AUD_SQL
		" ORDER BY (a.accepted_at > 0) DESC, (a.upvotes - a.downvotes) DESC, a.post_id ASC LIMIT 500");
	struct answer_row a;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, aud->viewer_id);
	sqlite3_bind_int(st, 2, aud->staff);
	sqlite3_bind_int64(st, 3, question_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		read_answer(st, &a);
		fn(&a, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int64_t store_answer_count_visible(const struct store_audience *aud, int64_t question_id)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT count(*) FROM answers a CROSS JOIN posts p ON p.id = a.post_id WHERE a.question_id = ?3 AND " AUD_SQL);
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, aud->viewer_id);
	sqlite3_bind_int(st, 2, aud->staff);
	sqlite3_bind_int64(st, 3, question_id);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_answer_vote(int64_t answer_id, int64_t account_id, int value, int64_t now_ms)
{
	sqlite3_stmt *st;
	int rc;

	if (value) {
		st = sq_prepare("INSERT INTO answer_votes (answer_id, account_id, value, created_at) VALUES (?1, ?2, ?3, ?4)"
				" ON CONFLICT (answer_id, account_id) DO UPDATE SET value = excluded.value,"
				" created_at = excluded.created_at");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, answer_id);
		sqlite3_bind_int64(st, 2, account_id);
		sqlite3_bind_int(st, 3, value > 0 ? 1 : -1);
		sqlite3_bind_int64(st, 4, now_ms);
		rc = sq_exec(st);
	} else {
		rc = sq_exec_ids("DELETE FROM answer_votes WHERE answer_id = ?1 AND account_id = ?2", answer_id, account_id);
		if (rc == STORE_NOTFOUND)
			rc = STORE_OK;
	}
	if (rc != STORE_OK)
		return rc;
	return sq_exec_ids("UPDATE answers SET"
			   " upvotes = (SELECT count(*) FROM answer_votes WHERE answer_id = ?1 AND value > 0),"
			   " downvotes = (SELECT count(*) FROM answer_votes WHERE answer_id = ?1 AND value < 0)"
			   " WHERE post_id = ?1", answer_id, 0);
}

int store_answer_my_vote(int64_t answer_id, int64_t account_id, int *value)
{
	sqlite3_stmt *st = sq_prepare("SELECT value FROM answer_votes WHERE answer_id = ?1 AND account_id = ?2");
	int rc;

	*value = 0;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, answer_id);
	sqlite3_bind_int64(st, 2, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		*value = sqlite3_column_int(st, 0);
	sq_done(st);
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

int store_answer_accept(int64_t question_id, int64_t answer_id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare(
		"UPDATE answers SET accepted_at = CASE WHEN post_id = ?2 THEN"
		" (CASE WHEN accepted_at > 0 THEN accepted_at ELSE ?3 END) ELSE 0 END WHERE question_id = ?1");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, question_id);
	sqlite3_bind_int64(st, 2, answer_id);
	sqlite3_bind_int64(st, 3, now_ms);
	if (sq_exec(st) != STORE_OK)
		return STORE_ERROR;
	return bump_people_gen();
}

/* The same filters for both plans below: the post's audience, then the
 * exact tag test (tags are stored space-separated). */
#define ACCEPTED_WHERE \
	" a.accepted_at > 0" \
	" AND (p.audience = 'public' OR (p.audience = 'organisation' AND ?9 <> 0)" \
	"  OR (p.audience = 'space' AND EXISTS (SELECT 1 FROM spaces sp WHERE sp.id = p.space_id" \
	"      AND (sp.kind = 'public' OR (sp.kind = 'internal' AND sp.access = 'open' AND ?9 <> 0)))))" \
	" AND (instr(' ' || q.tags || ' ', ' ' || ?1 || ' ') > 0 OR instr(' ' || q.tags || ' ', ' ' || ?2 || ' ') > 0" \
	"  OR instr(' ' || q.tags || ' ', ' ' || ?3 || ' ') > 0 OR instr(' ' || q.tags || ' ', ' ' || ?4 || ' ') > 0" \
	"  OR instr(' ' || q.tags || ' ', ' ' || ?5 || ' ') > 0 OR instr(' ' || q.tags || ' ', ' ' || ?6 || ' ') > 0" \
	"  OR instr(' ' || q.tags || ' ', ' ' || ?7 || ' ') > 0 OR instr(' ' || q.tags || ' ', ' ' || ?8 || ' ') > 0)" \
	" GROUP BY a.account_id"

/* An FTS5 query for the questions whose tags column has every word of
 * one of the tags, as a phrase: `tags : ("project management" OR "sql")`.
 * A superset of the exact test (the tokenizer splits "node.js" and stems
 * words), which ACCEPTED_WHERE then applies. 0, or -1 when a tag has no
 * word to look for (only punctuation) or it does not fit. */
static int tags_match_expr(const char *const *tags, size_t n, char *out, size_t cap)
{
	struct buf b = BUF_INIT;
	size_t i;
	int ok = 1;

	buf_puts(&b, "tags : (");
	for (i = 0; i < n && ok; i++) {
		const unsigned char *t = (const unsigned char *)tags[i];
		int words = 0, in_word = 0;

		buf_puts(&b, i ? " OR \"" : "\"");
		for (; *t; t++) {
			int word_char = isalnum(*t) || *t >= 0x80;

			if (word_char && !in_word && words)
				buf_putc(&b, ' ');
			if (word_char) {
				buf_putc(&b, (char)*t);
				words += !in_word;
			}
			in_word = word_char;
		}
		buf_putc(&b, '"');
		ok = words > 0;
	}
	buf_putc(&b, ')');
	ok = ok && !b.failed && b.len < cap;
	if (ok)
		memcpy(out, buf_str(&b), b.len + 1);
	buf_release(&b);
	return ok ? 0 : -1;
}

int store_accepted_answers_by_tags(const char *const *tags, size_t n, int staff,
				   void (*fn)(int64_t account_id, int64_t count, void *), void *ctx)
{
	char match[1024];
	int indexed = n > 0 && tags_match_expr(tags, n < 8 ? n : 8, match, sizeof match) == 0;
	/* From the full-text index to the few questions with the tags, then
	 * their accepted answers: O(those questions). Without a usable
	 * expression, every accepted answer is tested (O(answers): 0.5 s a
	 * request at size L; docs/PERFORMANCE.md), with answers outermost. */
	sqlite3_stmt *st = sq_prepare(indexed
		? "SELECT a.account_id, count(*) FROM questions_fts"
		  " CROSS JOIN questions q ON q.post_id = questions_fts.rowid"
		  " CROSS JOIN answers a ON a.question_id = q.post_id"
		  " CROSS JOIN posts p ON p.id = a.post_id"
		  " WHERE questions_fts MATCH ?10 AND" ACCEPTED_WHERE
		: "SELECT a.account_id, count(*) FROM answers a CROSS JOIN questions q ON q.post_id = a.question_id"
		  " CROSS JOIN posts p ON p.id = a.post_id"
		  " WHERE" ACCEPTED_WHERE);
	size_t i;
	int rc;

	if (!st)
		return STORE_ERROR;
	if (n == 0) {
		sq_done(st);
		return STORE_OK;
	}
	/* an unused slot gets a value no tag can be (tags hold no space) */
	for (i = 0; i < 8; i++)
		sq_bind_text(st, (int)i + 1, i < n && tags[i][0] ? tags[i] : " ");
	sqlite3_bind_int(st, 9, staff);
	if (indexed)
		sq_bind_text(st, 10, match);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_answers_by_account(int64_t account_id, int staff, int64_t *answers, int64_t *accepted)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT count(*), COALESCE(SUM(a.accepted_at > 0), 0) FROM answers a CROSS JOIN posts p ON p.id = a.post_id"
		" WHERE a.account_id = ?1"
		" AND (p.audience = 'public' OR (p.audience = 'organisation' AND ?2 <> 0)"
		"  OR (p.audience = 'space' AND EXISTS (SELECT 1 FROM spaces sp WHERE sp.id = p.space_id"
		"      AND (sp.kind = 'public' OR (sp.kind = 'internal' AND sp.access = 'open' AND ?2 <> 0)))))");
	int rc;

	*answers = *accepted = 0;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int(st, 2, staff);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		*answers = sqlite3_column_int64(st, 0);
		*accepted = sqlite3_column_int64(st, 1);
	}
	sq_done(st);
	return rc == STORE_ERROR ? rc : STORE_OK;
}

