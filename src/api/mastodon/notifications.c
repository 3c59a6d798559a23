/*
 * notifications.c - /api/v1/notifications, /api/v1/markers, the followed
 * hashtags (/api/v1/tags, /api/v1/followed_tags) and Parley's per-type
 * notification preferences (/api/parley/v1/notifications/preferences).
 *
 * Unread: a notification is unread when it is newer than the user's
 * "notifications" marker (Mastodon's markers API), which apps move as the
 * user reads; GET /api/v1/notifications/unread_count counts them.
 */
#include "api/mastodon/mastodon.h"
#include "api/mastodon/paging.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/filter.h"
#include "model/notify.h"
#include "model/relationship.h"
#include "model/timeline.h"

#include <stdlib.h>
#include <string.h>

#define TYPES_MAX 16

struct note_ctx {
	struct mrender m;
	json_t *arr;
	int64_t first, last;
};

static void add_note(const struct notification_row *n, void *ctx)
{
	struct note_ctx *c = ctx;
	json_t *j = mrender_notification(&c->m, n);

	if (!c->first)
		c->first = n->id;
	c->last = n->id;
	if (j)
		json_array_append_new(c->arr, j);
}

/* Mastodon's old name for reblog notifications is the same; "reaction"
 * is accepted for Parley's "parley.reaction". */
static size_t types_param(const struct request *rq, const char *key, const char **out)
{
	size_t n = params_get_array(&rq->query, key, out, TYPES_MAX), i;

	for (i = 0; i < n; i++)
		if (!strcmp(out[i], "reaction"))
			out[i] = "parley.reaction";
	return n;
}

static void get_notifications(struct request *rq, struct response *rs)
{
	const char *types[TYPES_MAX], *exclude[TYPES_MAX];
	struct notification_query q;
	struct note_ctx c;
	struct page pg;
	const char *from = params_get_nonempty(&rq->query, "account_id");

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "Bad pagination parameters");
		return;
	}
	memset(&q, 0, sizeof q);
	q.account_id = rq->viewer.account.id;
	q.max_id = pg.max_id;
	q.since_id = pg.since_id;
	q.min_id = pg.min_id;
	q.limit = timeline_limit(pg.limit, 40, 80);
	q.ntypes = types_param(rq, "types", types);
	q.types = types;
	q.nexclude = types_param(rq, "exclude_types", exclude);
	q.exclude = exclude;
	if (from && id_parse(from, &q.from_account_id) < 0) {
		resp_json(rs, 200, json_array());
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	mrender_set_filter_context(&c.m, FILTER_CTX_NOTIFICATIONS);
	c.arr = json_array();
	if (store_notification_list(&q, add_note, &c) != STORE_OK) {
		mrender_release(&c.m);
		json_decref(c.arr);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	mrender_release(&c.m);
	page_link(rq, rs, c.first, c.last);
	resp_json(rs, 200, c.arr);
}

static int note_id(struct request *rq, struct response *rs, int64_t *id)
{
	const char *s = req_param(rq, "id");

	if (!s || id_parse(s, id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void get_notification(struct request *rq, struct response *rs)
{
	struct notification_row n;
	struct mrender m;
	json_t *j = NULL;
	int64_t id;

	if (note_id(rq, rs, &id) < 0)
		return;
	if (store_notification_get(rq->viewer.account.id, id, &n) == STORE_OK) {
		mrender_init(&m, rq);
		mrender_set_filter_context(&m, FILTER_CTX_NOTIFICATIONS);
		j = mrender_notification(&m, &n);
		mrender_release(&m);
	}
	if (!j) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	resp_json(rs, 200, j);
}

static void post_dismiss(struct request *rq, struct response *rs)
{
	int64_t id;

	if (note_id(rq, rs, &id) < 0)
		return;
	switch (store_notification_dismiss(rq->viewer.account.id, id)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		http_error(rq, rs, 404, "Record not found");
		return;
	default:
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	resp_json(rs, 200, json_object());
}

static void post_clear(struct request *rq, struct response *rs)
{
	if (store_notification_clear(rq->viewer.account.id) != STORE_OK) {
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	resp_json(rs, 200, json_object());
}

struct unread_ctx {
	struct mrender m;
	int64_t n;
};

/* Count what the list would show: the same rendering rules (a hidden
 * account, an unreadable post) decide, so the count leaks nothing. */
static void count_note(const struct notification_row *n, void *ctx)
{
	struct unread_ctx *c = ctx;
	json_t *j = mrender_notification(&c->m, n);

	if (j) {
		c->n++;
		json_decref(j);
	}
}

static void get_unread_count(struct request *rq, struct response *rs)
{
	struct notification_query q;
	struct marker_row mk;
	struct unread_ctx c;
	const char *l = params_get_nonempty(&rq->query, "limit");

	memset(&q, 0, sizeof q);
	q.account_id = rq->viewer.account.id;
	if (store_marker_get(rq->viewer.account.id, "notifications", &mk) == STORE_OK)
		q.since_id = mk.last_read_id;
	/* Mastodon counts up to `limit` (default 100, at most 1000) */
	q.limit = timeline_limit(l ? strtol(l, NULL, 10) : 0, 100, 1000);
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	mrender_set_filter_context(&c.m, FILTER_CTX_NOTIFICATIONS);
	if (store_notification_list(&q, count_note, &c) != STORE_OK) {
		mrender_release(&c.m);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	mrender_release(&c.m);
	resp_json(rs, 200, json_pack("{s:I}", "count", (json_int_t)c.n));
}

/* ---- markers -------------------------------------------------------- */

static json_t *marker_json(const struct marker_row *mk)
{
	char id[24];

	return json_pack("{s:s, s:I, s:o}", "last_read_id", id_format(id, sizeof id, mk->last_read_id),
			 "version", (json_int_t)mk->version, "updated_at", mastodon_date(mk->updated_at));
}

static void get_markers(struct request *rq, struct response *rs)
{
	const char *tl[2];
	size_t n = params_get_array(&rq->query, "timeline", tl, 2), i;
	json_t *j = json_object();

	for (i = 0; i < n; i++) {
		struct marker_row mk;

		if ((!strcmp(tl[i], "home") || !strcmp(tl[i], "notifications")) &&
		    store_marker_get(rq->viewer.account.id, tl[i], &mk) == STORE_OK)
			json_object_set_new(j, tl[i], marker_json(&mk));
	}
	resp_json(rs, 200, j);
}

static void post_markers(struct request *rq, struct response *rs)
{
	static const char *const names[] = { "home", "notifications" };
	json_t *j = json_object();
	size_t i;

	for (i = 0; i < 2; i++) {
		char key[48];
		const char *v;
		int64_t id;
		struct marker_row mk;

		snprintf(key, sizeof key, "%s[last_read_id]", names[i]);
		v = req_arg(rq, key);
		if (!v)
			continue;
		if (id_parse(v, &id) < 0) {
			json_decref(j);
			http_error(rq, rs, 422, "last_read_id must be an id");
			return;
		}
		if (store_marker_set(rq->viewer.account.id, names[i], id, time_now_ms()) != STORE_OK ||
		    store_marker_get(rq->viewer.account.id, names[i], &mk) != STORE_OK) {
			json_decref(j);
			http_error(rq, rs, 500, "Storage error");
			return;
		}
		json_object_set_new(j, names[i], marker_json(&mk));
	}
	resp_json(rs, 200, j);
}

/* ---- preferences ---------------------------------------------------- */

static void pref_into(const char *type, int enabled, void *ctx)
{
	if (json_object_get((json_t *)ctx, type))
		json_object_set_new((json_t *)ctx, type, json_boolean(enabled));
}

static void answer_prefs(struct request *rq, struct response *rs)
{
	json_t *j = json_object();
	size_t i;

	for (i = 0; notify_types[i]; i++)
		json_object_set_new(j, notify_types[i], json_true());
	store_notification_prefs(rq->viewer.account.id, pref_into, j);
	resp_json(rs, 200, j);
}

static void get_prefs(struct request *rq, struct response *rs)
{
	answer_prefs(rq, rs);
}

static void put_prefs(struct request *rq, struct response *rs)
{
	size_t i;

	for (i = 0; i < rq->form.n; i++) {
		const char *k = rq->form.items[i].key;
		int b = params_get_bool(&rq->form, k, -1);

		if (!notify_type_known(k)) {
			char err[160];

			snprintf(err, sizeof err, "Unknown notification type: %.100s", k);
			http_error(rq, rs, 422, err);
			return;
		}
		if (b < 0) {
			http_error(rq, rs, 422, "Each preference must be true or false");
			return;
		}
	}
	for (i = 0; i < rq->form.n; i++) {
		const char *k = rq->form.items[i].key;

		if (store_notification_pref_set(rq->viewer.account.id, k,
						params_get_bool(&rq->form, k, 1)) != STORE_OK) {
			http_error(rq, rs, 500, "Storage error");
			return;
		}
	}
	answer_prefs(rq, rs);
}

/* ---- tags ----------------------------------------------------------- */

static void answer_tag(struct request *rq, struct response *rs, const char *name)
{
	struct mrender m;
	char display[128];
	int64_t id = 0;

	if (!tag_name_valid(name)) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	if (store_tag_find(name, &id, display, sizeof display) != STORE_OK)
		snprintf(display, sizeof display, "%s", name);
	mrender_init(&m, rq);
	resp_json(rs, 200, mrender_tag(&m, display, id));
	mrender_release(&m);
}

static void get_tag(struct request *rq, struct response *rs)
{
	answer_tag(rq, rs, req_param(rq, "name"));
}

static void tag_action(struct request *rq, struct response *rs, int on)
{
	char err[256] = "";
	const char *name = req_param(rq, "name");
	enum mresult r = tag_follow(&rq->viewer, name, on, err, sizeof err);

	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	answer_tag(rq, rs, name);
}

static void post_tag_follow(struct request *rq, struct response *rs) { tag_action(rq, rs, 1); }
static void post_tag_unfollow(struct request *rq, struct response *rs) { tag_action(rq, rs, 0); }

struct tags_ctx {
	struct mrender m;
	json_t *arr;
	int64_t first, last;
};

static void add_followed(int64_t row_id, const char *name, void *ctx)
{
	struct tags_ctx *c = ctx;
	int64_t id = 0;

	if (!c->first)
		c->first = row_id;
	c->last = row_id;
	store_tag_find(name, &id, NULL, 0);
	json_array_append_new(c->arr, mrender_tag(&c->m, name, id));
}

static void get_followed_tags(struct request *rq, struct response *rs)
{
	struct tags_ctx c;
	struct page pg;

	if (page_parse(rq, &pg) < 0) {
		http_error(rq, rs, 400, "Bad pagination parameters");
		return;
	}
	memset(&c, 0, sizeof c);
	mrender_init(&c.m, rq);
	c.arr = json_array();
	store_tag_follow_list(rq->viewer.account.id, pg.max_id, timeline_limit(pg.limit, 100, 200),
			      add_followed, &c);
	mrender_release(&c.m);
	page_link(rq, rs, c.first, c.last);
	resp_json(rs, 200, c.arr);
}

void mastodon_notifications_routes(void)
{
	const unsigned W = ROUTE_API | ROUTE_AUTH;

	router_add("GET", "/api/v1/notifications", get_notifications, W, "read:notifications");
	router_add("GET", "/api/v1/notifications/unread_count", get_unread_count, W, "read:notifications");
	router_add("POST", "/api/v1/notifications/clear", post_clear, W, "write:notifications");
	router_add("GET", "/api/v1/notifications/:id", get_notification, W, "read:notifications");
	router_add("POST", "/api/v1/notifications/:id/dismiss", post_dismiss, W, "write:notifications");
	router_add("GET", "/api/v1/markers", get_markers, W, "read:statuses");
	router_add("POST", "/api/v1/markers", post_markers, W, "write:statuses");
	router_add("GET", "/api/parley/v1/notifications/preferences", get_prefs, W, "read:notifications");
	router_add("PUT", "/api/parley/v1/notifications/preferences", put_prefs, W, "write:notifications");
	router_add("GET", "/api/v1/tags/:name", get_tag, ROUTE_API, "read:statuses");
	router_add("POST", "/api/v1/tags/:name/follow", post_tag_follow, W, "write:follows|follow");
	router_add("POST", "/api/v1/tags/:name/unfollow", post_tag_unfollow, W, "write:follows|follow");
	router_add("GET", "/api/v1/followed_tags", get_followed_tags, W, "read:follows|follow");
}
