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
