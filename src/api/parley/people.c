/*
 * people.c - /api/parley/v1 people endpoints:
 *
 *   GET    /profile                         the viewer's own profile, with each fact's visibility
 *   PATCH  /profile                         change it (facts, visibility, lists, manager ...)
 *   POST   /profile/skills                  add a skill {skill, level}
 *   DELETE /profile/skills/:skill           remove one (id or name)
 *   PATCH  /people/:id/profile              an admin changes someone's profile
 *   GET    /people/:id/profile              a profile as the viewer may read it
 *   GET    /people/:id/card                 the person card (sensemaking)
 *   GET    /people/:id/org                  the reporting line
 *   GET    /people/:id/vcard                vCard 4.0
 *   GET    /people/:id/qr                   QR code (PNG) of the profile URL
 *   POST   /people/:id/skills/:skill/endorse, /unendorse (DELETE .../endorse too)
 *   GET    /pictures/:name                  avatar and header files
 *
 * :id is an account id or a username. A person the viewer may not see is
 * 404, as one who does not exist.
 */
#include "api/parley/parley.h"
#include "api/mastodon/mastodon.h"
#include "api/mastodon/render.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "lib/id.h"
#include "lib/qr.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/people_card.h"
#include "model/question.h"
#include "model/timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CARD_ACTIVITY 5
#define CARD_ENDORSERS 5

/* ---- entities ----------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *parley_person(const struct request *rq, const struct account_row *a)
{
	struct profile_row p;
	char id[24], url[700], avatar[700];
	int vis;
	json_t *j;

	if (!audience_may_see_account(&rq->viewer, a))
		return NULL;
	if (store_profile_get(a->id, &p) != STORE_OK)
		memset(&p, 0, sizeof p);
	vis = people_vis_max(&rq->viewer, a->id);
	people_profile_url(a, url, sizeof url);
	people_image_url(&p, PEOPLE_AVATAR, 1, avatar, sizeof avatar);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id_format(id, sizeof id, a->id),
		      "username", a->username, "acct", a->username,
		      "display_name", a->display_name[0] ? a->display_name : a->username,
		      "url", url, "avatar", avatar, "kind", a->kind);
	json_object_set_new(j, "headline", str_or_null(p.vis[PF_HEADLINE] <= vis ? p.text[PF_HEADLINE] : ""));
	json_object_set_new(j, "department", str_or_null(p.vis[PF_DEPARTMENT] <= vis ? p.text[PF_DEPARTMENT] : ""));
	json_object_set_new(j, "location", str_or_null(p.vis[PF_LOCATION] <= vis ? p.text[PF_LOCATION] : ""));
	return j;
}

json_t *parley_person_by_id(const struct request *rq, int64_t id)
{
	struct account_row a;

	if (store_account_get(id, &a) != STORE_OK)
		return NULL;
	return parley_person(rq, &a);
}

static json_t *skills_json(const struct request *rq, int64_t account_id)
{
	struct profile_skill_row *s = malloc(PEOPLE_SKILLS_MAX * sizeof *s);
	json_t *arr = json_array();
	char id[24];
	int n, i;

	if (!s)
		return arr;
	n = people_skills(account_id, rq->viewer.signed_in ? rq->viewer.account.id : 0, s, PEOPLE_SKILLS_MAX);
	for (i = 0; i < n; i++) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:b}", "id", id_format(id, sizeof id, s[i].skill_id),
				      "name", s[i].name, "level", people_level_name(s[i].level),
				      "endorsements_count", (json_int_t)s[i].endorsements,
				      "endorsed", s[i].endorsed_by_viewer);

		json_array_append_new(arr, j);
	}
	free(s);
	return arr;
}

json_t *parley_profile(const struct request *rq, const struct profile_view *pv, int with_visibility)
{
	const struct profile_row *p = &pv->p;
	char id[24], url[700];
	json_t *j, *arr;
	size_t i;
	int f;

	j = json_pack("{s:s, s:s, s:s}", "id", id_format(id, sizeof id, pv->account.id),
		      "username", pv->account.username,
		      "display_name", pv->account.display_name[0] ? pv->account.display_name : pv->account.username);
	for (f = 0; f < PF_NTEXT; f++)
		json_object_set_new(j, people_fact_name(f), str_or_null(p->text[f]));
	arr = json_array();
	for (i = 0; i < pv->nlanguages; i++)
		json_array_append_new(arr, json_string(pv->languages[i]));
	json_object_set_new(j, "languages", arr);
	arr = json_array();
	for (i = 0; i < pv->ninterests; i++)
		json_array_append_new(arr, json_string(pv->interests[i]));
	json_object_set_new(j, "interests", arr);
	arr = json_array();
	for (i = 0; i < pv->nlinks; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "name", pv->links[i].name,
						     "value", pv->links[i].value));
	json_object_set_new(j, "links", arr);
	{
		struct buf html = BUF_INIT;

		people_bio_html(pv->account.note, &html);
		json_object_set_new(j, "bio", json_string(pv->account.note));
		json_object_set_new(j, "bio_html", json_string(buf_str(&html)));
		buf_release(&html);
	}
	json_object_set_new(j, "status", str_or_null(p->status_text));
	if (p->away_until) {
		char day[32];

		time_format_iso(day, sizeof day, p->away_until);
		day[10] = '\0';
		json_object_set_new(j, "away_until", json_string(day));
	} else {
		json_object_set_new(j, "away_until", json_null());
	}
	json_object_set_new(j, "away", json_boolean(pv->away));
	{
		json_t *m = p->manager_id ? parley_person_by_id(rq, p->manager_id) : NULL;

		json_object_set_new(j, "manager", m ? m : json_null());
	}
	arr = json_array();
	for (i = 0; i < pv->ncustom; i++) {
		json_t *c = json_pack("{s:s, s:s, s:s, s:o}", "id", id_format(id, sizeof id, pv->custom[i].field_id),
				      "name", pv->custom[i].name, "kind", pv->custom[i].kind,
				      "value", str_or_null(pv->custom[i].value));

		if (with_visibility)
			json_object_set_new(c, "visibility", json_string(people_vis_name(pv->custom[i].visibility)));
		json_array_append_new(arr, c);
	}
	json_object_set_new(j, "custom_fields", arr);
	json_object_set_new(j, "skills", skills_json(rq, pv->account.id));
	people_image_url(p, PEOPLE_AVATAR, 0, url, sizeof url);
	json_object_set_new(j, "avatar", json_string(url));
	people_image_url(p, PEOPLE_AVATAR, 1, url, sizeof url);
	json_object_set_new(j, "avatar_small", json_string(url));
	people_image_url(p, PEOPLE_HEADER, 0, url, sizeof url);
	json_object_set_new(j, "header", json_string(url));
	people_profile_url(&pv->account, url, sizeof url);
	json_object_set_new(j, "url", json_string(url));
	if (with_visibility) {
		json_t *vis = json_object();

		for (f = 0; f < PF_NVIS; f++)
			json_object_set_new(vis, people_fact_name(f), json_string(people_vis_name(p->vis[f])));
		json_object_set_new(j, "visibility", vis);
		json_object_set_new(j, "default_privacy", str_or_null(p->default_privacy));
		json_object_set_new(j, "language", str_or_null(p->language));
	}
	return j;
}

/* ---- the form getter ----------------------------------------------------- */

static const char *form_get(void *ctx, const char *key)
{
	return req_arg(ctx, key);
}

static size_t form_get_array(void *ctx, const char *key, const char **out, size_t max)
{
	struct request *rq = ctx;
	size_t n;
	char base[160];
	size_t len = strlen(key);

	/* get_array takes the name without "[]" and finds key[] pairs */
	if (len < 2 || len - 2 >= sizeof base)
		return 0;
	memcpy(base, key, len - 2);
	base[len - 2] = '\0';
	n = params_get_array(&rq->form, base, out, max);
	if (!n)
		n = params_get_array(&rq->query, base, out, max);
	/* a plain "key" (without []) is the comma-separated form: not an array */
	if (n == 1 && !params_get(&rq->form, key) && !params_get(&rq->query, key))
		return 0;
	return n;
}

void parley_form_init(struct people_form *f, struct request *rq)
{
	f->get = form_get;
	f->get_array = form_get_array;
	f->ctx = rq;
}

/* ---- helpers ------------------------------------------------------------------ */

/* The person of the path's :id (an id or a username), when the viewer may
 * see them. */
static int path_person(struct request *rq, struct response *rs, struct account_row *a)
{
	const char *s = req_param(rq, "id");
	int64_t id;
	int rc;

	if (!s || strchr(s, '@')) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	rc = id_parse(s, &id) == 0 ? store_account_get(id, a) : store_account_by_username(s, a);
	if (rc != STORE_OK || !strcmp(a->kind, "remote") || !audience_may_see_account(&rq->viewer, a)) {
		http_error(rq, rs, 404, "Record not found");
		return -1;
	}
	return 0;
}

static void answer_profile(struct request *rq, struct response *rs, const struct account_row *a, int own)
{
	struct profile_view *pv;

	if (people_view_load(&rq->viewer, a, &pv) != M_OK) {
		http_error(rq, rs, 500, "Could not read the profile");
		return;
	}
	resp_json(rs, 200, parley_profile(rq, pv, own));
	people_view_free(pv);
}

/* ---- profile ---------------------------------------------------------------------- */

static void get_own_profile(struct request *rq, struct response *rs)
{
	answer_profile(rq, rs, &rq->viewer.account, 1);
}

static void update_profile(struct request *rq, struct response *rs, int64_t account_id)
{
	struct people_form *form = calloc(1, sizeof *form);
	struct people_edit e;
	struct account_profile_edit ae;
	struct account_row a;
	char err[300] = "";
	enum mresult r;

	if (!form) {
		http_error(rq, rs, 500, "Out of memory");
		return;
	}
	parley_form_init(form, rq);
	people_edit_init(&e);
	if (people_edit_read(form, "", &e, err, sizeof err) < 0) {
		free(form);
		http_error(rq, rs, 422, err);
		return;
	}
	memset(&ae, 0, sizeof ae);
	ae.locked = ae.bot = ae.discoverable = ae.profile_public = -1;
	ae.display_name = req_arg(rq, "display_name");
	ae.note = req_arg(rq, "bio");
	if (!ae.note)
		ae.note = req_arg(rq, "note");
	r = people_update(&rq->viewer, account_id, &ae, &e, &a, err, sizeof err);
	free(form);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err[0] ? err : "Could not update the profile");
		return;
	}
	answer_profile(rq, rs, &a, 1);
}

static void patch_own_profile(struct request *rq, struct response *rs)
{
	update_profile(rq, rs, rq->viewer.account.id);
}

static void patch_person_profile(struct request *rq, struct response *rs)
{
	struct account_row a;

	if (path_person(rq, rs, &a) == 0)
		update_profile(rq, rs, a.id);
}

static void get_person_profile(struct request *rq, struct response *rs)
{
	struct account_row a;

	if (path_person(rq, rs, &a) == 0)
		answer_profile(rq, rs, &a, rq->viewer.signed_in && rq->viewer.account.id == a.id);
}

static void post_own_skill(struct request *rq, struct response *rs)
{
	const char *name = req_arg(rq, "skill");
	struct skill_row s;
	char err[300] = "";
	enum mresult r;

	if (!name)
		name = req_arg(rq, "name");
	r = people_skill_add(&rq->viewer, rq->viewer.account.id, name, req_arg(rq, "level"), &s, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, skills_json(rq, rq->viewer.account.id));
}

static void delete_own_skill(struct request *rq, struct response *rs)
{
	char err[300] = "";
	enum mresult r = people_skill_remove(&rq->viewer, rq->viewer.account.id, req_param(rq, "skill"),
					     err, sizeof err);

	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, skills_json(rq, rq->viewer.account.id));
}

/* ---- endorsements ------------------------------------------------------------------- */

static void endorse(struct request *rq, struct response *rs, int on)
{
	struct account_row a;
	struct skill_row s;
	char err[300] = "";
	enum mresult r;

	if (path_person(rq, rs, &a) < 0)
		return;
	if (people_skill_lookup(req_param(rq, "skill"), &s) != M_OK) {
		http_error(rq, rs, 404, "Record not found");
		return;
	}
	r = people_endorse(&rq->viewer, a.id, s.id, on, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, skills_json(rq, a.id));
}

static void post_endorse(struct request *rq, struct response *rs) { endorse(rq, rs, 1); }
static void post_unendorse(struct request *rq, struct response *rs) { endorse(rq, rs, 0); }

/* ---- the card ------------------------------------------------------------------------ */

static json_t *people_array(const struct request *rq, const int64_t *ids, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *p = parley_person_by_id(rq, ids[i]);

		if (p)
			json_array_append_new(arr, p);
	}
	return arr;
}

static json_t *org_json(struct request *rq, int64_t account_id)
{
	struct people_org org;

	if (people_org(&rq->viewer, account_id, &org) != M_OK)
		return json_null();
	return json_pack("{s:o, s:b, s:o, s:I, s:o}", "managers", people_array(rq, org.chain, org.nchain),
			 "more_above", org.chain_more, "reports", people_array(rq, org.reports, org.nreports),
			 "reports_count", (json_int_t)(org.reports_total > 0 ? org.reports_total : 0),
			 "peers", people_array(rq, org.peers, org.npeers));
}

static void get_org(struct request *rq, struct response *rs)
{
	struct account_row a;

	if (path_person(rq, rs, &a) == 0)
		resp_json(rs, 200, org_json(rq, a.id));
}

struct activity_ctx {
	struct mrender m;
	json_t *arr;
	int n;
};

static void add_status(const struct post_row *p, void *ctx)
{
	struct activity_ctx *c = ctx;
	json_t *j;

	if (c->n >= CARD_ACTIVITY)
		return;
	j = mrender_status(&c->m, p);
	if (j) {
		json_array_append_new(c->arr, j);
		c->n++;
	}
}

struct endorsers_ctx {
	const struct request *rq;
	json_t *arr;
};

static void add_endorser(int64_t id, void *ctx)
{
	struct endorsers_ctx *c = ctx;
	json_t *p = parley_person_by_id(c->rq, id);

	if (p)
		json_array_append_new(c->arr, p);
}

static json_t *card_skills(struct request *rq, int64_t account_id)
{
	json_t *arr = skills_json(rq, account_id), *s;
	struct store_audience aud;
	size_t i;

	audience_filter(&rq->viewer, &aud);
	json_array_foreach(arr, i, s) {
		struct endorsers_ctx c = { rq, json_array() };
		int64_t sid;

		if (id_parse(json_string_value(json_object_get(s, "id")), &sid) == 0)
			store_endorsers(account_id, sid, &aud, CARD_ENDORSERS, add_endorser, &c);
		json_object_set_new(s, "endorsers", c.arr);
	}
	return arr;
}

static json_t *shared_json(struct request *rq, int64_t account_id)
{
	struct people_shared *sh;
	json_t *j, *arr;
	size_t i;
	char id[24];

	if (!rq->viewer.signed_in || rq->viewer.account.id == account_id)
		return json_null();
	sh = calloc(1, sizeof *sh);
	if (!sh || people_shared(&rq->viewer, account_id, sh) != M_OK) {
		free(sh);
		return json_null();
	}
	j = json_object();
	arr = json_array();
	for (i = 0; i < sh->nskills; i++)
		json_array_append_new(arr, json_string(sh->skills[i]));
	json_object_set_new(j, "skills", arr);
	arr = json_array();
	for (i = 0; i < sh->ninterests; i++)
		json_array_append_new(arr, json_string(sh->interests[i]));
	json_object_set_new(j, "interests", arr);
	arr = json_array();
	for (i = 0; i < sh->nspaces; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "id", id_format(id, sizeof id, sh->spaces[i].id),
						     "handle", sh->spaces[i].handle, "name", sh->spaces[i].name));
	json_object_set_new(j, "spaces", arr);
	json_object_set_new(j, "follows", people_array(rq, sh->follows, sh->nfollows));
	free(sh);
	return j;
}

static json_t *connection_json(struct request *rq, int64_t account_id)
{
	struct people_path path;
	json_t *steps;
	size_t i;

	if (people_connection(&rq->viewer, account_id, &path) != M_OK)
		return json_null();
	steps = json_array();
	for (i = 0; i <= path.steps; i++) {
		json_t *p = parley_person_by_id(rq, path.ids[i]);

		json_array_append_new(steps, json_pack("{s:o, s:o}", "account", p ? p : json_null(),
						       "link", i < path.steps ? json_string(path.links[i]) : json_null()));
	}
	return json_pack("{s:i, s:o}", "degree", (int)path.steps, "path", steps);
}

static void get_card(struct request *rq, struct response *rs)
{
	struct account_row a;
	struct profile_view *pv;
	struct activity_ctx act;
	struct timeline_query q;
	int64_t posts = 0, articles = 0, answers = 0, accepted = 0;
	char url[800], id[24];
	const char *base = rq->cfg ? rq->cfg->base_url : "";
	json_t *card;

	if (path_person(rq, rs, &a) < 0)
		return;
	if (people_view_load(&rq->viewer, &a, &pv) != M_OK) {
		http_error(rq, rs, 500, "Could not read the profile");
		return;
	}
	memset(&act, 0, sizeof act);
	mrender_init(&act.m, rq);
	act.arr = json_array();
	memset(&q, 0, sizeof q);
	q.kind = TL_ACCOUNT;
	q.account_id = a.id;
	q.limit = CARD_ACTIVITY;
	timeline_read(&rq->viewer, &q, add_status, &act);
	people_contributions(&rq->viewer, a.id, &posts, &articles);
	card = json_object();
	json_object_set_new(card, "account", mastodon_account(rq, &a, 0));
	json_object_set_new(card, "profile", parley_profile(rq, pv, pv->self));
	json_object_set_new(card, "skills", card_skills(rq, a.id));
	json_object_set_new(card, "reporting_line", org_json(rq, a.id));
	json_object_set_new(card, "activity", act.arr);
	question_contributions(&rq->viewer, a.id, &answers, &accepted);
	/* ideas arrive with their issue */
	json_object_set_new(card, "contributions", json_pack("{s:I, s:I, s:I, s:I, s:i}", "posts", (json_int_t)posts,
							     "articles", (json_int_t)articles, "answers", (json_int_t)answers,
							     "accepted_answers", (json_int_t)accepted, "ideas", 0));
	json_object_set_new(card, "shared", shared_json(rq, a.id));
	json_object_set_new(card, "connection", connection_json(rq, a.id));
	id_format(id, sizeof id, a.id);
	snprintf(url, sizeof url, "%s/api/parley/v1/people/%s/vcard", base, id);
	json_object_set_new(card, "vcard_url", json_string(url));
	snprintf(url, sizeof url, "%s/api/parley/v1/people/%s/qr", base, id);
	json_object_set_new(card, "qr_url", json_string(url));
	mrender_release(&act.m);
	people_view_free(pv);
	resp_json(rs, 200, card);
}

/* ---- vCard and QR --------------------------------------------------------------------- */

void parley_answer_vcard(struct request *rq, struct response *rs, const struct account_row *a)
{
	char disp[96];

	buf_reset(&rs->body);
	if (people_vcard(&rq->viewer, a, rq->cfg ? rq->cfg->instance_name : "", &rs->body) != M_OK) {
		http_error(rq, rs, 500, "Could not make the card");
		return;
	}
	rs->status = 200;
	rs->content_type = "text/vcard; charset=utf-8";
	snprintf(disp, sizeof disp, "attachment; filename=\"%s.vcf\"", a->username);
	resp_header(rs, "Content-Disposition", disp);
}

void parley_answer_qr(struct request *rq, struct response *rs, const struct account_row *a)
{
	char url[700];

	people_profile_url(a, url, sizeof url);
	buf_reset(&rs->body);
	if (qr_png(url, 8, 4, &rs->body, NULL) < 0) {
		http_error(rq, rs, 500, "Could not make the QR code");
		return;
	}
	rs->status = 200;
	rs->content_type = "image/png";
}

static void get_vcard(struct request *rq, struct response *rs)
{
	struct account_row a;

	if (path_person(rq, rs, &a) == 0)
		parley_answer_vcard(rq, rs, &a);
}

static void get_qr(struct request *rq, struct response *rs)
{
	struct account_row a;

	if (path_person(rq, rs, &a) == 0)
		parley_answer_qr(rq, rs, &a);
}

/* ---- pictures ------------------------------------------------------------------------ */

static void get_picture(struct request *rq, struct response *rs)
{
	const char *type = NULL;
	enum mresult r;

	buf_reset(&rs->body);
	r = people_image_read(req_param(rq, "name"), &rs->body, &type);
	if (r != M_OK) {
		buf_reset(&rs->body);
		http_error(rq, rs, r == M_NOTFOUND ? 404 : 500, r == M_NOTFOUND ? "Not found" : "The file cannot be read");
		return;
	}
	rs->status = 200;
	rs->content_type = type;
	resp_header(rs, "Cache-Control", "public, max-age=31536000, immutable");
	resp_header(rs, "Access-Control-Allow-Origin", "*");
	resp_header(rs, "Content-Security-Policy", "default-src 'none'; sandbox");
	resp_header(rs, "Content-Disposition", "inline");
}

void parley_people_routes(void)
{
	const unsigned A = ROUTE_API, W = ROUTE_API | ROUTE_AUTH;

	router_add("GET", "/api/parley/v1/profile", get_own_profile, W, "read:accounts");
	router_add("PATCH", "/api/parley/v1/profile", patch_own_profile, W, "write:accounts");
	router_add("POST", "/api/parley/v1/profile/skills", post_own_skill, W, "write:accounts");
	router_add("DELETE", "/api/parley/v1/profile/skills/:skill", delete_own_skill, W, "write:accounts");
	router_add("GET", "/api/parley/v1/people/:id/profile", get_person_profile, A, "read:accounts");
	router_add("PATCH", "/api/parley/v1/people/:id/profile", patch_person_profile, W | ROUTE_ADMIN,
		   "admin:write:accounts");
	router_add("GET", "/api/parley/v1/people/:id/card", get_card, A, "read:accounts");
	router_add("GET", "/api/parley/v1/people/:id/org", get_org, A, "read:accounts");
	router_add("GET", "/api/parley/v1/people/:id/vcard", get_vcard, A, "read:accounts");
	router_add("GET", "/api/parley/v1/people/:id/qr", get_qr, A, "read:accounts");
	router_add("POST", "/api/parley/v1/people/:id/skills/:skill/endorse", post_endorse, W, "write:accounts");
	router_add("DELETE", "/api/parley/v1/people/:id/skills/:skill/endorse", post_unendorse, W, "write:accounts");
	router_add("POST", "/api/parley/v1/people/:id/skills/:skill/unendorse", post_unendorse, W, "write:accounts");
	router_add("GET", "/pictures/:name", get_picture, ROUTE_SECRET_PATH, NULL);
}
