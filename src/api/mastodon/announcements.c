/*
 * announcements.c - instance announcements:
 *
 *   GET    /api/v1/announcements[?with_dismissed=true]     listed ones, oldest first
 *   POST   /api/v1/announcements/:id/dismiss               mark read
 *   PUT    /api/v1/announcements/:id/reactions/:name       react with an emoji
 *   DELETE /api/v1/announcements/:id/reactions/:name
 * and Parley's administration of them (admins only):
 *   GET    /api/parley/v1/admin/announcements              all, with text and state
 *   POST   /api/parley/v1/admin/announcements              {text, starts_at?, ends_at?,
 *                                                           all_day?, published?}
 *   GET, PUT, PATCH, DELETE /api/parley/v1/admin/announcements/:id
 */
#include "api/mastodon/mastodon.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/announcement.h"

#include <string.h>

static void add_reaction(const char *name, int64_t count, int me, void *ctx)
{
	json_array_append_new((json_t *)ctx, json_pack("{s:s, s:I, s:b}", "name", name,
						       "count", (json_int_t)count, "me", me));
}

static json_t *date_or_null(int64_t ms)
{
	return ms ? mastodon_date(ms) : json_null();
}

static json_t *mastodon_announcement(const struct request *rq, const struct announcement_row *a, int read)
{
	int64_t me = rq->viewer.signed_in ? rq->viewer.account.id : 0;
	json_t *reactions = json_array(), *j;
	char id[24];

	store_announcement_reactions(a->id, me, add_reaction, reactions);
	j = json_pack("{s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:[], s:[], s:[], s:[], s:o}",
		      "id", id_format(id, sizeof id, a->id),
		      "content", a->content,
		      "starts_at", date_or_null(a->starts_at),
		      "ends_at", date_or_null(a->ends_at),
		      "all_day", a->all_day,
		      "published_at", mastodon_date(a->published_at ? a->published_at : a->created_at),
		      "updated_at", mastodon_date(a->updated_at),
		      "mentions", "statuses", "tags", "emojis",
		      "reactions", reactions);
	if (j && me)
		json_object_set_new(j, "read", json_boolean(read));
	return j;
}

/* ---- the reader's side ------------------------------------------------ */

struct list_ctx {
	const struct request *rq;
	json_t *arr;
	int admin;
};

static void add_announcement(const struct announcement_row *a, int dismissed, void *ctx)
{
	struct list_ctx *c = ctx;
	json_t *j = mastodon_announcement(c->rq, a, dismissed);

	if (!j)
		return;
	if (c->admin) {
		json_object_set_new(j, "text", json_string(a->text));
		json_object_set_new(j, "published", json_boolean(a->published));
		json_object_set_new(j, "created_at", mastodon_date(a->created_at));
	}
	json_array_append_new(c->arr, j);
}

static void get_announcements(struct request *rq, struct response *rs)
{
	struct list_ctx c = { rq, json_array(), 0 };
	int with = params_get_bool(&rq->query, "with_dismissed", 0);

	if (store_announcement_list(1, time_now_ms(), rq->viewer.account.id, with == 1,
				    add_announcement, &c) != STORE_OK) {
		json_decref(c.arr);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	resp_json(rs, 200, c.arr);
}

static int path_id(struct request *rq, struct response *rs, int64_t *id)
{
	if (id_parse(req_param(rq, "id"), id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void post_dismiss(struct request *rq, struct response *rs)
{
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = announcement_dismiss(&rq->viewer, id);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), r == M_NOTFOUND ? "Record not found" : "Storage error");
		return;
	}
	resp_json(rs, 200, json_object());
}

static void react(struct request *rq, struct response *rs, int on)
{
	char err[160] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = announcement_react(&rq->viewer, id, req_param(rq, "name"), on, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, json_object());
}

static void put_reaction(struct request *rq, struct response *rs) { react(rq, rs, 1); }
static void delete_reaction(struct request *rq, struct response *rs) { react(rq, rs, 0); }

/* ---- administration ------------------------------------------------------ */

static json_t *admin_json(const struct request *rq, const struct announcement_row *a)
{
	json_t *j = mastodon_announcement(rq, a, 0);

	if (j) {
		json_object_del(j, "read");
		json_object_set_new(j, "text", json_string(a->text));
		json_object_set_new(j, "published", json_boolean(a->published));
		json_object_set_new(j, "created_at", mastodon_date(a->created_at));
	}
	return j;
}

static void get_admin_list(struct request *rq, struct response *rs)
{
	struct list_ctx c = { rq, json_array(), 1 };

	if (store_announcement_list(0, 0, 0, 1, add_announcement, &c) != STORE_OK) {
		json_decref(c.arr);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	resp_json(rs, 200, c.arr);
}

/* A date field: absent -> keep (-1); "" or null -> none (0); ISO 8601 -> ms.
 * -2 when it is not a date. */
static int64_t date_arg(const struct request *rq, const char *key)
{
	const char *v = req_arg(rq, key);
	int64_t ms;

	if (!v) {
		/* JSON null is dropped by the flattening: look at the body itself */
		if (rq->json && json_is_null(json_object_get(rq->json, key)))
			return 0;
		return -1;
	}
	if (!*v)
		return 0;
	if (time_parse_iso_any(v, &ms) < 0 || ms < 0)
		return -2;
	return ms;
}

static int announcement_input_parse(const struct request *rq, struct announcement_input *in,
			     const char **msg)
{
	int b;

	memset(in, 0, sizeof *in);
	in->base_url = rq->cfg ? rq->cfg->base_url : "";
	in->text = req_arg(rq, "text");
	in->starts_at = date_arg(rq, "starts_at");
	in->ends_at = date_arg(rq, "ends_at");
	if (in->starts_at == -2 || in->ends_at == -2) {
		*msg = "starts_at and ends_at must be ISO 8601 dates";
		return -1;
	}
	b = params_get_bool(&rq->form, "all_day", -2);
	if (b == -2)
		b = params_get_bool(&rq->query, "all_day", -1);
	in->all_day = b;
	if (b == -1 && req_arg(rq, "all_day")) {
		*msg = "all_day must be true or false";
		return -1;
	}
	b = params_get_bool(&rq->form, "published", -2);
	if (b == -2)
		b = params_get_bool(&rq->query, "published", -1);
	in->published = b;
	if (b == -1 && req_arg(rq, "published")) {
		*msg = "published must be true or false";
		return -1;
	}
	return 0;
}

static void post_admin(struct request *rq, struct response *rs)
{
	struct announcement_input in;
	struct announcement_row a;
	const char *msg = NULL;
	char err[160] = "";
	enum mresult r;

	if (announcement_input_parse(rq, &in, &msg) < 0) {
		http_error(rq, rs, 422, msg);
		return;
	}
	if (in.starts_at < 0)
		in.starts_at = 0;
	if (in.ends_at < 0)
		in.ends_at = 0;
	r = announcement_create(&rq->viewer, &in, &a, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, admin_json(rq, &a));
	announcement_row_release(&a);
}

static void get_admin_one(struct request *rq, struct response *rs)
{
	struct announcement_row a;
	int64_t id;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (store_announcement_get(id, &a) != STORE_OK) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	resp_json(rs, 200, admin_json(rq, &a));
	announcement_row_release(&a);
}

static void put_admin(struct request *rq, struct response *rs)
{
	struct announcement_input in;
	struct announcement_row a;
	const char *msg = NULL;
	char err[160] = "";
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (announcement_input_parse(rq, &in, &msg) < 0) {
		http_error(rq, rs, 422, msg);
		return;
	}
	r = announcement_update(id, &in, &a, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, admin_json(rq, &a));
	announcement_row_release(&a);
}

static void delete_admin(struct request *rq, struct response *rs)
{
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = announcement_delete(id);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), r == M_NOTFOUND ? "Record not found" : "Storage error");
		return;
	}
	resp_json(rs, 200, json_object());
}

void mastodon_announcements_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;
	const unsigned A = ROUTE_API | ROUTE_AUTH | ROUTE_ADMIN;

	router_add("GET", "/api/v1/announcements", get_announcements, W, "read");
	router_add("POST", "/api/v1/announcements/:id/dismiss", post_dismiss, W, "write:accounts");
	router_add("PUT", "/api/v1/announcements/:id/reactions/:name", put_reaction, W, "write:favourites");
	router_add("DELETE", "/api/v1/announcements/:id/reactions/:name", delete_reaction, W,
		   "write:favourites");
	router_add("GET", "/api/parley/v1/admin/announcements", get_admin_list, A, "admin:read");
	router_add("POST", "/api/parley/v1/admin/announcements", post_admin, A, "admin:write");
	router_add("GET", "/api/parley/v1/admin/announcements/:id", get_admin_one, A, "admin:read");
	router_add("PUT", "/api/parley/v1/admin/announcements/:id", put_admin, A, "admin:write");
	router_add("PATCH", "/api/parley/v1/admin/announcements/:id", put_admin, A, "admin:write");
	router_add("DELETE", "/api/parley/v1/admin/announcements/:id", delete_admin, A, "admin:write");
}
