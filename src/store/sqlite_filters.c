/*
 * sqlite_filters.c - keyword and status filters in the SQLite backend
 * (see store_filters.h). Every statement that reads or changes a filter's
 * parts joins through filters.account_id, so one account can never reach
 * another's filters by guessing ids.
 */
#include "store/store_filters.h"
#include "store/sqlite_internal.h"

#include <string.h>

static void read_filter(sqlite3_stmt *st, struct filter_row *f)
{
	memset(f, 0, sizeof *f);
	f->id = sqlite3_column_int64(st, 0);
	f->account_id = sqlite3_column_int64(st, 1);
	sq_col_text(st, 2, f->title, sizeof f->title);
	sq_col_text(st, 3, f->context, sizeof f->context);
	sq_col_text(st, 4, f->action, sizeof f->action);
	f->expires_at = sqlite3_column_int64(st, 5);
	f->created_at = sqlite3_column_int64(st, 6);
}

static void read_keyword(sqlite3_stmt *st, struct filter_keyword_row *k)
{
	memset(k, 0, sizeof *k);
	k->id = sqlite3_column_int64(st, 0);
	k->filter_id = sqlite3_column_int64(st, 1);
	sq_col_text(st, 2, k->keyword, sizeof k->keyword);
	k->whole_word = sqlite3_column_int(st, 3);
}

static void read_status(sqlite3_stmt *st, struct filter_status_row *s)
{
	s->id = sqlite3_column_int64(st, 0);
	s->filter_id = sqlite3_column_int64(st, 1);
	s->post_id = sqlite3_column_int64(st, 2);
}

int store_filter_insert(const struct filter_row *f)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO filters (id, account_id, title, context, action, "
				      "expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, f->id);
	sqlite3_bind_int64(st, 2, f->account_id);
	sq_bind_text(st, 3, f->title);
	sq_bind_text(st, 4, f->context);
	sq_bind_text(st, 5, f->action);
	sqlite3_bind_int64(st, 6, f->expires_at);
	sqlite3_bind_int64(st, 7, f->created_at);
	return sq_exec(st);
}

int store_filter_update(const struct filter_row *f)
{
	sqlite3_stmt *st = sq_prepare("UPDATE filters SET title = ?, context = ?, action = ?, expires_at = ? "
				      "WHERE id = ? AND account_id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, f->title);
	sq_bind_text(st, 2, f->context);
	sq_bind_text(st, 3, f->action);
	sqlite3_bind_int64(st, 4, f->expires_at);
	sqlite3_bind_int64(st, 5, f->id);
	sqlite3_bind_int64(st, 6, f->account_id);
	return sq_exec_changed(st);
}

int store_filter_delete(int64_t account_id, int64_t id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM filters WHERE id = ? AND account_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	return sq_exec_changed(st);
}

int store_filter_get(int64_t account_id, int64_t id, struct filter_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, account_id, title, context, action, expires_at, created_at "
				      "FROM filters WHERE id = ? AND account_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_filter(st, out);
	sq_done(st);
	return rc;
}

int store_filter_list(int64_t account_id, int only_active, int64_t now_ms,
		      void (*fn)(const struct filter_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, account_id, title, context, action, expires_at, created_at "
				      "FROM filters WHERE account_id = ?1 "
				      "AND (?2 = 0 OR expires_at = 0 OR expires_at > ?3) ORDER BY id");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int(st, 2, only_active);
	sqlite3_bind_int64(st, 3, now_ms);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct filter_row f;

		read_filter(st, &f);
		fn(&f, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_filter_owners(int64_t now_ms, void (*fn)(int64_t, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT DISTINCT account_id FROM filters "
				      "WHERE expires_at = 0 OR expires_at > ?1");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now_ms);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_filter_keyword_insert(const struct filter_keyword_row *k)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO filter_keywords (id, filter_id, keyword, whole_word) "
				      "VALUES (?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, k->id);
	sqlite3_bind_int64(st, 2, k->filter_id);
	sq_bind_text(st, 3, k->keyword);
	sqlite3_bind_int(st, 4, k->whole_word);
	return sq_exec(st);
}

int store_filter_keyword_update(const struct filter_keyword_row *k)
{
	sqlite3_stmt *st = sq_prepare("UPDATE filter_keywords SET keyword = ?, whole_word = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, k->keyword);
	sqlite3_bind_int(st, 2, k->whole_word);
	sqlite3_bind_int64(st, 3, k->id);
	return sq_exec_changed(st);
}

int store_filter_keyword_delete(int64_t account_id, int64_t id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM filter_keywords WHERE id = ? AND filter_id IN "
				      "(SELECT id FROM filters WHERE account_id = ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	return sq_exec_changed(st);
}

int store_filter_keyword_get(int64_t account_id, int64_t id, struct filter_keyword_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT k.id, k.filter_id, k.keyword, k.whole_word FROM filter_keywords k "
				      "JOIN filters f ON f.id = k.filter_id WHERE k.id = ? AND f.account_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_keyword(st, out);
	sq_done(st);
	return rc;
}

int store_filter_keywords(int64_t account_id, int64_t filter_id,
			  void (*fn)(const struct filter_keyword_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT k.id, k.filter_id, k.keyword, k.whole_word FROM filter_keywords k "
				      "JOIN filters f ON f.id = k.filter_id WHERE f.account_id = ?1 "
				      "AND (?2 = 0 OR k.filter_id = ?2) ORDER BY k.id");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, filter_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct filter_keyword_row k;

		read_keyword(st, &k);
		fn(&k, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int64_t store_filter_keyword_count(int64_t filter_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT count(*) FROM filter_keywords WHERE filter_id = ?");
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, filter_id);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_filter_status_insert(const struct filter_status_row *s)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO filter_statuses (id, filter_id, post_id) VALUES (?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_int64(st, 2, s->filter_id);
	sqlite3_bind_int64(st, 3, s->post_id);
	return sq_exec(st);
}

int store_filter_status_delete(int64_t account_id, int64_t id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM filter_statuses WHERE id = ? AND filter_id IN "
				      "(SELECT id FROM filters WHERE account_id = ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	return sq_exec_changed(st);
}

int store_filter_status_get(int64_t account_id, int64_t id, struct filter_status_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT s.id, s.filter_id, s.post_id FROM filter_statuses s "
				      "JOIN filters f ON f.id = s.filter_id WHERE s.id = ? AND f.account_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_status(st, out);
	sq_done(st);
	return rc;
}

int store_filter_statuses(int64_t account_id, int64_t filter_id,
			  void (*fn)(const struct filter_status_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT s.id, s.filter_id, s.post_id FROM filter_statuses s "
				      "JOIN filters f ON f.id = s.filter_id WHERE f.account_id = ?1 "
				      "AND (?2 = 0 OR s.filter_id = ?2) ORDER BY s.id");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, filter_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		struct filter_status_row s;

		read_status(st, &s);
		fn(&s, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}
