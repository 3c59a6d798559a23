/*
 * lists.c - /api/v1/lists and /api/v1/timelines/list/:id: Mastodon's
 * personal lists, with the viewer's spaces shown as lists beside them so
 * phone apps can read a space (model/list.h).
 */
#include "api/mastodon/mastodon.h"
#include "api/mastodon/paging.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "model/list.h"
#include "model/timeline.h"

#include <string.h>

static json_t *list_json(const struct list_view *lv)
{
	char id[24];

	/* a space's list is the space's id: /api/parley/v1/spaces/:id tells more */
	if (lv->is_space)
		return json_pack("{s:s, s:s, s:s, s:b}", "id", id_format(id, sizeof id, lv->sv.s.id),
				 "title", lv->sv.s.name, "replies_policy", "list", "exclusive", 0);
	return json_pack("{s:s, s:s, s:s, s:b}", "id", id_format(id, sizeof id, lv->l.id),
			 "title", lv->l.title, "replies_policy", lv->l.replies_policy,
			 "exclusive", lv->l.exclusive);
}

static void add_list(const struct list_row *l, void *ctx)
{
	struct list_view lv;

	memset(&lv, 0, sizeof lv);
	lv.l = *l;
	json_array_append_new(ctx, list_json(&lv));
}

static void add_space(const struct space_row *s, const struct space_member_row *m, void *ctx)
{
	struct list_view lv;

	memset(&lv, 0, sizeof lv);
	lv.is_space = 1;
	lv.sv.s = *s;
	if (m) {
		lv.sv.member = 1;
		lv.sv.m = *m;
	}
	json_array_append_new(ctx, list_json(&lv));
}

static void get_lists(struct request *rq, struct response *rs)
{
	json_t *arr = json_array();
	struct space_query q;

	store_lists_of(rq->viewer.account.id, add_list, arr);
	memset(&q, 0, sizeof q);
	q.viewer_id = rq->viewer.account.id;
	q.staff = viewer_is_staff(&rq->viewer);
	q.mine = 1;
	q.limit = 500;
	store_space_list(&q, add_space, arr);
	resp_json(rs, 200, arr);
}

static int path_list(struct request *rq, struct response *rs, struct list_view *lv)
{
	const char *s = req_param(rq, "id");
	int64_t id;
	enum mresult r;

	if (!s || id_parse(s, &id) < 0 || (r = list_lookup(&rq->viewer, id, lv)) == M_NOTFOUND) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	if (r != M_OK) {
		http_error(rq, rs, 500, "Storage error");
		return -1;
	}
	return 0;
}

static void get_list(struct request *rq, struct response *rs)
{
	struct list_view lv;

	if (path_list(rq, rs, &lv) == 0)
		resp_json(rs, 200, list_json(&lv));
}

static void post_list(struct request *rq, struct response *rs)
{
	struct list_view lv;
	char err[200] = "";
	int excl = req_arg_bool(rq, "exclusive");
	enum mresult r;

	if (excl == -2) {
		http_error(rq, rs, 422, "exclusive must be true or false");
		return;
	}
	memset(&lv, 0, sizeof lv);
	r = list_create(&rq->viewer, req_arg(rq, "title"), req_arg(rq, "replies_policy"), excl, &lv.l,
			err, sizeof err);
	if (r != M_OK)
		http_error(rq, rs, http_status_for(r), err);
	else
		resp_json(rs, 200, list_json(&lv));
}

static void put_list(struct request *rq, struct response *rs)
{
	struct list_view lv;
	char err[200] = "";
	int excl = req_arg_bool(rq, "exclusive");
	enum mresult r;

	if (path_list(rq, rs, &lv) < 0)
		return;
	if (excl == -2) {
		http_error(rq, rs, 422, "exclusive must be true or false");
		return;
	}
	r = list_update(&rq->viewer, &lv, req_arg(rq, "title"), req_arg(rq, "replies_policy"), excl,
			err, sizeof err);
	if (r != M_OK)
		http_error(rq, rs, http_status_for(r), err);
	else
		resp_json(rs, 200, list_json(&lv));
}

static void delete_list(struct request *rq, struct response *rs)
{
	struct list_view lv;
	char err[200] = "";
	enum mresult r;

	if (path_list(rq, rs, &lv) < 0)
		return;
	r = list_delete(&rq->viewer, &lv, err, sizeof err);
	if (r != M_OK)
		http_error(rq, rs, http_status_for(r), err);
	else
		resp_json(rs, 200, json_object());
}

struct acc_ctx {
	struct mrender m;
	json_t *arr;
};

static void add_account_id(int64_t id, void *ctx)
{
	struct acc_ctx *c = ctx;
	json_t *j = mrender_account(&c->m, id);

	if (j)
		json_array_append_new(c->arr, j);
}

static void add_member(const struct space_member_row *m, void *ctx)
{
	add_account_id(m->account_id, ctx);
}

static void get_list_accounts(struct request *rq, struct response *rs)
{
	struct list_view lv;
	struct acc_ctx c;
	struct page pg;

	if (path_list(rq, rs, &lv) < 0)
		return;
	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "Bad pagination parameters");
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	if (lv.is_space)
		store_space_members(lv.sv.s.id, NULL, 0, pg.limit == 0 ? 40 : timeline_limit(pg.limit, 40, 80),
				    add_member, &c);
	else
		store_list_accounts(lv.l.id, add_account_id, &c);
	mrender_release(&c.m);
	resp_json(rs, 200, c.arr);
}

static void change_accounts(struct request *rq, struct response *rs, int on)
{
	struct list_view lv;
	const char *vals[100];
	int64_t ids[100];
	char err[200] = "";
	size_t n, i;
	enum mresult r;

	if (path_list(rq, rs, &lv) < 0)
		return;
	n = params_get_array(&rq->form, "account_ids", vals, 100);
	if (!n)
		n = params_get_array(&rq->query, "account_ids", vals, 100);
	if (!n) {
		http_error(rq, rs, 422, "account_ids is required");
		return;
	}
	for (i = 0; i < n; i++)
		if (id_parse(vals[i], &ids[i]) < 0) {
			http_error(rq, rs, 404, "Record not found");
			return;
		}
	r = list_accounts_change(&rq->viewer, &lv, ids, n, on, err, sizeof err);
	if (r != M_OK)
		http_error(rq, rs, http_status_for(r), err);
	else
		resp_json(rs, 200, json_object());
}

static void post_list_accounts(struct request *rq, struct response *rs) { change_accounts(rq, rs, 1); }
static void delete_list_accounts(struct request *rq, struct response *rs) { change_accounts(rq, rs, 0); }

static void get_list_timeline(struct request *rq, struct response *rs)
{
	struct list_view lv;
	struct timeline_query q;

	if (path_list(rq, rs, &lv) < 0)
		return;
	memset(&q, 0, sizeof q);
	if (lv.is_space) {
		q.kind = TL_SPACE;
		q.space_id = lv.sv.s.id;
	} else {
		q.kind = TL_LIST;
		q.list_id = lv.l.id;
		q.text = lv.l.replies_policy;
	}
	mastodon_answer_timeline(rq, rs, &q);
}

struct of_ctx {
	int64_t account;
	json_t *arr;
};

static void add_if_has(const struct list_row *l, void *ctx)
{
	struct of_ctx *c = ctx;

	if (store_list_has_account(l->id, c->account) == STORE_OK)
		add_list(l, c->arr);
}

static void get_account_lists(struct request *rq, struct response *rs)
{
	const char *s = req_param(rq, "id");
	struct of_ctx c;

	c.arr = json_array();
	if (!s || id_parse(s, &c.account) < 0) {
		json_decref(c.arr);
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	store_lists_of(rq->viewer.account.id, add_if_has, &c);
	resp_json(rs, 200, c.arr);
}

void mastodon_lists_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;

	router_add("GET", "/api/v1/lists", get_lists, W, "read:lists");
	router_add("POST", "/api/v1/lists", post_list, W, "write:lists");
	router_add("GET", "/api/v1/lists/:id", get_list, W, "read:lists");
	router_add("PUT", "/api/v1/lists/:id", put_list, W, "write:lists");
	router_add("DELETE", "/api/v1/lists/:id", delete_list, W, "write:lists");
	router_add("GET", "/api/v1/lists/:id/accounts", get_list_accounts, W, "read:lists");
	router_add("POST", "/api/v1/lists/:id/accounts", post_list_accounts, W, "write:lists");
	router_add("DELETE", "/api/v1/lists/:id/accounts", delete_list_accounts, W, "write:lists");
	router_add("GET", "/api/v1/timelines/list/:id", get_list_timeline, W, "read:lists");
	router_add("GET", "/api/v1/accounts/:id/lists", get_account_lists, W, "read:lists");
}
