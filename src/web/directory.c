/*
 * directory.c - the people directory page:
 *
 *   GET /directory?q=&knows=&department=&location=&language=&skill=&sort=&offset=
 *   GET /directory/export.csv (+ the same filters)         staff
 *
 * Search words, "who knows X" ranked by evidence (with the evidence shown),
 * facet counts as links that add or remove a filter, sort by relevance or
 * name, and pages of DIR_PAGE. The model decides who is listed and what
 * counts (model/people_search.h).
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "model/audience.h"
#include "model/people.h"
#include "model/people_import.h"
#include "model/people_search.h"
#include "web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DIR_PAGE 20

static const char *const keys[] = { "q", "knows", "department", "location", "language", "skill", "sort" };
#define NKEYS (sizeof keys / sizeof keys[0])

static const char *get(struct request *rq, const char *k)
{
	const char *v = params_get(&rq->query, k);

	return v && *v ? v : NULL;
}

/* /directory?<current parameters, with `key` set to `value` (NULL:
 * removed)>, without the offset (a new filter starts at the first page)
 * unless offset >= 0. */
static json_t *href(struct request *rq, const char *key, const char *value, long offset)
{
	struct buf b = BUF_INIT;
	size_t i;
	char sep = '?';
	json_t *j;

	buf_puts(&b, "/directory");
	for (i = 0; i < NKEYS; i++) {
		const char *v = !strcmp(keys[i], key ? key : "") ? value : get(rq, keys[i]);

		if (!v)
			continue;
		buf_putc(&b, sep);
		sep = '&';
		buf_puts(&b, keys[i]);
		buf_putc(&b, '=');
		url_encode(&b, v);
	}
	if (offset > 0)
		buf_printf(&b, "%coffset=%ld", sep, offset);
	j = json_string(buf_str(&b));
	buf_release(&b);
	return j;
}

static const char *const facet_keys[FACET_COUNT] = { "department", "location", "language", "skill" };
static const char *const facet_titles[FACET_COUNT] = { "Department", "Location", "Language", "Skill" };

static json_t *person_json(struct request *rq, const struct dir_hit *h, int knows)
{
	struct account_row a;
	struct profile_view *pv;
	struct profile_skill_row s[5];
	json_t *j, *skills;
	char url[700];
	int n, i;

	if (store_account_get(h->account_id, &a) != STORE_OK || people_view_load(&rq->viewer, &a, &pv) != M_OK)
		return NULL;
	people_image_url(&pv->p, PEOPLE_AVATAR, 1, url, sizeof url);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "username", a.username,
		      "display_name", a.display_name[0] ? a.display_name : a.username, "avatar", url,
		      "headline", pv->p.text[PF_HEADLINE], "department", pv->p.text[PF_DEPARTMENT],
		      "location", pv->p.text[PF_LOCATION], "is_guest", !strcmp(a.kind, "guest"));
	if (pv->away)
		json_object_set_new(j, "away", json_true());
	skills = json_array();
	n = people_skills(a.id, 0, s, 5);
	for (i = 0; i < n; i++)
		json_array_append_new(skills, json_pack("{s:s, s:s}", "name", s[i].name,
							"level", people_level_name(s[i].level)));
	json_object_set_new(j, "skills", skills);
	if (knows && h->has_evidence) {
		char why[200];

		snprintf(why, sizeof why, "%s%s%lld endorsement%s, %lld post%s about it",
			 h->ev.level ? people_level_name(h->ev.level) : "not declared",
			 h->ev.level ? " (declared), " : ", ",
			 (long long)h->ev.endorsements, h->ev.endorsements == 1 ? "" : "s",
			 (long long)h->ev.posts, h->ev.posts == 1 ? "" : "s");
		json_object_set_new(j, "why", json_string(why));
		json_object_set_new(j, "score", json_real(h->score));
	}
	people_view_free(pv);
	return j;
}

static void get_directory(struct request *rq, struct response *rs)
{
	struct dir_request r;
	struct dir_result *res;
	const char *sort = get(rq, "sort"), *off = get(rq, "offset");
	char err[200], title[64];
	json_t *ctx, *people, *facets, *active;
	size_t i, k;
	long offset = 0;
	enum mresult mr;

	if (off) {
		char *end;

		offset = strtol(off, &end, 10);
		if (*end || offset < 0 || offset > DIR_OFFSET_MAX) {
			http_error(rq, rs, 400, "offset must be a number");
			return;
		}
	}
	memset(&r, 0, sizeof r);
	r.q = get(rq, "q");
	r.knows = get(rq, "knows");
	r.department = get(rq, "department");
	r.location = get(rq, "location");
	r.language = get(rq, "language");
	r.skill = get(rq, "skill");
	r.sort_name = sort && !strcmp(sort, "name");
	r.limit = DIR_PAGE;
	r.offset = (int)offset;
	r.facets = 1;
	mr = people_directory(&rq->viewer, &r, &res, err, sizeof err);
	if (mr != M_OK) {
		http_error(rq, rs, http_status_for(mr), err);
		return;
	}
	people = json_array();
	for (i = 0; i < res->nhits; i++) {
		json_t *p = person_json(rq, &res->hits[i], res->knows);

		if (p)
			json_array_append_new(people, p);
	}
	facets = json_array();
	for (k = 0; k < FACET_COUNT; k++) {
		json_t *vals = json_array();
		const char *cur = get(rq, facet_keys[k]);

		for (i = 0; i < res->nfacets[k]; i++) {
			const struct dir_facet_value *fv = &res->facets[k][i];
			int on = cur && (!strcasecmp(cur, fv->value) ||
					 (k == FACET_SKILL && res->skill_found && res->skill.id == fv->id));

			json_array_append_new(vals, json_pack("{s:s, s:I, s:b, s:o}", "value", fv->value,
				"count", (json_int_t)fv->count, "on", on,
				"href", href(rq, facet_keys[k], on ? NULL : fv->value, 0)));
		}
		if (json_array_size(vals))
			json_array_append_new(facets, json_pack("{s:s, s:s, s:o}", "title", facet_titles[k],
								"key", facet_keys[k], "values", vals));
		else
			json_decref(vals);
	}
	active = json_array();
	for (k = 0; k < FACET_COUNT; k++) {
		const char *cur = get(rq, facet_keys[k]);

		if (cur)
			json_array_append_new(active, json_pack("{s:s, s:s, s:o}", "title", facet_titles[k],
				"value", k == FACET_SKILL && res->skill_found ? res->skill.name : cur,
				"href", href(rq, facet_keys[k], NULL, 0)));
	}
	ctx = json_pack("{s:o, s:I, s:o, s:o, s:s, s:s, s:b, s:b}", "people", people, "total", (json_int_t)res->total,
			"facets", facets, "active", active, "q", r.q ? r.q : "", "knows", r.knows ? r.knows : "",
			"by_name", r.sort_name, "ranked", res->knows);
	json_object_set_new(ctx, "has_active", json_boolean(json_array_size(active)));
	if (res->knows && res->skill_found)
		json_object_set_new(ctx, "knows_skill", json_pack("{s:s, s:b}", "name", res->skill.name,
								  "corrected", res->skill_corrected));
	if (offset + DIR_PAGE < res->total)
		json_object_set_new(ctx, "next", href(rq, NULL, NULL, offset + DIR_PAGE));
	if (offset > 0)
		json_object_set_new(ctx, "prev", href(rq, NULL, NULL, offset > DIR_PAGE ? offset - DIR_PAGE : 0));
	json_object_set_new(ctx, "sort_relevance", href(rq, "sort", NULL, 0));
	json_object_set_new(ctx, "sort_name", href(rq, "sort", "name", 0));
	if (viewer_is_staff(&rq->viewer)) {
		json_t *e = href(rq, NULL, NULL, 0);
		const char *h = json_string_value(e);
		char exp[2048];

		snprintf(exp, sizeof exp, "/directory/export.csv%s", h + strlen("/directory"));
		json_object_set_new(ctx, "export", json_string(exp));
		json_decref(e);
	}
	snprintf(title, sizeof title, "People");
	people_directory_free(res);
	page_render(rq, rs, 200, "directory", title, ctx);
}

static void get_export(struct request *rq, struct response *rs)
{
	enum mresult r;

	buf_reset(&rs->body);
	r = people_export_csv(&rq->viewer, get(rq, "q"), get(rq, "department"), get(rq, "location"),
			      get(rq, "language"), get(rq, "skill"), &rs->body);
	if (r != M_OK) {
		buf_reset(&rs->body);
		http_error(rq, rs, http_status_for(r), r == M_FORBIDDEN ? "Exports are for staff" : "The export failed");
		return;
	}
	rs->status = 200;
	rs->content_type = "text/csv; charset=utf-8";
	resp_header(rs, "Content-Disposition", "attachment; filename=\"people.csv\"");
}

void web_directory_routes(void)
{
	router_add("GET", "/directory", get_directory, 0, NULL);
	router_add("GET", "/directory/export.csv", get_export, ROUTE_AUTH | ROUTE_SLOW, NULL);
}
