/*
 * ratelimit.h - the request budget of the API: as Mastodon, at most
 * `limit` requests per `period` for each access token (or, without a
 * valid token, for each client address), counted in fixed windows that
 * start at multiples of the period. Every API answer says where the
 * caller stands (X-RateLimit-Limit, -Remaining, -Reset as an ISO 8601
 * time); past the budget the answer is 429 with Retry-After.
 *
 * The counters live in this process's memory (several processes behind a
 * load balancer would each count their share; a shared store can replace
 * this file behind the same interface). They cost one small entry per
 * active caller; entries of finished windows are swept as the table
 * fills, and past RATELIMIT_KEYS_MAX keys new callers are let through
 * uncounted rather than refused (logged once).
 *
 * Thread-safe: the table is split in shards, each with its own lock.
 */
#ifndef PARLEY_HTTP_RATELIMIT_H
#define PARLEY_HTTP_RATELIMIT_H

#include <stdint.h>

#define RATELIMIT_KEY_MAX 80
#define RATELIMIT_KEYS_MAX (1 << 20)

struct ratelimit_state {
	long limit;          /* the budget of the window */
	long remaining;      /* left after this request (0 when refused) */
	int64_t reset_ms;    /* when the window ends */
	int limited;         /* 1: this request is over the budget */
};

/* Set the budget: `limit` requests per `period_s` seconds; limit 0 turns
 * counting off. Also forgets every counter. Call before serving (tests
 * may call it again between runs). */
void ratelimit_configure(long limit, int period_s);
/* 1 when counting is on. */
int ratelimit_enabled(void);
/* Count one request for key (at most RATELIMIT_KEY_MAX - 1 bytes are
 * used) at now_ms, and say where it stands. Returns 0 when allowed, 1
 * when over the budget; when counting is off, 0 with *out zeroed. */
int ratelimit_hit(const char *key, int64_t now_ms, struct ratelimit_state *out);
/* Free every counter (shutdown, tests). */
void ratelimit_release(void);

#endif
