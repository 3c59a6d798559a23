/*
 * response.h - helpers that fill a struct response.
 *
 * Errors: http_error() answers in the route's language: JSON
 * {"error": "..."} for API routes, a readable HTML page for browser routes.
 * http_status_for() maps model results to HTTP statuses.
 */
#ifndef PARLEY_HTTP_RESPONSE_H
#define PARLEY_HTTP_RESPONSE_H

#include <jansson.h>

#include "http/request.h"
#include "model/result.h"

/* Add a header (copied). Silently drops past RESPONSE_MAX_HEADERS. */
void resp_header(struct response *rs, const char *name, const char *value);
/* Send a JSON value with status; steals the reference to v. */
void resp_json(struct response *rs, int status, json_t *v);
/* Retry-After: seconds (429 and 503 answers). */
void resp_retry_after(struct response *rs, int seconds);
/* 303 See Other to a local path or absolute URL. */
void resp_redirect(struct response *rs, const char *location);
/* {"error": msg} or an HTML error page, depending on the route. */
void http_error(struct request *rq, struct response *rs, int status, const char *msg);
/* The JSON form, always. */
void resp_json_error(struct response *rs, int status, const char *msg);
int http_status_for(enum mresult r);
/* Set-Cookie with HttpOnly, SameSite=Lax, Path=/ and Secure on https.
 * max_age < 0 deletes the cookie. */
void resp_cookie(struct request *rq, struct response *rs, const char *name,
		 const char *value, long max_age);



/* The web layer installs its layout-based error page here; until then a
 * bare escaped page is used. */
void http_set_error_page(void (*fn)(struct request *, struct response *, int, const char *));
#endif
