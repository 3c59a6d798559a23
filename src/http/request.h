/*
 * request.h - one HTTP request as handlers see it, and the response they
 * fill in.
 *
 * The server (http/server.c) builds a struct request from libmicrohttpd's
 * callbacks, with the whole body read (up to the configured limit) and
 * parsed, the viewer resolved (http/auth.c) and the route's path
 * parameters captured (http/router.c). A handler reads it, calls the model
 * and fills the struct response; the server then sends it. Handlers never
 * touch libmicrohttpd.
 *
 * Ownership: the server owns both structs and frees everything in them
 * after the response is sent; handlers only borrow.
 */
#ifndef PARLEY_HTTP_REQUEST_H
#define PARLEY_HTTP_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "http/params.h"
#include "lib/buf.h"
#include "model/viewer.h"

struct MHD_Connection;
struct config;
struct stream;
struct ws_pending;

#define ROUTE_MAX_PARAMS 6
#define RESPONSE_MAX_HEADERS 24

struct upload {
	char *field;
	char *filename;
	char *content_type;
	struct buf data;
};

struct request {
	struct MHD_Connection *conn;
	const struct config *cfg;
	char method[16];
	char *path;                 /* without the query string */
	const char *content_type;   /* header value, or NULL */
	char ip[64];
	int is_api;                 /* the route answers JSON (errors too) */

	struct params query;
	struct params form;         /* the body's fields, however encoded */
	json_t *json;               /* the body when it was JSON, else NULL */
	struct upload *uploads;
	size_t nuploads;

	/* path parameters of the matched route, e.g. ":id" */
	const char *param_names[ROUTE_MAX_PARAMS];
	char *param_values[ROUTE_MAX_PARAMS];
	int nparams;

	struct viewer viewer;
	char session_cookie_csrf[64]; /* CSRF token for anonymous forms (see http/auth.c) */

	/* server bookkeeping */
	const struct route *route;  /* the matched route, or NULL */
	struct response *deferred;  /* the answer of a slow-lane handler */
	volatile int deferred_ready;
	struct buf body;
	size_t body_limit;          /* max_body, or max_upload for ROUTE_UPLOAD */
	int body_too_large;
	int bad_query;
	int64_t start_us;
	int status_sent;
	size_t bytes_sent;
	struct ws_pending *ws;      /* a WebSocket upgrade (http/websocket.h), released with the request */
};

struct header {
	char *name;
	char *value;
};

struct response {
	int status;
	const char *content_type;       /* a static string */
	struct buf body;
	const unsigned char *static_body; /* when set, sent instead of body (not copied) */
	size_t static_len;
	struct header headers[RESPONSE_MAX_HEADERS];
	int nheaders;
	struct stream *stream;          /* set by stream_open() (http/stream.h): a held event stream */
	struct ws_pending *upgrade;     /* set by ws_accept() (http/websocket.h): answer 101 and hand
	                                 * the socket over (owned by the request, not the response) */
};

/* Header, path parameter and cookie access (NULL when absent). */
const char *req_header(const struct request *rq, const char *name);
const char *req_param(const struct request *rq, const char *name);
const char *req_cookie(const struct request *rq, const char *name);
/* A body field, falling back to the query string (as Mastodon does). */
const char *req_arg(const struct request *rq, const char *name);
/* A boolean body field (or query parameter), spelled as params_get_bool()
 * accepts: 1 or 0; -1 when absent; -2 when present but not a boolean. */
int req_arg_bool(const struct request *rq, const char *name);

#endif
