/*
 * authlimit.c - sign-in rate limiting (see authlimit.h).
 */
#include "model/authlimit.h"
#include "model/housekeeping.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define WINDOW_MS (15 * 60 * 1000)
#define BASE_LOCK_MS (30 * 1000)
#define MAX_LOCK_MS (60 * 60 * 1000)

static void key_for(char *out, size_t n, const char *prefix, const char *value)
{
	size_t i, p;

	p = (size_t)snprintf(out, n, "%s:", prefix);
	for (i = 0; value[i] && p + 1 < n; i++)
		out[p++] = (char)tolower((unsigned char)value[i]);
	out[p < n ? p : n - 1] = '\0';
}

/* The address key: IPv4 as it is, IPv6 by its /64 (one customer line
 * usually holds a whole /64, so single addresses would be free to rotate). */
static void ip_key(char *out, size_t n, const char *ip)
{
	unsigned char a[16];
	char text[INET6_ADDRSTRLEN];

	if (strchr(ip, ':') && inet_pton(AF_INET6, ip, a) == 1) {
		memset(a + 8, 0, 8);
		inet_ntop(AF_INET6, a, text, sizeof text);
		snprintf(out, n, "ip:%s/64", text);
		return;
	}
	key_for(out, n, "ip", ip);
}

static int wait_for(const char *key, int64_t now)
{
	struct failure_row f;

	if (store_failure_get(key, &f) != STORE_OK || f.locked_until <= now)
		return 0;
	return (int)((f.locked_until - now + 999) / 1000);
}

int authlimit_check(const char *login, const char *ip, int64_t now_ms)
{
	char k1[320], k2[80];
	int a, b;

	key_for(k1, sizeof k1, "login", login);
	ip_key(k2, sizeof k2, ip);
	a = wait_for(k1, now_ms);
	b = wait_for(k2, now_ms);
	return a > b ? a : b;
}

static void fail_key(const char *key, int free_tries, int64_t now)
{
	struct failure_row f = { 0, 0, 0 };
	int64_t lock;
	int over;

	/* forget old failures, counting the window from the end of the last
	 * lock, so waiting out one lock does not reset the backoff */
	if (store_failure_get(key, &f) != STORE_OK ||
	    now - (f.locked_until > f.last_failure_at ? f.locked_until : f.last_failure_at) > WINDOW_MS)
		f.failures = 0, f.locked_until = 0;
	f.failures++;
	f.last_failure_at = now;
	over = f.failures - free_tries;
	if (over >= 0) {
		lock = BASE_LOCK_MS;
		while (over-- > 0 && lock < MAX_LOCK_MS)
			lock *= 2;
		if (lock > MAX_LOCK_MS)
			lock = MAX_LOCK_MS;
		f.locked_until = now + lock;
	}
	store_failure_put(key, &f);
}

void authlimit_fail(const char *login, const char *ip, int64_t now_ms)
{
	char k1[320], k2[80];

	key_for(k1, sizeof k1, "login", login);
	ip_key(k2, sizeof k2, ip);
	fail_key(k1, AUTHLIMIT_LOGIN_FREE, now_ms);
	fail_key(k2, AUTHLIMIT_IP_FREE, now_ms);
	housekeeping_maybe();
}

int authlimit_attempt(const char *login, const char *ip, int64_t now_ms)
{
	int wait;

	if (store_begin() != STORE_OK)
		return 1; /* the database is busy: ask the client to retry shortly */
	wait = authlimit_check(login, ip, now_ms);
	if (wait == 0)
		authlimit_fail(login, ip, now_ms);
	if (store_commit() != STORE_OK) {
		store_rollback();
		return 1;
	}
	return wait;
}

void authlimit_success(const char *login, const char *ip)
{
	struct failure_row f;
	char k1[320], k2[80];

	key_for(k1, sizeof k1, "login", login);
	ip_key(k2, sizeof k2, ip);
	if (store_begin() != STORE_OK)
		return;
	store_failure_clear(k1);
	if (store_failure_get(k2, &f) == STORE_OK && f.failures > 0) {
		f.failures--;
		if (f.failures < AUTHLIMIT_IP_FREE)
			f.locked_until = 0; /* the lock came from this very attempt */
		store_failure_put(k2, &f);
	}
	if (store_commit() != STORE_OK)
		store_rollback();
}
