/*
 * result.h - the result codes every model function returns.
 *
 * A model function answers with one of these and, for anything but M_OK,
 * a human-readable message in the caller's `err` buffer. The faces map
 * them to HTTP statuses (see http/response.c: http_status_for()).
 */
#ifndef PARLEY_MODEL_RESULT_H
#define PARLEY_MODEL_RESULT_H

enum mresult {
	M_OK = 0,
	M_INVALID,       /* input breaks a rule: 422 */
	M_CONFLICT,      /* already exists: 422 (Mastodon) / 409 */
	M_NOTFOUND,      /* 404 */
	M_UNAUTHORIZED,  /* bad credentials: 401 */
	M_FORBIDDEN,     /* not allowed: 403 */
	M_LIMITED,       /* too many attempts: 429 */
	M_ERROR,         /* storage failed: 500 */
};

#include <stddef.h>

/* Write msg into err (when err is not NULL and errlen > 0) and return r:
 * "return mresult_fail(err, errlen, M_INVALID, "why");". */
enum mresult mresult_fail(char *err, size_t errlen, enum mresult r, const char *msg);

#endif
