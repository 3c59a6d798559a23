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
/* Step once: STORE_OK with a row, STORE_NOTFOUND when done, STORE_ERROR. */
int sq_step(sqlite3_stmt *st);
/* Rows changed by the last statement on this thread's connection. */
int sq_changes(void);

/* Copy a text column into a fixed array, truncating safely ("" for NULL). */
void sq_col_text(sqlite3_stmt *st, int col, char *dst, size_t n);
int sq_bind_text(sqlite3_stmt *st, int idx, const char *s);

#endif
