/*
 * sqlite_people.c - profiles, the skill vocabulary, skills on profiles,
 * endorsements, admin-defined fields and the sensemaking queries, in the
 * SQLite backend (see store_people.h). The directory (search index
 * queries, filters, facets) is in sqlite_directory.c.
 *
 * Case-insensitive keys (departments, locations, languages, interests,
 * skill names and aliases) are stored as Unicode case folds (the same fold
 * hashtags use, lib/markdown.h: markdown_tag_key), so "Zürich" and
 * "ZÜRICH" are one location.
 */
#include "store/store_people.h"
#include "store/sqlite_internal.h"
#include "lib/markdown.h"

#include <string.h>

/* The case fold of s into dst ("" when it does not fit). */
void sq_fold(const char *s, char *dst, size_t n)
{
	struct buf b = BUF_INIT;

	dst[0] = '\0';
	if (markdown_tag_key(s, strlen(s), &b) == 0 && b.len < n)
		memcpy(dst, buf_str(&b), b.len + 1);
	buf_release(&b);
}

static int exec_id(const char *sql, int64_t a)
{
	sqlite3_stmt *st = sq_prepare(sql);

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a);
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

static int each_text(sqlite3_stmt *st, void (*fn)(const char *, void *), void *ctx)
{
	int rc;

	while ((rc = sq_step(st)) == STORE_OK)
		fn((const char *)sqlite3_column_text(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ---- profiles ---------------------------------------------------------- */

#define PROFILE_COLS "account_id, headline, department, team, location, timezone, working_hours," \
	" pronouns, phone, email, vis_headline, vis_department, vis_team, vis_location, vis_timezone," \
	" vis_working_hours, vis_pronouns, vis_phone, vis_email, vis_languages, vis_links, manager_id," \
	" away_until, status_text, avatar_key, avatar_ext, header_key, header_ext, default_privacy," \
	" language, updated_at"

int store_profile_get(int64_t account_id, struct profile_row *p)
{
	sqlite3_stmt *st = sq_prepare("SELECT " PROFILE_COLS " FROM profiles WHERE account_id = ?");
	int rc, i, c;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		memset(p, 0, sizeof *p);
		p->account_id = sqlite3_column_int64(st, 0);
		for (i = 0, c = 1; i < PF_NTEXT; i++, c++)
			sq_col_text(st, c, p->text[i], sizeof p->text[i]);
		for (i = 0; i < PF_NTEXT; i++, c++)
			p->vis[i] = sqlite3_column_int(st, c);
		p->vis[PF_LANGUAGES] = sqlite3_column_int(st, c++);
		p->vis[PF_LINKS] = sqlite3_column_int(st, c++);
		p->manager_id = sqlite3_column_int64(st, c++);
		p->away_until = sqlite3_column_int64(st, c++);
		sq_col_text(st, c++, p->status_text, sizeof p->status_text);
		sq_col_text(st, c++, p->avatar_key, sizeof p->avatar_key);
		sq_col_text(st, c++, p->avatar_ext, sizeof p->avatar_ext);
		sq_col_text(st, c++, p->header_key, sizeof p->header_key);
		sq_col_text(st, c++, p->header_ext, sizeof p->header_ext);
		sq_col_text(st, c++, p->default_privacy, sizeof p->default_privacy);
		sq_col_text(st, c++, p->language, sizeof p->language);
		p->updated_at = sqlite3_column_int64(st, c);
	}
	sq_done(st);
	return rc;
}

int store_profile_put(const struct profile_row *p)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO profiles (" PROFILE_COLS ", department_lower, location_lower) VALUES"
		" (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
		"  ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)"
		" ON CONFLICT (account_id) DO UPDATE SET headline = ?2, department = ?3, team = ?4,"
		" location = ?5, timezone = ?6, working_hours = ?7, pronouns = ?8, phone = ?9, email = ?10,"
		" vis_headline = ?11, vis_department = ?12, vis_team = ?13, vis_location = ?14,"
		" vis_timezone = ?15, vis_working_hours = ?16, vis_pronouns = ?17, vis_phone = ?18,"
		" vis_email = ?19, vis_languages = ?20, vis_links = ?21, manager_id = ?22, away_until = ?23,"
		" status_text = ?24, avatar_key = ?25, avatar_ext = ?26, header_key = ?27, header_ext = ?28,"
		" default_privacy = ?29, language = ?30, updated_at = ?31, department_lower = ?32,"
		" location_lower = ?33");
	char dept[PROFILE_TEXT_BYTES * 3], loc[PROFILE_TEXT_BYTES * 3];
	int i, c;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, p->account_id);
	for (i = 0, c = 2; i < PF_NTEXT; i++, c++)
		sq_bind_text(st, c, p->text[i]);
	for (i = 0; i < PF_NTEXT; i++, c++)
		sqlite3_bind_int(st, c, p->vis[i]);
	sqlite3_bind_int(st, c++, p->vis[PF_LANGUAGES]);
	sqlite3_bind_int(st, c++, p->vis[PF_LINKS]);
	sqlite3_bind_int64(st, c++, p->manager_id);
	sqlite3_bind_int64(st, c++, p->away_until);
	sq_bind_text(st, c++, p->status_text);
	sq_bind_text(st, c++, p->avatar_key);
	sq_bind_text(st, c++, p->avatar_ext);
	sq_bind_text(st, c++, p->header_key);
	sq_bind_text(st, c++, p->header_ext);
	sq_bind_text(st, c++, p->default_privacy);
	sq_bind_text(st, c++, p->language);
	sqlite3_bind_int64(st, c++, p->updated_at);
	sq_fold(p->text[PF_DEPARTMENT], dept, sizeof dept);
	sq_fold(p->text[PF_LOCATION], loc, sizeof loc);
	sq_bind_text(st, c++, dept);
	sq_bind_text(st, c, loc);
	return sq_exec(st);
}

int store_profile_by_image_key(const char *key, int64_t *account_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT account_id FROM profiles WHERE avatar_key = ?1 AND ?1 <> ''"
				      " UNION ALL SELECT account_id FROM profiles WHERE header_key = ?1 AND ?1 <> ''");
	int rc;

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, key);
	rc = sq_step(st);
	if (rc == STORE_OK)
		*account_id = sqlite3_column_int64(st, 0);
	sq_done(st);
	return rc;
}

/* A list table: delete the account's rows, insert the new ones. */
static int set_list(const char *del, const char *ins, int64_t account_id,
		    const char *const *items, size_t n)
{
	char low[PROFILE_ITEM_BYTES * 3];
	size_t i;
	int rc = exec_id(del, account_id);

	for (i = 0; rc == STORE_OK && i < n; i++) {
		sqlite3_stmt *st = sq_prepare(ins);

		if (!st)
			return STORE_ERROR;
		sq_fold(items[i], low, sizeof low);
		sqlite3_bind_int64(st, 1, account_id);
		sq_bind_text(st, 2, low);
		sq_bind_text(st, 3, items[i]);
		sqlite3_bind_int(st, 4, (int)i);
		rc = sq_exec(st);
		if (rc == STORE_CONFLICT)
			rc = STORE_OK; /* the same item twice: keep the first */
	}
	return rc;
}

int store_profile_languages(int64_t account_id, void (*fn)(const char *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT language FROM profile_languages WHERE account_id = ?"
				      " ORDER BY position");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	return each_text(st, fn, ctx);
}

int store_profile_set_languages(int64_t account_id, const char *const *items, size_t n)
{
	return set_list("DELETE FROM profile_languages WHERE account_id = ?",
			"INSERT INTO profile_languages (account_id, language_lower, language, position)"
			" VALUES (?, ?, ?, ?)", account_id, items, n);
}

int store_profile_interests(int64_t account_id, void (*fn)(const char *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT interest FROM profile_interests WHERE account_id = ?"
				      " ORDER BY position");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	return each_text(st, fn, ctx);
}

int store_profile_set_interests(int64_t account_id, const char *const *items, size_t n)
{
	return set_list("DELETE FROM profile_interests WHERE account_id = ?",
			"INSERT INTO profile_interests (account_id, interest_lower, interest, position)"
			" VALUES (?, ?, ?, ?)", account_id, items, n);
}

int store_profile_links(int64_t account_id,
			void (*fn)(const char *name, const char *value, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT name, value FROM profile_links WHERE account_id = ?"
				      " ORDER BY position");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_profile_set_links(int64_t account_id, const char *const *names,
			    const char *const *values, size_t n)
{
	size_t i;
	int rc = exec_id("DELETE FROM profile_links WHERE account_id = ?", account_id);

	for (i = 0; rc == STORE_OK && i < n; i++) {
		sqlite3_stmt *st = sq_prepare("INSERT INTO profile_links (account_id, position, name, value)"
					      " VALUES (?, ?, ?, ?)");

		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, account_id);
		sqlite3_bind_int(st, 2, (int)i);
		sq_bind_text(st, 3, names[i]);
		sq_bind_text(st, 4, values[i]);
		rc = sq_exec(st);
	}
	return rc;
}

int store_profile_set_manager(int64_t account_id, int64_t manager_id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("UPDATE profiles SET manager_id = ?, updated_at = ? WHERE account_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, manager_id);
	sqlite3_bind_int64(st, 2, now_ms);
	sqlite3_bind_int64(st, 3, account_id);
	return sq_exec_changed(st);
}

int store_profile_reports(int64_t manager_id, const struct store_audience *aud, int limit,
			  void (*fn)(int64_t account_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT a.id FROM profiles p JOIN accounts a ON a.id = p.account_id"
		" WHERE p.manager_id = :manager AND p.manager_id <> 0 AND " ACCOUNT_VISIBLE_SQL("a")
		" ORDER BY lower(a.display_name), a.id LIMIT :limit");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":manager"), manager_id);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	sq_bind_audience(st, aud);
	return each_id(st, fn, ctx);
}

int64_t store_profile_reports_count(int64_t manager_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT COUNT(*) FROM profiles WHERE manager_id = ?1 AND ?1 <> 0");
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, manager_id);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_profile_index(int64_t account_id, const char *skills, const char *info, const char *info_org,
			const char *facet_languages, const char *facet_skills)
{
	sqlite3_stmt *st = sq_prepare("UPDATE profiles SET facet_languages = ?, facet_skills = ? WHERE account_id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, facet_languages);
	sq_bind_text(st, 2, facet_skills);
	sqlite3_bind_int64(st, 3, account_id);
	if (sq_exec(st) != STORE_OK)
		return STORE_ERROR;
	st = sq_prepare("UPDATE people_fts SET skills = ?, info = ?, info_org = ? WHERE rowid = ?");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, skills);
	sq_bind_text(st, 2, info);
	sq_bind_text(st, 3, info_org);
	sqlite3_bind_int64(st, 4, account_id);
	if (sq_exec(st) != STORE_OK)
		return STORE_ERROR;
	/* what the index finds changed: cached directory answers are stale */
	return sq_exec(sq_prepare("UPDATE people_meta SET gen = gen + 1 WHERE id = 1"));
}

int store_savepoint(void)
{
	return sq_exec(sq_prepare("SAVEPOINT people_row"));
}

int store_savepoint_rollback(void)
{
	int rc = sq_exec(sq_prepare("ROLLBACK TO people_row"));

	return rc == STORE_OK ? store_savepoint_release() : rc;
}

int store_savepoint_release(void)
{
	return sq_exec(sq_prepare("RELEASE people_row"));
}

int store_people_by_department(const char *department,
			       void (*fn)(int64_t account_id, void *), void *ctx)
{
	sqlite3_stmt *st;
	char low[PROFILE_TEXT_BYTES * 3];

	if (!department || !*department)
		return STORE_OK;
	sq_fold(department, low, sizeof low);
	st = sq_prepare("SELECT a.id FROM profiles p JOIN accounts a ON a.id = p.account_id"
			" WHERE p.department_lower = ? AND a.kind = 'staff' AND a.suspended = 0"
			" ORDER BY a.id");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, low);
	return each_id(st, fn, ctx);
}

int64_t store_people_gen(void)
{
	sqlite3_stmt *st = sq_prepare("SELECT gen FROM people_meta WHERE id = 1");
	int64_t g = -1;

	if (!st)
		return -1;
	if (sq_step(st) == STORE_OK)
		g = sqlite3_column_int64(st, 0);
	sq_done(st);
	return g;
}

/* ---- skills -------------------------------------------------------------- */

static void read_skill(sqlite3_stmt *st, struct skill_row *s)
{
	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	sq_col_text(st, 1, s->name, sizeof s->name);
	s->created_by = sqlite3_column_int64(st, 2);
	s->created_at = sqlite3_column_int64(st, 3);
	if (sqlite3_column_count(st) > 4)
		s->people = sqlite3_column_int64(st, 4);
}

static int one_skill(sqlite3_stmt *st, struct skill_row *out)
{
	int rc = sq_step(st);

	if (rc == STORE_OK)
		read_skill(st, out);
	sq_done(st);
	return rc;
}

int store_skill_insert(const struct skill_row *s)
{
	sqlite3_stmt *st;
	char low[SKILL_NAME_BYTES * 3];
	struct skill_row other;

	sq_fold(s->name, low, sizeof low);
	/* a name may not be another skill's alias either */
	if (store_skill_find(s->name, &other) == STORE_OK)
		return STORE_CONFLICT;
	st = sq_prepare("INSERT INTO skills (id, name, name_lower, created_by, created_at) VALUES (?, ?, ?, ?, ?)");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, s->id);
	sq_bind_text(st, 2, s->name);
	sq_bind_text(st, 3, low);
	sqlite3_bind_int64(st, 4, s->created_by);
	sqlite3_bind_int64(st, 5, s->created_at);
	return sq_exec(st);
}

int store_skill_get(int64_t id, struct skill_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, name, created_by, created_at FROM skills WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return one_skill(st, out);
}

int store_skill_find(const char *name, struct skill_row *out)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT id, name, created_by, created_at FROM skills WHERE name_lower = ?1"
		" UNION ALL SELECT s.id, s.name, s.created_by, s.created_at FROM skill_aliases x"
		" JOIN skills s ON s.id = x.skill_id WHERE x.alias_lower = ?1 LIMIT 1");
	char low[SKILL_NAME_BYTES * 3];

	if (!st)
		return STORE_ERROR;
	sq_fold(name, low, sizeof low);
	if (!low[0]) {
		sq_done(st);
		return STORE_NOTFOUND;
	}
	sq_bind_text(st, 1, low);
	return one_skill(st, out);
}

int store_skill_rename(int64_t id, const char *name)
{
	sqlite3_stmt *st;
	char low[SKILL_NAME_BYTES * 3];
	struct skill_row other;

	if (store_skill_find(name, &other) == STORE_OK && other.id != id)
		return STORE_CONFLICT;
	sq_fold(name, low, sizeof low);
	/* renaming to one's own alias: the alias goes */
	st = sq_prepare("DELETE FROM skill_aliases WHERE alias_lower = ? AND skill_id = ?");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, low);
	sqlite3_bind_int64(st, 2, id);
	if (sq_exec(st) != STORE_OK)
		return STORE_ERROR;
	st = sq_prepare("UPDATE skills SET name = ?, name_lower = ? WHERE id = ?");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, name);
	sq_bind_text(st, 2, low);
	sqlite3_bind_int64(st, 3, id);
	return sq_exec_changed(st);
}

int store_skill_delete(int64_t id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM skills WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return sq_exec_changed(st);
}

int store_skill_merge(int64_t from, int64_t into)
{
	static const char *const steps[] = {
		/* profiles holding both keep the higher level */
		"UPDATE profile_skills SET level = max(level, (SELECT f.level FROM profile_skills f"
		"  WHERE f.account_id = profile_skills.account_id AND f.skill_id = ?1))"
		" WHERE skill_id = ?2 AND account_id IN (SELECT account_id FROM profile_skills WHERE skill_id = ?1)",
		"INSERT INTO profile_skills (account_id, skill_id, level, created_at)"
		" SELECT account_id, ?2, level, created_at FROM profile_skills WHERE skill_id = ?1"
		" ON CONFLICT DO NOTHING",
		"INSERT INTO endorsements (account_id, skill_id, endorser_id, created_at)"
		" SELECT account_id, ?2, endorser_id, created_at FROM endorsements WHERE skill_id = ?1"
		" ON CONFLICT DO NOTHING",
		"UPDATE skill_aliases SET skill_id = ?2 WHERE skill_id = ?1",
		"INSERT INTO skill_aliases (alias_lower, alias, skill_id) SELECT name_lower, name, ?2"
		" FROM skills WHERE id = ?1 ON CONFLICT DO NOTHING",
		"DELETE FROM skills WHERE id = ?1",
	};
	size_t i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		sqlite3_stmt *st = sq_prepare(steps[i]);
		int rc;

		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, from);
		sqlite3_bind_int64(st, 2, into);
		if ((rc = sq_exec(st)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

int store_skill_alias_add(int64_t skill_id, const char *alias)
{
	sqlite3_stmt *st;
	char low[SKILL_NAME_BYTES * 3];
	struct skill_row other;

	if (store_skill_find(alias, &other) == STORE_OK)
		return other.id == skill_id ? STORE_OK : STORE_CONFLICT;
	sq_fold(alias, low, sizeof low);
	st = sq_prepare("INSERT INTO skill_aliases (alias_lower, alias, skill_id) VALUES (?, ?, ?)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, low);
	sq_bind_text(st, 2, alias);
	sqlite3_bind_int64(st, 3, skill_id);
	return sq_exec(st);
}

int store_skill_alias_remove(int64_t skill_id, const char *alias)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM skill_aliases WHERE alias_lower = ? AND skill_id = ?");
	char low[SKILL_NAME_BYTES * 3];

	if (!st)
		return STORE_ERROR;
	sq_fold(alias, low, sizeof low);
	sq_bind_text(st, 1, low);
	sqlite3_bind_int64(st, 2, skill_id);
	return sq_exec_changed(st);
}

int store_skill_aliases(int64_t skill_id, void (*fn)(const char *alias, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT alias FROM skill_aliases WHERE skill_id = ? ORDER BY alias_lower");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, skill_id);
	return each_text(st, fn, ctx);
}

int store_skill_vocabulary(void (*fn)(int64_t id, const char *text, int is_alias,
				      int64_t people, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT s.id, s.name, 0, s.people FROM skills s"
		" UNION ALL SELECT x.skill_id, x.alias, 1, s.people FROM skill_aliases x JOIN skills s ON s.id = x.skill_id");
	int rc;

	if (!st)
		return STORE_ERROR;
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		   sqlite3_column_int(st, 2), sqlite3_column_int64(st, 3), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_skill_list(const char *prefix, int limit,
		     void (*fn)(const struct skill_row *, void *), void *ctx)
{
	/* name_lower >= p AND name_lower < p || U+10FFFF: a prefix range on
	 * the unique index, in byte order */
	sqlite3_stmt *st = sq_prepare(
		"SELECT s.id, s.name, s.created_by, s.created_at, s.people AS n FROM skills s"
		" WHERE s.name_lower >= ?1 AND s.name_lower < ?1 || x'F48FBFBF'"
		"  OR s.id IN (SELECT skill_id FROM skill_aliases WHERE alias_lower >= ?1"
		"              AND alias_lower < ?1 || x'F48FBFBF')"
		" ORDER BY n DESC, s.name_lower LIMIT ?2");
	char low[SKILL_NAME_BYTES * 3];
	struct skill_row s;
	int rc;

	if (!st)
		return STORE_ERROR;
	sq_fold(prefix ? prefix : "", low, sizeof low);
	sq_bind_text(st, 1, low);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sq_step(st)) == STORE_OK) {
		read_skill(st, &s);
		fn(&s, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ---- skills on profiles ----------------------------------------------------- */

static void read_profile_skill(sqlite3_stmt *st, struct profile_skill_row *r)
{
	memset(r, 0, sizeof *r);
	r->account_id = sqlite3_column_int64(st, 0);
	r->skill_id = sqlite3_column_int64(st, 1);
	sq_col_text(st, 2, r->name, sizeof r->name);
	r->level = sqlite3_column_int(st, 3);
	r->endorsements = sqlite3_column_int64(st, 4);
	r->endorsed_by_viewer = sqlite3_column_int(st, 5);
	r->created_at = sqlite3_column_int64(st, 6);
}

#define PSKILL_SELECT \
	"SELECT ps.account_id, ps.skill_id, s.name, ps.level," \
	" (SELECT COUNT(*) FROM endorsements e WHERE e.account_id = ps.account_id AND e.skill_id = ps.skill_id)," \
	" EXISTS (SELECT 1 FROM endorsements e WHERE e.account_id = ps.account_id" \
	"         AND e.skill_id = ps.skill_id AND e.endorser_id = ?2 AND ?2 <> 0)," \
	" ps.created_at FROM profile_skills ps JOIN skills s ON s.id = ps.skill_id"

int store_profile_skills(int64_t account_id, int64_t viewer_id,
			 void (*fn)(const struct profile_skill_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(PSKILL_SELECT " WHERE ps.account_id = ?1"
				      " ORDER BY ps.level DESC, 5 DESC, s.name_lower");
	struct profile_skill_row r;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		read_profile_skill(st, &r);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_profile_skill_get(int64_t account_id, int64_t skill_id, struct profile_skill_row *out)
{
	sqlite3_stmt *st = sq_prepare(PSKILL_SELECT " WHERE ps.account_id = ?1 AND ps.skill_id = ?3");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, 0);
	sqlite3_bind_int64(st, 3, skill_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_profile_skill(st, out);
	sq_done(st);
	return rc;
}

int64_t store_profile_skill_count(int64_t account_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT COUNT(*) FROM profile_skills WHERE account_id = ?");
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, account_id);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_profile_skill_put(int64_t account_id, int64_t skill_id, int level, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO profile_skills (account_id, skill_id, level, created_at) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT (account_id, skill_id) DO UPDATE SET level = ?3");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, skill_id);
	sqlite3_bind_int(st, 3, level);
	sqlite3_bind_int64(st, 4, now_ms);
	return sq_exec(st);
}

int store_profile_skill_delete(int64_t account_id, int64_t skill_id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM profile_skills WHERE account_id = ? AND skill_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, skill_id);
	return sq_exec_changed(st);
}

int store_endorsement_add(int64_t account_id, int64_t skill_id, int64_t endorser_id, int64_t now_ms)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO endorsements (account_id, skill_id, endorser_id, created_at)"
				      " VALUES (?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, skill_id);
	sqlite3_bind_int64(st, 3, endorser_id);
	sqlite3_bind_int64(st, 4, now_ms);
	return sq_exec(st);
}

int store_endorsement_remove(int64_t account_id, int64_t skill_id, int64_t endorser_id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM endorsements WHERE account_id = ? AND skill_id = ?"
				      " AND endorser_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, skill_id);
	sqlite3_bind_int64(st, 3, endorser_id);
	return sq_exec_changed(st);
}

int store_endorsers(int64_t account_id, int64_t skill_id, const struct store_audience *aud,
		    int limit, void (*fn)(int64_t endorser_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT a.id FROM endorsements e JOIN accounts a ON a.id = e.endorser_id"
		" WHERE e.account_id = :account AND e.skill_id = :skill AND " ACCOUNT_VISIBLE_SQL("a")
		" ORDER BY e.created_at DESC LIMIT :limit");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":account"), account_id);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":skill"), skill_id);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	sq_bind_audience(st, aud);
	return each_id(st, fn, ctx);
}

int store_skill_holders(int64_t skill_id, void (*fn)(int64_t account_id, int level, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT account_id, level FROM profile_skills WHERE skill_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, skill_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_skill_endorsements(int64_t skill_id, void (*fn)(int64_t account_id, int64_t endorser_id, void *),
			     void *ctx)
{
	/* covered by endorsements_skill: no table access */
	sqlite3_stmt *st = sq_prepare("SELECT account_id, endorser_id FROM endorsements WHERE skill_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, skill_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_suspended_accounts(void (*fn)(int64_t account_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT id FROM accounts WHERE suspended <> 0");

	if (!st)
		return STORE_ERROR;
	return each_id(st, fn, ctx);
}

int store_tag_activity(const int64_t *tag_ids, size_t n, int staff,
		       void (*fn)(int64_t account_id, int64_t posts, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		/* CROSS JOIN: from the tag's posts (else the planner may walk
		 * every post through posts_reblog for "reblog_of_id IS NULL") */
		"SELECT p.account_id, COUNT(DISTINCT p.id) FROM post_tags pt CROSS JOIN posts p ON p.id = pt.post_id"
		" WHERE pt.tag_id IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) AND p.reblog_of_id IS NULL"
		" AND (p.audience = 'public' OR (p.audience = 'organisation' AND ?9 <> 0))"
		" GROUP BY p.account_id");
	int rc, i;

	if (!st)
		return STORE_ERROR;
	if (n == 0) {
		sq_done(st);
		return STORE_OK;
	}
	for (i = 0; i < 8; i++)
		sqlite3_bind_int64(st, i + 1, (size_t)i < n ? tag_ids[i] : -1);
	sqlite3_bind_int(st, 9, staff);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ---- admin-defined fields ------------------------------------------------- */

static void read_def(sqlite3_stmt *st, struct field_def_row *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(st, 0);
	sq_col_text(st, 1, d->name, sizeof d->name);
	sq_col_text(st, 2, d->kind, sizeof d->kind);
	sq_col_text(st, 3, d->choices, sizeof d->choices);
	d->visibility = sqlite3_column_int(st, 4);
	d->position = sqlite3_column_int(st, 5);
	d->created_at = sqlite3_column_int64(st, 6);
}

int store_field_def_insert(const struct field_def_row *d)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO profile_field_defs (id, name, name_lower, kind, choices,"
				      " visibility, position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	char low[FIELD_DEF_NAME_BYTES * 3];

	if (!st)
		return STORE_ERROR;
	sq_fold(d->name, low, sizeof low);
	sqlite3_bind_int64(st, 1, d->id);
	sq_bind_text(st, 2, d->name);
	sq_bind_text(st, 3, low);
	sq_bind_text(st, 4, d->kind);
	sq_bind_text(st, 5, d->choices);
	sqlite3_bind_int(st, 6, d->visibility);
	sqlite3_bind_int(st, 7, d->position);
	sqlite3_bind_int64(st, 8, d->created_at);
	return sq_exec(st);
}

int store_field_def_update(const struct field_def_row *d)
{
	sqlite3_stmt *st = sq_prepare("UPDATE profile_field_defs SET name = ?, name_lower = ?, choices = ?,"
				      " visibility = ?, position = ? WHERE id = ?");
	char low[FIELD_DEF_NAME_BYTES * 3];

	if (!st)
		return STORE_ERROR;
	sq_fold(d->name, low, sizeof low);
	sq_bind_text(st, 1, d->name);
	sq_bind_text(st, 2, low);
	sq_bind_text(st, 3, d->choices);
	sqlite3_bind_int(st, 4, d->visibility);
	sqlite3_bind_int(st, 5, d->position);
	sqlite3_bind_int64(st, 6, d->id);
	return sq_exec_changed(st);
}

int store_field_def_delete(int64_t id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM profile_field_defs WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return sq_exec_changed(st);
}

int store_field_def_get(int64_t id, struct field_def_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, name, kind, choices, visibility, position, created_at"
				      " FROM profile_field_defs WHERE id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_def(st, out);
	sq_done(st);
	return rc;
}

int store_field_defs(void (*fn)(const struct field_def_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, name, kind, choices, visibility, position, created_at"
				      " FROM profile_field_defs ORDER BY position, id");
	struct field_def_row d;
	int rc;

	if (!st)
		return STORE_ERROR;
	while ((rc = sq_step(st)) == STORE_OK) {
		read_def(st, &d);
		fn(&d, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_field_values(int64_t account_id, void (*fn)(int64_t field_id, const char *value, void *),
		       void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT field_id, value FROM profile_field_values WHERE account_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_field_value_set(int64_t account_id, int64_t field_id, const char *value)
{
	sqlite3_stmt *st;

	if (!value || !*value) {
		st = sq_prepare("DELETE FROM profile_field_values WHERE account_id = ? AND field_id = ?");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, account_id);
		sqlite3_bind_int64(st, 2, field_id);
		return sq_exec(st);
	}
	st = sq_prepare("INSERT INTO profile_field_values (account_id, field_id, value) VALUES (?1, ?2, ?3)"
			" ON CONFLICT (account_id, field_id) DO UPDATE SET value = ?3");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, field_id);
	sq_bind_text(st, 3, value);
	return sq_exec(st);
}

int store_field_holders(int64_t field_id, void (*fn)(int64_t account_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT account_id FROM profile_field_values WHERE field_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, field_id);
	return each_id(st, fn, ctx);
}

/* ---- sensemaking ------------------------------------------------------------ */

int store_people_common_follows(int64_t a, int64_t b, const struct store_audience *aud, int limit,
				void (*fn)(int64_t account_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT x.id FROM follows fa JOIN follows fb ON fb.followee_id = fa.followee_id"
		" JOIN accounts x ON x.id = fa.followee_id"
		" WHERE fa.follower_id = :a AND fb.follower_id = :b AND x.id <> :a AND x.id <> :b"
		" AND " ACCOUNT_VISIBLE_SQL("x") " ORDER BY fa.id DESC LIMIT :limit");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":a"), a);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":b"), b);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	sq_bind_audience(st, aud);
	return each_id(st, fn, ctx);
}

int store_people_common_spaces(int64_t a, int64_t b,
			       void (*fn)(int64_t id, const char *handle, const char *name, void *),
			       void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT s.id, s.handle, s.name FROM space_members x JOIN space_members y ON y.space_id = x.space_id"
		" JOIN spaces s ON s.id = x.space_id WHERE x.account_id = ? AND y.account_id = ?"
		" ORDER BY s.name");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		   (const char *)sqlite3_column_text(st, 2), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_people_neighbours(int64_t account_id, const struct store_audience *aud, int limit,
			    void (*fn)(int64_t account_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT n.id FROM (SELECT followee_id AS id FROM follows WHERE follower_id = :me"
		"  UNION SELECT follower_id FROM follows WHERE followee_id = :me"
		"  UNION SELECT manager_id FROM profiles WHERE account_id = :me AND manager_id <> 0"
		"  UNION SELECT account_id FROM profiles WHERE manager_id = :me) n"
		" JOIN accounts a ON a.id = n.id WHERE " ACCOUNT_VISIBLE_SQL("a") " LIMIT :limit");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":me"), account_id);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	sq_bind_audience(st, aud);
	return each_id(st, fn, ctx);
}

int store_people_contributions(int64_t account_id, int staff, int64_t *posts, int64_t *articles)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT COALESCE(SUM(kind = 'note'), 0), COALESCE(SUM(kind = 'article'), 0) FROM posts"
		" WHERE account_id = ? AND reblog_of_id IS NULL"
		" AND (audience = 'public' OR (audience = 'organisation' AND ? <> 0))");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int(st, 2, staff);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		*posts = sqlite3_column_int64(st, 0);
		*articles = sqlite3_column_int64(st, 1);
	}
	sq_done(st);
	return rc == STORE_ERROR ? rc : STORE_OK;
}
