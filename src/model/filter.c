/*
 * filter.c - keyword and status filters (see filter.h): contexts, and
 * writing filters, their keywords and statuses (v2 and v1). Applying
 * them is filter_match.c.
 */
#include "model/filter.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"
#include "model/audience.h"

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

static enum mresult storage(char *err, size_t errlen)
{
	return mresult_fail(err, errlen, M_ERROR, "Storage error");
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
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: Keyword can't be blank");
	if (utf8_chars(k) > FILTER_KEYWORD_MAX || strchr(k, '\n'))
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: Keyword is too long (at most 256 "
			    "characters on one line)");
	return M_OK;
}

static enum mresult check_title(const char *t, char *err, size_t errlen)
{
	if (!t || blank(t))
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: Title can't be blank");
	if (utf8_chars(t) > FILTER_TITLE_MAX)
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: Title is too long (at most 256 characters)");
	return M_OK;
}

static enum mresult check_expiry(int64_t expires_in, char *err, size_t errlen)
{
	if (expires_in < -1 || expires_in > 100LL * 365 * 86400)
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: expires_in must be a number of seconds");
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
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: Context can't be blank "
			    "(home, notifications, public, thread, account)");
	if (in->action && strcmp(in->action, "warn") && strcmp(in->action, "hide"))
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: filter_action must be warn or hide");
	if (in->too_many_keywords)
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: too many keywords");
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
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: too many filters");
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
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK)
		return storage(err, errlen);
	if (in->title) {
		r = check_title(in->title, err, errlen);
		if (r != M_OK)
			return r;
		snprintf(f.title, sizeof f.title, "%s", in->title);
	}
	if (in->context_given && !in->context)
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: Context can't be blank");
	if (in->context)
		filter_context_format(in->context, f.context, sizeof f.context);
	if (in->action) {
		if (strcmp(in->action, "warn") && strcmp(in->action, "hide"))
			return mresult_fail(err, errlen, M_INVALID, "Validation failed: filter_action must be warn or hide");
		snprintf(f.action, sizeof f.action, "%s", in->action);
	}
	if (in->too_many_keywords)
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: too many keywords");
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
			return mresult_fail(err, errlen, M_INVALID, "Validation failed: too many keywords");
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
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK)
		return storage(err, errlen);
	r = check_keyword(keyword, err, errlen);
	if (r != M_OK)
		return r;
	if (store_filter_keyword_count(filter_id) >= FILTER_KEYWORDS_MAX)
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: too many keywords");
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
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
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
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	if (rc != STORE_OK)
		return storage(err, errlen);
	r = audience_read_post(v, post_id, &p);
	if (r == M_NOTFOUND)
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	if (r != M_OK)
		return storage(err, errlen);
	post_row_release(&p);
	if (store_filter_statuses(v->account.id, filter_id, count_status, &cnt) != STORE_OK)
		return storage(err, errlen);
	if (cnt.n >= FILTER_STATUSES_MAX)
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: too many statuses in this filter");
	s.id = id_next();
	s.filter_id = filter_id;
	s.post_id = post_id;
	rc = store_filter_status_insert(&s);
	if (rc == STORE_CONFLICT)
		return mresult_fail(err, errlen, M_INVALID, "Validation failed: Status has already been taken");
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
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
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
