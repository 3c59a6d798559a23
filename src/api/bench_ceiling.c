/*
 * bench_ceiling.c - the benchmark build's ceiling route (issue 8).
 *
 * GET /bench/ceiling?bytes=N answers N bytes of valid JSON (["xx...x"])
 * taken from memory, with the headers of any JSON answer (an API route:
 * the same CORS, cache and content-type headers) and through the same
 * send path (the body is copied into the response buffer, as resp_json()
 * does). No token lookup, no database. What wrk measures on it is what the
 * HTTP layer itself can do on the machine for an answer of that size: the
 * ceiling each read of bench/run.sh is reported against.
 *
 * Compiled to nothing unless PARLEY_BENCH is defined (make BENCH=1, objects
 * in build-bench/): the normal binary has no such route
 * (tests/api/test_bench_ceiling.py checks the 404).
 */
#include "api/api.h"

#ifdef PARLEY_BENCH

#include "http/response.h"
#include "http/router.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CEILING_MAX (4u << 20)   /* 4 MiB: far above any timeline page */

static char *ceiling_body;       /* ["xxx...x"], CEILING_MAX bytes, built once */

/* GET /bench/ceiling?bytes=N (4 <= N <= 4 MiB, default 1024) */
static void get_ceiling(struct request *rq, struct response *rs)
{
	const char *s = req_arg(rq, "bytes");
	long n = 1024;
	char *end;

	if (s) {
		errno = 0;
		n = strtol(s, &end, 10);
		if (errno || *end || n < 4 || n > (long)CEILING_MAX) {
			http_error(rq, rs, 422, "bytes must be between 4 and 4194304");
			return;
		}
	}
	rs->status = 200;
	rs->content_type = "application/json; charset=utf-8";
	buf_reset(&rs->body);
	/* the prefix of the big array, closed at n bytes: ["xx..x"] */
	if (buf_append(&rs->body, ceiling_body, (size_t)n - 2) < 0 || buf_append(&rs->body, "\"]", 2) < 0)
		http_error(rq, rs, 500, "Internal error");
}

void bench_ceiling_routes(void)
{
	if (!ceiling_body) {
		ceiling_body = malloc(CEILING_MAX);
		if (!ceiling_body)
			abort();   /* at start-up, as router_add() does on a full table */
		memset(ceiling_body, 'x', CEILING_MAX);
		ceiling_body[0] = '[';
		ceiling_body[1] = '"';
	}
	router_add("GET", "/bench/ceiling", get_ceiling, ROUTE_API, NULL);
}

#endif
