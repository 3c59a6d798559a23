/*
 * sqlite_ideas.c - idea boards in the SQLite backend (see store_ideas.h).
 *
 * Audience: statements that take a viewer bind ?1 (viewer id) and ?2
 * (staff) for AUD_SQL (sqlite_internal.h), the posts predicate; the
 * idea's first post is `p` in an EXISTS, and comments are the posts `p`
 * replying to a version's post. Counts of votes are stored on the idea
 * and recomputed by recount() after every change of its votes.
 */
#include "store/store_ideas.h"
#include "store/sqlite_internal.h"

#include <string.h>

#define IDEA_COLS "i.id, i.space_id, i.account_id, i.title, i.category, i.status, " \
	"i.status_explanation, i.status_changed_at, i.status_changed_by, i.current_post_id, " \
	"i.version, i.merged_into, i.votes_count, i.flagged_votes_count, i.created_at, i.updated_at, " \
	"(SELECT count(*) FROM idea_versions cv CROSS JOIN posts p ON p.in_reply_to_id = cv.post_id " \
	"  WHERE cv.idea_id = i.id AND " AUD_SQL "), " \
	"EXISTS (SELECT 1 FROM idea_votes mv WHERE mv.idea_id = i.id AND mv.account_id = ?1 AND ?1 <> 0)"

static void bind_aud(sqlite3_stmt *st, const struct store_audience *aud)
{
	sqlite3_bind_int64(st, 1, aud ? aud->viewer_id : 0);
	sqlite3_bind_int(st, 2, aud ? aud->staff : 0);
}

static void read_idea(sqlite3_stmt *st, struct idea_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->space_id = sqlite3_column_int64(st, 1);
	r->account_id = sqlite3_column_int64(st, 2);
	sq_col_text(st, 3, r->title, sizeof r->title);
	sq_col_text(st, 4, r->category, sizeof r->category);
	sq_col_text(st, 5, r->status, sizeof r->status);
	sq_col_text(st, 6, r->status_explanation, sizeof r->status_explanation);
	r->status_changed_at = sqlite3_column_int64(st, 7);
	r->status_changed_by = sqlite3_column_int64(st, 8);
	r->current_post_id = sqlite3_column_int64(st, 9);
	r->version = sqlite3_column_int(st, 10);
	r->merged_into = sqlite3_column_int64(st, 11);
	r->votes_count = sqlite3_column_int64(st, 12);
	r->flagged_votes_count = sqlite3_column_int64(st, 13);
	r->created_at = sqlite3_column_int64(st, 14);
	r->updated_at = sqlite3_column_int64(st, 15);
	r->comments_count = sqlite3_column_int64(st, 16);
	r->my_vote = sqlite3_column_int(st, 17);
}

/* ---- the board switch -------------------------------------------------- */

int store_space_ideas_enabled(int64_t space_id, int *on)
{
	sqlite3_stmt *st = sq_prepare("SELECT ideas_enabled FROM spaces WHERE id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		*on = sqlite3_column_int(st, 0) != 0;
	sq_done(st);
	return rc;
}

int store_space_set_ideas(int64_t space_id, int on)
{
	return sq_exec_ids(on ? "UPDATE spaces SET ideas_enabled = 1 WHERE id = ?"
			      : "UPDATE spaces SET ideas_enabled = 0 WHERE id = ?", space_id, 0);
}

/* ---- ideas ------------------------------------------------------------- */

static int recount(int64_t idea_id)
{
	return sq_exec_ids("UPDATE ideas SET "
			   "votes_count = (SELECT count(*) FROM idea_votes WHERE idea_id = ?1 AND flag = ''), "
			   "flagged_votes_count = (SELECT count(*) FROM idea_votes WHERE idea_id = ?1 AND flag <> '') "
			   "WHERE id = ?1", idea_id, 0) == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

int store_idea_insert(const struct idea_row *r)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO ideas (id, space_id, account_id, title, category, status, current_post_id, "
		"version, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'new', ?1, 1, ?6, ?6)");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->space_id);
	sqlite3_bind_int64(st, 3, r->account_id);
	sq_bind_text(st, 4, r->title);
	sq_bind_text(st, 5, r->category);
	sqlite3_bind_int64(st, 6, r->created_at);
	rc = sq_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sq_prepare("INSERT INTO idea_versions (idea_id, version, post_id, note, created_at) "
			"VALUES (?1, 1, ?1, '', ?2)");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->created_at);
	return sq_exec(st);
}

int store_idea_get(int64_t id, const struct store_audience *aud, struct idea_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " IDEA_COLS " FROM ideas i WHERE i.id = ?3");
	int rc;

	if (!st)
		return STORE_ERROR;
	bind_aud(st, aud);
	sqlite3_bind_int64(st, 3, id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_idea(st, out);
	sq_done(st);
	return rc;
}

int store_idea_of_post(int64_t post_id, int64_t *idea_id, int *version)
{
	sqlite3_stmt *st = sq_prepare("SELECT idea_id, version FROM idea_versions WHERE post_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		*idea_id = sqlite3_column_int64(st, 0);
		*version = sqlite3_column_int(st, 1);
	}
	sq_done(st);
	return rc;
}

int store_idea_count_by_author(int64_t account_id, const struct store_audience *aud, int64_t *n)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT count(*) FROM ideas i WHERE i.account_id = ?3 AND i.merged_into = 0"
		" AND EXISTS (SELECT 1 FROM posts p WHERE p.id = i.id AND " AUD_SQL ")");
	int rc;

	*n = 0;
	if (!st)
		return STORE_ERROR;
	bind_aud(st, aud);
	sqlite3_bind_int64(st, 3, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		*n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return rc == STORE_ERROR ? rc : STORE_OK;
}

int store_idea_list(const struct idea_query *q, void (*fn)(const struct idea_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT " IDEA_COLS " FROM ideas i WHERE i.space_id = ?3 AND i.merged_into = 0"
		" AND (?4 IS NULL OR i.status = ?4) AND (?5 IS NULL OR i.category = ?5)"
		" AND EXISTS (SELECT 1 FROM posts p WHERE p.id = i.id AND " AUD_SQL ")"
		" ORDER BY i.id DESC LIMIT ?6");
	int rc;

	if (!st)
		return STORE_ERROR;
	bind_aud(st, &q->aud);
	sqlite3_bind_int64(st, 3, q->space_id);
	if (q->status)
		sq_bind_text(st, 4, q->status);
	if (q->category)
		sq_bind_text(st, 5, q->category);
	sqlite3_bind_int(st, 6, q->limit);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct idea_row r;

		read_idea(st, &r);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_idea_merged_from(int64_t target, const struct store_audience *aud,
			   void (*fn)(const struct idea_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT " IDEA_COLS " FROM ideas i WHERE i.merged_into = ?3"
		" AND EXISTS (SELECT 1 FROM posts p WHERE p.id = i.id AND " AUD_SQL ")"
		" ORDER BY i.id LIMIT 100");
	int rc;

	if (!st)
		return STORE_ERROR;
	bind_aud(st, aud);
	sqlite3_bind_int64(st, 3, target);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct idea_row r;

		read_idea(st, &r);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_idea_update(int64_t id, const char *title, const char *category, int64_t now)
{
	sqlite3_stmt *st = sq_prepare("UPDATE ideas SET title = ?2, category = ?3, updated_at = ?4 WHERE id = ?1");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, title);
	sq_bind_text(st, 3, category);
	sqlite3_bind_int64(st, 4, now);
	return sq_exec_changed(st);
}

int store_idea_add_version(int64_t id, int version, int64_t post_id, const char *note,
			   const char *title, int64_t now)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO idea_versions (idea_id, version, post_id, note, created_at) "
				      "VALUES (?1, ?2, ?3, ?4, ?5)");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	sqlite3_bind_int64(st, 3, post_id);
	sq_bind_text(st, 4, note);
	sqlite3_bind_int64(st, 5, now);
	rc = sq_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sq_prepare("UPDATE ideas SET version = ?2, current_post_id = ?3, title = ?4, updated_at = ?5 "
			"WHERE id = ?1");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	sqlite3_bind_int64(st, 3, post_id);
	sq_bind_text(st, 4, title);
	sqlite3_bind_int64(st, 5, now);
	return sq_exec_changed(st);
}

int store_idea_versions(int64_t id, const struct store_audience *aud,
			void (*fn)(const struct idea_version_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT iv.idea_id, iv.version, iv.post_id, iv.note, iv.created_at, "
		"(SELECT count(*) FROM posts p WHERE p.in_reply_to_id = iv.post_id AND " AUD_SQL ") "
		"FROM idea_versions iv WHERE iv.idea_id = ?3 ORDER BY iv.version");
	int rc;

	if (!st)
		return STORE_ERROR;
	bind_aud(st, aud);
	sqlite3_bind_int64(st, 3, id);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct idea_version_row r;

		memset(&r, 0, sizeof r);
		r.idea_id = sqlite3_column_int64(st, 0);
		r.version = sqlite3_column_int(st, 1);
		r.post_id = sqlite3_column_int64(st, 2);
		sq_col_text(st, 3, r.note, sizeof r.note);
		r.created_at = sqlite3_column_int64(st, 4);
		r.comments_count = sqlite3_column_int64(st, 5);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_idea_set_status(int64_t id, const char *status, const char *explanation, int64_t by, int64_t now)
{
	sqlite3_stmt *st = sq_prepare("UPDATE ideas SET status = ?2, status_explanation = ?3, "
				      "status_changed_at = ?5, status_changed_by = ?4, updated_at = ?5 WHERE id = ?1");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, status);
	sq_bind_text(st, 3, explanation);
	sqlite3_bind_int64(st, 4, by);
	sqlite3_bind_int64(st, 5, now);
	return sq_exec_changed(st);
}

/* ---- votes --------------------------------------------------------------- */

int store_idea_vote(int64_t idea_id, int64_t account_id, int64_t now, int new_account)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO idea_votes (idea_id, account_id, created_at, new_account, flag) "
				      "VALUES (?1, ?2, ?3, ?4, CASE WHEN ?4 THEN 'new_account' ELSE '' END)");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, idea_id);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int(st, 4, new_account ? 1 : 0);
	rc = sq_exec(st);
	return rc == STORE_OK ? recount(idea_id) : rc;
}

int store_idea_unvote(int64_t idea_id, int64_t account_id)
{
	int rc = sq_exec_ids("DELETE FROM idea_votes WHERE idea_id = ? AND account_id = ?", idea_id, account_id);

	return rc == STORE_OK ? recount(idea_id) : rc;
}

int64_t store_idea_votes_since(int64_t account_id, int64_t since)
{
	sqlite3_stmt *st = sq_prepare("SELECT count(*) FROM idea_vote_log WHERE account_id = ? AND created_at >= ?");
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, since);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_idea_vote_log(int64_t account_id, int64_t now, int64_t prune_before)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM idea_vote_log WHERE account_id = ? AND created_at < ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, prune_before);
	if (sq_exec(st) != STORE_OK)
		return STORE_ERROR;
	st = sq_prepare("INSERT INTO idea_vote_log (account_id, created_at) VALUES (?, ?)");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, now);
	return sq_exec(st);
}

static int each_id(sqlite3_stmt *st, void (*fn)(int64_t, void *), void *ctx)
{
	int rc;

	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_idea_voters(int64_t idea_id, void (*fn)(int64_t account_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT account_id FROM idea_votes WHERE idea_id = ? ORDER BY account_id");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, idea_id);
	return each_id(st, fn, ctx);
}

int store_idea_commenters(int64_t idea_id, void (*fn)(int64_t account_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT DISTINCT c.account_id FROM idea_versions iv JOIN posts c "
				      "ON c.in_reply_to_id = iv.post_id WHERE iv.idea_id = ? ORDER BY c.account_id");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, idea_id);
	return each_id(st, fn, ctx);
}

int store_idea_merge(int64_t source, int64_t target, int64_t now)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT OR IGNORE INTO idea_votes (idea_id, account_id, created_at, new_account, flag) "
		"SELECT ?2, account_id, created_at, new_account, flag FROM idea_votes WHERE idea_id = ?1");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, source);
	sqlite3_bind_int64(st, 2, target);
	if (sq_exec(st) != STORE_OK)
		return STORE_ERROR;
	if (sq_exec_ids("DELETE FROM idea_votes WHERE idea_id = ?", source, 0) == STORE_ERROR)
		return STORE_ERROR;
	st = sq_prepare("UPDATE ideas SET merged_into = ?2, updated_at = ?3 WHERE id = ?1");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, source);
	sqlite3_bind_int64(st, 2, target);
	sqlite3_bind_int64(st, 3, now);
	if (sq_exec_changed(st) != STORE_OK)
		return STORE_ERROR;
	if (sq_exec_ids("UPDATE ideas SET updated_at = ?2 WHERE id = ?1", target, now) == STORE_ERROR)
		return STORE_ERROR;
	if (recount(source) != STORE_OK)
		return STORE_ERROR;
	return recount(target);
}

/* ---- vote integrity --------------------------------------------------------- */

int store_idea_space_votes(int64_t space_id, void (*fn)(int64_t account_id, int64_t idea_id, void *),
			   void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT account_id, idea_id FROM idea_votes WHERE account_id IN "
		"(SELECT v.account_id FROM idea_votes v JOIN ideas i ON i.id = v.idea_id WHERE i.space_id = ?)");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_idea_set_rings(int64_t space_id, const int64_t *accounts, size_t n)
{
	sqlite3_stmt *st;
	size_t i;

	if (sq_exec_ids("UPDATE idea_votes SET flag = CASE WHEN new_account THEN 'new_account' ELSE '' END "
			"WHERE flag = 'ring' AND idea_id IN (SELECT id FROM ideas WHERE space_id = ?)",
			space_id, 0) == STORE_ERROR)
		return STORE_ERROR;
	for (i = 0; i < n; i++) {
		st = sq_prepare("UPDATE idea_votes SET flag = 'ring' WHERE account_id = ?1 "
				"AND idea_id IN (SELECT id FROM ideas WHERE space_id = ?2)");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, accounts[i]);
		sqlite3_bind_int64(st, 2, space_id);
		if (sq_exec(st) != STORE_OK)
			return STORE_ERROR;
	}
	return sq_exec_ids("UPDATE ideas SET "
			   "votes_count = (SELECT count(*) FROM idea_votes v WHERE v.idea_id = ideas.id AND v.flag = ''), "
			   "flagged_votes_count = (SELECT count(*) FROM idea_votes v WHERE v.idea_id = ideas.id AND v.flag <> '') "
			   "WHERE space_id = ?", space_id, 0) == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

int64_t store_idea_last_vote(int64_t space_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT coalesce(max(v.created_at), 0) FROM idea_votes v "
				      "JOIN ideas i ON i.id = v.idea_id WHERE i.space_id = ?");
	int64_t t = 0;

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, space_id);
	if (sq_step(st) == STORE_OK)
		t = sqlite3_column_int64(st, 0);
	sq_done(st);
	return t;
}

int store_idea_flagged(int64_t space_id, int limit, void (*fn)(const struct idea_flag_row *, void *),
		       void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT v.idea_id, v.account_id, v.flag, v.created_at FROM idea_votes v JOIN ideas i "
		"ON i.id = v.idea_id WHERE i.space_id = ? AND v.flag <> '' "
		"ORDER BY v.created_at DESC, v.idea_id DESC, v.account_id LIMIT ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct idea_flag_row r;

		memset(&r, 0, sizeof r);
		r.idea_id = sqlite3_column_int64(st, 0);
		r.account_id = sqlite3_column_int64(st, 1);
		sq_col_text(st, 2, r.flag, sizeof r.flag);
		r.created_at = sqlite3_column_int64(st, 3);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_idea_activity(int64_t space_id, const struct store_audience *aud,
			void (*fn)(int64_t idea_id, int64_t at, double weight, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT v.idea_id, v.created_at, 1.0 FROM idea_votes v JOIN ideas i ON i.id = v.idea_id"
		" WHERE i.space_id = ?3 AND i.merged_into = 0 AND v.flag = ''"
		" UNION ALL "
		"SELECT iv.idea_id, p.created_at, 0.5 FROM idea_versions iv JOIN ideas i ON i.id = iv.idea_id"
		" CROSS JOIN posts p ON p.in_reply_to_id = iv.post_id"
		" WHERE i.space_id = ?3 AND i.merged_into = 0 AND " AUD_SQL);
	int rc;

	if (!st)
		return STORE_ERROR;
	bind_aud(st, aud);
	sqlite3_bind_int64(st, 3, space_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_double(st, 2), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_idea_is_listener(int64_t space_id, int64_t account_id)
{
	return sq_exists_ids("SELECT 1 FROM listeners WHERE space_id = ? AND account_id = ?", space_id, account_id);
}
