/*
 * profile_settings.c - the signed-in user's profile editor:
 *
 *   GET  /settings/profile                      the form
 *   POST /settings/profile                      save name, bio, facts and who sees each,
 *                                               lists, links, availability, manager, fields
 *   POST /settings/profile/skills               add a skill {skill, level}
 *   POST /settings/profile/skills/:skill/remove
 *   POST /settings/profile/picture              upload (multipart: avatar or header)
 *   POST /settings/profile/picture/remove       which=avatar|header
 *
 * The model does the checking (model/people.h); a refused form comes back
 * filled in with the message (422).
 */
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/people.h"
#include "web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINK_ROWS 4

static json_t *vis_options(int level, int allow_public)
{
	json_t *arr = json_array();
	int l;

	for (l = allow_public ? VIS_PUBLIC : VIS_ORGANISATION; l <= VIS_ONLY_ME; l++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", people_vis_name(l),
			"label", l == VIS_PUBLIC ? "Everyone who may see my profile" :
				 l == VIS_ORGANISATION ? "Staff only" : "Only me",
			"selected", l == level));
	return arr;
}

struct def_ctx {
	json_t *arr;
	const struct profile_view *pv;
};

static void add_def(const struct field_def_row *d, void *p)
{
	struct def_ctx *c = p;
	const char *value = "";
	char id[24];
	json_t *choices = json_array(), *f;
	const char *ch = d->choices;
	size_t i;

	for (i = 0; i < c->pv->ncustom; i++)
		if (c->pv->custom[i].field_id == d->id)
			value = c->pv->custom[i].value;
	while (*ch) {
		size_t l = strcspn(ch, "\n");
		json_t *o = json_pack("{s:s%, s:b}", "value", ch, l, "selected",
				      strlen(value) == l && !strncmp(value, ch, l));

		json_array_append_new(choices, o);
		ch += l;
		if (*ch)
			ch++;
	}
	f = json_pack("{s:s, s:s, s:s, s:o, s:s}", "id", id_format(id, sizeof id, d->id), "name", d->name,
		      "value", value, "choices", choices, "visibility",
		      d->visibility == VIS_PUBLIC ? "everyone who may see your profile" :
		      d->visibility == VIS_ORGANISATION ? "staff only" : "only you");
	json_object_set_new(f, !strcmp(d->kind, "date") ? "is_date" : !strcmp(d->kind, "choice") ? "is_choice"
											  : "is_text", json_true());
	json_array_append_new(c->arr, f);
}

static void render_form(struct request *rq, struct response *rs, int status, const char *error)
{
	const struct account_row *a = &rq->viewer.account;
	struct profile_view *pv;
	struct profile_skill_row *skills;
	json_t *ctx, *facts, *arr;
	struct def_ctx dc;
	struct buf list = BUF_INIT;
	char url[700], id[24];
	size_t i;
	int f, n;

	if (people_view_load(&rq->viewer, a, &pv) != M_OK) {
		http_error(rq, rs, 500, "Could not read your profile");
		return;
	}
	ctx = json_pack("{s:s, s:s, s:s, s:b, s:s?}", "username", a->username, "display_name", a->display_name,
			"bio", a->note, "profile_public", a->profile_public, "error", error);
	facts = json_array();
	for (f = 0; f < PF_NTEXT; f++)
		json_array_append_new(facts, json_pack("{s:s, s:s, s:s, s:o, s:b}", "name", people_fact_name(f),
			"label", people_fact_label(f), "value", pv->p.text[f],
			"vis", vis_options(pv->p.vis[f], 1), "email", f == PF_EMAIL));
	json_object_set_new(ctx, "facts", facts);
	for (i = 0; i < pv->nlanguages; i++) {
		if (i)
			buf_puts(&list, ", ");
		buf_puts(&list, pv->languages[i]);
	}
	json_object_set_new(ctx, "languages", json_string(buf_str(&list)));
	json_object_set_new(ctx, "languages_vis", vis_options(pv->p.vis[PF_LANGUAGES], 1));
	buf_reset(&list);
	for (i = 0; i < pv->ninterests; i++) {
		if (i)
			buf_puts(&list, ", ");
		buf_puts(&list, pv->interests[i]);
	}
	json_object_set_new(ctx, "interests", json_string(buf_str(&list)));
	buf_release(&list);
	arr = json_array();
	for (i = 0; i < LINK_ROWS || i < pv->nlinks; i++)
		json_array_append_new(arr, json_pack("{s:i, s:s, s:s}", "i", (int)i,
			"name", i < pv->nlinks ? pv->links[i].name : "", "value", i < pv->nlinks ? pv->links[i].value : ""));
	json_object_set_new(ctx, "links", arr);
	json_object_set_new(ctx, "links_vis", vis_options(pv->p.vis[PF_LINKS], 1));
	json_object_set_new(ctx, "status", json_string(pv->p.status_text));
	if (pv->p.away_until) {
		char day[32];

		time_format_iso(day, sizeof day, pv->p.away_until);
		day[10] = '\0';
		json_object_set_new(ctx, "away_until", json_string(day));
	}
	if (pv->p.manager_id) {
		struct account_row m;

		if (store_account_get(pv->p.manager_id, &m) == STORE_OK)
			json_object_set_new(ctx, "manager", json_string(m.username));
	}
	dc.arr = json_array();
	dc.pv = pv;
	store_field_defs(add_def, &dc);
	json_object_set_new(ctx, "custom", dc.arr);
	skills = malloc(PEOPLE_SKILLS_MAX * sizeof *skills);
	arr = json_array();
	n = skills ? people_skills(a->id, 0, skills, PEOPLE_SKILLS_MAX) : 0;
	for (f = 0; f < n; f++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:I}", "id",
			id_format(id, sizeof id, skills[f].skill_id), "name", skills[f].name,
			"level", people_level_name(skills[f].level), "endorsements", (json_int_t)skills[f].endorsements));
	free(skills);
	json_object_set_new(ctx, "skills", arr);
	people_image_url(&pv->p, PEOPLE_AVATAR, 1, url, sizeof url);
	json_object_set_new(ctx, "avatar", json_string(url));
	json_object_set_new(ctx, "has_avatar", json_boolean(pv->p.avatar_key[0]));
	json_object_set_new(ctx, "has_header", json_boolean(pv->p.header_key[0]));
	people_view_free(pv);
	page_render(rq, rs, status, "settings_profile", "Your profile", ctx);
}

static void get_form(struct request *rq, struct response *rs)
{
	render_form(rq, rs, 200, NULL);
}

static const char *form_get(void *ctx, const char *key)
{
	return params_get(&((struct request *)ctx)->form, key);
}

static size_t form_get_array(void *ctx, const char *key, const char **out, size_t max)
{
	(void)ctx;
	(void)key;
	(void)out;
	(void)max;
	return 0;  /* the form sends comma-separated lists */
}

static void post_form(struct request *rq, struct response *rs)
{
	struct people_form *form = calloc(1, sizeof *form);
	struct people_edit e;
	struct account_profile_edit ae;
	const char *pub = params_get(&rq->form, "profile_public");
	char err[300] = "";
	enum mresult r;

	if (!form) {
		http_error(rq, rs, 500, "Out of memory");
		return;
	}
	form->get = form_get;
	form->get_array = form_get_array;
	form->ctx = rq;
	people_edit_init(&e);
	if (people_edit_read(form, "", &e, err, sizeof err) < 0) {
		free(form);
		render_form(rq, rs, 422, err);
		return;
	}
	memset(&ae, 0, sizeof ae);
	ae.locked = ae.bot = ae.discoverable = -1;
	ae.display_name = params_get(&rq->form, "display_name");
	ae.note = params_get(&rq->form, "bio");
	ae.profile_public = pub ? !strcmp(pub, "1") : -1;
	r = people_update(&rq->viewer, rq->viewer.account.id, &ae, &e, NULL, err, sizeof err);
	free(form);
	if (r != M_OK) {
		render_form(rq, rs, r == M_ERROR ? 500 : 422, err[0] ? err : "Your profile could not be saved");
		return;
	}
	page_redirect(rq, rs, "/settings/profile", "Your profile is saved.");
}

static void post_skill(struct request *rq, struct response *rs)
{
	char err[300] = "";
	enum mresult r = people_skill_add(&rq->viewer, rq->viewer.account.id, params_get(&rq->form, "skill"),
					  params_get(&rq->form, "level"), NULL, err, sizeof err);

	if (r != M_OK) {
		render_form(rq, rs, r == M_ERROR ? 500 : 422, err);
		return;
	}
	page_redirect(rq, rs, "/settings/profile#skills", "Skill saved.");
}

static void post_skill_remove(struct request *rq, struct response *rs)
{
	char err[300] = "";
	enum mresult r = people_skill_remove(&rq->viewer, rq->viewer.account.id, req_param(rq, "skill"),
					     err, sizeof err);

	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	page_redirect(rq, rs, "/settings/profile#skills", "Skill removed.");
}

static void post_picture(struct request *rq, struct response *rs)
{
	char err[300] = "";
	size_t i;
	int done = 0;

	for (i = 0; i < rq->nuploads; i++) {
		const struct upload *u = &rq->uploads[i];
		enum people_image which = !strcmp(u->field, "header") ? PEOPLE_HEADER : PEOPLE_AVATAR;
		enum mresult r;

		if ((strcmp(u->field, "avatar") && strcmp(u->field, "header")) || !u->data.len)
			continue;
		r = people_image_set(rq->viewer.account.id, which, u->data.data, u->data.len, err, sizeof err);
		if (r != M_OK) {
			render_form(rq, rs, r == M_ERROR ? 500 : 422, err);
			return;
		}
		done++;
	}
	if (!done) {
		render_form(rq, rs, 422, "Choose a picture to upload");
		return;
	}
	page_redirect(rq, rs, "/settings/profile", "Your picture is saved.");
}

static void post_picture_remove(struct request *rq, struct response *rs)
{
	const char *which = params_get(&rq->form, "which");
	char err[300] = "";

	if (!which || (strcmp(which, "avatar") && strcmp(which, "header"))) {
		http_error(rq, rs, 422, "which must be avatar or header");
		return;
	}
	if (people_image_clear(rq->viewer.account.id, !strcmp(which, "header") ? PEOPLE_HEADER : PEOPLE_AVATAR,
			       err, sizeof err) != M_OK) {
		http_error(rq, rs, 500, err[0] ? err : "Could not remove the picture");
		return;
	}
	page_redirect(rq, rs, "/settings/profile", "Picture removed.");
}

void web_profile_settings_routes(void)
{
	router_add("GET", "/settings/profile", get_form, ROUTE_AUTH, NULL);
	router_add("POST", "/settings/profile", post_form, ROUTE_AUTH, NULL);
	router_add("POST", "/settings/profile/skills", post_skill, ROUTE_AUTH, NULL);
	router_add("POST", "/settings/profile/skills/:skill/remove", post_skill_remove, ROUTE_AUTH, NULL);
	router_add("POST", "/settings/profile/picture", post_picture, ROUTE_AUTH | ROUTE_UPLOAD | ROUTE_SLOW, NULL);
	router_add("POST", "/settings/profile/picture/remove", post_picture_remove, ROUTE_AUTH, NULL);
}
