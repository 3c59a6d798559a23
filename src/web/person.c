/*
 * person.c - the person part of /@username (see person.h), and its
 * routes:
 *
 *   GET  /@:user/vcard                         the business card (vCard 4.0)
 *   GET  /@:user/qr                            QR code (PNG) of the profile URL
 *   POST /@:user/skills/:skill/endorse         endorse (on=1) or withdraw (on=0)
 *
 * These routes are added before the post pages' "/@:user/:id" (see
 * web/routes.c), which would otherwise take "vcard" for a post id.
 */
#include "web/person.h"
#include "api/parley/parley.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/people_card.h"
#include "model/question.h"
#include "web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENDORSERS_SHOWN 5

static json_t *person_link(int64_t id, const struct request *rq)
{
	struct account_row a;

	if (store_account_get(id, &a) != STORE_OK || !audience_may_see_account(&rq->viewer, &a))
		return NULL;
	return json_pack("{s:s, s:s}", "username", a.username,
			 "display_name", a.display_name[0] ? a.display_name : a.username);
}

static json_t *links_of(const struct request *rq, const int64_t *ids, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *p = person_link(ids[i], rq);

		if (p)
			json_array_append_new(arr, p);
	}
	return arr;
}

struct endorsers {
	const struct request *rq;
	json_t *arr;
};

static void add_endorser(int64_t id, void *ctx)
{
	struct endorsers *e = ctx;
	json_t *p = person_link(id, e->rq);

	if (p)
		json_array_append_new(e->arr, p);
}

static json_t *skills_json(struct request *rq, const struct account_row *a)
{
	struct profile_skill_row *s = malloc(PEOPLE_SKILLS_MAX * sizeof *s);
	struct store_audience aud;
	json_t *arr = json_array();
	int n, i, can = rq->viewer.signed_in && rq->viewer.account.id != a->id;
	char id[24];

	if (!s)
		return arr;
	audience_filter(&rq->viewer, &aud);
	n = people_skills(a->id, rq->viewer.signed_in ? rq->viewer.account.id : 0, s, PEOPLE_SKILLS_MAX);
	for (i = 0; i < n; i++) {
		struct endorsers e = { rq, json_array() };

		char text[48];

		store_endorsers(a->id, s[i].skill_id, &aud, ENDORSERS_SHOWN, add_endorser, &e);
		snprintf(text, sizeof text, "%lld endorsement%s", (long long)s[i].endorsements,
			 s[i].endorsements == 1 ? "" : "s");
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:I, s:s, s:b, s:b, s:o, s:b}",
			"id", id_format(id, sizeof id, s[i].skill_id), "name", s[i].name,
			"level", people_level_name(s[i].level), "endorsements", (json_int_t)s[i].endorsements,
			"endorsements_text", text, "endorsed", s[i].endorsed_by_viewer, "can_endorse", can,
			"endorsers", e.arr, "has_endorsers", json_array_size(e.arr) > 0));
	}
	free(s);
	return arr;
}

static int http_url(const char *s)
{
	return !strncmp(s, "https://", 8) || !strncmp(s, "http://", 7);
}

json_t *web_person_json(struct request *rq, const struct account_row *a)
{
	struct profile_view *pv;
	struct people_org org;
	struct people_path path;
	json_t *j, *facts, *arr;
	char url[700];
	size_t i;
	int64_t posts = 0, articles = 0, answers = 0, accepted = 0;

	if (people_view_load(&rq->viewer, a, &pv) != M_OK)
		return json_object();
	j = json_object();
	people_image_url(&pv->p, PEOPLE_AVATAR, 0, url, sizeof url);
	json_object_set_new(j, "avatar", json_string(url));
	if (pv->p.header_key[0]) {
		people_image_url(&pv->p, PEOPLE_HEADER, 0, url, sizeof url);
		json_object_set_new(j, "header", json_string(url));
	}
	json_object_set_new(j, "headline", json_string(pv->p.text[PF_HEADLINE]));
	json_object_set_new(j, "pronouns", json_string(pv->p.text[PF_PRONOUNS]));
	facts = json_array();
	{
		static const int shown[] = { PF_DEPARTMENT, PF_TEAM, PF_LOCATION, PF_TIMEZONE, PF_WORKING_HOURS,
					     PF_PHONE, PF_EMAIL };
		size_t k;

		for (k = 0; k < sizeof shown / sizeof shown[0]; k++)
			if (pv->p.text[shown[k]][0])
				json_array_append_new(facts, json_pack("{s:s, s:s, s:b}", "label",
					people_fact_label(shown[k]), "value", pv->p.text[shown[k]],
					"email", shown[k] == PF_EMAIL));
	}
	if (pv->nlanguages) {
		struct buf l = BUF_INIT;

		for (i = 0; i < pv->nlanguages; i++) {
			if (i)
				buf_puts(&l, ", ");
			buf_puts(&l, pv->languages[i]);
		}
		json_array_append_new(facts, json_pack("{s:s, s:s}", "label", "Languages", "value", buf_str(&l)));
		buf_release(&l);
	}
	for (i = 0; i < pv->ncustom; i++)
		if (pv->custom[i].value[0])
			json_array_append_new(facts, json_pack("{s:s, s:s}", "label", pv->custom[i].name,
							       "value", pv->custom[i].value));
	json_object_set_new(j, "has_facts", json_boolean(json_array_size(facts) > 0));
	json_object_set_new(j, "facts", facts);
	arr = json_array();
	for (i = 0; i < pv->nlinks; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "name", pv->links[i].name,
						     "value", pv->links[i].value, "is_url", http_url(pv->links[i].value)));
	json_object_set_new(j, "has_links", json_boolean(json_array_size(arr) > 0));
	json_object_set_new(j, "links", arr);
	arr = json_array();
	for (i = 0; i < pv->ninterests; i++)
		json_array_append_new(arr, json_string(pv->interests[i]));
	json_object_set_new(j, "has_interests", json_boolean(json_array_size(arr) > 0));
	json_object_set_new(j, "interests", arr);
	{
		struct buf html = BUF_INIT;

		people_bio_html(a->note, &html);
		json_object_set_new(j, "bio_html", json_string(buf_str(&html)));
		buf_release(&html);
	}
	if (pv->away) {
		char day[32];

		time_format_iso(day, sizeof day, pv->p.away_until);
		day[10] = '\0';
		json_object_set_new(j, "away_until", json_string(day));
	}
	json_object_set_new(j, "status", json_string(pv->p.status_text));
	json_object_set_new(j, "skills", skills_json(rq, a));
	if (people_org(&rq->viewer, a->id, &org) == M_OK) {
		json_t *o = json_pack("{s:o, s:b, s:o, s:o}", "managers", links_of(rq, org.chain, org.nchain),
				      "more_above", org.chain_more, "reports", links_of(rq, org.reports, org.nreports),
				      "peers", links_of(rq, org.peers, org.npeers));

		if (org.reports_total > (int64_t)org.nreports)
			json_object_set_new(o, "reports_more", json_integer(org.reports_total - (int64_t)org.nreports));
		json_object_set_new(o, "has_managers", json_boolean(json_array_size(json_object_get(o, "managers"))));
		json_object_set_new(o, "has_reports", json_boolean(json_array_size(json_object_get(o, "reports"))));
		json_object_set_new(o, "has_peers", json_boolean(json_array_size(json_object_get(o, "peers"))));
		if (json_array_size(json_object_get(o, "managers")) || json_array_size(json_object_get(o, "reports")) ||
		    json_array_size(json_object_get(o, "peers")))
			json_object_set_new(o, "any", json_true());
		json_object_set_new(j, "org", o);
	}
	people_contributions(&rq->viewer, a->id, &posts, &articles);
	question_contributions(&rq->viewer, a->id, &answers, &accepted);
	json_object_set_new(j, "contributions", json_pack("{s:I, s:I, s:I, s:I}", "answers", (json_int_t)answers,
							 "accepted_answers", (json_int_t)accepted, "posts", (json_int_t)posts,
							 "articles", (json_int_t)articles));
	if (rq->viewer.signed_in && rq->viewer.account.id != a->id) {
		struct people_shared *sh = calloc(1, sizeof *sh);

		if (sh && people_shared(&rq->viewer, a->id, sh) == M_OK) {
			json_t *s = json_object(), *x;

			x = json_array();
			for (i = 0; i < sh->nskills; i++)
				json_array_append_new(x, json_string(sh->skills[i]));
			json_object_set_new(s, "skills", x);
			x = json_array();
			for (i = 0; i < sh->ninterests; i++)
				json_array_append_new(x, json_string(sh->interests[i]));
			json_object_set_new(s, "interests", x);
			x = json_array();
			for (i = 0; i < sh->nspaces; i++)
				json_array_append_new(x, json_pack("{s:s, s:s}", "handle", sh->spaces[i].handle,
								   "name", sh->spaces[i].name));
			json_object_set_new(s, "spaces", x);
			json_object_set_new(s, "follows", links_of(rq, sh->follows, sh->nfollows));
			json_object_set_new(s, "has_skills", json_boolean(sh->nskills));
			json_object_set_new(s, "has_interests", json_boolean(sh->ninterests));
			json_object_set_new(s, "has_spaces", json_boolean(sh->nspaces));
			json_object_set_new(s, "has_follows", json_boolean(json_array_size(json_object_get(s, "follows"))));
			if (sh->nskills || sh->ninterests || sh->nspaces || json_array_size(json_object_get(s, "follows")))
				json_object_set_new(s, "any", json_true());
			json_object_set_new(j, "shared", s);
		}
		free(sh);
		if (people_connection(&rq->viewer, a->id, &path) == M_OK) {
			json_t *steps = json_array();

			for (i = 1; i <= path.steps; i++) {
				json_t *p = person_link(path.ids[i], rq);

				if (!p)
					break;
				json_object_set_new(p, "link", json_string(path.links[i - 1]));
				json_array_append_new(steps, p);
			}
			json_object_set_new(j, "connection", json_pack("{s:i, s:o}", "degree", (int)path.steps,
								       "steps", steps));
		}
	}
	people_view_free(pv);
	return j;
}

/* ---- routes -------------------------------------------------------------- */

static int path_account(struct request *rq, struct response *rs, struct account_row *a)
{
	const char *user = req_param(rq, "user");

	if (!user || store_account_by_username(user, a) != STORE_OK || !audience_may_see_account(&rq->viewer, a)) {
		http_error(rq, rs, 404, "There is nobody here by that name");
		return -1;
	}
	return 0;
}

static void get_vcard(struct request *rq, struct response *rs)
{
	struct account_row a;

	if (path_account(rq, rs, &a) == 0)
		parley_answer_vcard(rq, rs, &a);
}

static void get_qr(struct request *rq, struct response *rs)
{
	struct account_row a;

	if (path_account(rq, rs, &a) == 0)
		parley_answer_qr(rq, rs, &a);
}

static void post_endorse(struct request *rq, struct response *rs)
{
	struct account_row a;
	struct skill_row s;
	char err[256] = "", path[80];
	int on = params_get_bool(&rq->form, "on", 1) != 0;
	enum mresult r;

	if (path_account(rq, rs, &a) < 0)
		return;
	if (people_skill_lookup(req_param(rq, "skill"), &s) != M_OK) {
		http_error(rq, rs, 404, "No such skill");
		return;
	}
	r = people_endorse(&rq->viewer, a.id, s.id, on, err, sizeof err);
	if (r != M_OK) {
		http_error(rq, rs, http_status_for(r), err);
		return;
	}
	snprintf(path, sizeof path, "/@%s#skills", a.username);
	page_redirect(rq, rs, path, on ? "Endorsed. Thank you for vouching." : "Endorsement withdrawn.");
}

void web_person_routes(void)
{
	router_add("GET", "/@:user/vcard", get_vcard, 0, NULL);
	router_add("GET", "/@:user/qr", get_qr, 0, NULL);
	router_add("POST", "/@:user/skills/:skill/endorse", post_endorse, ROUTE_AUTH, NULL);
}
