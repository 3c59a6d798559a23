/*
 * test_router.c - unit tests for the route table (src/http/router.c).
 *
 * Requests are built by hand (zeroed, with method and path set); only
 * req_param() of the req_* accessors is used, since the others live in
 * server.c and need libmicrohttpd.
 */
#include <stdlib.h>

#include "http/request.h"
#include "http/router.h"
#include "unit.h"

static void h_a(struct request *rq, struct response *rs) { (void)rq; (void)rs; }
static void h_b(struct request *rq, struct response *rs) { (void)rq; (void)rs; }
static void h_c(struct request *rq, struct response *rs) { (void)rq; (void)rs; }
static void h_d(struct request *rq, struct response *rs) { (void)rq; (void)rs; }

static struct request rq;
static int status;
static char allow[128];

static void req_done(void)
{
	int i;

	for (i = 0; i < ROUTE_MAX_PARAMS; i++)
		free(rq.param_values[i]);
	free(rq.path);
	memset(&rq, 0, sizeof rq);
}

/* Match method + path; the request stays in `rq` until the next call. */
static const struct route *m_len(const char *method, const char *path, size_t allow_len)
{
	req_done();
	snprintf(rq.method, sizeof rq.method, "%s", method);
	rq.path = strdup(path);
	status = 0;
	memset(allow, 'Z', sizeof allow);
	allow[sizeof allow - 1] = '\0';
	return router_match(&rq, &status, allow, allow_len);
}

static const struct route *m(const char *method, const char *path)
{
	return m_len(method, path, sizeof allow);
}

static void test_literal_routes(void)
{
	const struct route *r;

	router_reset();
	router_add("GET", "/api/v1/instance", h_a, ROUTE_API, NULL);
	router_add("GET", "/api/v1/apps", h_b, ROUTE_API, "read");
	router_add("POST", "/api/v1/apps", h_c, ROUTE_API | ROUTE_AUTH, "write");

	r = m("GET", "/api/v1/instance");
	CHECK(r != NULL);
	CHECK(r && r->fn == h_a);
	CHECK(r && r->flags == ROUTE_API);
	CHECK(r && r->scope == NULL);
	CHECK(r && !strcmp(r->pattern, "/api/v1/instance"));
	CHECK(rq.nparams == 0);

	r = m("GET", "/api/v1/apps");
	CHECK(r && r->fn == h_b);
	CHECK(r && r->scope && !strcmp(r->scope, "read"));
	r = m("POST", "/api/v1/apps");
	CHECK(r && r->fn == h_c);
	CHECK(r && r->flags == (ROUTE_API | ROUTE_AUTH));
	CHECK(r && !strcmp(r->method, "POST"));

	/* prefixes and extensions do not match */
	CHECK(m("GET", "/api/v1") == NULL && status == 404);
	CHECK(m("GET", "/api/v1/instances") == NULL && status == 404);
	CHECK(m("GET", "/api/v1/instanc") == NULL && status == 404);
	CHECK(m("GET", "/api/v1/instance/x") == NULL && status == 404);
	CHECK(m("GET", "/API/v1/instance") == NULL && status == 404);
	CHECK(m("GET", "api/v1/instance") == NULL && status == 404);
	CHECK(m("GET", "") == NULL && status == 404);
	req_done();
	router_reset();
}

static void test_captures(void)
{
	const struct route *r;

	router_reset();
	router_add("GET", "/api/v1/accounts/:id", h_a, ROUTE_API, NULL);
	router_add("GET", "/api/v1/accounts/:id/statuses", h_b, ROUTE_API, NULL);
	router_add("POST", "/u/:user/posts/:post/like", h_c, 0, NULL);

	r = m("GET", "/api/v1/accounts/12345");
	CHECK(r && r->fn == h_a);
	CHECK(rq.nparams == 1);
	CHECK_STR(req_param(&rq, "id"), "12345");
	CHECK(req_param(&rq, "i") == NULL);
	CHECK(req_param(&rq, "idx") == NULL);
	CHECK(req_param(&rq, "user") == NULL);

	r = m("GET", "/api/v1/accounts/abc/statuses");
	CHECK(r && r->fn == h_b);
	CHECK_STR(req_param(&rq, "id"), "abc");

	r = m("POST", "/u/alice/posts/77/like");
	CHECK(r && r->fn == h_c);
	CHECK(rq.nparams == 2);
	CHECK_STR(req_param(&rq, "user"), "alice");
	CHECK_STR(req_param(&rq, "post"), "77");

	/* a capture takes exactly one non-empty segment */
	CHECK(m("GET", "/api/v1/accounts/") == NULL && status == 404);
	CHECK(rq.nparams == 0);
	CHECK(m("GET", "/api/v1/accounts//statuses") == NULL && status == 404);
	CHECK(m("GET", "/api/v1/accounts/1/2") == NULL && status == 404);
	CHECK(rq.nparams == 0);
	CHECK(m("POST", "/u/alice/posts//like") == NULL && status == 404);
	req_done();
	router_reset();
}

static void test_pattern_segment_boundaries(void)
{
	router_reset();
	router_add("GET", "/a/:id/b", h_a, 0, NULL);

	CHECK(m("GET", "/a/1/b") != NULL);
	CHECK_STR(req_param(&rq, "id"), "1");
	CHECK(m("GET", "/a//b") == NULL && status == 404);
	CHECK(m("GET", "/a/1/b/c") == NULL && status == 404);
	CHECK(m("GET", "/a/1/bc") == NULL && status == 404);
	CHECK(m("GET", "/a/1") == NULL && status == 404);
	CHECK(m("GET", "/a/1/") == NULL && status == 404);
	CHECK(m("GET", "/a") == NULL && status == 404);
	CHECK(m("GET", "//a/1/b") == NULL && status == 404);
	CHECK(rq.nparams == 0);
	CHECK(m("GET", "/a/1/b/") != NULL); /* trailing slash ignored */
	CHECK_STR(req_param(&rq, "id"), "1");
	req_done();
	router_reset();
}

static void test_trailing_slash_and_root(void)
{
	const struct route *r;

	router_reset();
	router_add("GET", "/", h_a, 0, NULL);
	router_add("GET", "/api/v1/instance", h_b, ROUTE_API, NULL);

	r = m("GET", "/");
	CHECK(r && r->fn == h_a);
	r = m("GET", "/api/v1/instance/");
	CHECK(r && r->fn == h_b);
	CHECK_STR(rq.path, "/api/v1/instance/"); /* the path itself is untouched */
	r = m("GET", "/api/v1/instance");
	CHECK(r && r->fn == h_b);
	CHECK(m("GET", "/x") == NULL && status == 404);
	CHECK(m("GET", "/api") == NULL && status == 404);
	req_done();

	/* without a "/" route, "/" is a 404 */
	router_reset();
	router_add("GET", "/home", h_a, 0, NULL);
	CHECK(m("GET", "/") == NULL && status == 404);
	CHECK(m("GET", "/home/") != NULL);
	req_done();
	router_reset();
}

static void test_404_vs_405(void)
{
	const struct route *r;

	router_reset();
	router_add("GET", "/things/:id", h_a, 0, NULL);
	router_add("PUT", "/things/:id", h_b, 0, NULL);
	router_add("DELETE", "/things/:id", h_c, 0, NULL);
	router_add("POST", "/things", h_d, 0, NULL);

	r = m("POST", "/things/9");
	CHECK(r == NULL);
	CHECK(status == 405);
	CHECK_STR(allow, "GET, PUT, DELETE");
	CHECK(rq.nparams == 0); /* no captures left behind on a miss */
	CHECK(rq.param_values[0] == NULL);

	r = m("GET", "/things");
	CHECK(r == NULL);
	CHECK(status == 405);
	CHECK_STR(allow, "POST");

	r = m("PATCH", "/nothing");
	CHECK(r == NULL);
	CHECK(status == 404);
	CHECK_STR(allow, "");

	r = m("DELETE", "/things/9/");
	CHECK(r && r->fn == h_c);
	CHECK_STR(req_param(&rq, "id"), "9");
	req_done();
	router_reset();
}

static void test_allow_no_duplicates(void)
{
	router_reset();
	router_add("GET", "/x/:a", h_a, 0, NULL);
	router_add("GET", "/x/:b", h_b, 0, NULL);
	router_add("POST", "/x/:c", h_c, 0, NULL);
	router_add("POST", "/x/y", h_d, 0, NULL);

	CHECK(m("PUT", "/x/y") == NULL);
	CHECK(status == 405);
	CHECK_STR(allow, "GET, POST");

	/* the first matching route wins */
	CHECK(m("GET", "/x/y") != NULL);
	CHECK(rq.nparams == 1);
	CHECK_STR(req_param(&rq, "a"), "y");
	CHECK(req_param(&rq, "b") == NULL);
	req_done();
	router_reset();
}

static void test_allow_small_buffer(void)
{
	router_reset();
	router_add("GET", "/r", h_a, 0, NULL);
	router_add("POST", "/r", h_b, 0, NULL);
	router_add("DELETE", "/r", h_c, 0, NULL);

	/* room for "GET" only: whole method names or nothing */
	CHECK(m_len("PUT", "/r", 8) == NULL);
	CHECK(status == 405);
	CHECK(allow[8] == 'Z'); /* nothing written past allow_len */
	CHECK_STR(allow, "GET");
	req_done();
	router_reset();
}

static void test_head_matches_get(void)
{
	const struct route *r;

	router_reset();
	router_add("GET", "/page", h_a, 0, NULL);
	router_add("POST", "/form", h_b, 0, NULL);

	r = m("HEAD", "/page");
	CHECK(r && r->fn == h_a);
	CHECK(r && !strcmp(r->method, "GET"));
	CHECK_STR(rq.method, "HEAD"); /* the request keeps its own method */

	r = m("HEAD", "/form");
	CHECK(r == NULL);
	CHECK(status == 405);
	CHECK_STR(allow, "POST");

	CHECK(m("HEAD", "/none") == NULL && status == 404);
	/* methods are case-sensitive */
	CHECK(m("get", "/page") == NULL && status == 405);
	req_done();
	router_reset();
}

static void test_reset_and_reuse(void)
{
	router_reset();
	router_add("GET", "/once", h_a, 0, NULL);
	CHECK(m("GET", "/once") != NULL);
	router_reset();
	CHECK(m("GET", "/once") == NULL && status == 404);
	router_add("GET", "/once", h_b, 0, NULL);
	CHECK(m("GET", "/once") && m("GET", "/once")->fn == h_b);
	req_done();
	router_reset();
}

static void test_max_params(void)
{
	const struct route *r;

	router_reset();
	router_add("GET", "/:a/:b/:c/:d/:e/:f", h_a, 0, NULL);
	r = m("GET", "/1/2/3/4/5/6");
	CHECK(r != NULL);
	CHECK(rq.nparams == ROUTE_MAX_PARAMS);
	CHECK_STR(req_param(&rq, "a"), "1");
	CHECK_STR(req_param(&rq, "c"), "3");
	CHECK_STR(req_param(&rq, "f"), "6");
	CHECK(m("GET", "/1/2/3/4/5") == NULL && status == 404);
	CHECK(rq.nparams == 0);
	req_done();
	router_reset();
}

static void test_captures_keep_text(void)
{
	router_reset();
	router_add("GET", "/static/:name", h_a, 0, NULL);
	CHECK(m("GET", "/static/parley.css") != NULL);
	CHECK_STR(req_param(&rq, "name"), "parley.css");
	CHECK(m("GET", "/static/a%20b:c") != NULL);
	CHECK_STR(req_param(&rq, "name"), "a%20b:c");
	CHECK(m("GET", "/static/..") != NULL);
	CHECK_STR(req_param(&rq, "name"), "..");
	req_done();
	router_reset();
}

static void test_prefixed_captures(void)
{
	const struct route *r;

	router_reset();
	router_add("GET", "/@:user", h_a, 0, NULL);
	router_add("GET", "/@:user/:id", h_b, 0, NULL);
	router_add("GET", "/tags/:tag", h_c, 0, NULL);

	r = m("GET", "/@alice");
	CHECK(r && r->fn == h_a);
	CHECK_STR(req_param(&rq, "user"), "alice");
	r = m("GET", "/@alice/123");
	CHECK(r && r->fn == h_b);
	CHECK_STR(req_param(&rq, "user"), "alice");
	CHECK_STR(req_param(&rq, "id"), "123");
	/* the prefix must be there, and something after it */
	CHECK(m("GET", "/alice") == NULL);
	CHECK(status == 404);
	CHECK(m("GET", "/@") == NULL);
	CHECK(m("GET", "/@/1") == NULL);
	CHECK(m("GET", "/x@alice") == NULL);
	r = m("GET", "/tags/rust");
	CHECK(r && r->fn == h_c);
	req_done();
	router_reset();
}

int main(void)
{
	RUN(test_literal_routes);
	RUN(test_captures);
	RUN(test_pattern_segment_boundaries);
	RUN(test_trailing_slash_and_root);
	RUN(test_404_vs_405);
	RUN(test_allow_no_duplicates);
	RUN(test_allow_small_buffer);
	RUN(test_head_matches_get);
	RUN(test_reset_and_reuse);
	RUN(test_max_params);
	RUN(test_captures_keep_text);
	RUN(test_prefixed_captures);
	return unit_finish("router");
}
