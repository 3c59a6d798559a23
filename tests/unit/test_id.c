/*
 * test_id.c - unit tests for time-sortable ids (src/lib/id.c) and the
 * ISO 8601 time helpers (src/lib/timeutil.c).
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/id.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "unit.h"

static void test_id_strictly_increasing(void)
{
	int64_t prev = id_next(), cur;
	int i, bad = 0, nonpos = 0;

	if (prev <= 0)
		nonpos++;
	for (i = 0; i < 100000; i++) {
		cur = id_next();
		if (cur <= prev)
			bad++;
		if (cur <= 0)
			nonpos++;
		prev = cur;
	}
	CHECK(bad == 0);
	CHECK(nonpos == 0);
}

static void test_id_to_ms_close_to_now(void)
{
	int64_t before = time_now_ms();
	int64_t id = id_next();
	int64_t after = time_now_ms();
	int64_t ms = id_to_ms(id);

	/* the id may run slightly ahead of the clock when a millisecond's
	 * sequence space was used up, never far */
	CHECK(ms >= before);
	CHECK(ms <= after + 1000);
	CHECK(ms > 1600000000000LL); /* after 2020 */
}

static void test_id_from_to_ms(void)
{
	int64_t ms = 1767323045678LL;
	int64_t lo = id_from_ms(ms);

	CHECK(id_to_ms(lo) == ms);
	CHECK((lo & 0xffff) == 0);
	CHECK(id_to_ms(lo + 0xffff) == ms);
	CHECK(id_to_ms(lo - 1) == ms - 1);
	CHECK(id_from_ms(0) == 0);
	CHECK(id_from_ms(1) == 65536);
	/* ids made now are at or above the smallest id for a moment ago */
	CHECK(id_next() >= id_from_ms(time_now_ms() - 1000));
	CHECK(id_next() < id_from_ms(time_now_ms() + 1000));
}

static void test_id_format_parse_round_trip(void)
{
	char s[32];
	int64_t v = 0, id;
	int i, bad = 0;

	CHECK_STR(id_format(s, sizeof s, 1), "1");
	CHECK_STR(id_format(s, sizeof s, INT64_MAX), "9223372036854775807");
	CHECK(id_parse(s, &v) == 0);
	CHECK(v == INT64_MAX);
	for (i = 0; i < 100; i++) {
		id = id_next();
		id_format(s, sizeof s, id);
		v = 0;
		if (id_parse(s, &v) != 0 || v != id)
			bad++;
	}
	CHECK(bad == 0);
	CHECK(id_parse("1", &v) == 0 && v == 1);
	CHECK(id_parse("00042", &v) == 0 && v == 42);
	/* format returns out and truncates safely */
	{
		char small[5];

		CHECK(id_format(small, sizeof small, 123456789) == small);
		CHECK_STR(small, "1234");
	}
}

static void test_id_parse_rejects(void)
{
	int64_t v = 777;

	CHECK(id_parse("", &v) == -1);
	CHECK(id_parse(NULL, &v) == -1);
	CHECK(id_parse("-1", &v) == -1);
	CHECK(id_parse("12a", &v) == -1);
	CHECK(id_parse("0", &v) == -1);
	CHECK(id_parse("000", &v) == -1);
	CHECK(id_parse("99999999999999999999", &v) == -1);
	CHECK(id_parse("9223372036854775808", &v) == -1); /* INT64_MAX + 1 */
	CHECK(id_parse(" 12", &v) == -1);
	CHECK(id_parse("+12", &v) == -1);
	CHECK(id_parse("12 ", &v) == -1);
	CHECK(id_parse("1.5", &v) == -1);
	CHECK(id_parse("0x10", &v) == -1);
	CHECK(id_parse("abc", &v) == -1);
	CHECK(v == 777); /* untouched on failure */
}

static void test_time_format(void)
{
	char s[32];

	CHECK_STR(time_format_iso(s, sizeof s, 0), "1970-01-01T00:00:00.000Z");
	CHECK_STR(time_format_iso(s, sizeof s, 1), "1970-01-01T00:00:00.001Z");
	CHECK_STR(time_format_iso(s, sizeof s, 999), "1970-01-01T00:00:00.999Z");
	CHECK_STR(time_format_iso(s, sizeof s, 1000), "1970-01-01T00:00:01.000Z");
	CHECK_STR(time_format_iso(s, sizeof s, 1767323045678LL), "2026-01-02T03:04:05.678Z");
	/* 2024 was a leap year */
	CHECK_STR(time_format_iso(s, sizeof s, 1709164800000LL + 12), "2024-02-29T00:00:00.012Z");
	CHECK(strlen(s) == 24);
	/* at least 25 bytes is enough */
	{
		char exact[25];

		CHECK_STR(time_format_iso(exact, sizeof exact, 1767323045678LL),
			  "2026-01-02T03:04:05.678Z");
	}
}

static void test_time_format_before_epoch(void)
{
	char s[32];

	/* one millisecond before the epoch is 1969-12-31T23:59:59.999Z */
	CHECK_STR(time_format_iso(s, sizeof s, -1), "1969-12-31T23:59:59.999Z");
	CHECK_STR(time_format_iso(s, sizeof s, -1000), "1969-12-31T23:59:59.000Z");
}

static void test_time_parse(void)
{
	int64_t ms = -1;

	CHECK(time_parse_iso("1970-01-01", &ms) == 0 && ms == 0);
	CHECK(time_parse_iso("1970-01-01T00:00:00Z", &ms) == 0 && ms == 0);
	CHECK(time_parse_iso("1970-01-01T00:00:00.000Z", &ms) == 0 && ms == 0);
	CHECK(time_parse_iso("2026-01-02", &ms) == 0 && ms == 1767312000000LL);
	CHECK(time_parse_iso("2026-01-02T03:04:05Z", &ms) == 0 && ms == 1767323045000LL);
	CHECK(time_parse_iso("2024-02-29T00:00:00Z", &ms) == 0 && ms == 1709164800000LL);
}

static void test_time_parse_keeps_ms(void)
{
	int64_t ms = -1;

	CHECK(time_parse_iso("2026-01-02T03:04:05.678Z", &ms) == 0);
	CHECK(ms == 1767323045678LL);
}

static void test_time_round_trip(void)
{
	char s[32];
	int64_t t, back;
	static const int64_t samples[] = {
		0, 1000, 86400000LL, 951782400000LL /* 2000-02-29 */,
		1767323045000LL, 4102444799000LL /* 2099-12-31T23:59:59 */,
	};
	size_t i;

	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		back = -1;
		time_format_iso(s, sizeof s, samples[i]);
		CHECK(time_parse_iso(s, &back) == 0);
		CHECK(back == samples[i]);
	}
	/* now, with its milliseconds */
	t = time_now_ms();
	time_format_iso(s, sizeof s, t);
	back = -1;
	CHECK(time_parse_iso(s, &back) == 0);
	CHECK(back == t);
	/* whole seconds at least survive */
	CHECK(back / 1000 == t / 1000);
}

static void test_time_parse_rejects(void)
{
	int64_t ms = 12345;

	CHECK(time_parse_iso("", &ms) == -1);
	CHECK(time_parse_iso("abc", &ms) == -1);
	CHECK(time_parse_iso("2026-13-01", &ms) == -1);
	CHECK(time_parse_iso("2026-01-02T25:00:00Z", &ms) == -1);
	CHECK(time_parse_iso("2026-01-02T03:04Z", &ms) == -1);
	CHECK(time_parse_iso("2026-01-02Tx", &ms) == -1);
	CHECK(time_parse_iso("2026-01-02Z", &ms) == -1);
	CHECK(time_parse_iso("2026-01-02T03:04:05+01:00", &ms) == -1);
	CHECK(time_parse_iso("2026-01-02 trailing", &ms) == -1);
	CHECK(time_parse_iso("12026-01-02", &ms) == -1);
	CHECK(ms == 12345); /* untouched on failure */
}

static void test_time_parse_rejects_missing_z(void)
{
	int64_t ms = 12345;

	/* the header promises "an ISO 8601 date-time ending in Z" */
	CHECK(time_parse_iso("2026-01-02T03:04:05", &ms) == -1);
	CHECK(ms == 12345);
}

static void test_time_parse_rejects_impossible_date(void)
{
	int64_t ms = 12345;

	/* February 30th is "not such a date", not March 2nd */
	CHECK(time_parse_iso("2026-02-30", &ms) == -1);
	CHECK(time_parse_iso("2025-02-29T00:00:00Z", &ms) == -1);
	CHECK(ms == 12345);
}

static void test_time_now_and_mono(void)
{
	int64_t a = time_mono_us(), b = time_mono_us();

	CHECK(b >= a);
	CHECK(time_now_ms() > 1600000000000LL);
}

int main(void)
{
	if (secret_init() < 0) {
		fprintf(stderr, "secret_init failed\n");
		return 1;
	}
	RUN(test_id_strictly_increasing);
	RUN(test_id_to_ms_close_to_now);
	RUN(test_id_from_to_ms);
	RUN(test_id_format_parse_round_trip);
	RUN(test_id_parse_rejects);
	RUN(test_time_format);
	RUN(test_time_format_before_epoch);
	RUN(test_time_parse);
	RUN(test_time_parse_keeps_ms);
	RUN(test_time_round_trip);
	RUN(test_time_parse_rejects);
	RUN(test_time_parse_rejects_missing_z);
	RUN(test_time_parse_rejects_impossible_date);
	RUN(test_time_now_and_mono);
	return unit_finish("id");
}
