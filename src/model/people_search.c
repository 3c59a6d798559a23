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
#include "model/question.h"
#include "lib/fuzzy.h"
#include "lib/log.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"

#include <ctype.h>
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

/* The vocabulary with its keys, kept per directory generation (counting
 * each skill's holders is a walk of the whole profile_skills index). The
 * lock is held from vocab_get() to vocab_put(). */
static struct vocab vocab_cache;
static int64_t vocab_gen = -1;
static pthread_mutex_t vocab_lock = PTHREAD_MUTEX_INITIALIZER;

static struct vocab *vocab_get(void)
{
	int64_t gen = store_people_gen();

	pthread_mutex_lock(&vocab_lock);
	if (gen < 0 || gen != vocab_gen) {
		vocab_release(&vocab_cache);
		vocab_gen = -1;
		if (gen < 0 || store_skill_vocabulary(vocab_add, &vocab_cache) != STORE_OK || vocab_cache.failed) {
			vocab_release(&vocab_cache);
			pthread_mutex_unlock(&vocab_lock);
			return NULL;
		}
		vocab_gen = gen;
	}
	return &vocab_cache;
}

static void vocab_put(void)
{
	pthread_mutex_unlock(&vocab_lock);
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
	struct vocab *v;
	int64_t id;
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
	if (!(v = vocab_get()))
		return M_ERROR;
	i = vocab_best(v, key, dist);
	id = i >= 0 ? v->ids[i] : 0;
	vocab_put();
	rc = id ? store_skill_get(id, out) : STORE_NOTFOUND;
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

static void ev_holder(int64_t account_id, int level, void *ctx)
{
	struct dir_hit *x = evmap_get(ctx, account_id, 1);

	if (x)
		x->ev.level = level;
}

struct endorse_ctx {
	struct evmap *m;
	int64_t *suspended;      /* sorted */
	size_t nsuspended, cap;
	int failed;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void note_suspended(int64_t id, void *ctx)
{
	struct endorse_ctx *c = ctx;

	if (c->nsuspended == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		int64_t *n = realloc(c->suspended, ncap * sizeof *n);

		if (!n) {
			c->failed = 1;
			return;
		}
		c->suspended = n;
		c->cap = ncap;
	}
	c->suspended[c->nsuspended++] = id;
}

/* One endorsement: weighed by the endorser's own level in the skill (the
 * holders are in the map already; anyone else's level is 0). */
static void ev_endorsed(int64_t account_id, int64_t endorser_id, void *ctx)
{
	struct endorse_ctx *c = ctx;
	struct dir_hit *e, *x;
	int level;

	if (c->nsuspended && bsearch(&endorser_id, c->suspended, c->nsuspended, sizeof endorser_id, cmp_i64))
		return;
	e = evmap_get(c->m, endorser_id, 0);
	level = e ? e->ev.level : 0;
	x = evmap_get(c->m, account_id, 1);
	if (!x)
		return;
	x->ev.endorsements++;
	x->ev.endorsement_weight += 1.0 + 0.5 * level;
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

/* The names a question's tags would carry for a skill: its name and
 * aliases (or the text asked for when it names no skill), normalised as
 * tags are (model/question.h), at most 8. */
struct tag_names {
	char names[8][QUESTION_TAG_MAX * 4 + 1];
	const char *ptrs[8];
	size_t n;
};

static void add_tag_name(const char *name, void *ctx)
{
	struct tag_names *t = ctx;
	size_t i;

	if (t->n >= 8 || question_tag_normalise(name, t->names[t->n], sizeof t->names[0]) < 0)
		return;
	for (i = 0; i < t->n && strcmp(t->names[i], t->names[t->n]); i++)
		;
	if (i == t->n) {
		t->ptrs[t->n] = t->names[t->n];
		t->n++;
	}
}

static void ev_answers(int64_t account_id, int64_t count, void *ctx)
{
	struct dir_hit *x = evmap_get(ctx, account_id, 1);

	if (x)
		x->ev.answers += count;
}

/* Accepted answers about X per person (issue 7): each answerer's count of
 * accepted answers to questions tagged with one of the skill's names,
 * among the answers the viewer's class may read, added to the evidence
 * (ev->answers) as posts are. */
static int add_accepted_answers(const struct tag_names *names, int staff, struct evmap *m)
{
	if (question_accepted_answers(names->ptrs, names->n, staff, ev_answers, m) < 0)
		return -1;
	return m->failed ? -1 : 0;
}

/* Fill the candidate set for knows=X; the evidence stays in *m. */
static enum mresult knows_fill(int staff, const char *what, struct dir_result *res, struct evmap *m)
{
	struct tag_ids tags;
	struct tag_names names;
	int64_t *ids;
	double *scores;
	size_t i, n = 0;
	int dist = 0, rc;
	enum mresult r;

	memset(&tags, 0, sizeof tags);
	memset(&names, 0, sizeof names);
	r = people_skill_resolve(what, &res->skill, &dist);
	if (r == M_ERROR)
		return M_ERROR;
	if (r == M_OK) {
		struct endorse_ctx ec = { m, NULL, 0, 0, 0 };
		int ok;

		res->skill_found = 1;
		res->skill_corrected = dist > 0;
		/* holders first: an endorsement weighs the endorser's level */
		ok = store_skill_holders(res->skill.id, ev_holder, m) == STORE_OK &&
		     store_suspended_accounts(note_suspended, &ec) == STORE_OK && !ec.failed;
		if (ok) {
			if (ec.nsuspended)
				qsort(ec.suspended, ec.nsuspended, sizeof *ec.suspended, cmp_i64);
			ok = store_skill_endorsements(res->skill.id, ev_endorsed, &ec) == STORE_OK;
		}
		free(ec.suspended);
		if (!ok)
			return M_ERROR;
		add_tag_of(res->skill.name, &tags);
		store_skill_aliases(res->skill.id, add_tag_of, &tags);
		add_tag_name(res->skill.name, &names);
		store_skill_aliases(res->skill.id, add_tag_name, &names);
	} else {
		add_tag_of(what, &tags);
		add_tag_name(what, &names);
	}
	if (store_tag_activity(tags.ids, tags.n, staff, ev_posts, m) != STORE_OK)
		return M_ERROR;
	if (m->failed)
		return M_ERROR;
	if (add_accepted_answers(&names, staff, m) < 0)
		return M_ERROR;
	if (store_dir_begin() != STORE_OK)
		return M_ERROR;
	ids = malloc((m->n ? m->n : 1) * sizeof *ids);
	scores = malloc((m->n ? m->n : 1) * sizeof *scores);
	if (!ids || !scores) {
		free(ids);
		free(scores);
		return M_ERROR;
	}
	for (i = 0; i < m->cap; i++) {
		struct dir_hit *x = &m->slots[i];

		if (!x->account_id)
			continue;
		x->score = people_rank_score(&x->ev);
		if (x->score > 0) {
			ids[n] = x->account_id;
			scores[n++] = x->score;
		}
	}
	rc = store_dir_add_many(ids, scores, n);
	free(ids);
	free(scores);
	return rc == STORE_OK ? M_OK : M_ERROR;
}

/* ---- facets --------------------------------------------------------------------------
 *
 * Counted here from one row per candidate (store_dir_facet_rows): a small
 * hash table per facet keyed by the value's ASCII lowercase (skills by
 * id), then the most frequent DIR_FACET_MAX of each, ties by value. */

struct fcount {
	char *key;
	char *display;
	int64_t count;
};

struct fmap {
	struct fcount *slots;
	size_t cap, n;
	int failed;
};

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void fmap_add(struct fmap *m, const char *value, size_t len)
{
	char key[PROFILE_TEXT_BYTES];
	size_t i, k, vlen = len;

	if (!len || m->failed)
		return;
	if (len >= sizeof key)
		len = sizeof key - 1;
	for (i = 0; i < len && (unsigned char)value[i] < 0x80; i++)
		key[i] = (char)tolower((unsigned char)value[i]);
	key[i] = '\0';
	if (i < len) {
		/* not ASCII: the Unicode case fold, as the filters use (store: sq_fold) */
		struct buf b = BUF_INIT;

		if (markdown_tag_key(value, len, &b) == 0 && b.len < sizeof key)
			memcpy(key, buf_str(&b), b.len + 1);
		buf_release(&b);
	}
	len = strlen(key);
	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		struct fcount *ns = calloc(ncap, sizeof *ns);

		if (!ns) {
			m->failed = 1;
			return;
		}
		for (k = 0; k < m->cap; k++)
			if (m->slots[k].key) {
				size_t j = (size_t)hash_str(m->slots[k].key, strlen(m->slots[k].key)) & (ncap - 1);

				while (ns[j].key)
					j = (j + 1) & (ncap - 1);
				ns[j] = m->slots[k];
			}
		free(m->slots);
		m->slots = ns;
		m->cap = ncap;
	}
	i = (size_t)hash_str(key, len) & (m->cap - 1);
	while (m->slots[i].key) {
		if (!strcmp(m->slots[i].key, key)) {
			m->slots[i].count++;
			return;
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->slots[i].key = strdup(key);
	m->slots[i].display = strndup(value, vlen);
	if (!m->slots[i].key || !m->slots[i].display) {
		free(m->slots[i].key);
		free(m->slots[i].display);
		m->slots[i].key = NULL;
		m->failed = 1;
		return;
	}
	m->slots[i].count = 1;
	m->n++;
}

static void fmap_release(struct fmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		free(m->slots[i].display);
	}
	free(m->slots);
	memset(m, 0, sizeof *m);
}

static void add_list(struct fmap *m, const char *s, char sep)
{
	while (s && *s) {
		const char *e = strchr(s, sep);
		size_t n = e ? (size_t)(e - s) : strlen(s);

		fmap_add(m, s, n);
		s += n;
		if (*s)
			s++;
	}
}

static void count_row(const char *dept, const char *loc, const char *langs, const char *skills, void *ctx)
{
	struct fmap *maps = ctx;

	fmap_add(&maps[FACET_DEPARTMENT], dept, strlen(dept));
	fmap_add(&maps[FACET_LOCATION], loc, strlen(loc));
	add_list(&maps[FACET_LANGUAGE], langs, '\n');
	add_list(&maps[FACET_SKILL], skills, ',');
}

static int cmp_count(const void *a, const void *b)
{
	const struct fcount *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->display, y->display);
}

/* Count the candidates' facets and call fn with the top `limit` of each. */
static int dir_facets(int vis_max, int limit,
		      void (*fn)(enum dir_facet, const char *, int64_t, int64_t, void *), void *ctx)
{
	struct fmap maps[FACET_COUNT];
	int f, rc;

	memset(maps, 0, sizeof maps);
	rc = store_dir_facet_rows(vis_max, count_row, maps);
	for (f = 0; rc == STORE_OK && f < FACET_COUNT; f++) {
		struct fcount *all;
		size_t i, k = 0;

		if (maps[f].failed) {
			rc = STORE_ERROR;
			break;
		}
		all = malloc((maps[f].n ? maps[f].n : 1) * sizeof *all);
		if (!all) {
			rc = STORE_ERROR;
			break;
		}
		for (i = 0; i < maps[f].cap; i++)
			if (maps[f].slots[i].key)
				all[k++] = maps[f].slots[i];
		qsort(all, k, sizeof *all, cmp_count);
		for (i = 0; i < k && (int)i < limit; i++) {
			if (f == FACET_SKILL) {
				struct skill_row sk;
				int64_t id = strtoll(all[i].key, NULL, 10);

				if (store_skill_get(id, &sk) == STORE_OK)
					fn(FACET_SKILL, sk.name, id, all[i].count, ctx);
			} else {
				fn((enum dir_facet)f, all[i].display, 0, all[i].count, ctx);
			}
		}
		free(all);
	}
	for (f = 0; f < FACET_COUNT; f++)
		fmap_release(&maps[f]);
	return rc;
}

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

/* ---- the cache ---------------------------------------------------------------------
 *
 * Answers for staff and anonymous viewers are the same for every viewer of
 * a class (anonymous; staff; admins and moderators, who also see suspended
 * accounts) except for each viewer's blockers, who are subtracted per
 * request. So the counts and facets of a query, and its ranking when it is
 * ranked (q, knows), are kept per (class, query) in a small LRU and reused
 * while the directory generation (store_people_gen, bumped by triggers on
 * every change that matters) is unchanged. Rankings by knows also count
 * posts, which do not bump the generation: they are reused for
 * KNOWS_TTL_MS at most. Several processes over one database each keep
 * their own cache; the generation keeps them all correct.
 */
enum { CLASS_ANON, CLASS_STAFF, CLASS_PRIV, CLASS_COUNT };

#define CACHE_SLOTS 512
#define RANKED_KEEP 500              /* the first 25 pages of a ranked answer are kept */
#define KNOWS_TTL_MS 30000
#define SMALL_RESULT 300             /* below this, page from the candidate set */

struct cache_entry {
	int used;
	int cls;
	int64_t gen;
	int64_t made_ms;
	uint64_t last_use;
	char *key;                   /* malloc'ed */
	int64_t total;
	char *facets;                /* malloc'ed: "facet\x1fid\x1fcount\x1fvalue\x1e"... */
	struct dir_hit *hits;        /* malloc'ed: the first RANKED_KEEP in the answer's order */
	size_t nhits;
	int64_t *ids;                /* knows answers: every candidate, ascending */
	size_t nids;
	int knows, skill_found, skill_corrected;
	struct skill_row skill;
};

static struct cache_entry cache[CACHE_SLOTS];
static uint64_t cache_clock;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The query standing for every viewer of a class (no one's blocks). */
static void class_query(int cls, const struct dir_query *real, struct dir_query *q)
{
	*q = *real;
	memset(&q->aud, 0, sizeof q->aud);
	q->aud.viewer_id = cls == CLASS_ANON ? 0 : -1;
	q->aud.staff = cls != CLASS_ANON;
	q->aud.privileged = cls == CLASS_PRIV;
	q->vis_max = cls == CLASS_ANON ? VIS_PUBLIC : VIS_ORGANISATION;
}

static char *facets_pack(const struct dir_result *res)
{
	struct buf b = BUF_INIT;
	size_t f, i;

	for (f = 0; f < FACET_COUNT; f++)
		for (i = 0; i < res->nfacets[f]; i++)
			buf_printf(&b, "%zu\x1f%lld\x1f%lld\x1f%s\x1e", f, (long long)res->facets[f][i].id,
				   (long long)res->facets[f][i].count, res->facets[f][i].value);
	buf_putc(&b, '\0');
	return b.failed ? NULL : buf_detach(&b, NULL);
}

static void facets_unpack(const char *p, struct dir_result *res)
{
	memset(res->nfacets, 0, sizeof res->nfacets);
	while (p && *p) {
		char *end;
		long f = strtol(p, &end, 10);
		struct dir_facet_value *fv;
		const char *v, *e;

		if (*end != '\x1f' || f < 0 || f >= FACET_COUNT || res->nfacets[f] >= DIR_FACET_MAX)
			return;
		fv = &res->facets[f][res->nfacets[f]++];
		fv->id = strtoll(end + 1, &end, 10);
		fv->count = strtoll(end + 1, &end, 10);
		v = end + 1;
		e = strchr(v, '\x1e');
		if (!e)
			return;
		snprintf(fv->value, sizeof fv->value, "%.*s", (int)(e - v), v);
		p = e + 1;
	}
}

static void entry_clear(struct cache_entry *e)
{
	free(e->key);
	free(e->facets);
	free(e->hits);
	free(e->ids);
	memset(e, 0, sizeof *e);
}

/* Copy a cached answer into res (and *hits, malloc'ed, when ranked).
 * 1 on a hit. */
static int cache_get(int cls, const char *key, int64_t gen, int64_t now, struct dir_result *res,
		     struct dir_hit **hits, size_t *nhits, int64_t **ids, size_t *nids)
{
	int i, hit = 0;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE_SLOTS && !hit; i++) {
		struct cache_entry *e = &cache[i];

		if (!e->used || e->cls != cls || strcmp(e->key, key))
			continue;
		if (e->gen != gen || (e->knows && now - e->made_ms > KNOWS_TTL_MS)) {
			entry_clear(e);   /* stale: free it now */
			continue;
		}
		*hits = NULL;
		*nhits = 0;
		*ids = NULL;
		*nids = 0;
		if (e->nhits) {
			*hits = malloc(e->nhits * sizeof **hits);
			if (!*hits)
				break;
			memcpy(*hits, e->hits, e->nhits * sizeof **hits);
			*nhits = e->nhits;
		}
		if (e->nids) {
			*ids = malloc(e->nids * sizeof **ids);
			if (!*ids) {
				free(*hits);
				*hits = NULL;
				break;
			}
			memcpy(*ids, e->ids, e->nids * sizeof **ids);
			*nids = e->nids;
		}
		e->last_use = ++cache_clock;
		res->total = e->total;
		facets_unpack(e->facets, res);
		res->knows = e->knows;
		res->skill_found = e->skill_found;
		res->skill_corrected = e->skill_corrected;
		res->skill = e->skill;
		hit = 1;
	}
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

static void cache_put(int cls, const char *key, int64_t gen, int64_t now, const struct dir_result *res,
		      const struct dir_hit *hits, size_t nhits, const int64_t *ids, size_t nids)
{
	struct cache_entry n, *e;
	int i, victim = 0;

	memset(&n, 0, sizeof n);
	n.key = strdup(key);
	n.facets = facets_pack(res);
	if (nhits && (n.hits = malloc(nhits * sizeof *n.hits)))
		memcpy(n.hits, hits, nhits * sizeof *n.hits);
	if (nids && (n.ids = malloc(nids * sizeof *n.ids)))
		memcpy(n.ids, ids, nids * sizeof *n.ids);
	if (!n.key || !n.facets || (nhits && !n.hits) || (nids && !n.ids)) {
		entry_clear(&n);
		return;
	}
	n.used = 1;
	n.cls = cls;
	n.gen = gen;
	n.made_ms = now;
	n.total = res->total;
	n.nhits = nhits;
	n.nids = nids;
	n.knows = res->knows;
	n.skill_found = res->skill_found;
	n.skill_corrected = res->skill_corrected;
	n.skill = res->skill;
	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE_SLOTS; i++) {
		if (!cache[i].used) {
			victim = i;
			break;
		}
		if (cache[i].last_use < cache[victim].last_use)
			victim = i;
	}
	e = &cache[victim];
	entry_clear(e);
	*e = n;
	e->last_use = ++cache_clock;
	pthread_mutex_unlock(&cache_lock);
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

/* What a query needs between its fill and its page. */
struct dir_state {
	struct dir_query q;          /* the viewer's own */
	struct evmap m;
	struct buf match;
	int words;
	int staff;
};

static void state_release(struct dir_state *st)
{
	buf_release(&st->match);
	free(st->m.slots);
}

/* Set st->q up from the request (the skill filter resolved, the text
 * turned into an FTS5 expression). */
static enum mresult dir_prepare(const struct viewer *v, const struct dir_request *r, struct dir_result *res,
				struct dir_state *st)
{
	struct dir_query *q = &st->q;

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
		struct vocab *voc = vocab_get();

		st->words = match_expr(r->q, st->staff, voc, &st->match);
		if (voc)
			vocab_put();
		if (st->words < 0)
			return M_ERROR;
		q->match = buf_str(&st->match);
	}
	return M_OK;
}

/* The filter of q matching the fewest profiles (an index count each,
 * asked only when two or more are set), or FACET_COUNT for none. */
static int narrowest(const struct dir_query *q)
{
	int set[FACET_COUNT], f, n = 0, best = FACET_COUNT;
	int64_t best_n = INT64_MAX;

	set[FACET_DEPARTMENT] = q->department[0] != '\0';
	set[FACET_LOCATION] = q->location[0] != '\0';
	set[FACET_LANGUAGE] = q->language[0] != '\0';
	set[FACET_SKILL] = q->skill_id != 0;
	for (f = 0; f < FACET_COUNT; f++)
		if (set[f]) {
			n++;
			best = f;
		}
	if (n < 2)
		return best;
	for (f = 0; f < FACET_COUNT; f++) {
		int64_t c;

		if (!set[f])
			continue;
		c = store_dir_estimate(q, (enum dir_facet)f);
		if (c >= 0 && c < best_n) {
			best_n = c;
			best = f;
		}
	}
	return best;
}

/* Fill the candidate set for q (the viewer's, or a class's), by the
 * narrowest driver. Knows candidates get their evidence in st->m. */
static enum mresult dir_fill(const struct dir_request *r, const struct dir_query *q, int staff,
			     struct dir_result *res, struct dir_state *st)
{
	int rc;
	enum mresult mr;

	if (!empty(r->knows)) {
		res->knows = 1;
		free(st->m.slots);
		memset(&st->m, 0, sizeof st->m);
		if ((mr = knows_fill(staff, r->knows, res, &st->m)) != M_OK)
			return mr;
		rc = store_dir_filter(q);
		if (rc == STORE_OK && st->words)
			rc = store_dir_filter_match(q);
		return rc == STORE_OK ? M_OK : M_ERROR;
	}
	if (store_dir_begin() != STORE_OK)
		return M_ERROR;
	if (st->words)
		rc = store_dir_fill_search(q);
	else if (!q->aud.staff)
		rc = store_dir_fill_guest(q);
	else
		switch (narrowest(q)) {
		case FACET_SKILL: rc = store_dir_fill_skill(q); break;
		case FACET_DEPARTMENT: rc = store_dir_fill_department(q); break;
		case FACET_LOCATION: rc = store_dir_fill_location(q); break;
		case FACET_LANGUAGE: rc = store_dir_fill_language(q); break;
		default: rc = store_dir_fill_all(q); break;
		}
	return rc == STORE_OK ? M_OK : M_ERROR;
}

struct ranked_fill {
	struct dir_hit *hits;
	size_t n, cap;
	struct evmap *m;
	int failed;
};

static void take_ranked(int64_t account_id, double score, void *ctx)
{
	struct ranked_fill *f = ctx;
	struct dir_hit *h, *x;

	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 256;
		struct dir_hit *nh = realloc(f->hits, ncap * sizeof *nh);

		if (!nh) {
			f->failed = 1;
			return;
		}
		f->hits = nh;
		f->cap = ncap;
	}
	h = &f->hits[f->n++];
	memset(h, 0, sizeof *h);
	h->account_id = account_id;
	h->score = score;
	if (f->m && (x = evmap_get(f->m, account_id, 0))) {
		h->has_evidence = 1;
		h->ev = x->ev;
	}
}

static void note_id(int64_t account_id, double score, void *ctx)
{
	struct ranked_fill *f = ctx;

	(void)score;
	if (f->n < f->cap)
		f->hits[f->n++].account_id = account_id;
}

static int has_id(const int64_t *ids, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

#define BLOCKERS_MAX 1000

/* The cached path: the class's answer (from the cache or computed), the
 * viewer's blockers subtracted, then the page. */
static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The people a class may see at all, as last counted (for choosing how to
 * page by name: walking the name index pays when the answer is large). */
static int64_t population[CLASS_COUNT];

/* Page by name by walking the name index rather than sorting the
 * candidates: when total x total > want x population (the walk reads
 * about want x population / total rows, the sort total). */
static int walk_pays(int cls, int64_t total, int64_t want)
{
	int64_t p;

	pthread_mutex_lock(&cache_lock);
	p = population[cls] > total ? population[cls] : total;
	pthread_mutex_unlock(&cache_lock);

	return total > SMALL_RESULT && total * total > want * p;
}

/* The cached path: the class's answer (from the cache or computed), the
 * viewer's blockers subtracted, then the page. */
static enum mresult dir_cached(const struct viewer *v, const struct dir_request *r, int limit,
			       struct dir_result *res, struct dir_state *st)
{
	int cls = !v->signed_in ? CLASS_ANON : v->account.is_admin || v->account.is_moderator ? CLASS_PRIV
											  : CLASS_STAFF;
	int ranked = !empty(r->knows) || st->words, by_name = r->sort_name || !ranked;
	int filtered = st->q.department[0] || st->q.location[0] || st->q.language[0] || st->q.skill_id;
	int64_t gen = store_people_gen(), now = time_now_ms();
	struct dir_query cq;
	struct dir_hit *hits = NULL;
	int64_t *ids = NULL;
	size_t nhits = 0, nids = 0, i, skipped;
	int64_t blockers[BLOCKERS_MAX];
	size_t nblockers = 0;
	char key[1200];
	struct page_fill pf;
	enum mresult mr = M_OK;

	if (gen < 0)
		return M_ERROR;
	snprintf(key, sizeof key, "q=%s\x1f" "k=%s\x1f" "d=%s\x1f" "l=%s\x1f" "g=%s\x1f" "s=%lld\x1f" "o=%d",
		 st->words ? buf_str(&st->match) : "", r->knows ? r->knows : "", st->q.department, st->q.location,
		 st->q.language, (long long)st->q.skill_id, by_name);
	class_query(cls, &st->q, &cq);
	if (!cache_get(cls, key, gen, now, res, &hits, &nhits, &ids, &nids)) {
		struct ranked_fill rf = { NULL, 0, 0, NULL, 0 };

		if ((mr = dir_fill(r, &cq, cls != CLASS_ANON, res, st)) != M_OK)
			return mr;
		res->total = store_dir_count();
		memset(res->nfacets, 0, sizeof res->nfacets);
		if (res->total < 0 || dir_facets(cq.vis_max, DIR_FACET_MAX, take_facet, res) != STORE_OK)
			return M_ERROR;
		if (!filtered && !ranked) {
			pthread_mutex_lock(&cache_lock);
			population[cls] = res->total;
			pthread_mutex_unlock(&cache_lock);
		}
		/* keep the first pages, in the answer's order */
		rf.m = res->knows ? &st->m : NULL;
		if (by_name && !ranked && walk_pays(cls, res->total, RANKED_KEEP))
			mr = store_dir_page_all(&cq, RANKED_KEEP, 0, take_ranked, &rf) == STORE_OK ? M_OK : M_ERROR;
		else
			mr = store_dir_page(by_name, RANKED_KEEP, 0, take_ranked, &rf) == STORE_OK ? M_OK : M_ERROR;
		if (mr != M_OK || rf.failed) {
			free(rf.hits);
			return M_ERROR;
		}
		hits = rf.hits;
		nhits = rf.n;
		/* a knows answer keeps every candidate's id (to tell whether a
		 * blocker is one); its candidates are bounded by the skill */
		if (res->knows) {
			ids = malloc((st->m.n ? st->m.n : 1) * sizeof *ids);
			if (!ids) {
				free(hits);
				return M_ERROR;
			}
			for (i = 0; i < st->m.cap; i++)
				if (st->m.slots[i].account_id)
					ids[nids++] = st->m.slots[i].account_id;
			qsort(ids, nids, sizeof *ids, cmp_int64);
		}
		cache_put(cls, key, gen, now, res, hits, nhits, ids, nids);
	}
	/* the viewer's blockers that are in this answer: out of the counts and the page */
	if (v->signed_in) {
		struct ranked_fill bf;
		struct dir_hit tmp[BLOCKERS_MAX];
		int rc;

		bf.hits = tmp;
		bf.n = 0;
		bf.cap = BLOCKERS_MAX;
		rc = store_dir_begin();
		if (rc == STORE_OK)
			rc = store_dir_fill_blockers(&cq, v->account.id);
		if (rc == STORE_OK && st->words)
			rc = store_dir_filter_match(&cq);
		if (rc == STORE_OK)
			rc = store_dir_page(1, BLOCKERS_MAX, 0, note_id, &bf);
		if (rc != STORE_OK) {
			free(hits);
			free(ids);
			return M_ERROR;
		}
		for (i = 0; i < bf.n; i++)
			if (!res->knows || (nids && bsearch(&tmp[i].account_id, ids, nids, sizeof *ids, cmp_int64)))
				blockers[nblockers++] = tmp[i].account_id;
		if (nblockers) {
			double zeros[BLOCKERS_MAX];

			memset(zeros, 0, sizeof zeros);
			if (store_dir_begin() != STORE_OK || store_dir_add_many(blockers, zeros, nblockers) != STORE_OK) {
				free(hits);
				free(ids);
				return M_ERROR;
			}
			res->total -= (int64_t)nblockers;
			dir_facets(cq.vis_max, DIR_FACET_MAX, sub_facet, res);
		}
	}
	free(ids);
	res->has_facets = r->facets;
	/* the page, from the kept first pages when it lies within them */
	if ((int64_t)nhits >= res->total + (int64_t)nblockers || (size_t)r->offset + (size_t)limit + nblockers <= nhits) {
		for (i = 0, skipped = 0; i < nhits && res->nhits < (size_t)limit; i++) {
			if (nblockers && has_id(blockers, nblockers, hits[i].account_id))
				continue;
			if (skipped++ < (size_t)r->offset)
				continue;
			res->hits[res->nhits++] = hits[i];
		}
		free(hits);
		return M_OK;
	}
	free(hits);
	/* further pages: for this viewer */
	pf.res = res;
	pf.m = NULL;
	if (by_name && !ranked && walk_pays(cls, res->total, (int64_t)r->offset + limit))
		return store_dir_page_all(&st->q, limit, r->offset, take_hit, &pf) == STORE_OK ? M_OK : M_ERROR;
	if ((mr = dir_fill(r, &st->q, st->staff, res, st)) != M_OK)
		return mr;
	pf.m = res->knows ? &st->m : NULL;
	return store_dir_page(by_name, limit, r->offset, take_hit, &pf) == STORE_OK ? M_OK : M_ERROR;
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
	mr = dir_prepare(v, r, res, &st);
	if (mr != M_OK)
		goto out;
	if (st.staff || !v->signed_in) {
		/* staff and anonymous visitors: answers shared by their class */
		mr = dir_cached(v, r, limit, res, &st);
		goto out;
	}
	/* guests: what they may see is theirs alone (their spaces), and small */
	if ((mr = dir_fill(r, &st.q, 0, res, &st)) != M_OK)
		goto out;
	by_name = r->sort_name || (empty(r->knows) && !st.words);
	res->total = store_dir_count();
	if (res->total < 0) {
		mr = M_ERROR;
		goto out;
	}
	if (r->facets) {
		res->has_facets = 1;
		if (dir_facets(st.q.vis_max, DIR_FACET_MAX, take_facet, res) != STORE_OK) {
			mr = M_ERROR;
			goto out;
		}
	}
	pf.res = res;
	pf.m = res->knows ? &st.m : NULL;
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
	mr = dir_prepare(v, r, res, &st);
	if (mr == M_OK)
		mr = dir_fill(r, &st.q, st.staff, res, &st);
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
