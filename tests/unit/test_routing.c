/*
 * test_routing.c - the arithmetic of routing (model/routing_calc.h):
 * working hours and days, time zones, adding a target in working time,
 * and candidate scores with their reasons.
 */
#include "model/routing_calc.h"
#include "unit.h"

#include <unistd.h>

#define H (3600LL * 1000)
#define M (60LL * 1000)
/* Monday 2024-01-01 00:00 UTC */
#define MON 1704067200000LL
#define DAY (24 * H)

static void test_hours(void)
{
	int a = -1, b = -1;

	CHECK(worktime_parse_hours("09:00-17:00", &a, &b) == 0 && a == 540 && b == 1020);
	CHECK(worktime_parse_hours("8:30 - 12:15", &a, &b) == 0 && a == 510 && b == 735);
	CHECK(worktime_parse_hours("00:00-24:00", &a, &b) == 0 && a == 0 && b == 1440);
	CHECK(worktime_parse_hours("17:00-09:00", &a, &b) < 0);
	CHECK(worktime_parse_hours("09:00-09:00", &a, &b) < 0);
	CHECK(worktime_parse_hours("9-17", &a, &b) < 0);
	CHECK(worktime_parse_hours("09:60-17:00", &a, &b) < 0);
	CHECK(worktime_parse_hours("25:00-26:00", &a, &b) < 0);
	CHECK(worktime_parse_hours("09:00-17:00x", &a, &b) < 0);
	CHECK(worktime_parse_hours("", &a, &b) < 0);
	CHECK(worktime_parse_hours(NULL, &a, &b) < 0);
}

static void test_days(void)
{
	unsigned m = 99;

	CHECK(worktime_parse_days("mon-fri", &m) == 0 && m == 0x3e);
	CHECK(worktime_parse_days("Sun-Thu", &m) == 0 && m == 0x1f);
	CHECK(worktime_parse_days("mon,wed,fri", &m) == 0 && m == ((1u << 1) | (1u << 3) | (1u << 5)));
	CHECK(worktime_parse_days("fri-mon", &m) == 0 && m == ((1u << 5) | (1u << 6) | 1u | (1u << 1)));
	CHECK(worktime_parse_days("mon-wed, sat", &m) == 0 && m == (0xeu | (1u << 6)));
	CHECK(worktime_parse_days("", &m) == 0 && m == 0);
	CHECK(worktime_parse_days("monday", &m) < 0);
	CHECK(worktime_parse_days("mon-", &m) < 0);
	CHECK(worktime_parse_days("mon;tue", &m) < 0);
}

static void test_offsets(void)
{
	int o = 1234;

	CHECK(worktime_parse_offset("UTC", &o) == 0 && o == 0);
	CHECK(worktime_parse_offset("Z", &o) == 0 && o == 0);
	CHECK(worktime_parse_offset("UTC+2", &o) == 0 && o == 120);
	CHECK(worktime_parse_offset("+02:00", &o) == 0 && o == 120);
	CHECK(worktime_parse_offset("-0530", &o) == 0 && o == -330);
	CHECK(worktime_parse_offset("UTC-05:30", &o) == 0 && o == -330);
	CHECK(worktime_parse_offset("GMT+1", &o) == 0 && o == 60);
	CHECK(worktime_parse_offset("+14:00", &o) == 0 && o == 840);
	CHECK(worktime_parse_offset("+15", &o) < 0);
	CHECK(worktime_parse_offset("+02:7", &o) < 0);
	CHECK(worktime_parse_offset("Europe/Paris", &o) < 0);
	CHECK(worktime_parse_offset("", &o) < 0);
	CHECK(worktime_tz_offset("UTC+3", MON, &o) == 0 && o == 180);
	CHECK(worktime_tz_offset("../../etc/passwd", MON, &o) < 0);
	CHECK(worktime_tz_offset("No/Such_Zone", MON, &o) < 0);
	if (access("/usr/share/zoneinfo/Europe/Paris", R_OK) == 0) {
		/* winter +1, summer +2 */
		CHECK(worktime_tz_offset("Europe/Paris", MON, &o) == 0 && o == 60);
		CHECK(worktime_tz_offset("Europe/Paris", MON + 180 * DAY, &o) == 0 && o == 120);
	}
}

static void test_within(void)
{
	struct worktime w;

	CHECK(worktime_init(&w, "09:00-17:00", "mon-fri", "UTC", MON) == 0);
	CHECK(!worktime_within(&w, MON + 8 * H));
	CHECK(worktime_within(&w, MON + 9 * H));
	CHECK(worktime_within(&w, MON + 17 * H - 1));
	CHECK(!worktime_within(&w, MON + 17 * H));
	CHECK(!worktime_within(&w, MON + 5 * DAY + 10 * H));   /* Saturday */
	CHECK(!worktime_within(&w, MON - DAY + 10 * H));       /* Sunday before */
	/* UTC+2: 07:30 UTC is 09:30 local */
	CHECK(worktime_init(&w, "09:00-17:00", "mon-fri", "+02:00", MON) == 0);
	CHECK(worktime_within(&w, MON + 7 * H + 30 * M));
	CHECK(!worktime_within(&w, MON + 15 * H + 30 * M));
	/* UTC-5: Monday 02:00 UTC is Sunday 21:00 local */
	CHECK(worktime_init(&w, "00:00-24:00", "mon-fri", "UTC-5", MON) == 0);
	CHECK(!worktime_within(&w, MON + 2 * H));
	CHECK(worktime_within(&w, MON + 6 * H));
	CHECK(worktime_init(&w, "bad", "mon-fri", "UTC", MON) < 0);
	CHECK(worktime_init(&w, "09:00-17:00", "mon-fri", "Mars/Olympus", MON) < 0);
}

static void test_add(void)
{
	struct worktime w;

	CHECK(worktime_init(&w, "09:00-17:00", "mon-fri", "UTC", MON) == 0);
	/* within the day */
	CHECK(worktime_add(&w, MON + 10 * H, 4 * H) == MON + 14 * H);
	/* exactly to the end of the day */
	CHECK(worktime_add(&w, MON + 13 * H, 4 * H) == MON + 17 * H);
	/* over the evening: 2 h Monday, 2 h Tuesday */
	CHECK(worktime_add(&w, MON + 15 * H, 4 * H) == MON + DAY + 11 * H);
	/* asked at night: counting starts at 09:00 */
	CHECK(worktime_add(&w, MON + 2 * H, 1 * H) == MON + 10 * H);
	CHECK(worktime_add(&w, MON + 20 * H, 1 * H) == MON + DAY + 10 * H);
	/* Friday afternoon over the weekend to Monday */
	CHECK(worktime_add(&w, MON + 4 * DAY + 16 * H, 4 * H) == MON + 7 * DAY + 12 * H);
	/* asked on Saturday */
	CHECK(worktime_add(&w, MON + 5 * DAY + 12 * H, 30 * M) == MON + 7 * DAY + 9 * H + 30 * M);
	/* a week of working time: 5 days of 8 h = 40 h; 48 h is 6 days */
	CHECK(worktime_add(&w, MON + 9 * H, 48 * H) == MON + 7 * DAY + 17 * H);
	/* zero and negative amounts change nothing */
	CHECK(worktime_add(&w, MON + 2 * H, 0) == MON + 2 * H);
	/* in another zone: 09:00-17:00 at UTC+2 is 07:00-15:00 UTC */
	CHECK(worktime_init(&w, "09:00-17:00", "mon-fri", "UTC+2", MON) == 0);
	CHECK(worktime_add(&w, MON + 14 * H, 2 * H) == MON + DAY + 8 * H);
	/* no working days: wall-clock */
	CHECK(worktime_init(&w, "09:00-17:00", "", "UTC", MON) == 0);
	CHECK(worktime_add(&w, MON + 20 * H, 5 * H) == MON + DAY + 1 * H);
}

static int has_reason(const struct routing_reasons *r, const char *text)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->text[i], text))
			return 1;
	return 0;
}

static void test_score(void)
{
	struct routing_evidence expert, learner, busy, nobody;
	struct routing_reasons r;
	double se, sl, sb, sn;

	memset(&expert, 0, sizeof expert);
	expert.ntags = 1;
	snprintf(expert.tags[0].tag, sizeof expert.tags[0].tag, "postgres");
	expert.tags[0].level = 3;
	expert.tags[0].endorsements = 2;
	expert.tags[0].accepted = 1;
	expert.hours = 1;
	se = routing_score(&expert, &r);
	CHECK(se == 30 + 8 + 10 + 5);
	CHECK(has_reason(&r, "declared skill postgres (expert)"));
	CHECK(has_reason(&r, "2 endorsements for postgres"));
	CHECK(has_reason(&r, "1 accepted answer on postgres"));
	CHECK(has_reason(&r, "within working hours"));

	learner = expert;
	learner.tags[0].level = 1;
	learner.tags[0].endorsements = 0;
	learner.tags[0].accepted = 0;
	learner.hours = 0;
	sl = routing_score(&learner, &r);
	CHECK(sl == 8);
	CHECK(has_reason(&r, "declared skill postgres (learning)"));
	CHECK(has_reason(&r, "outside working hours"));
	CHECK(se > sl);

	busy = expert;
	busy.open_assignments = 3;
	sb = routing_score(&busy, &r);
	CHECK(sb == se - 9);
	CHECK(has_reason(&r, "3 open assignments"));
	CHECK(!routing_overloaded(&busy, 5));
	CHECK(routing_overloaded(&busy, 3));
	CHECK(!routing_overloaded(&busy, 0));

	/* title-only skills weigh half; caps on endorsements and answers */
	busy = expert;
	busy.open_assignments = 0;
	busy.hours = -1;
	busy.tags[0].from_title = 1;
	busy.tags[0].endorsements = 50;
	busy.tags[0].accepted = 50;
	CHECK(routing_score(&busy, &r) == 15 + 20 + 50);
	CHECK(has_reason(&r, "50 endorsements for postgres"));

	memset(&nobody, 0, sizeof nobody);
	nobody.hours = -1;
	sn = routing_score(&nobody, NULL);
	CHECK(sn == 0);
	nobody.member = 1;
	CHECK(routing_score(&nobody, &r) == 2 && has_reason(&r, "member of the space"));
}

int main(void)
{
	RUN(test_hours);
	RUN(test_days);
	RUN(test_offsets);
	RUN(test_within);
	RUN(test_add);
	RUN(test_score);
	return unit_finish("routing");
}
