/*
 * people_search.c - the directory, "who knows X" and typo-tolerant skill
 * names (see people_search.h).
 *
 * A query picks its driver (the narrowest way in), fills the store's
 * candidate set, then reads the count, the facets and a page:
 *   knows=X     candidates from the evidence (declared holders and authors
 *               of posts about X), scored here, filtered by the store;
 *   q=words     the FTS5 index (BM25);
 *   guests and anonymous visitors with filters: what they may see at all
 *               (public profiles and co-members), then the filters;
 *   staff with a filter: that filter's index (skill, department,
 *               location, language, in this order);
 *   nothing:    the cached counts of the viewer's class, and a walk of the
 *               name index for the page.
 */
#include "model/people_search.h"
#include "model/audience.h"
#include "model/people.h"
#include "lib/fuzzy.h"
#include "lib/log.h"

#include <math.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- the vocabulary, for typo tolerance ------------------------------------ */

struct vocab {
	int64_t *ids;
	char **keys;
	long long *weights;
	size_t n, cap;
	int failed;
};

static void vocab_add(int64_t id, const char *text, int is_alias, int64_t people, void *ctx)
{
	struct vocab *v = ctx;
	char key[SKILL_NAME_BYTES];

	(void)is_alias;
	if (fuzzy_key(text, key, sizeof key) <= 0)
		return;
	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 256;
		int64_t *ni = realloc(v->ids, ncap * sizeof *ni);
		char **nk;
		long long *nw;

		if (ni)
			v->ids = ni;
		nk = ni ? realloc(v->keys, ncap * sizeof *nk) : NULL;
		if (nk)
			v->keys = nk;
		nw = nk ? realloc(v->weights, ncap * sizeof *nw) : NULL;
		if (!nw) {
			v->failed = 1;
			return;
		}
		v->weights = nw;
		v->cap = ncap;
	}
	v->keys[v->n] = strdup(key);
	if (!v->keys[v->n]) {
		v->failed = 1;
		return;
	}
	v->ids[v->n] = id;
	v->weights[v->n] = people;
	v->n++;
}

static void vocab_release(struct vocab *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->keys[i]);
	free(v->ids);
	free(v->keys);
	free(v->weights);
	memset(v, 0, sizeof *v);
}

static int vocab_load(struct vocab *v)
{
	memset(v, 0, sizeof *v);
	if (store_skill_vocabulary(vocab_add, v) != STORE_OK || v->failed) {
		vocab_release(v);
		return -1;
	}
	return 0;
}

/* The vocabulary entry closest to key, or -1. */
static long vocab_best(const struct vocab *v, const char *key, int *dist)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key)) {
			*dist = 0;
			return (long)i;
		}
	return fuzzy_best(key, (const char *const *)v->keys, v->n, v->weights, dist);
}

enum mresult people_skill_resolve(const char *text, struct skill_row *out, int *dist)
{
	char key[SKILL_NAME_BYTES];
	struct vocab v;
	long i;
	int rc;

	*dist = 0;
	if (!text || !*text)
		return M_NOTFOUND;
	rc = store_skill_find(text, out);
	if (rc != STORE_NOTFOUND)
		return rc == STORE_OK ? M_OK : M_ERROR;
	if (fuzzy_key(text, key, sizeof key) <= 0)
		return M_NOTFOUND;
	if (vocab_load(&v) < 0)
		return M_ERROR;
	i = vocab_best(&v, key, dist);
	rc = i >= 0 ? store_skill_get(v.ids[i], out) : STORE_NOTFOUND;
	vocab_release(&v);
	return rc == STORE_OK ? M_OK : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
}

/* ---- the text query ------------------------------------------------------------ */

#define MATCH_WORDS_MAX 8

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
	       c >= 0x80;
}

/* A word as an FTS5 string ("" doubled, though words hold no '"'). */
static void put_phrase(struct buf *out, const char *s, size_t n)
{
	size_t i;

	buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}

static int match_expr(const char *q, int staff, struct vocab *voc, struct buf *out)
{
	const char *p = q ? q : "";
	int words = 0;

	if (!staff)
		buf_puts(out, "{name skills info bio} : (");
	while (*p && words < MATCH_WORDS_MAX) {
		const char *s;
		size_t n, i;
		int only_plus = 1;

		while (*p && !word_byte((unsigned char)*p))
			p++;
		s = p;
		while (*p && word_byte((unsigned char)*p))
			p++;
		n = (size_t)(p - s);
		for (i = 0; i < n; i++)
			if (s[i] != '+')
				only_plus = 0;
		if (!n || only_plus)
			continue;
		if (words++)
			buf_putc(out, ' ');
		{
			char word[256], key[256];
			long best = -1;
			int dist = 0, klen;

			snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word - 1 ? n : sizeof word - 1), s);
			klen = fuzzy_key(word, key, sizeof key);
			if (voc && klen >= 4) {
				size_t k;
				int known = 0;

				for (k = 0; k < voc->n && !known; k++)
					known = !strncmp(voc->keys[k], key, strlen(key));
				if (!known)
					best = fuzzy_best(key, (const char *const *)voc->keys, voc->n, voc->weights, &dist);
			}
			if (best >= 0 && dist > 0) {
				struct skill_row sk;

				buf_putc(out, '(');
				put_phrase(out, s, n);
				buf_puts(out, "* OR ");
				if (store_skill_get(voc->ids[best], &sk) == STORE_OK)
					put_phrase(out, sk.name, strlen(sk.name));
				else
					put_phrase(out, s, n);
				buf_putc(out, ')');
			} else {
				put_phrase(out, s, n);
				buf_putc(out, '*');
			}
		}
	}
	if (!staff)
		buf_putc(out, ')');
	return out->failed ? -1 : words;
}

int people_match_expr(const char *q, int staff, struct buf *out)
{
	return match_expr(q, staff, NULL, out);
}

/* ---- ranking ------------------------------------------------------------------------ */

double people_rank_score(const struct dir_evidence *ev)
{
	return 2.0 * ev->level + 3.0 * log1p(ev->endorsement_weight) + 2.0 * log1p((double)ev->posts) +
	       3.0 * log1p((double)ev->answers);
}

/* Accepted answers about a skill per person: the hook for issue 7
 * (questions and answers). Until answers exist it finds none; when they
 * do, it adds each answerer's count of accepted answers tagged with one of
 * tag_ids to the evidence (ev->answers), exactly as posts are counted. */
static void add_accepted_answers(const int64_t *tag_ids, size_t ntags, struct dir_hit *hits, size_t n)
{
	(void)tag_ids;
	(void)ntags;
	(void)hits;
	(void)n;
}

/* Evidence per account: an open-addressing table keyed by account id. */
struct evmap {
	struct dir_hit *slots;
	size_t cap, n;
	int failed;
};

static struct dir_hit *evmap_get(struct evmap *m, int64_t id, int create)
{
	size_t i;

	if (create && (m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 1024, k;
		struct dir_hit *ns = calloc(ncap, sizeof *ns);

		if (!ns) {
			m->failed = 1;
			return NULL;
		}
		for (k = 0; k < m->cap; k++)
			if (m->slots[k].account_id) {
				size_t j = (size_t)((uint64_t)m->slots[k].account_id * 0x9E3779B97F4A7C15ull) & (ncap - 1);

				while (ns[j].account_id)
					j = (j + 1) & (ncap - 1);
				ns[j] = m->slots[k];
			}
		free(m->slots);
		m->slots = ns;
		m->cap = ncap;
	}
	if (!m->cap)
		return NULL;
	i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull) & (m->cap - 1);
	while (m->slots[i].account_id) {
		if (m->slots[i].account_id == id)
			return &m->slots[i];
		i = (i + 1) & (m->cap - 1);
	}
	if (!create)
		return NULL;
	m->slots[i].account_id = id;
	m->slots[i].has_evidence = 1;
	m->n++;
	return &m->slots[i];
}

static void ev_holder(const struct skill_holder *h, void *ctx)
{
	struct dir_hit *x = evmap_get(ctx, h->account_id, 1);
	int l;

	if (!x)
		return;
	x->ev.level = h->level;
	for (l = 0; l < 4; l++) {
		x->ev.endorsements += h->by_level[l];
		x->ev.endorsement_weight += (double)h->by_level[l] * (1.0 + 0.5 * l);
	}
}

static void ev_posts(int64_t account_id, int64_t posts, void *ctx)
{
	struct dir_hit *x = evmap_get(ctx, account_id, 1);

	if (x)
		x->ev.posts = posts;
}

/* The hashtag forms of a skill name: letters, digits and '_' kept
 * ("Node.js" -> nodejs), and with spaces and hyphens as '_'
 * ("Machine Learning" -> machine_learning). */
static void tag_forms(const char *name, char forms[2][SKILL_NAME_BYTES])
{
	size_t a = 0, b = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p && b + 1 < SKILL_NAME_BYTES; p++) {
		int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			   *p == '_' || *p >= 0x80;

		if (keep) {
			forms[0][a++] = (char)*p;
			forms[1][b++] = (char)*p;
		} else if ((*p == ' ' || *p == '-') && b && forms[1][b - 1] != '_') {
			forms[1][b++] = '_';
		}
	}
	forms[0][a] = '\0';
	while (b && forms[1][b - 1] == '_')
		b--;
	forms[1][b] = '\0';
}

struct tag_ids {
	int64_t ids[8];
	size_t n;
};

static void add_tag_of(const char *name, void *ctx)
{
	struct tag_ids *t = ctx;
	char forms[2][SKILL_NAME_BYTES];
	int f;

	tag_forms(name, forms);
	for (f = 0; f < 2; f++) {
		const char *c;
		int64_t id;
		size_t i;
		int letters = 0;

		for (c = forms[f]; *c; c++)
			if (!(*c >= '0' && *c <= '9') && *c != '_')
				letters = 1;
		if (!letters || t->n >= 8 || store_tag_find(forms[f], &id, NULL, 0) != STORE_OK)
			continue;
		for (i = 0; i < t->n && t->ids[i] != id; i++)
			;
		if (i == t->n)
			t->ids[t->n++] = id;
	}
}

/* Fill the candidate set for knows=X; the evidence stays in *m. */
static enum mresult knows_fill(const struct viewer *v, const char *what, struct dir_result *res,
			       struct evmap *m)
{
	struct tag_ids tags;
	size_t i;
	int dist = 0;
	enum mresult r;

	memset(&tags, 0, sizeof tags);
	r = people_skill_resolve(what, &res->skill, &dist);
	if (r == M_ERROR)
		return M_ERROR;
	if (r == M_OK) {
		res->skill_found = 1;
		res->skill_corrected = dist > 0;
		if (store_skill_holders(res->skill.id, ev_holder, m) != STORE_OK)
			return M_ERROR;
		add_tag_of(res->skill.name, &tags);
		store_skill_aliases(res->skill.id, add_tag_of, &tags);
	} else {
		add_tag_of(what, &tags);
	}
	if (store_tag_activity(tags.ids, tags.n, viewer_is_staff(v), ev_posts, m) != STORE_OK)
		return M_ERROR;
	if (m->failed)
		return M_ERROR;
	add_accepted_answers(tags.ids, tags.n, m->slots, m->cap);
	if (store_dir_begin() != STORE_OK)
		return M_ERROR;
	for (i = 0; i < m->cap; i++) {
		struct dir_hit *x = &m->slots[i];

		if (!x->account_id)
			continue;
		x->score = people_rank_score(&x->ev);
		if (x->score > 0 && store_dir_add(x->account_id, x->score) != STORE_OK)
			return M_ERROR;
	}
	return M_OK;
}

/* ---- facets -------------------------------------------------------------------------- */

static void take_facet(enum dir_facet f, const char *value, int64_t id, int64_t count, void *ctx)
{
	struct dir_result *res = ctx;
	struct dir_facet_value *fv;

	if (res->nfacets[f] >= DIR_FACET_MAX)
		return;
	fv = &res->facets[f][res->nfacets[f]++];
	snprintf(fv->value, sizeof fv->value, "%s", value ? value : "");
	fv->id = id;
	fv->count = count;
}

/* Subtract one facet value (the viewer's blockers' contribution). */
static void sub_facet(enum dir_facet f, const char *value, int64_t id, int64_t count, void *ctx)
{
	struct dir_result *res = ctx;
	size_t i, k;

	for (i = 0; i < res->nfacets[f]; i++) {
		struct dir_facet_value *fv = &res->facets[f][i];

		if (f == FACET_SKILL ? fv->id != id : strcasecmp(fv->value, value ? value : ""))
			continue;
		fv->count -= count;
		if (fv->count <= 0) {
			for (k = i + 1; k < res->nfacets[f]; k++)
				res->facets[f][k - 1] = res->facets[f][k];
			res->nfacets[f]--;
		}
		return;
	}
}

/* The cached counts of the unfiltered directory, per class of viewer. */
enum { CLASS_ANON, CLASS_STAFF, CLASS_PRIV, CLASS_COUNT };

static struct {
	int64_t gen;
	int64_t total;
	struct dir_facet_value facets[FACET_COUNT][DIR_FACET_MAX];
	size_t nfacets[FACET_COUNT];
} cache[CLASS_COUNT];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The query standing for every viewer of a class (no one's blocks). */
static void class_query(int cls, struct dir_query *q)
{
	memset(q, 0, sizeof *q);
	q->aud.viewer_id = cls == CLASS_ANON ? 0 : -1;
	q->aud.staff = cls != CLASS_ANON;
	q->aud.privileged = cls == CLASS_PRIV;
	q->vis_max = cls == CLASS_ANON ? VIS_PUBLIC : VIS_ORGANISATION;
}

static enum mresult cached_counts(int cls, int want_facets, struct dir_result *res)
{
	int64_t gen = store_people_gen();
	struct dir_query q;
	int hit;

	if (gen < 0)
		return M_ERROR;
	pthread_mutex_lock(&cache_lock);
	hit = cache[cls].gen == gen;
	if (hit) {
		res->total = cache[cls].total;
		memcpy(res->facets, cache[cls].facets, sizeof res->facets);
		memcpy(res->nfacets, cache[cls].nfacets, sizeof res->nfacets);
	}
	pthread_mutex_unlock(&cache_lock);
	if (hit)
		return M_OK;
	/* compute outside the lock; a racing thread may compute it too */
	class_query(cls, &q);
	if (store_dir_begin() != STORE_OK || store_dir_fill_all(&q) != STORE_OK)
		return M_ERROR;
	res->total = store_dir_count();
	memset(res->nfacets, 0, sizeof res->nfacets);
	if (res->total < 0 || store_dir_facets(q.vis_max, DIR_FACET_MAX, take_facet, res) != STORE_OK)
		return M_ERROR;
	pthread_mutex_lock(&cache_lock);
	cache[cls].gen = gen;
	cache[cls].total = res->total;
	memcpy(cache[cls].facets, res->facets, sizeof res->facets);
	memcpy(cache[cls].nfacets, res->nfacets, sizeof res->nfacets);
	pthread_mutex_unlock(&cache_lock);
	(void)want_facets;
	return M_OK;
}

/* ---- the directory --------------------------------------------------------------------- */

struct page_fill {
	struct dir_result *res;
	struct evmap *m;
};

static void take_hit(int64_t account_id, double score, void *ctx)
{
	struct page_fill *pf = ctx;
	struct dir_hit *h;

	if (pf->res->nhits >= DIR_LIMIT_MAX)
		return;
	h = &pf->res->hits[pf->res->nhits++];
	memset(h, 0, sizeof *h);
	h->account_id = account_id;
	h->score = score;
	if (pf->m) {
		struct dir_hit *x = evmap_get(pf->m, account_id, 0);

		if (x) {
			h->has_evidence = 1;
			h->ev = x->ev;
		}
	}
}

static int empty(const char *s)
{
	return !s || !*s;
}

void people_directory_free(struct dir_result *res)
{
	free(res);
}

/* Everything a query needs between its fill and its page. */
struct dir_state {
	struct dir_query q;
	struct evmap m;
	struct buf match;
	int words;
	int staff;
	int cached;         /* answered from the class cache; page with store_dir_page_all */
};

static void state_release(struct dir_state *st)
{
	buf_release(&st->match);
	free(st->m.slots);
}

/* Set up st->q from the request and fill the candidate set (or, when
 * allow_cache and the query is unfiltered, take the class's cached
 * counts into res and set st->cached). */
static enum mresult dir_fill(const struct viewer *v, const struct dir_request *r, int allow_cache,
			     struct dir_result *res, struct dir_state *st)
{
	struct dir_query *q = &st->q;
	int filtered, rc = STORE_OK;
	enum mresult mr;

	memset(st, 0, sizeof *st);
	buf_init(&st->match, 0);
	st->staff = viewer_is_staff(v);
	audience_filter(v, &q->aud);
	q->vis_max = st->staff ? VIS_ORGANISATION : VIS_PUBLIC;
	q->department = empty(r->department) ? "" : r->department;
	q->location = empty(r->location) ? "" : r->location;
	q->language = empty(r->language) ? "" : r->language;
	if (!empty(r->skill)) {
		struct skill_row s;
		int dist;

		if (people_skill_lookup(r->skill, &s) != M_OK && people_skill_resolve(r->skill, &s, &dist) != M_OK) {
			q->skill_id = -1;  /* an unknown skill matches nobody */
		} else {
			q->skill_id = s.id;
			if (empty(r->knows)) {
				res->skill_found = 1;
				res->skill = s;
			}
		}
	}
	if (!empty(r->q)) {
		struct vocab voc;
		int have_voc = vocab_load(&voc) == 0;

		st->words = match_expr(r->q, st->staff, have_voc ? &voc : NULL, &st->match);
		if (have_voc)
			vocab_release(&voc);
		if (st->words < 0)
			return M_ERROR;
		q->match = buf_str(&st->match);
	}
	filtered = q->department[0] || q->location[0] || q->language[0] || q->skill_id;

	if (!empty(r->knows)) {
		res->knows = 1;
		if ((mr = knows_fill(v, r->knows, res, &st->m)) != M_OK)
			return mr;
		rc = store_dir_filter(q);
		if (rc == STORE_OK && st->words)
			rc = store_dir_filter_match(q);
	} else if (st->words) {
		rc = store_dir_begin();
		if (rc == STORE_OK)
			rc = store_dir_fill_search(q);
	} else if (!filtered && (st->staff || !v->signed_in) && allow_cache) {
		int cls = !v->signed_in ? CLASS_ANON : v->account.is_admin || v->account.is_moderator ? CLASS_PRIV
											      : CLASS_STAFF;

		if ((mr = cached_counts(cls, r->facets, res)) != M_OK)
			return mr;
		st->cached = 1;
		if (v->signed_in) {
			struct dir_query cq;
			int64_t n;

			class_query(cls, &cq);
			if (store_dir_begin() != STORE_OK || store_dir_fill_blockers(&cq, v->account.id) != STORE_OK)
				return M_ERROR;
			n = store_dir_count();
			if (n > 0) {
				res->total -= n;
				store_dir_facets(cq.vis_max, DIR_FACET_MAX, sub_facet, res);
			}
		}
		return M_OK;
	} else {
		rc = store_dir_begin();
		if (rc == STORE_OK)
			rc = !st->staff ? store_dir_fill_guest(q) :
			     q->skill_id ? store_dir_fill_skill(q) :
			     q->department[0] ? store_dir_fill_department(q) :
			     q->location[0] ? store_dir_fill_location(q) :
			     q->language[0] ? store_dir_fill_language(q) : store_dir_fill_all(q);
	}
	return rc == STORE_OK ? M_OK : M_ERROR;
}

enum mresult people_directory(const struct viewer *v, const struct dir_request *r,
			      struct dir_result **out, char *err, size_t errlen)
{
	struct dir_result *res;
	struct dir_state st;
	struct page_fill pf;
	int limit = r->limit ? r->limit : DIR_LIMIT_DEFAULT, by_name;
	enum mresult mr;

	*out = NULL;
	if (limit < 1 || limit > DIR_LIMIT_MAX || r->offset < 0 || r->offset > DIR_OFFSET_MAX) {
		snprintf(err, errlen, "limit must be 1 to %d and offset 0 to %d", DIR_LIMIT_MAX, DIR_OFFSET_MAX);
		return M_INVALID;
	}
	res = calloc(1, sizeof *res);
	if (!res) {
		snprintf(err, errlen, "Out of memory");
		return M_ERROR;
	}
	mr = dir_fill(v, r, 1, res, &st);
	if (mr != M_OK)
		goto out;
	by_name = r->sort_name || (empty(r->knows) && !st.words);
	pf.res = res;
	pf.m = res->knows ? &st.m : NULL;
	if (st.cached) {
		res->has_facets = r->facets;
		if (store_dir_page_all(&st.q, limit, r->offset, take_hit, &pf) != STORE_OK)
			mr = M_ERROR;
		goto out;
	}
	res->total = store_dir_count();
	if (res->total < 0) {
		mr = M_ERROR;
		goto out;
	}
	if (r->facets) {
		res->has_facets = 1;
		if (store_dir_facets(st.q.vis_max, DIR_FACET_MAX, take_facet, res) != STORE_OK) {
			mr = M_ERROR;
			goto out;
		}
	}
	if (store_dir_page(by_name, limit, r->offset, take_hit, &pf) != STORE_OK)
		mr = M_ERROR;
out:
	state_release(&st);
	if (mr != M_OK) {
		free(res);
		snprintf(err, errlen, "The directory could not be searched");
		return mr;
	}
	*out = res;
	return M_OK;
}

struct id_collect {
	int64_t *ids;
	size_t n, cap;
	int failed;
};

static void collect_id(int64_t account_id, double score, void *ctx)
{
	struct id_collect *c = ctx;

	(void)score;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 1024;
		int64_t *n = realloc(c->ids, ncap * sizeof *n);

		if (!n) {
			c->failed = 1;
			return;
		}
		c->ids = n;
		c->cap = ncap;
	}
	c->ids[c->n++] = account_id;
}

enum mresult people_directory_ids(const struct viewer *v, const struct dir_request *r,
				  int64_t **ids, size_t *n)
{
	struct dir_result *res = calloc(1, sizeof *res);
	struct dir_state st;
	struct id_collect c = { NULL, 0, 0, 0 };
	enum mresult mr;

	*ids = NULL;
	*n = 0;
	if (!res)
		return M_ERROR;
	mr = dir_fill(v, r, 0, res, &st);
	if (mr == M_OK && (store_dir_page(r->sort_name || (empty(r->knows) && !st.words), INT32_MAX, 0,
					  collect_id, &c) != STORE_OK || c.failed))
		mr = M_ERROR;
	state_release(&st);
	free(res);
	if (mr != M_OK) {
		free(c.ids);
		return mr;
	}
	*ids = c.ids;
	*n = c.n;
	return M_OK;
}

enum mresult people_tag_prefix(const char *prefix, int limit, int offset,
			       void (*fn)(const char *name, void *), void *ctx)
{
	if (!prefix || !*prefix)
		return M_OK;
	return store_tag_prefix(prefix, limit, offset, fn, ctx) == STORE_OK ? M_OK : M_ERROR;
}
