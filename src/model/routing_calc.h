/*
 * routing_calc.h - the arithmetic of routing questions to experts, with no
 * storage: working calendars ("09:00-17:00", "mon-fri", a time zone),
 * adding a response target counted in working time, and the score and
 * human-readable reasons of one candidate. model/routing.c gathers the
 * evidence from storage and calls these; tests/unit/test_routing.c checks
 * them.
 *
 * Time zones: "UTC", "GMT", "Z", offsets ("+02:00", "-0530", "UTC+2",
 * "UTC-05:30", "GMT+1") and IANA names ("Europe/Paris", resolved with the
 * system's tz database under a lock, see worktime_tz_offset()). A
 * calendar uses the zone's offset at the moment asked; a target spanning
 * a daylight-saving change may be off by the change (an hour), which is
 * accepted for a response target.
 *
 * Nothing here allocates; every function is thread-safe.
 */
#ifndef PARLEY_MODEL_ROUTING_CALC_H
#define PARLEY_MODEL_ROUTING_CALC_H

#include <stddef.h>
#include <stdint.h>

/* A weekly working calendar in one fixed offset from UTC. */
struct worktime {
	int start_min;        /* minutes after local midnight the day starts, 0..1439 */
	int end_min;          /* ... and ends, start_min < end_min <= 1440 */
	unsigned days;        /* bit 0 = Sunday ... bit 6 = Saturday */
	int offset_min;       /* local time = UTC + offset_min */
};

/* "HH:MM-HH:MM" (24 h; the end may be "24:00"; the start before the end).
 * 0, or -1 when malformed (outputs untouched). */
int worktime_parse_hours(const char *s, int *start_min, int *end_min);
/* "mon-fri", "sun-thu", "mon,wed,fri", "mon-wed,sat", "" (none) -> a day
 * mask (bit 0 Sunday). Ranges wrap ("fri-mon"). 0, or -1 when malformed. */
int worktime_parse_days(const char *s, unsigned *mask);
/* A fixed-offset zone: "UTC", "GMT", "Z", "+02:00", "-0530", "+2",
 * "UTC+2", "UTC-05:30", "GMT+1" -> minutes east of UTC (within +-14 h).
 * 0, or -1 when it is not one (an IANA name, or garbage). */
int worktime_parse_offset(const char *s, int *offset_min);
/* Any zone: a fixed offset as above, or an IANA name looked up in the
 * system's tz database for the instant at_ms (the name must look like
 * "Area/City": letters, digits, '/', '_', '-', '+'). 0, or -1 when the
 * zone is unknown. Serialised by a mutex (setenv("TZ") + tzset() +
 * localtime_r(), TZ restored after). */
int worktime_tz_offset(const char *tz, int64_t at_ms, int *offset_min);

/* Fill w from the three texts, the zone resolved at at_ms. 0, or -1 when
 * any of them is malformed (w untouched). */
int worktime_init(struct worktime *w, const char *hours, const char *days, const char *tz,
		  int64_t at_ms);

/* 1 when t_ms falls on a working day within working hours. */
int worktime_within(const struct worktime *w, int64_t t_ms);
/* The instant when `amount_ms` of working time has passed after
 * start_ms. Time outside working hours does not count; a start outside
 * them begins counting at the next working period. A calendar with no
 * working time (no days) counts wall-clock time. */
int64_t worktime_add(const struct worktime *w, int64_t start_ms, int64_t amount_ms);

/* ---- the score of a candidate ------------------------------------------ */

#define ROUTING_TAGS_MAX 16
#define ROUTING_REASONS_MAX 24
#define ROUTING_REASON_BYTES 128

/* What one candidate has for one of the question's tags (or title words
 * that name a skill). */
struct routing_tag_evidence {
	char tag[64];
	int level;            /* declared skill: 0 none, 1 learning, 2 practised, 3 expert */
	int endorsements;     /* colleagues' endorsements of that skill */
	int accepted;         /* accepted answers on questions with the tag */
	int from_title;       /* the skill was found in the title, not the tags */
};

struct routing_evidence {
	struct routing_tag_evidence tags[ROUTING_TAGS_MAX];
	int ntags;
	int member;           /* a member of the question's space */
	int hours;            /* 1 within working hours, 0 outside, -1 unknown (no calendar) */
	int open_assignments; /* open queue items assigned to them */
};

struct routing_reasons {
	char text[ROUTING_REASONS_MAX][ROUTING_REASON_BYTES];
	int n;
};

/* 1 when the candidate has max_open or more open assignments. */
int routing_overloaded(const struct routing_evidence *e, int max_open);
/* The candidate's score (higher is better; > 0 for anyone with evidence or
 * a membership) and, when out is not NULL, the reasons in words:
 * "declared skill postgres (expert)", "2 endorsements for postgres",
 * "1 accepted answer on postgres", "member of the space",
 * "within working hours", "3 open assignments". Weights: expert 30,
 * practised 20, learning 8 (half when only the title names the skill);
 * 4 per endorsement (at most 5 counted per tag), 10 per accepted answer
 * (at most 5 per tag); member 2; within working hours +5; minus 3 per open
 * assignment. */
double routing_score(const struct routing_evidence *e, struct routing_reasons *out);

#endif
