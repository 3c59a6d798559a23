/*
 * test_vcard.c - vCard 4.0 writing (lib/vcard.h): escaping and folding as
 * RFC 6350 sections 3.2 and 3.4 say.
 */
#include "lib/utf8.h"
#include "lib/vcard.h"
#include "unit.h"

static void test_escape(void)
{
	struct buf b = BUF_INIT;

	vcard_escape(&b, "a\\b,c;d\ne\r\nf\rg\th\x01");
	CHECK_STR(buf_str(&b), "a\\\\b\\,c\\;d\\ne\\nf\\ng h ");
	buf_release(&b);
}

static void test_card(void)
{
	struct buf b = BUF_INIT;
	const char *org[] = { "Acme, Inc.", "R&D; Labs" };
	const char *cats[] = { "C++", "Rust,Go" };

	vcard_begin(&b);
	vcard_prop(&b, "FN", NULL, "Ada Lovelace");
	vcard_prop(&b, "TITLE", NULL, "");          /* empty: nothing */
	vcard_prop_parts(&b, "ORG", NULL, org, 2);
	vcard_prop_list(&b, "CATEGORIES", NULL, cats, 2);
	vcard_prop_list(&b, "NICKNAME", NULL, cats, 0);
	vcard_prop(&b, "TEL", ";TYPE=work,voice;VALUE=text", "+44 20 7946 0000");
	vcard_prop_uri(&b, "URL", NULL, "https://example.com/@ada\r\n");
	vcard_end(&b);
	CHECK_STR(buf_str(&b),
		  "BEGIN:VCARD\r\nVERSION:4.0\r\n"
		  "FN:Ada Lovelace\r\n"
		  "ORG:Acme\\, Inc.;R&D\\; Labs\r\n"
		  "CATEGORIES:C++,Rust\\,Go\r\n"
		  "TEL;TYPE=work,voice;VALUE=text:+44 20 7946 0000\r\n"
		  "URL:https://example.com/@ada\r\n"
		  "END:VCARD\r\n");
	buf_release(&b);
}

/* Every physical line is at most 75 octets, continuation lines start with
 * a space, UTF-8 is never cut, and unfolding gives the line back. */
static void test_folding(void)
{
	struct buf b = BUF_INIT, unfolded = BUF_INIT, want = BUF_INIT;
	const char *p, *line;
	int i;

	for (i = 0; i < 60; i++)
		buf_puts(&want, "é€x");   /* 2 + 3 + 1 bytes */
	vcard_prop(&b, "NOTE", NULL, buf_str(&want));
	for (line = p = buf_str(&b); *p; p++) {
		if (p[0] == '\r' && p[1] == '\n') {
			CHECK(p - line <= 75);
			CHECK(utf8_valid(line, (size_t)(p - line)));
			if (line != buf_str(&b))
				CHECK(line[0] == ' ');
			buf_append(&unfolded, line + (line != buf_str(&b)), (size_t)(p - line) - (line != buf_str(&b)));
			p++;
			line = p + 1;
		}
	}
	CHECK(*line == '\0');          /* ends with CRLF */
	CHECK(!strncmp(buf_str(&unfolded), "NOTE:", 5));
	CHECK_STR(buf_str(&unfolded) + 5, buf_str(&want));
	buf_release(&b);
	buf_release(&unfolded);
	buf_release(&want);
}

int main(void)
{
	RUN(test_escape);
	RUN(test_card);
	RUN(test_folding);
	return unit_finish("test_vcard");
}
