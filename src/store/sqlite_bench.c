/*
 * sqlite_bench.c - the SQLite side of store_bench.h: bulk mode and the few
 * rows the benchmark data generator (bench/seed.c) writes without the
 * per-row functions (whole question, answer and idea rows in their final
 * state, votes without the recount each one does). Only the generator
 * calls these.
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

int store_bench_question_insert(const struct question_row *q, const char *body)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO questions (post_id, space_id, account_id, title, tags, state, close_reason,"
		" close_note, duplicate_of, accepted_answer_id, policy_mode, target_ms, first_due_at, due_at,"
		" escalation_level, escalations, asked_at, first_answer_at, first_answer_by, resolved_at,"
		" closed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
		" ?17, ?18, ?19, ?20, ?21)");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, q->post_id);
	sqlite3_bind_int64(st, 2, q->space_id);
	sqlite3_bind_int64(st, 3, q->account_id);
	sq_bind_text(st, 4, q->title);
	sq_bind_text(st, 5, q->tags);
	sq_bind_text(st, 6, q->state);
	sq_bind_text(st, 7, q->close_reason);
	sq_bind_text(st, 8, q->close_note);
	sqlite3_bind_int64(st, 9, q->duplicate_of);
	sqlite3_bind_int64(st, 10, q->accepted_answer_id);
	sq_bind_text(st, 11, q->policy_mode[0] ? q->policy_mode : "manual");
	sqlite3_bind_int64(st, 12, q->target_ms);
	sqlite3_bind_int64(st, 13, q->first_due_at);
	sqlite3_bind_int64(st, 14, q->due_at);
	sqlite3_bind_int(st, 15, q->escalation_level);
	sqlite3_bind_int(st, 16, q->escalations);
	sqlite3_bind_int64(st, 17, q->asked_at);
	sqlite3_bind_int64(st, 18, q->first_answer_at);
	sqlite3_bind_int64(st, 19, q->first_answer_by);
	sqlite3_bind_int64(st, 20, q->resolved_at);
	sqlite3_bind_int64(st, 21, q->closed_at);
	rc = sq_exec(st);
	if (rc != STORE_OK)
		return rc;
	/* as store_question_insert(): questions_fts is no trigger's */
	st = sq_prepare("INSERT INTO questions_fts (rowid, title, body, tags) VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, q->post_id);
	sq_bind_text(st, 2, q->title);
	sq_bind_text(st, 3, body);
	sq_bind_text(st, 4, q->tags);
	return sq_exec(st);
}

int store_bench_answer_insert(const struct answer_row *a)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO answers (post_id, question_id, account_id, upvotes, downvotes, accepted_at, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a->post_id);
	sqlite3_bind_int64(st, 2, a->question_id);
	sqlite3_bind_int64(st, 3, a->account_id);
	sqlite3_bind_int64(st, 4, a->upvotes);
	sqlite3_bind_int64(st, 5, a->downvotes);
	sqlite3_bind_int64(st, 6, a->accepted_at);
	sqlite3_bind_int64(st, 7, a->created_at);
	return sq_exec(st);
}

int store_bench_answer_vote(int64_t answer_id, int64_t account_id, int value, int64_t created_at)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO answer_votes (answer_id, account_id, value, created_at) VALUES (?1, ?2, ?3, ?4)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, answer_id);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int(st, 3, value > 0 ? 1 : -1);
	sqlite3_bind_int64(st, 4, created_at);
	return sq_exec(st);
}

int store_bench_idea_insert(const struct idea_row *r)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO ideas (id, space_id, account_id, title, category, status, status_explanation,"
		" status_changed_at, status_changed_by, current_post_id, version, merged_into, votes_count,"
		" flagged_votes_count, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->space_id);
	sqlite3_bind_int64(st, 3, r->account_id);
	sq_bind_text(st, 4, r->title);
	sq_bind_text(st, 5, r->category);
	sq_bind_text(st, 6, r->status);
	sq_bind_text(st, 7, r->status_explanation);
	sqlite3_bind_int64(st, 8, r->status_changed_at);
	sqlite3_bind_int64(st, 9, r->status_changed_by);
	sqlite3_bind_int64(st, 10, r->current_post_id);
	sqlite3_bind_int(st, 11, r->version);
	sqlite3_bind_int64(st, 12, r->merged_into);
	sqlite3_bind_int64(st, 13, r->votes_count);
	sqlite3_bind_int64(st, 14, r->flagged_votes_count);
	sqlite3_bind_int64(st, 15, r->created_at);
	sqlite3_bind_int64(st, 16, r->updated_at);
	return sq_exec(st);
}

int store_bench_idea_version(int64_t idea_id, int version, int64_t post_id, const char *note,
			     int64_t created_at)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO idea_versions (idea_id, version, post_id, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, idea_id);
	sqlite3_bind_int(st, 2, version);
	sqlite3_bind_int64(st, 3, post_id);
	sq_bind_text(st, 4, note);
	sqlite3_bind_int64(st, 5, created_at);
	return sq_exec(st);
}

int store_bench_idea_vote(int64_t idea_id, int64_t account_id, int64_t created_at)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO idea_votes (idea_id, account_id, created_at, new_account, flag) VALUES (?1, ?2, ?3, 0, '')");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, idea_id);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int64(st, 3, created_at);
	return sq_exec(st);
}

int store_bench_sample_threads(int limit, void (*fn)(int64_t post_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT id FROM posts NOT INDEXED WHERE replies_count > 0 AND in_reply_to_id = 0"
		" AND reblog_of_id IS NULL AND space_id = 0 AND audience IN ('public', 'organisation')"
		" AND kind = 'note'"
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
		{ "questions", "SELECT count(*) FROM questions" },
		{ "questions_fts", "SELECT count(*) FROM questions_fts" },
		{ "answers", "SELECT count(*) FROM answers" },
		{ "answer_votes", "SELECT count(*) FROM answer_votes" },
		{ "ideas", "SELECT count(*) FROM ideas" },
		{ "idea_versions", "SELECT count(*) FROM idea_versions" },
		{ "idea_votes", "SELECT count(*) FROM idea_votes" },
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
