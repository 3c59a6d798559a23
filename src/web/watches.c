/*
 * watches.c - the watches forms: /s/:handle/watches (a space's
 * listeners) and /watches (the organisation's): keywords one per line,
 * accounts by username. Permissions and normalisation are
 * model/listening.c's.
 */
#include "web/page.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/buf.h"
#include "model/listening.h"
#include "model/space.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void render(struct request *rq, struct response *rs, int status, const struct space_view *sv,
		   const struct listening_watches *w, const char *keywords, const char *accounts,
		   const char *error)
{
	json_t *ctx = json_object();
	struct buf kw = BUF_INIT, acc = BUF_INIT;
	char path[160];
	size_t i;

	if (w) {
		for (i = 0; i < w->nkeywords; i++)
			buf_printf(&kw, "%s%s", i ? "\n" : "", w->keywords[i]);
		for (i = 0; i < w->naccounts; i++) {
			struct account_row a;

			if (store_account_get(w->accounts[i], &a) == STORE_OK)
				buf_printf(&acc, "%s%s", acc.len ? " " : "", a.username);
		}
		keywords = buf_str(&kw);
		accounts = buf_str(&acc);
	}
	if (sv)
		snprintf(path, sizeof path, "/s/%s/watches", sv->s.handle);
	else
		snprintf(path, sizeof path, "/watches");
	json_object_set_new(ctx, "base_path", json_string(path));
	json_object_set_new(ctx, "scope_name", json_string(sv ? sv->s.name : "the organisation"));
	if (sv)
		json_object_set_new(ctx, "space_handle", json_string(sv->s.handle));
	json_object_set_new(ctx, "keywords_text", json_string(keywords ? keywords : ""));
	json_object_set_new(ctx, "accounts_text", json_string(accounts ? accounts : ""));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	buf_release(&kw);
	buf_release(&acc);
	page_render(rq, rs, status, "watches", "Watches", ctx);
}

/* Split s at line breaks (sep_space: also spaces and commas) into parts
 * of the copy *store (caller frees); the count, at most max. */
static size_t split(const char *s, int sep_space, char **store, const char **parts, size_t max)
{
	size_t n = 0;
	char *p;

	*store = strdup(s ? s : "");
	if (!*store)
		return 0;
	p = *store;
	while (*p) {
		char *start;

		while (*p == '\n' || *p == '\r' || (sep_space && (*p == ' ' || *p == ',' || *p == '\t')))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != '\n' && *p != '\r' && !(sep_space && (*p == ' ' || *p == ',' || *p == '\t')))
			p++;
		if (*p)
			*p++ = '\0';
		if (n < max)
			parts[n] = start;
		n++;
	}
	return n;
}

static void handle(struct request *rq, struct response *rs, const struct space_view *sv, int post)
{
	struct listening_watches *w = malloc(sizeof *w);
	char err[160] = "";
	enum mresult r;

	if (!w) {
		http_error(rq, rs, 500, "Out of memory");
		return;
	}
	if (post) {
		const char *kw[LISTEN_KEYWORDS_MAX + 1], *acc[LISTEN_ACCOUNTS_MAX + 1];
		char *kstore = NULL, *astore = NULL;
		const char *ktext = req_arg(rq, "keywords"), *atext = req_arg(rq, "accounts");
		size_t nk = split(ktext, 0, &kstore, kw, LISTEN_KEYWORDS_MAX + 1);
		size_t na = split(atext, 1, &astore, acc, LISTEN_ACCOUNTS_MAX + 1);

		if (nk > LISTEN_KEYWORDS_MAX + 1)
			nk = LISTEN_KEYWORDS_MAX + 1;
		if (na > LISTEN_ACCOUNTS_MAX + 1)
			na = LISTEN_ACCOUNTS_MAX + 1;
		r = listening_put(&rq->viewer, sv, kw, nk, acc, na, w, err, sizeof err);
		if (r == M_OK) {
			char path[160];

			if (sv)
				snprintf(path, sizeof path, "/s/%s/watches", sv->s.handle);
			else
				snprintf(path, sizeof path, "/watches");
			page_redirect(rq, rs, path, "Watches saved.");
		} else if (r == M_INVALID) {
			render(rq, rs, 422, sv, NULL, ktext, atext, err);
		} else {
			http_error(rq, rs, http_status_for(r), err);
		}
		free(kstore);
		free(astore);
	} else {
		r = listening_get(&rq->viewer, sv, w, err, sizeof err);
		if (r == M_OK)
			render(rq, rs, 200, sv, w, NULL, NULL, NULL);
		else
			http_error(rq, rs, http_status_for(r), err);
	}
	free(w);
}

static int path_space(struct request *rq, struct response *rs, struct space_view *sv)
{
	enum mresult r = space_lookup(&rq->viewer, req_param(rq, "handle"), sv);

	if (r != M_OK) {
		http_error(rq, rs, r == M_ERROR ? 500 : 404, r == M_ERROR ? "Storage error" : "Space not found");
		return -1;
	}
	return 0;
}

static void get_space(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		handle(rq, rs, &sv, 0);
}

static void post_space(struct request *rq, struct response *rs)
{
	struct space_view sv;

	if (path_space(rq, rs, &sv) == 0)
		handle(rq, rs, &sv, 1);
}

static void get_org(struct request *rq, struct response *rs) { handle(rq, rs, NULL, 0); }
static void post_org(struct request *rq, struct response *rs) { handle(rq, rs, NULL, 1); }

void web_watches_routes(void)
{
	router_add("GET", "/s/:handle/watches", get_space, ROUTE_AUTH, NULL);
	router_add("POST", "/s/:handle/watches", post_space, ROUTE_AUTH, NULL);
	router_add("GET", "/watches", get_org, ROUTE_AUTH, NULL);
	router_add("POST", "/watches", post_org, ROUTE_AUTH, NULL);
}
