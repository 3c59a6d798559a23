/*
 * routing_calc.c - working calendars and candidate scores (see
 * routing_calc.h). Pure arithmetic, except worktime_tz_offset(), which asks
 * the C library about IANA zone names.
 *
 * Working time is walked a day at a time in local time (UTC shifted by
 * the calendar's offset): on a working day the part of [start, end) after
 * the cursor counts; the walk ends in the day where the remaining amount
 * fits. A week's target of 8-hour days is a month of steps at most.
 */
#include "model/routing_calc.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MIN_MS 60000LL
#define DAY_MS 86400000LL

static int two_digits(const char *s, int *out)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/* "HH:MM" (or "H:MM") at s; the characters read, or -1. */
static int parse_clock(const char *s, int *minutes)
{
	int h, m, n;

	if (isdigit((unsigned char)s[0]) && s[1] == ':') {
		h = s[0] - '0';
		n = 1;
	} else if (two_digits(s, &h) == 0 && s[2] == ':') {
		n = 2;
	} else {
		return -1;
	}
	if (two_digits(s + n + 1, &m) < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*minutes = h * 60 + m;
	return n + 3;
}

int worktime_parse_hours(const char *s, int *start_min, int *end_min)
{
	int a, b, n, k;

	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	n = parse_clock(s, &a);
	if (n < 0)
		return -1;
	s += n;
	while (*s == ' ')
		s++;
	if (*s != '-')
		return -1;
	s++;
	while (*s == ' ')
		s++;
	k = parse_clock(s, &b);
	if (k < 0)
		return -1;
	s += k;
	while (*s == ' ')
		s++;
	if (*s || a >= b || a >= 1440)
		return -1;
	*start_min = a;
	*end_min = b;
	return 0;
}

static int day_index(const char *s, size_t len)
{
	static const char *const names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	int i;

	if (len != 3)
		return -1;
	for (i = 0; i < 7; i++)
		if (!strncasecmp(s, names[i], 3))
			return i;
	return -1;
}

int worktime_parse_days(const char *s, unsigned *mask)
{
	unsigned m = 0;

	if (!s)
		return -1;
	while (*s) {
		const char *e;
		int a, b;

		while (*s == ' ' || *s == ',')
			s++;
		if (!*s)
			break;
		e = s;
		while (isalpha((unsigned char)*e))
			e++;
		a = day_index(s, (size_t)(e - s));
		if (a < 0)
			return -1;
		b = a;
		s = e;
		if (*s == '-') {
			s++;
			e = s;
			while (isalpha((unsigned char)*e))
				e++;
			b = day_index(s, (size_t)(e - s));
			if (b < 0)
				return -1;
			s = e;
		}
		for (;;) {
			m |= 1u << a;
			if (a == b)
				break;
			a = (a + 1) % 7;
		}
		while (*s == ' ')
			s++;
		if (*s && *s != ',')
			return -1;
	}
	*mask = m;
	return 0;
}

int worktime_parse_offset(const char *s, int *offset_min)
{
	int sign, h, m = 0;

	if (!s)
		return -1;
	if (!strcasecmp(s, "Z") || !strcasecmp(s, "UTC") || !strcasecmp(s, "GMT")) {
		*offset_min = 0;
		return 0;
	}
	if (!strncasecmp(s, "UTC", 3) || !strncasecmp(s, "GMT", 3))
		s += 3;
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s == '-' ? -1 : 1;
	s++;
	if (!isdigit((unsigned char)s[0]))
		return -1;
	if (isdigit((unsigned char)s[1])) {
		two_digits(s, &h);
		s += 2;
	} else {
		h = s[0] - '0';
		s++;
	}
	if (*s == ':')
		s++;
	if (*s) {
		if (two_digits(s, &m) < 0 || s[2] || m > 59)
			return -1;
	}
	if (h * 60 + m > 14 * 60)
		return -1;
	*offset_min = sign * (h * 60 + m);
	return 0;
}

static pthread_mutex_t tz_mu = PTHREAD_MUTEX_INITIALIZER;

static int iana_name_ok(const char *tz)
{
	const char *p;

	if (!tz[0] || tz[0] == '/' || tz[0] == '.' || strlen(tz) > 64 || strstr(tz, ".."))
		return 0;
	for (p = tz; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_-+", *p))
			return 0;
	return 1;
}

int worktime_tz_offset(const char *tz, int64_t at_ms, int *offset_min)
{
	char path[128], *saved = NULL;
	const char *old;
	struct tm tm;
	time_t t;
	int ok;

	if (worktime_parse_offset(tz, offset_min) == 0)
		return 0;
	if (!tz || !iana_name_ok(tz))
		return -1;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	if (access(path, R_OK) != 0)
		return -1;
	t = (time_t)(at_ms / 1000);
	pthread_mutex_lock(&tz_mu);
	old = getenv("TZ");
	if (old)
		saved = strdup(old);
	setenv("TZ", tz, 1);
	tzset();
	ok = localtime_r(&t, &tm) != NULL;
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
	pthread_mutex_unlock(&tz_mu);
	if (!ok)
		return -1;
	*offset_min = (int)(tm.tm_gmtoff / 60);
	return 0;
}

int worktime_init(struct worktime *w, const char *hours, const char *days, const char *tz,
		  int64_t at_ms)
{
	struct worktime x;

	if (worktime_parse_hours(hours, &x.start_min, &x.end_min) < 0 ||
	    worktime_parse_days(days, &x.days) < 0 || worktime_tz_offset(tz, at_ms, &x.offset_min) < 0)
		return -1;
	*w = x;
	return 0;
}

/* Days since the epoch of a local instant (floor), and its weekday. */
static int64_t local_day(int64_t local_ms)
{
	return local_ms >= 0 ? local_ms / DAY_MS : -((-local_ms + DAY_MS - 1) / DAY_MS);
}

static int weekday(int64_t day)
{
	int r = (int)((day + 4) % 7); /* 1970-01-01 was a Thursday */

	return r < 0 ? r + 7 : r;
}

int worktime_within(const struct worktime *w, int64_t t_ms)
{
	int64_t local = t_ms + w->offset_min * MIN_MS, day = local_day(local);
	int64_t minute = (local - day * DAY_MS) / MIN_MS;

	return (w->days & (1u << weekday(day))) && minute >= w->start_min && minute < w->end_min;
}

int64_t worktime_add(const struct worktime *w, int64_t start_ms, int64_t amount_ms)
{
	int64_t off = w->offset_min * MIN_MS, local = start_ms + off, remaining = amount_ms;
	int i;

	if (amount_ms <= 0)
		return start_ms;
	if (!(w->days & 0x7f) || w->start_min >= w->end_min)
		return start_ms + amount_ms;
	for (i = 0; i < 3660; i++) {
		int64_t day = local_day(local), day0 = day * DAY_MS;
		int64_t ws = day0 + w->start_min * MIN_MS, we = day0 + w->end_min * MIN_MS;

		if (w->days & (1u << weekday(day))) {
			if (local < ws)
				local = ws;
			if (local < we) {
				if (remaining <= we - local)
					return local + remaining - off;
				remaining -= we - local;
			}
		}
		local = day0 + DAY_MS;
	}
	return start_ms + amount_ms; /* not reached for sane calendars */
}

/* ---- scores ------------------------------------------------------------ */

int routing_overloaded(const struct routing_evidence *e, int max_open)
{
	return max_open > 0 && e->open_assignments >= max_open;
}

/* Room for one more reason? Then its slot. */
static char *next_reason(struct routing_reasons *out)
{
	if (!out || out->n >= ROUTING_REASONS_MAX)
		return NULL;
	return out->text[out->n++];
}

double routing_score(const struct routing_evidence *e, struct routing_reasons *out)
{
	static const char *const levels[] = { "", "learning", "practised", "expert" };
	static const double level_weight[] = { 0, 8, 20, 30 };
	double score = 0;
	char *r;
	int i;

	if (out)
		out->n = 0;
	for (i = 0; i < e->ntags && i < ROUTING_TAGS_MAX; i++) {
		const struct routing_tag_evidence *t = &e->tags[i];
		int level = t->level < 0 ? 0 : t->level > 3 ? 3 : t->level;
		int endo = t->endorsements > 5 ? 5 : t->endorsements;
		int acc = t->accepted > 5 ? 5 : t->accepted;

		if (level) {
			score += t->from_title ? level_weight[level] / 2 : level_weight[level];
			if ((r = next_reason(out)))
				snprintf(r, ROUTING_REASON_BYTES, "declared skill %s (%s)%s", t->tag,
					 levels[level], t->from_title ? ", named in the title" : "");
		}
		if (t->endorsements > 0) {
			score += 4.0 * endo;
			if ((r = next_reason(out)))
				snprintf(r, ROUTING_REASON_BYTES, "%d endorsement%s for %s", t->endorsements,
					 t->endorsements == 1 ? "" : "s", t->tag);
		}
		if (t->accepted > 0) {
			score += 10.0 * acc;
			if ((r = next_reason(out)))
				snprintf(r, ROUTING_REASON_BYTES, "%d accepted answer%s on %s", t->accepted,
					 t->accepted == 1 ? "" : "s", t->tag);
		}
	}
	if (e->member) {
		score += 2;
		if ((r = next_reason(out)))
			snprintf(r, ROUTING_REASON_BYTES, "member of the space");
	}
	if (e->hours == 1) {
		score += 5;
		if ((r = next_reason(out)))
			snprintf(r, ROUTING_REASON_BYTES, "within working hours");
	} else if (e->hours == 0 && (r = next_reason(out))) {
		snprintf(r, ROUTING_REASON_BYTES, "outside working hours");
	}
	if (e->open_assignments > 0) {
		score -= 3.0 * e->open_assignments;
		if ((r = next_reason(out)))
			snprintf(r, ROUTING_REASON_BYTES, "%d open assignment%s", e->open_assignments,
				 e->open_assignments == 1 ? "" : "s");
	}
	return score;
}
