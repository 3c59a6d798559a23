/*
 * timeline_sql.c - print the SQL of the home or organisation timeline as
 * the server runs it (for bench/timeline_sql.py, which times it on a
 * seeded database without HTTP, JSON or rendering in the way).
 *
 * The query text lives in a static function of the SQLite backend, so
 * this tool includes that file whole; it is built by the script, never by
 * the server's Makefile rules.
 *
 * Usage: timeline_sql home|organisation
 */
#include "../src/store/sqlite_posts.c"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "home"))
		puts(timeline_sql(TL_HOME, 0));
	else if (argc == 2 && !strcmp(argv[1], "organisation"))
		puts(timeline_sql(TL_ORGANISATION, 0));
	else {
		fprintf(stderr, "usage: timeline_sql home|organisation\n");
		return 2;
	}
	return 0;
}
