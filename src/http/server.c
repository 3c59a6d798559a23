/*
 * server.c - libmicrohttpd glue: from a connection to a handler and back.
 *
 * Threads. libmicrohttpd runs a pool of worker threads (config "threads"),
 * each with its own epoll set; a connection lives on one worker for its
 * life, and that worker calls our handler. Handlers block (SQLite, Argon2),
 * which is why the pool has several threads. Held event streams
 * (http/stream.c) are suspended while idle, so they take no worker.
 *
 * One request, step by step (on_request is called several times):
 *   1. headers read: allocate a struct request, note the declared length;
 *   2. body pieces: append to rq->body up to max_body (max_upload for
 *      ROUTE_UPLOAD routes, matched in step 1); past it, drop the rest
 *      and remember to answer 413 (the body is read to the end so the
 *      client sees the answer rather than a reset);
 *   3. body complete: parse query and body into params, match the route,
 *      resolve the viewer (http/auth.c), call the handler, queue the
 *      response with the security headers;
 *   4. on_completed: write the access log line and free everything.
 *
 * Shutdown (server_stop): stop accepting, end every event stream, let
 * requests already inside a handler finish (up to a grace period), then
 * close every connection. Responses sent while stopping carry
 * "Connection: close".
 */
#define _GNU_SOURCE
#include "http/server.h"
#include "http/auth.h"
#include "http/ratelimit.h"
#include "http/response.h"
#include "http/router.h"
#include "http/slowlane.h"
#include "http/stream.h"
#include "http/websocket.h"
#include "lib/config.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"
#include "model/session.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

static struct MHD_Daemon *daemon_;
static const struct config *cfg_;
static atomic_int in_flight;
static atomic_int stopping;

/* ---- request access ------------------------------------------------- */

const char *req_header(const struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(const struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

const char *req_arg(const struct request *rq, const char *name)
{
	const char *v = params_get(&rq->form, name);

	return v ? v : params_get(&rq->query, name);
}

int req_arg_bool(const struct request *rq, const char *name)
{
	int b = params_get_bool(&rq->form, name, -3);

	if (b == -3)
		b = params_get_bool(&rq->query, name, -3);
	return b == -3 ? -1 : b < 0 ? -2 : b;
}

/* ---- request lifetime ----------------------------------------------- */

static void request_free(struct request *rq)
{
	size_t i;
	int j;

	free(rq->path);
	params_release(&rq->query);
	params_release(&rq->form);
	if (rq->json)
		json_decref(rq->json);
	for (i = 0; i < rq->nuploads; i++) {
		free(rq->uploads[i].field);
		free(rq->uploads[i].filename);
		free(rq->uploads[i].content_type);
		buf_release(&rq->uploads[i].data);
	}
	free(rq->uploads);
	for (j = 0; j < rq->nparams; j++)
		free(rq->param_values[j]);
	buf_release(&rq->body);
	ws_pending_release(rq->ws);
	free(rq);
}

static void response_free(struct response *rs)
{
	int i;

	for (i = 0; i < rs->nheaders; i++) {
		free(rs->headers[i].name);
		free(rs->headers[i].value);
	}
	buf_release(&rs->body);
	/* a stream whose response was never made */
	stream_discard(rs->stream);
	rs->stream = NULL;
}

static void peer_ip(struct MHD_Connection *conn, char *out, size_t n);

/* Is addr (text) one of the space-separated addresses in list? */
static int in_list(const char *list, const char *addr, size_t alen)
{
	const char *p = list;

	while (*p) {
		size_t len;

		p += strspn(p, " ,");
		len = strcspn(p, " ,");
		if (len && len == alen && !strncasecmp(p, addr, len))
			return 1;
		p += len;
	}
	return 0;
}

/*
 * The client's address: the peer, or, when the peer is a trusted reverse
 * proxy, the right-most address in X-Forwarded-For that is not itself a
 * trusted proxy (the left part of that header is whatever the client
 * wrote, so it is never believed).
 */
static void client_ip(struct MHD_Connection *conn, const char *trusted, char *out, size_t n)
{
	const char *xff, *end;
	unsigned char tmp[16];

	peer_ip(conn, out, n);
	if (!*trusted || !in_list(trusted, out, strlen(out)))
		return;
	xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	end = xff + strlen(xff);
	while (end > xff) {
		const char *start = end;
		char addr[64];
		size_t len;

		while (start > xff && start[-1] != ',')
			start--;
		while (start < end && *start == ' ')
			start++;
		len = (size_t)(end - start);
		while (len && start[len - 1] == ' ')
			len--;
		if (len == 0 || len >= sizeof addr)
			return; /* malformed: keep the proxy's address */
		memcpy(addr, start, len);
		addr[len] = '\0';
		if (inet_pton(AF_INET, addr, tmp) != 1 && inet_pton(AF_INET6, addr, tmp) != 1)
			return;
		if (!in_list(trusted, addr, len)) {
			snprintf(out, n, "%s", addr);
			return;
		}
		end = start;
		while (end > xff && (end[-1] == ',' || end[-1] == ' '))
			end--;
	}
}

static void peer_ip(struct MHD_Connection *conn, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, n, "unknown");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
}

/* ---- body parsing --------------------------------------------------- */

static enum MHD_Result on_post_field(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *filename, const char *content_type,
				     const char *transfer_encoding, const char *data,
				     uint64_t off, size_t size)
{
	struct request *rq = cls;

	(void)kind;
	(void)transfer_encoding;
	if (!key)
		return MHD_YES;
	if (filename) {
		struct upload *u;

		if (off == 0) {
			struct upload *nu;

			if (rq->nuploads >= 16)
				return MHD_NO;
			nu = realloc(rq->uploads, (rq->nuploads + 1) * sizeof *nu);
			if (!nu)
				return MHD_NO;
			rq->uploads = nu;
			u = &rq->uploads[rq->nuploads++];
			memset(u, 0, sizeof *u);
			buf_init(&u->data, rq->body_limit);
			u->field = strdup(key);
			u->filename = strdup(filename);
			u->content_type = strdup(content_type ? content_type : "application/octet-stream");
			if (!u->field || !u->filename || !u->content_type)
				return MHD_NO;
		}
		if (!rq->nuploads)
			return MHD_NO;
		u = &rq->uploads[rq->nuploads - 1];
		return size && buf_append(&u->data, data, size) < 0 ? MHD_NO : MHD_YES;
	}
	if (off == 0)
		return params_add_raw(&rq->form, key, strlen(key), data ? data : "", size) < 0 ? MHD_NO : MHD_YES;
	return params_append_last(&rq->form, data, size) < 0 ? MHD_NO : MHD_YES;
}

static int ctype_is(const char *ct, const char *want)
{
	size_t n = strlen(want);

	return ct && !strncasecmp(ct, want, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Parse rq->body by content type. 0, or an HTTP status with msg set. */
static int parse_body(struct request *rq, const char **msg)
{
	const char *ct = rq->content_type;

	if (!rq->body.len)
		return 0;
	if (ctype_is(ct, "application/json")) {
		json_error_t e;

		rq->json = json_loadb(rq->body.data, rq->body.len, JSON_REJECT_DUPLICATES, &e);
		if (!rq->json) {
			*msg = "Malformed JSON in the request body";
			return 400;
		}
		if (!json_is_object(rq->json)) {
			*msg = "The JSON body must be an object";
			return 422;
		}
		if (params_from_json(&rq->form, rq->json) < 0) {
			*msg = "The JSON body is nested too deeply or has too many fields";
			return 422;
		}
		return 0;
	}
	if (ctype_is(ct, "application/x-www-form-urlencoded")) {
		if (params_parse_urlencoded(&rq->form, rq->body.data, rq->body.len) < 0) {
			*msg = "Malformed form data in the request body (bad %-escape, text that is not UTF-8, or too many fields)";
			return 400;
		}
		return 0;
	}
	if (ctype_is(ct, "multipart/form-data")) {
		struct MHD_PostProcessor *pp = MHD_create_post_processor(rq->conn, 64 * 1024, on_post_field, rq);
		int ok;

		if (!pp) {
			*msg = "Malformed multipart/form-data (no boundary?)";
			return 400;
		}
		ok = MHD_post_process(pp, rq->body.data, rq->body.len) == MHD_YES;
		ok = MHD_destroy_post_processor(pp) == MHD_YES && ok;
		if (!ok) {
			*msg = "Malformed multipart/form-data in the request body";
			return 400;
		}
		if (!params_valid(&rq->form)) {
			*msg = "The form fields must be UTF-8 text";
			return 400;
		}
		return 0;
	}
	*msg = "Unsupported content type: send JSON, form-urlencoded or multipart/form-data";
	return 415;
}

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct request *rq = cls;

	(void)kind;
	if (!key)
		return MHD_YES;
	if (params_add(&rq->query, key, strlen(key), value ? value : "", value ? strlen(value) : 0) < 0) {
		rq->bad_query = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

/* ---- dispatch ------------------------------------------------------- */

static int path_is_api(const char *p)
{
	return !strncmp(p, "/api/", 5) || !strcmp(p, "/oauth/token") || !strcmp(p, "/oauth/revoke") ||
	       !strncmp(p, "/.well-known/", 13) || !strncmp(p, "/nodeinfo/", 10) || !strcmp(p, "/healthz");
}

enum { DISPATCH_DONE, DISPATCH_SLOW };

static void response_free(struct response *rs);

/*
 * The API's request budget (http/ratelimit.h): count this request against
 * its token, or its address when it has no valid token, and say where it
 * stands in X-RateLimit-* headers. -1 when over the budget: rs then holds
 * the 429 (whatever it held before is dropped).
 */
static int rate_limit(struct request *rq, struct response *rs)
{
	struct ratelimit_state st;
	char key[RATELIMIT_KEY_MAX], v[32];

	if (!rq->is_api || !ratelimit_enabled() || !strcmp(rq->path, "/healthz"))
		return 0;
	if (rq->viewer.via_token)
		snprintf(key, sizeof key, "t:%lld", (long long)rq->viewer.token_id);
	else
		snprintf(key, sizeof key, "ip:%s", rq->ip);
	if (ratelimit_hit(key, time_now_ms(), &st)) {
		response_free(rs);
		memset(rs, 0, sizeof *rs);
		buf_init(&rs->body, 0);
		resp_retry_after(rs, (int)((st.reset_ms - time_now_ms() + 999) / 1000));
		resp_json_error(rs, 429, "Too many requests");
	}
	snprintf(v, sizeof v, "%ld", st.limit);
	resp_header(rs, "X-RateLimit-Limit", v);
	snprintf(v, sizeof v, "%ld", st.remaining);
	resp_header(rs, "X-RateLimit-Remaining", v);
	resp_header(rs, "X-RateLimit-Reset", time_format_iso(v, sizeof v, st.reset_ms));
	return st.limited ? -1 : 0;
}

/* Route and check the request and, unless the route is slow, run its
 * handler. DISPATCH_SLOW: everything but the handler is done, and
 * rq->route says which handler to run on the slow lane. */
static int dispatch(struct request *rq, struct response *rs)
{
	const struct route *r;
	const char *msg = NULL;
	char allow[128];
	int status;

	rq->is_api = path_is_api(rq->path);
	if (rq->body_too_large) {
		char m[128];

		snprintf(m, sizeof m, "The request body is larger than the limit of %zu bytes",
			 rq->body_limit);
		http_error(rq, rs, 413, m);
		return DISPATCH_DONE;
	}
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, add_query, rq);
	if (rq->bad_query || !utf8_valid(rq->path, strlen(rq->path))) {
		http_error(rq, rs, 400, "The URL must be UTF-8 text, with at most 1000 query parameters");
		return DISPATCH_DONE;
	}
	if (!strcmp(rq->method, "OPTIONS") && rq->is_api) {
		/* CORS preflight: the API is meant for apps on other origins */
		rs->status = 204;
		resp_header(rs, "Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
		resp_header(rs, "Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key");
		resp_header(rs, "Access-Control-Max-Age", "86400");
		return DISPATCH_DONE;
	}
	r = router_match(rq, &status, allow, sizeof allow);
	if (!r) {
		if (!rq->is_api)
			auth_resolve_session(rq);
		if (status == 405)
			resp_header(rs, "Allow", allow);
		http_error(rq, rs, status, status == 405 ? "Method not allowed" : "Not found");
		return DISPATCH_DONE;
	}
	rq->route = r;
	rq->is_api = (r->flags & ROUTE_API) != 0;
	status = parse_body(rq, &msg);
	if (status) {
		http_error(rq, rs, status, msg);
		return DISPATCH_DONE;
	}
	if (auth_apply(rq, r, rs) < 0) {
		rate_limit(rq, rs); /* a bad token costs the address's budget */
		return DISPATCH_DONE;
	}
	if (rate_limit(rq, rs) < 0)
		return DISPATCH_DONE;
	if (r->flags & ROUTE_SLOW)
		return DISPATCH_SLOW;
	r->fn(rq, rs);
	return DISPATCH_DONE;
}

/* ---- the slow lane -------------------------------------------------- */

/* On a slow-lane thread: run the handler (or refuse, when stopping), then
 * let libmicrohttpd pick the connection up again; on_request() sends the
 * answer. The connection is suspended, so nothing else touches rq. */
static void run_slow(void *arg, int cancelled)
{
	struct request *rq = arg;

	if (cancelled)
		http_error(rq, rq->deferred, 503, "The server is shutting down; try again in a moment");
	else
		rq->route->fn(rq, rq->deferred);
	rq->deferred_ready = 1;
	MHD_resume_connection(rq->conn);
}

/* Hand rq to the slow lane with the response built so far. The connection
 * is suspended first, so the job cannot resume it before it is suspended;
 * when the lane is full, the 503 goes out through the same resumed path. */
static void defer_to_slow_lane(struct request *rq, struct response *rs)
{
	rq->deferred = malloc(sizeof *rq->deferred);
	if (!rq->deferred) {
		http_error(rq, rs, 503, "The server is busy; try again in a moment");
		return;
	}
	*rq->deferred = *rs; /* takes over the body and headers */
	memset(rs, 0, sizeof *rs);
	MHD_suspend_connection(rq->conn);
	if (slowlane_submit(run_slow, rq) < 0) {
		resp_retry_after(rq->deferred, 1);
		http_error(rq, rq->deferred, 503, "The server is busy; try again in a moment");
		rq->deferred_ready = 1;
		MHD_resume_connection(rq->conn);
	}
}

/* The session was just extended on the server: extend the cookie too,
 * unless the handler set or cleared it itself (sign-in, sign-out). */
static void renew_session_cookie(struct request *rq, struct response *rs)
{
	const char *cookie = req_cookie(rq, SESSION_COOKIE);
	int i;

	if (rq->is_api || !rq->viewer.session_refreshed || !cookie)
		return;
	for (i = 0; i < rs->nheaders; i++)
		if (!strcasecmp(rs->headers[i].name, "Set-Cookie") &&
		    !strncmp(rs->headers[i].value, SESSION_COOKIE "=", sizeof SESSION_COOKIE))
			return;
	resp_cookie(rq, rs, SESSION_COOKIE, cookie, (long)SESSION_TTL_DAYS * 24 * 3600);
}

static void add_standard_headers(struct request *rq, struct response *rs, struct MHD_Response *mr)
{
	int i, has_cache = 0;

	for (i = 0; i < rs->nheaders; i++) {
		MHD_add_response_header(mr, rs->headers[i].name, rs->headers[i].value);
		if (!strcasecmp(rs->headers[i].name, "Cache-Control"))
			has_cache = 1;
	}
	if (rs->content_type)
		MHD_add_response_header(mr, "Content-Type", rs->content_type);
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "Referrer-Policy", "same-origin");
	if (!has_cache)
		MHD_add_response_header(mr, "Cache-Control", "no-store");
	if (rq->is_api) {
		MHD_add_response_header(mr, "Access-Control-Allow-Origin", "*");
		MHD_add_response_header(mr, "Access-Control-Expose-Headers", "Link, X-RateLimit-Limit, "
					"X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After");
	} else {
		MHD_add_response_header(mr, "X-Frame-Options", "DENY");
		MHD_add_response_header(mr, "Content-Security-Policy",
					"default-src 'self'; script-src 'self'; style-src 'self'; "
					"img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
					"frame-ancestors 'none'");
	}
	if (atomic_load(&stopping))
		MHD_add_response_header(mr, "Connection", "close");
}

static enum MHD_Result send_response(struct request *rq, struct response *rs)
{
	struct MHD_Response *mr;
	enum MHD_Result ret;

	if (!rs->status)
		rs->status = 200;
	if (rs->upgrade) {
		/* a WebSocket: after the 101, the socket goes to http/websocket.c */
		mr = ws_response(rs->upgrade);
		rs->upgrade = NULL;
		rq->bytes_sent = 0;
	} else if (rs->stream) {
		/* a held event stream: the response owns it from here */
		mr = stream_response(rs->stream, rq);
		rs->stream = NULL;
		rq->bytes_sent = 0; /* counted as the stream sends */
	} else if (rs->static_body) {
		mr = MHD_create_response_from_buffer(rs->static_len, (void *)rs->static_body,
						     MHD_RESPMEM_PERSISTENT);
		rq->bytes_sent = rs->static_len;
	} else {
		size_t len = 0;
		char *data;

		if (rs->body.failed) {
			log_error("http: response for %s %s exceeded its buffer", rq->method, rq->path);
			buf_release(&rs->body);
			rs->status = 500;
			rs->content_type = "application/json; charset=utf-8";
			buf_puts(&rs->body, "{\"error\":\"Internal error\"}");
		}
		data = buf_detach(&rs->body, &len);
		if (!data)
			return MHD_NO;
		mr = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
		if (!mr)
			free(data);
		rq->bytes_sent = len;
	}
	if (!mr)
		return MHD_NO;
	renew_session_cookie(rq, rs);
	add_standard_headers(rq, rs, mr);
	ret = MHD_queue_response(rq->conn, (unsigned)rs->status, mr);
	MHD_destroy_response(mr);
	rq->status_sent = rs->status;
	return ret;
}

/* The body limit of a request: max_upload when the route it will reach
 * takes uploads (ROUTE_UPLOAD) and it carries a valid user token, else
 * max_body. Decided as soon as the headers are in, so that a 413 can
 * still come before the body. */
static size_t body_limit(struct request *rq)
{
	const struct route *r;
	char allow[8];
	int status;

	if (!rq->path)
		return cfg_->max_body;
	r = router_match(rq, &status, allow, sizeof allow);
	if (!r || !(r->flags & ROUTE_UPLOAD))
		return cfg_->max_body;
	/* only a signed-in user's token earns the larger limit */
	return auth_upload_allowed(rq, MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
								   "access_token"))
	       ? cfg_->max_upload : cfg_->max_body;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	struct request *rq = *req_cls;
	struct response rs;
	enum MHD_Result ret;

	(void)cls;
	(void)version;
	if (!rq) {
		const char *cl;

		rq = calloc(1, sizeof *rq);
		if (!rq)
			return MHD_NO;
		atomic_fetch_add(&in_flight, 1);
		*req_cls = rq;
		rq->conn = conn;
		rq->cfg = cfg_;
		rq->start_us = time_mono_us();
		snprintf(rq->method, sizeof rq->method, "%s", method);
		rq->path = strdup(url);
		params_init(&rq->query);
		params_init(&rq->form);
		rq->body_limit = body_limit(rq);
		buf_init(&rq->body, rq->body_limit);
		client_ip(conn, cfg_->trusted_proxies, rq->ip, sizeof rq->ip);
		rq->content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > rq->body_limit) {
			const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");

			rq->body_too_large = 1;
			/* A client that waits for "100 Continue", or announces a body far
			 * past the limit, gets the 413 now: no point reading gigabytes to
			 * refuse them. Others are answered after the body, so a client
			 * that sends it all before reading hears the 413, not a reset. */
			if (rq->path && ((expect && !strcasecmp(expect, "100-continue")) ||
					 strtoull(cl, NULL, 10) / 16 > rq->body_limit)) {
				memset(&rs, 0, sizeof rs);
				buf_init(&rs.body, 0);
				dispatch(rq, &rs);
				ret = send_response(rq, &rs);
				response_free(&rs);
				return ret;
			}
		}
		return rq->path ? MHD_YES : MHD_NO;
	}
	if (rq->deferred_ready) {
		/* resumed: the slow lane has the answer */
		ret = send_response(rq, rq->deferred);
		response_free(rq->deferred);
		free(rq->deferred);
		rq->deferred = NULL;
		rq->deferred_ready = 0;
		return ret;
	}
	if (rq->status_sent) {
		/* answered early (413 before the body): ignore the rest */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!rq->body_too_large && buf_append(&rq->body, upload_data, *upload_data_size) < 0) {
			rq->body_too_large = 1;
			buf_release(&rq->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}

	memset(&rs, 0, sizeof rs);
	buf_init(&rs.body, 0);
	if (dispatch(rq, &rs) == DISPATCH_SLOW) {
		defer_to_slow_lane(rq, &rs);
		if (rq->deferred)
			return MHD_YES;
	}
	ret = send_response(rq, &rs);
	response_free(&rs);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct request *rq = *req_cls;

	(void)cls;
	(void)conn;
	if (!rq)
		return;
	if ((rq->route && (rq->route->flags & ROUTE_SECRET_PATH)) ||
	    (rq->path && !strncmp(rq->path, "/invite/", 8))) {
		/* keep secrets in the path (invite codes) out of the access log,
		 * also when no route matched (a wrong method, a longer path) */
		char *p = strdup(rq->route ? rq->route->pattern : "/invite/...");

		if (p) {
			free(rq->path);
			rq->path = p;
		}
	}
	if (rq->deferred) {
		/* the client went away while its request was on the slow lane */
		response_free(rq->deferred);
		free(rq->deferred);
	}
	log_info("%s %s %d %zu %lldus%s", rq->method, rq->path ? rq->path : "-",
		 rq->status_sent, rq->bytes_sent, (long long)(time_mono_us() - rq->start_us),
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	request_free(rq);
	*req_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	/* a client that went away is routine (streams end that way) */
	if (strstr(msg, "no longer available for sending") || strstr(msg, "closed by remote peer") ||
	    strstr(msg, "socket is not connected"))
		log_debug("httpd: %s", msg);
	else
		log_warn("httpd: %s", msg);
}

/* ---- start and stop ------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	struct addrinfo hints, *res = NULL;
	size_t hl;
	int rc;

	if (!colon) {
		snprintf(err, errlen, "listen address must be ADDR:PORT, got '%s'", listen);
		return -1;
	}
	hl = (size_t)(colon - listen);
	if (hl >= sizeof host)
		hl = sizeof host - 1;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	if (host[0] == '[' && hl >= 2 && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(err, errlen, "cannot use listen address '%s': %s", listen, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

/* One slow-lane thread per core: its jobs are CPU-bound (Argon2). */
static int slow_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/*
 * Every held stream is an open socket: raise the soft limit on open files
 * to the hard limit, and leave the connection limit room for streams
 * (max_connections for ordinary requests plus max_streams), within what the
 * process may open, keeping some descriptors for the database, the
 * workers' epoll sets and the log.
 */
static unsigned connection_limit(const struct config *cfg)
{
	struct rlimit rl;
	unsigned long want = (unsigned long)cfg->max_connections + (unsigned long)cfg->max_streams;
	unsigned long reserve = 64 + 8 * (unsigned long)cfg->threads, room;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return (unsigned)want;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t was = rl.rlim_cur;

		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			rl.rlim_cur = was;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > want + reserve)
		return (unsigned)want;
	room = rl.rlim_cur > reserve + 16 ? (unsigned long)rl.rlim_cur - reserve : 16;
	log_warn("server: the open-file limit (%lu) allows %lu connections, not the %d + %d "
		 "of max_connections + max_streams; raise it (ulimit -n, LimitNOFILE=)",
		 (unsigned long)rl.rlim_cur, room, cfg->max_connections, cfg->max_streams);
	return (unsigned)room;
}

int server_start(const struct config *cfg, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_ALLOW_UPGRADE | MHD_USE_ERROR_LOG;

	if (parse_listen(cfg->listen, &ss, err, errlen) < 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	cfg_ = cfg;
	ratelimit_configure(cfg->api_rate_limit, cfg->api_rate_window);
	if (streams_start(cfg->max_streams, cfg->stream_heartbeat) < 0) {
		snprintf(err, errlen, "cannot start the stream heartbeat thread");
		return -1;
	}
	if (websockets_start(cfg->max_streams, cfg->stream_heartbeat) < 0) {
		streams_shutdown();
		snprintf(err, errlen, "cannot start the WebSocket thread");
		return -1;
	}
	errno = 0;
	daemon_ = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
				   MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
				   MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				   MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
				   MHD_OPTION_CONNECTION_LIMIT, connection_limit(cfg),
				   /* idle streams are suspended, and suspended connections
				    * do not time out: this cuts only silent clients */
				   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout,
				   /* request line + headers must fit in this per connection
				    * (about 30 KiB of headers; larger is 431). Every held
				    * stream keeps its connection's pool, so this is most of
				    * what an idle stream costs: 64 KiB made 10,000 streams
				    * take 480 MiB, 32 KiB 330 MiB (docs/PERFORMANCE.md) */
				   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
				   MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				   MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
				   MHD_OPTION_END);
	if (daemon_ && slowlane_start(slow_threads(), 256) < 0) {
		MHD_stop_daemon(daemon_);
		daemon_ = NULL;
		streams_shutdown();
		websockets_shutdown();
		snprintf(err, errlen, "cannot start the slow-lane threads");
		return -1;
	}
	if (!daemon_) {
		streams_shutdown();
		websockets_shutdown();
		snprintf(err, errlen, "cannot listen on %s%s%s", cfg->listen,
			 errno ? ": " : " (address in use or not available?)", errno ? strerror(errno) : "");
		return -1;
	}
	return 0;
}

void server_stop(int grace_ms)
{
	MHD_socket s;
	int64_t deadline;

	if (!daemon_)
		return;
	atomic_store(&stopping, 1);
	s = MHD_quiesce_daemon(daemon_);
	if (s != MHD_INVALID_SOCKET)
		close(s);
	/* streams end their bodies and count as finished requests; none is
	 * left suspended, which libmicrohttpd requires before it stops */
	streams_shutdown();
	/* WebSockets get a close frame and a moment to answer it; each
	 * closed one finishes its request, as streams do */
	websockets_shutdown();
	deadline = time_mono_us() + (int64_t)grace_ms * 1000;
	while (atomic_load(&in_flight) > 0 && time_mono_us() < deadline)
		usleep(10 * 1000);
	if (atomic_load(&in_flight) > 0)
		log_warn("server: %d requests still running at the end of the grace period",
			 atomic_load(&in_flight));
	/* every suspended connection must be resumed before the daemon stops:
	 * the slow lane answers what is still queued with 503 */
	slowlane_stop();
	MHD_stop_daemon(daemon_);
	daemon_ = NULL;
	ratelimit_release();
}
