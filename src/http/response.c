/*
 * response.c - filling a struct response (see response.h).
 */
#include "http/response.h"
#include "lib/config.h"
#include "lib/html.h"
#include "lib/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*error_page)(struct request *, struct response *, int, const char *);

void http_set_error_page(void (*fn)(struct request *, struct response *, int, const char *))
{
	error_page = fn;
}

void resp_header(struct response *rs, const char *name, const char *value)
{
	struct header *h;

	if (rs->nheaders >= RESPONSE_MAX_HEADERS)
		return;
	h = &rs->headers[rs->nheaders];
	h->name = strdup(name);
	h->value = strdup(value);
	if (!h->name || !h->value) {
		free(h->name);
		free(h->value);
		return;
	}
	rs->nheaders++;
}

static int dump_to_buf(const char *chunk, size_t len, void *ctx)
{
	return buf_append(ctx, chunk, len) == 0 ? 0 : -1;
}

void resp_json(struct response *rs, int status, json_t *v)
{
	rs->status = status;
	rs->content_type = "application/json; charset=utf-8";
	buf_reset(&rs->body);
	if (!v) {
		/* a json_pack() that failed: never answer success with nothing */
		log_error("http: a JSON response could not be built (status %d)", status);
		rs->status = 500;
		buf_puts(&rs->body, "{\"error\":\"Internal error\"}");
		return;
	}
	/* straight into the body, without jansson's own string and a copy */
	if (json_dump_callback(v, dump_to_buf, &rs->body, JSON_COMPACT | JSON_ENCODE_ANY) < 0) {
		log_error("http: a JSON response could not be written (status %d)", status);
		rs->status = 500;
		buf_reset(&rs->body);
		buf_puts(&rs->body, "{\"error\":\"Internal error\"}");
	}
	json_decref(v);
}

void resp_retry_after(struct response *rs, int seconds)
{
	char v[16];

	snprintf(v, sizeof v, "%d", seconds > 0 ? seconds : 1);
	resp_header(rs, "Retry-After", v);
}

void resp_redirect(struct response *rs, const char *location)
{
	rs->status = 303;
	rs->content_type = "text/plain; charset=utf-8";
	buf_reset(&rs->body);
	resp_header(rs, "Location", location);
}

void resp_json_error(struct response *rs, int status, const char *msg)
{
	resp_json(rs, status, json_pack("{s:s}", "error", msg));
}

void http_error(struct request *rq, struct response *rs, int status, const char *msg)
{
	if (rq->is_api) {
		resp_json_error(rs, status, msg);
		return;
	}
	if (error_page) {
		error_page(rq, rs, status, msg);
		return;
	}
	rs->status = status;
	rs->content_type = "text/html; charset=utf-8";
	buf_reset(&rs->body);
	buf_puts(&rs->body, "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Error</title><h1>");
	html_escape(&rs->body, msg, strlen(msg));
	buf_puts(&rs->body, "</h1></html>\n");
}

int http_status_for(enum mresult r)
{
	switch (r) {
	case M_OK:
		return 200;
	case M_INVALID:
	case M_CONFLICT:
		return 422;
	case M_NOTFOUND:
		return 404;
	case M_UNAUTHORIZED:
		return 401;
	case M_FORBIDDEN:
		return 403;
	case M_LIMITED:
		return 429;
	case M_ERROR:
		break;
	}
	return 500;
}

void resp_cookie(struct request *rq, struct response *rs, const char *name,
		 const char *value, long max_age)
{
	char line[512];

	snprintf(line, sizeof line, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%ld",
		 name, max_age < 0 ? "" : value, rq->cfg && rq->cfg->https ? "; Secure" : "",
		 max_age < 0 ? 0L : max_age);
	resp_header(rs, "Set-Cookie", line);
}
