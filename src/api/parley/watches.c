/*
 * watches.c - GET/PUT /api/parley/v1/spaces/:space/watches and
 * GET/PUT /api/parley/v1/watches: the keywords and accounts the listeners
 * of a space, or of the organisation, watch (docs/API.md, "Listening").
 * Thin: permissions and normalisation are model/listening.c's.
 */
#include "api/parley/parley.h"
#include "api/mastodon/render.h"
#include "http/params.h"
#include "http/response.h"
#include "http/router.h"
#include "model/listening.h"
#include "model/space.h"

#include <stdlib.h>
#include <string.h>

static void answer_watches(struct request *rq, struct response *rs, const struct listening_watches *w)
{
	struct mrender m;
	json_t *kw = json_array(), *acc = json_array();
	size_t i;

	for (i = 0; i < w->nkeywords; i++)
		json_array_append_new(kw, json_string(w->keywords[i]));
	mrender_init(&m, rq);
	for (i = 0; i < w->naccounts; i++) {
		json_t *a = mrender_account(&m, w->accounts[i]);

		if (a)
			json_array_append_new(acc, a);
	}
	mrender_release(&m);
	resp_json(rs, 200, json_pack("{s:o, s:o}", "keywords", kw, "accounts", acc));
}

/* sv NULL: the organisation's watches. */
static void handle(struct request *rq, struct response *rs, const struct space_view *sv, int put)
{
	struct listening_watches *w = malloc(sizeof *w);
	char err[160] = "";
	enum mresult r;

	if (!w) {
		http_error(rq, rs, 500, "Out of memory");
		return;
	}
	if (put) {
		const char *kw[LISTEN_KEYWORDS_MAX + 1], *acc[LISTEN_ACCOUNTS_MAX + 1];
		size_t nk = params_get_array(&rq->form, "keywords", kw, LISTEN_KEYWORDS_MAX + 1);
		size_t na = params_get_array(&rq->form, "accounts", acc, LISTEN_ACCOUNTS_MAX + 1);

		r = listening_put(&rq->viewer, sv, kw, nk, acc, na, w, err, sizeof err);
	} else {
		r = listening_get(&rq->viewer, sv, w, err, sizeof err);
	}
	if (r == M_OK)
		answer_watches(rq, rs, w);
	else
		http_error(rq, rs, http_status_for(r), err[0] ? err : "Storage error");
	free(w);
}

static int path_space(struct request *rq, struct response *rs, struct space_view *sv)
{
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "space"), sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Record not found");
		return -1;
	}
	return 0;
}

static void get_space_watches(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		handle(rq, rs, &sv, 0);
}

static void put_space_watches(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		handle(rq, rs, &sv, 1);
}

static void get_org_watches(struct request *rq, struct response *rs) { handle(rq, rs, NULL, 0); }
static void put_org_watches(struct request *rq, struct response *rs) { handle(rq, rs, NULL, 1); }

void parley_watches_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;

	router_add("GET", "/api/parley/v1/spaces/:space/watches", get_space_watches, W, "read:statuses");
	router_add("PUT", "/api/parley/v1/spaces/:space/watches", put_space_watches, W, "write:statuses");
	router_add("GET", "/api/parley/v1/watches", get_org_watches, W, "read:statuses");
	router_add("PUT", "/api/parley/v1/watches", put_org_watches, W, "write:statuses");
}
