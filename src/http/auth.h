/*
 * auth.h - who is asking: resolving the viewer of a request, and the
 * checks a route asks for (sign-in, admin, OAuth scope, CSRF).
 *
 * API routes authenticate with an OAuth bearer token (Authorization header,
 * the access_token parameter, or for a WebSocket handshake the
 * Sec-WebSocket-Protocol header) and never with a cookie, so a page on
 * another site cannot use a signed-in browser to call the API. Web routes
 * authenticate with the session cookie, and every state-changing web
 * request must carry the CSRF token: the session's own for a signed-in
 * user, or, for an anonymous form (sign-in, setup, invite), an HMAC of
 * the random double-submit cookie under the instance key (model/sitekey).
 */
#ifndef PARLEY_HTTP_AUTH_H
#define PARLEY_HTTP_AUTH_H

#include "http/request.h"
#include "http/router.h"

#define SESSION_COOKIE "parley_session"
#define CSRF_COOKIE "parley_csrf"

/* Resolve rq->viewer and apply the route's checks. Returns 0 to go on, or
 * -1 with the refusal already written into rs. */
int auth_apply(struct request *rq, const struct route *r, struct response *rs);

/* Read the session cookie into rq->viewer (nothing when absent or
 * invalid). auth_apply() does this for web routes; the server also does it
 * before showing a web error page for a path no route matched. */
void auth_resolve_session(struct request *rq);

/* 1 when the request's Authorization header, or else `query_token` (the
 * access_token= query parameter, not parsed yet when this is asked), is
 * the valid OAuth token of a signed-in user, or, without a token, when
 * its session cookie is a valid session (web upload forms). The server
 * asks before reading the body of an upload route: only such a request
 * gets the larger limit, so nobody can make it read max_upload bytes just
 * to answer 401. auth_apply() still makes every check afterwards (CSRF
 * for web forms, and API routes never accept the cookie). */
int auth_upload_allowed(const struct request *rq, const char *query_token);

/* The CSRF token a form on this page must carry. For an anonymous
 * visitor without the double-submit cookie, one is made and set on rs. */
const char *auth_csrf_token(struct request *rq, struct response *rs);

#endif
