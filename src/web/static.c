/*
 * static.c - assets compiled into the binary: GET /static/:name.
 *
 * Served straight from the embedded table without copying, cached for a
 * year: the layout links them with ?v=<hash of the embedded assets>
 * (web/page.c), so a binary with different assets uses new URLs.
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/embed.h"

#include <stdio.h>
#include <string.h>

static const char *type_for(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	return "application/octet-stream";
}

static void get_static(struct request *rq, struct response *rs)
{
	const char *name = req_param(rq, "name");
	const struct embedded_file *f;
	char path[256];

	if (!name || strchr(name, '/') || snprintf(path, sizeof path, "static/%s", name) >= (int)sizeof path ||
	    !(f = embed_find(path))) {
		http_error(rq, rs, 404, "Not found");
		return;
	}
	rs->status = 200;
	rs->content_type = type_for(name);
	rs->static_body = f->data;
	rs->static_len = f->len;
	resp_header(rs, "Cache-Control", "public, max-age=31536000, immutable");
}

void web_static_routes(void)
{
	router_add("GET", "/static/:name", get_static, 0, NULL);
}
