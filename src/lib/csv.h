/*
 * csv.h - reading and writing CSV (RFC 4180), for directory imports and
 * exports.
 *
 * Reading: fields are separated by ',' and records by CRLF, LF or a lone
 * CR. A field may be quoted with '"'; inside quotes, '""' is one quote and
 * commas and line breaks are data. A UTF-8 byte order mark at the very
 * start is skipped (spreadsheets write one). What RFC 4180 leaves open is
 * decided as follows:
 *   - a '"' inside an unquoted field is kept as a character;
 *   - after a closing quote only ',', a line break or the end may follow
 *     (anything else is an error: `"ab"c`);
 *   - a quoted field still open at the end of the data is an error;
 *   - a NUL byte anywhere is an error;
 *   - an empty line is a record of one empty field (callers skip it).
 * Limits (csv_reader_init): at most max_fields fields in a record and
 * max_field bytes in a field; past them the record is an error.
 * After an error the reader stops: csv_next() keeps answering -1.
 *
 * Writing: csv_put_field() quotes a field when it holds ',', '"', CR, LF
 * or leading or trailing spaces, doubling its quotes. With `guard` set, a
 * field starting with '=', '+', '-', '@', TAB or CR is prefixed with "'",
 * so a spreadsheet shows it as text instead of running it as a formula
 * (CSV injection).
 *
 * Memory: a record's fields are owned by the record (csv_record_release);
 * the reader borrows the data, which must outlive it.
 */
#ifndef PARLEY_LIB_CSV_H
#define PARLEY_LIB_CSV_H

#include <stddef.h>

#include "lib/buf.h"

struct csv_reader {
	const char *data;
	size_t len;
	size_t pos;
	int line;              /* line of the next record (1-based) */
	size_t max_fields;
	size_t max_field;
	int failed;
};

struct csv_record {
	char **fields;         /* NUL-terminated copies */
	size_t n;
	int line;              /* the line the record starts on */
};

/* Read from data[0..len). max_fields / max_field of 0 mean 1000 fields
 * and 64 KiB. */
void csv_reader_init(struct csv_reader *r, const char *data, size_t len,
		     size_t max_fields, size_t max_field);

/* The next record into *rec (which the caller releases in every case).
 * Returns 1 with a record, 0 at the end of the data, -1 on a syntax error
 * or a limit (with a message naming the line in err) or when memory runs
 * out. */
int csv_next(struct csv_reader *r, struct csv_record *rec, char *err, size_t errlen);
void csv_record_release(struct csv_record *rec);

/* Append one field (quoted when needed; see above). Returns 0 or -1 when
 * out fails. */
int csv_put_field(struct buf *out, const char *s, int guard);
/* Append the record separator (CRLF). */
int csv_end_record(struct buf *out);

#endif
