/*
 * embed.h - files compiled into the binary (templates, static assets,
 * SQL migrations).
 *
 * The build runs tools/embed over src/web/templates, src/web/static,
 * src/store/migrations and the htmx file from node_modules, and writes
 * build/gen/embedded.c with one table. Names are relative paths such as
 * "templates/layout.html", "static/parley.css", "migrations/0001_init.sql".
 * The data is NUL-terminated (len excludes the NUL) and lives for the whole
 * run of the program; nothing here is ever freed.
 */
#ifndef PARLEY_LIB_EMBED_H
#define PARLEY_LIB_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *name;
	const unsigned char *data;
	size_t len;
};

/* The table, sorted by name, ended by an entry whose name is NULL. */
extern const struct embedded_file embedded_files[];

/* Look up a file by name; NULL when absent. */
const struct embedded_file *embed_find(const char *name);

#endif
