/*
 * filters.c - Mastodon's filters, v2 and v1 (model/filter.h has the rules):
 *
 *   GET, POST            /api/v2/filters
 *   GET, PUT, DELETE     /api/v2/filters/:id
 *   GET, POST            /api/v2/filters/:id/keywords      {keyword, whole_word}
 *   GET, PUT, DELETE     /api/v2/filters/keywords/:id
 *   GET, POST            /api/v2/filters/:id/statuses      {status_id}
 *   GET, DELETE          /api/v2/filters/statuses/:id
 *   GET, POST            /api/v1/filters                   {phrase, context[], irreversible,
 *                                                           whole_word, expires_in}
 *   GET, PUT, DELETE     /api/v1/filters/:id               (a keyword's id)
 *
 * POST/PUT /api/v2/filters take title, context[], filter_action,
 * expires_in (seconds; empty: never) and keywords_attributes[][keyword],
 * [whole_word], [id], [_destroy], as Rails reads them: indexed
 * ("keywords_attributes[0][keyword]"), or unindexed, where a field seen
 * twice starts the next keyword; JSON arrays of objects work too.
 */
#include "api/mastodon/mastodon.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "model/filter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- entities --------------------------------------------------------------- */

static void add_context(const char *name, void *ctx)
{
	json_array_append_new((json_t *)ctx, json_string(name));
}

static json_t *context_json(const char *context)
{
	json_t *a = json_array();

	filter_context_each(filter_context_parse(context), add_context, a);
	return a;
}

static json_t *id_json(int64_t id)
{
	char s[24];

	return json_string(id_format(s, sizeof s, id));
}

static json_t *keyword_json(const struct filter_keyword_row *k)
{
	return json_pack("{s:o, s:s, s:b}", "id", id_json(k->id), "keyword", k->keyword,
			 "whole_word", k->whole_word);
}

static json_t *status_json(const struct filter_status_row *s)
{
	return json_pack("{s:o, s:o}", "id", id_json(s->id), "status_id", id_json(s->post_id));
}

static void add_keyword(const struct filter_keyword_row *k, void *ctx)
{
	json_array_append_new((json_t *)ctx, keyword_json(k));
}

static void add_status(const struct filter_status_row *s, void *ctx)
{
	json_array_append_new((json_t *)ctx, status_json(s));
}

json_t *mastodon_filter(const struct filter_row *f, int with_rules)
{
	json_t *j = json_pack("{s:o, s:s, s:o, s:o, s:s}",
			      "id", id_json(f->id),
			      "title", f->title,
			      "context", context_json(f->context),
			      "expires_at", f->expires_at ? mastodon_date(f->expires_at) : json_null(),
			      "filter_action", f->action);

	if (j && with_rules) {
		json_t *kws = json_array(), *sts = json_array();

		store_filter_keywords(f->account_id, f->id, add_keyword, kws);
		store_filter_statuses(f->account_id, f->id, add_status, sts);
		json_object_set_new(j, "keywords", kws);
		json_object_set_new(j, "statuses", sts);
	}
	return j;
}

/* The V1 Filter entity: one keyword seen with its filter's settings. */
static json_t *v1_json(const struct filter_keyword_row *k, const struct filter_row *f)
{
	return json_pack("{s:o, s:s, s:o, s:b, s:o, s:b}",
			 "id", id_json(k->id),
			 "phrase", k->keyword,
			 "context", context_json(f->context),
			 "whole_word", k->whole_word,
			 "expires_at", f->expires_at ? mastodon_date(f->expires_at) : json_null(),
			 "irreversible", !strcmp(f->action, "hide"));
}

/* ---- parameters --------------------------------------------------------------- */

static const struct params *body_or_query(const struct request *rq)
{
	return rq->form.n ? &rq->form : &rq->query;
}

/* context[] (or context): the bits, with *given set when sent. -1 when a
 * name is not a context. */
static int read_context(const struct request *rq, unsigned *bits, int *given)
{
	const char *vals[16];
	size_t n = params_get_array(body_or_query(rq), "context", vals, 16), i;

	*bits = 0;
	/* an empty JSON array flattens to nothing, but it was sent */
	*given = n > 0 || (rq->json && (json_object_get(rq->json, "context") ||
					json_object_get(rq->json, "context[]")));
	for (i = 0; i < n; i++) {
		unsigned b = filter_context_bit(vals[i]);

		if (!b)
			return -1;
		*bits |= b;
	}
	return 0;
}

/* expires_in: -1 when absent, 0 when empty or null (never), seconds.
 * -2 when it is not a number. */
static int64_t read_expires(const struct request *rq)
{
	const char *v = req_arg(rq, "expires_in");
	char *end;
	long long x;

	if (!v)
		return rq->json && json_is_null(json_object_get(rq->json, "expires_in")) ? 0 : -1;
	if (!*v)
		return 0;
	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno || (*end && *end != '.') || x < 0)
		return -2;
	return (int64_t)x;
}

/* A boolean argument (body, then query): def when absent, -2 when it is
 * not a boolean. */
/* req_arg_bool() with a default for an absent argument (-2: not a boolean) */
static int read_bool(const struct request *rq, const char *key, int def)
{
	int b = req_arg_bool(rq, key);

	return b == -1 ? def : b;
}

/* keywords_attributes[...][field] pairs into in->keywords. */
static int read_keywords(const struct request *rq, struct filter_input *in)
{
	const struct params *p = body_or_query(rq);
	static const char prefix[] = "keywords_attributes[";
	char cur_index[32] = "";
	int have_group = 0, seen[4] = { 0, 0, 0, 0 };
	size_t i;

	for (i = 0; i < p->n; i++) {
		const char *key = p->items[i].key, *val = p->items[i].value, *idx, *close, *field;
		struct filter_keyword_input *k;
		size_t ilen, flen;
		int f;

		if (strncmp(key, prefix, sizeof prefix - 1))
			continue;
		idx = key + sizeof prefix - 1;
		close = strchr(idx, ']');
		if (!close || close[1] != '[')
			continue;
		ilen = (size_t)(close - idx);
		field = close + 2;
		flen = strcspn(field, "]");
		if (field[flen] != ']' || field[flen + 1])
			continue;
		if (flen == 7 && !strncmp(field, "keyword", 7))
			f = 0;
		else if (flen == 10 && !strncmp(field, "whole_word", 10))
			f = 1;
		else if (flen == 2 && !strncmp(field, "id", 2))
			f = 2;
		else if (flen == 8 && !strncmp(field, "_destroy", 8))
			f = 3;
		else
			continue;
		if (ilen >= sizeof cur_index)
			return -1;
		/* a new keyword: a different index, or an unindexed field seen again */
		if (!have_group || (ilen && (strlen(cur_index) != ilen || strncmp(cur_index, idx, ilen))) ||
		    (!ilen && seen[f])) {
			if (in->nkeywords >= FILTER_KEYWORDS_MAX) {
				in->too_many_keywords = 1;
				return 0;
			}
			k = &in->keywords[in->nkeywords++];
			memset(k, 0, sizeof *k);
			k->whole_word = -1;
			memcpy(cur_index, idx, ilen);
			cur_index[ilen] = '\0';
			memset(seen, 0, sizeof seen);
			have_group = 1;
		}
		k = &in->keywords[in->nkeywords - 1];
		seen[f] = 1;
		switch (f) {
		case 0:
			k->keyword = val;
			break;
		case 1: {
			struct params one = { &p->items[i], 1, 1 };

			k->whole_word = params_get_bool(&one, key, 1);
			if (k->whole_word < 0)
				return -1;
			break;
		}
		case 2:
			if (*val && id_parse(val, &k->id) < 0)
				return -1;
			break;
		case 3: {
			struct params one = { &p->items[i], 1, 1 };

			k->destroy = params_get_bool(&one, key, 0) == 1;
			break;
		}
		}
	}
	/* a new keyword without whole_word: true, as Mastodon's default */
	for (i = 0; i < in->nkeywords; i++)
		if (!in->keywords[i].id && in->keywords[i].whole_word < 0)
			in->keywords[i].whole_word = 1;
	return 0;
}

/* Fill a filter_input from the request; -1 after answering 422. */
static int read_input(struct request *rq, struct response *rs, struct filter_input *in)
{
	memset(in, 0, sizeof *in);
	in->title = req_arg(rq, "title");
	in->action = req_arg(rq, "filter_action");
	if (in->action && !*in->action)
		in->action = NULL;
	if (read_context(rq, &in->context, &in->context_given) < 0) {
		http_error(rq, rs, 422, "Validation failed: Context contains an invalid value "
			   "(home, notifications, public, thread, account)");
		return -1;
	}
	in->expires_in = read_expires(rq);
	if (in->expires_in == -2) {
		http_error(rq, rs, 422, "Validation failed: expires_in must be a number of seconds");
		return -1;
	}
	if (read_keywords(rq, in) < 0) {
		http_error(rq, rs, 422, "Validation failed: keywords_attributes are malformed");
		return -1;
	}
	return 0;
}

static int path_id(struct request *rq, struct response *rs, const char *name, int64_t *id)
{
	if (id_parse(req_param(rq, name), id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void answer_error(struct request *rq, struct response *rs, enum mresult r, const char *err)
{
	http_error(rq, rs, http_status_for(r), r == M_NOTFOUND ? "Record not found" :
		   err && *err ? err : "Storage error");
}

/* Answer with filter id as it is now. */
static void answer_filter(struct request *rq, struct response *rs, int64_t id)
{
	struct filter_row f;

	if (store_filter_get(rq->viewer.account.id, id, &f) != STORE_OK) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	resp_json(rs, 200, mastodon_filter(&f, 1));
}

/* ---- v2 ------------------------------------------------------------------------- */

static void add_filter(const struct filter_row *f, void *ctx)
{
	json_array_append_new((json_t *)ctx, mastodon_filter(f, 1));
}

static void get_filters(struct request *rq, struct response *rs)
{
	json_t *arr = json_array();

	if (store_filter_list(rq->viewer.account.id, 0, 0, add_filter, arr) != STORE_OK) {
		json_decref(arr);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	resp_json(rs, 200, arr);
}

static void post_filter(struct request *rq, struct response *rs)
{
	struct filter_input *in = malloc(sizeof *in);
	char err[200] = "";
	int64_t id = 0;
	enum mresult r;

	if (!in) {
		http_error(rq, rs, 503, "Out of memory");
		return;
	}
	if (read_input(rq, rs, in) < 0) {
		free(in);
		return;
	}
	if (in->expires_in < 0)
		in->expires_in = 0;
	r = filter_create(&rq->viewer, in, &id, err, sizeof err);
	free(in);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_filter(rq, rs, id);
}

static void get_filter(struct request *rq, struct response *rs)
{
	int64_t id;

	if (path_id(rq, rs, "id", &id) == 0)
		answer_filter(rq, rs, id);
}

static void put_filter(struct request *rq, struct response *rs)
{
	struct filter_input *in;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	in = malloc(sizeof *in);
	if (!in) {
		http_error(rq, rs, 503, "Out of memory");
		return;
	}
	if (read_input(rq, rs, in) < 0) {
		free(in);
		return;
	}
	r = filter_update(&rq->viewer, id, in, err, sizeof err);
	free(in);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_filter(rq, rs, id);
}

static void delete_filter(struct request *rq, struct response *rs)
{
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	r = filter_delete(&rq->viewer, id);
	if (r != M_OK) {
		answer_error(rq, rs, r, NULL);
		return;
	}
	resp_json(rs, 200, json_object());
}

/* The filter of the path exists and is the viewer's (404 otherwise). */
static int own_filter(struct request *rq, struct response *rs, int64_t *id)
{
	struct filter_row f;

	if (path_id(rq, rs, "id", id) < 0)
		return -1;
	if (store_filter_get(rq->viewer.account.id, *id, &f) != STORE_OK) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void get_filter_keywords(struct request *rq, struct response *rs)
{
	json_t *arr;
	int64_t id;

	if (own_filter(rq, rs, &id) < 0)
		return;
	arr = json_array();
	store_filter_keywords(rq->viewer.account.id, id, add_keyword, arr);
	resp_json(rs, 200, arr);
}

static void answer_keyword(struct request *rq, struct response *rs, int64_t id)
{
	struct filter_keyword_row k;

	if (store_filter_keyword_get(rq->viewer.account.id, id, &k) != STORE_OK) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	resp_json(rs, 200, keyword_json(&k));
}

static void post_filter_keyword(struct request *rq, struct response *rs)
{
	int ww = read_bool(rq, "whole_word", 1);
	char err[200] = "";
	int64_t id, kid = 0;
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	if (ww < 0) {
		http_error(rq, rs, 422, "whole_word must be true or false");
		return;
	}
	r = filter_keyword_add(&rq->viewer, id, req_arg(rq, "keyword"), ww, &kid, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_keyword(rq, rs, kid);
}

static void get_keyword(struct request *rq, struct response *rs)
{
	int64_t id;

	if (path_id(rq, rs, "id", &id) == 0)
		answer_keyword(rq, rs, id);
}

static void put_keyword(struct request *rq, struct response *rs)
{
	int ww = read_bool(rq, "whole_word", -1);
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	if (ww == -2) {
		http_error(rq, rs, 422, "whole_word must be true or false");
		return;
	}
	r = filter_keyword_update(&rq->viewer, id, req_arg(rq, "keyword"), ww, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_keyword(rq, rs, id);
}

static void delete_keyword(struct request *rq, struct response *rs)
{
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	r = filter_keyword_delete(&rq->viewer, id);
	if (r != M_OK) {
		answer_error(rq, rs, r, NULL);
		return;
	}
	resp_json(rs, 200, json_object());
}

static void get_filter_statuses(struct request *rq, struct response *rs)
{
	json_t *arr;
	int64_t id;

	if (own_filter(rq, rs, &id) < 0)
		return;
	arr = json_array();
	store_filter_statuses(rq->viewer.account.id, id, add_status, arr);
	resp_json(rs, 200, arr);
}

static void answer_filter_status(struct request *rq, struct response *rs, int64_t id)
{
	struct filter_status_row s;

	if (store_filter_status_get(rq->viewer.account.id, id, &s) != STORE_OK) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	resp_json(rs, 200, status_json(&s));
}

static void post_filter_status(struct request *rq, struct response *rs)
{
	const char *sid = req_arg(rq, "status_id");
	char err[200] = "";
	int64_t id, post, fsid = 0;
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	if (!sid || id_parse(sid, &post) < 0) {
		http_error(rq, rs, 422, "status_id must be the id of a status");
		return;
	}
	r = filter_status_add(&rq->viewer, id, post, &fsid, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_filter_status(rq, rs, fsid);
}

static void get_status_rule(struct request *rq, struct response *rs)
{
	int64_t id;

	if (path_id(rq, rs, "id", &id) == 0)
		answer_filter_status(rq, rs, id);
}

static void delete_status_rule(struct request *rq, struct response *rs)
{
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	r = filter_status_delete(&rq->viewer, id);
	if (r != M_OK) {
		answer_error(rq, rs, r, NULL);
		return;
	}
	resp_json(rs, 200, json_object());
}

/* ---- v1 ---------------------------------------------------------------------------- */

struct v1_ctx {
	json_t *arr;
	int64_t account_id;
};

static void add_v1(const struct filter_keyword_row *k, void *ctx)
{
	struct v1_ctx *c = ctx;
	struct filter_row f;

	if (store_filter_get(c->account_id, k->filter_id, &f) == STORE_OK)
		json_array_append_new(c->arr, v1_json(k, &f));
}

static void get_v1_filters(struct request *rq, struct response *rs)
{
	struct v1_ctx c = { json_array(), rq->viewer.account.id };

	if (store_filter_keywords(c.account_id, 0, add_v1, &c) != STORE_OK) {
		json_decref(c.arr);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	resp_json(rs, 200, c.arr);
}

static void answer_v1(struct request *rq, struct response *rs, int64_t kw_id)
{
	struct filter_keyword_row k;
	struct filter_row f;

	if (store_filter_keyword_get(rq->viewer.account.id, kw_id, &k) != STORE_OK ||
	    store_filter_get(rq->viewer.account.id, k.filter_id, &f) != STORE_OK) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	resp_json(rs, 200, v1_json(&k, &f));
}

/* Read the v1 fields; -1 after answering 422. */
static int read_v1(struct request *rq, struct response *rs, unsigned *context, int *given,
		   int *irreversible, int *whole_word, int64_t *expires_in, int creating)
{
	if (read_context(rq, context, given) < 0) {
		http_error(rq, rs, 422, "Validation failed: Context contains an invalid value "
			   "(home, notifications, public, thread, account)");
		return -1;
	}
	*irreversible = read_bool(rq, "irreversible", creating ? 0 : -1);
	*whole_word = read_bool(rq, "whole_word", creating ? 1 : -1);
	if (*irreversible == -2 || *whole_word == -2) {
		http_error(rq, rs, 422, "irreversible and whole_word must be true or false");
		return -1;
	}
	*expires_in = read_expires(rq);
	if (*expires_in == -2) {
		http_error(rq, rs, 422, "Validation failed: expires_in must be a number of seconds");
		return -1;
	}
	return 0;
}

static void post_v1_filter(struct request *rq, struct response *rs)
{
	unsigned context;
	int given, irreversible, whole_word;
	int64_t expires_in, kw = 0;
	char err[200] = "";
	enum mresult r;

	if (read_v1(rq, rs, &context, &given, &irreversible, &whole_word, &expires_in, 1) < 0)
		return;
	r = filter_v1_create(&rq->viewer, req_arg(rq, "phrase"), context, irreversible, whole_word,
			     expires_in, &kw, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_v1(rq, rs, kw);
}

static void get_v1_filter(struct request *rq, struct response *rs)
{
	int64_t id;

	if (path_id(rq, rs, "id", &id) == 0)
		answer_v1(rq, rs, id);
}

static void put_v1_filter(struct request *rq, struct response *rs)
{
	unsigned context;
	int given, irreversible, whole_word;
	int64_t expires_in, id;
	char err[200] = "";
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	if (read_v1(rq, rs, &context, &given, &irreversible, &whole_word, &expires_in, 0) < 0)
		return;
	if (given && !context) {
		http_error(rq, rs, 422, "Validation failed: Context can't be blank");
		return;
	}
	r = filter_v1_update(&rq->viewer, id, req_arg(rq, "phrase"), context, irreversible, whole_word,
			     expires_in, err, sizeof err);
	if (r != M_OK) {
		answer_error(rq, rs, r, err);
		return;
	}
	answer_v1(rq, rs, id);
}

static void delete_v1_filter(struct request *rq, struct response *rs)
{
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, "id", &id) < 0)
		return;
	r = filter_v1_delete(&rq->viewer, id);
	if (r != M_OK) {
		answer_error(rq, rs, r, NULL);
		return;
	}
	resp_json(rs, 200, json_object());
}

void mastodon_filters_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;
	const char *R = "read:filters", *WR = "write:filters";

	router_add("GET", "/api/v2/filters", get_filters, W, R);
	router_add("POST", "/api/v2/filters", post_filter, W, WR);
	/* literal segments before ":id" (the router takes the first match) */
	router_add("GET", "/api/v2/filters/keywords/:id", get_keyword, W, R);
	router_add("PUT", "/api/v2/filters/keywords/:id", put_keyword, W, WR);
	router_add("DELETE", "/api/v2/filters/keywords/:id", delete_keyword, W, WR);
	router_add("GET", "/api/v2/filters/statuses/:id", get_status_rule, W, R);
	router_add("DELETE", "/api/v2/filters/statuses/:id", delete_status_rule, W, WR);
	router_add("GET", "/api/v2/filters/:id/keywords", get_filter_keywords, W, R);
	router_add("POST", "/api/v2/filters/:id/keywords", post_filter_keyword, W, WR);
	router_add("GET", "/api/v2/filters/:id/statuses", get_filter_statuses, W, R);
	router_add("POST", "/api/v2/filters/:id/statuses", post_filter_status, W, WR);
	router_add("GET", "/api/v2/filters/:id", get_filter, W, R);
	router_add("PUT", "/api/v2/filters/:id", put_filter, W, WR);
	router_add("DELETE", "/api/v2/filters/:id", delete_filter, W, WR);
	router_add("GET", "/api/v1/filters", get_v1_filters, W, R);
	router_add("POST", "/api/v1/filters", post_v1_filter, W, WR);
	router_add("GET", "/api/v1/filters/:id", get_v1_filter, W, R);
	router_add("PUT", "/api/v1/filters/:id", put_v1_filter, W, WR);
	router_add("DELETE", "/api/v1/filters/:id", delete_v1_filter, W, WR);
}
