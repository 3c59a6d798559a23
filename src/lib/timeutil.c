/*
 * timeutil.c - time in milliseconds, ISO 8601 (see timeutil.h).
 */
#define _GNU_SOURCE
#include "lib/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

char *time_format_iso(char *out, size_t n, int64_t ms)
{
	/* floor division, so times before 1970 come out right too */
	int64_t secs = ms / 1000, rem = ms % 1000;
	time_t t;
	struct tm tm;

	if (rem < 0) {
		rem += 1000;
		secs--;
	}
	t = (time_t)secs;
	gmtime_r(&t, &tm);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)rem);
	return out;
}

/* Read exactly `digits` decimal digits. */
static const char *read_num(const char *s, int digits, int *out)
{
	int v = 0, i;

	for (i = 0; i < digits; i++) {
		if (s[i] < '0' || s[i] > '9')
			return NULL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return s + digits;
}

int time_parse_iso(const char *s, int64_t *ms_out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
	struct tm tm, check;
	time_t t;

	if (!(s = read_num(s, 4, &y)) || *s++ != '-' || !(s = read_num(s, 2, &mo)) ||
	    *s++ != '-' || !(s = read_num(s, 2, &d)))
		return -1;
	if (*s == 'T') {
		s++;
		if (!(s = read_num(s, 2, &h)) || *s++ != ':' || !(s = read_num(s, 2, &mi)) ||
		    *s++ != ':' || !(s = read_num(s, 2, &sec)))
			return -1;
		if (*s == '.') {
			int digits = 0, scale = 100;

			for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
				ms += (*s - '0') * scale;
				scale /= 10;
			}
			if (!digits)
				return -1;
		}
		if (*s++ != 'Z')
			return -1;
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* timegm moves 30 February into March: refuse dates that moved */
	gmtime_r(&t, &check);
	if (check.tm_mday != d || check.tm_mon != mo - 1)
		return -1;
	*ms_out = (int64_t)t * 1000 + ms;
	return 0;
}

int time_parse_iso_any(const char *s, int64_t *ms_out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, off = 0;
	struct tm tm, check;
	time_t t;

	if (!(s = read_num(s, 4, &y)) || *s++ != '-' || !(s = read_num(s, 2, &mo)) ||
	    *s++ != '-' || !(s = read_num(s, 2, &d)))
		return -1;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (!(s = read_num(s, 2, &h)) || *s++ != ':' || !(s = read_num(s, 2, &mi)))
			return -1;
		if (*s == ':' && !(s = read_num(s + 1, 2, &sec)))
			return -1;
		if (*s == '.' || *s == ',') {
			int digits = 0, scale = 100;

			for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
				ms += (*s - '0') * scale;
				scale /= 10;
			}
			if (!digits)
				return -1;
		}
		if (*s == 'Z' || *s == 'z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			int sign = *s++ == '-' ? -1 : 1, oh, om = 0;

			if (!(s = read_num(s, 2, &oh)))
				return -1;
			if (*s == ':')
				s++;
			if (*s && !(s = read_num(s, 2, &om)))
				return -1;
			if (oh > 23 || om > 59)
				return -1;
			off = sign * (oh * 60 + om);
		}
		/* no zone at all (an HTML datetime-local field): taken as UTC */
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
		return -1;
	if (sec == 60)
		sec = 59; /* a leap second */
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	gmtime_r(&t, &check);
	if (check.tm_mday != d || check.tm_mon != mo - 1)
		return -1;
	*ms_out = ((int64_t)t - (int64_t)off * 60) * 1000 + ms;
	return 0;
}
