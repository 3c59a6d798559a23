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
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	return out;
}

int time_parse_iso(const char *s, int64_t *ms_out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end)
		return -1;
	if (*end == 'T') {
		end = strptime(end + 1, "%H:%M:%S", &tm);
		if (!end)
			return -1;
		if (*end == '.')
			while (*++end >= '0' && *end <= '9')
				;
		if (*end == 'Z')
			end++;
	}
	if (*end)
		return -1;
	*ms_out = (int64_t)timegm(&tm) * 1000;
	return 0;
}
