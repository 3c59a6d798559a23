/*
 * sqlite_spaces.c - the SQLite backend of store_spaces.h: spaces,
 * memberships, invitations, join requests, space pins, personal lists and
 * the audit log.
 *
 * Listing rule (store_space_list): a viewer sees the spaces they are a
 * member of; staff also see internal and external spaces that are not
 * secret; everyone sees public spaces that are not secret. It is the SQL
 * twin of space_may_see() in model/space.c.
 */
#include "store/store_spaces.h"
#include "store/store.h"
#include "store/sqlite_internal.h"

#include <stdio.h>
#include <string.h>

int store_space_shared(int64_t a, int64_t b)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT 1 FROM space_members x JOIN space_members y ON y.space_id = x.space_id"
		" WHERE x.account_id = ? AND y.account_id = ? LIMIT 1");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	rc = sq_step(st);
	sq_done(st);
	return rc;
}

/* ---- spaces ---------------------------------------------------------- */

/* One space by id or handle leaves members_count at -1 (counting is not
 * free for a big space, and the audience check reads spaces often);
 * lists count. */
#define SPACE_COLS "s.id, s.handle, s.name, s.description, s.purpose, s.kind, s.access, s.posting," \
	" s.avatar_media_id, s.archived, s.created_by, s.created_at, s.updated_at, -1"
#define SPACE_COLS_COUNTED "s.id, s.handle, s.name, s.description, s.purpose, s.kind, s.access, s.posting," \
	" s.avatar_media_id, s.archived, s.created_by, s.created_at, s.updated_at," \
	" (SELECT count(*) FROM space_members c WHERE c.space_id = s.id)"

static void lower_copy(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < n; i++)
		dst[i] = (char)((src[i] >= 'A' && src[i] <= 'Z') ? src[i] + 32 : src[i]);
	dst[i] = '\0';
}

static void read_space(sqlite3_stmt *st, struct space_row *s)
{
	memset(s, 0, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	sq_col_text(st, 1, s->handle, sizeof s->handle);
	sq_col_text(st, 2, s->name, sizeof s->name);
	sq_col_text(st, 3, s->description, sizeof s->description);
	sq_col_text(st, 4, s->purpose, sizeof s->purpose);
	sq_col_text(st, 5, s->kind, sizeof s->kind);
	sq_col_text(st, 6, s->access, sizeof s->access);
	sq_col_text(st, 7, s->posting, sizeof s->posting);
	s->avatar_media_id = sqlite3_column_int64(st, 8);
	s->archived = sqlite3_column_int(st, 9);
	s->created_by = sqlite3_column_int64(st, 10);
	s->created_at = sqlite3_column_int64(st, 11);
	s->updated_at = sqlite3_column_int64(st, 12);
	s->members_count = sqlite3_column_int64(st, 13);
}

static void read_member(sqlite3_stmt *st, int col, struct space_member_row *m)
{
	memset(m, 0, sizeof *m);
	m->space_id = sqlite3_column_int64(st, col);
	m->account_id = sqlite3_column_int64(st, col + 1);
	sq_col_text(st, col + 2, m->role, sizeof m->role);
	sq_col_text(st, col + 3, m->home, sizeof m->home);
	m->joined_at = sqlite3_column_int64(st, col + 4);
}

int store_space_insert(const struct space_row *s, int64_t owner_id)
{
	sqlite3_stmt *st;
	char low[sizeof s->handle];
	struct space_member_row m;
	int rc;

	if (store_begin() != STORE_OK)
		return STORE_ERROR;
	st = sq_prepare("INSERT INTO spaces (id, handle, handle_lower, name, description, purpose, kind,"
			" access, posting, avatar_media_id, archived, created_by, created_at, updated_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st) {
		store_rollback();
		return STORE_ERROR;
	}
	lower_copy(low, sizeof low, s->handle);
	sqlite3_bind_int64(st, 1, s->id);
	sq_bind_text(st, 2, s->handle);
	sq_bind_text(st, 3, low);
	sq_bind_text(st, 4, s->name);
	sq_bind_text(st, 5, s->description);
	sq_bind_text(st, 6, s->purpose);
	sq_bind_text(st, 7, s->kind);
	sq_bind_text(st, 8, s->access);
	sq_bind_text(st, 9, s->posting);
	sqlite3_bind_int64(st, 10, s->avatar_media_id);
	sqlite3_bind_int(st, 11, s->archived);
	sqlite3_bind_int64(st, 12, s->created_by);
	sqlite3_bind_int64(st, 13, s->created_at);
	sqlite3_bind_int64(st, 14, s->updated_at);
	rc = sq_exec(st);
	if (rc == STORE_OK) {
		memset(&m, 0, sizeof m);
		m.space_id = s->id;
		m.account_id = owner_id;
		snprintf(m.role, sizeof m.role, "owner");
		snprintf(m.home, sizeof m.home, "all");
		m.joined_at = s->created_at;
		rc = store_space_member_put(&m);
	}
	if (rc != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		return rc == STORE_OK ? STORE_ERROR : rc;
	}
	return STORE_OK;
}

int store_space_update(const struct space_row *s)
{
	sqlite3_stmt *st = sq_prepare(
		"UPDATE spaces SET name = ?, description = ?, purpose = ?, access = ?, posting = ?,"
		" avatar_media_id = ?, archived = ?, updated_at = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, s->name);
	sq_bind_text(st, 2, s->description);
	sq_bind_text(st, 3, s->purpose);
	sq_bind_text(st, 4, s->access);
	sq_bind_text(st, 5, s->posting);
	sqlite3_bind_int64(st, 6, s->avatar_media_id);
	sqlite3_bind_int(st, 7, s->archived);
	sqlite3_bind_int64(st, 8, s->updated_at);
	sqlite3_bind_int64(st, 9, s->id);
	return sq_exec_changed(st);
}

static int space_one(sqlite3_stmt *st, struct space_row *out)
{
	int rc = sq_step(st);

	if (rc == STORE_OK)
		read_space(st, out);
	sq_done(st);
	return rc;
}

int store_space_get(int64_t id, struct space_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " SPACE_COLS " FROM spaces s WHERE s.id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return space_one(st, out);
}

int store_space_by_handle(const char *handle, struct space_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " SPACE_COLS " FROM spaces s WHERE s.handle_lower = ?");
	char low[SPACE_HANDLE_MAX + 2];

	if (!st)
		return STORE_ERROR;
	if (strlen(handle) > SPACE_HANDLE_MAX) {
		sq_done(st);
		return STORE_NOTFOUND;
	}
	lower_copy(low, sizeof low, handle);
	sq_bind_text(st, 1, low);
	return space_one(st, out);
}

int store_space_list(const struct space_query *q,
		     void (*fn)(const struct space_row *, const struct space_member_row *, void *),
		     void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT " SPACE_COLS_COUNTED ", m.space_id, m.account_id, m.role, m.home, m.joined_at"
		" FROM spaces s LEFT JOIN space_members m ON m.space_id = s.id AND m.account_id = ?1"
		" WHERE s.id < ?2 AND s.archived = ?3"
		" AND (m.account_id IS NOT NULL OR (?4 = 0 AND ((s.access <> 'secret'"
		"      AND (s.kind = 'public' OR ?5 <> 0)) OR (?1 <> 0 AND EXISTS (SELECT 1 FROM space_invitations i"
		"      WHERE i.space_id = s.id AND i.account_id = ?1)))))"
		" AND (?6 = '' OR s.kind = ?6)"
		" AND (?7 = '' OR instr(lower(s.handle || ' ' || s.name || ' ' || s.description), lower(?7)) > 0)"
		" ORDER BY s.id DESC LIMIT ?8");
	struct space_row s;
	struct space_member_row m;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, q->viewer_id);
	sqlite3_bind_int64(st, 2, q->max_id > 0 ? q->max_id : INT64_MAX);
	sqlite3_bind_int(st, 3, q->archived ? 1 : 0);
	sqlite3_bind_int(st, 4, q->mine);
	sqlite3_bind_int(st, 5, q->staff);
	sq_bind_text(st, 6, q->kind ? q->kind : "");
	sq_bind_text(st, 7, q->q ? q->q : "");
	sqlite3_bind_int(st, 8, q->limit);
	while ((rc = sq_step(st)) == STORE_OK) {
		int member = sqlite3_column_type(st, 15) != SQLITE_NULL;

		read_space(st, &s);
		if (member)
			read_member(st, 14, &m);
		fn(&s, member ? &m : NULL, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ---- members ----------------------------------------------------------- */

int store_space_member_get(int64_t space_id, int64_t account_id, struct space_member_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT space_id, account_id, role, home, joined_at"
				      " FROM space_members WHERE space_id = ? AND account_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	sqlite3_bind_int64(st, 2, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_member(st, 0, out);
	sq_done(st);
	return rc;
}

int store_space_member_put(const struct space_member_row *m)
{
	sqlite3_stmt *st = sq_prepare(
		"INSERT INTO space_members (space_id, account_id, role, home, joined_at) VALUES (?, ?, ?, ?, ?)"
		" ON CONFLICT (space_id, account_id) DO UPDATE SET role = excluded.role, home = excluded.home");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, m->space_id);
	sqlite3_bind_int64(st, 2, m->account_id);
	sq_bind_text(st, 3, m->role);
	sq_bind_text(st, 4, m->home[0] ? m->home : "all");
	sqlite3_bind_int64(st, 5, m->joined_at);
	rc = sq_exec(st);
	if (rc != STORE_OK)
		return rc;
	rc = store_space_request_delete(m->space_id, m->account_id);
	if (rc == STORE_ERROR)
		return rc;
	st = sq_prepare("DELETE FROM space_invitations WHERE space_id = ? AND account_id = ?");
	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, m->space_id);
	sqlite3_bind_int64(st, 2, m->account_id);
	return sq_exec(st);
}

int store_space_member_delete(int64_t space_id, int64_t account_id)
{
	return sq_exec_ids("DELETE FROM space_members WHERE space_id = ? AND account_id = ?", space_id, account_id);
}

int store_space_leave_internal(int64_t account_id)
{
	static const char *const sql[] = {
		"DELETE FROM space_members WHERE account_id = ?"
		" AND space_id IN (SELECT id FROM spaces WHERE kind = 'internal')",
		"DELETE FROM space_invitations WHERE account_id = ?"
		" AND space_id IN (SELECT id FROM spaces WHERE kind = 'internal')",
		"DELETE FROM space_requests WHERE account_id = ?"
		" AND space_id IN (SELECT id FROM spaces WHERE kind = 'internal')",
	};
	size_t i;

	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st = sq_prepare(sql[i]);

		if (!st)
			return STORE_ERROR;
		sqlite3_bind_int64(st, 1, account_id);
		if (sq_exec(st) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int64_t store_space_member_count(int64_t space_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT count(*) FROM space_members WHERE space_id = ?");
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, space_id);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int64_t store_space_owner_count(int64_t space_id)
{
	sqlite3_stmt *st = sq_prepare("SELECT count(*) FROM space_members WHERE space_id = ? AND role = 'owner'");
	int64_t n = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, space_id);
	if (sq_step(st) == STORE_OK)
		n = sqlite3_column_int64(st, 0);
	sq_done(st);
	return n;
}

int store_space_members(int64_t space_id, const char *role, int64_t after_account, int limit,
			void (*fn)(const struct space_member_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT space_id, account_id, role, home, joined_at FROM space_members"
		" WHERE space_id = ?1 AND (?2 = '' OR role = ?2) AND account_id > ?3"
		" ORDER BY account_id LIMIT ?4");
	struct space_member_row m;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	sq_bind_text(st, 2, role ? role : "");
	sqlite3_bind_int64(st, 3, after_account);
	sqlite3_bind_int(st, 4, limit);
	while ((rc = sq_step(st)) == STORE_OK) {
		read_member(st, 0, &m);
		fn(&m, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_space_ids_of(int64_t account_id, int64_t *ids, int max)
{
	sqlite3_stmt *st = sq_prepare("SELECT space_id FROM space_members WHERE account_id = ? ORDER BY space_id");
	int n = 0, rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, account_id);
	while ((rc = sq_step(st)) == STORE_OK)
		if (n < max)
			ids[n++] = sqlite3_column_int64(st, 0);
	sq_done(st);
	return rc == STORE_NOTFOUND ? n : -1;
}

/* ---- invitations ------------------------------------------------------- */

#define INV_COLS "id, space_id, account_id, invite_id, email, invited_by, created_at"

static void read_invitation(sqlite3_stmt *st, struct space_invitation_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->space_id = sqlite3_column_int64(st, 1);
	r->account_id = sqlite3_column_int64(st, 2);
	r->invite_id = sqlite3_column_int64(st, 3);
	sq_col_text(st, 4, r->email, sizeof r->email);
	r->invited_by = sqlite3_column_int64(st, 5);
	r->created_at = sqlite3_column_int64(st, 6);
}

int store_space_invitation_insert(const struct space_invitation_row *r)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO space_invitations (" INV_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->space_id);
	sqlite3_bind_int64(st, 3, r->account_id);
	sqlite3_bind_int64(st, 4, r->invite_id);
	sq_bind_text(st, 5, r->email);
	sqlite3_bind_int64(st, 6, r->invited_by);
	sqlite3_bind_int64(st, 7, r->created_at);
	return sq_exec(st);
}

static int invitation_one(sqlite3_stmt *st, struct space_invitation_row *out)
{
	int rc = sq_step(st);

	if (rc == STORE_OK)
		read_invitation(st, out);
	sq_done(st);
	return rc;
}

int store_space_invitation_get(int64_t id, struct space_invitation_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " INV_COLS " FROM space_invitations WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return invitation_one(st, out);
}

int store_space_invitation_for(int64_t space_id, int64_t account_id, struct space_invitation_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " INV_COLS " FROM space_invitations"
				      " WHERE space_id = ? AND account_id = ? AND account_id <> 0 LIMIT 1");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	sqlite3_bind_int64(st, 2, account_id);
	return invitation_one(st, out);
}

int store_space_invitation_by_invite(int64_t invite_id, struct space_invitation_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT " INV_COLS " FROM space_invitations"
				      " WHERE invite_id = ? AND invite_id <> 0 LIMIT 1");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, invite_id);
	return invitation_one(st, out);
}

int store_space_invitation_delete(int64_t id)
{
	return sq_exec_ids("DELETE FROM space_invitations WHERE id = ?", id, 0);
}

static int invitation_each(sqlite3_stmt *st, void (*fn)(const struct space_invitation_row *, void *),
			   void *ctx)
{
	struct space_invitation_row r;
	int rc;

	while ((rc = sq_step(st)) == STORE_OK) {
		read_invitation(st, &r);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_space_invitations(int64_t space_id, void (*fn)(const struct space_invitation_row *, void *),
			    void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT " INV_COLS " FROM space_invitations WHERE space_id = ?"
				      " ORDER BY id DESC LIMIT 500");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	return invitation_each(st, fn, ctx);
}

int store_space_invitations_of(int64_t account_id,
			       void (*fn)(const struct space_invitation_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT " INV_COLS " FROM space_invitations WHERE account_id = ?"
				      " AND account_id <> 0 ORDER BY id DESC LIMIT 200");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	return invitation_each(st, fn, ctx);
}

/* ---- join requests ----------------------------------------------------- */

int store_space_request_put(const struct space_request_row *r)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO space_requests (space_id, account_id, note, created_at)"
				      " VALUES (?, ?, ?, ?) ON CONFLICT (space_id, account_id) DO NOTHING");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, r->space_id);
	sqlite3_bind_int64(st, 2, r->account_id);
	sq_bind_text(st, 3, r->note);
	sqlite3_bind_int64(st, 4, r->created_at);
	return sq_exec(st);
}

int store_space_request_get(int64_t space_id, int64_t account_id, struct space_request_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT space_id, account_id, note, created_at FROM space_requests"
				      " WHERE space_id = ? AND account_id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	sqlite3_bind_int64(st, 2, account_id);
	rc = sq_step(st);
	if (rc == STORE_OK) {
		memset(out, 0, sizeof *out);
		out->space_id = sqlite3_column_int64(st, 0);
		out->account_id = sqlite3_column_int64(st, 1);
		sq_col_text(st, 2, out->note, sizeof out->note);
		out->created_at = sqlite3_column_int64(st, 3);
	}
	sq_done(st);
	return rc;
}

int store_space_request_delete(int64_t space_id, int64_t account_id)
{
	return sq_exec_ids("DELETE FROM space_requests WHERE space_id = ? AND account_id = ?", space_id, account_id);
}

int store_space_requests(int64_t space_id, void (*fn)(const struct space_request_row *, void *),
			 void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT space_id, account_id, note, created_at FROM space_requests"
				      " WHERE space_id = ? ORDER BY created_at LIMIT 500");
	struct space_request_row r;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		memset(&r, 0, sizeof r);
		r.space_id = sqlite3_column_int64(st, 0);
		r.account_id = sqlite3_column_int64(st, 1);
		sq_col_text(st, 2, r.note, sizeof r.note);
		r.created_at = sqlite3_column_int64(st, 3);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* ---- pins -------------------------------------------------------------- */

int store_space_pin(int64_t space_id, int64_t post_id, int64_t by, int64_t now)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO space_pins (space_id, post_id, pinned_by, created_at)"
				      " VALUES (?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, space_id);
	sqlite3_bind_int64(st, 2, post_id);
	sqlite3_bind_int64(st, 3, by);
	sqlite3_bind_int64(st, 4, now);
	return sq_exec(st);
}

int store_space_unpin(int64_t space_id, int64_t post_id)
{
	return sq_exec_ids("DELETE FROM space_pins WHERE space_id = ? AND post_id = ?", space_id, post_id);
}

int store_space_pinned(int64_t space_id, int64_t post_id)
{
	return sq_exists_ids("SELECT 1 FROM space_pins WHERE space_id = ? AND post_id = ?", space_id, post_id);
}

/* ---- personal lists ---------------------------------------------------- */

static void read_list(sqlite3_stmt *st, struct list_row *l)
{
	memset(l, 0, sizeof *l);
	l->id = sqlite3_column_int64(st, 0);
	l->account_id = sqlite3_column_int64(st, 1);
	sq_col_text(st, 2, l->title, sizeof l->title);
	sq_col_text(st, 3, l->replies_policy, sizeof l->replies_policy);
	l->exclusive = sqlite3_column_int(st, 4);
	l->created_at = sqlite3_column_int64(st, 5);
}

int store_list_insert(const struct list_row *l)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO lists (id, account_id, title, replies_policy, exclusive,"
				      " created_at) VALUES (?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, l->id);
	sqlite3_bind_int64(st, 2, l->account_id);
	sq_bind_text(st, 3, l->title);
	sq_bind_text(st, 4, l->replies_policy);
	sqlite3_bind_int(st, 5, l->exclusive);
	sqlite3_bind_int64(st, 6, l->created_at);
	return sq_exec(st);
}

int store_list_update(const struct list_row *l)
{
	sqlite3_stmt *st = sq_prepare("UPDATE lists SET title = ?, replies_policy = ?, exclusive = ? WHERE id = ?");

	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, l->title);
	sq_bind_text(st, 2, l->replies_policy);
	sqlite3_bind_int(st, 3, l->exclusive);
	sqlite3_bind_int64(st, 4, l->id);
	return sq_exec_changed(st);
}

int store_list_delete(int64_t id)
{
	return sq_exec_ids("DELETE FROM lists WHERE id = ?", id, 0);
}

int store_list_get(int64_t id, struct list_row *out)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, account_id, title, replies_policy, exclusive, created_at"
				      " FROM lists WHERE id = ?");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	rc = sq_step(st);
	if (rc == STORE_OK)
		read_list(st, out);
	sq_done(st);
	return rc;
}

int store_lists_of(int64_t account_id, void (*fn)(const struct list_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, account_id, title, replies_policy, exclusive, created_at"
				      " FROM lists WHERE account_id = ? ORDER BY id LIMIT 500");
	struct list_row l;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, account_id);
	while ((rc = sq_step(st)) == STORE_OK) {
		read_list(st, &l);
		fn(&l, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_list_account_add(int64_t list_id, int64_t account_id)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO list_accounts (list_id, account_id) VALUES (?, ?)"
				      " ON CONFLICT DO NOTHING");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_int64(st, 2, account_id);
	return sq_exec(st);
}

int store_list_account_remove(int64_t list_id, int64_t account_id)
{
	sqlite3_stmt *st = sq_prepare("DELETE FROM list_accounts WHERE list_id = ? AND account_id = ?");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_int64(st, 2, account_id);
	return sq_exec(st);
}

int store_list_accounts(int64_t list_id, void (*fn)(int64_t account_id, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT account_id FROM list_accounts WHERE list_id = ?"
				      " ORDER BY account_id LIMIT 5000");
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, list_id);
	while ((rc = sq_step(st)) == STORE_OK)
		fn(sqlite3_column_int64(st, 0), ctx);
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_list_has_account(int64_t list_id, int64_t account_id)
{
	return sq_exists_ids("SELECT 1 FROM list_accounts WHERE list_id = ? AND account_id = ?", list_id, account_id);
}

/* ---- audit log --------------------------------------------------------- */

int store_audit_insert(const struct audit_row *r)
{
	sqlite3_stmt *st = sq_prepare("INSERT INTO audit_log (id, actor_id, action, object_type, object_id,"
				      " detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->actor_id);
	sq_bind_text(st, 3, r->action);
	sq_bind_text(st, 4, r->object_type);
	sqlite3_bind_int64(st, 5, r->object_id);
	sq_bind_text(st, 6, r->detail);
	sqlite3_bind_int64(st, 7, r->created_at);
	return sq_exec(st);
}

int store_audit_list(int64_t before, int limit, void (*fn)(const struct audit_row *, void *), void *ctx)
{
	sqlite3_stmt *st = sq_prepare("SELECT id, actor_id, action, object_type, object_id, detail, created_at"
				      " FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?");
	struct audit_row r;
	int rc;

	if (!st)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sq_step(st)) == STORE_OK) {
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(st, 0);
		r.actor_id = sqlite3_column_int64(st, 1);
		sq_col_text(st, 2, r.action, sizeof r.action);
		sq_col_text(st, 3, r.object_type, sizeof r.object_type);
		r.object_id = sqlite3_column_int64(st, 4);
		sq_col_text(st, 5, r.detail, sizeof r.detail);
		r.created_at = sqlite3_column_int64(st, 6);
		fn(&r, ctx);
	}
	sq_done(st);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}
