/*
 * fuzz_router.c - libFuzzer target for route matching: any path against
 * a table shaped like Parley's (literal and ":param" segments).
 */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void nop(struct request *rq, struct response *rs)
{
	(void)rq;
	(void)rs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct request rq;
	char allow[128];
	int status, i;

	if (!ready) {
		router_add("GET", "/", nop, 0, NULL);
		router_add("GET", "/api/v1/accounts/:id", nop, ROUTE_API, NULL);
		router_add("POST", "/api/v1/accounts/:id/follow", nop, ROUTE_API, NULL);
		router_add("GET", "/a/:x/b/:y/c/:z", nop, 0, NULL);
		router_add("GET", "/static/:name", nop, 0, NULL);
		ready = 1;
	}
	memset(&rq, 0, sizeof rq);
	rq.path = strndup((const char *)data, size);
	if (!rq.path)
		return 0;
	snprintf(rq.method, sizeof rq.method, "%s", size && data[0] & 1 ? "POST" : "GET");
	if (router_match(&rq, &status, allow, sizeof allow))
		(void)req_param(&rq, "id");
	for (i = 0; i < rq.nparams; i++)
		free(rq.param_values[i]);
	free(rq.path);
	return 0;
}
