/*
 * router.c - the route table (see router.h).
 *
 * A linear scan over the routes, comparing segment by segment without
 * copying. With a few hundred routes this costs well under a microsecond
 * next to a database query; a trie can replace it behind the same two
 * functions if profiles ever say so.
 */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUTES_MAX 512

static struct route routes[ROUTES_MAX];
static size_t nroutes;

void router_add(const char *method, const char *pattern, route_fn fn,
		unsigned flags, const char *scope)
{
	const char *p;
	int captures = 0;

	for (p = pattern; *p; p++)
		if (*p == ':')
			captures++;
	if (nroutes >= ROUTES_MAX || captures > ROUTE_MAX_PARAMS) {
		fprintf(stderr, "router: cannot add %s %s\n", method, pattern);
		abort();
	}
	routes[nroutes].method = method;
	routes[nroutes].pattern = pattern;
	routes[nroutes].fn = fn;
	routes[nroutes].flags = flags;
	routes[nroutes].scope = scope;
	nroutes++;
}

void router_reset(void)
{
	nroutes = 0;
}

static void clear_params(struct request *rq)
{
	int i;

	for (i = 0; i < rq->nparams; i++) {
		free(rq->param_values[i]);
		rq->param_values[i] = NULL;
	}
	rq->nparams = 0;
}

/* Match path against pattern, capturing into rq. 1 on a match. */
static int match(const char *pattern, const char *path, size_t plen, struct request *rq)
{
	const char *pp = pattern, *sp = path, *end = path + plen;

	clear_params(rq);
	while (*pp && sp < end) {
		if (*pp != '/' || *sp != '/')
			return 0;
		pp++;
		sp++;
		if (*pp == ':') {
			const char *name = pp + 1, *seg_end = memchr(sp, '/', (size_t)(end - sp));

			if (!seg_end)
				seg_end = end;
			if (seg_end == sp || rq->nparams >= ROUTE_MAX_PARAMS)
				return 0;
			rq->param_names[rq->nparams] = name;
			rq->param_values[rq->nparams] = strndup(sp, (size_t)(seg_end - sp));
			if (!rq->param_values[rq->nparams])
				return 0;
			rq->nparams++;
			pp = name + strcspn(name, "/");
			sp = seg_end;
		} else if (memchr(pp, ':', strcspn(pp, "/"))) {
			/* "@:name": a literal prefix, then a capture of the
			 * (non-empty) rest of the segment */
			const char *colon = strchr(pp, ':'), *name = colon + 1;
			size_t pre = (size_t)(colon - pp);
			const char *seg_end = memchr(sp, '/', (size_t)(end - sp));

			if (!seg_end)
				seg_end = end;
			if ((size_t)(seg_end - sp) <= pre || memcmp(pp, sp, pre) ||
			    rq->nparams >= ROUTE_MAX_PARAMS)
				return 0;
			rq->param_names[rq->nparams] = name;
			rq->param_values[rq->nparams] = strndup(sp + pre, (size_t)(seg_end - sp - pre));
			if (!rq->param_values[rq->nparams])
				return 0;
			rq->nparams++;
			pp = name + strcspn(name, "/");
			sp = seg_end;
		} else {
			size_t lit = strcspn(pp, "/");

			if ((size_t)(end - sp) < lit || memcmp(pp, sp, lit) ||
			    (sp + lit < end && sp[lit] != '/'))
				return 0;
			pp += lit;
			sp += lit;
		}
	}
	return !*pp && sp == end;
}

const struct route *router_match(struct request *rq, int *status, char *allow, size_t allow_len)
{
	size_t i, plen = strlen(rq->path), alen = 0;
	const char *method = rq->method;
	int path_found = 0;

	/* ignore trailing slashes, except on "/" itself */
	while (plen > 1 && rq->path[plen - 1] == '/')
		plen--;
	if (!strcmp(method, "HEAD"))
		method = "GET";
	allow[0] = '\0';
	for (i = 0; i < nroutes; i++) {
		if (!match(routes[i].pattern, rq->path, plen, rq))
			continue;
		if (!strcmp(routes[i].method, method))
			return &routes[i];
		path_found = 1;
		if (!strstr(allow, routes[i].method)) {
			size_t need = (alen ? 2 : 0) + strlen(routes[i].method);

			/* append whole names only: never a cut-off method */
			if (alen + need < allow_len) {
				snprintf(allow + alen, allow_len - alen, "%s%s", alen ? ", " : "",
					 routes[i].method);
				alen += need;
			}
		}
	}
	clear_params(rq);
	*status = path_found ? 405 : 404;
	return NULL;
}

const char *req_param(const struct request *rq, const char *name)
{
	size_t nl = strlen(name);
	int i;

	for (i = 0; i < rq->nparams; i++) {
		const char *pn = rq->param_names[i];

		if (!strncmp(pn, name, nl) && (pn[nl] == '\0' || pn[nl] == '/'))
			return rq->param_values[i];
	}
	return NULL;
}
