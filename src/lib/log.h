/*
 * log.h - one-line log records on standard error.
 *
 * Each record is "2026-01-01T12:00:00.123Z LEVEL message". Lines are
 * written with a single write(2) so records from different threads never
 * interleave. Secrets (passwords, tokens, cookies, query strings) must never
 * be passed here: callers log what happened, not what was sent.
 */
#ifndef PARLEY_LIB_LOG_H
#define PARLEY_LIB_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level min);
void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
