/*
 * queue.c - the listeners' queue pages (issue 7): /queue (the views
 * unassigned ... all as tabs, an optional ?space=handle filter, "Older"
 * paging by max_id), /queue/:id (one item and the history of its
 * actions), and the small forms behind the actions: assign (by username,
 * or to oneself), unassign, snooze, close and reopen.
 *
 * Thin: who may open the queue and see an item, and every action, are
 * model/queue.c's (403 for non-listeners, 404 for an item they may not
 * see). Excerpts and links only come from posts the viewer may read.
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/buf.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/question.h"
#include "model/queue.h"
#include "model/space.h"
#include "web/page.h"
#include "web/post_view.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXCERPT_MAX 160

static const char *const view_names[] = { "unassigned", "assigned", "mine", "overdue",
					  "awaiting", "mentions", "closed", "all" };
static const char *const view_labels[] = { "Unassigned", "Assigned", "Mine", "Overdue",
					   "Awaiting", "Mentions", "Closed", "All" };
#define NVIEWS (sizeof view_names / sizeof view_names[0])

/* The first EXCERPT_MAX bytes of s, cut at a character boundary, with
 * line breaks as spaces and "…" when cut. New reference. */
static json_t *excerpt(const char *s)
{
	struct buf b = BUF_INIT;
	size_t n = s ? strlen(s) : 0, i, cut = n;
	json_t *j;

	if (n > EXCERPT_MAX) {
		cut = EXCERPT_MAX;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
	}
	for (i = 0; i < cut; i++)
		buf_putc(&b, s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i]);
	if (cut < n)
		buf_puts(&b, "…");
	j = json_string(buf_str(&b));
	buf_release(&b);
	return j ? j : json_string("");
}

static json_t *account_ctx(int64_t id)
{
	struct account_row a;

	if (!id || store_account_get(id, &a) != STORE_OK)
		return json_null();
	return json_pack("{s:s, s:s}", "username", a.username,
			 "display_name", a.display_name[0] ? a.display_name : a.username);
}

/* The template context of one item (the viewer may see it: the model's
 * list and get only give those). */
static json_t *item_ctx(struct request *rq, const struct queue_item_row *it)
{
	char id[24], path[160], err[80];
	struct question_view qv;
	struct post_row p;
	json_t *j = json_object();
	int64_t now = time_now_ms();

	json_object_set_new(j, "id", json_string(id_format(id, sizeof id, it->id)));
	json_object_set_new(j, "kind", json_string(it->kind));
	json_object_set_new(j, "open", json_boolean(!strcmp(it->state, "open")));
	json_object_set_new(j, "state", json_string(it->state));
	if (it->space_id) {
		struct space_view sv;

		if (space_lookup_id(&rq->viewer, it->space_id, &sv) == M_OK)
			json_object_set_new(j, "space", json_pack("{s:s, s:s}", "handle", sv.s.handle,
								  "name", sv.s.name));
	}
	json_object_set_new(j, "assignee", account_ctx(it->assignee_id));
	json_object_set_new(j, "assigned_at", page_time(it->assigned_at));
	if (it->snoozed_until > now)
		json_object_set_new(j, "snoozed_until", page_time(it->snoozed_until));
	if (it->matched[0])
		json_object_set_new(j, "matched", json_string(it->matched));
	if (it->close_reason[0])
		json_object_set_new(j, "close_reason", json_string(it->close_reason));
	json_object_set_new(j, "created", page_time(it->created_at));
	if (!strcmp(it->kind, "question") &&
	    question_lookup(&rq->viewer, it->post_id, &qv, err, sizeof err) == M_OK) {
		snprintf(path, sizeof path, "/questions/%lld", (long long)it->post_id);
		json_object_set_new(j, "link", json_string(path));
		json_object_set_new(j, "excerpt", excerpt(qv.q.title));
		if (qv.q.due_at)
			json_object_set_new(j, "due", page_time(qv.q.due_at));
		json_object_set_new(j, "overdue", json_boolean(queue_question_overdue(qv.q.state, qv.q.due_at,
									      qv.q.escalation_level, now)));
		question_view_release(&qv);
	} else if (audience_read_post(&rq->viewer, it->post_id, &p) == M_OK) {
		struct account_row a;

		if (store_account_get(p.account_id, &a) == STORE_OK)
			json_object_set_new(j, "link", json_string(web_post_path(path, sizeof path, a.username, p.id)));
		json_object_set_new(j, "excerpt", excerpt(p.title && p.title[0] ? p.title : p.source));
		post_row_release(&p);
	}
	return j;
}

/* ---- the list ------------------------------------------------------------ */

struct list_ctx {
	struct request *rq;
	json_t *arr;
	int n;
};

static void add_item(const struct queue_item_row *it, void *ctx)
{
	struct list_ctx *c = ctx;

	json_array_append_new(c->arr, item_ctx(c->rq, it));
	c->n++;
}

static void get_queue(struct request *rq, struct response *rs)
{
	const char *view = params_get_nonempty(&rq->query, "view");
	const char *space = params_get_nonempty(&rq->query, "space");
	const char *max = params_get_nonempty(&rq->query, "max_id");
	struct queue_list_request q;
	struct list_ctx c = { rq, NULL, 0 };
	struct space_view sv;
	struct buf more = BUF_INIT, here = BUF_INIT;
	char err[200] = "";
	json_t *ctx, *tabs;
	int64_t last = 0;
	enum mresult r;
	int vi;
	size_t i;

	if (!queue_may_open(&rq->viewer)) {
		http_error(rq, rs, 403, "Only listeners have a queue");
		return;
	}
	vi = queue_view_parse(view ? view : "all");
	if (vi < 0) {
		http_error(rq, rs, 404, "There is no such view of the queue");
		return;
	}
	memset(&q, 0, sizeof q);
	q.view = (enum queue_view)vi;
	q.limit = QUEUE_LIMIT_DEFAULT;
	if (max && id_parse(max, &q.max_id) < 0)
		q.max_id = 0;
	if (space) {
		if (space_lookup(&rq->viewer, space, &sv) != M_OK) {
			http_error(rq, rs, 404, "There is no such space, or it is not for you");
			return;
		}
		q.space_id = sv.s.id;
	}
	c.arr = json_array();
	r = queue_list(&rq->viewer, &q, add_item, &c, &last, err, sizeof err);
	if (r != M_OK) {
		json_decref(c.arr);
		http_error(rq, rs, http_status_for(r), err[0] ? err : "Storage error");
		return;
	}
	tabs = json_array();
	for (i = 0; i < NVIEWS; i++) {
		struct buf href = BUF_INIT;

		buf_printf(&href, "/queue?view=%s", view_names[i]);
		if (space) {
			buf_puts(&href, "&space=");
			url_encode(&href, space);
		}
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:b}", "href", buf_str(&href),
						      "label", view_labels[i], "selected", (int)i == vi));
		buf_release(&href);
	}
	buf_printf(&here, "/queue?view=%s", view_names[vi]);
	if (space) {
		buf_puts(&here, "&space=");
		url_encode(&here, space);
	}
	if (c.n == q.limit && last)
		buf_printf(&more, "%s&max_id=%lld", buf_str(&here), (long long)last);
	ctx = json_pack("{s:o, s:o, s:b, s:s, s:s}", "items", c.arr, "tabs", tabs, "empty", c.n == 0,
			"view_label", view_labels[vi], "here", buf_str(&here));
	if (more.len)
		json_object_set_new(ctx, "more", json_string(buf_str(&more)));
	if (space)
		json_object_set_new(ctx, "filter_space", json_pack("{s:s, s:s}", "handle", sv.s.handle,
								   "name", sv.s.name));
	buf_release(&more);
	buf_release(&here);
	page_render(rq, rs, 200, "queue", "Queue", ctx);
}

/* ---- one item -------------------------------------------------------------- */

static int path_id(struct request *rq, struct response *rs, int64_t *id)
{
	const char *s = req_param(rq, "id");

	if (!s || id_parse(s, id) < 0) {
		http_error(rq, rs, 404, "There is no such queue item, or it is not for you");
		return -1;
	}
	return 0;
}

static void add_action(const struct queue_action_row *a, void *ctx)
{
	json_t *who = account_ctx(a->actor_id);

	json_array_append_new(ctx, json_pack("{s:o, s:s, s:s, s:o}", "actor", who, "action", a->action,
					     "detail", a->detail, "time", page_time(a->created_at)));
}

static void get_item(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	char err[200] = "";
	json_t *ctx, *actions;
	int64_t id;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	r = queue_get(&rq->viewer, id, &it, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err[0] ? err : "Storage error");
		return;
	}
	actions = json_array();
	if (queue_actions(&rq->viewer, id, add_action, actions, err, sizeof err) != M_OK) {
		json_decref(actions);
		http_error(rq, rs, 500, "Could not read the history");
		return;
	}
	ctx = json_pack("{s:o, s:o}", "item", item_ctx(rq, &it), "actions", actions);
	page_render(rq, rs, 200, "queue_item", "Queue item", ctx);
}

/* ---- actions ----------------------------------------------------------------- */

/* Back to the page the form was on (a local "next"), else to the item. */
static void done(struct request *rq, struct response *rs, int64_t id, enum mresult r, const char *err,
		 const char *ok)
{
	const char *next = req_arg(rq, "next");
	char path[64];

	if (r == M_FORBIDDEN || r == M_NOTFOUND) {
		http_error(rq, rs, http_status_for(r), err[0] ? err : "Not allowed");
		return;
	}
	snprintf(path, sizeof path, "/queue/%lld", (long long)id);
	page_redirect(rq, rs, next && next[0] ? page_safe_next(next) : path,
		      r == M_OK ? ok : (err[0] ? err : "That did not work"));
}

static void post_assign(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	const char *user = req_arg(rq, "username");
	char err[200] = "";
	int64_t id, acc;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (req_arg(rq, "me")) {
		acc = rq->viewer.account.id;
	} else {
		struct account_row a;

		if (user && user[0] == '@')
			user++;
		if (!user || !user[0] || store_account_by_username(user, &a) != STORE_OK) {
			/* only a listener learns that the name is unknown */
			r = queue_get(&rq->viewer, id, &it, err, sizeof err);
			done(rq, rs, id, r == M_OK ? M_INVALID : r, r == M_OK ? "There is no such person" : err, "");
			return;
		}
		acc = a.id;
	}
	r = queue_assign(&rq->viewer, id, acc, &it, err, sizeof err);
	done(rq, rs, id, r, err, "Assigned.");
}

static void post_unassign(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	char err[200] = "";
	int64_t id;

	if (path_id(rq, rs, &id) == 0)
		done(rq, rs, id, queue_unassign(&rq->viewer, id, &it, err, sizeof err), err, "Unassigned.");
}

static void post_snooze(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	const char *m = req_arg(rq, "minutes");
	char err[200] = "", *end = NULL;
	int64_t id;
	long minutes = 0;
	enum mresult r;

	if (path_id(rq, rs, &id) < 0)
		return;
	if (m) {
		errno = 0;
		minutes = strtol(m, &end, 10);
		if (errno || end == m || *end)
			minutes = 0;
	}
	if (minutes < 1 || minutes > 60L * 24 * 365) {
		r = queue_get(&rq->viewer, id, &it, err, sizeof err);
		done(rq, rs, id, r == M_OK ? M_INVALID : r, r == M_OK ? "Choose how long to snooze" : err, "");
		return;
	}
	r = queue_snooze(&rq->viewer, id, time_now_ms() + (int64_t)minutes * 60000, &it, err, sizeof err);
	done(rq, rs, id, r, err, "Snoozed.");
}

static void post_close(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	char err[200] = "";
	int64_t id;

	if (path_id(rq, rs, &id) == 0)
		done(rq, rs, id, queue_close(&rq->viewer, id, req_arg(rq, "reason"), &it, err, sizeof err), err,
		     "Closed.");
}

static void post_reopen(struct request *rq, struct response *rs)
{
	struct queue_item_row it;
	char err[200] = "";
	int64_t id;

	if (path_id(rq, rs, &id) == 0)
		done(rq, rs, id, queue_reopen(&rq->viewer, id, &it, err, sizeof err), err, "Reopened.");
}

void web_queue_routes(void)
{
	router_add("GET", "/queue", get_queue, ROUTE_AUTH, NULL);
	router_add("GET", "/queue/:id", get_item, ROUTE_AUTH, NULL);
	router_add("POST", "/queue/:id/assign", post_assign, ROUTE_AUTH, NULL);
	router_add("POST", "/queue/:id/unassign", post_unassign, ROUTE_AUTH, NULL);
	router_add("POST", "/queue/:id/snooze", post_snooze, ROUTE_AUTH, NULL);
	router_add("POST", "/queue/:id/close", post_close, ROUTE_AUTH, NULL);
	router_add("POST", "/queue/:id/reopen", post_reopen, ROUTE_AUTH, NULL);
}
