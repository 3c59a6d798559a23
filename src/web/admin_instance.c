/*
 * admin_instance.c - the administration page about the instance itself:
 * its description, rules and contact (model/instance.h), and the
 * announcements everyone signed in sees (model/announcement.h).
 *
 *   GET  /admin/instance
 *   POST /admin/instance                      save description, rules, contact
 *   POST /admin/announcements                 create
 *   POST /admin/announcements/:id             edit (every field of the form)
 *   POST /admin/announcements/:id/delete
 *
 * Times in the forms are HTML datetime-local values, taken as UTC.
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/announcement.h"
#include "model/instance.h"
#include "web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "2026-01-02T03:04" for a datetime-local field ("" for 0). */
static json_t *local_time(int64_t ms)
{
	char iso[32];

	if (!ms)
		return json_string("");
	time_format_iso(iso, sizeof iso, ms);
	iso[16] = '\0';
	return json_string(iso);
}

static void add_announcement(const struct announcement_row *a, int dismissed, void *ctx)
{
	json_t *arr = ctx;
	int64_t now = time_now_ms();
	char id[24];

	(void)dismissed;
	json_array_append_new(arr, json_pack(
		"{s:s, s:s, s:s, s:b, s:b, s:b, s:o, s:o, s:o, s:o}",
		"id", id_format(id, sizeof id, a->id), "text", a->text, "content", a->content,
		"published", a->published, "all_day", a->all_day,
		"ended", a->ends_at && a->ends_at <= now,
		"starts", page_time(a->starts_at), "ends", page_time(a->ends_at),
		"starts_local", local_time(a->starts_at), "ends_local", local_time(a->ends_at)));
}

static void render_page(struct request *rq, struct response *rs, int status, const char *error)
{
	struct instance_info *info = malloc(sizeof *info);
	json_t *anns = json_array(), *ctx;

	if (!info || instance_info_get(info) != M_OK) {
		free(info);
		json_decref(anns);
		http_error(rq, rs, 500, "Storage error");
		return;
	}
	store_announcement_list(0, 0, 0, 1, add_announcement, anns);
	ctx = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s?}",
			"description", info->description, "extended", info->extended,
			"rules", info->rules, "contact_email", info->contact_email,
			"announcements", anns, "error", error);
	free(info);
	page_render(rq, rs, status, "admin_instance", "About this instance", ctx);
}

static void get_instance(struct request *rq, struct response *rs)
{
	render_page(rq, rs, 200, NULL);
}

static void post_instance(struct request *rq, struct response *rs)
{
	char err[200] = "";
	enum mresult r = instance_info_set(req_arg(rq, "description"), req_arg(rq, "extended"),
					   req_arg(rq, "rules"), req_arg(rq, "contact_email"),
					   err, sizeof err);

	if (r != M_OK) {
		render_page(rq, rs, http_status_for(r), err);
		return;
	}
	page_redirect(rq, rs, "/admin/instance", "The description is saved.");
}

/* A datetime-local field: "" is none (0); -2 when it is not a time. */
static int64_t form_time(const struct request *rq, const char *key)
{
	const char *v = req_arg(rq, key);
	int64_t ms;

	if (!v || !*v)
		return 0;
	return time_parse_iso_any(v, &ms) == 0 && ms >= 0 ? ms : -2;
}

/* The form's fields as a complete input (unchecked boxes are absent). */
static int read_form(const struct request *rq, struct announcement_input *in)
{
	memset(in, 0, sizeof *in);
	in->base_url = rq->cfg->base_url;
	in->text = req_arg(rq, "text");
	in->starts_at = form_time(rq, "starts_at");
	in->ends_at = form_time(rq, "ends_at");
	in->all_day = params_get_bool(&rq->form, "all_day", 0) == 1;
	in->published = params_get_bool(&rq->form, "published", 0) == 1;
	return in->starts_at == -2 || in->ends_at == -2 ? -1 : 0;
}

static void post_announcement(struct request *rq, struct response *rs)
{
	struct announcement_input in;
	struct announcement_row a;
	char err[200] = "";
	enum mresult r;

	if (read_form(rq, &in) < 0) {
		render_page(rq, rs, 422, "Start and end must be dates and times");
		return;
	}
	r = announcement_create(&rq->viewer, &in, &a, err, sizeof err);
	if (r != M_OK) {
		render_page(rq, rs, http_status_for(r), err);
		return;
	}
	announcement_row_release(&a);
	page_redirect(rq, rs, "/admin/instance#announcements", "The announcement is saved.");
}

static void post_announcement_edit(struct request *rq, struct response *rs)
{
	struct announcement_input in;
	struct announcement_row a;
	char err[200] = "";
	int64_t id;
	enum mresult r;

	if (id_parse(req_param(rq, "id"), &id) < 0) {
		http_error(rq, rs, 404, "No such announcement");
		return;
	}
	if (read_form(rq, &in) < 0) {
		render_page(rq, rs, 422, "Start and end must be dates and times");
		return;
	}
	r = announcement_update(id, &in, &a, err, sizeof err);
	if (r != M_OK) {
		render_page(rq, rs, http_status_for(r), err);
		return;
	}
	announcement_row_release(&a);
	page_redirect(rq, rs, "/admin/instance#announcements", "The announcement is saved.");
}

static void post_announcement_delete(struct request *rq, struct response *rs)
{
	int64_t id;

	if (id_parse(req_param(rq, "id"), &id) < 0 || announcement_delete(id) != M_OK) {
		http_error(rq, rs, 404, "No such announcement");
		return;
	}
	page_redirect(rq, rs, "/admin/instance#announcements", "The announcement is deleted.");
}

void web_admin_instance_routes(void)
{
	const unsigned A = ROUTE_AUTH | ROUTE_ADMIN;

	router_add("GET", "/admin/instance", get_instance, A, NULL);
	router_add("POST", "/admin/instance", post_instance, A, NULL);
	router_add("POST", "/admin/announcements", post_announcement, A, NULL);
	router_add("POST", "/admin/announcements/:id", post_announcement_edit, A, NULL);
	router_add("POST", "/admin/announcements/:id/delete", post_announcement_delete, A, NULL);
}
