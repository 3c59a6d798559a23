/*
 * timeutil.h - wall-clock time in milliseconds and ISO 8601 formatting.
 *
 * Parley stores times as int64 milliseconds since the Unix epoch (UTC) and
 * shows them as "2026-01-02T03:04:05.678Z", the form Mastodon clients parse.
 */
#ifndef PARLEY_LIB_TIMEUTIL_H
#define PARLEY_LIB_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

int64_t time_now_ms(void);
/* Monotonic microseconds, for measuring durations. */
int64_t time_mono_us(void);
/* Write the ISO 8601 form of `ms` into out (at least 25 bytes). Returns out. */
char *time_format_iso(char *out, size_t n, int64_t ms);
/* Parse "YYYY-MM-DD" or an ISO 8601 date-time ending in Z into ms.
 * Returns 0, or -1 when the text is not such a date. */
int time_parse_iso(const char *s, int64_t *ms_out);
/* The same, as lenient as clients need: the time may leave out seconds,
 * and the zone may be "Z", "+HH:MM", "-HHMM" or absent (then UTC, as an
 * HTML datetime-local field sends). Returns 0, or -1. */
int time_parse_iso_any(const char *s, int64_t *ms_out);

#endif
