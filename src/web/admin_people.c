/*
 * admin_people.c - administration of people (admins only):
 *
 *   GET  /admin/people                          import form, exports, skills, profile fields
 *   POST /admin/people/import                   CSV upload (multipart "file"), dry_run=1 to try
 *   POST /admin/people/skills                   add a skill {name, aliases (comma-separated)}
 *   POST /admin/people/skills/:id/alias         add an alias {alias}
 *   POST /admin/people/skills/:id/rename        {name}
 *   POST /admin/people/skills/:id/merge         {into: a skill name}
 *   POST /admin/people/skills/:id/delete
 *   POST /admin/people/fields                   add a profile field {name, kind, choices, visibility}
 *   POST /admin/people/fields/:id/delete
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "model/people.h"
#include "model/people_import.h"
#include "web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void alias_into(const char *alias, void *ctx)
{
	json_array_append_new((json_t *)ctx, json_string(alias));
}

static void add_skill(const struct skill_row *s, void *ctx)
{
	json_t *aliases = json_array();
	char id[24];

	store_skill_aliases(s->id, alias_into, aliases);
	json_array_append_new((json_t *)ctx, json_pack("{s:s, s:s, s:I, s:o}", "id", id_format(id, sizeof id, s->id),
						       "name", s->name, "people", (json_int_t)s->people,
						       "aliases", aliases));
}

static void add_field(const struct field_def_row *d, void *ctx)
{
	char id[24];
	struct buf ch = BUF_INIT;
	const char *c;

	for (c = d->choices; *c; c++)
		buf_putc(&ch, *c == '\n' ? ',' : *c);
	json_array_append_new((json_t *)ctx, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id",
		id_format(id, sizeof id, d->id), "name", d->name, "kind", d->kind, "choices", buf_str(&ch),
		"visibility", people_vis_name(d->visibility)));
	buf_release(&ch);
}

static void render(struct request *rq, struct response *rs, int status, const char *error, json_t *report)
{
	json_t *skills = json_array(), *fields = json_array(), *ctx;

	store_skill_list("", 500, add_skill, skills);
	store_field_defs(add_field, fields);
	ctx = json_pack("{s:o, s:o, s:s?}", "skills", skills, "fields", fields, "error", error);
	if (report)
		json_object_set_new(ctx, "report", report);
	page_render(rq, rs, status, "admin_people", "People administration", ctx);
}

static void get_page(struct request *rq, struct response *rs)
{
	render(rq, rs, 200, NULL, NULL);
}

static void post_import(struct request *rq, struct response *rs)
{
	const struct upload *u = NULL;
	struct import_report rep;
	char err[300] = "";
	json_t *report, *rows;
	size_t i;
	int dry = params_get_bool(&rq->form, "dry_run", 0) == 1;

	for (i = 0; i < rq->nuploads; i++)
		if (!strcmp(rq->uploads[i].field, "file"))
			u = &rq->uploads[i];
	if (!u || !u->data.len) {
		render(rq, rs, 422, "Choose the CSV file to import", NULL);
		return;
	}
	if (people_import_csv(u->data.data, u->data.len, rq->viewer.account.id, dry, &rep, err, sizeof err) != M_OK) {
		import_report_release(&rep);
		render(rq, rs, 422, err, NULL);
		return;
	}
	rows = json_array();
	for (i = 0; i < rep.nrows; i++) {
		const struct import_row *r = &rep.rows[i];

		json_array_append_new(rows, json_pack("{s:i, s:s, s:s, s:s, s:s, s:b}", "line", r->line, "email", r->email,
			"username", r->username, "result", import_action_name(r->action),
			"reason", r->action == IMPORT_REFUSED ? r->reason : "", "refused", r->action == IMPORT_REFUSED));
	}
	report = json_pack("{s:b, s:I, s:I, s:I, s:s, s:o}", "dry_run", dry, "created", (json_int_t)rep.created,
			   "updated", (json_int_t)rep.updated, "refused", (json_int_t)rep.refused,
			   "ignored", rep.ignored_columns, "rows", rows);
	import_report_release(&rep);
	render(rq, rs, 200, NULL, report);
}

static int path_skill(struct request *rq, struct response *rs, int64_t *id)
{
	if (id_parse(req_param(rq, "id"), id) < 0) {
		http_error(rq, rs, 404, "No such skill");
		return -1;
	}
	return 0;
}

static void done(struct request *rq, struct response *rs, enum mresult r, const char *err, const char *ok)
{
	if (r != M_OK) {
		render(rq, rs, http_status_for(r), err[0] ? err : "That did not work", NULL);
		return;
	}
	page_redirect(rq, rs, "/admin/people#skills", ok);
}

static void post_skill(struct request *rq, struct response *rs)
{
	const char *al = params_get(&rq->form, "aliases");
	char copy[1024], *aliases[20];
	size_t n = 0;
	char err[300] = "";
	struct skill_row s;
	char *p;

	snprintf(copy, sizeof copy, "%s", al ? al : "");
	for (p = copy; *p && n < 20; ) {
		size_t l = strcspn(p, ",");
		char *e = p + l;
		int last = !*e;

		*e = '\0';
		while (*p == ' ')
			p++;
		if (*p)
			aliases[n++] = p;
		if (last)
			break;
		p = e + 1;
	}
	done(rq, rs, people_skill_create(&rq->viewer, params_get(&rq->form, "name"), (const char *const *)aliases, n,
					 &s, err, sizeof err), err, "Skill added.");
}

static void post_alias(struct request *rq, struct response *rs)
{
	char err[300] = "";
	int64_t id;

	if (path_skill(rq, rs, &id) == 0)
		done(rq, rs, people_skill_alias(&rq->viewer, id, params_get(&rq->form, "alias"), 1, err, sizeof err),
		     err, "Alias added.");
}

static void post_rename(struct request *rq, struct response *rs)
{
	char err[300] = "";
	int64_t id;

	if (path_skill(rq, rs, &id) == 0)
		done(rq, rs, people_skill_rename(&rq->viewer, id, params_get(&rq->form, "name"), err, sizeof err),
		     err, "Skill renamed.");
}

static void post_merge(struct request *rq, struct response *rs)
{
	char err[300] = "";
	struct skill_row into;
	int64_t id;

	if (path_skill(rq, rs, &id) < 0)
		return;
	if (people_skill_lookup(params_get(&rq->form, "into"), &into) != M_OK) {
		render(rq, rs, 422, "Merge into an existing skill (its exact name)", NULL);
		return;
	}
	done(rq, rs, people_skill_merge(&rq->viewer, id, into.id, err, sizeof err), err, "Skills merged.");
}

static void post_delete(struct request *rq, struct response *rs)
{
	char err[300] = "";
	int64_t id;

	if (path_skill(rq, rs, &id) == 0)
		done(rq, rs, people_skill_delete(&rq->viewer, id, err, sizeof err), err, "Skill deleted.");
}

static void post_field(struct request *rq, struct response *rs)
{
	char err[300] = "";
	struct field_def_row d;
	enum mresult r = people_field_def_save(&rq->viewer, 0, params_get(&rq->form, "name"),
					       params_get(&rq->form, "kind"), params_get(&rq->form, "choices"),
					       params_get(&rq->form, "visibility"), &d, err, sizeof err);

	if (r != M_OK) {
		render(rq, rs, http_status_for(r), err, NULL);
		return;
	}
	page_redirect(rq, rs, "/admin/people#fields", "Profile field added.");
}

static void post_field_delete(struct request *rq, struct response *rs)
{
	char err[300] = "";
	int64_t id;

	if (id_parse(req_param(rq, "id"), &id) < 0 ||
	    people_field_def_delete(&rq->viewer, id, err, sizeof err) != M_OK) {
		http_error(rq, rs, 404, "No such field");
		return;
	}
	page_redirect(rq, rs, "/admin/people#fields", "Profile field deleted.");
}

void web_admin_people_routes(void)
{
	const unsigned A = ROUTE_AUTH | ROUTE_ADMIN;

	router_add("GET", "/admin/people", get_page, A, NULL);
	router_add("POST", "/admin/people/import", post_import, A | ROUTE_UPLOAD | ROUTE_SLOW, NULL);
	router_add("POST", "/admin/people/skills", post_skill, A, NULL);
	router_add("POST", "/admin/people/skills/:id/alias", post_alias, A, NULL);
	router_add("POST", "/admin/people/skills/:id/rename", post_rename, A, NULL);
	router_add("POST", "/admin/people/skills/:id/merge", post_merge, A, NULL);
	router_add("POST", "/admin/people/skills/:id/delete", post_delete, A, NULL);
	router_add("POST", "/admin/people/fields", post_field, A, NULL);
	router_add("POST", "/admin/people/fields/:id/delete", post_field_delete, A, NULL);
}
