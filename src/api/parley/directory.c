/*
 * directory.c - /api/parley/v1 finder and administration endpoints:
 *
 *   GET    /directory?q=&knows=&department=&location=&language=&skill=&sort=&limit=&offset=
 *   GET    /directory/export?format=csv|json (+ the same filters)     staff
 *   GET    /skills?q=&limit=                   the vocabulary (typo-tolerant)
 *   GET    /profile_fields                      admin-defined fields
 *   POST   /admin/skills {name, aliases[]}      admins curate the vocabulary
 *   PATCH  /admin/skills/:id {name}
 *   POST   /admin/skills/:id/aliases {alias}, DELETE /admin/skills/:id/aliases/:alias
 *   POST   /admin/skills/:id/merge {into}
 *   DELETE /admin/skills/:id
 *   POST   /admin/profile_fields {name, kind, choices, visibility}
 *   PATCH  /admin/profile_fields/:id, DELETE /admin/profile_fields/:id
 *   POST   /admin/people/import (multipart "file", or a "csv" field) ?dry_run=true
 *
 * The directory answers an object (results, total, facets) rather than a
 * bare array, with a Link header (rel next / prev) paging by offset.
 */
#include "api/parley/parley.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "lib/id.h"
#include "model/people_import.h"
#include "model/people_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *arg(struct request *rq, const char *name)
{
	const char *v = req_arg(rq, name);

	return v && *v ? v : NULL;
}

/* A non-negative integer argument; def when absent; -1 when malformed. */
static long int_arg(struct request *rq, const char *name, long def)
{
	const char *v = arg(rq, name);
	char *end;
	long n;

	if (!v)
		return def;
	n = strtol(v, &end, 10);
	return *end || end == v || n < 0 ? -1 : n;
}

static void offset_link(struct request *rq, struct response *rs, long offset, long limit, int64_t total)
{
	struct buf b = BUF_INIT;
	const char *base = rq->cfg ? rq->cfg->base_url : "";
	int rel;

	for (rel = 0; rel < 2; rel++) {
		long to = rel == 0 ? offset + limit : offset - limit;
		size_t i;

		if ((rel == 0 && to >= total) || (rel == 1 && offset == 0))
			continue;
		if (to < 0)
			to = 0;
		if (b.len)
			buf_puts(&b, ", ");
		buf_printf(&b, "<%s%s?", base, rq->path);
		for (i = 0; i < rq->query.n; i++) {
			const struct param *q = &rq->query.items[i];

			if (!strcmp(q->key, "offset"))
				continue;
			url_encode(&b, q->key);
			buf_putc(&b, '=');
			url_encode(&b, q->value);
			buf_putc(&b, '&');
		}
		buf_printf(&b, "offset=%ld>; rel=\"%s\"", to, rel == 0 ? "next" : "prev");
	}
	if (b.len && !b.failed)
		resp_header(rs, "Link", buf_str(&b));
	buf_release(&b);
}

static const char *const facet_names[FACET_COUNT] = { "department", "location", "language", "skill" };

static int read_request(struct request *rq, struct response *rs, struct dir_request *r)
{
	const char *sort = arg(rq, "sort");
	long limit = int_arg(rq, "limit", DIR_LIMIT_DEFAULT), offset = int_arg(rq, "offset", 0);

	memset(r, 0, sizeof *r);
	r->q = arg(rq, "q");
	r->knows = arg(rq, "knows");
	r->department = arg(rq, "department");
	r->location = arg(rq, "location");
	r->language = arg(rq, "language");
	r->skill = arg(rq, "skill");
	if (sort && strcmp(sort, "name") && strcmp(sort, "relevance")) {
		http_error(rq, rs, 400, "sort must be relevance or name");
		return -1;
	}
	r->sort_name = sort && !strcmp(sort, "name");
	if (limit < 1 || limit > DIR_LIMIT_MAX || offset < 0 || offset > DIR_OFFSET_MAX) {
		http_error(rq, rs, 400, "limit must be 1 to 80 and offset at least 0");
		return -1;
	}
	r->limit = (int)limit;
	r->offset = (int)offset;
	r->facets = !arg(rq, "facets") || strcmp(arg(rq, "facets"), "false");
	return 0;
}

static void person_skills(const struct request *rq, int64_t account_id, json_t *p)
{
	struct profile_skill_row s[5];
	json_t *arr = json_array();
	int n = people_skills(account_id, 0, s, 5), i;

	(void)rq;
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:I}", "name", s[i].name,
						     "level", people_level_name(s[i].level),
						     "endorsements_count", (json_int_t)s[i].endorsements));
	json_object_set_new(p, "skills", arr);
}

static void get_directory(struct request *rq, struct response *rs)
{
	struct dir_request r;
	struct dir_result *res;
	char err[200], id[24];
	json_t *out, *people, *facets;
	size_t i, k;
	enum mresult mr;

	if (read_request(rq, rs, &r) < 0)
		return;
	mr = people_directory(&rq->viewer, &r, &res, err, sizeof err);
	if (mr != M_OK) {
		http_error(rq, rs, http_status_for(mr), err);
		return;
	}
	people = json_array();
	for (i = 0; i < res->nhits; i++) {
		const struct dir_hit *h = &res->hits[i];
		json_t *p = parley_person_by_id(rq, h->account_id);

		if (!p)
			continue;
		person_skills(rq, h->account_id, p);
		if (res->knows) {
			json_object_set_new(p, "score", json_real(h->score));
			json_object_set_new(p, "evidence", json_pack("{s:s?, s:I, s:f, s:I, s:I}",
				"level", h->ev.level ? people_level_name(h->ev.level) : NULL,
				"endorsements", (json_int_t)h->ev.endorsements,
				"endorsement_weight", h->ev.endorsement_weight,
				"posts", (json_int_t)h->ev.posts, "answers", (json_int_t)h->ev.answers));
		} else if (!r.sort_name && r.q) {
			json_object_set_new(p, "score", json_real(h->score));
		}
		json_array_append_new(people, p);
	}
	out = json_pack("{s:I, s:i, s:i, s:o}", "total", (json_int_t)res->total, "offset", r.offset,
			"limit", r.limit ? r.limit : DIR_LIMIT_DEFAULT, "people", people);
	if (res->skill_found)
		json_object_set_new(out, "skill", json_pack("{s:s, s:s, s:b}", "id",
			id_format(id, sizeof id, res->skill.id), "name", res->skill.name,
			"corrected", res->skill_corrected));
	else
		json_object_set_new(out, "skill", json_null());
	if (res->has_facets) {
		facets = json_object();
		for (k = 0; k < FACET_COUNT; k++) {
			json_t *arr = json_array();

			for (i = 0; i < res->nfacets[k]; i++) {
				json_t *f = json_pack("{s:s, s:I}", "value", res->facets[k][i].value,
						      "count", (json_int_t)res->facets[k][i].count);

				if (k == FACET_SKILL)
					json_object_set_new(f, "id", json_string(id_format(id, sizeof id,
											  res->facets[k][i].id)));
				json_array_append_new(arr, f);
			}
			json_object_set_new(facets, facet_names[k], arr);
		}
		json_object_set_new(out, "facets", facets);
	}
	offset_link(rq, rs, r.offset, r.limit, res->total);
	people_directory_free(res);
	resp_json(rs, 200, out);
}

/* ---- export ---------------------------------------------------------------------------- */

static void export_json_row(const struct profile_view *pv, const struct profile_skill_row *skills,
			    size_t nskills, const char *manager, void *ctx)
{
	struct { struct request *rq; json_t *arr; } *c = ctx;
	json_t *j = parley_profile(c->rq, pv, 0), *arr;
	size_t i;

	json_object_set_new(j, "manager_username", manager[0] ? json_string(manager) : json_null());
	arr = json_array();
	for (i = 0; i < nskills; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:I}", "name", skills[i].name,
						     "level", people_level_name(skills[i].level),
						     "endorsements_count", (json_int_t)skills[i].endorsements));
	json_object_set_new(j, "skills", arr);
	json_array_append_new(c->arr, j);
}

static void get_export(struct request *rq, struct response *rs)
{
	const char *format = arg(rq, "format");
	enum mresult r;

	if (format && strcmp(format, "csv") && strcmp(format, "json")) {
		http_error(rq, rs, 400, "format must be csv or json");
		return;
	}
	if (!format || !strcmp(format, "csv")) {
		buf_reset(&rs->body);
		r = people_export_csv(&rq->viewer, arg(rq, "q"), arg(rq, "department"), arg(rq, "location"),
				      arg(rq, "language"), arg(rq, "skill"), &rs->body);
		if (r != M_OK) {
			buf_reset(&rs->body);
			http_error(rq, rs, http_status_for(r), r == M_FORBIDDEN ? "Exports are for staff"
								       : "The export failed");
			return;
		}
		rs->status = 200;
		rs->content_type = "text/csv; charset=utf-8";
		resp_header(rs, "Content-Disposition", "attachment; filename=\"people.csv\"");
		return;
	} else {
		struct { struct request *rq; json_t *arr; } c = { rq, json_array() };

		r = people_export(&rq->viewer, arg(rq, "q"), arg(rq, "department"), arg(rq, "location"),
				  arg(rq, "language"), arg(rq, "skill"), export_json_row, &c);
		if (r != M_OK) {
			json_decref(c.arr);
			http_error(rq, rs, http_status_for(r), r == M_FORBIDDEN ? "Exports are for staff"
								       : "The export failed");
			return;
		}
		resp_json(rs, 200, c.arr);
	}
}

/* ---- the vocabulary --------------------------------------------------------------------- */

static void alias_into(const char *alias, void *ctx)
{
	json_array_append_new((json_t *)ctx, json_string(alias));
}

static json_t *skill_json(const struct skill_row *s)
{
	char id[24];
	json_t *aliases = json_array();

	store_skill_aliases(s->id, alias_into, aliases);
	return json_pack("{s:s, s:s, s:o, s:I}", "id", id_format(id, sizeof id, s->id), "name", s->name,
			 "aliases", aliases, "people_count", (json_int_t)s->people);
}

static void add_skill(const struct skill_row *s, void *ctx)
{
	json_array_append_new((json_t *)ctx, skill_json(s));
}

static void get_skills(struct request *rq, struct response *rs)
{
	const char *q = arg(rq, "q");
	long limit = int_arg(rq, "limit", 20);
	json_t *arr = json_array();

	if (limit < 1 || limit > 200) {
		json_decref(arr);
		http_error(rq, rs, 400, "limit must be 1 to 200");
		return;
	}
	store_skill_list(q ? q : "", (int)limit, add_skill, arr);
	if (q && json_array_size(arr) == 0) {
		/* nothing starts so: the nearest name within typo distance */
		struct skill_row s;
		int dist;

		if (people_skill_resolve(q, &s, &dist) == M_OK) {
			json_t *j = skill_json(&s);

			json_object_set_new(j, "corrected", json_boolean(dist > 0));
			json_array_append_new(arr, j);
		}
	}
	resp_json(rs, 200, arr);
}

static int path_skill(struct request *rq, struct response *rs, struct skill_row *s)
{
	if (people_skill_lookup(req_param(rq, "id"), s) != M_OK) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void answer_skill(struct request *rq, struct response *rs, int64_t id)
{
	struct skill_row s;

	if (store_skill_get(id, &s) != STORE_OK) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	resp_json(rs, 200, skill_json(&s));
}

static void post_admin_skill(struct request *rq, struct response *rs)
{
	const char *aliases[20];
	size_t n = params_get_array(&rq->form, "aliases", aliases, 20);
	struct skill_row s;
	char err[300] = "";
	enum mresult r = people_skill_create(&rq->viewer, arg(rq, "name"), aliases, n, &s, err, sizeof err);

	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	answer_skill(rq, rs, s.id);
}

static void patch_admin_skill(struct request *rq, struct response *rs)
{
	struct skill_row s;
	char err[300] = "";
	enum mresult r;

	if (path_skill(rq, rs, &s) < 0)
		return;
	r = people_skill_rename(&rq->viewer, s.id, arg(rq, "name"), err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	answer_skill(rq, rs, s.id);
}

static void alias_change(struct request *rq, struct response *rs, const char *alias, int add)
{
	struct skill_row s;
	char err[300] = "";
	enum mresult r;

	if (path_skill(rq, rs, &s) < 0)
		return;
	r = people_skill_alias(&rq->viewer, s.id, alias, add, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	answer_skill(rq, rs, s.id);
}

static void post_admin_alias(struct request *rq, struct response *rs)
{
	alias_change(rq, rs, arg(rq, "alias"), 1);
}

static void delete_admin_alias(struct request *rq, struct response *rs)
{
	alias_change(rq, rs, req_param(rq, "alias"), 0);
}

static void post_admin_merge(struct request *rq, struct response *rs)
{
	struct skill_row s, into;
	char err[300] = "";
	enum mresult r;

	if (path_skill(rq, rs, &s) < 0)
		return;
	if (people_skill_lookup(arg(rq, "into"), &into) != M_OK) {
		http_error(rq, rs, 422, "into must name an existing skill");
		return;
	}
	r = people_skill_merge(&rq->viewer, s.id, into.id, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	answer_skill(rq, rs, into.id);
}

static void delete_admin_skill(struct request *rq, struct response *rs)
{
	struct skill_row s;
	char err[300] = "";
	enum mresult r;

	if (path_skill(rq, rs, &s) < 0)
		return;
	r = people_skill_delete(&rq->viewer, s.id, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, json_object());
}

/* ---- profile fields ----------------------------------------------------------------- */

static json_t *field_json(const struct field_def_row *d)
{
	char id[24];
	json_t *choices = json_array();
	const char *c = d->choices;

	while (*c) {
		size_t l = strcspn(c, "\n");

		json_array_append_new(choices, json_stringn(c, l));
		c += l;
		if (*c)
			c++;
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:s}", "id", id_format(id, sizeof id, d->id), "name", d->name,
			 "kind", d->kind, "choices", choices, "visibility", people_vis_name(d->visibility));
}

static void add_field(const struct field_def_row *d, void *ctx)
{
	json_array_append_new((json_t *)ctx, field_json(d));
}

static void get_fields(struct request *rq, struct response *rs)
{
	json_t *arr = json_array();

	(void)rq;
	store_field_defs(add_field, arr);
	resp_json(rs, 200, arr);
}

static void save_field(struct request *rq, struct response *rs, int64_t id)
{
	struct field_def_row d;
	char err[300] = "";
	const char *choices = arg(rq, "choices");
	const char *arr[60];
	struct buf joined = BUF_INIT;
	size_t n = params_get_array(&rq->form, "choices", arr, 60), i;
	enum mresult r;

	if (n > 1 || (n == 1 && !params_get(&rq->form, "choices"))) {
		for (i = 0; i < n; i++) {
			if (i)
				buf_putc(&joined, '\n');
			buf_puts(&joined, arr[i]);
		}
		choices = buf_str(&joined);
	}
	r = people_field_def_save(&rq->viewer, id, arg(rq, "name"), arg(rq, "kind"), choices,
				  arg(rq, "visibility"), &d, err, sizeof err);
	buf_release(&joined);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, field_json(&d));
}

static void post_admin_field(struct request *rq, struct response *rs)
{
	save_field(rq, rs, 0);
}

static void patch_admin_field(struct request *rq, struct response *rs)
{
	int64_t id;

	if (id_parse(req_param(rq, "id"), &id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	save_field(rq, rs, id);
}

static void delete_admin_field(struct request *rq, struct response *rs)
{
	char err[300] = "";
	int64_t id;
	enum mresult r;

	if (id_parse(req_param(rq, "id"), &id) < 0) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	r = people_field_def_delete(&rq->viewer, id, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, json_object());
}

/* ---- import ----------------------------------------------------------------------------- */

static json_t *import_report_json(const struct import_report *rep)
{
	json_t *rows = json_array();
	size_t i;

	for (i = 0; i < rep->nrows; i++) {
		const struct import_row *r = &rep->rows[i];

		json_array_append_new(rows, json_pack("{s:i, s:s, s:s?, s:s, s:s?}", "line", r->line,
			"email", r->email, "username", r->username[0] ? r->username : NULL,
			"result", import_action_name(r->action),
			"reason", r->action == IMPORT_REFUSED ? r->reason : NULL));
	}
	return json_pack("{s:b, s:I, s:I, s:I, s:s?, s:o}", "dry_run", rep->dry_run,
			 "created", (json_int_t)rep->created, "updated", (json_int_t)rep->updated,
			 "refused", (json_int_t)rep->refused,
			 "ignored_columns", rep->ignored_columns[0] ? rep->ignored_columns : NULL, "rows", rows);
}

static void post_import(struct request *rq, struct response *rs)
{
	const char *data = NULL;
	size_t len = 0, i;
	struct import_report rep;
	char err[300] = "";
	int dry = params_get_bool(&rq->query, "dry_run", 0) == 1 || params_get_bool(&rq->form, "dry_run", 0) == 1;
	enum mresult r;

	for (i = 0; i < rq->nuploads; i++)
		if (!strcmp(rq->uploads[i].field, "file")) {
			data = rq->uploads[i].data.data ? rq->uploads[i].data.data : "";
			len = rq->uploads[i].data.len;
		}
	if (!data && (data = params_get(&rq->form, "csv")))
		len = strlen(data);
	if (!data) {
		http_error(rq, rs, 422, "Send the CSV as the multipart field \"file\" (or the field \"csv\")");
		return;
	}
	r = people_import_csv(data, len, rq->viewer.account.id, dry, &rep, err, sizeof err);
	if (r != M_OK) {
		import_report_release(&rep);
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, import_report_json(&rep));
	import_report_release(&rep);
}

void parley_directory_routes(void)
{
	const unsigned A = ROUTE_API, W = ROUTE_API | ROUTE_AUTH, ADM = ROUTE_API | ROUTE_AUTH | ROUTE_ADMIN;

	router_add("GET", "/api/parley/v1/directory", get_directory, A, "read:accounts");
	router_add("GET", "/api/parley/v1/directory/export", get_export, W | ROUTE_SLOW, "read:accounts");
	router_add("GET", "/api/parley/v1/skills", get_skills, A, "read:accounts");
	router_add("GET", "/api/parley/v1/profile_fields", get_fields, A, "read:accounts");
	router_add("POST", "/api/parley/v1/admin/skills", post_admin_skill, ADM, "admin:write");
	router_add("PATCH", "/api/parley/v1/admin/skills/:id", patch_admin_skill, ADM, "admin:write");
	router_add("DELETE", "/api/parley/v1/admin/skills/:id", delete_admin_skill, ADM, "admin:write");
	router_add("POST", "/api/parley/v1/admin/skills/:id/aliases", post_admin_alias, ADM, "admin:write");
	router_add("DELETE", "/api/parley/v1/admin/skills/:id/aliases/:alias", delete_admin_alias, ADM,
		   "admin:write");
	router_add("POST", "/api/parley/v1/admin/skills/:id/merge", post_admin_merge, ADM, "admin:write");
	router_add("POST", "/api/parley/v1/admin/profile_fields", post_admin_field, ADM, "admin:write");
	router_add("PATCH", "/api/parley/v1/admin/profile_fields/:id", patch_admin_field, ADM, "admin:write");
	router_add("DELETE", "/api/parley/v1/admin/profile_fields/:id", delete_admin_field, ADM, "admin:write");
	router_add("POST", "/api/parley/v1/admin/people/import", post_import, ADM | ROUTE_UPLOAD | ROUTE_SLOW,
		   "admin:write");
}

void parley_routes(void)
{
	parley_people_routes();
	parley_directory_routes();
}
