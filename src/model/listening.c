/*
 * listening.c - watched keywords and accounts, and the "listen.post" job
 * that turns matching posts into queue items (listening.h).
 *
 * Posting stays fast: post_create() only asks whether anything is watched
 * at all (one index probe) and, if so, writes one job row in its own
 * transaction. The matching runs in the job worker: it reads the scopes
 * that watch something, each scope's watches and listeners, and creates
 * all items of the post in one transaction. The job is idempotent: the
 * store refuses a second mention/keyword item for the same (post, scope).
 */
#include "model/listening.h"
#include "jobs/jobs.h"
#include "lib/buf.h"
#include "lib/id.h"
#include "lib/log.h"
#include "lib/markdown.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/listener.h"
#include "model/space.h"
#include "store/store_listening.h"
#include "store/store_posts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCOPES_MAX 4096
#define LISTENERS_MAX 512

/* ---- matching ------------------------------------------------------- */

static int is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c >= 0x80;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int listening_text_matches(const char *text, const char *keyword)
{
	const unsigned char *t = (const unsigned char *)text, *k = (const unsigned char *)keyword;
	size_t i;

	if (!k[0])
		return 0;
	for (i = 0; t[i]; i++) {
		size_t a = i, b = 0;

		if (i > 0 && is_word(t[i - 1]) && is_word(k[0]))
			continue;
		while (k[b]) {
			if (k[b] == ' ') {
				if (!is_space(t[a]))
					break;
				while (is_space(t[a]))
					a++;
				b++;
			} else if (t[a] == k[b]) {
				a++;
				b++;
			} else {
				break;
			}
		}
		if (k[b])
			continue;
		if (t[a] && is_word(t[a]) && is_word(k[b - 1]))
			continue;
		return 1;
	}
	return 0;
}

int listening_fold(const char *keyword, char *out, size_t n)
{
	struct buf f = BUF_INIT;
	const unsigned char *s;
	size_t len = 0;
	int word = 0, pending_space = 0;

	if (!keyword || markdown_tag_key(keyword, strlen(keyword), &f) < 0) {
		buf_release(&f);
		return -1;
	}
	for (s = (const unsigned char *)buf_str(&f); *s; s++) {
		if (is_space(*s)) {
			pending_space = len > 0;
			continue;
		}
		if (pending_space) {
			if (len + 1 >= n)
				goto too_long;
			out[len++] = ' ';
			pending_space = 0;
		}
		if (len + 1 >= n)
			goto too_long;
		if (is_word(*s))
			word = 1;
		out[len++] = (char)*s;
	}
	buf_release(&f);
	if (n)
		out[len] = '\0';
	return (len && word) ? 0 : -1;
too_long:
	buf_release(&f);
	if (n)
		out[0] = '\0';
	return -1;
}

/* ---- the watches ---------------------------------------------------- */

int listening_may_manage(const struct viewer *v, const struct space_view *sv)
{
	if (!v->signed_in || v->account.suspended)
		return 0;
	if (!sv)
		return viewer_is_admin(v) || listener_is_org(v);
	return space_is_moderator(sv) || listener_is(v, sv->s.id);
}

static void collect(const char *kind, const char *value, void *ctx)
{
	struct listening_watches *w = ctx;

	if (!kind || !value)
		return;
	if (!strcmp(kind, "keyword") && w->nkeywords < LISTEN_KEYWORDS_MAX)
		snprintf(w->keywords[w->nkeywords++], LISTEN_KEYWORD_MAX + 1, "%s", value);
	else if (!strcmp(kind, "account") && w->naccounts < LISTEN_ACCOUNTS_MAX)
		w->accounts[w->naccounts++] = strtoll(value, NULL, 10);
}

static int load(int64_t space_id, struct listening_watches *out)
{
	memset(out, 0, sizeof *out);
	return store_watches(space_id, collect, out);
}

enum mresult listening_get(const struct viewer *v, const struct space_view *sv,
			   struct listening_watches *out, char *err, size_t errlen)
{
	if (!listening_may_manage(v, sv))
		return mresult_fail(err, errlen, M_FORBIDDEN,
				    sv ? "Only the space's moderators and listeners manage its watches"
				       : "Only organisation listeners and admins manage the watches");
	if (load(sv ? sv->s.id : 0, out) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult listening_put(const struct viewer *v, const struct space_view *sv,
			   const char *const *keywords, size_t nkeywords,
			   const char *const *usernames, size_t nusernames,
			   struct listening_watches *out, char *err, size_t errlen)
{
	struct listening_watches *w;
	char *kw[LISTEN_KEYWORDS_MAX];
	size_t i, j;
	enum mresult res = M_OK;

	if (!listening_may_manage(v, sv))
		return mresult_fail(err, errlen, M_FORBIDDEN,
				    sv ? "Only the space's moderators and listeners manage its watches"
				       : "Only organisation listeners and admins manage the watches");
	if (nkeywords > LISTEN_KEYWORDS_MAX)
		return mresult_fail(err, errlen, M_INVALID, "At most 50 keywords");
	if (nusernames > LISTEN_ACCOUNTS_MAX)
		return mresult_fail(err, errlen, M_INVALID, "At most 50 accounts");
	w = calloc(1, sizeof *w);
	if (!w)
		return mresult_fail(err, errlen, M_ERROR, "Out of memory");
	for (i = 0; i < nkeywords; i++) {
		char k[LISTEN_KEYWORD_MAX + 1];

		if (listening_fold(keywords[i], k, sizeof k) < 0) {
			res = mresult_fail(err, errlen, M_INVALID,
					   "A keyword must have a letter or digit and at most 100 characters");
			goto done;
		}
		for (j = 0; j < w->nkeywords; j++)
			if (!strcmp(w->keywords[j], k))
				break;
		if (j == w->nkeywords)
			snprintf(w->keywords[w->nkeywords++], LISTEN_KEYWORD_MAX + 1, "%s", k);
	}
	for (i = 0; i < nusernames; i++) {
		const char *u = usernames[i] ? usernames[i] : "";
		struct account_row a;
		int rc;

		while (*u == ' ')
			u++;
		if (*u == '@')
			u++;
		rc = *u ? store_account_by_username(u, &a) : STORE_NOTFOUND;
		if (rc == STORE_ERROR) {
			res = mresult_fail(err, errlen, M_ERROR, "Storage error");
			goto done;
		}
		if (rc != STORE_OK || !audience_may_see_account(v, &a)) {
			char msg[96];

			snprintf(msg, sizeof msg, "Unknown account: %.40s", u);
			res = mresult_fail(err, errlen, M_INVALID, msg);
			goto done;
		}
		for (j = 0; j < w->naccounts; j++)
			if (w->accounts[j] == a.id)
				break;
		if (j == w->naccounts)
			w->accounts[w->naccounts++] = a.id;
	}
	for (i = 0; i < w->nkeywords; i++)
		kw[i] = w->keywords[i];
	if (store_watches_replace(sv ? sv->s.id : 0, kw, w->nkeywords, w->accounts, w->naccounts,
				  v->account.id, time_now_ms()) != STORE_OK) {
		res = mresult_fail(err, errlen, M_ERROR, "Storage error");
		goto done;
	}
	if (out && load(sv ? sv->s.id : 0, out) != STORE_OK)
		res = mresult_fail(err, errlen, M_ERROR, "Storage error");
done:
	free(w);
	return res;
}

/* ---- scheduling and the job ----------------------------------------- */

int listening_schedule(int64_t post_id, int64_t now_ms)
{
	int rc = store_watches_any();

	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc != STORE_OK)
		return -1;
	return store_job_put(id_next(), "listen.post", post_id, now_ms) == STORE_OK ? 1 : -1;
}

void listening_kick(void)
{
	jobs_wake();
}

struct scopes {
	int64_t ids[SCOPES_MAX];
	size_t n;
};

static void add_scope(int64_t space_id, void *ctx)
{
	struct scopes *s = ctx;

	if (s->n < SCOPES_MAX)
		s->ids[s->n++] = space_id;
}

/* Does at least one listener of the scope may read p? 1, 0, -1 on error. */
static int heard_by_someone(int64_t space_id, const struct post_row *p)
{
	int64_t ids[LISTENERS_MAX];
	int n = listener_ids(space_id, ids, LISTENERS_MAX), i;

	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct account_row a;
		int rc = store_account_get(ids[i], &a);

		if (rc == STORE_ERROR)
			return -1;
		if (rc == STORE_OK && audience_account_may_read(&a, p))
			return 1;
	}
	return 0;
}

struct match {
	int64_t space_id;
	const char *kind;
	char matched[LISTEN_KEYWORD_MAX + ACCOUNT_USERNAME_MAX + 2];
};

/* What in the post the scope's watches match: 1 with m filled, 0 none,
 * -1 on error. */
static int match_scope(int64_t space_id, const char *text, const int64_t *mentions, size_t nmentions,
		       struct listening_watches *w, struct match *m)
{
	size_t i, j;

	if (load(space_id, w) != STORE_OK)
		return -1;
	for (i = 0; i < w->naccounts; i++)
		for (j = 0; j < nmentions; j++)
			if (w->accounts[i] == mentions[j]) {
				struct account_row a;

				if (store_account_get(mentions[j], &a) != STORE_OK)
					continue;
				m->kind = "mention";
				snprintf(m->matched, sizeof m->matched, "@%s", a.username);
				return 1;
			}
	for (i = 0; i < w->nkeywords; i++)
		if (listening_text_matches(text, w->keywords[i])) {
			m->kind = "keyword";
			snprintf(m->matched, sizeof m->matched, "%s", w->keywords[i]);
			return 1;
		}
	return 0;
}

int listening_post_job(int64_t post_id)
{
	struct post_row p;
	struct scopes *sc = NULL;
	struct listening_watches *w = NULL;
	struct match *found = NULL;
	struct buf text = BUF_INIT, folded = BUF_INIT;
	int64_t mentions[64];
	size_t nmentions = 0, nfound = 0, i;
	int rc = store_post_get(post_id, &p), ret = -1;

	if (rc == STORE_NOTFOUND)
		return 0;     /* deleted meanwhile: nothing to hear */
	if (rc != STORE_OK)
		return -1;
	if (p.reblog_of_id) {
		post_row_release(&p);
		return 0;
	}
	sc = calloc(1, sizeof *sc);
	w = malloc(sizeof *w);
	if (!sc || !w)
		goto done;
	if (store_watch_scopes(add_scope, sc) != STORE_OK)
		goto done;
	found = calloc(sc->n ? sc->n : 1, sizeof *found);
	if (!found)
		goto done;
	if (store_post_mentions(post_id, mentions, 64, &nmentions) != STORE_OK)
		goto done;
	buf_printf(&text, "%s\n%s\n%s", p.title, p.spoiler_text, p.source);
	if (text.failed || markdown_tag_key(buf_str(&text), text.len, &folded) < 0)
		goto done;
	for (i = 0; i < sc->n; i++) {
		struct match m;
		int heard;

		memset(&m, 0, sizeof m);
		rc = match_scope(sc->ids[i], buf_str(&folded), mentions, nmentions, w, &m);
		if (rc < 0)
			goto done;
		if (!rc)
			continue;
		heard = heard_by_someone(sc->ids[i], &p);
		if (heard < 0)
			goto done;
		if (!heard)
			continue;
		m.space_id = sc->ids[i];
		found[nfound++] = m;
	}
	if (nfound) {
		int64_t now = time_now_ms();

		if (store_begin() != STORE_OK)
			goto done;
		for (i = 0; i < nfound; i++) {
			rc = store_watch_item_create(id_next(), id_next(), found[i].kind, post_id,
						     found[i].space_id, found[i].matched, now);
			if (rc != STORE_OK && rc != STORE_CONFLICT) {
				store_rollback();
				goto done;
			}
		}
		if (store_commit() != STORE_OK) {
			store_rollback();
			goto done;
		}
	}
	ret = 0;
done:
	if (ret)
		log_warn("listen.post %lld: storage error", (long long)post_id);
	buf_release(&text);
	buf_release(&folded);
	free(found);
	free(w);
	free(sc);
	post_row_release(&p);
	return ret;
}
