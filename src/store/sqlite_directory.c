/*
 * sqlite_directory.c - the people directory in the SQLite backend (see
 * store_people.h: "the directory").
 *
 * Design. A directory query is answered in three steps over one small
 * per-connection table, temp.dir_cand (account id, score):
 *   1. fill it from the index that narrows the query most (the FTS5 index
 *      for text, profile_skills for a skill, the department, location or
 *      language indexes), applying in the same statement every other
 *      filter, the listing rule and ACCOUNT_VISIBLE_SQL;
 *   2. count it, and read each candidate's facet facts (one profile row
 *      each: the languages and skill ids are copied there for this), which
 *      the model counts;
 *   3. read one page, by score (ties by id) or by name.
 * Statements are fixed strings (so they are prepared once per connection):
 * optional filters are written "(:x = '' OR ...)". A filter or a facet only
 * uses a profile fact whose visibility is at most :vis, so nobody finds or
 * counts a person by a fact they may not read.
 *
 * The unfiltered directory of a large organisation would have to fill the
 * table with everyone; the model caches those counts instead (see
 * model/people_search.c) and pages with store_dir_page_all(), a walk of the
 * accounts' name index.
 */
#include "store/store_people.h"
#include "store/sqlite_internal.h"

#include <string.h>

/* The listing rule and the filters, for accounts A with profiles P. */
#define DIR_FILTERS(A, P) \
	" AND " A ".kind <> 'remote' AND (" A ".discoverable <> 0 OR :aud_staff <> 0 OR " A ".id = :aud_viewer)" \
	" AND (:dept = '' OR (" P ".department_lower = :dept AND " P ".vis_department <= :vis))" \
	" AND (:loc = '' OR (" P ".location_lower = :loc AND " P ".vis_location <= :vis))" \
	" AND (:lang = '' OR (" P ".vis_languages <= :vis AND EXISTS (SELECT 1 FROM profile_languages fl" \
	"      WHERE fl.account_id = " A ".id AND fl.language_lower = :lang)))" \
	" AND (:skill = 0 OR EXISTS (SELECT 1 FROM profile_skills fs WHERE fs.account_id = " A ".id" \
	"      AND fs.skill_id = :skill))" \
	" AND " ACCOUNT_VISIBLE_SQL(A)

#define INSERT_CAND "INSERT INTO temp.dir_cand (account_id, score) "
#define ON_CONFLICT " ON CONFLICT (account_id) DO NOTHING"

static void bind_named_text(sqlite3_stmt *st, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i > 0)
		sq_bind_text(st, i, v ? v : "");
}

static void bind_named_int64(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i > 0)
		sqlite3_bind_int64(st, i, v);
}

static void bind_query(sqlite3_stmt *st, const struct dir_query *q)
{
	char dept[PROFILE_TEXT_BYTES * 3], loc[PROFILE_TEXT_BYTES * 3], lang[PROFILE_ITEM_BYTES * 3];

	sq_fold(q->department ? q->department : "", dept, sizeof dept);
	sq_fold(q->location ? q->location : "", loc, sizeof loc);
	sq_fold(q->language ? q->language : "", lang, sizeof lang);
	bind_named_text(st, ":dept", dept);
	bind_named_text(st, ":loc", loc);
	bind_named_text(st, ":lang", lang);
	bind_named_int64(st, ":skill", q->skill_id);
	bind_named_int64(st, ":vis", q->vis_max);
	bind_named_text(st, ":match", q->match);
	sq_bind_audience(st, &q->aud);
}

static int run_fill(const char *sql, const struct dir_query *q)
{
	sqlite3_stmt *st = sq_prepare(sql);

	if (!st)
		return STORE_ERROR;
	bind_query(st, q);
	return sq_exec(st);
}

int store_dir_begin(void)
{
	if (sq_exec(sq_prepare("CREATE TEMP TABLE IF NOT EXISTS dir_cand ("
			       "account_id INTEGER PRIMARY KEY, score REAL NOT NULL DEFAULT 0)")) != STORE_OK)
		return STORE_ERROR;
	return sq_exec(sq_prepare("DELETE FROM temp.dir_cand"));
}

/* The listing rule and the audience alone (no filter: no profile row). */
#define DIR_LISTED(A) \
	" AND " A ".kind <> 'remote' AND (" A ".discoverable <> 0 OR :aud_staff <> 0 OR " A ".id = :aud_viewer)" \
	" AND " ACCOUNT_VISIBLE_SQL(A)

static int unfiltered(const struct dir_query *q)
{
	return !(q->department && q->department[0]) && !(q->location && q->location[0]) &&
	       !(q->language && q->language[0]) && !q->skill_id;
}

int store_dir_fill_all(const struct dir_query *q)
{
	if (unfiltered(q))
		return run_fill(INSERT_CAND "SELECT a.id, 0 FROM accounts a WHERE 1" DIR_LISTED("a") ON_CONFLICT, q);
	return run_fill(INSERT_CAND "SELECT a.id, 0 FROM accounts a JOIN profiles p ON p.account_id = a.id"
			" WHERE 1" DIR_FILTERS("a", "p") ON_CONFLICT, q);
}

int store_dir_fill_guest(const struct dir_query *q)
{
	return run_fill(INSERT_CAND "SELECT a.id, 0 FROM accounts a JOIN profiles p ON p.account_id = a.id"
			" WHERE a.id IN (SELECT id FROM accounts WHERE profile_public <> 0"
			"  UNION SELECT sa.account_id FROM space_members sv JOIN space_members sa"
			"   ON sa.space_id = sv.space_id WHERE sv.account_id = :aud_viewer"
			"  UNION SELECT :aud_viewer)" DIR_FILTERS("a", "p") ON_CONFLICT, q);
}

int store_dir_fill_search(const struct dir_query *q)
{
	/* bm25 weights: name, skills, info, bio, info_org */
	return run_fill(INSERT_CAND "SELECT a.id, -bm25(people_fts, 10.0, 6.0, 3.0, 1.0, 3.0)"
			" FROM people_fts JOIN accounts a ON a.id = people_fts.rowid"
			" JOIN profiles p ON p.account_id = a.id"
			" WHERE people_fts MATCH :match" DIR_FILTERS("a", "p") ON_CONFLICT, q);
}

int store_dir_fill_skill(const struct dir_query *q)
{
	return run_fill(INSERT_CAND "SELECT a.id, 0 FROM profile_skills d JOIN accounts a ON a.id = d.account_id"
			" JOIN profiles p ON p.account_id = a.id WHERE d.skill_id = :skill"
			DIR_FILTERS("a", "p") ON_CONFLICT, q);
}

int store_dir_fill_department(const struct dir_query *q)
{
	return run_fill(INSERT_CAND "SELECT a.id, 0 FROM profiles p JOIN accounts a ON a.id = p.account_id"
			" WHERE p.department_lower = :dept" DIR_FILTERS("a", "p") ON_CONFLICT, q);
}

int store_dir_fill_location(const struct dir_query *q)
{
	return run_fill(INSERT_CAND "SELECT a.id, 0 FROM profiles p JOIN accounts a ON a.id = p.account_id"
			" WHERE p.location_lower = :loc" DIR_FILTERS("a", "p") ON_CONFLICT, q);
}

int store_dir_fill_language(const struct dir_query *q)
{
	return run_fill(INSERT_CAND "SELECT a.id, 0 FROM profile_languages d JOIN accounts a ON a.id = d.account_id"
			" JOIN profiles p ON p.account_id = a.id WHERE d.language_lower = :lang"
			DIR_FILTERS("a", "p") ON_CONFLICT, q);
}

int64_t store_dir_estimate(const struct dir_query *q, enum dir_facet which)
{
	static const char *const sql[FACET_COUNT] = {
		"SELECT COUNT(*) FROM profiles WHERE department_lower = :dept",
		"SELECT COUNT(*) FROM profiles WHERE location_lower = :loc",
		"SELECT COUNT(*) FROM profile_languages WHERE language_lower = :lang",
		"SELECT COUNT(*) FROM profile_skills WHERE skill_id = :skill",
	};
	sqlite3_stmt *st = sq_prepare(sql[which]);
	int64_t n = -1;

	if (!st)
		return -1;
	bind_query(st, q);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_dir_fill_blockers(const struct dir_query *q, int64_t viewer_id)
{
	sqlite3_stmt *st = sq_prepare(
		INSERT_CAND "SELECT a.id, 0 FROM blocks b JOIN accounts a ON a.id = b.account_id"
		" JOIN profiles p ON p.account_id = a.id WHERE b.target_id = :blocked AND a.id <> :blocked"
		DIR_FILTERS("a", "p") ON_CONFLICT);

	if (!st)
		return STORE_ERROR;
	bind_query(st, q);
	bind_named_int64(st, ":blocked", viewer_id);
	return sq_exec(st);
}

int store_dir_add(int64_t account_id, double score)
{
	sqlite3_stmt *st = sq_prepare(INSERT_CAND "VALUES (?, ?)" ON_CONFLICT);

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_double(st, 2, score);
	return sq_exec(st);
}

int store_dir_add_many(const int64_t *ids, const double *scores, size_t n)
{
	size_t i;
	int rc;

	if (sq_exec(sq_prepare("SAVEPOINT dir_add")) != STORE_OK)
		return STORE_ERROR;
	for (i = 0, rc = STORE_OK; i < n && rc == STORE_OK; i++)
		rc = store_dir_add(ids[i], scores[i]);
	if (rc != STORE_OK)
		sq_exec(sq_prepare("ROLLBACK TO dir_add"));
	return sq_exec(sq_prepare("RELEASE dir_add")) == STORE_OK ? rc : STORE_ERROR;
}

int store_dir_filter(const struct dir_query *q)
{
	if (unfiltered(q))
		return run_fill("DELETE FROM temp.dir_cand WHERE account_id NOT IN (SELECT a.id FROM temp.dir_cand c"
				" CROSS JOIN accounts a ON a.id = c.account_id WHERE 1" DIR_LISTED("a") ")", q);
	/* CROSS JOIN: the candidates drive (the planner has no statistics on
	 * the temporary table and would rather scan the big one) */
	return run_fill("DELETE FROM temp.dir_cand WHERE account_id NOT IN (SELECT a.id FROM temp.dir_cand c"
			" CROSS JOIN accounts a ON a.id = c.account_id JOIN profiles p ON p.account_id = a.id"
			" WHERE 1" DIR_FILTERS("a", "p") ")", q);
}

int store_dir_filter_match(const struct dir_query *q)
{
	return run_fill("DELETE FROM temp.dir_cand WHERE account_id NOT IN"
			" (SELECT rowid FROM people_fts WHERE people_fts MATCH :match)", q);
}

int64_t store_dir_count(void)
{
	sqlite3_stmt *st = sq_prepare("SELECT COUNT(*) FROM temp.dir_cand");
	int64_t n = -1;

	if (!st)
		return -1;
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_dir_facet_rows(int vis_max,
			 void (*fn)(const char *department, const char *location, const char *languages,
				    const char *skill_ids, void *), void *ctx)
{
	/* CROSS JOIN: walk the (few) candidates, look each one up; the planner
	 * has no statistics on the temporary table and would rather scan the
	 * big one */
	sqlite3_stmt *st = sq_prepare(
		"SELECT CASE WHEN p.vis_department <= ?1 THEN p.department ELSE '' END,"
		" CASE WHEN p.vis_location <= ?1 THEN p.location ELSE '' END,"
		" CASE WHEN p.vis_languages <= ?1 THEN p.facet_languages ELSE '' END, p.facet_skills"
		" FROM temp.dir_cand c CROSS JOIN profiles p ON p.account_id = c.account_id");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, vis_max);
	while ((rc = sq_step(st)) == STORE_OK)
		fn((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
		   (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

static int each_scored(sqlite3_stmt *st, void (*fn)(int64_t, double, void *), void *ctx)
{
	int rc;

	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_dir_page(int by_name, int limit, int offset,
		   void (*fn)(int64_t account_id, double score, void *), void *ctx)
{
	sqlite3_stmt *st = by_name
		? sq_prepare("SELECT c.account_id, c.score FROM temp.dir_cand c CROSS JOIN accounts a ON a.id = c.account_id"
			     " ORDER BY lower(a.display_name), a.id LIMIT ? OFFSET ?")
		: sq_prepare("SELECT c.account_id, c.score FROM temp.dir_cand c"
			     " ORDER BY c.score DESC, c.account_id LIMIT ? OFFSET ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, limit);
	sqlite3_bind_int(st, 2, offset);
	return each_scored(st, fn, ctx);
}

int store_dir_page_all(const struct dir_query *q, int limit, int offset,
		       void (*fn)(int64_t account_id, double score, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT a.id, 0 FROM accounts a JOIN profiles p ON p.account_id = a.id"
		" WHERE 1" DIR_FILTERS("a", "p") " ORDER BY lower(a.display_name), a.id LIMIT :limit OFFSET :offset");

	if (!st)
		return STORE_ERROR;
	bind_query(st, q);
	bind_named_int64(st, ":limit", limit);
	bind_named_int64(st, ":offset", offset);
	return each_scored(st, fn, ctx);
}

int store_tag_prefix(const char *prefix, int limit, int offset,
		     void (*fn)(const char *name, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT t.name, (SELECT COUNT(*) FROM post_tags pt WHERE pt.tag_id = t.id) AS n FROM tags t"
		" WHERE t.name_lower >= ?1 AND t.name_lower < ?1 || x'F48FBFBF'"
		" ORDER BY n DESC, t.name_lower LIMIT ?2 OFFSET ?3");
	char low[512];
	int rc;

	if (!st)
		return STORE_ERROR;
	sq_fold(prefix, low, sizeof low);
	if (!low[0]) {
		sq_done(st);
		return STORE_OK;
	}
	sq_bind_text(st, 1, low);
	sqlite3_bind_int(st, 2, limit);
	sqlite3_bind_int(st, 3, offset);
	while ((rc = sq_step(st)) == STORE_OK)
		fn((const char *)sqlite3_column_text(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}
