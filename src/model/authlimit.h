/*
 * authlimit.h - sign-in rate limiting with growing backoff.
 *
 * Failures are counted per key ("login:<name>" for the account tried,
 * by its username whether it was reached by username or email, or the
 * name as typed when no account has it; "ip:<address>" for the client) in the store, so every Parley process
 * sharing a database sees the same counts. After AUTHLIMIT_LOGIN_FREE
 * failures on a login (AUTHLIMIT_IP_FREE from one address) the key is
 * locked for 30 s, and each further failure after a lock doubles it, up to
 * one hour. Failures are forgotten 15 minutes after the last failure or
 * the end of the last lock, whichever is later (so waiting out a lock does
 * not reset the backoff). Keying on the
 * name typed rather than the account id means an unknown name is limited
 * exactly like a real one, so the limit reveals nothing.
 */
#ifndef PARLEY_MODEL_AUTHLIMIT_H
#define PARLEY_MODEL_AUTHLIMIT_H

#include <stdint.h>

#define AUTHLIMIT_LOGIN_FREE 5
#define AUTHLIMIT_IP_FREE 20

/* Start a sign-in attempt, atomically: 0 when allowed, and the attempt is
 * already counted as a failure (so parallel attempts cannot slip past the
 * limit while their passwords are being checked); else the seconds to
 * wait (for Retry-After), and nothing is counted. */
int authlimit_attempt(const char *login, const char *ip, int64_t now_ms);
/* The attempt succeeded: clear the login's counter and give back the one
 * failure the attempt counted against the address. */
void authlimit_success(const char *login, const char *ip);

/* Lower-level pieces, for tests: the wait now (0 when allowed), and
 * counting one failure without checking. */
int authlimit_check(const char *login, const char *ip, int64_t now_ms);
void authlimit_fail(const char *login, const char *ip, int64_t now_ms);

#endif
