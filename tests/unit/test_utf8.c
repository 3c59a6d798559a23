/*
 * test_utf8.c - UTF-8 validation (lib/utf8.h).
 */
#include "lib/utf8.h"
#include "unit.h"

#define V(s) utf8_valid(s, sizeof(s) - 1)

static void test_valid(void)
{
	CHECK(utf8_valid("", 0));
	CHECK(V("plain ascii"));
	CHECK(V("caf\xc3\xa9"));                 /* é */
	CHECK(V("\xe2\x82\xac"));                /* € */
	CHECK(V("\xf0\x9f\x98\x80"));            /* an emoji */
	CHECK(V("\xef\xbf\xbf"));                /* U+FFFF */
	CHECK(V("\xf4\x8f\xbf\xbf"));            /* U+10FFFF, the last */
}

static void test_invalid(void)
{
	CHECK(!V("a\0b"));                       /* NUL */
	CHECK(!V("\x80"));                       /* lone continuation */
	CHECK(!V("\xc3"));                       /* truncated at the end */
	CHECK(!V("\xe2\x82"));
	CHECK(!V("\xc3\x28"));                   /* bad continuation */
	CHECK(!V("\xc0\xaf"));                   /* overlong '/' */
	CHECK(!V("\xe0\x80\xaf"));               /* overlong, 3 bytes */
	CHECK(!V("\xf0\x80\x80\xaf"));           /* overlong, 4 bytes */
	CHECK(!V("\xed\xa0\x80"));               /* surrogate U+D800 */
	CHECK(!V("\xf4\x90\x80\x80"));           /* above U+10FFFF */
	CHECK(!V("\xf5\x80\x80\x80"));
	CHECK(!V("\xff"));
	/* a length that cuts a character is invalid, even if bytes follow */
	CHECK(!utf8_valid("\xc3\xa9", 1));
}

static void test_copy(void)
{
	char out[8];

	utf8_copy(out, sizeof out, "abc");
	CHECK_STR(out, "abc");
	utf8_copy(out, sizeof out, "a\xff" "b");
	CHECK_STR(out, "a?b");
	utf8_copy(out, sizeof out, "tab\there");
	CHECK_STR(out, "tab her");
	/* never cut inside a character: 3 x 2-byte chars fit in 7, the 4th not */
	utf8_copy(out, sizeof out, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	CHECK_STR(out, "\xc3\xa9\xc3\xa9\xc3\xa9");
	CHECK(utf8_valid(out, strlen(out)));
	utf8_copy(out, 1, "abc");
	CHECK_STR(out, "");
}

int main(void)
{
	RUN(test_valid);
	RUN(test_invalid);
	RUN(test_copy);
	return unit_finish("utf8");
}
