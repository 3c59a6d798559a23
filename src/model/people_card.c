/*
 * people_card.c - reporting line, connection chain, shared things,
 * contributions and the vCard (see people_card.h).
 *
 * The connection chain is a breadth-first search from both ends: the
 * viewer's neighbours (follows either way, manager, reports), the
 * person's, then, for the third step, the neighbours of each of the
 * smaller side looked up in the other side (at most CONNECT_SCAN of them,
 * each with at most CONNECT_FANOUT neighbours), so a card costs a bounded
 * number of indexed queries whatever the size of the graph.
 */
#include "model/people_card.h"
#include "model/audience.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"
#include "lib/vcard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONNECT_FANOUT 2000
#define CONNECT_SCAN 300

void people_profile_url(const struct account_row *a, char *out, size_t n)
{
	snprintf(out, n, "%s/@%s", people_base_url(), a->username);
}

static int visible(const struct viewer *v, int64_t id, struct account_row *a)
{
	return store_account_get(id, a) == STORE_OK && strcmp(a->kind, "remote") &&
	       audience_may_see_account(v, a);
}

/* ---- the reporting line ------------------------------------------------------- */

struct id_list {
	int64_t *ids;
	size_t n, max;
	int64_t skip;
};

static void add_id(int64_t id, void *ctx)
{
	struct id_list *l = ctx;

	if (id != l->skip && l->n < l->max)
		l->ids[l->n++] = id;
}

enum mresult people_org(const struct viewer *v, int64_t account_id, struct people_org *out)
{
	struct store_audience aud;
	struct profile_row p;
	struct account_row a;
	struct id_list l;
	int64_t cur;

	memset(out, 0, sizeof *out);
	if (store_profile_get(account_id, &p) != STORE_OK)
		return M_OK;
	audience_filter(v, &aud);
	for (cur = p.manager_id; cur; ) {
		struct profile_row mp;

		if (out->nchain >= PEOPLE_CHAIN_MAX || !visible(v, cur, &a)) {
			out->chain_more = 1;
			break;
		}
		out->chain[out->nchain++] = cur;
		if (store_profile_get(cur, &mp) != STORE_OK)
			break;
		cur = mp.manager_id;
		if (cur == account_id)
			break;  /* never loops: cycles are refused, but be safe */
	}
	l.ids = out->reports;
	l.n = 0;
	l.max = PEOPLE_ORG_MAX;
	l.skip = 0;
	if (store_profile_reports(account_id, &aud, PEOPLE_ORG_MAX, add_id, &l) != STORE_OK)
		return M_ERROR;
	out->nreports = l.n;
	out->reports_total = store_profile_reports_count(account_id);
	if (out->nchain) {
		l.ids = out->peers;
		l.n = 0;
		l.skip = account_id;
		if (store_profile_reports(out->chain[0], &aud, PEOPLE_ORG_MAX, add_id, &l) != STORE_OK)
			return M_ERROR;
		out->npeers = l.n;
	}
	return M_OK;
}

/* ---- the connection chain ------------------------------------------------------- */

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int has(const struct id_list *l, int64_t id)
{
	return bsearch(&id, l->ids, l->n, sizeof id, cmp_id) != NULL;
}

static int neighbours(int64_t id, const struct store_audience *aud, struct id_list *l)
{
	l->n = 0;
	if (store_people_neighbours(id, aud, (int)l->max, add_id, l) != STORE_OK)
		return -1;
	qsort(l->ids, l->n, sizeof l->ids[0], cmp_id);
	return 0;
}

static const char *relation(int64_t a, int64_t b)
{
	struct profile_row p;

	if (store_profile_get(a, &p) == STORE_OK && p.manager_id == b)
		return "reports to";
	if (store_profile_get(b, &p) == STORE_OK && p.manager_id == a)
		return "manages";
	if (store_follow_exists(a, b) == STORE_OK)
		return "follows";
	return "is followed by";
}

enum mresult people_connection(const struct viewer *v, int64_t target, struct people_path *out)
{
	struct store_audience aud;
	struct id_list mine = { NULL, 0, CONNECT_FANOUT, 0 }, theirs = { NULL, 0, CONNECT_FANOUT, 0 };
	struct id_list near = { NULL, 0, CONNECT_FANOUT, 0 };
	enum mresult r = M_NOTFOUND;
	int64_t me;
	size_t i, j;

	memset(out, 0, sizeof *out);
	if (!v->signed_in || v->account.id == target)
		return M_NOTFOUND;
	me = v->account.id;
	audience_filter(v, &aud);
	mine.ids = malloc(CONNECT_FANOUT * sizeof *mine.ids);
	theirs.ids = malloc(CONNECT_FANOUT * sizeof *theirs.ids);
	near.ids = malloc(CONNECT_FANOUT * sizeof *near.ids);
	if (!mine.ids || !theirs.ids || !near.ids) {
		r = M_ERROR;
		goto out;
	}
	mine.skip = me;
	theirs.skip = target;
	if (neighbours(me, &aud, &mine) < 0 || neighbours(target, &aud, &theirs) < 0) {
		r = M_ERROR;
		goto out;
	}
	out->ids[0] = me;
	if (has(&mine, target)) {
		out->steps = 1;
		out->ids[1] = target;
		r = M_OK;
		goto links;
	}
	for (i = 0; i < mine.n; i++)
		if (mine.ids[i] != target && has(&theirs, mine.ids[i])) {
			out->steps = 2;
			out->ids[1] = mine.ids[i];
			out->ids[2] = target;
			r = M_OK;
			goto links;
		}
	/* three steps: me - x - y - target, x among mine, y among theirs */
	{
		int from_mine = mine.n <= theirs.n;
		struct id_list *scan = from_mine ? &mine : &theirs, *other = from_mine ? &theirs : &mine;

		for (i = 0; i < scan->n && i < CONNECT_SCAN; i++) {
			int64_t x = scan->ids[i];

			if (x == me || x == target)
				continue;
			near.skip = x;
			if (neighbours(x, &aud, &near) < 0) {
				r = M_ERROR;
				goto out;
			}
			for (j = 0; j < near.n; j++) {
				int64_t y = near.ids[j];

				if (y == me || y == target || !has(other, y))
					continue;
				out->steps = 3;
				out->ids[1] = from_mine ? x : y;
				out->ids[2] = from_mine ? y : x;
				out->ids[3] = target;
				r = M_OK;
				goto links;
			}
		}
	}
	goto out;
links:
	for (i = 0; i < out->steps; i++)
		out->links[i] = relation(out->ids[i], out->ids[i + 1]);
out:
	free(mine.ids);
	free(theirs.ids);
	free(near.ids);
	return r;
}

/* ---- shared things ------------------------------------------------------------------ */

static void add_space(int64_t id, const char *handle, const char *name, void *ctx)
{
	struct people_shared *s = ctx;

	if (s->nspaces >= PEOPLE_SHARED_MAX)
		return;
	s->spaces[s->nspaces].id = id;
	snprintf(s->spaces[s->nspaces].handle, sizeof s->spaces[0].handle, "%s", handle);
	snprintf(s->spaces[s->nspaces].name, sizeof s->spaces[0].name, "%s", name);
	s->nspaces++;
}

struct items {
	char (*v)[PROFILE_ITEM_BYTES];
	size_t n, max;
};

static void add_item(const char *s, void *ctx)
{
	struct items *it = ctx;

	if (it->n < it->max)
		snprintf(it->v[it->n++], PROFILE_ITEM_BYTES, "%s", s);
}

enum mresult people_shared(const struct viewer *v, int64_t target, struct people_shared *out)
{
	struct profile_skill_row *a, *b;
	char (*ia)[PROFILE_ITEM_BYTES], (*ib)[PROFILE_ITEM_BYTES];
	struct store_audience aud;
	struct id_list fl;
	int na, nb, i, j;
	enum mresult r = M_OK;

	memset(out, 0, sizeof *out);
	if (!v->signed_in || v->account.id == target)
		return M_OK;
	a = malloc(2 * PEOPLE_SKILLS_MAX * sizeof *a);
	ia = malloc(2 * PEOPLE_INTERESTS_MAX * sizeof *ia);
	if (!a || !ia) {
		free(a);
		free(ia);
		return M_ERROR;
	}
	b = a + PEOPLE_SKILLS_MAX;
	ib = ia + PEOPLE_INTERESTS_MAX;
	na = people_skills(v->account.id, 0, a, PEOPLE_SKILLS_MAX);
	nb = people_skills(target, 0, b, PEOPLE_SKILLS_MAX);
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (a[i].skill_id == b[j].skill_id && out->nskills < PEOPLE_SHARED_MAX)
				snprintf(out->skills[out->nskills++], SKILL_NAME_BYTES, "%s", b[j].name);
	{
		struct items x = { ia, 0, PEOPLE_INTERESTS_MAX }, y = { ib, 0, PEOPLE_INTERESTS_MAX };
		size_t k, m;

		store_profile_interests(v->account.id, add_item, &x);
		store_profile_interests(target, add_item, &y);
		for (k = 0; k < x.n; k++)
			for (m = 0; m < y.n; m++)
				if (!strcasecmp(ia[k], ib[m]) && out->ninterests < PEOPLE_SHARED_MAX)
					snprintf(out->interests[out->ninterests++], PROFILE_ITEM_BYTES, "%s", ib[m]);
	}
	if (store_people_common_spaces(v->account.id, target, add_space, out) != STORE_OK)
		r = M_ERROR;
	audience_filter(v, &aud);
	fl.ids = out->follows;
	fl.n = 0;
	fl.max = PEOPLE_SHARED_MAX;
	fl.skip = 0;
	if (store_people_common_follows(v->account.id, target, &aud, PEOPLE_SHARED_MAX, add_id, &fl) != STORE_OK)
		r = M_ERROR;
	out->nfollows = fl.n;
	free(a);
	free(ia);
	return r;
}

enum mresult people_contributions(const struct viewer *v, int64_t account_id, int64_t *posts,
				  int64_t *articles)
{
	*posts = *articles = 0;
	return store_people_contributions(account_id, viewer_is_staff(v), posts, articles) == STORE_OK
	       ? M_OK : M_ERROR;
}

/* ---- the business card --------------------------------------------------------------- */

/* A language tag such as "en" or "pt-BR" (LANG needs one; free-text
 * languages such as "English" are left out of LANG). */
static int language_tag(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 2 || n > 12)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-'))
			return 0;
	return s[2] == '\0' || s[2] == '-' || (n == 3);
}

enum mresult people_vcard(const struct viewer *v, const struct account_row *a, const char *org_name,
			  struct buf *out)
{
	struct profile_view *pv;
	struct profile_skill_row *skills;
	const char *cats[PEOPLE_SKILLS_MAX];
	char url[700], photo[700], rev[32];
	int n, i;
	size_t k;

	if (people_view_load(v, a, &pv) != M_OK)
		return M_ERROR;
	skills = malloc(PEOPLE_SKILLS_MAX * sizeof *skills);
	if (!skills) {
		people_view_free(pv);
		return M_ERROR;
	}
	people_profile_url(a, url, sizeof url);
	vcard_begin(out);
	vcard_prop(out, "KIND", NULL, "individual");
	vcard_prop(out, "FN", NULL, a->display_name[0] ? a->display_name : a->username);
	vcard_prop(out, "NICKNAME", NULL, a->username);
	if (pv->p.text[PF_PRONOUNS][0])
		vcard_prop(out, "PRONOUNS", NULL, pv->p.text[PF_PRONOUNS]);  /* RFC 9554 */
	vcard_prop(out, "TITLE", NULL, pv->p.text[PF_HEADLINE]);
	if (pv->p.text[PF_DEPARTMENT][0] || pv->p.text[PF_TEAM][0] || (org_name && *org_name)) {
		const char *org[3] = { org_name ? org_name : "", pv->p.text[PF_DEPARTMENT], pv->p.text[PF_TEAM] };

		vcard_prop_parts(out, "ORG", NULL, org, pv->p.text[PF_TEAM][0] ? 3 : pv->p.text[PF_DEPARTMENT][0] ? 2 : 1);
	}
	vcard_prop(out, "TEL", ";TYPE=work,voice;VALUE=text", pv->p.text[PF_PHONE]);
	vcard_prop(out, "EMAIL", ";TYPE=work", pv->p.text[PF_EMAIL]);
	if (pv->p.text[PF_LOCATION][0]) {
		const char *adr[7] = { "", "", "", pv->p.text[PF_LOCATION], "", "", "" };

		vcard_prop_parts(out, "ADR", ";TYPE=work", adr, 7);
	}
	vcard_prop(out, "TZ", NULL, pv->p.text[PF_TIMEZONE]);
	for (k = 0, i = 1; k < pv->nlanguages; k++)
		if (language_tag(pv->languages[k])) {
			char pref[24];

			snprintf(pref, sizeof pref, ";PREF=%d", i++);
			vcard_prop(out, "LANG", pref, pv->languages[k]);
		}
	n = people_skills(a->id, 0, skills, PEOPLE_SKILLS_MAX);
	for (i = 0; i < n; i++)
		cats[i] = skills[i].name;
	if (n > 0)
		vcard_prop_list(out, "CATEGORIES", NULL, cats, (size_t)n);
	if (a->note[0]) {
		struct buf plain = BUF_INIT;

		if (markdown_plain(a->note, strlen(a->note), &plain) == 0)
			vcard_prop(out, "NOTE", NULL, buf_str(&plain));
		buf_release(&plain);
	}
	vcard_prop_uri(out, "URL", NULL, url);
	for (k = 0; k < pv->nlinks; k++)
		if (!strncmp(pv->links[k].value, "https://", 8) || !strncmp(pv->links[k].value, "http://", 7))
			vcard_prop_uri(out, "URL", NULL, pv->links[k].value);
	if (pv->p.avatar_key[0]) {
		people_image_url(&pv->p, PEOPLE_AVATAR, 0, photo, sizeof photo);
		vcard_prop_uri(out, "PHOTO", NULL, photo);
	}
	vcard_prop_uri(out, "UID", NULL, url);
	{
		int64_t ms = pv->p.updated_at ? pv->p.updated_at : a->created_at;
		time_t t = (time_t)(ms / 1000);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(rev, sizeof rev, "%Y%m%dT%H%M%SZ", &tm);
		vcard_prop(out, "REV", NULL, rev);
	}
	vcard_end(out);
	free(skills);
	people_view_free(pv);
	return out->failed ? M_ERROR : M_OK;
}
