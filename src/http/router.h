/*
 * router.h - the route table: method + path pattern -> handler.
 *
 * Patterns are literal segments and ":name" segments, which capture one
 * path segment (read with req_param(rq, "name")); a segment "@:name" has a
 * literal prefix ("@") and captures the non-empty rest ("/@:user" matches
 * "/@alice" with user = "alice"). Trailing slashes on a
 * request path are ignored ("/api/v1/instance/" matches "/api/v1/instance").
 * Routes are added at start-up, before the server threads run; matching
 * is read-only and thread-safe.
 *
 * Flags say what the server checks before calling the handler:
 *   ROUTE_API     JSON route: errors are {"error": ...}; the viewer comes
 *                 from an OAuth bearer token, never from a cookie
 *   ROUTE_AUTH    a signed-in user is required (401 for API, a redirect to
 *                 the sign-in page for the web)
 *   ROUTE_ADMIN   the viewer must be an admin (403)
 *   ROUTE_APP_OK  with ROUTE_AUTH: an app-only token (client_credentials)
 *                 is enough
 *   ROUTE_SLOW    the handler is slow by design (it checks a password): it
 *                 runs on the slow lane (http/slowlane.h), not on an HTTP
 *                 worker, so it cannot hold up other connections
 *   ROUTE_SECRET_PATH the path holds a secret (an invite code): the access
 *                 log shows the pattern instead
 *   ROUTE_UPLOAD  the body may be up to max_upload bytes instead of
 *                 max_body (media uploads) when the request carries a
 *                 valid user token; the server matches the route and
 *                 checks the token as soon as the headers arrive
 *   ROUTE_TOKEN_OK a page or file (not API) that also knows a viewer by a
 *                 bearer token when there is no session cookie (media
 *                 files fetched by apps); GET only
 * `scope` (API routes) is the OAuth scope the token must cover, with
 * alternatives as "read:accounts|profile"; NULL for none.
 */
#ifndef PARLEY_HTTP_ROUTER_H
#define PARLEY_HTTP_ROUTER_H

#include <stddef.h>

#include "http/request.h"

typedef void (*route_fn)(struct request *rq, struct response *rs);

enum {
	ROUTE_API = 1 << 0,
	ROUTE_AUTH = 1 << 1,
	ROUTE_ADMIN = 1 << 2,
	ROUTE_APP_OK = 1 << 3,
	ROUTE_SECRET_PATH = 1 << 4,
	ROUTE_SLOW = 1 << 5,
	ROUTE_UPLOAD = 1 << 6,
	ROUTE_TOKEN_OK = 1 << 7,
};

struct route {
	const char *method;
	const char *pattern;
	route_fn fn;
	unsigned flags;
	const char *scope;
};

/* Add a route (the strings must be static). Aborts on a full table or a
 * pattern with more than ROUTE_MAX_PARAMS captures: both are programming
 * errors found at the first start. */
void router_add(const char *method, const char *pattern, route_fn fn,
		unsigned flags, const char *scope);

/* Find the route for rq->method and rq->path, filling rq's path params.
 * NULL when none: *status is 404, or 405 with the allowed methods in
 * `allow` (comma-separated). */
const struct route *router_match(struct request *rq, int *status, char *allow, size_t allow_len);

/* Drop every route (tests and shutdown). */
void router_reset(void);

#endif
