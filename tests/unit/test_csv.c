/*
 * test_csv.c - the RFC 4180 reader and writer (lib/csv.h).
 */
#include "lib/csv.h"
#include "unit.h"

#include <stdlib.h>

/* Read all records of s; returns how many, or -1 at an error. Fields are
 * joined as "a|b|c" per record into out (records separated by '\n'). */
static int read_all(const char *s, size_t len, char *out, size_t n, char *err, size_t errlen)
{
	struct csv_reader r;
	struct csv_record rec;
	struct buf b = BUF_INIT;
	int rc, count = 0;
	size_t i;

	csv_reader_init(&r, s, len, 0, 0);
	while ((rc = csv_next(&r, &rec, err, errlen)) == 1) {
		if (count++)
			buf_putc(&b, '\n');
		for (i = 0; i < rec.n; i++) {
			if (i)
				buf_putc(&b, '|');
			buf_puts(&b, rec.fields[i]);
		}
		csv_record_release(&rec);
	}
	csv_record_release(&rec);
	snprintf(out, n, "%s", buf_str(&b));
	buf_release(&b);
	return rc < 0 ? -1 : count;
}

#define READ(s, out) read_all(s, sizeof(s) - 1, out, sizeof out, err, sizeof err)

static void test_plain(void)
{
	char out[256], err[128];

	CHECK(READ("a,b,c\r\n1,2,3\r\n", out) == 2);
	CHECK_STR(out, "a|b|c\n1|2|3");
	/* LF and CR line ends, no final line end */
	CHECK(READ("a,b\n1,2\r3,4", out) == 3);
	CHECK_STR(out, "a|b\n1|2\n3|4");
	/* empty fields and an empty line (one empty field) */
	CHECK(READ(",x,\n\nend", out) == 3);
	CHECK_STR(out, "|x|\n\nend");
	CHECK(READ("", out) == 0);
}

static void test_quoted(void)
{
	char out[256], err[128];

	CHECK(READ("\"a,b\",\"say \"\"hi\"\"\",c\r\n", out) == 1);
	CHECK_STR(out, "a,b|say \"hi\"|c");
	/* a line break inside quotes is data */
	CHECK(READ("\"line1\r\nline2\",x\r\nnext\r\n", out) == 2);
	CHECK_STR(out, "line1\r\nline2|x\nnext");
	/* an empty quoted field; a quote inside an unquoted field is kept */
	CHECK(READ("\"\",ab\"c\n", out) == 1);
	CHECK_STR(out, "|ab\"c");
	/* a byte order mark is skipped */
	CHECK(READ("\xef\xbb\xbf" "email\nx@y.z\n", out) == 2);
	CHECK_STR(out, "email\nx@y.z");
	/* UTF-8 passes through */
	CHECK(READ("Zürich,\"Søren, Æ\"\n", out) == 1);
	CHECK_STR(out, "Zürich|Søren, Æ");
}

static void test_errors(void)
{
	char out[256], err[128];
	struct csv_reader r;
	struct csv_record rec;

	CHECK(READ("\"never closed,a\nb\n", out) == -1);
	CHECK(strstr(err, "line 1") && strstr(err, "never closed"));
	CHECK(READ("ok\n\"ab\"c,d\n", out) == -1);
	CHECK(strstr(err, "line 2") && strstr(err, "after a closing quote"));
	CHECK(read_all("a\0b\n", 4, out, sizeof out, err, sizeof err) == -1);
	CHECK(strstr(err, "NUL") != NULL);
	/* line numbers count the line breaks inside quoted fields */
	CHECK(READ("\"x\ny\",1\nz,\"bad\"q\n", out) == -1);
	CHECK(strstr(err, "line 3") != NULL);

	/* limits */
	csv_reader_init(&r, "a,b,c\n", 6, 2, 0);
	CHECK(csv_next(&r, &rec, err, sizeof err) == -1);
	csv_record_release(&rec);
	CHECK(strstr(err, "too many fields") != NULL);
	/* the reader stays stopped */
	CHECK(csv_next(&r, &rec, err, sizeof err) == -1);
	csv_record_release(&rec);
	csv_reader_init(&r, "abcdef,x\n", 9, 0, 4);
	CHECK(csv_next(&r, &rec, err, sizeof err) == -1);
	csv_record_release(&rec);
	CHECK(strstr(err, "too long") != NULL);
	csv_reader_init(&r, "abcd,x\n", 7, 0, 4);
	CHECK(csv_next(&r, &rec, err, sizeof err) == 1);
	CHECK(rec.n == 2 && !strcmp(rec.fields[0], "abcd"));
	csv_record_release(&rec);
}

static void test_write(void)
{
	struct buf b = BUF_INIT;
	char out[256], err[128];

	csv_put_field(&b, "plain", 1);
	buf_putc(&b, ',');
	csv_put_field(&b, "with, comma", 1);
	buf_putc(&b, ',');
	csv_put_field(&b, "say \"hi\"", 1);
	buf_putc(&b, ',');
	csv_put_field(&b, "two\nlines", 1);
	buf_putc(&b, ',');
	csv_put_field(&b, " padded ", 1);
	csv_end_record(&b);
	CHECK_STR(buf_str(&b), "plain,\"with, comma\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded \"\r\n");
	/* what is written reads back the same */
	CHECK(read_all(b.data, b.len, out, sizeof out, err, sizeof err) == 1);
	CHECK_STR(out, "plain|with, comma|say \"hi\"|two\nlines| padded ");
	buf_reset(&b);
	/* formula guard */
	csv_put_field(&b, "=HYPERLINK(\"http://x\")", 1);
	buf_putc(&b, ',');
	csv_put_field(&b, "+1 555", 1);
	buf_putc(&b, ',');
	csv_put_field(&b, "@SUM(A1)", 1);
	buf_putc(&b, ',');
	csv_put_field(&b, "-2", 0);
	CHECK_STR(buf_str(&b), "\"'=HYPERLINK(\"\"http://x\"\")\",'+1 555,'@SUM(A1),-2");
	buf_release(&b);
}

int main(void)
{
	RUN(test_plain);
	RUN(test_quoted);
	RUN(test_errors);
	RUN(test_write);
	return unit_finish("test_csv");
}
