/*
 * question.c - questions and answers (see question.h).
 *
 * Writes: the question or answer post goes through post_create() /
 * post_edit() with a post_within_fn that writes our row in the post's
 * transaction, so a question never exists without its post nor the
 * reverse. State changes (accept, close, ...) run in their own
 * BEGIN IMMEDIATE transaction and re-read the question inside it.
 *
 * Reads: every question and answer is first a post read through
 * audience_read_post() (single) or AUD_SQL in the store (lists), so the
 * audience rule is the only gate.
 */
#include "model/question.h"
#include "lib/id.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"
#include "model/audience.h"
#include "model/notify.h"
#include "model/post.h"
#include "model/queue.h"
#include "model/space.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- pure helpers ------------------------------------------------------- */

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

int question_tag_normalise(const char *in, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t len = 0, chars = 0;
	int pending_dash = 0;

	if (!n)
		return -1;
	out[0] = '\0';
	while (*p && isspace(*p))
		p++;
	if (*p == '#')
		p++;
	for (; *p; p++) {
		unsigned char c = *p;

		if (isspace(c)) {
			pending_dash = len > 0;
			continue;
		}
		if (!(isalnum(c) || c >= 0x80 || c == '_' || c == '-' || c == '.' || c == '+'))
			return -1;
		if (pending_dash) {
			if (len + 1 >= n)
				return -1;
			out[len++] = '-';
			chars++;
			pending_dash = 0;
		}
		if (len + 1 >= n)
			return -1;
		out[len++] = (char)(c < 0x80 ? tolower(c) : c);
		if ((c & 0xC0) != 0x80)
			chars++;
	}
	out[len] = '\0';
	if (!len || chars > QUESTION_TAG_MAX || !utf8_valid(out, len))
		return -1;
	return 0;
}

int question_match_expr(const char *q, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)(q ? q : "");
	size_t len = 0;
	int words = 0;

	if (!n)
		return -1;
	out[0] = '\0';
	while (*p && words < 16) {
		const unsigned char *w;
		size_t wl, need;

		while (*p && !(isalnum(*p) || *p >= 0x80))
			p++;
		w = p;
		while (*p && (isalnum(*p) || *p >= 0x80))
			p++;
		wl = (size_t)(p - w);
		if (!wl)
			break;
		need = (words ? 4 : 0) + 1 + wl + 2;   /* " OR " "\"" word "\"*" */
		if (len + need + 1 > n)
			return -1;
		if (words) {
			memcpy(out + len, " OR ", 4);
			len += 4;
		}
		out[len++] = '"';
		memcpy(out + len, w, wl);
		len += wl;
		out[len++] = '"';
		out[len++] = '*';
		out[len] = '\0';
		words++;
	}
	return words;
}

int question_tags_has(const char *tags, const char *tag)
{
	size_t tl = strlen(tag);
	const char *p = tags;

	if (!tl)
		return 0;
	while (p && *p) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == tl && !memcmp(p, tag, tl))
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* Append tag to the space-separated list (once); -1 when it does not fit. */
static int tags_add(char *tags, size_t n, const char *tag)
{
	size_t len = strlen(tags), tl = strlen(tag);

	if (question_tags_has(tags, tag))
		return 0;
	if (len + (len ? 1 : 0) + tl + 1 > n)
		return -1;
	if (len)
		tags[len++] = ' ';
	memcpy(tags + len, tag, tl + 1);
	return 0;
}

static size_t tags_count(const char *tags)
{
	size_t k = tags[0] ? 1 : 0;

	for (; *tags; tags++)
		if (*tags == ' ')
			k++;
	return k;
}

/* The given tags, normalised and deduplicated, into out. */
static enum mresult read_tags(const struct question_input *in, char *out, size_t n,
			      char *err, size_t errlen)
{
	size_t i;

	out[0] = '\0';
	if (in->ntags > QUESTION_TAGS_MAX) {
		snprintf(err, errlen, "At most %d tags", QUESTION_TAGS_MAX);
		return M_INVALID;
	}
	for (i = 0; i < in->ntags; i++) {
		char t[QUESTION_TAG_MAX * 4 + 1];

		if (question_tag_normalise(in->tags[i], t, sizeof t) < 0) {
			snprintf(err, errlen, "Tag \"%.60s\" is not a tag: use letters, digits, '_', '-', '.', '+' (%d characters at most)",
				 in->tags[i], QUESTION_TAG_MAX);
			return M_INVALID;
		}
		if (tags_add(out, n, t) < 0)
			return mresult_fail(err, errlen, M_INVALID, "Too many tags");
	}
	return M_OK;
}

static enum mresult check_title(const char *title, char *err, size_t errlen)
{
	if (blank(title))
		return mresult_fail(err, errlen, M_INVALID, "A question needs a title");
	if (utf8_chars(title) > QUESTION_TITLE_MAX) {
		snprintf(err, errlen, "The title is too long (%d characters at most)", QUESTION_TITLE_MAX);
		return M_INVALID;
	}
	if (strchr(title, '\n') || strchr(title, '\r'))
		return mresult_fail(err, errlen, M_INVALID, "The title is one line");
	return M_OK;
}

static enum mresult check_body(const char *body, char *err, size_t errlen)
{
	size_t max = post_settings()->max_chars, chars;

	if (blank(body))
		return mresult_fail(err, errlen, M_INVALID, "A question needs a body");
	chars = utf8_chars(body);
	if (chars > max) {
		snprintf(err, errlen, "Text is too long: %zu characters, the limit is %zu", chars, max);
		return M_INVALID;
	}
	return M_OK;
}

/* ---- views ---------------------------------------------------------------- */

void question_view_release(struct question_view *qv)
{
	post_row_release(&qv->post);
}

void answer_view_release(struct answer_view *av)
{
	post_row_release(&av->post);
}

static int is_space_moderator(const struct viewer *v, int64_t space_id)
{
	struct space_view sv;

	if (!v->signed_in || !space_id || space_lookup_id(v, space_id, &sv) != M_OK)
		return 0;
	return space_is_moderator(&sv);
}

static int is_listener(const struct viewer *v, int64_t space_id)
{
	if (!v->signed_in)
		return 0;
	if (space_id && store_listener_exists(space_id, v->account.id) == STORE_OK)
		return 1;
	return store_listener_exists(0, v->account.id) == STORE_OK;
}

/* May v reply in the question's audience? */
static int may_reply(const struct viewer *v, const struct question_view *qv)
{
	if (!v->signed_in)
		return 0;
	if (qv->q.space_id) {
		char err[8];

		return space_check_post(v, qv->q.space_id, err, sizeof err) == M_OK;
	}
	return audience_may_post(&v->account, (enum audience)audience_parse(qv->post.audience));
}

/* Fill out from the question row and its post (taken over). */
static void fill_view(const struct viewer *v, const struct question_row *q, struct post_row *post,
		      struct question_view *out)
{
	struct store_audience aud;
	int asker = v->signed_in && v->account.id == q->account_id;
	int smod;

	memset(out, 0, sizeof *out);
	out->q = *q;
	out->post = *post;
	memset(post, 0, sizeof *post);
	if (q->space_id && store_space_get(q->space_id, &out->space) == STORE_OK)
		out->in_space = 1;
	audience_filter(v, &aud);
	out->answers_count = store_answer_count_visible(&aud, q->post_id);
	if (out->answers_count < 0)
		out->answers_count = 0;
	smod = is_space_moderator(v, q->space_id);
	out->may_accept = asker || smod;
	out->may_close = asker || smod || is_listener(v, q->space_id);
	out->may_edit = asker;
	out->may_delete = asker || smod || (v->signed_in && (v->account.is_admin || v->account.is_moderator));
	out->may_answer = strcmp(q->state, "closed") && may_reply(v, out);
}

enum mresult question_lookup(const struct viewer *v, int64_t id, struct question_view *out,
			     char *err, size_t errlen)
{
	struct question_row q;
	struct post_row p;
	int rc = store_question_get(id, &q);
	enum mresult r;

	if (rc == STORE_NOTFOUND)
		return mresult_fail(err, errlen, M_NOTFOUND, "Question not found");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	r = audience_read_post(v, id, &p);
	if (r != M_OK)
		return mresult_fail(err, errlen, r == M_NOTFOUND ? M_NOTFOUND : M_ERROR,
				    r == M_NOTFOUND ? "Question not found" : "Storage error");
	fill_view(v, &q, &p, out);
	return M_OK;
}

enum mresult answer_lookup(const struct viewer *v, int64_t answer_id, struct answer_view *out,
			   char *err, size_t errlen)
{
	struct answer_row a;
	int rc = store_answer_get(answer_id, &a);
	enum mresult r;

	memset(out, 0, sizeof *out);
	if (rc == STORE_NOTFOUND)
		return mresult_fail(err, errlen, M_NOTFOUND, "Answer not found");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	r = audience_read_post(v, answer_id, &out->post);
	if (r != M_OK)
		return mresult_fail(err, errlen, r == M_NOTFOUND ? M_NOTFOUND : M_ERROR,
				    r == M_NOTFOUND ? "Answer not found" : "Storage error");
	out->a = a;
	if (v->signed_in && store_answer_my_vote(answer_id, v->account.id, &out->my_vote) != STORE_OK)
		out->my_vote = 0;
	return M_OK;
}

/* ---- ask, edit, delete ------------------------------------------------------ */

struct ask_ctx {
	const char *title;
	const char *body;
	char tags[sizeof ((struct question_row *)0)->tags];
	int edit;
};

struct hashtag_ctx {
	char *tags;
	size_t n;
};

/* A hashtag of the body counts as a tag (while there is room). */
static void add_hashtag(const char *name, void *ctx)
{
	struct hashtag_ctx *h = ctx;
	char t[QUESTION_TAG_MAX * 4 + 1];

	if (tags_count(h->tags) < QUESTION_ALL_TAGS_MAX && question_tag_normalise(name, t, sizeof t) == 0)
		tags_add(h->tags, h->n, t);
}

static enum mresult ask_within(void *ctx, const struct post_row *p, struct notify_batch *nb,
			       char *err, size_t errlen)
{
	struct ask_ctx *c = ctx;
	struct hashtag_ctx h = { c->tags, sizeof c->tags };
	struct question_row q;

	(void)nb;
	if (store_post_tags(p->id, add_hashtag, &h) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (c->edit)
		return store_question_set_text(p->id, c->title, c->tags, c->body) == STORE_OK
			? M_OK : mresult_fail(err, errlen, M_ERROR, "Storage error");
	memset(&q, 0, sizeof q);
	q.post_id = p->id;
	q.space_id = !strcmp(p->audience, "space") ? p->space_id : 0;
	q.account_id = p->account_id;
	snprintf(q.title, sizeof q.title, "%s", c->title);
	snprintf(q.tags, sizeof q.tags, "%s", c->tags);
	q.asked_at = p->created_at;
	if (store_question_insert(&q, c->body) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	/* routing (model/routing.c) runs after the commit, durably */
	if (store_job_put(id_next(), "question.route", p->id, p->created_at) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult question_create(const struct viewer *v, const struct question_input *in,
			     struct question_view *out, char *err, size_t errlen)
{
	struct post_input pi;
	struct ask_ctx c;
	int64_t id = 0;
	enum mresult r;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in to ask");
	memset(&pi, 0, sizeof pi);
	pi.audience = -1;
	if (in->space_id) {
		pi.space_id = in->space_id;
		r = space_check_post(v, in->space_id, err, errlen);
		if (r != M_OK)
			return r;
	} else {
		if (!viewer_is_staff(v))
			return mresult_fail(err, errlen, M_FORBIDDEN, "Guests ask their questions in a space");
		if (!in->visibility || !in->visibility[0] || !strcmp(in->visibility, "organisation"))
			pi.audience = AUDIENCE_ORGANISATION;
		else if (!strcmp(in->visibility, "public"))
			pi.audience = AUDIENCE_PUBLIC;
		else
			return mresult_fail(err, errlen, M_INVALID, "visibility must be organisation or public");
	}
	r = check_title(in->title, err, errlen);
	if (r == M_OK)
		r = check_body(in->body, err, errlen);
	if (r != M_OK)
		return r;
	memset(&c, 0, sizeof c);
	r = read_tags(in, c.tags, sizeof c.tags, err, errlen);
	if (r != M_OK)
		return r;
	c.title = in->title;
	c.body = in->body;
	pi.title = in->title;
	pi.text = in->body;
	pi.app_id = in->app_id;
	pi.within = ask_within;
	pi.within_ctx = &c;
	r = post_create(v, &pi, &id, err, errlen);
	if (r != M_OK)
		return r;
	return question_lookup(v, id, out, err, errlen);
}

enum mresult question_edit(const struct viewer *v, int64_t id, const struct question_input *in,
			   struct question_view *out, char *err, size_t errlen)
{
	struct question_view qv;
	struct post_input pi;
	struct ask_ctx c;
	enum mresult r = question_lookup(v, id, &qv, err, errlen);

	if (r != M_OK)
		return r;
	if (!qv.may_edit) {
		question_view_release(&qv);
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the asker can edit a question");
	}
	memset(&c, 0, sizeof c);
	c.edit = 1;
	c.title = in->title ? in->title : qv.q.title;
	c.body = in->body ? in->body : qv.post.source;
	r = check_title(c.title, err, errlen);
	if (r == M_OK)
		r = check_body(c.body, err, errlen);
	if (r == M_OK) {
		if (in->tags_given)
			r = read_tags(in, c.tags, sizeof c.tags, err, errlen);
		else
			snprintf(c.tags, sizeof c.tags, "%s", qv.q.tags);
	}
	if (r == M_OK) {
		memset(&pi, 0, sizeof pi);
		pi.audience = -1;
		pi.title = c.title;
		pi.text = c.body;
		pi.within = ask_within;
		pi.within_ctx = &c;
		r = post_edit(v, id, &pi, err, errlen);
	}
	question_view_release(&qv);
	if (r != M_OK)
		return r;
	return question_lookup(v, id, out, err, errlen);
}

enum mresult question_delete(const struct viewer *v, int64_t id, char *err, size_t errlen)
{
	struct question_view qv;
	enum mresult r = question_lookup(v, id, &qv, err, errlen);
	int may;

	if (r != M_OK)
		return r;
	may = qv.may_delete;
	question_view_release(&qv);
	if (!may)
		return mresult_fail(err, errlen, M_FORBIDDEN,
				    "Only the asker and the space's moderators can delete a question");
	return post_delete_unchecked(id, NULL, err, errlen);
}

/* ---- answers ------------------------------------------------------------------ */

struct answer_ctx {
	int64_t question_id;
};

static enum mresult answer_within(void *ctx, const struct post_row *p, struct notify_batch *nb,
				  char *err, size_t errlen)
{
	struct answer_ctx *c = ctx;
	struct question_row q;
	struct answer_row a;
	int rc = store_question_get(c->question_id, &q);

	/* inside the transaction: the question may have closed or gone */
	if (rc == STORE_NOTFOUND)
		return mresult_fail(err, errlen, M_NOTFOUND, "Question not found");
	if (rc != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (!strcmp(q.state, "closed"))
		return mresult_fail(err, errlen, M_INVALID, "This question is closed: reopen it to answer");
	memset(&a, 0, sizeof a);
	a.post_id = p->id;
	a.question_id = q.post_id;
	a.account_id = p->account_id;
	a.created_at = p->created_at;
	if (store_answer_insert(&a) != STORE_OK ||
	    store_question_answered(q.post_id, p->account_id, p->created_at) != STORE_OK ||
	    queue_question_event(q.post_id, p->account_id, "answered", p->id) < 0 ||
	    notify_add(nb, q.account_id, p->account_id, "parley.answer", p->id, NULL) < 0)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult question_answer(const struct viewer *v, int64_t question_id, const char *body,
			     int64_t app_id, struct answer_view *out, char *err, size_t errlen)
{
	struct question_view qv;
	struct post_input pi;
	struct answer_ctx c;
	int64_t id = 0;
	enum mresult r = question_lookup(v, question_id, &qv, err, errlen);

	if (r != M_OK)
		return r;
	if (!strcmp(qv.q.state, "closed")) {
		question_view_release(&qv);
		return mresult_fail(err, errlen, M_INVALID, "This question is closed: reopen it to answer");
	}
	memset(&pi, 0, sizeof pi);
	/* the answer reaches exactly the question's audience */
	pi.audience = qv.q.space_id ? -1 : audience_parse(qv.post.audience);
	question_view_release(&qv);
	if (blank(body))
		return mresult_fail(err, errlen, M_INVALID, "An answer needs a body");
	c.question_id = question_id;
	pi.text = body;
	pi.in_reply_to_id = question_id;
	pi.app_id = app_id;
	pi.within = answer_within;
	pi.within_ctx = &c;
	r = post_create(v, &pi, &id, err, errlen);
	if (r != M_OK)
		return r;
	return answer_lookup(v, id, out, err, errlen);
}

struct answers_ctx {
	const struct viewer *v;
	void (*fn)(const struct answer_view *, void *);
	void *ctx;
};

static void each_answer(const struct answer_row *a, void *ctx)
{
	struct answers_ctx *c = ctx;
	struct answer_view av;

	memset(&av, 0, sizeof av);
	if (store_post_get(a->post_id, &av.post) != STORE_OK)
		return;
	av.a = *a;
	if (c->v->signed_in)
		store_answer_my_vote(a->post_id, c->v->account.id, &av.my_vote);
	c->fn(&av, c->ctx);
	answer_view_release(&av);
}

enum mresult question_answers(const struct viewer *v, int64_t question_id,
			      void (*fn)(const struct answer_view *, void *), void *ctx,
			      char *err, size_t errlen)
{
	struct question_view qv;
	struct store_audience aud;
	struct answers_ctx c = { v, fn, ctx };
	enum mresult r = question_lookup(v, question_id, &qv, err, errlen);

	if (r != M_OK)
		return r;
	question_view_release(&qv);
	audience_filter(v, &aud);
	if (store_answer_list(&aud, question_id, each_answer, &c) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult answer_vote(const struct viewer *v, int64_t answer_id, int value,
			 struct answer_view *out, char *err, size_t errlen)
{
	struct answer_view av;
	enum mresult r;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in to vote");
	if (value < -1 || value > 1)
		return mresult_fail(err, errlen, M_INVALID, "value must be 1, -1 or 0");
	r = answer_lookup(v, answer_id, &av, err, errlen);
	if (r != M_OK)
		return r;
	if (av.a.account_id == v->account.id) {
		answer_view_release(&av);
		return mresult_fail(err, errlen, M_INVALID, "You cannot vote on your own answer");
	}
	answer_view_release(&av);
	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (store_answer_vote(answer_id, v->account.id, value, time_now_ms()) != STORE_OK ||
	    store_commit() != STORE_OK) {
		store_rollback();
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	return answer_lookup(v, answer_id, out, err, errlen);
}

/* ---- state changes ------------------------------------------------------------ */

/* Begin a state change: the question re-read inside the transaction,
 * which must be closed (closed = 1) or not (0); otherwise M_INVALID with
 * the refusal, and nothing is left open. */
static enum mresult begin_change(int64_t id, struct question_row *q, int closed, const char *refusal,
				 char *err, size_t errlen)
{
	int rc;

	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	rc = store_question_get(id, q);
	if (rc != STORE_OK) {
		store_rollback();
		return rc == STORE_NOTFOUND ? mresult_fail(err, errlen, M_NOTFOUND, "Question not found")
					    : mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	if ((strcmp(q->state, "closed") == 0) != closed) {
		store_rollback();
		return mresult_fail(err, errlen, M_INVALID, refusal);
	}
	return M_OK;
}

/* Commit (ok) or roll back a state change; after the commit, the
 * notifications go out and *out gets the question as it is now. */
static enum mresult end_change(const struct viewer *v, int64_t id, int ok, const struct notify_batch *nb,
			       struct question_view *out, char *err, size_t errlen)
{
	if (!ok || store_commit() != STORE_OK) {
		store_rollback();
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	if (nb)
		notify_publish(nb);
	return question_lookup(v, id, out, err, errlen);
}

/* The question exists for v (M_NOTFOUND otherwise) and v holds the right
 * (may_accept when accept, else may_close); refusal is the 403 message. */
static enum mresult check_may(const struct viewer *v, int64_t id, int accept, const char *refusal,
			      char *err, size_t errlen)
{
	struct question_view qv;
	enum mresult r = question_lookup(v, id, &qv, err, errlen);
	int may;

	if (r != M_OK)
		return r;
	may = accept ? qv.may_accept : qv.may_close;
	question_view_release(&qv);
	return may ? M_OK : mresult_fail(err, errlen, M_FORBIDDEN, refusal);
}

enum mresult question_accept(const struct viewer *v, int64_t question_id, int64_t answer_id,
			     struct question_view *out, char *err, size_t errlen)
{
	struct answer_view av;
	struct question_row q;
	struct notify_batch nb;
	enum mresult r = check_may(v, question_id, 1,
				 "Only the asker and the space's moderators can accept an answer",
				 err, errlen);
	int ok, already;

	if (r != M_OK)
		return r;
	r = answer_lookup(v, answer_id, &av, err, errlen);
	if (r == M_ERROR)
		return r;
	if (r != M_OK || av.a.question_id != question_id) {
		if (r == M_OK)
			answer_view_release(&av);
		return mresult_fail(err, errlen, M_INVALID, "answer_id is not an answer to this question");
	}
	answer_view_release(&av);
	r = begin_change(question_id, &q, 0, "This question is closed: reopen it first", err, errlen);
	if (r != M_OK)
		return r;
	already = q.accepted_answer_id == answer_id;
	memset(&nb, 0, sizeof nb);
	ok = store_answer_accept(question_id, answer_id, time_now_ms()) == STORE_OK &&
	     store_question_refresh(question_id, time_now_ms()) == STORE_OK &&
	     (already || queue_question_event(question_id, v->account.id, "accepted", answer_id) == 0) &&
	     (already || notify_add(&nb, av.a.account_id, v->account.id, "parley.answer_accepted",
				    answer_id, NULL) == 0);
	return end_change(v, question_id, ok, &nb, out, err, errlen);
}

enum mresult question_unaccept(const struct viewer *v, int64_t question_id,
			       struct question_view *out, char *err, size_t errlen)
{
	struct question_row q;
	enum mresult r = check_may(v, question_id, 1,
				 "Only the asker and the space's moderators can un-accept an answer",
				 err, errlen);
	int ok;

	if (r != M_OK)
		return r;
	r = begin_change(question_id, &q, 0, "This question is closed: reopen it first", err, errlen);
	if (r != M_OK)
		return r;
	ok = store_answer_accept(question_id, 0, time_now_ms()) == STORE_OK &&
	     store_question_refresh(question_id, time_now_ms()) == STORE_OK;
	return end_change(v, question_id, ok, NULL, out, err, errlen);
}

enum mresult question_close(const struct viewer *v, int64_t question_id, const char *reason,
			    int64_t duplicate_of, const char *note,
			    struct question_view *out, char *err, size_t errlen)
{
	struct question_row q;
	enum mresult r = check_may(v, question_id, 0,
				 "Only the asker, the space's moderators and listeners can close a question",
				 err, errlen);
	int ok;

	if (r != M_OK)
		return r;
	if (!reason || (strcmp(reason, "duplicate") && strcmp(reason, "out_of_scope") && strcmp(reason, "other")))
		return mresult_fail(err, errlen, M_INVALID, "reason must be duplicate, out_of_scope or other");
	if (note && utf8_chars(note) > QUESTION_NOTE_MAX) {
		snprintf(err, errlen, "The note is too long (%d characters at most)", QUESTION_NOTE_MAX);
		return M_INVALID;
	}
	if (!strcmp(reason, "duplicate")) {
		struct question_view dv;

		if (!duplicate_of)
			return mresult_fail(err, errlen, M_INVALID, "A duplicate needs duplicate_of: the original question");
		if (duplicate_of == question_id)
			return mresult_fail(err, errlen, M_INVALID, "A question is not a duplicate of itself");
		r = question_lookup(v, duplicate_of, &dv, err, errlen);
		if (r == M_ERROR)
			return r;
		if (r != M_OK)
			return mresult_fail(err, errlen, M_INVALID, "duplicate_of is not a question you can read");
		question_view_release(&dv);
	} else {
		duplicate_of = 0;
	}
	r = begin_change(question_id, &q, 0, "This question is already closed", err, errlen);
	if (r != M_OK)
		return r;
	snprintf(q.state, sizeof q.state, "closed");
	snprintf(q.close_reason, sizeof q.close_reason, "%s", reason);
	snprintf(q.close_note, sizeof q.close_note, "%s", note ? note : "");
	q.duplicate_of = duplicate_of;
	q.closed_at = time_now_ms();
	ok = store_question_set_state(&q) == STORE_OK;
	return end_change(v, question_id, ok, NULL, out, err, errlen);
}

enum mresult question_reopen(const struct viewer *v, int64_t question_id,
			     struct question_view *out, char *err, size_t errlen)
{
	struct question_row q;
	enum mresult r = check_may(v, question_id, 0,
				 "Only the asker, the space's moderators and listeners can reopen a question",
				 err, errlen);
	int ok;

	if (r != M_OK)
		return r;
	r = begin_change(question_id, &q, 1, "This question is not closed", err, errlen);
	if (r != M_OK)
		return r;
	/* open, then the answers present decide: answered (or resolved) */
	snprintf(q.state, sizeof q.state, "open");
	q.close_reason[0] = '\0';
	q.close_note[0] = '\0';
	q.duplicate_of = 0;
	q.closed_at = 0;
	ok = store_question_set_state(&q) == STORE_OK &&
	     store_question_refresh(question_id, time_now_ms()) == STORE_OK;
	return end_change(v, question_id, ok, NULL, out, err, errlen);
}

/* ---- lists ------------------------------------------------------------------- */

struct list_ctx {
	const struct viewer *v;
	void (*fn)(const struct question_view *, void *);
	void *ctx;
};

static void each_question(const struct question_row *q, void *ctx)
{
	struct list_ctx *c = ctx;
	struct question_view qv;
	struct post_row p;

	if (store_post_get(q->post_id, &p) != STORE_OK)
		return;
	fill_view(c->v, q, &p, &qv);
	c->fn(&qv, c->ctx);
	question_view_release(&qv);
}

enum mresult question_list(const struct viewer *v, const struct question_filter *f,
			   void (*fn)(const struct question_view *, void *), void *ctx,
			   char *err, size_t errlen)
{
	struct question_query q;
	struct list_ctx c = { v, fn, ctx };
	char tag[QUESTION_TAG_MAX * 4 + 1];
	char match[1024];

	memset(&q, 0, sizeof q);
	audience_filter(v, &q.aud);
	q.space_id = f->space_id;
	if (f->state && f->state[0]) {
		if (strcmp(f->state, "open") && strcmp(f->state, "answered") && strcmp(f->state, "resolved") &&
		    strcmp(f->state, "closed"))
			return mresult_fail(err, errlen, M_INVALID, "state must be open, answered, resolved or closed");
		q.state = f->state;
	}
	if (f->tag && f->tag[0]) {
		if (question_tag_normalise(f->tag, tag, sizeof tag) < 0)
			return M_OK; /* no question has such a tag */
		q.tag = tag;
	}
	if (f->q && f->q[0]) {
		if (question_match_expr(f->q, match, sizeof match) <= 0)
			return M_OK;
		q.match = match;
	}
	if (f->mine) {
		if (!v->signed_in)
			return M_OK;
		q.asker_id = v->account.id;
	}
	q.max_id = f->max_id;
	q.limit = f->limit > 0 && f->limit <= 40 ? f->limit : 20;
	if (store_question_list(&q, each_question, &c) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult question_similar(const struct viewer *v, const char *q, int limit,
			      void (*fn)(const struct question_view *, void *), void *ctx,
			      char *err, size_t errlen)
{
	struct store_audience aud;
	struct list_ctx c = { v, fn, ctx };
	char match[1024];

	if (question_match_expr(q, match, sizeof match) <= 0)
		return M_OK;
	audience_filter(v, &aud);
	if (store_question_similar(&aud, match, limit > 0 && limit <= 10 ? limit : 5, each_question, &c) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

int question_accepted_answers(const char *const *names, size_t n, int staff,
			      void (*fn)(int64_t account_id, int64_t count, void *), void *ctx)
{
	return store_accepted_answers_by_tags(names, n, staff, fn, ctx) == STORE_OK ? 0 : -1;
}

enum mresult question_contributions(const struct viewer *v, int64_t account_id, int64_t *answers,
				    int64_t *accepted)
{
	return store_answers_by_account(account_id, viewer_is_staff(v), answers, accepted) == STORE_OK
	       ? M_OK : M_ERROR;
}
