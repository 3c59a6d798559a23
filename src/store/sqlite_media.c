/*
 * sqlite_media.c - media rows in the SQLite backend (see store_media.h).
 *
 * post_id is NULL while a medium is unattached; the structs say 0. The
 * deletions use DELETE ... RETURNING, so the caller learns exactly which
 * rows (hence which files) went, with no window between a SELECT and the
 * DELETE.
 */
#include "store/store_media.h"
#include "store/sqlite_internal.h"

#include <string.h>

#define MEDIA_COLS "id, account_id, post_id, position, type, content_type, file_key, ext, " \
	"thumb_ext, size, width, height, thumb_width, thumb_height, description, focus_x, " \
	"focus_y, created_at"

static void read_media(sqlite3_stmt *st, struct media_row *m)
{
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	m->account_id = sqlite3_column_int64(st, 1);
	m->post_id = sqlite3_column_int64(st, 2); /* NULL reads as 0 */
	m->position = sqlite3_column_int(st, 3);
	sq_col_text(st, 4, m->type, sizeof m->type);
	sq_col_text(st, 5, m->content_type, sizeof m->content_type);
	sq_col_text(st, 6, m->file_key, sizeof m->file_key);
	sq_col_text(st, 7, m->ext, sizeof m->ext);
	sq_col_text(st, 8, m->thumb_ext, sizeof m->thumb_ext);
	m->size = sqlite3_column_int64(st, 9);
	m->width = sqlite3_column_int(st, 10);
	m->height = sqlite3_column_int(st, 11);
	m->thumb_width = sqlite3_column_int(st, 12);
	m->thumb_height = sqlite3_column_int(st, 13);
	sq_col_text(st, 14, m->description, sizeof m->description);
	m->focus_x = sqlite3_column_int(st, 15);
	m->focus_y = sqlite3_column_int(st, 16);
	m->created_at = sqlite3_column_int64(st, 17);
}

static int fetch_one(sqlite3_stmt *st, struct media_row *out)
{
	int rc = sq_step(st);

	if (rc == STORE_OK)
		read_media(st, out);
	sq_done(st);
	return rc;
}

/* Step through st, calling fn for each row. Returns the rows seen, or -1. */
static int each_row(sqlite3_stmt *st, void (*fn)(const struct media_row *, void *), void *ctx)
{
	struct media_row m;
	int rc, n = 0;

	while ((rc = sq_step(st)) == STORE_OK) {
		read_media(st, &m);
		if (fn)
			fn(&m, ctx);
		n++;
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? n : -1;
}

int store_media_insert(const struct media_row *m)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO media (" MEDIA_COLS ") "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, m->id);
	sqlite3_bind_int64(st, 2, m->account_id);
	if (m->post_id)
		sqlite3_bind_int64(st, 3, m->post_id);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int(st, 4, m->position);
	sq_bind_text(st, 5, m->type);
	sq_bind_text(st, 6, m->content_type);
	sq_bind_text(st, 7, m->file_key);
	sq_bind_text(st, 8, m->ext);
	sq_bind_text(st, 9, m->thumb_ext);
	sqlite3_bind_int64(st, 10, m->size);
	sqlite3_bind_int(st, 11, m->width);
	sqlite3_bind_int(st, 12, m->height);
	sqlite3_bind_int(st, 13, m->thumb_width);
	sqlite3_bind_int(st, 14, m->thumb_height);
	sq_bind_text(st, 15, m->description);
	sqlite3_bind_int(st, 16, m->focus_x);
	sqlite3_bind_int(st, 17, m->focus_y);
	sqlite3_bind_int64(st, 18, m->created_at);
	return sq_exec(st);
}

int store_media_get(int64_t id, struct media_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " MEDIA_COLS " FROM media WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return fetch_one(st, out);
}

int store_media_by_key(const char *file_key, struct media_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " MEDIA_COLS " FROM media WHERE file_key = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, file_key);
	return fetch_one(st, out);
}

int store_media_update(int64_t id, const char *description, int focus_x, int focus_y)
{
	sqlite3_stmt *st = sq_prepare(
		"UPDATE media SET description = ?, focus_x = ?, focus_y = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, description);
	sqlite3_bind_int(st, 2, focus_x);
	sqlite3_bind_int(st, 3, focus_y);
	sqlite3_bind_int64(st, 4, id);
	return sq_exec_changed(st);
}

int store_media_delete_unattached(int64_t account_id, int64_t id)
{
	sqlite3_stmt *st = sq_prepare(
		"DELETE FROM media WHERE id = ? AND account_id = ? AND post_id IS NULL");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account_id);
	return sq_exec_changed(st);
}

int store_media_attach(int64_t account_id, const int64_t *ids, size_t n, int64_t post_id,
		       size_t *failed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sqlite3_stmt *st = sq_prepare(
			"SELECT 1 FROM media WHERE id = ? AND account_id = ? AND post_id IS NULL");
		int rc;

		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int64(st, 2, account_id);
		rc = sq_step(st);
		sq_done(st);
		if (rc == STORE_NOTFOUND)
			*failed = i;
		if (rc != STORE_OK)
			return rc;
	}
	for (i = 0; i < n; i++) {
		sqlite3_stmt *st = sq_prepare(
			"UPDATE media SET post_id = ?, position = ? "
			"WHERE id = ? AND account_id = ? AND post_id IS NULL");
		int rc;

		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, post_id);
		sqlite3_bind_int(st, 2, (int)i);
		sqlite3_bind_int64(st, 3, ids[i]);
		sqlite3_bind_int64(st, 4, account_id);
		rc = sq_exec_changed(st);
		if (rc == STORE_NOTFOUND)
			*failed = i; /* only without the caller's transaction: a race */
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

int store_media_list_for_post(int64_t post_id, void (*fn)(const struct media_row *, void *),
			      void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT " MEDIA_COLS " FROM media WHERE post_id = ? ORDER BY position, id");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	return each_row(st, fn, ctx) < 0 ? STORE_ERROR : STORE_OK;
}

int store_media_delete_for_post(int64_t post_id, void (*fn)(const struct media_row *, void *),
				void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"DELETE FROM media WHERE post_id = ? RETURNING " MEDIA_COLS);

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, post_id);
	return each_row(st, fn, ctx) < 0 ? STORE_ERROR : STORE_OK;
}

int store_media_delete_stale(int64_t before_ms, int limit,
			     void (*fn)(const struct media_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"DELETE FROM media WHERE id IN (SELECT id FROM media WHERE post_id IS NULL "
		"AND created_at < ? ORDER BY created_at LIMIT ?) RETURNING " MEDIA_COLS);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, before_ms);
	sqlite3_bind_int(st, 2, limit);
	return each_row(st, fn, ctx);
}
