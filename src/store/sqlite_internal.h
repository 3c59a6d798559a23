/*
 * sqlite_internal.h - what the SQLite backend's files share: the calling
 * thread's connection and the statement cache. Not for use outside store/.
 */
#ifndef PARLEY_STORE_SQLITE_INTERNAL_H
#define PARLEY_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* A prepared statement for `sql` on this thread's connection, reset and
 * with bindings cleared. `sql` must be a string literal: the cache is keyed
 * by its address. NULL on error (logged). The statement stays owned by the
 * cache: the caller never finalises it, and calls sq_done() when finished. */
sqlite3_stmt *sq_prepare(const char *sql);
/* Reset a statement taken from sq_prepare() so it releases its locks. */
void sq_done(sqlite3_stmt *st);

/* Run a statement with no result rows to completion, then sq_done() it.
 * Maps SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY to STORE_CONFLICT. */
int sq_exec(sqlite3_stmt *st);
/* Like sq_exec(), but STORE_NOTFOUND when no row was changed. */
int sq_exec_changed(sqlite3_stmt *st);
/* Prepare `sql` (a string literal with one or two `?` taking ids), bind
 * a (and b, when the statement has a second parameter), and run it as
 * sq_exec_changed() does: the common "DELETE ... WHERE id = ?" shape. */
int sq_exec_ids(const char *sql, int64_t a, int64_t b);
/* The same, answering STORE_OK when a row exists (SELECT 1 ...),
 * STORE_NOTFOUND when not, STORE_ERROR. */
int sq_exists_ids(const char *sql, int64_t a, int64_t b);
/* Step once: STORE_OK with a row, STORE_NOTFOUND when done, STORE_ERROR. */
int sq_step(sqlite3_stmt *st);
/* Rows changed by the last statement on this thread's connection. */
int sq_changes(void);

/* Copy a text column into a fixed array, truncating safely ("" for NULL). */
void sq_col_text(sqlite3_stmt *st, int col, char *dst, size_t n);
int sq_bind_text(sqlite3_stmt *st, int idx, const char *s);

/*
 * Which accounts a viewer may see (profiles, search, directory): the SQL
 * twin of audience_may_see_account() in model/audience.c. `A` is the
 * accounts table's alias; the viewer is bound by name with
 * sq_bind_audience(). Staff see every account; guests see themselves,
 * the people they share a space with, and public profiles; anonymous
 * visitors see public profiles. Suspended accounts only to admins and
 * moderators; an account never to those it blocked.
 */
#define ACCOUNT_VISIBLE_SQL(A) \
	"((" A ".suspended = 0 OR :aud_priv <> 0)" \
	" AND (" A ".id = :aud_viewer OR :aud_staff <> 0 OR " A ".profile_public <> 0" \
	"  OR (:aud_viewer <> 0 AND EXISTS (SELECT 1 FROM space_members sv JOIN space_members sa" \
	"      ON sa.space_id = sv.space_id WHERE sv.account_id = :aud_viewer AND sa.account_id = " A ".id)))" \
	" AND (:aud_viewer = 0 OR " A ".id = :aud_viewer OR NOT EXISTS (SELECT 1 FROM blocks bv" \
	"      WHERE bv.account_id = " A ".id AND bv.target_id = :aud_viewer)))"

/*
 * Which posts a viewer may read: the SQL twin of audience_may_read() in
 * model/audience.c (tests/unit/test_audience.c checks they agree). `p` is
 * the posts table's alias; ?1 is the viewer's account id (0: anonymous)
 * and ?2 1 when the viewer is staff. Used by every list of posts
 * (sqlite_posts.c) and of what is a post (sqlite_questions.c, sqlite_metrics.c,
 * sqlite_ideas.c): every statement using it binds those two positions.
 * Its ORs on p.audience let the planner drive a whole query from posts
 * (a MULTI-INDEX OR over posts_audience: every post of the organisation);
 * where a smaller table (questions, answers, idea versions) should lead,
 * write `small CROSS JOIN posts p` so SQLite keeps it outermost.
 */
#define AUD_SQL \
	"(p.account_id = ?1" \
	" OR p.audience = 'public'" \
	" OR (p.audience = 'organisation' AND ?2 <> 0)" \
	" OR (p.audience = 'followers' AND ?1 <> 0 AND EXISTS (SELECT 1 FROM follows f" \
	"     WHERE f.follower_id = ?1 AND f.followee_id = p.account_id))" \
	" OR (p.audience IN ('followers', 'direct') AND ?1 <> 0 AND EXISTS (SELECT 1 FROM mentions mm" \
	"     WHERE mm.post_id = p.id AND mm.account_id = ?1))" \
	" OR (p.audience = 'space' AND ?1 <> 0 AND EXISTS (SELECT 1 FROM space_members sm" \
	"     WHERE sm.space_id = p.space_id AND sm.account_id = ?1))" \
	" OR (p.audience = 'space' AND EXISTS (SELECT 1 FROM spaces sp WHERE sp.id = p.space_id" \
	"     AND (sp.kind = 'public' OR (sp.kind = 'internal' AND sp.access = 'open' AND ?2 <> 0)))))" \
	" AND (?1 = 0 OR NOT EXISTS (SELECT 1 FROM blocks b WHERE" \
	"     (b.account_id = ?1 AND b.target_id = p.account_id) OR (b.account_id = p.account_id AND b.target_id = ?1)))" \
	" AND (p.reblog_of_id IS NULL OR ?1 = 0 OR NOT EXISTS (SELECT 1 FROM posts o JOIN blocks b2" \
	"     ON (b2.account_id = ?1 AND b2.target_id = o.account_id) OR (b2.account_id = o.account_id AND b2.target_id = ?1)" \
	"     WHERE o.id = p.reblog_of_id))"

/* The Unicode case fold of s (lib/markdown.h: markdown_tag_key) into dst;
 * "" when it does not fit. For case-insensitive keys (store_people.h). */
void sq_fold(const char *s, char *dst, size_t n);

struct store_audience;
/* Bind :aud_viewer, :aud_staff and :aud_priv where the statement has them. */
void sq_bind_audience(sqlite3_stmt *st, const struct store_audience *aud);

#endif
