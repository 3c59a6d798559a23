/*
 * sqlite_posts.c - posts, their edits, mentions, tags and links, and the
 * timeline queries, in the SQLite backend (see store_posts.h).
 *
 * The audience predicate. Every list of posts is filtered by AUD_SQL
 * (store/sqlite_internal.h), with ?1 the viewer's account id (0:
 * anonymous) and ?2 1 when the viewer is staff. It is the SQL twin of
 * audience_may_read() in model/audience.c; tests/unit/test_audience.c
 * checks they agree.
 *
 * Timelines are computed when read. Statements are fixed strings (so they
 * are prepared once per connection): optional filters are written as
 * "(?N = 0 OR ...)" and bounds always bound (max_id defaults to the
 * largest id). With min_id the query runs oldest-first and the caller's
 * callback still gets the rows newest-first.
 */
#include "store/store_posts.h"
#include "store/sqlite_internal.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"

#include <stdlib.h>
#include <string.h>

#define POST_COLS "p.id, p.account_id, p.audience, p.space_id, p.kind, p.in_reply_to_id, " \
	"p.in_reply_to_account_id, coalesce(p.reblog_of_id, 0), p.quote_of_id, p.title, p.source, " \
	"p.content, p.spoiler_text, p.sensitive, p.language, p.app_id, p.has_media, p.has_poll, " \
	"p.created_at, p.edited_at, p.replies_count, p.reblogs_count, p.favourites_count"

static char *col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);
	char *d = malloc(n + 1);

	if (!d)
		return NULL;
	if (s)
		memcpy(d, s, n);
	d[s ? n : 0] = '\0';
	return d;
}

void post_row_release(struct post_row *p)
{
	free(p->title);
	free(p->source);
	free(p->content);
	free(p->spoiler_text);
	p->title = p->source = p->content = p->spoiler_text = NULL;
}

static int read_post(sqlite3_stmt *st, struct post_row *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->account_id = sqlite3_column_int64(st, 1);
	sq_col_text(st, 2, p->audience, sizeof p->audience);
	p->space_id = sqlite3_column_int64(st, 3);
	sq_col_text(st, 4, p->kind, sizeof p->kind);
	p->in_reply_to_id = sqlite3_column_int64(st, 5);
	p->in_reply_to_account_id = sqlite3_column_int64(st, 6);
	p->reblog_of_id = sqlite3_column_int64(st, 7);
	p->quote_of_id = sqlite3_column_int64(st, 8);
	p->title = col_dup(st, 9);
	p->source = col_dup(st, 10);
	p->content = col_dup(st, 11);
	p->spoiler_text = col_dup(st, 12);
	p->sensitive = sqlite3_column_int(st, 13);
	sq_col_text(st, 14, p->language, sizeof p->language);
	p->app_id = sqlite3_column_int64(st, 15);
	p->has_media = sqlite3_column_int(st, 16);
	p->has_poll = sqlite3_column_int(st, 17);
	p->created_at = sqlite3_column_int64(st, 18);
	p->edited_at = sqlite3_column_int64(st, 19);
	p->replies_count = sqlite3_column_int64(st, 20);
	p->reblogs_count = sqlite3_column_int64(st, 21);
	p->favourites_count = sqlite3_column_int64(st, 22);
	if (!p->title || !p->source || !p->content || !p->spoiler_text) {
		post_row_release(p);
		return STORE_ERROR;
	}
	return STORE_OK;
}

/* Step through rows, handing each post to fn. */
static int each_post(sqlite3_stmt *st, void (*fn)(const struct post_row *, void *), void *ctx)
{
	int rc;

	while ((rc = sq_step(st)) == STORE_OK) {
		struct post_row p;

		if (read_post(st, &p) != STORE_OK) {
			rc = STORE_ERROR;
			break;
		}
		fn(&p, ctx);
		post_row_release(&p);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_post_insert(const struct post_row *p)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO posts (id, account_id, audience, space_id, kind, in_reply_to_id, "
		"in_reply_to_account_id, reblog_of_id, quote_of_id, title, source, content, spoiler_text, "
		"sensitive, language, app_id, has_media, has_poll, created_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_int64(st, 2, p->account_id);
	sq_bind_text(st, 3, p->audience);
	sqlite3_bind_int64(st, 4, p->space_id);
	sq_bind_text(st, 5, p->kind[0] ? p->kind : "note");
	sqlite3_bind_int64(st, 6, p->in_reply_to_id);
	sqlite3_bind_int64(st, 7, p->in_reply_to_account_id);
	sqlite3_bind_int64(st, 8, p->reblog_of_id);
	sqlite3_bind_int64(st, 9, p->quote_of_id);
	sq_bind_text(st, 10, p->title);
	sq_bind_text(st, 11, p->source);
	sq_bind_text(st, 12, p->content);
	sq_bind_text(st, 13, p->spoiler_text);
	sqlite3_bind_int(st, 14, p->sensitive);
	sq_bind_text(st, 15, p->language);
	sqlite3_bind_int64(st, 16, p->app_id);
	sqlite3_bind_int(st, 17, p->has_media);
	sqlite3_bind_int(st, 18, p->has_poll);
	sqlite3_bind_int64(st, 19, p->created_at);
	rc = sq_exec(st);
	if (rc != STORE_OK)
		return rc;
	/* counters on the parent and the original */
	if (p->in_reply_to_id) {
		st = sq_prepare("UPDATE posts SET replies_count = replies_count + 1 WHERE id = ?");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, p->in_reply_to_id);
		rc = sq_exec(st);
	}
	if (rc == STORE_OK && p->reblog_of_id) {
		st = sq_prepare("UPDATE posts SET reblogs_count = reblogs_count + 1 WHERE id = ?");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, p->reblog_of_id);
		rc = sq_exec(st);
	}
	return rc;
}

int store_post_get(int64_t id, struct post_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " POST_COLS " FROM posts p WHERE p.id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		rc = read_post(st, out);
	sq_done(st);
	return rc;
}

int store_post_update(const struct post_row *p)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO post_edits (post_id, title, source, content, spoiler_text, sensitive, poll_options, "
		"created_at) SELECT id, title, source, content, spoiler_text, sensitive, "
		"coalesce((SELECT options FROM polls WHERE post_id = posts.id), ''), "
		"CASE WHEN edited_at > 0 THEN edited_at ELSE created_at END FROM posts WHERE id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, p->id);
	rc = sq_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sq_prepare("UPDATE posts SET title = ?, source = ?, content = ?, spoiler_text = ?, "
			"sensitive = ?, language = ?, has_media = ?, has_poll = ?, edited_at = ? WHERE id = ?");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, p->title);
	sq_bind_text(st, 2, p->source);
	sq_bind_text(st, 3, p->content);
	sq_bind_text(st, 4, p->spoiler_text);
	sqlite3_bind_int(st, 5, p->sensitive);
	sq_bind_text(st, 6, p->language);
	sqlite3_bind_int(st, 7, p->has_media);
	sqlite3_bind_int(st, 8, p->has_poll);
	sqlite3_bind_int64(st, 9, p->edited_at);
	sqlite3_bind_int64(st, 10, p->id);
	return sq_exec_changed(st);
}

int store_post_delete(int64_t id)
{
	struct post_row p;
	sqlite3_stmt *st;
	int rc = store_post_get(id, &p);

	if (rc != STORE_OK)
		return rc;
	if (p.in_reply_to_id) {
		st = sq_prepare("UPDATE posts SET replies_count = max(replies_count - 1, 0) WHERE id = ?");
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, p.in_reply_to_id);
		if (sq_exec(st) != STORE_OK)
			goto fail;
	}
	if (p.reblog_of_id) {
		st = sq_prepare("UPDATE posts SET reblogs_count = max(reblogs_count - 1, 0) WHERE id = ?");
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, p.reblog_of_id);
		if (sq_exec(st) != STORE_OK)
			goto fail;
	}
	post_row_release(&p);
	/* mentions, tags, favourites, reblogs, notifications... go by cascade */
	st = sq_prepare("DELETE FROM posts WHERE id = ?");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return sq_exec_changed(st);
fail:
	post_row_release(&p);
	return STORE_ERROR;
}

int store_post_reblog_of(int64_t account_id, int64_t post_id, int64_t *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT id FROM posts WHERE reblog_of_id = ? AND account_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		*out = sqlite3_column_int64(st, 0);
	sq_done(st);
	return rc;
}

int store_post_edits(int64_t post_id, void (*fn)(const struct post_edit_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT title, source, content, spoiler_text, sensitive, created_at, poll_options "
				      "FROM post_edits WHERE post_id = ? ORDER BY id");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct post_edit_row e;

		e.title = col_dup(st, 0);
		e.source = col_dup(st, 1);
		e.content = col_dup(st, 2);
		e.spoiler_text = col_dup(st, 3);
		e.sensitive = sqlite3_column_int(st, 4);
		e.created_at = sqlite3_column_int64(st, 5);
		e.poll_options = col_dup(st, 6);
		if (e.title && e.source && e.content && e.spoiler_text && e.poll_options)
			fn(&e, ctx);
		else
			rc = STORE_ERROR;
		free(e.title);
		free(e.source);
		free(e.content);
		free(e.spoiler_text);
		free(e.poll_options);
		if (rc == STORE_ERROR)
			break;
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ---- mentions, tags, links ----------------------------------------- */

/* Run a statement whose only parameter is a post id (a DELETE). */
static int exec_post(const char *sql, int64_t post_id)
{
	sqlite3_stmt *st = sq_prepare(sql);

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	return sq_exec(st);
}

int store_post_set_mentions(int64_t post_id, const int64_t *ids, size_t n)
{
	sqlite3_stmt *st;
	size_t i;

	if (exec_post("DELETE FROM mentions WHERE post_id = ?", post_id) != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < n; i++) {
		st = sq_prepare("INSERT INTO mentions (post_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, post_id);
		sqlite3_bind_int64(st, 2, ids[i]);
		if (sq_exec(st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int store_post_mentions(int64_t post_id, int64_t *ids, size_t max, size_t *n)
{
	sqlite3_stmt *st = sq_prepare("SELECT account_id FROM mentions WHERE post_id = ? ORDER BY rowid");
	int rc;

	*n = 0;
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	while ((rc = sq_step(st)) == STORE_OK && *n < max)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	sq_done(st);
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

int store_post_mentions_account(int64_t post_id, int64_t account_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT 1 FROM mentions WHERE post_id = ? AND account_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, account_id);
	rc = sq_step(st);
	sq_done(st);
	return rc;
}

/* The unique key of a tag: the same Unicode case fold the renderer uses
 * in tag links (markdown_tag_key), so "Café" and "CAFÉ" are one tag. */
static int tag_key(const char *name, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	int rc = markdown_tag_key(name, strlen(name), &b);

	if (rc == 0 && b.len < n)
		memcpy(out, buf_str(&b), b.len + 1);
	else
		rc = -1;
	buf_release(&b);
	return rc;
}

int store_tag_find(const char *name, int64_t *id, char *display, size_t n)
{
	sqlite3_stmt *st;
	char key[512];
	int rc;

	if (tag_key(name, key, sizeof key) < 0)
		return STORE_NOTFOUND;
	st = sq_prepare("SELECT id, name FROM tags WHERE name_lower = ?");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, key);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		*id = sqlite3_column_int64(st, 0);
		if (display)
			sq_col_text(st, 1, display, n);
	}
	sq_done(st);
	return rc;
}

int store_tag_ensure(const char *name, int64_t now_ms, int64_t *id)
{
	sqlite3_stmt *st;
	char key[512];
	int rc = store_tag_find(name, id, NULL, 0);

	if (rc != STORE_NOTFOUND)
		return rc;
	if (tag_key(name, key, sizeof key) < 0)
		return STORE_ERROR;
	st = sq_prepare("INSERT INTO tags (name, name_lower, created_at) VALUES (?, ?, ?) RETURNING id");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, name);
	sq_bind_text(st, 2, key);
	sqlite3_bind_int64(st, 3, now_ms);
	rc = sq_step(st);
	if (rc == STORE_OK)
		*id = sqlite3_column_int64(st, 0);
	sq_done(st);
	return rc;
}

int store_post_set_tags(int64_t post_id, char *const *names, size_t n, int64_t now_ms)
{
	sqlite3_stmt *st;
	size_t i;

	if (exec_post("DELETE FROM post_tags WHERE post_id = ?", post_id) != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < n; i++) {
		int64_t tag;

		if (store_tag_ensure(names[i], now_ms, &tag) != STORE_OK)
			return STORE_ERROR;
		st = sq_prepare("INSERT INTO post_tags (post_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, post_id);
		sqlite3_bind_int64(st, 2, tag);
		if (sq_exec(st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int store_post_tags(int64_t post_id, void (*fn)(const char *name, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
				      "WHERE pt.post_id = ? ORDER BY pt.rowid");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn((const char *)sqlite3_column_text(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_post_set_links(int64_t post_id, char *const *urls, size_t n)
{
	sqlite3_stmt *st;
	size_t i;

	if (exec_post("DELETE FROM post_links WHERE post_id = ?", post_id) != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < n; i++) {
		st = sq_prepare("INSERT INTO post_links (post_id, url) VALUES (?, ?) ON CONFLICT DO NOTHING");
		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, post_id);
		sq_bind_text(st, 2, urls[i]);
		if (sq_exec(st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

/* ---- timelines ------------------------------------------------------ */

/* Binds: ?1 viewer, ?2 staff, ?3 max_id, ?4 since/min id, ?5 limit,
 * ?6 the kind's id, ?7 exclude_replies, ?8 exclude_reblogs, ?9 only_media,
 * ?10 now (mutes expire). */
#define TL_FILTERS \
	" AND p.id < ?3 AND p.id > ?4" \
	" AND (?7 = 0 OR p.in_reply_to_id = 0 OR p.in_reply_to_account_id = p.account_id)" \
	" AND (?8 = 0 OR p.reblog_of_id IS NULL)" \
	" AND (?9 = 0 OR p.has_media <> 0)" \
	" AND " AUD_SQL
#define TL_DESC " ORDER BY p.id DESC LIMIT ?5"
#define TL_ASC " ORDER BY p.id ASC LIMIT ?5"

/* A space's posts reach a member's home by the membership's setting
 * (all, pinned, none), whoever wrote them; follows and followed tags
 * bring in posts outside spaces. */
/* The scan walks posts newest first until `limit` match (about 500 posts
 * at size M), so each post's test must be cheap. The follow list and the
 * viewer's spaces are lists built once per query (a lookup per post); the
 * "any followed tag?" and "in one of my spaces?" tests come before the
 * per-post probes they gate: 0.93 ms -> 0.55 ms a page at size M
 * (docs/PERFORMANCE.md). */
#define W_HOME \
	" WHERE (p.account_id = ?1" \
	"  OR (p.audience <> 'space' AND p.account_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1))" \
	"  OR (p.audience <> 'space' AND EXISTS (SELECT 1 FROM tag_follows tf0 WHERE tf0.account_id = ?1)" \
	"      AND EXISTS (SELECT 1 FROM post_tags pt JOIN tag_follows tf ON tf.tag_id = pt.tag_id" \
	"             WHERE pt.post_id = p.id AND tf.account_id = ?1))" \
	"  OR (p.audience = 'space'" \
	"      AND p.space_id IN (SELECT space_id FROM space_members WHERE account_id = ?1 AND home <> 'none')" \
	"      AND EXISTS (SELECT 1 FROM space_members hm WHERE hm.space_id = p.space_id" \
	"      AND hm.account_id = ?1 AND (hm.home = 'all' OR (hm.home = 'pinned' AND EXISTS" \
	"      (SELECT 1 FROM space_pins hp WHERE hp.space_id = p.space_id AND hp.post_id = p.id))))))" \
	" AND NOT EXISTS (SELECT 1 FROM mutes mu WHERE mu.account_id = ?1 AND mu.target_id = p.account_id" \
	"                 AND (mu.expires_at = 0 OR mu.expires_at > ?10))" \
	" AND (?6 = ?6)"
/* public, organisation and tag timelines leave out what the viewer muted */
#define NOT_MUTED \
	" AND (?1 = 0 OR NOT EXISTS (SELECT 1 FROM mutes mu WHERE mu.account_id = ?1" \
	"      AND mu.target_id = p.account_id AND (mu.expires_at = 0 OR mu.expires_at > ?10)))"
#define W_PUBLIC " WHERE p.audience = 'public' AND p.reblog_of_id IS NULL AND (?6 = ?6)" NOT_MUTED
/* the author's kind is looked up per post by its key: an IN (SELECT ...)
 * list would scan every account on every request (O(people), 7 ms at
 * size M; docs/PERFORMANCE.md) */
#define W_ORG \
	" WHERE p.audience IN ('public', 'organisation') AND p.reblog_of_id IS NULL" \
	" AND EXISTS (SELECT 1 FROM accounts oa WHERE oa.id = p.account_id AND oa.kind = 'staff')" \
	" AND (?6 = ?6)" NOT_MUTED
/* hashtag timelines show public and organisation posts, as Mastodon's
 * show public ones: a followers-only or direct post stays in its circle */
#define W_TAG \
	" WHERE pt.tag_id = ?6 AND pt.post_id < ?3 AND pt.post_id > ?4" \
	" AND p.audience IN ('public', 'organisation') AND p.reblog_of_id IS NULL" NOT_MUTED
#define W_ACCOUNT " WHERE p.account_id = ?6 AND (?10 = ?10)"
#define W_PINNED " WHERE p.id IN (SELECT post_id FROM pins WHERE account_id = ?6) AND (?10 = ?10)"
#define W_REPLIES " WHERE p.in_reply_to_id = ?6 AND (?10 = ?10)"
#define W_SPACE " WHERE p.space_id = ?6 AND p.audience = 'space' AND (?10 = ?10)" \
	" AND (?11 = '' OR instr(lower(p.title || ' ' || p.source), lower(?11)) > 0)"
/* post search: a scan newest first through the audience filter, stopping
 * at `limit` matches (no index: docs/PERFORMANCE.md) */
#define W_SEARCH " WHERE p.reblog_of_id IS NULL AND (?6 = ?6) AND (?10 = ?10)" \
	" AND instr(lower(p.title || ' ' || p.source), lower(?11)) > 0"
#define W_SPACE_PINS " WHERE p.id IN (SELECT post_id FROM space_pins WHERE space_id = ?6) AND (?10 = ?10)"
/* a personal list: its accounts' posts; replies by the list's policy */
#define W_LIST \
	" WHERE p.account_id IN (SELECT account_id FROM list_accounts WHERE list_id = ?6) AND (?10 = ?10)" \
	" AND (p.in_reply_to_id = 0 OR p.in_reply_to_account_id = p.account_id" \
	"  OR (?11 = 'list' AND p.in_reply_to_account_id IN (SELECT account_id FROM list_accounts WHERE list_id = ?6))" \
	"  OR (?11 = 'followed' AND p.in_reply_to_account_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1)))"

#define TL(w, order) "SELECT " POST_COLS " FROM posts p" w TL_FILTERS order
/* Home and organisation match a large share of recent posts: walking the
 * table by id, newest first, and stopping at `limit` matches beats letting
 * the planner pick an index and sort (bench/home_timeline.sh, see
 * docs/PERFORMANCE.md). */
#define TL_SCAN(w, order) "SELECT " POST_COLS " FROM posts p NOT INDEXED" w TL_FILTERS order
/* A hashtag's posts are walked through post_tags_tag (tag_id, post_id),
 * newest first, joining each post by its key and stopping at `limit`
 * matches: O(limit), whatever the tag's size. With `p.id IN (SELECT ...)`
 * the planner took posts_reblog for "reblog_of_id IS NULL" (nearly every
 * post) and sorted: 2.2 s a page at size M (docs/PERFORMANCE.md). */
#define TL_TAGGED(order) "SELECT " POST_COLS " FROM post_tags pt CROSS JOIN posts p ON p.id = pt.post_id" \
	W_TAG TL_FILTERS " ORDER BY pt.post_id " order " LIMIT ?5"

static const char *timeline_sql(enum timeline_kind k, int asc)
{
	switch (k) {
	case TL_HOME:
		return asc ? TL_SCAN(W_HOME, TL_ASC) : TL_SCAN(W_HOME, TL_DESC);
	case TL_PUBLIC:
		return asc ? TL(W_PUBLIC, TL_ASC) : TL(W_PUBLIC, TL_DESC);
	case TL_ORGANISATION:
		return asc ? TL_SCAN(W_ORG, TL_ASC) : TL_SCAN(W_ORG, TL_DESC);
	case TL_TAG:
		return asc ? TL_TAGGED("ASC") : TL_TAGGED("DESC");
	case TL_ACCOUNT:
		return asc ? TL(W_ACCOUNT, TL_ASC) : TL(W_ACCOUNT, TL_DESC);
	case TL_PINNED:
		return asc ? TL(W_PINNED, TL_ASC) : TL(W_PINNED, TL_DESC);
	case TL_REPLIES:
		return TL(W_REPLIES, TL_ASC);
	case TL_SPACE:
		return asc ? TL(W_SPACE, TL_ASC) : TL(W_SPACE, TL_DESC);
	case TL_SPACE_PINS:
		return asc ? TL(W_SPACE_PINS, TL_ASC) : TL(W_SPACE_PINS, TL_DESC);
	case TL_LIST:
		return asc ? TL(W_LIST, TL_ASC) : TL(W_LIST, TL_DESC);
	case TL_SEARCH:
		return asc ? TL_SCAN(W_SEARCH, TL_ASC) : TL_SCAN(W_SEARCH, TL_DESC);
	}
	return NULL;
}

struct row_list {
	struct post_row *rows;
	size_t n;
};

static void bind_timeline(sqlite3_stmt *st, const struct timeline_query *q, int64_t now_ms)
{
	int64_t low = q->min_id ? q->min_id : q->since_id;
	int64_t id = q->kind == TL_ACCOUNT || q->kind == TL_PINNED ? q->account_id
		   : q->kind == TL_TAG ? q->tag_id
		   : q->kind == TL_SPACE || q->kind == TL_SPACE_PINS ? q->space_id
		   : q->kind == TL_LIST ? q->list_id : q->post_id;
	int text_param = sqlite3_bind_parameter_count(st) >= 11;

	sqlite3_bind_int64(st, 1, q->aud.viewer_id);
	sqlite3_bind_int(st, 2, q->aud.staff);
	sqlite3_bind_int64(st, 3, q->max_id > 0 ? q->max_id : INT64_MAX);
	sqlite3_bind_int64(st, 4, low > 0 ? low : 0);
	sqlite3_bind_int(st, 5, q->limit > 0 ? q->limit : 20);
	sqlite3_bind_int64(st, 6, id);
	sqlite3_bind_int(st, 7, q->exclude_replies);
	sqlite3_bind_int(st, 8, q->exclude_reblogs);
	sqlite3_bind_int(st, 9, q->only_media);
	sqlite3_bind_int64(st, 10, now_ms);
	if (text_param)
		sq_bind_text(st, 11, q->text ? q->text : "");
}



/* Run an ascending query and hand the rows to fn newest first. */
static int each_post_reversed(sqlite3_stmt *st, void (*fn)(const struct post_row *, void *), void *ctx)
{
	struct post_row *rows = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	while ((rc = sq_step(st)) == STORE_OK) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct post_row *r = realloc(rows, nc * sizeof *r);

			if (!r) {
				rc = STORE_ERROR;
				break;
			}
			rows = r;
			cap = nc;
		}
		if (read_post(st, &rows[n]) != STORE_OK) {
			rc = STORE_ERROR;
			break;
		}
		n++;
	}
	sq_done(st);
	for (i = n; i > 0; i--) {
		if (rc != STORE_ERROR)
			fn(&rows[i - 1], ctx);
		post_row_release(&rows[i - 1]);
	}
	free(rows);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_timeline(const struct timeline_query *q,
		   void (*fn)(const struct post_row *, void *), void *ctx)
{
	int asc = q->min_id > 0 && q->kind != TL_REPLIES;
	sqlite3_stmt *st = sq_prepare(timeline_sql(q->kind, asc));

	if (!st)
		return STORE_ERROR;
	bind_timeline(st, q, time_now_ms());
	if (asc)
		return each_post_reversed(st, fn, ctx);
	return each_post(st, fn, ctx);
}

int store_post_visible(const struct store_audience *a, int64_t post_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT 1 FROM posts p WHERE p.id = ?3 AND " AUD_SQL);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, a->viewer_id);
	sqlite3_bind_int(st, 2, a->staff);
	sqlite3_bind_int64(st, 3, post_id);
	rc = sq_step(st);
	sq_done(st);
	return rc == STORE_OK ? 1 : rc == STORE_NOTFOUND ? 0 : -1;
}

int64_t store_post_replies_visible(const struct store_audience *a, int64_t post_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT count(*) FROM posts p WHERE p.in_reply_to_id = ?3 AND " AUD_SQL);
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, a->viewer_id);
	sqlite3_bind_int(st, 2, a->staff);
	sqlite3_bind_int64(st, 3, post_id);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_post_descendants(int64_t post_id, int max,
			   void (*fn)(const struct post_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"WITH RECURSIVE sub(id, depth) AS (SELECT ?1, 0 UNION ALL "
		" SELECT c.id, sub.depth + 1 FROM posts c JOIN sub ON c.in_reply_to_id = sub.id "
		" WHERE sub.depth < 100 LIMIT ?2) "
		"SELECT " POST_COLS " FROM posts p JOIN sub ON p.id = sub.id WHERE p.id <> ?1 ORDER BY p.id");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int(st, 2, max + 1);
	return each_post(st, fn, ctx);
}

/* Bookmarks and favourites: pages by the list row's id. */
#define LIST_SQL(table, order) \
	"SELECT " POST_COLS ", l.id FROM " table " l JOIN posts p ON p.id = l.post_id" \
	" WHERE l.account_id = ?1 AND l.id < ?3 AND l.id > ?4 AND (?6 = ?6) AND (?7 = ?7)" \
	" AND (?8 = ?8) AND (?9 = ?9) AND (?10 = ?10) AND " AUD_SQL " ORDER BY l.id " order " LIMIT ?5"

struct list_ctx {
	void (*fn)(const struct post_row *, void *);
	void *ctx;
	int64_t *first, *last;
};

static int each_listed(sqlite3_stmt *st, int asc, struct list_ctx *lc)
{
	struct post_row *rows = NULL;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	while ((rc = sq_step(st)) == STORE_OK) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct post_row *r = realloc(rows, nc * sizeof *r);
			int64_t *d;

			if (!r) {
				rc = STORE_ERROR;
				break;
			}
			rows = r;
			d = realloc(ids, nc * sizeof *d);
			if (!d) {
				rc = STORE_ERROR;
				break;
			}
			ids = d;
			cap = nc;
		}
		if (read_post(st, &rows[n]) != STORE_OK) {
			rc = STORE_ERROR;
			break;
		}
		ids[n] = sqlite3_column_int64(st, 23);
		n++;
	}
	sq_done(st);
	*lc->first = *lc->last = 0;
	for (i = 0; i < n; i++) {
		size_t k = asc ? n - 1 - i : i;

		if (rc != STORE_ERROR) {
			if (!*lc->first)
				*lc->first = ids[k];
			*lc->last = ids[k];
			lc->fn(&rows[k], lc->ctx);
		}
	}
	for (i = 0; i < n; i++)
		post_row_release(&rows[i]);
	free(rows);
	free(ids);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

static int list_posts(const char *sql, const struct timeline_query *q, int asc, int64_t *first,
		      int64_t *last, void (*fn)(const struct post_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(sql);
	struct list_ctx lc = { fn, ctx, first, last };

	if (!st)
		return STORE_ERROR;
	bind_timeline(st, q, 0);
	return each_listed(st, asc, &lc);
}

int store_bookmarks(const struct timeline_query *q, int64_t *first, int64_t *last,
		    void (*fn)(const struct post_row *, void *), void *ctx)
{
	int asc = q->min_id > 0;

	return list_posts(asc ? LIST_SQL("bookmarks", "ASC") : LIST_SQL("bookmarks", "DESC"),
			  q, asc, first, last, fn, ctx);
}

int store_favourites(const struct timeline_query *q, int64_t *first, int64_t *last,
		     void (*fn)(const struct post_row *, void *), void *ctx)
{
	int asc = q->min_id > 0;

	return list_posts(asc ? LIST_SQL("favourites", "ASC") : LIST_SQL("favourites", "DESC"),
			  q, asc, first, last, fn, ctx);
}
