/*
 * log.c - one-line log records (see log.h).
 */
#include "lib/log.h"
#include "lib/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static enum log_level log_min = LOG_INFO;
static const char *const level_names[] = { "DEBUG", "INFO", "WARN", "ERROR" };

void log_set_level(enum log_level min)
{
	log_min = min;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	char line[2048], ts[32];
	va_list ap;
	int n, m;

	if (lvl < log_min)
		return;
	time_format_iso(ts, sizeof ts, time_now_ms());
	n = snprintf(line, sizeof line, "%s %s ", ts, level_names[lvl]);
	if (n < 0 || (size_t)n >= sizeof line)
		return;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	/* one record is one line: a decoded %0A in a logged path must not
	 * forge another record, nor an escape sequence reach a terminal */
	for (m = 0; m < n; m++)
		if ((unsigned char)line[m] < 0x20 || line[m] == 0x7f)
			line[m] = '?';
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
}
