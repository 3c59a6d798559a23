/*
 * people.c - profiles, skills, endorsements, the vocabulary, custom
 * fields and pictures (see people.h).
 *
 * Editing goes: validate every field of the edit into a copy of the
 * profile row (nothing is written while anything is wrong) -> begin ->
 * write the row, the lists, the custom values -> rebuild the search index
 * row -> commit. The reporting line is checked for cycles inside the same
 * transaction, so two people naming each other at once cannot both win.
 */
#include "model/people.h"
#include "model/audience.h"
#include "model/people_search.h"
#include "lib/fuzzy.h"
#include "lib/id.h"
#include "lib/image.h"
#include "lib/log.h"
#include "lib/markdown.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"
#include "store/store_media.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char base_url[512];
static size_t max_image_bytes = 2u << 20;

int people_configure(const struct people_settings *s, char *err, size_t errlen)
{
	snprintf(base_url, sizeof base_url, "%s", s->base_url ? s->base_url : "");
	if (s->max_image_bytes)
		max_image_bytes = s->max_image_bytes;
	if (s->data_dir) {
		char dir[1100];

		if ((size_t)snprintf(dir, sizeof dir, "%s/media", s->data_dir) >= sizeof dir) {
			snprintf(err, errlen, "data directory path too long");
			return -1;
		}
		return store_media_files_open(dir, err, errlen);
	}
	return 0;
}

const char *people_base_url(void)
{
	return base_url;
}

/* ---- names -------------------------------------------------------------- */

const char *people_vis_name(int level)
{
	return level == VIS_ORGANISATION ? "organisation" : level == VIS_ONLY_ME ? "only_me" : "public";
}

int people_vis_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "public"))
		return VIS_PUBLIC;
	if (!strcmp(s, "organisation") || !strcmp(s, "organization") || !strcmp(s, "staff"))
		return VIS_ORGANISATION;
	if (!strcmp(s, "only_me") || !strcmp(s, "only me") || !strcmp(s, "private") || !strcmp(s, "me"))
		return VIS_ONLY_ME;
	return -1;
}

int people_vis_max(const struct viewer *v, int64_t account_id)
{
	if (v->signed_in && v->account.id == account_id)
		return VIS_ONLY_ME;
	return viewer_is_staff(v) ? VIS_ORGANISATION : VIS_PUBLIC;
}

static const char *const fact_names[PF_NVIS] = {
	"headline", "department", "team", "location", "timezone", "working_hours", "pronouns",
	"phone", "email", "languages", "links",
};
static const char *const fact_labels[PF_NVIS] = {
	"Headline", "Department", "Team", "Location", "Time zone", "Working hours", "Pronouns",
	"Phone", "Email", "Languages", "Links",
};

const char *people_fact_name(int f)
{
	return f >= 0 && f < PF_NVIS ? fact_names[f] : "";
}

const char *people_fact_label(int f)
{
	return f >= 0 && f < PF_NVIS ? fact_labels[f] : "";
}

int people_fact_parse(const char *name)
{
	int i;

	for (i = 0; name && i < PF_NVIS; i++)
		if (!strcmp(name, fact_names[i]))
			return i;
	return -1;
}

const char *people_level_name(int level)
{
	return level == 3 ? "expert" : level == 2 ? "practised" : "learning";
}

int people_level_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "learning") || !strcmp(s, "beginner") || !strcmp(s, "1"))
		return 1;
	if (!strcmp(s, "practised") || !strcmp(s, "practiced") || !strcmp(s, "intermediate") ||
	    !strcmp(s, "2"))
		return 2;
	if (!strcmp(s, "expert") || !strcmp(s, "advanced") || !strcmp(s, "3"))
		return 3;
	return -1;
}

/* ---- text checks ---------------------------------------------------------- */

/* Trim s into out; -1 when it is not one line of UTF-8 of at most max
 * characters (or does not fit in n bytes). */
static int one_line(const char *s, size_t max, char *out, size_t n)
{
	size_t len;
	const char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	len = (size_t)(e - s);
	if (len >= n || !utf8_valid(s, len))
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	for (e = out; *e; e++)
		if ((unsigned char)*e < 0x20 || *e == 0x7f)
			return -1;
	return utf8_chars(out) <= max ? 0 : -1;
}

static int email_ok(const char *e)
{
	const char *at = strchr(e, '@');

	return at && at != e && !strchr(at + 1, '@') && strchr(at + 1, '.') && at[1] != '.' &&
	       e[strlen(e) - 1] != '.' && !strpbrk(e, " <>\",;");
}

/* ---- reading ------------------------------------------------------------------ */

struct list_fill {
	char (*items)[PROFILE_ITEM_BYTES];
	size_t n, max;
};

static void fill_item(const char *s, void *ctx)
{
	struct list_fill *f = ctx;

	if (f->n < f->max)
		snprintf(f->items[f->n++], PROFILE_ITEM_BYTES, "%s", s);
}

static void fill_link(const char *name, const char *value, void *ctx)
{
	struct profile_view *pv = ctx;

	if (pv->nlinks < PEOPLE_LINKS_MAX) {
		snprintf(pv->links[pv->nlinks].name, sizeof pv->links[0].name, "%s", name);
		snprintf(pv->links[pv->nlinks].value, sizeof pv->links[0].value, "%s", value);
		pv->nlinks++;
	}
}

struct defs_fill {
	struct profile_view *pv;
	int vis_max;
};

static void fill_def(const struct field_def_row *d, void *ctx)
{
	struct defs_fill *f = ctx;
	struct profile_custom *c;

	if (f->pv->ncustom >= PEOPLE_FIELDS_MAX || d->visibility > f->vis_max)
		return;
	c = &f->pv->custom[f->pv->ncustom++];
	memset(c, 0, sizeof *c);
	c->field_id = d->id;
	snprintf(c->name, sizeof c->name, "%s", d->name);
	snprintf(c->kind, sizeof c->kind, "%s", d->kind);
	c->visibility = d->visibility;
}

static void fill_value(int64_t field_id, const char *value, void *ctx)
{
	struct profile_view *pv = ctx;
	size_t i;

	for (i = 0; i < pv->ncustom; i++)
		if (pv->custom[i].field_id == field_id)
			snprintf(pv->custom[i].value, sizeof pv->custom[i].value, "%s", value);
}

enum mresult people_view_load(const struct viewer *v, const struct account_row *a,
			      struct profile_view **out)
{
	struct profile_view *pv = calloc(1, sizeof *pv);
	struct list_fill lf;
	struct defs_fill df;
	int i, rc;

	*out = NULL;
	if (!pv)
		return M_ERROR;
	pv->account = *a;
	pv->self = v->signed_in && v->account.id == a->id;
	pv->vis_max = people_vis_max(v, a->id);
	rc = store_profile_get(a->id, &pv->p);
	if (rc == STORE_NOTFOUND) {
		pv->p.account_id = a->id;
		pv->p.vis[PF_PHONE] = pv->p.vis[PF_EMAIL] = VIS_ORGANISATION;
	} else if (rc != STORE_OK) {
		free(pv);
		return M_ERROR;
	}
	for (i = 0; i < PF_NTEXT; i++)
		if (pv->p.vis[i] > pv->vis_max)
			pv->p.text[i][0] = '\0';
	pv->away = pv->p.away_until > time_now_ms();
	if (pv->p.vis[PF_LANGUAGES] <= pv->vis_max) {
		lf.items = pv->languages;
		lf.n = 0;
		lf.max = PEOPLE_LANGUAGES_MAX;
		store_profile_languages(a->id, fill_item, &lf);
		pv->nlanguages = lf.n;
	}
	lf.items = pv->interests;
	lf.n = 0;
	lf.max = PEOPLE_INTERESTS_MAX;
	store_profile_interests(a->id, fill_item, &lf);
	pv->ninterests = lf.n;
	if (pv->p.vis[PF_LINKS] <= pv->vis_max)
		store_profile_links(a->id, fill_link, pv);
	df.pv = pv;
	df.vis_max = pv->vis_max;
	store_field_defs(fill_def, &df);
	store_field_values(a->id, fill_value, pv);
	*out = pv;
	return M_OK;
}

void people_view_free(struct profile_view *pv)
{
	free(pv);
}

struct skills_fill {
	struct profile_skill_row *out;
	size_t n, max;
};

static void fill_skill(const struct profile_skill_row *r, void *ctx)
{
	struct skills_fill *f = ctx;

	if (f->n < f->max)
		f->out[f->n++] = *r;
}

int people_skills(int64_t account_id, int64_t viewer_id, struct profile_skill_row *out, size_t max)
{
	struct skills_fill f = { out, 0, max };

	if (store_profile_skills(account_id, viewer_id, fill_skill, &f) != STORE_OK)
		return -1;
	return (int)f.n;
}

int people_bio_html(const char *note, struct buf *out)
{
	struct markdown_opts o;

	if (!note || !*note)
		return 0;
	memset(&o, 0, sizeof o);
	o.base_url = base_url;
	return markdown_render(note, strlen(note), &o, out, NULL);
}

/* ---- the search index -------------------------------------------------------- */

static void index_alias(const char *alias, void *ctx)
{
	struct buf *b = ctx;

	buf_putc(b, ' ');
	buf_puts(b, alias);
}

static void index_skill(const struct profile_skill_row *r, void *ctx)
{
	struct buf *b = ctx;

	buf_putc(b, ' ');
	buf_puts(b, r->name);
}

static void index_item(const char *s, void *ctx)
{
	struct buf *b = ctx;

	buf_putc(b, ' ');
	buf_puts(b, s);
}

static void facet_item(const char *s, void *ctx)
{
	struct buf *b = ctx;

	if (b->len)
		buf_putc(b, '\n');
	buf_puts(b, s);
}

struct skill_ids {
	int64_t ids[PEOPLE_SKILLS_MAX * 2];
	size_t n;
};

static void collect_skill_id(const struct profile_skill_row *r, void *ctx)
{
	struct skill_ids *s = ctx;

	if (s->n < sizeof s->ids / sizeof s->ids[0])
		s->ids[s->n++] = r->skill_id;
}

struct value_index {
	struct buf *info, *org;
	struct { int64_t id; int vis; } defs[PEOPLE_FIELDS_MAX];
	size_t ndefs;
};

static void note_def(const struct field_def_row *d, void *ctx)
{
	struct value_index *vi = ctx;

	if (vi->ndefs < PEOPLE_FIELDS_MAX) {
		vi->defs[vi->ndefs].id = d->id;
		vi->defs[vi->ndefs].vis = d->visibility;
		vi->ndefs++;
	}
}

static void index_value(int64_t field_id, const char *value, void *ctx)
{
	struct value_index *vi = ctx;
	size_t i;

	for (i = 0; i < vi->ndefs; i++)
		if (vi->defs[i].id == field_id) {
			if (vi->defs[i].vis == VIS_PUBLIC)
				index_item(value, vi->info);
			else if (vi->defs[i].vis == VIS_ORGANISATION)
				index_item(value, vi->org);
		}
}

enum mresult people_reindex(int64_t account_id)
{
	static const int searchable[] = { PF_HEADLINE, PF_DEPARTMENT, PF_TEAM, PF_LOCATION };
	struct buf skills = BUF_INIT, info = BUF_INIT, org = BUF_INIT, langs = BUF_INIT, skill_ids = BUF_INIT;
	struct profile_row p;
	struct skill_ids ids;
	struct value_index vi;
	size_t i;
	int rc;

	if (store_profile_get(account_id, &p) != STORE_OK)
		return M_ERROR;
	ids.n = 0;
	store_profile_skills(account_id, 0, index_skill, &skills);
	store_profile_skills(account_id, 0, collect_skill_id, &ids);
	for (i = 0; i < ids.n; i++)
		store_skill_aliases(ids.ids[i], index_alias, &skills);
	store_profile_interests(account_id, index_item, &skills);
	for (i = 0; i < sizeof searchable / sizeof searchable[0]; i++) {
		int f = searchable[i];

		if (p.vis[f] == VIS_PUBLIC)
			index_item(p.text[f], &info);
		else if (p.vis[f] == VIS_ORGANISATION)
			index_item(p.text[f], &org);
	}
	if (p.vis[PF_LANGUAGES] != VIS_ONLY_ME)
		store_profile_languages(account_id, index_item, p.vis[PF_LANGUAGES] == VIS_PUBLIC ? &info : &org);
	memset(&vi, 0, sizeof vi);
	vi.info = &info;
	vi.org = &org;
	store_field_defs(note_def, &vi);
	store_field_values(account_id, index_value, &vi);
	/* the facet copies: languages (newline-separated) and skill ids */
	store_profile_languages(account_id, facet_item, &langs);
	for (i = 0; i < ids.n; i++)
		buf_printf(&skill_ids, "%s%lld", i ? "," : "", (long long)ids.ids[i]);
	rc = skills.failed || info.failed || org.failed || langs.failed || skill_ids.failed ? STORE_ERROR :
	     store_profile_index(account_id, buf_str(&skills), buf_str(&info), buf_str(&org),
				 buf_str(&langs), buf_str(&skill_ids));
	buf_release(&skills);
	buf_release(&info);
	buf_release(&org);
	buf_release(&langs);
	buf_release(&skill_ids);
	return rc == STORE_OK ? M_OK : M_ERROR;
}

/* ---- editing -------------------------------------------------------------------- */

void people_edit_init(struct people_edit *e)
{
	int i;

	memset(e, 0, sizeof *e);
	for (i = 0; i < PF_NVIS; i++)
		e->vis[i] = -1;
}

static const char *form_get(struct people_form *f, const char *prefix, const char *key, char *tmp,
			    size_t n)
{
	if (*prefix) {
		const char *b = strchr(key, '[');

		/* "visibility[phone]" under "parley" is "parley[visibility][phone]" */
		if (b)
			snprintf(tmp, n, "%s[%.*s]%s", prefix, (int)(b - key), key, b);
		else
			snprintf(tmp, n, "%s[%s]", prefix, key);
		key = tmp;
	}
	return f->get(f->ctx, key);
}

/* A list from key[] or, failing that, a comma-separated key. */
static int form_list(struct people_form *f, const char *prefix, const char *key, const char **out,
		     size_t max, size_t *n, size_t *split_used)
{
	char k[128], tmp[160];
	const char *one;
	size_t got;

	snprintf(k, sizeof k, "%s[]", key);
	if (*prefix) {
		snprintf(tmp, sizeof tmp, "%s[%s][]", prefix, key);
		got = f->get_array(f->ctx, tmp, out, max);
	} else {
		got = f->get_array(f->ctx, k, out, max);
	}
	if (got) {
		/* a lone empty value clears the list */
		*n = got == 1 && !out[0][0] ? 0 : got;
		return 1;
	}
	one = form_get(f, prefix, key, tmp, sizeof tmp);
	if (!one)
		return 0;
	*n = 0;
	while (*one && *n < max && *split_used < sizeof f->split / sizeof f->split[0]) {
		size_t l = strcspn(one, ",;");
		char *dst = f->split[(*split_used)++];

		snprintf(dst, sizeof f->split[0], "%.*s", (int)(l < sizeof f->split[0] - 1 ? l : sizeof f->split[0] - 1), one);
		if (dst[strspn(dst, " \t")])
			out[(*n)++] = dst;
		one += l;
		if (*one)
			one++;
	}
	return 1;
}

struct form_defs {
	struct people_form *f;
	const char *prefix;
	struct people_edit *e;
};

static void form_custom(const struct field_def_row *d, void *ctx)
{
	struct form_defs *fd = ctx;
	char key[64], tmp[128];
	const char *v;

	snprintf(key, sizeof key, "custom_%lld", (long long)d->id);
	v = form_get(fd->f, fd->prefix, key, tmp, sizeof tmp);
	if (v && fd->e->ncustom < PEOPLE_FIELDS_MAX) {
		fd->e->custom[fd->e->ncustom].field_id = d->id;
		fd->e->custom[fd->e->ncustom].value = v;
		fd->e->ncustom++;
	}
}

int people_edit_read(struct people_form *f, const char *prefix, struct people_edit *e,
		     char *err, size_t errlen)
{
	char key[96], tmp[160];
	const char *v;
	size_t used = 0, i;
	struct form_defs fd;
	int k;

	for (k = 0; k < PF_NTEXT; k++)
		e->text[k] = form_get(f, prefix, people_fact_name(k), tmp, sizeof tmp);
	for (k = 0; k < PF_NVIS; k++) {
		snprintf(key, sizeof key, "visibility[%s]", people_fact_name(k));
		v = form_get(f, prefix, key, tmp, sizeof tmp);
		if (!v || !*v)
			continue;
		e->vis[k] = people_vis_parse(v);
		if (e->vis[k] < 0) {
			snprintf(err, errlen, "Visibility of %s must be public, organisation or only_me",
				 people_fact_name(k));
			return -1;
		}
	}
	e->set_languages = form_list(f, prefix, "languages", e->languages, PEOPLE_LANGUAGES_MAX + 1,
				     &e->nlanguages, &used);
	e->set_interests = form_list(f, prefix, "interests", e->interests, PEOPLE_INTERESTS_MAX + 1,
				     &e->ninterests, &used);
	for (i = 0; i < PEOPLE_LINKS_MAX * 2 && e->nlinks <= PEOPLE_LINKS_MAX; i++) {
		const char *nm, *val;

		snprintf(key, sizeof key, "links[%zu][name]", i);
		nm = form_get(f, prefix, key, tmp, sizeof tmp);
		snprintf(key, sizeof key, "links[%zu][value]", i);
		val = form_get(f, prefix, key, tmp, sizeof tmp);
		if (!nm && !val)
			continue;
		e->set_links = 1;
		e->link_names[e->nlinks] = nm ? nm : "";
		e->link_values[e->nlinks] = val ? val : "";
		e->nlinks++;
	}
	e->status_text = form_get(f, prefix, "status", tmp, sizeof tmp);
	e->away_until = form_get(f, prefix, "away_until", tmp, sizeof tmp);
	e->manager = form_get(f, prefix, "manager", tmp, sizeof tmp);
	fd.f = f;
	fd.prefix = prefix;
	fd.e = e;
	store_field_defs(form_custom, &fd);
	return 0;
}

/* 1 when naming manager_id as account_id's manager closes a loop. */
static int makes_cycle(int64_t account_id, int64_t manager_id)
{
	int64_t cur = manager_id;
	int steps;

	for (steps = 0; cur && steps < 10000; steps++) {
		struct profile_row p;

		if (cur == account_id)
			return 1;
		if (store_profile_get(cur, &p) != STORE_OK)
			return 0;
		cur = p.manager_id;
	}
	return cur != 0; /* a chain that long is already a loop */
}

static enum mresult check_fact(int f, const char *in, char *out, size_t n, char *err, size_t errlen)
{
	if (one_line(in, PEOPLE_TEXT_CHARS, out, n) < 0) {
		snprintf(err, errlen, "%s must be one line of at most %d characters", people_fact_label(f),
			 PEOPLE_TEXT_CHARS);
		return M_INVALID;
	}
	if (f == PF_EMAIL && out[0] && (strlen(out) > ACCOUNT_EMAIL_MAX || !email_ok(out))) {
		snprintf(err, errlen, "Email is not a valid address");
		return M_INVALID;
	}
	if (f == PF_TIMEZONE) {
		const char *c;

		for (c = out; *c; c++)
			if (!isalnum((unsigned char)*c) && !strchr("/_+-:", *c)) {
				snprintf(err, errlen, "Time zone must be a name such as Europe/Paris or UTC+01:00");
				return M_INVALID;
			}
	}
	return M_OK;
}

/* The validated lists of an edit, copied. */
struct edit_lists {
	char languages[PEOPLE_LANGUAGES_MAX][PROFILE_ITEM_BYTES];
	const char *lang_p[PEOPLE_LANGUAGES_MAX];
	char interests[PEOPLE_INTERESTS_MAX][PROFILE_ITEM_BYTES];
	const char *int_p[PEOPLE_INTERESTS_MAX];
	char link_names[PEOPLE_LINKS_MAX][PROFILE_LINK_NAME_BYTES];
	char link_values[PEOPLE_LINKS_MAX][PROFILE_LINK_VALUE_BYTES];
	const char *ln_p[PEOPLE_LINKS_MAX], *lv_p[PEOPLE_LINKS_MAX];
	size_t nlang, nint, nlinks;
	char custom[PEOPLE_FIELDS_MAX][FIELD_VALUE_BYTES];
};

static enum mresult check_items(const char *const *in, size_t n, size_t max, const char *what,
				char (*out)[PROFILE_ITEM_BYTES], const char **ptrs, size_t *nout,
				char *err, size_t errlen)
{
	size_t i;

	*nout = 0;
	if (n > max) {
		snprintf(err, errlen, "At most %zu %s", max, what);
		return M_INVALID;
	}
	for (i = 0; i < n; i++) {
		if (one_line(in[i], PEOPLE_ITEM_CHARS, out[*nout], PROFILE_ITEM_BYTES) < 0) {
			snprintf(err, errlen, "Each of the %s must be one line of at most %d characters", what,
				 PEOPLE_ITEM_CHARS);
			return M_INVALID;
		}
		if (out[*nout][0]) {
			ptrs[*nout] = out[*nout];
			(*nout)++;
		}
	}
	return M_OK;
}

static enum mresult check_custom(int64_t field_id, const char *value, char *out, size_t n,
				 char *err, size_t errlen)
{
	struct field_def_row d;
	int64_t ms;

	if (store_field_def_get(field_id, &d) != STORE_OK) {
		snprintf(err, errlen, "There is no profile field %lld", (long long)field_id);
		return M_INVALID;
	}
	if (one_line(value, PEOPLE_FIELD_VALUE_CHARS, out, n) < 0) {
		snprintf(err, errlen, "%s must be one line of at most %d characters", d.name,
			 PEOPLE_FIELD_VALUE_CHARS);
		return M_INVALID;
	}
	if (!out[0])
		return M_OK;
	if (!strcmp(d.kind, "date") && (strlen(out) != 10 || time_parse_iso(out, &ms) < 0)) {
		snprintf(err, errlen, "%s must be a date (YYYY-MM-DD)", d.name);
		return M_INVALID;
	}
	if (!strcmp(d.kind, "choice")) {
		const char *c = d.choices;
		size_t len = strlen(out);

		while (*c) {
			const char *e = strchr(c, '\n');
			size_t l = e ? (size_t)(e - c) : strlen(c);

			if (l == len && !strncmp(c, out, len))
				return M_OK;
			c += l + (e ? 1 : 0);
		}
		snprintf(err, errlen, "%s must be one of its choices", d.name);
		return M_INVALID;
	}
	return M_OK;
}

/* Validate e against the current row p (changed in place) and the lists
 * (filled). Nothing is written. */
static enum mresult check_edit(int64_t account_id, const struct people_edit *e, struct profile_row *p,
			       struct edit_lists *l, char *err, size_t errlen)
{
	enum mresult r;
	size_t i;
	int f;

	for (f = 0; f < PF_NTEXT; f++)
		if (e->text[f] && (r = check_fact(f, e->text[f], p->text[f], sizeof p->text[f], err, errlen)) != M_OK)
			return r;
	for (f = 0; f < PF_NVIS; f++) {
		if (e->vis[f] == -1)
			continue;
		if (e->vis[f] < VIS_PUBLIC || e->vis[f] > VIS_ONLY_ME) {
			snprintf(err, errlen, "Visibility must be public, organisation or only_me");
			return M_INVALID;
		}
		p->vis[f] = e->vis[f];
	}
	if (e->set_languages &&
	    (r = check_items(e->languages, e->nlanguages, PEOPLE_LANGUAGES_MAX, "languages", l->languages,
			     l->lang_p, &l->nlang, err, errlen)) != M_OK)
		return r;
	if (e->set_interests &&
	    (r = check_items(e->interests, e->ninterests, PEOPLE_INTERESTS_MAX, "interests", l->interests,
			     l->int_p, &l->nint, err, errlen)) != M_OK)
		return r;
	if (e->set_links) {
		if (e->nlinks > PEOPLE_LINKS_MAX) {
			snprintf(err, errlen, "At most %d links", PEOPLE_LINKS_MAX);
			return M_INVALID;
		}
		l->nlinks = 0;
		for (i = 0; i < e->nlinks; i++) {
			char *nm = l->link_names[l->nlinks], *val = l->link_values[l->nlinks];

			if (one_line(e->link_names[i] ? e->link_names[i] : "", PEOPLE_ITEM_CHARS, nm,
				     PROFILE_LINK_NAME_BYTES) < 0 ||
			    one_line(e->link_values[i] ? e->link_values[i] : "", PEOPLE_LINK_VALUE_CHARS, val,
				     PROFILE_LINK_VALUE_BYTES) < 0) {
				snprintf(err, errlen, "A link's name is one line of at most %d characters and its "
					 "value of at most %d", PEOPLE_ITEM_CHARS, PEOPLE_LINK_VALUE_CHARS);
				return M_INVALID;
			}
			if (!nm[0] && !val[0])
				continue;
			if (!nm[0]) {
				snprintf(err, errlen, "A link needs a name (such as Website)");
				return M_INVALID;
			}
			l->ln_p[l->nlinks] = nm;
			l->lv_p[l->nlinks] = val;
			l->nlinks++;
		}
	}
	if (e->status_text && one_line(e->status_text, PEOPLE_TEXT_CHARS, p->status_text,
				       sizeof p->status_text) < 0) {
		snprintf(err, errlen, "The status must be one line of at most %d characters", PEOPLE_TEXT_CHARS);
		return M_INVALID;
	}
	if (e->away_until) {
		int64_t ms = 0;

		if (*e->away_until && (strlen(e->away_until) != 10 || time_parse_iso(e->away_until, &ms) < 0)) {
			snprintf(err, errlen, "Away until must be a date (YYYY-MM-DD)");
			return M_INVALID;
		}
		p->away_until = ms;
	}
	if (e->default_privacy) {
		static const char *const ok[] = { "", "public", "unlisted", "private", "direct" };

		for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
			if (!strcmp(e->default_privacy, ok[i]))
				break;
		if (i == sizeof ok / sizeof ok[0]) {
			snprintf(err, errlen, "source[privacy] must be public, unlisted, private or direct");
			return M_INVALID;
		}
		snprintf(p->default_privacy, sizeof p->default_privacy, "%s", e->default_privacy);
	}
	if (e->language) {
		size_t len = strlen(e->language);

		for (i = 0; i < len; i++)
			if (!islower((unsigned char)e->language[i]))
				break;
		if (len && (len < 2 || len > 3 || i < len)) {
			snprintf(err, errlen, "source[language] must be an ISO 639 code such as en");
			return M_INVALID;
		}
		snprintf(p->language, sizeof p->language, "%s", e->language);
	}
	if (e->ncustom > PEOPLE_FIELDS_MAX) {
		snprintf(err, errlen, "Too many profile fields");
		return M_INVALID;
	}
	for (i = 0; i < e->ncustom; i++)
		if ((r = check_custom(e->custom[i].field_id, e->custom[i].value ? e->custom[i].value : "",
				      l->custom[i], sizeof l->custom[i], err, errlen)) != M_OK)
			return r;
	if (e->manager) {
		struct account_row m;

		if (!*e->manager) {
			p->manager_id = 0;
		} else if (account_find(e->manager, &m) != M_OK || !strcmp(m.kind, "remote")) {
			snprintf(err, errlen, "The manager %s is not an account here", e->manager);
			return M_INVALID;
		} else {
			p->manager_id = m.id;
		}
	}
	(void)account_id;
	return M_OK;
}

static enum mresult apply_checked(int64_t account_id, const struct people_edit *e, struct profile_row *p,
				  const struct edit_lists *l, char *err, size_t errlen)
{
	size_t i;

	if (e->manager && p->manager_id && makes_cycle(account_id, p->manager_id)) {
		snprintf(err, errlen, "That manager would make a loop in the reporting line "
			 "(they report to this person, directly or through others)");
		return M_INVALID;
	}
	p->updated_at = time_now_ms();
	if (store_profile_put(p) != STORE_OK ||
	    (e->set_languages && store_profile_set_languages(account_id, l->lang_p, l->nlang) != STORE_OK) ||
	    (e->set_interests && store_profile_set_interests(account_id, l->int_p, l->nint) != STORE_OK) ||
	    (e->set_links && store_profile_set_links(account_id, l->ln_p, l->lv_p, l->nlinks) != STORE_OK))
		goto fail;
	for (i = 0; i < e->ncustom; i++)
		if (store_field_value_set(account_id, e->custom[i].field_id, l->custom[i]) != STORE_OK)
			goto fail;
	if (people_reindex(account_id) != M_OK)
		goto fail;
	return M_OK;
fail:
	snprintf(err, errlen, "Could not save the profile");
	return M_ERROR;
}

static enum mresult load_row(int64_t account_id, struct profile_row *p, char *err, size_t errlen)
{
	int rc = store_profile_get(account_id, p);

	if (rc == STORE_NOTFOUND) {
		struct account_row a;

		if (store_account_get(account_id, &a) != STORE_OK) {
			snprintf(err, errlen, "Record not found");
			return M_NOTFOUND;
		}
		memset(p, 0, sizeof *p);
		p->account_id = account_id;
		p->vis[PF_PHONE] = p->vis[PF_EMAIL] = VIS_ORGANISATION;
		return M_OK;
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	return M_OK;
}

enum mresult people_apply(int64_t account_id, const struct people_edit *e, char *err, size_t errlen)
{
	struct profile_row *p = malloc(sizeof *p);
	struct edit_lists *l = calloc(1, sizeof *l);
	enum mresult r = M_ERROR;

	if (!p || !l) {
		snprintf(err, errlen, "Out of memory");
		goto out;
	}
	if ((r = load_row(account_id, p, err, errlen)) != M_OK)
		goto out;
	if ((r = check_edit(account_id, e, p, l, err, errlen)) != M_OK)
		goto out;
	r = apply_checked(account_id, e, p, l, err, errlen);
out:
	free(p);
	free(l);
	return r;
}

enum mresult people_update(const struct viewer *v, int64_t account_id,
			   const struct account_profile_edit *acct, const struct people_edit *e,
			   struct account_row *out_account, char *err, size_t errlen)
{
	struct profile_row *p;
	struct edit_lists *l;
	struct account_row a;
	enum mresult r;

	if (!v->signed_in || (v->account.id != account_id && !viewer_is_admin(v))) {
		snprintf(err, errlen, "You may only change your own profile");
		return M_FORBIDDEN;
	}
	p = malloc(sizeof *p);
	l = calloc(1, sizeof *l);
	if (!p || !l) {
		free(p);
		free(l);
		snprintf(err, errlen, "Out of memory");
		return M_ERROR;
	}
	/* read, check and write in one transaction: no lost update, and the
	 * cycle check sees what others committed */
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		r = M_ERROR;
		goto out;
	}
	if ((r = load_row(account_id, p, err, errlen)) != M_OK ||
	    (r = check_edit(account_id, e, p, l, err, errlen)) != M_OK) {
		store_rollback();
		goto out;
	}
	if (acct && (r = account_update_profile(account_id, acct, &a, err, errlen)) != M_OK) {
		store_rollback();
		if (r == M_ERROR && !err[0])
			snprintf(err, errlen, "Could not update the profile");
		goto out;
	}
	if ((r = apply_checked(account_id, e, p, l, err, errlen)) != M_OK) {
		store_rollback();
		goto out;
	}
	if (store_commit() != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, "Could not save the profile");
		r = M_ERROR;
		goto out;
	}
	if (out_account) {
		if (acct)
			*out_account = a;
		else if (store_account_get(account_id, out_account) != STORE_OK)
			r = M_ERROR;
	}
out:
	free(p);
	free(l);
	return r;
}

/* ---- skills ------------------------------------------------------------------------ */

static enum mresult check_skill_name(const char *in, char *out, size_t n, char *err, size_t errlen)
{
	char key[SKILL_NAME_BYTES];

	if (one_line(in, PEOPLE_ITEM_CHARS, out, n) < 0 || fuzzy_key(out, key, sizeof key) <= 0) {
		snprintf(err, errlen, "A skill is a name of at most %d characters, with a letter or digit",
			 PEOPLE_ITEM_CHARS);
		return M_INVALID;
	}
	return M_OK;
}

enum mresult people_skill_lookup(const char *ref, struct skill_row *out)
{
	int64_t id;
	int rc;

	if (!ref || !*ref)
		return M_NOTFOUND;
	if (id_parse(ref, &id) == 0 && store_skill_get(id, out) == STORE_OK)
		return M_OK;
	rc = store_skill_find(ref, out);
	return rc == STORE_OK ? M_OK : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
}

/* The vocabulary entry for name: exact, else a near match (typo), else a
 * new one when create is set. */
static enum mresult skill_for(const char *name, int create, int64_t actor_id, struct skill_row *out,
			      char *err, size_t errlen)
{
	char clean[SKILL_NAME_BYTES];
	enum mresult r;
	int dist = 0, rc;

	if ((r = check_skill_name(name, clean, sizeof clean, err, errlen)) != M_OK)
		return r;
	if (store_skill_find(clean, out) == STORE_OK)
		return M_OK;
	/* the same name written otherwise ("Node.js", "node js") is that
	 * skill; a near name ("Scala" / "Scale", "MySQL" / "MSSQL") may be
	 * another skill, so it is only suggested, never taken */
	rc = people_skill_resolve(clean, out, &dist);
	if (rc == M_OK && dist == 0)
		return M_OK;
	if (!create) {
		if (rc == M_OK)
			snprintf(err, errlen, "\"%s\" is not in the skill list; did you mean %s?", clean, out->name);
		else
			snprintf(err, errlen, "\"%s\" is not in the skill list; choose an existing skill", clean);
		return M_INVALID;
	}
	memset(out, 0, sizeof *out);
	out->id = id_next();
	snprintf(out->name, sizeof out->name, "%s", clean);
	out->created_by = actor_id;
	out->created_at = time_now_ms();
	rc = store_skill_insert(out);
	if (rc == STORE_CONFLICT && store_skill_find(clean, out) == STORE_OK)
		return M_OK;
	if (rc != STORE_OK) {
		snprintf(err, errlen, "Could not add the skill");
		return M_ERROR;
	}
	return M_OK;
}

enum mresult people_skill_apply(int64_t account_id, const char *skill, int level, int create,
				int64_t actor_id, char *err, size_t errlen)
{
	struct skill_row s;
	struct profile_skill_row cur;
	enum mresult r;

	if (level < 1 || level > 3) {
		snprintf(err, errlen, "The level must be learning, practised or expert");
		return M_INVALID;
	}
	if ((r = skill_for(skill, create, actor_id, &s, err, errlen)) != M_OK)
		return r;
	if (store_profile_skill_get(account_id, s.id, &cur) == STORE_NOTFOUND &&
	    store_profile_skill_count(account_id) >= PEOPLE_SKILLS_MAX) {
		snprintf(err, errlen, "A profile has at most %d skills", PEOPLE_SKILLS_MAX);
		return M_INVALID;
	}
	if (store_profile_skill_put(account_id, s.id, level, time_now_ms()) != STORE_OK) {
		snprintf(err, errlen, "Could not save the skill");
		return M_ERROR;
	}
	return M_OK;
}

static enum mresult may_edit(const struct viewer *v, int64_t account_id, char *err, size_t errlen)
{
	if (!v->signed_in || (v->account.id != account_id && !viewer_is_admin(v))) {
		snprintf(err, errlen, "You may only change your own profile");
		return M_FORBIDDEN;
	}
	return M_OK;
}

enum mresult people_skill_add(const struct viewer *v, int64_t account_id, const char *skill,
			      const char *level, struct skill_row *out, char *err, size_t errlen)
{
	int lv = level && *level ? people_level_parse(level) : 2;
	enum mresult r;

	if ((r = may_edit(v, account_id, err, errlen)) != M_OK)
		return r;
	if (lv < 0) {
		snprintf(err, errlen, "The level must be learning, practised or expert");
		return M_INVALID;
	}
	if (!skill || !*skill) {
		snprintf(err, errlen, "Name the skill");
		return M_INVALID;
	}
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	r = people_skill_apply(account_id, skill, lv, viewer_is_staff(v), v->account.id, err, errlen);
	if (r == M_OK && people_reindex(account_id) != M_OK) {
		snprintf(err, errlen, "Could not save the skill");
		r = M_ERROR;
	}
	if (r == M_OK && out) {
		struct skill_row s;
		int d;

		if (store_skill_find(skill, &s) == STORE_OK || people_skill_resolve(skill, &s, &d) == M_OK)
			*out = s;
	}
	if (r != M_OK || store_commit() != STORE_OK) {
		store_rollback();
		if (r == M_OK) {
			snprintf(err, errlen, "Could not save the skill");
			r = M_ERROR;
		}
	}
	return r;
}

enum mresult people_skill_remove(const struct viewer *v, int64_t account_id, const char *skill,
				 char *err, size_t errlen)
{
	struct skill_row s;
	enum mresult r;
	int rc;

	if ((r = may_edit(v, account_id, err, errlen)) != M_OK)
		return r;
	if (people_skill_lookup(skill, &s) != M_OK) {
		snprintf(err, errlen, "Record not found");
		return M_NOTFOUND;
	}
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	rc = store_profile_skill_delete(account_id, s.id);
	if (rc == STORE_OK && people_reindex(account_id) != M_OK)
		rc = STORE_ERROR;
	if (rc != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, rc == STORE_NOTFOUND ? "Record not found" : "Could not remove the skill");
		return rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
	}
	return M_OK;
}

enum mresult people_endorse(const struct viewer *v, int64_t account_id, int64_t skill_id, int on,
			    char *err, size_t errlen)
{
	struct account_row a;
	struct profile_skill_row ps;
	int rc;

	if (!v->signed_in) {
		snprintf(err, errlen, "Sign in to endorse");
		return M_UNAUTHORIZED;
	}
	if (store_account_get(account_id, &a) != STORE_OK || !audience_may_see_account(v, &a) ||
	    !strcmp(a.kind, "remote")) {
		snprintf(err, errlen, "Record not found");
		return M_NOTFOUND;
	}
	if (v->account.id == account_id) {
		snprintf(err, errlen, "You cannot endorse your own skill");
		return M_FORBIDDEN;
	}
	if (store_profile_skill_get(account_id, skill_id, &ps) != STORE_OK) {
		snprintf(err, errlen, "They do not list that skill");
		return M_NOTFOUND;
	}
	rc = on ? store_endorsement_add(account_id, skill_id, v->account.id, time_now_ms())
		: store_endorsement_remove(account_id, skill_id, v->account.id);
	if (rc == STORE_CONFLICT || rc == STORE_NOTFOUND || rc == STORE_OK)
		return M_OK;  /* repeating is not an error */
	snprintf(err, errlen, "Database error");
	return M_ERROR;
}

/* ---- the vocabulary ------------------------------------------------------------------ */

static enum mresult admin_only(const struct viewer *v, char *err, size_t errlen)
{
	if (!viewer_is_admin(v)) {
		snprintf(err, errlen, "Only administrators curate the skill list");
		return M_FORBIDDEN;
	}
	return M_OK;
}

/* Rebuild the index rows of everyone holding skill id (its name or
 * aliases changed). */
struct holders {
	int64_t *ids;
	size_t n, cap;
};

static void note_holder(int64_t account_id, int level, void *ctx)
{
	struct holders *hs = ctx;

	if (hs->n == hs->cap) {
		size_t ncap = hs->cap ? hs->cap * 2 : 64;
		int64_t *n = realloc(hs->ids, ncap * sizeof *n);

		if (!n)
			return;
		hs->ids = n;
		hs->cap = ncap;
	}
	(void)level;
	hs->ids[hs->n++] = account_id;
}

static void note_account(int64_t account_id, void *ctx)
{
	note_holder(account_id, 0, ctx);
}

static int reindex_holders(int64_t skill_id)
{
	struct holders hs = { NULL, 0, 0 };
	size_t i;
	int ok = store_skill_holders(skill_id, note_holder, &hs) == STORE_OK;

	for (i = 0; ok && i < hs.n; i++)
		ok = people_reindex(hs.ids[i]) == M_OK;
	free(hs.ids);
	return ok ? 0 : -1;
}

static enum mresult finish_admin(int ok, char *err, size_t errlen, const char *what)
{
	if (!ok || store_commit() != STORE_OK) {
		store_rollback();
		if (!err[0])
			snprintf(err, errlen, "Could not %s", what);
		return M_ERROR;
	}
	return M_OK;
}

enum mresult people_skill_create(const struct viewer *v, const char *name, const char *const *aliases,
				 size_t naliases, struct skill_row *out, char *err, size_t errlen)
{
	char clean[SKILL_NAME_BYTES], alias[SKILL_NAME_BYTES];
	enum mresult r;
	size_t i;
	int rc;

	err[0] = '\0';
	if ((r = admin_only(v, err, errlen)) != M_OK ||
	    (r = check_skill_name(name ? name : "", clean, sizeof clean, err, errlen)) != M_OK)
		return r;
	for (i = 0; i < naliases; i++)
		if ((r = check_skill_name(aliases[i], alias, sizeof alias, err, errlen)) != M_OK)
			return r;
	memset(out, 0, sizeof *out);
	out->id = id_next();
	snprintf(out->name, sizeof out->name, "%s", clean);
	out->created_by = v->account.id;
	out->created_at = time_now_ms();
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	rc = store_skill_insert(out);
	if (rc == STORE_CONFLICT) {
		store_rollback();
		snprintf(err, errlen, "\"%s\" is already a skill or an alias", clean);
		return M_CONFLICT;
	}
	for (i = 0; rc == STORE_OK && i < naliases; i++) {
		check_skill_name(aliases[i], alias, sizeof alias, err, errlen);
		rc = store_skill_alias_add(out->id, alias);
		if (rc == STORE_CONFLICT) {
			store_rollback();
			snprintf(err, errlen, "\"%s\" is already a skill or an alias", alias);
			return M_CONFLICT;
		}
	}
	return finish_admin(rc == STORE_OK, err, errlen, "add the skill");
}

enum mresult people_skill_rename(const struct viewer *v, int64_t id, const char *name,
				 char *err, size_t errlen)
{
	char clean[SKILL_NAME_BYTES];
	enum mresult r;
	int rc;

	err[0] = '\0';
	if ((r = admin_only(v, err, errlen)) != M_OK ||
	    (r = check_skill_name(name ? name : "", clean, sizeof clean, err, errlen)) != M_OK)
		return r;
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	rc = store_skill_rename(id, clean);
	if (rc != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, rc == STORE_CONFLICT ? "That name is already a skill or an alias" :
			 rc == STORE_NOTFOUND ? "Record not found" : "Database error");
		return rc == STORE_CONFLICT ? M_CONFLICT : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
	}
	return finish_admin(reindex_holders(id) == 0, err, errlen, "rename the skill");
}

enum mresult people_skill_alias(const struct viewer *v, int64_t id, const char *alias, int add,
				char *err, size_t errlen)
{
	char clean[SKILL_NAME_BYTES];
	struct skill_row s;
	enum mresult r;
	int rc;

	err[0] = '\0';
	if ((r = admin_only(v, err, errlen)) != M_OK ||
	    (r = check_skill_name(alias ? alias : "", clean, sizeof clean, err, errlen)) != M_OK)
		return r;
	if (store_skill_get(id, &s) != STORE_OK) {
		snprintf(err, errlen, "Record not found");
		return M_NOTFOUND;
	}
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	rc = add ? store_skill_alias_add(id, clean) : store_skill_alias_remove(id, clean);
	if (rc != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, rc == STORE_CONFLICT ? "That alias is already a skill or another skill's alias" :
			 rc == STORE_NOTFOUND ? "No such alias" : "Database error");
		return rc == STORE_CONFLICT ? M_CONFLICT : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
	}
	return finish_admin(reindex_holders(id) == 0, err, errlen, "change the aliases");
}

enum mresult people_skill_merge(const struct viewer *v, int64_t from, int64_t into,
				char *err, size_t errlen)
{
	struct skill_row a, b;
	enum mresult r;

	err[0] = '\0';
	if ((r = admin_only(v, err, errlen)) != M_OK)
		return r;
	if (from == into || store_skill_get(from, &a) != STORE_OK || store_skill_get(into, &b) != STORE_OK) {
		snprintf(err, errlen, from == into ? "A skill cannot be merged into itself" : "Record not found");
		return from == into ? M_INVALID : M_NOTFOUND;
	}
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	return finish_admin(store_skill_merge(from, into) == STORE_OK && reindex_holders(into) == 0,
			    err, errlen, "merge the skills");
}

enum mresult people_skill_delete(const struct viewer *v, int64_t id, char *err, size_t errlen)
{
	struct holders hs = { NULL, 0, 0 };
	enum mresult r;
	size_t i;
	int ok;

	err[0] = '\0';
	if ((r = admin_only(v, err, errlen)) != M_OK)
		return r;
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	ok = store_skill_holders(id, note_holder, &hs) == STORE_OK;
	if (ok && store_skill_delete(id) != STORE_OK) {
		free(hs.ids);
		store_rollback();
		snprintf(err, errlen, "Record not found");
		return M_NOTFOUND;
	}
	for (i = 0; ok && i < hs.n; i++)
		ok = people_reindex(hs.ids[i]) == M_OK;
	free(hs.ids);
	return finish_admin(ok, err, errlen, "delete the skill");
}

/* ---- admin-defined fields -------------------------------------------------------------- */

enum mresult people_field_def_save(const struct viewer *v, int64_t id, const char *name,
				   const char *kind, const char *choices, const char *visibility,
				   struct field_def_row *out, char *err, size_t errlen)
{
	struct field_def_row d;
	int rc, vis = visibility && *visibility ? people_vis_parse(visibility) : VIS_PUBLIC;

	if (!viewer_is_admin(v)) {
		snprintf(err, errlen, "Only administrators define profile fields");
		return M_FORBIDDEN;
	}
	memset(&d, 0, sizeof d);
	if (id && store_field_def_get(id, &d) != STORE_OK) {
		snprintf(err, errlen, "Record not found");
		return M_NOTFOUND;
	}
	if (name && one_line(name, PEOPLE_ITEM_CHARS, d.name, sizeof d.name) < 0) {
		snprintf(err, errlen, "A field name is one line of at most %d characters", PEOPLE_ITEM_CHARS);
		return M_INVALID;
	}
	if (!d.name[0]) {
		snprintf(err, errlen, "The field needs a name");
		return M_INVALID;
	}
	if (!id) {
		if (!kind || (strcmp(kind, "text") && strcmp(kind, "choice") && strcmp(kind, "date"))) {
			snprintf(err, errlen, "The kind must be text, choice or date");
			return M_INVALID;
		}
		snprintf(d.kind, sizeof d.kind, "%s", kind);
	}
	if (vis < 0) {
		snprintf(err, errlen, "Visibility must be public, organisation or only_me");
		return M_INVALID;
	}
	if (visibility && *visibility)
		d.visibility = vis;
	if (choices) {
		/* one per line or comma-separated; trimmed; empty ones dropped */
		struct buf b = BUF_INIT;
		const char *c = choices;

		while (*c) {
			size_t l = strcspn(c, ",\n");
			char one[PROFILE_ITEM_BYTES], tmp[PROFILE_ITEM_BYTES * 2];

			snprintf(tmp, sizeof tmp, "%.*s", (int)(l < sizeof tmp - 1 ? l : sizeof tmp - 1), c);
			if (one_line(tmp, PEOPLE_ITEM_CHARS, one, sizeof one) < 0) {
				buf_release(&b);
				snprintf(err, errlen, "Each choice is one line of at most %d characters",
					 PEOPLE_ITEM_CHARS);
				return M_INVALID;
			}
			if (one[0]) {
				if (b.len)
					buf_putc(&b, '\n');
				buf_puts(&b, one);
			}
			c += l;
			if (*c)
				c++;
		}
		if (b.failed || b.len >= sizeof d.choices) {
			buf_release(&b);
			snprintf(err, errlen, "Too many choices");
			return M_INVALID;
		}
		snprintf(d.choices, sizeof d.choices, "%s", buf_str(&b));
		buf_release(&b);
	}
	if (!strcmp(d.kind, "choice") && !d.choices[0]) {
		snprintf(err, errlen, "A choice field needs its choices");
		return M_INVALID;
	}
	if (id) {
		struct field_def_row before;
		struct holders hs = { NULL, 0, 0 };
		size_t i;
		int ok = 1;

		/* a changed visibility moves every value between the index's
		 * public and organisation columns: rebuild those rows with it */
		if (store_field_def_get(id, &before) != STORE_OK || store_begin() != STORE_OK) {
			snprintf(err, errlen, "Database is busy; try again");
			return M_ERROR;
		}
		rc = store_field_def_update(&d);
		if (rc == STORE_OK && before.visibility != d.visibility) {
			ok = store_field_holders(id, note_account, &hs) == STORE_OK;
			for (i = 0; ok && i < hs.n; i++)
				ok = people_reindex(hs.ids[i]) == M_OK;
			free(hs.ids);
		}
		if (rc != STORE_OK || !ok || store_commit() != STORE_OK) {
			store_rollback();
			if (rc == STORE_OK)
				rc = STORE_ERROR;
		}
	} else {
		d.id = id_next();
		d.created_at = time_now_ms();
		d.position = 0;
		rc = store_field_def_insert(&d);
	}
	if (rc == STORE_CONFLICT) {
		snprintf(err, errlen, "There is already a field called %s", d.name);
		return M_CONFLICT;
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, rc == STORE_NOTFOUND ? "Record not found" : "Database error");
		return rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
	}
	if (out)
		*out = d;
	return M_OK;
}

enum mresult people_field_def_delete(const struct viewer *v, int64_t id, char *err, size_t errlen)
{
	int rc;

	if (!viewer_is_admin(v)) {
		snprintf(err, errlen, "Only administrators define profile fields");
		return M_FORBIDDEN;
	}
	rc = store_field_def_delete(id);
	if (rc != STORE_OK) {
		snprintf(err, errlen, rc == STORE_NOTFOUND ? "Record not found" : "Database error");
		return rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
	}
	return M_OK;
}

/* ---- pictures ------------------------------------------------------------------------------ */

static void picture_name(const char *key, const char *ext, int small, char *out, size_t n)
{
	snprintf(out, n, small ? "%s.small.%s" : "%s.%s", key, ext);
}

void people_image_url(const struct profile_row *p, enum people_image which, int small,
		      char *out, size_t n)
{
	const char *key = which == PEOPLE_AVATAR ? p->avatar_key : p->header_key;
	const char *ext = which == PEOPLE_AVATAR ? p->avatar_ext : p->header_ext;
	char name[64];

	if (!key[0]) {
		snprintf(out, n, "%s/static/%s", base_url, which == PEOPLE_AVATAR ? "avatar.png" : "header.png");
		return;
	}
	picture_name(key, ext, small, name, sizeof name);
	snprintf(out, n, "%s/pictures/%s", base_url, name);
}

static void remove_picture(const char *key, const char *ext)
{
	char name[64];

	if (!key[0])
		return;
	picture_name(key, ext, 0, name, sizeof name);
	store_media_file_remove(name);
	picture_name(key, ext, 1, name, sizeof name);
	store_media_file_remove(name);
}

/* Swap the profile's picture key for (key, ext) in a transaction; the old
 * key and ext come back in old_key / old_ext. */
static enum mresult swap_picture(int64_t account_id, enum people_image which, const char *key,
				 const char *ext, char *old_key, char *old_ext, char *err, size_t errlen)
{
	struct profile_row p;
	char *k, *e;

	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	if (load_row(account_id, &p, err, errlen) != M_OK) {
		store_rollback();
		return M_NOTFOUND;
	}
	k = which == PEOPLE_AVATAR ? p.avatar_key : p.header_key;
	e = which == PEOPLE_AVATAR ? p.avatar_ext : p.header_ext;
	snprintf(old_key, PROFILE_KEY_BYTES, "%s", k);
	snprintf(old_ext, 8, "%s", e);
	snprintf(k, PROFILE_KEY_BYTES, "%s", key);
	snprintf(e, 8, "%s", ext);
	p.updated_at = time_now_ms();
	if (store_profile_put(&p) != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, "Could not save the picture");
		return M_ERROR;
	}
	return M_OK;
}

static enum mresult image_check(enum people_image which, const void *data, size_t len,
				struct image_info *info, char *err, size_t errlen)
{
	const char *what = which == PEOPLE_AVATAR ? "avatar" : "header";

	if (!data || !len) {
		snprintf(err, errlen, "The %s file is empty", what);
		return M_INVALID;
	}
	if (len > max_image_bytes) {
		snprintf(err, errlen, "The %s is too large (%zu bytes; the limit is %zu)", what, len, max_image_bytes);
		return M_INVALID;
	}
	if (image_sniff(data, len, info) < 0 || info->kind == IMAGE_PDF || info->kind == IMAGE_UNKNOWN) {
		snprintf(err, errlen, "The %s is not an image (JPEG, PNG, GIF or WebP)", what);
		return M_INVALID;
	}
	if (image_too_big(info)) {
		snprintf(err, errlen, "The %s image is too big (%ldx%ld)", what, info->width, info->height);
		return M_INVALID;
	}
	return M_OK;
}

enum mresult people_image_check(enum people_image which, const void *data, size_t len,
				char *err, size_t errlen)
{
	struct image_info info;

	return image_check(which, data, len, &info, err, errlen);
}

enum mresult people_image_set(int64_t account_id, enum people_image which, const void *data,
			      size_t len, char *err, size_t errlen)
{
	static const int boxes[2][2] = { { 400, 120 }, { 1500, 600 } };
	struct image_info info;
	struct image_result big, small;
	char key[PROFILE_KEY_BYTES], name[64], old_key[PROFILE_KEY_BYTES], old_ext[8];
	const char *what = which == PEOPLE_AVATAR ? "avatar" : "header";
	const char *ext;
	enum mresult r;

	if ((r = image_check(which, data, len, &info, err, errlen)) != M_OK)
		return r;
	memset(&big, 0, sizeof big);
	memset(&small, 0, sizeof small);
	if (image_process(data, len, &info, boxes[which][0], &big, err, errlen) < 0 ||
	    image_process(data, len, &info, boxes[which][1], &small, err, errlen) < 0) {
		char why[200];

		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "The %s cannot be used: %s", what, why);
		image_result_release(&big);
		image_result_release(&small);
		return M_INVALID;
	}
	secret_code(key, sizeof key, MEDIA_KEY_LEN);
	ext = image_ext(big.thumb_kind);
	picture_name(key, ext, 0, name, sizeof name);
	if (store_media_file_put(name, big.thumb.data, big.thumb.len) < 0) {
		r = M_ERROR;
	} else {
		picture_name(key, image_ext(small.thumb_kind), 1, name, sizeof name);
		/* both thumbnails take the same kind (transparency decides) */
		r = small.thumb_kind == big.thumb_kind &&
		    store_media_file_put(name, small.thumb.data, small.thumb.len) == 0 ? M_OK : M_ERROR;
	}
	image_result_release(&big);
	image_result_release(&small);
	if (r != M_OK) {
		remove_picture(key, ext);
		snprintf(err, errlen, "The %s could not be stored", what);
		return r;
	}
	if ((r = swap_picture(account_id, which, key, ext, old_key, old_ext, err, errlen)) != M_OK) {
		remove_picture(key, ext);
		return r;
	}
	remove_picture(old_key, old_ext);
	return M_OK;
}

enum mresult people_image_clear(int64_t account_id, enum people_image which, char *err, size_t errlen)
{
	char old_key[PROFILE_KEY_BYTES], old_ext[8];
	enum mresult r = swap_picture(account_id, which, "", "", old_key, old_ext, err, errlen);

	if (r == M_OK)
		remove_picture(old_key, old_ext);
	return r;
}

enum mresult people_image_read(const char *name, struct buf *out, const char **content_type)
{
	char key[PROFILE_KEY_BYTES];
	const char *dot, *ext;
	struct profile_row p;
	int64_t account_id;
	int small = 0, rc;

	if (!name || !(dot = strchr(name, '.')) || dot - name != MEDIA_KEY_LEN)
		return M_NOTFOUND;
	memcpy(key, name, MEDIA_KEY_LEN);
	key[MEDIA_KEY_LEN] = '\0';
	ext = dot + 1;
	if (!strncmp(ext, "small.", 6)) {
		small = 1;
		ext += 6;
	}
	if (store_profile_by_image_key(key, &account_id) != STORE_OK ||
	    store_profile_get(account_id, &p) != STORE_OK)
		return M_NOTFOUND;
	if (!(!strcmp(p.avatar_key, key) && !strcmp(p.avatar_ext, ext)) &&
	    !(!strcmp(p.header_key, key) && !strcmp(p.header_ext, ext)))
		return M_NOTFOUND;
	(void)small;
	*content_type = image_mime(image_kind_from_ext(ext));
	rc = store_media_file_get(name, out);
	return rc == 0 ? M_OK : rc > 0 ? M_NOTFOUND : M_ERROR;
}
