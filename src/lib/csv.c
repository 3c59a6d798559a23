/*
 * csv.c - RFC 4180 reading and writing (see csv.h).
 *
 * The reader is a small state machine over the bytes: at the start of a
 * field, inside an unquoted field, inside a quoted field, and just after a
 * closing quote. Each field is collected into a capped struct buf and
 * copied into the record when it ends.
 */
#include "lib/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_reader_init(struct csv_reader *r, const char *data, size_t len,
		     size_t max_fields, size_t max_field)
{
	memset(r, 0, sizeof *r);
	r->data = data;
	r->len = len;
	r->line = 1;
	r->max_fields = max_fields ? max_fields : 1000;
	r->max_field = max_field ? max_field : 64 * 1024;
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		r->pos = 3;
}

void csv_record_release(struct csv_record *rec)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		free(rec->fields[i]);
	free(rec->fields);
	rec->fields = NULL;
	rec->n = 0;
}

static int push_field(struct csv_record *rec, struct buf *f)
{
	char **nf = realloc(rec->fields, (rec->n + 1) * sizeof *nf);
	char *copy;

	if (!nf)
		return -1;
	rec->fields = nf;
	copy = malloc(f->len + 1);
	if (!copy)
		return -1;
	if (f->len)
		memcpy(copy, f->data, f->len);
	copy[f->len] = '\0';
	rec->fields[rec->n++] = copy;
	buf_reset(f);
	return 0;
}

enum state { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE };

static int fail(struct csv_reader *r, char *err, size_t errlen, int line, const char *what)
{
	snprintf(err, errlen, "line %d: %s", line, what);
	r->failed = 1;
	return -1;
}

int csv_next(struct csv_reader *r, struct csv_record *rec, char *err, size_t errlen)
{
	struct buf f;
	enum state s = FIELD_START;
	int rc;

	memset(rec, 0, sizeof *rec);
	if (r->failed)
		return fail(r, err, errlen, r->line, "the reader stopped at an earlier error");
	if (r->pos >= r->len)
		return 0;
	rec->line = r->line;
	buf_init(&f, r->max_field + 1);
	while (r->pos < r->len) {
		char c = r->data[r->pos++];

		if (c == '\0') {
			rc = fail(r, err, errlen, r->line, "a NUL byte is not text");
			goto out;
		}
		switch (s) {
		case FIELD_START:
		case UNQUOTED:
			if (c == '"' && s == FIELD_START) {
				s = QUOTED;
				continue;
			}
			/* fall through */
		case AFTER_QUOTE:
			if (c == ',' || c == '\n' || c == '\r') {
				if (rec->n >= r->max_fields) {
					rc = fail(r, err, errlen, rec->line, "too many fields in the record");
					goto out;
				}
				if (push_field(rec, &f) < 0) {
					rc = fail(r, err, errlen, rec->line, "out of memory");
					goto out;
				}
				if (c == ',') {
					s = FIELD_START;
					continue;
				}
				if (c == '\r' && r->pos < r->len && r->data[r->pos] == '\n')
					r->pos++;
				r->line++;
				rc = 1;
				goto out;
			}
			if (s == AFTER_QUOTE) {
				rc = fail(r, err, errlen, r->line, "text after a closing quote (write \"\" for a quote)");
				goto out;
			}
			s = UNQUOTED;
			break;
		case QUOTED:
			if (c == '"') {
				if (r->pos < r->len && r->data[r->pos] == '"') {
					r->pos++;
				} else {
					s = AFTER_QUOTE;
					continue;
				}
			} else if (c == '\n' || (c == '\r' && !(r->pos < r->len && r->data[r->pos] == '\n'))) {
				r->line++;
			}
			break;
		}
		if (buf_putc(&f, c) < 0 || f.len > r->max_field) {
			rc = fail(r, err, errlen, rec->line, "a field is too long");
			goto out;
		}
	}
	/* the end of the data ends the last record */
	if (s == QUOTED) {
		rc = fail(r, err, errlen, rec->line, "a quoted field is never closed");
		goto out;
	}
	if (rec->n >= r->max_fields) {
		rc = fail(r, err, errlen, rec->line, "too many fields in the record");
		goto out;
	}
	if (push_field(rec, &f) < 0) {
		rc = fail(r, err, errlen, rec->line, "out of memory");
		goto out;
	}
	rc = 1;
out:
	buf_release(&f);
	return rc;
}

int csv_put_field(struct buf *out, const char *s, int guard)
{
	size_t len = strlen(s), i;
	int quote = len && (s[0] == ' ' || s[len - 1] == ' ');

	for (i = 0; i < len && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	if (quote)
		buf_putc(out, '"');
	if (guard && len && strchr("=+-@\t\r", s[0]))
		buf_putc(out, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	if (quote)
		buf_putc(out, '"');
	return out->failed ? -1 : 0;
}

int csv_end_record(struct buf *out)
{
	return buf_puts(out, "\r\n");
}
