/*
 * filter.c - keyword and status filters (see filter.h).
 */
#include "model/filter.h"
#include "lib/buf.h"
#include "lib/id.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"
#include "model/audience.h"
#include "model/media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned bit;
} contexts[] = {
	{ "home", FILTER_CTX_HOME },
	{ "notifications", FILTER_CTX_NOTIFICATIONS },
	{ "public", FILTER_CTX_PUBLIC },
	{ "thread", FILTER_CTX_THREAD },
	{ "account", FILTER_CTX_ACCOUNT },
};
#define NCONTEXTS (sizeof contexts / sizeof contexts[0])

unsigned filter_context_bit(const char *name)
{
	size_t i;

	for (i = 0; name && i < NCONTEXTS; i++)
		if (!strcmp(name, contexts[i].name))
			return contexts[i].bit;
	return 0;
}

unsigned filter_context_parse(const char *list)
{
	unsigned bits = 0;
	char word[32];
	const char *p = list;

	while (p && *p) {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n && n < sizeof word) {
			memcpy(word, p, n);
			word[n] = '\0';
			bits |= filter_context_bit(word);
		}
		p += n;
	}
	return bits;
}

void filter_context_format(unsigned bits, char *out, size_t n)
{
	size_t i, len = 0;

	if (n)
		out[0] = '\0';
	for (i = 0; i < NCONTEXTS; i++)
		if (bits & contexts[i].bit) {
			int w = snprintf(out + len, n - len, "%s%s", len ? " " : "", contexts[i].name);

			if (w < 0 || (size_t)w >= n - len)
				return;
			len += (size_t)w;
		}
}

void filter_context_each(unsigned bits, void (*fn)(const char *name, void *), void *ctx)
{
	size_t i;

	for (i = 0; i < NCONTEXTS; i++)
		if (bits & contexts[i].bit)
			fn(contexts[i].name, ctx);
}

static enum mresult fail(char *err, size_t errlen, enum mresult r, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	return r;
}

static enum mresult storage(char *err, size_t errlen)
{
	return fail(err, errlen, M_ERROR, "Storage error");
}

/* ---- checks ------------------------------------------------------------------ */

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static enum mresult check_keyword(const char *k, char *err, size_t errlen)
{
	if (!k || blank(k))
		return fail(err, errlen, M_INVALID, "Validation failed: Keyword can't be blank");
	if (utf8_chars(k) > FILTER_KEYWORD_MAX || strchr(k, '\n'))
		return fail(err, errlen, M_INVALID, "Validation failed: Keyword is too long (at most 256 "
			    "characters on one line)");
	return M_OK;
}

static enum mresult check_title(const char *t, char *err, size_t errlen)
{
	if (!t || blank(t))
		return fail(err, errlen, M_INVALID, "Validation failed: Title can't be blank");
	if (utf8_chars(t) > FILTER_TITLE_MAX)
		return fail(err, errlen, M_INVALID, "Validation failed: Title is too long (at most 256 characters)");
	return M_OK;
}

static enum mresult check_expiry(int64_t expires_in, char *err, size_t errlen)
{
	if (expires_in < -1 || expires_in > 100LL * 365 * 86400)
		return fail(err, errlen, M_INVALID, "Validation failed: expires_in must be a number of seconds");
	return M_OK;
}

static int64_t expiry(int64_t expires_in)
{
	return expires_in > 0 ? time_now_ms() + expires_in * 1000 : 0;
}

struct count_ctx {
	int64_t n;
};

static void count_filter(const struct filter_row *f, void *ctx)
{
	(void)f;
	((struct count_ctx *)ctx)->n++;
}

/* ---- v2 writes ---------------------------------------------------------------- */

/* Create; *first_kw: the id of the first keyword made (0: none). */
static enum mresult create(const struct viewer *v, const struct filter_input *in, int64_t *id_out,
			   int64_t *first_kw, char *err, size_t errlen)
{
	struct filter_row f;
	struct count_ctx cnt = { 0 };
	enum mresult r;
	size_t i;

	r = check_title(in->title, err, errlen);
	if (r != M_OK)
		return r;
	if (!in->context)
		return fail(err, errlen, M_INVALID, "Validation failed: Context can't be blank "
			    "(home, notifications, public, thread, account)");
	if (in->action && strcmp(in->action, "warn") && strcmp(in->action, "hide"))
		return fail(err, errlen, M_INVALID, "Validation failed: filter_action must be warn or hide");
	if (in->too_many_keywords)
		return fail(err, errlen, M_INVALID, "Validation failed: too many keywords");
	r = check_expiry(in->expires_in, err, errlen);
	if (r != M_OK)
		return r;
	for (i = 0; i < in->nkeywords; i++) {
		if (in->keywords[i].destroy)
			continue;
		r = check_keyword(in->keywords[i].keyword, err, errlen);
		if (r != M_OK)
			return r;
	}
	if (store_filter_list(v->account.id, 0, 0, count_filter, &cnt) != STORE_OK)
		return storage(err, errlen);
	if (cnt.n >= FILTERS_MAX)
		return fail(err, errlen, M_INVALID, "Validation failed: too many filters");
	*first_kw = 0;
	memset(&f, 0, sizeof f);
	f.id = id_next();
	f.account_id = v->account.id;
	snprintf(f.title, sizeof f.title, "%s", in->title);
	filter_context_format(in->context, f.context, sizeof f.context);
	snprintf(f.action, sizeof f.action, "%s", in->action ? in->action : "warn");
	f.expires_at = expiry(in->expires_in);
	f.created_at = time_now_ms();
	if (store_begin() != STORE_OK)
		return storage(err, errlen);
	if (store_filter_insert(&f) != STORE_OK)
		goto rollback;
	for (i = 0; i < in->nkeywords; i++) {
		struct filter_keyword_row k;

		if (in->keywords[i].destroy)
			continue;
		memset(&k, 0, sizeof k);
		k.id = id_next();
		k.filter_id = f.id;
		snprintf(k.keyword, sizeof k.keyword, "%s", in->keywords[i].keyword);
		k.whole_word = in->keywords[i].whole_word != 0;
		if (store_filter_keyword_insert(&k) != STORE_OK)
			goto rollback;
		if (!*first_kw)
			*first_kw = k.id;
	}
	if (store_commit() != STORE_OK)
		goto rollback;
	*id_out = f.id;
	return M_OK;
rollback:
	store_rollback();
	return storage(err, errlen);
}

enum mresult filter_create(const struct viewer *v, const struct filter_input *in, int64_t *id_out,
			   char *err, size_t errlen)
{
	int64_t kw;

	return create(v, in, id_out, &kw, err, errlen);
}

enum mresult filter_update(const struct viewer *v, int64_t id, const struct filter_input *in,
			   char *err, size_t errlen)
{
	struct filter_row f;
	enum mresult r;
	size_t i;
	int rc = store_filter_get(v->account.id, id, &f);

	if (rc == STORE_NOTFOUND)
		return fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK)
		return storage(err, errlen);
	if (in->title) {
		r = check_title(in->title, err, errlen);
		if (r != M_OK)
			return r;
		snprintf(f.title, sizeof f.title, "%s", in->title);
	}
	if (in->context_given && !in->context)
		return fail(err, errlen, M_INVALID, "Validation failed: Context can't be blank");
	if (in->context)
		filter_context_format(in->context, f.context, sizeof f.context);
	if (in->action) {
		if (strcmp(in->action, "warn") && strcmp(in->action, "hide"))
			return fail(err, errlen, M_INVALID, "Validation failed: filter_action must be warn or hide");
		snprintf(f.action, sizeof f.action, "%s", in->action);
	}
	if (in->too_many_keywords)
		return fail(err, errlen, M_INVALID, "Validation failed: too many keywords");
	r = check_expiry(in->expires_in, err, errlen);
	if (r != M_OK)
		return r;
	if (in->expires_in >= 0)
		f.expires_at = expiry(in->expires_in);
	for (i = 0; i < in->nkeywords; i++) {
		if (in->keywords[i].destroy || (in->keywords[i].id && !in->keywords[i].keyword))
			continue;
		r = check_keyword(in->keywords[i].keyword, err, errlen);
		if (r != M_OK)
			return r;
	}
	if (store_begin() != STORE_OK)
		return storage(err, errlen);
	if (store_filter_update(&f) != STORE_OK)
		goto rollback;
	for (i = 0; i < in->nkeywords; i++) {
		const struct filter_keyword_input *ki = &in->keywords[i];
		struct filter_keyword_row k;

		if (ki->id) {
			/* only the filter's own keywords */
			rc = store_filter_keyword_get(v->account.id, ki->id, &k);
			if (rc == STORE_ERROR)
				goto rollback;
			if (rc != STORE_OK || k.filter_id != f.id)
				continue;
			if (ki->destroy) {
				if (store_filter_keyword_delete(v->account.id, k.id) == STORE_ERROR)
					goto rollback;
				continue;
			}
			if (ki->keyword)
				snprintf(k.keyword, sizeof k.keyword, "%s", ki->keyword);
			if (ki->whole_word >= 0)
				k.whole_word = ki->whole_word != 0;
			if (store_filter_keyword_update(&k) == STORE_ERROR)
				goto rollback;
			continue;
		}
		if (ki->destroy)
			continue;
		if (store_filter_keyword_count(f.id) >= FILTER_KEYWORDS_MAX) {
			store_rollback();
			return fail(err, errlen, M_INVALID, "Validation failed: too many keywords");
		}
		memset(&k, 0, sizeof k);
		k.id = id_next();
		k.filter_id = f.id;
		snprintf(k.keyword, sizeof k.keyword, "%s", ki->keyword);
		k.whole_word = ki->whole_word != 0;
		if (store_filter_keyword_insert(&k) != STORE_OK)
			goto rollback;
	}
	if (store_commit() != STORE_OK)
		goto rollback;
	return M_OK;
rollback:
	store_rollback();
	return storage(err, errlen);
}

enum mresult filter_delete(const struct viewer *v, int64_t id)
{
	int rc = store_filter_delete(v->account.id, id);

	return rc == STORE_OK ? M_OK : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
}

enum mresult filter_keyword_add(const struct viewer *v, int64_t filter_id, const char *keyword,
				int whole_word, int64_t *id_out, char *err, size_t errlen)
{
	struct filter_keyword_row k;
	struct filter_row f;
	enum mresult r;
	int rc = store_filter_get(v->account.id, filter_id, &f);

	if (rc == STORE_NOTFOUND)
		return fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK)
		return storage(err, errlen);
	r = check_keyword(keyword, err, errlen);
	if (r != M_OK)
		return r;
	if (store_filter_keyword_count(filter_id) >= FILTER_KEYWORDS_MAX)
		return fail(err, errlen, M_INVALID, "Validation failed: too many keywords");
	memset(&k, 0, sizeof k);
	k.id = id_next();
	k.filter_id = filter_id;
	snprintf(k.keyword, sizeof k.keyword, "%s", keyword);
	k.whole_word = whole_word != 0;
	if (store_filter_keyword_insert(&k) != STORE_OK)
		return storage(err, errlen);
	*id_out = k.id;
	return M_OK;
}

enum mresult filter_keyword_update(const struct viewer *v, int64_t id, const char *keyword,
				   int whole_word, char *err, size_t errlen)
{
	struct filter_keyword_row k;
	enum mresult r;
	int rc = store_filter_keyword_get(v->account.id, id, &k);

	if (rc == STORE_NOTFOUND)
		return fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK)
		return storage(err, errlen);
	if (keyword) {
		r = check_keyword(keyword, err, errlen);
		if (r != M_OK)
			return r;
		snprintf(k.keyword, sizeof k.keyword, "%s", keyword);
	}
	if (whole_word >= 0)
		k.whole_word = whole_word != 0;
	return store_filter_keyword_update(&k) == STORE_ERROR ? storage(err, errlen) : M_OK;
}

enum mresult filter_keyword_delete(const struct viewer *v, int64_t id)
{
	int rc = store_filter_keyword_delete(v->account.id, id);

	return rc == STORE_OK ? M_OK : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
}

struct scount {
	int64_t n;
};

static void count_status(const struct filter_status_row *s, void *ctx)
{
	(void)s;
	((struct scount *)ctx)->n++;
}

enum mresult filter_status_add(const struct viewer *v, int64_t filter_id, int64_t post_id,
			       int64_t *id_out, char *err, size_t errlen)
{
	struct filter_status_row s;
	struct filter_row f;
	struct post_row p;
	struct scount cnt = { 0 };
	int rc = store_filter_get(v->account.id, filter_id, &f);
	enum mresult r;

	if (rc == STORE_NOTFOUND)
		return fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK)
		return storage(err, errlen);
	r = audience_read_post(v, post_id, &p);
	if (r == M_NOTFOUND)
		return fail(err, errlen, M_NOTFOUND, "Record not found");
	if (r != M_OK)
		return storage(err, errlen);
	post_row_release(&p);
	if (store_filter_statuses(v->account.id, filter_id, count_status, &cnt) != STORE_OK)
		return storage(err, errlen);
	if (cnt.n >= FILTER_STATUSES_MAX)
		return fail(err, errlen, M_INVALID, "Validation failed: too many statuses in this filter");
	s.id = id_next();
	s.filter_id = filter_id;
	s.post_id = post_id;
	rc = store_filter_status_insert(&s);
	if (rc == STORE_CONFLICT)
		return fail(err, errlen, M_INVALID, "Validation failed: Status has already been taken");
	if (rc != STORE_OK)
		return storage(err, errlen);
	*id_out = s.id;
	return M_OK;
}

enum mresult filter_status_delete(const struct viewer *v, int64_t id)
{
	int rc = store_filter_status_delete(v->account.id, id);

	return rc == STORE_OK ? M_OK : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
}

/* ---- v1 ------------------------------------------------------------------------ */

enum mresult filter_v1_create(const struct viewer *v, const char *phrase, unsigned context,
			      int irreversible, int whole_word, int64_t expires_in,
			      int64_t *kw_id_out, char *err, size_t errlen)
{
	struct filter_input *in;
	int64_t fid = 0;
	enum mresult r;

	r = check_keyword(phrase, err, errlen);
	if (r != M_OK)
		return r;
	in = calloc(1, sizeof *in);
	if (!in)
		return storage(err, errlen);
	in->title = phrase;
	in->context = context;
	in->action = irreversible > 0 ? "hide" : "warn";
	in->expires_in = expires_in < 0 ? 0 : expires_in;
	in->nkeywords = 1;
	in->keywords[0].keyword = phrase;
	in->keywords[0].whole_word = whole_word != 0;
	r = create(v, in, &fid, kw_id_out, err, errlen);
	free(in);
	return r;
}

enum mresult filter_v1_update(const struct viewer *v, int64_t kw_id, const char *phrase,
			      unsigned context, int irreversible, int whole_word, int64_t expires_in,
			      char *err, size_t errlen)
{
	struct filter_keyword_row k;
	struct filter_row f;
	enum mresult r;
	int rc = store_filter_keyword_get(v->account.id, kw_id, &k);

	if (rc == STORE_NOTFOUND)
		return fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK || store_filter_get(v->account.id, k.filter_id, &f) != STORE_OK)
		return storage(err, errlen);
	if (phrase) {
		r = check_keyword(phrase, err, errlen);
		if (r != M_OK)
			return r;
		snprintf(k.keyword, sizeof k.keyword, "%s", phrase);
		/* a filter of this one keyword is named after it */
		if (store_filter_keyword_count(f.id) == 1)
			snprintf(f.title, sizeof f.title, "%s", phrase);
	}
	if (whole_word >= 0)
		k.whole_word = whole_word != 0;
	if (context)
		filter_context_format(context, f.context, sizeof f.context);
	if (irreversible >= 0)
		snprintf(f.action, sizeof f.action, "%s", irreversible ? "hide" : "warn");
	r = check_expiry(expires_in, err, errlen);
	if (r != M_OK)
		return r;
	if (expires_in >= 0)
		f.expires_at = expiry(expires_in);
	if (store_begin() != STORE_OK)
		return storage(err, errlen);
	if (store_filter_keyword_update(&k) == STORE_ERROR || store_filter_update(&f) == STORE_ERROR ||
	    store_commit() != STORE_OK) {
		store_rollback();
		return storage(err, errlen);
	}
	return M_OK;
}

static void count_statuses_of(const struct filter_status_row *s, void *ctx)
{
	(void)s;
	(*(int64_t *)ctx)++;
}

enum mresult filter_v1_delete(const struct viewer *v, int64_t kw_id)
{
	struct filter_keyword_row k;
	int64_t nst = 0;
	int rc = store_filter_keyword_get(v->account.id, kw_id, &k);

	if (rc == STORE_NOTFOUND)
		return M_NOTFOUND;
	if (rc != STORE_OK || store_begin() != STORE_OK)
		return M_ERROR;
	if (store_filter_keyword_delete(v->account.id, kw_id) == STORE_ERROR ||
	    store_filter_statuses(v->account.id, k.filter_id, count_statuses_of, &nst) != STORE_OK)
		goto rollback;
	if (store_filter_keyword_count(k.filter_id) == 0 && nst == 0 &&
	    store_filter_delete(v->account.id, k.filter_id) == STORE_ERROR)
		goto rollback;
	if (store_commit() != STORE_OK)
		goto rollback;
	return M_OK;
rollback:
	store_rollback();
	return M_ERROR;
}

/* ---- matching ---------------------------------------------------------------- */

static int word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

int filter_text_matches(const char *text, size_t len, const char *kw, size_t kwlen, int whole_word)
{
	size_t i;
	int need_start, need_end;

	if (!kwlen || kwlen > len)
		return 0;
	need_start = whole_word && word_byte((unsigned char)kw[0]);
	need_end = whole_word && word_byte((unsigned char)kw[kwlen - 1]);
	for (i = 0; i + kwlen <= len; i++) {
		if (text[i] != kw[0] || memcmp(text + i, kw, kwlen))
			continue;
		if (need_start && i > 0 && word_byte((unsigned char)text[i - 1]))
			continue;
		/* a continuation byte before the match: we are inside a character */
		if (((unsigned char)text[i] & 0xC0) == 0x80)
			continue;
		if (need_end && i + kwlen < len && word_byte((unsigned char)text[i + kwlen]))
			continue;
		return 1;
	}
	return 0;
}

struct text_ctx {
	struct buf *raw;
};

static void add_description(const struct media_row *m, void *ctx)
{
	struct text_ctx *t = ctx;

	if (m->description[0]) {
		buf_puts(t->raw, "\n\n");
		buf_puts(t->raw, m->description);
	}
}

int filter_searchable_text(const struct post_row *p, struct buf *out)
{
	struct buf raw = BUF_INIT;
	struct text_ctx t = { &raw };
	int rc;

	if (p->spoiler_text && p->spoiler_text[0]) {
		buf_puts(&raw, p->spoiler_text);
		buf_puts(&raw, "\n\n");
	}
	if (p->title && p->title[0]) {
		buf_puts(&raw, p->title);
		buf_puts(&raw, "\n\n");
	}
	if (p->source && markdown_plain(p->source, strlen(p->source), &raw) < 0) {
		buf_release(&raw);
		return -1;
	}
	if (p->has_poll) {
		struct poll_row poll;

		if (store_poll_by_post(p->id, &poll) == STORE_OK) {
			buf_puts(&raw, "\n\n");
			buf_puts(&raw, poll.options);
			poll_row_release(&poll);
		}
	}
	if (p->has_media)
		media_list_for_post(p->id, add_description, &t);
	rc = raw.failed ? -1 : markdown_tag_key(raw.data ? raw.data : "", raw.len, out);
	buf_release(&raw);
	return rc;
}

/* ---- the viewer's set ---------------------------------------------------------- */

static void entry_release(struct filter_entry *e)
{
	size_t i;

	for (i = 0; i < e->nkws; i++)
		free(e->kws[i].folded);
	free(e->kws);
	free(e->keywords_text);
	free(e->statuses);
}

void filter_set_release(struct filter_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		entry_release(&s->items[i]);
	free(s->items);
	memset(s, 0, sizeof *s);
}

struct load_ctx {
	struct filter_set *s;
	size_t cap;
	int failed;
};

static void load_filter(const struct filter_row *f, void *ctx)
{
	struct load_ctx *l = ctx;
	struct filter_entry *e;

	if (l->failed)
		return;
	if (l->s->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 8;
		struct filter_entry *ni = realloc(l->s->items, nc * sizeof *ni);

		if (!ni) {
			l->failed = 1;
			return;
		}
		l->s->items = ni;
		l->cap = nc;
	}
	e = &l->s->items[l->s->n++];
	memset(e, 0, sizeof *e);
	e->row = *f;
	e->context = filter_context_parse(f->context);
	e->hide = !strcmp(f->action, "hide");
}

static struct filter_entry *entry_of(struct filter_set *s, int64_t filter_id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->items[i].row.id == filter_id)
			return &s->items[i];
	return NULL;
}

struct kw_ctx {
	struct filter_set *s;
	int failed;
};

/* Keywords come oldest first, grouped by nothing: append to their filter. */
static void load_keyword(const struct filter_keyword_row *k, void *ctx)
{
	struct kw_ctx *c = ctx;
	struct filter_entry *e = entry_of(c->s, k->filter_id);
	struct buf folded = BUF_INIT;
	struct filter_kw *nk;
	size_t klen = strlen(k->keyword), old = 0, i;
	char *nt;

	if (!e || c->failed || e->nkws >= FILTER_KEYWORDS_MAX)
		return;
	for (i = 0; i < e->nkws; i++)
		old += strlen(e->kws[i].original) + 1;
	nk = realloc(e->kws, (e->nkws + 1) * sizeof *nk);
	if (!nk) {
		c->failed = 1;
		return;
	}
	e->kws = nk;
	nt = realloc(e->keywords_text, old + klen + 1);
	if (!nt) {
		c->failed = 1;
		return;
	}
	/* the originals moved: point them into the new text again */
	e->keywords_text = nt;
	memcpy(nt + old, k->keyword, klen + 1);
	if (markdown_tag_key(k->keyword, klen, &folded) < 0 || !folded.data) {
		buf_release(&folded);
		c->failed = 1;
		return;
	}
	e->kws[e->nkws].len = folded.len;
	e->kws[e->nkws].folded = buf_detach(&folded, NULL);
	e->kws[e->nkws].whole_word = k->whole_word;
	e->nkws++;
	old = 0;
	for (i = 0; i < e->nkws; i++) {
		e->kws[i].original = nt + old;
		old += strlen(nt + old) + 1;
	}
	c->s->has_keywords = 1;
}

static void load_status(const struct filter_status_row *st, void *ctx)
{
	struct kw_ctx *c = ctx;
	struct filter_entry *e = entry_of(c->s, st->filter_id);
	int64_t *ns;

	if (!e || c->failed)
		return;
	ns = realloc(e->statuses, (e->nstatuses + 1) * sizeof *ns);
	if (!ns) {
		c->failed = 1;
		return;
	}
	e->statuses = ns;
	e->statuses[e->nstatuses++] = st->post_id;
}

int filter_set_load(struct filter_set *s, int64_t account_id, int64_t now_ms)
{
	struct load_ctx l = { s, 0, 0 };
	struct kw_ctx k = { s, 0 };

	memset(s, 0, sizeof *s);
	if (store_filter_list(account_id, 1, now_ms, load_filter, &l) != STORE_OK || l.failed)
		goto fail;
	if (!s->n)
		return 0;
	if (store_filter_keywords(account_id, 0, load_keyword, &k) != STORE_OK || k.failed ||
	    store_filter_statuses(account_id, 0, load_status, &k) != STORE_OK || k.failed)
		goto fail;
	return 0;
fail:
	filter_set_release(s);
	return -1;
}

unsigned filter_set_match(const struct filter_set *s, const struct post_row *proper, int64_t outer_id,
			  void (*fn)(const struct filter_hit *hit, void *ctx), void *ctx)
{
	struct buf text = BUF_INIT;
	struct filter_hit hit;
	unsigned hide = 0;
	int text_ready = 0;
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		const struct filter_entry *e = &s->items[i];

		memset(&hit, 0, sizeof hit);
		hit.filter = e;
		for (j = 0; j < e->nstatuses; j++) {
			if (e->statuses[j] == proper->id && hit.nstatuses < 2)
				hit.statuses[hit.nstatuses++] = proper->id;
			else if (outer_id != proper->id && e->statuses[j] == outer_id && hit.nstatuses < 2)
				hit.statuses[hit.nstatuses++] = outer_id;
		}
		if (e->nkws && !text_ready) {
			text_ready = 1;
			if (filter_searchable_text(proper, &text) < 0)
				buf_reset(&text);
		}
		for (j = 0; j < e->nkws; j++)
			if (text.data && filter_text_matches(text.data, text.len, e->kws[j].folded,
							     e->kws[j].len, e->kws[j].whole_word))
				hit.keywords[hit.nkeywords++] = e->kws[j].original;
		if (!hit.nkeywords && !hit.nstatuses)
			continue;
		if (e->hide)
			hide |= e->context;
		if (fn)
			fn(&hit, ctx);
	}
	buf_release(&text);
	return hide;
}
