/*
 * test_buf.c - unit tests for the capped growable buffer (src/lib/buf.c).
 */
#include <stdlib.h>

#include "lib/buf.h"
#include "unit.h"

static void test_init_and_empty(void)
{
	struct buf b;
	struct buf s = BUF_INIT;

	buf_init(&b, 0);
	CHECK(b.data == NULL);
	CHECK(b.len == 0);
	CHECK(b.cap == 0);
	CHECK(b.max == BUF_DEFAULT_MAX);
	CHECK(b.failed == 0);
	CHECK_STR(buf_str(&b), "");
	CHECK(buf_str(&b) != NULL);

	CHECK(s.data == NULL && s.len == 0 && s.max == BUF_DEFAULT_MAX && !s.failed);
	CHECK_STR(buf_str(&s), "");

	buf_init(&b, 100);
	CHECK(b.max == 100);
	buf_release(&b);
	CHECK(b.max == 100);
}

static void test_append_puts_putc(void)
{
	struct buf b;

	buf_init(&b, 0);
	CHECK(buf_append(&b, "abc", 3) == 0);
	CHECK(b.len == 3);
	CHECK_STR(buf_str(&b), "abc");
	CHECK(buf_puts(&b, "def") == 0);
	CHECK(buf_putc(&b, 'g') == 0);
	CHECK_STR(buf_str(&b), "abcdefg");
	CHECK(b.len == 7);
	/* a zero-length append is fine and changes nothing */
	CHECK(buf_append(&b, "zzz", 0) == 0);
	CHECK(b.len == 7);
	CHECK_STR(buf_str(&b), "abcdefg");
	CHECK(buf_puts(&b, "") == 0);
	CHECK(b.len == 7);
	/* binary data: embedded NULs are kept and counted */
	CHECK(buf_append(&b, "x\0y", 3) == 0);
	CHECK(b.len == 10);
	CHECK(memcmp(b.data, "abcdefgx\0y", 10) == 0);
	CHECK(b.data[10] == '\0');
	CHECK(!b.failed);
	buf_release(&b);
	CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
	CHECK_STR(buf_str(&b), "");
}

static void test_zero_append_on_empty(void)
{
	struct buf b;

	buf_init(&b, 0);
	CHECK(buf_append(&b, "", 0) == 0);
	CHECK(b.len == 0);
	CHECK_STR(buf_str(&b), "");
	buf_release(&b);
}

static void test_printf(void)
{
	struct buf b;

	buf_init(&b, 0);
	CHECK(buf_printf(&b, "%d-%s", 42, "x") == 0);
	CHECK_STR(buf_str(&b), "42-x");
	CHECK(buf_printf(&b, "[%5.2f]", 3.14159) == 0);
	CHECK_STR(buf_str(&b), "42-x[ 3.14]");
	CHECK(buf_printf(&b, "%s", "") == 0);
	CHECK(b.len == strlen("42-x[ 3.14]"));
	CHECK(buf_putc(&b, '!') == 0);
	CHECK_STR(buf_str(&b), "42-x[ 3.14]!");
	buf_release(&b);

	/* a long formatted string grows the buffer in one go */
	{
		char big[5000];

		memset(big, 'q', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		buf_init(&b, 0);
		CHECK(buf_printf(&b, "<%s>", big) == 0);
		CHECK(b.len == sizeof big - 1 + 2);
		CHECK(b.data[0] == '<' && b.data[b.len - 1] == '>');
		CHECK(b.data[b.len] == '\0');
		buf_release(&b);
	}
}

static void test_growth_many_appends(void)
{
	struct buf b;
	size_t i;
	int ok = 1;

	buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		if (buf_putc(&b, (char)('a' + (char)(i % 26))) != 0)
			ok = 0;
	CHECK(ok);
	CHECK(b.len == 100000);
	CHECK(b.cap > b.len);
	CHECK(b.data[b.len] == '\0');
	for (i = 0; i < 100000; i++)
		if (b.data[i] != (char)('a' + (char)(i % 26)))
			ok = 0;
	CHECK(ok);
	CHECK(!b.failed);

	for (i = 0; i < 1000; i++)
		if (buf_printf(&b, "%zu,", i) != 0)
			ok = 0;
	CHECK(ok);
	CHECK(memcmp(b.data + 100000, "0,1,2,3,", 8) == 0);
	CHECK(strlen(b.data + 100000) == b.len - 100000);
	buf_release(&b);
}

static void test_cap_exact_fit(void)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK(buf_append(&b, "12345678", 8) == 0); /* exactly max fits */
	CHECK(b.len == 8);
	CHECK(!b.failed);
	CHECK_STR(buf_str(&b), "12345678");
	CHECK(b.cap <= 9); /* clamped to max plus the NUL */
	CHECK(buf_append(&b, "", 0) == 0); /* nothing more is still fine */
	CHECK(buf_putc(&b, '9') == -1);
	CHECK(b.failed);
	CHECK(b.len == 8);
	CHECK_STR(buf_str(&b), "12345678");
	buf_release(&b);
}

static void test_cap_failure_sticks(void)
{
	struct buf b;

	buf_init(&b, 10);
	CHECK(buf_puts(&b, "hello") == 0);
	/* appending past max fails and appends nothing */
	CHECK(buf_puts(&b, "worldwide") == -1);
	CHECK(b.failed);
	CHECK(b.len == 5);
	CHECK_STR(buf_str(&b), "hello");
	CHECK(b.data[b.len] == '\0');
	/* later appends fail too, even ones that would fit */
	CHECK(buf_putc(&b, '!') == -1);
	CHECK(buf_append(&b, "x", 1) == -1);
	CHECK(buf_puts(&b, "") == -1);
	CHECK(buf_printf(&b, "%d", 1) == -1);
	CHECK(buf_reserve(&b, 0) == -1);
	CHECK(b.len == 5);
	CHECK_STR(buf_str(&b), "hello");
	CHECK(b.failed);

	/* reset clears the failure and the content but keeps the storage */
	{
		char *before = b.data;

		buf_reset(&b);
		CHECK(!b.failed);
		CHECK(b.len == 0);
		CHECK(b.data == before);
		CHECK_STR(buf_str(&b), "");
		CHECK(b.max == 10);
	}
	CHECK(buf_puts(&b, "0123456789") == 0);
	CHECK_STR(buf_str(&b), "0123456789");
	buf_release(&b);
}

static void test_printf_over_cap(void)
{
	struct buf b;

	buf_init(&b, 6);
	CHECK(buf_printf(&b, "%s", "abc") == 0);
	CHECK(buf_printf(&b, "%s", "defg") == -1);
	CHECK(b.failed);
	CHECK(b.len == 3);
	CHECK_STR(buf_str(&b), "abc");
	CHECK(buf_printf(&b, "%s", "d") == -1);
	CHECK_STR(buf_str(&b), "abc");
	buf_release(&b);

	/* a first append past the cap leaves an empty (never NULL) view */
	buf_init(&b, 4);
	CHECK(buf_printf(&b, "%s", "toolong") == -1);
	CHECK(b.failed);
	CHECK(b.len == 0);
	CHECK_STR(buf_str(&b), "");
	buf_release(&b);
	CHECK(!b.failed);
	CHECK(b.max == 4);
}

static void test_huge_reserve(void)
{
	struct buf b;

	buf_init(&b, 0);
	CHECK(buf_puts(&b, "ab") == 0);
	/* sizes that would overflow len + n must fail cleanly */
	CHECK(buf_reserve(&b, (size_t)-1) == -1);
	CHECK(b.failed);
	CHECK_STR(buf_str(&b), "ab");
	buf_release(&b);

	buf_init(&b, 0);
	CHECK(buf_reserve(&b, BUF_DEFAULT_MAX + 1) == -1);
	CHECK(b.failed);
	buf_release(&b);

	buf_init(&b, 0);
	CHECK(buf_reserve(&b, 1000) == 0);
	CHECK(b.cap >= 1001);
	CHECK(b.len == 0);
	CHECK(buf_append(&b, "abc", 3) == 0);
	CHECK_STR(buf_str(&b), "abc");
	buf_release(&b);
}

static void test_reserve_then_str(void)
{
	struct buf b;

	/* buf_str promises "" for an empty buffer, even one that has storage
	 * from buf_reserve but no content yet */
	char *dirty = malloc(64);

	/* leave non-zero bytes in the heap chunk the buffer will likely get */
	if (dirty) {
		memset(dirty, 'X', 64);
		free(dirty);
	}
	buf_init(&b, 0);
	CHECK(buf_reserve(&b, 10) == 0);
	CHECK(b.len == 0);
	CHECK(b.data != NULL);
	CHECK(b.data && b.data[0] == '\0');
	CHECK(strlen(buf_str(&b)) == 0);
	buf_release(&b);
}

static void test_detach(void)
{
	struct buf b;
	char *s;
	size_t len = 99;

	buf_init(&b, 50);
	CHECK(buf_puts(&b, "owned") == 0);
	s = buf_detach(&b, &len);
	CHECK(s != NULL);
	CHECK_STR(s, "owned");
	CHECK(len == 5);
	CHECK(b.data == NULL && b.len == 0 && b.cap == 0 && !b.failed);
	CHECK(b.max == 50);
	CHECK_STR(buf_str(&b), "");
	free(s);

	/* detaching an empty buffer gives an empty, freeable string */
	len = 99;
	s = buf_detach(&b, &len);
	CHECK(s != NULL);
	CHECK_STR(s, "");
	CHECK(len == 0);
	free(s);

	/* NULL len_out is allowed */
	CHECK(buf_puts(&b, "x") == 0);
	s = buf_detach(&b, NULL);
	CHECK_STR(s, "x");
	free(s);

	/* the buffer is usable again after detach */
	CHECK(buf_puts(&b, "again") == 0);
	CHECK_STR(buf_str(&b), "again");
	buf_release(&b);

	/* detach after a failure returns what was kept and clears failed */
	buf_init(&b, 3);
	CHECK(buf_puts(&b, "ab") == 0);
	CHECK(buf_puts(&b, "cd") == -1);
	s = buf_detach(&b, &len);
	CHECK_STR(s, "ab");
	CHECK(len == 2);
	CHECK(!b.failed);
	free(s);
	buf_release(&b);
}

static void test_reset_empty_and_release_twice(void)
{
	struct buf b;

	buf_init(&b, 0);
	buf_reset(&b); /* no storage yet: must not crash */
	CHECK(b.data == NULL);
	CHECK_STR(buf_str(&b), "");
	buf_release(&b);
	buf_release(&b); /* releasing twice is harmless */
	CHECK(b.data == NULL);
	CHECK(buf_puts(&b, "ok") == 0);
	buf_reset(&b);
	CHECK(b.len == 0);
	CHECK_STR(buf_str(&b), "");
	CHECK(buf_puts(&b, "x") == 0);
	CHECK_STR(buf_str(&b), "x");
	buf_release(&b);
}

int main(void)
{
	RUN(test_init_and_empty);
	RUN(test_append_puts_putc);
	RUN(test_zero_append_on_empty);
	RUN(test_printf);
	RUN(test_growth_many_appends);
	RUN(test_cap_exact_fit);
	RUN(test_cap_failure_sticks);
	RUN(test_printf_over_cap);
	RUN(test_huge_reserve);
	RUN(test_reserve_then_str);
	RUN(test_detach);
	RUN(test_reset_empty_and_release_twice);
	return unit_finish("buf");
}
