/*
 * idea.c - idea boards (see idea.h).
 *
 * Writes that make posts (a new idea, a new version, a comment) go
 * through model/post.c, which commits the post in its own transaction;
 * the idea's rows follow in a second one. When that second transaction
 * fails, the post just made is deleted again, so no half-made idea is
 * left (a crash in between leaves an ordinary post in the space).
 *
 * Sorting: the board considers at most IDEA_CANDIDATES_MAX ideas (the
 * newest the viewer may read, after the filters), scores them in C and
 * reads back the rows of the page asked for.
 */
#include "model/idea.h"
#include "lib/buf.h"
#include "lib/id.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"
#include "model/audience.h"
#include "model/idea_rings.h"
#include "model/notify.h"
#include "model/post.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VOTE_WINDOW_MS (10 * 60 * 1000)
#define RINGS_DELAY_MS 300
#define COMMENTS_MAX 200

static struct idea_settings s_settings = { 30, 24 };

void idea_configure(const struct idea_settings *s)
{
	if (s->vote_limit > 0)
		s_settings.vote_limit = s->vote_limit;
	if (s->new_account_hours >= 0)
		s_settings.new_account_hours = s->new_account_hours;
}

static const char *const statuses[][2] = {
	{ "new", "New" }, { "under_review", "Under review" }, { "planned", "Planned" },
	{ "in_progress", "In progress" }, { "done", "Done" }, { "declined", "Declined" },
};

int idea_status_valid(const char *status)
{
	size_t i;

	for (i = 0; status && i < sizeof statuses / sizeof statuses[0]; i++)
		if (!strcmp(status, statuses[i][0]))
			return 1;
	return 0;
}

const char *idea_status_label(const char *status)
{
	size_t i;

	for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (!strcmp(status, statuses[i][0]))
			return statuses[i][1];
	return status;
}

int idea_sort_parse(const char *s)
{
	if (!s || !*s || !strcmp(s, "trending"))
		return IDEA_SORT_TRENDING;
	if (!strcmp(s, "top"))
		return IDEA_SORT_TOP;
	if (!strcmp(s, "new"))
		return IDEA_SORT_NEW;
	return -1;
}

/* ---- permissions ---------------------------------------------------------- */

int idea_board_enabled(int64_t space_id)
{
	int on = 0;

	return store_space_ideas_enabled(space_id, &on) == STORE_OK && on;
}

int idea_may_moderate(const struct viewer *v, const struct space_view *sv)
{
	return v->signed_in && space_is_moderator(sv);
}

int idea_may_see_flags(const struct viewer *v, const struct space_view *sv)
{
	return v->signed_in && (space_is_moderator(sv) || v->account.is_moderator || v->account.is_admin);
}

int idea_may_set_status(const struct viewer *v, const struct space_view *sv)
{
	return v->signed_in && (space_is_moderator(sv) ||
				store_idea_is_listener(sv->s.id, v->account.id) == STORE_OK);
}

enum mresult idea_board_set(const struct viewer *v, const struct space_view *sv, int on,
			    char *err, size_t errlen)
{
	if (!space_is_moderator(sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators change it");
	if (store_space_set_ideas(sv->s.id, on) == STORE_ERROR)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

/* ---- checks ---------------------------------------------------------------- */

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n\f\v", *s))
			return 0;
	return 1;
}

static enum mresult check_text(const char *s, size_t max, const char *what, int required,
			       char *err, size_t errlen)
{
	char msg[160];

	if (!s || blank(s)) {
		if (!required)
			return M_OK;
		snprintf(msg, sizeof msg, "%s is required", what);
		return mresult_fail(err, errlen, M_INVALID, msg);
	}
	if (!utf8_valid(s, strlen(s)) || utf8_chars(s) > max) {
		snprintf(msg, sizeof msg, "%s is at most %zu characters", what, max);
		return mresult_fail(err, errlen, M_INVALID, msg);
	}
	return M_OK;
}

static enum mresult check_input(const struct idea_input *in, int need_title, int need_description,
				char *err, size_t errlen)
{
	enum mresult r = check_text(in->title, IDEA_TITLE_MAX, "A title", need_title, err, errlen);

	if (r == M_OK)
		r = check_text(in->description, post_settings()->max_chars, "A description",
			       need_description, err, errlen);
	if (r == M_OK && in->category && !blank(in->category))
		r = check_text(in->category, IDEA_CATEGORY_MAX, "A category", 0, err, errlen);
	return r;
}

/* ---- reading ---------------------------------------------------------------- */

enum mresult idea_read(const struct viewer *v, int64_t id, struct idea_row *out, struct space_view *sv)
{
	struct store_audience aud;
	struct post_row p;
	enum mresult r = audience_read_post(v, id, &p);

	if (r != M_OK)
		return r;
	post_row_release(&p);
	audience_filter(v, &aud);
	switch (store_idea_get(id, &aud, out)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		return M_NOTFOUND;
	default:
		return M_ERROR;
	}
	if (sv) {
		r = space_lookup_id(v, out->space_id, sv);
		if (r != M_OK)
			return r;
	}
	return M_OK;
}

struct cand {
	int64_t id;
	int64_t votes;
	double score;
};

struct cand_ctx {
	struct cand *c;
	size_t n;
};

static void add_cand(const struct idea_row *r, void *ctx)
{
	struct cand_ctx *c = ctx;

	if (c->n < IDEA_CANDIDATES_MAX) {
		c->c[c->n].id = r->id;
		c->c[c->n].votes = r->votes_count;
		c->c[c->n].score = 0;
		c->n++;
	}
}

static int cmp_cand_id(const void *x, const void *y)
{
	int64_t a = ((const struct cand *)x)->id, b = ((const struct cand *)y)->id;

	return a < b ? 1 : a > b ? -1 : 0;   /* newest first */
}

static int cmp_cand_top(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->votes != b->votes)
		return a->votes < b->votes ? 1 : -1;
	return cmp_cand_id(x, y);
}

static int cmp_cand_trending(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	/* scores compared at a fixed precision, so ties are stable */
	if (fabs(a->score - b->score) > 1e-9)
		return a->score < b->score ? 1 : -1;
	return cmp_cand_id(x, y);
}

struct activity_ctx {
	struct cand_ctx *c;
	int64_t now;
};

static void add_activity(int64_t idea_id, int64_t at, double weight, void *ctx)
{
	struct activity_ctx *a = ctx;
	struct cand key = { idea_id, 0, 0 }, *hit;
	double age_h;

	if (!a->c->n)
		return;
	hit = bsearch(&key, a->c->c, a->c->n, sizeof key, cmp_cand_id);
	if (!hit)
		return;
	age_h = (double)(a->now > at ? a->now - at : 0) / 3600000.0;
	hit->score += weight * exp2(-age_h / 48.0);
}

enum mresult idea_list(const struct viewer *v, const struct space_view *sv, const struct idea_list_query *q,
		       void (*fn)(const struct idea_row *, void *), void *ctx, char *err, size_t errlen)
{
	struct idea_query iq;
	struct cand_ctx cc = { NULL, 0 };
	int limit = q->limit < 1 ? 20 : q->limit > IDEA_LIST_MAX ? IDEA_LIST_MAX : q->limit;
	size_t i, off = q->offset > 0 ? (size_t)q->offset : 0;

	if (!space_may_read_posts(v, sv))
		return mresult_fail(err, errlen, M_NOTFOUND, "Record not found");
	if (q->status && !idea_status_valid(q->status))
		return mresult_fail(err, errlen, M_INVALID, "Unknown status");
	memset(&iq, 0, sizeof iq);
	audience_filter(v, &iq.aud);
	iq.space_id = sv->s.id;
	iq.status = q->status;
	iq.category = q->category;
	iq.limit = IDEA_CANDIDATES_MAX;
	cc.c = malloc(IDEA_CANDIDATES_MAX * sizeof *cc.c);
	if (!cc.c)
		return mresult_fail(err, errlen, M_ERROR, "Out of memory");
	if (store_idea_list(&iq, add_cand, &cc) != STORE_OK) {
		free(cc.c);
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	/* the store answers newest first: sorted by id already */
	if (q->sort == IDEA_SORT_TRENDING && cc.n) {
		struct activity_ctx ac = { &cc, time_now_ms() };

		if (store_idea_activity(sv->s.id, &iq.aud, add_activity, &ac) != STORE_OK) {
			free(cc.c);
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		}
		qsort(cc.c, cc.n, sizeof *cc.c, cmp_cand_trending);
	} else if (q->sort == IDEA_SORT_TOP && cc.n) {
		qsort(cc.c, cc.n, sizeof *cc.c, cmp_cand_top);
	}
	for (i = off; i < cc.n && i < off + (size_t)limit; i++) {
		struct idea_row r;

		if (store_idea_get(cc.c[i].id, &iq.aud, &r) == STORE_OK)
			fn(&r, ctx);
	}
	free(cc.c);
	return M_OK;
}

enum mresult idea_versions(const struct viewer *v, int64_t id,
			   void (*fn)(const struct idea_version_row *, void *), void *ctx)
{
	struct idea_row idea;
	struct store_audience aud;
	enum mresult r = idea_read(v, id, &idea, NULL);

	if (r != M_OK)
		return r;
	audience_filter(v, &aud);
	return store_idea_versions(id, &aud, fn, ctx) == STORE_OK ? M_OK : M_ERROR;
}

enum mresult idea_merged_from(const struct viewer *v, int64_t id,
			      void (*fn)(const struct idea_row *, void *), void *ctx)
{
	struct store_audience aud;

	audience_filter(v, &aud);
	return store_idea_merged_from(id, &aud, fn, ctx) == STORE_OK ? M_OK : M_ERROR;
}

enum mresult idea_contributions(const struct viewer *v, int64_t account_id, int64_t *n)
{
	struct store_audience aud;

	audience_filter(v, &aud);
	return store_idea_count_by_author(account_id, &aud, n) == STORE_OK ? M_OK : M_ERROR;
}

/* ---- writing ---------------------------------------------------------------- */

/* The idea's rows are written inside the post's own transaction
 * (post_input.within), so a post and its idea row exist together or not
 * at all, even across a crash. */
struct idea_within {
	struct idea_row *row;      /* idea_create: the new idea (id = the post's) */
	int64_t idea_id;           /* idea_new_version: the idea, its next version */
	int version;
	const char *note, *title;
};

static enum mresult create_within(void *ctx, const struct post_row *p, struct notify_batch *nb,
				  char *err, size_t errlen)
{
	struct idea_within *w = ctx;

	(void)nb;
	w->row->id = p->id;
	if (store_idea_insert(w->row) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

static enum mresult version_within(void *ctx, const struct post_row *p, struct notify_batch *nb,
				   char *err, size_t errlen)
{
	struct idea_within *w = ctx;

	(void)nb;
	if (store_idea_add_version(w->idea_id, w->version, p->id, w->note, w->title,
				   time_now_ms()) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

enum mresult idea_create(const struct viewer *v, const struct space_view *sv, const struct idea_input *in,
			 struct idea_row *out, char *err, size_t errlen)
{
	struct post_input pi;
	struct idea_row row;
	struct idea_within w = { 0 };
	enum mresult r;
	int64_t post_id;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in to propose an idea");
	if (!idea_board_enabled(sv->s.id))
		return mresult_fail(err, errlen, M_INVALID, "This space has no idea board");
	r = space_check_post(v, sv->s.id, err, errlen);
	if (r != M_OK)
		return r;
	r = check_input(in, 1, 1, err, errlen);
	if (r != M_OK)
		return r;
	memset(&pi, 0, sizeof pi);
	pi.audience = -1;
	pi.space_id = sv->s.id;
	pi.title = in->title;
	pi.text = in->description;
	memset(&row, 0, sizeof row);
	row.space_id = sv->s.id;
	row.account_id = v->account.id;
	utf8_copy(row.title, sizeof row.title, in->title);
	utf8_copy(row.category, sizeof row.category, in->category && !blank(in->category) ? in->category : "");
	row.created_at = time_now_ms();
	w.row = &row;
	pi.within = create_within;
	pi.within_ctx = &w;
	r = post_create(v, &pi, &post_id, err, errlen);
	if (r != M_OK)
		return r;
	return idea_read(v, post_id, out, NULL);
}

/* The idea for a write by its author. */
static enum mresult author_idea(const struct viewer *v, int64_t id, struct idea_row *idea,
				char *err, size_t errlen)
{
	enum mresult r;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in first");
	r = idea_read(v, id, idea, NULL);
	if (r != M_OK)
		return mresult_fail(err, errlen, r, r == M_NOTFOUND ? "Record not found" : "Storage error");
	if (idea->account_id != v->account.id)
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the idea's author changes it");
	return M_OK;
}

enum mresult idea_update(const struct viewer *v, int64_t id, const struct idea_input *in,
			 struct idea_row *out, char *err, size_t errlen)
{
	struct idea_row idea;
	struct post_row p;
	struct post_input pi;
	enum mresult r = author_idea(v, id, &idea, err, errlen);
	const char *title, *category;

	if (r != M_OK)
		return r;
	if (strcmp(idea.status, "new"))
		return mresult_fail(err, errlen, M_INVALID,
				    "An idea under way is not edited: post a new version instead");
	if ((in->title && blank(in->title)) || (in->description && blank(in->description)))
		return mresult_fail(err, errlen, M_INVALID, "A title and a description cannot be empty");
	r = check_input(in, 0, 0, err, errlen);
	if (r != M_OK)
		return r;
	title = in->title ? in->title : idea.title;
	category = in->category ? in->category : idea.category;
	if (in->title || in->description) {
		/* the idea's current version is the post edited */
		if (store_post_get(idea.current_post_id, &p) != STORE_OK)
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		memset(&pi, 0, sizeof pi);
		pi.audience = -1;
		pi.title = title;
		pi.text = in->description ? in->description : p.source;
		r = post_edit(v, idea.current_post_id, &pi, err, errlen);
		post_row_release(&p);
		if (r != M_OK)
			return r;
	}
	{
		char t[sizeof idea.title], c[sizeof idea.category];

		utf8_copy(t, sizeof t, title);
		utf8_copy(c, sizeof c, blank(category) ? "" : category);
		if (store_idea_update(id, t, c, time_now_ms()) == STORE_ERROR)
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	return idea_read(v, id, out, NULL);
}

enum mresult idea_new_version(const struct viewer *v, int64_t id, const struct idea_input *in,
			      struct idea_row *out, char *err, size_t errlen)
{
	struct idea_row idea;
	struct post_input pi;
	struct idea_within w = { 0 };
	enum mresult r = author_idea(v, id, &idea, err, errlen);
	char title[sizeof idea.title];
	int64_t post_id;

	if (r != M_OK)
		return r;
	if (idea.merged_into)
		return mresult_fail(err, errlen, M_INVALID, "This idea was merged into another");
	r = check_text(in->note, IDEA_NOTE_MAX, "A note of what changed", 1, err, errlen);
	if (r == M_OK)
		r = check_input(in, 0, 1, err, errlen);
	if (r != M_OK)
		return r;
	utf8_copy(title, sizeof title, in->title && !blank(in->title) ? in->title : idea.title);
	memset(&pi, 0, sizeof pi);
	pi.audience = -1;
	pi.space_id = idea.space_id;
	pi.title = title;
	pi.text = in->description;
	w.idea_id = id;
	w.version = idea.version + 1;
	w.note = in->note;
	w.title = title;
	pi.within = version_within;
	pi.within_ctx = &w;
	r = post_create(v, &pi, &post_id, err, errlen);
	if (r != M_OK)
		return r;
	return idea_read(v, id, out, NULL);
}

struct version_find {
	int want;
	int64_t post_id;
};

static void find_version(const struct idea_version_row *r, void *ctx)
{
	struct version_find *f = ctx;

	if (r->version == f->want)
		f->post_id = r->post_id;
}

enum mresult idea_comment(const struct viewer *v, int64_t id, int version, const char *body,
			  int64_t *post_id, char *err, size_t errlen)
{
	struct idea_row idea;
	struct post_input pi;
	struct version_find f = { version, 0 };
	enum mresult r;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in to comment");
	r = idea_read(v, id, &idea, NULL);
	if (r != M_OK)
		return mresult_fail(err, errlen, r, r == M_NOTFOUND ? "Record not found" : "Storage error");
	if (blank(body))
		return mresult_fail(err, errlen, M_INVALID, "Write a comment first");
	if (version <= 0) {
		f.post_id = idea.current_post_id;
	} else {
		if (idea_versions(v, id, find_version, &f) != M_OK)
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		if (!f.post_id)
			return mresult_fail(err, errlen, M_INVALID, "No such version");
	}
	memset(&pi, 0, sizeof pi);
	pi.audience = -1;
	pi.in_reply_to_id = f.post_id;
	pi.text = body;
	return post_create(v, &pi, post_id, err, errlen);
}

struct comments_ctx {
	void (*fn)(const struct post_row *, int, void *);
	void *ctx;
	int version;
};

static void pass_comment(const struct post_row *p, void *ctx)
{
	struct comments_ctx *c = ctx;

	c->fn(p, c->version, c->ctx);
}

struct versions_acc {
	int64_t post[64];
	int version[64];
	size_t n;
};

static void acc_version(const struct idea_version_row *r, void *ctx)
{
	struct versions_acc *a = ctx;

	if (a->n < 64) {
		a->post[a->n] = r->post_id;
		a->version[a->n] = r->version;
		a->n++;
	}
}

enum mresult idea_comments(const struct viewer *v, int64_t id, int version,
			   void (*fn)(const struct post_row *, int version, void *), void *ctx,
			   char *err, size_t errlen)
{
	struct versions_acc acc;
	struct comments_ctx cc = { fn, ctx, 0 };
	enum mresult r;
	size_t i;
	int found = 0;

	memset(&acc, 0, sizeof acc);
	r = idea_versions(v, id, acc_version, &acc);
	if (r != M_OK)
		return mresult_fail(err, errlen, r, r == M_NOTFOUND ? "Record not found" : "Storage error");
	for (i = 0; i < acc.n; i++) {
		struct timeline_query q;

		if (version > 0 && acc.version[i] != version)
			continue;
		found = 1;
		memset(&q, 0, sizeof q);
		q.kind = TL_REPLIES;
		q.post_id = acc.post[i];
		q.limit = COMMENTS_MAX;
		audience_filter(v, &q.aud);
		cc.version = acc.version[i];
		if (store_timeline(&q, pass_comment, &cc) != STORE_OK)
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	if (version > 0 && !found)
		return mresult_fail(err, errlen, M_NOTFOUND, "No such version");
	return M_OK;
}

enum mresult idea_vote(const struct viewer *v, int64_t id, int on, struct idea_row *out,
		       char *err, size_t errlen)
{
	struct idea_row idea;
	int64_t now = time_now_ms(), n;
	enum mresult r;
	int rc, fresh;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in to vote");
	r = idea_read(v, id, &idea, NULL);
	if (r != M_OK)
		return mresult_fail(err, errlen, r, r == M_NOTFOUND ? "Record not found" : "Storage error");
	if (on && idea.merged_into)
		return mresult_fail(err, errlen, M_INVALID, "This idea was merged into another: vote there");
	if (on && idea.my_vote)
		return idea_read(v, id, out, NULL);
	if (!on && !idea.my_vote)
		return idea_read(v, id, out, NULL);
	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (!on) {
		rc = store_idea_unvote(id, v->account.id);
	} else {
		n = store_idea_votes_since(v->account.id, now - VOTE_WINDOW_MS);
		if (n < 0) {
			store_rollback();
			return mresult_fail(err, errlen, M_ERROR, "Storage error");
		}
		if (n >= s_settings.vote_limit) {
			store_rollback();
			return mresult_fail(err, errlen, M_LIMITED, "Too many votes: try again in a few minutes");
		}
		fresh = v->account.created_at > now - (int64_t)s_settings.new_account_hours * 3600000;
		rc = store_idea_vote(id, v->account.id, now, fresh);
		if (rc == STORE_OK)
			rc = store_idea_vote_log(v->account.id, now, now - VOTE_WINDOW_MS);
	}
	/* a vote given or withdrawn meanwhile: the same answer */
	if (rc == STORE_CONFLICT || rc == STORE_NOTFOUND) {
		store_rollback();
		return idea_read(v, id, out, NULL);
	}
	if (rc == STORE_OK)
		rc = store_job_put(id_next(), "ideas.rings", idea.space_id, now + RINGS_DELAY_MS);
	if (rc != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	return idea_read(v, id, out, NULL);
}

struct recipients {
	int64_t ids[4096];
	size_t n;
};

static void add_recipient(int64_t account_id, void *ctx)
{
	struct recipients *r = ctx;

	if (r->n < sizeof r->ids / sizeof r->ids[0])
		r->ids[r->n++] = account_id;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return a < b ? -1 : a > b;
}

enum mresult idea_set_status(const struct viewer *v, int64_t id, const char *status,
			     const char *explanation, struct idea_row *out, char *err, size_t errlen)
{
	struct idea_row idea;
	struct space_view sv;
	struct notify_batch nb;
	struct recipients *rc;
	enum mresult r;
	size_t i;

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in first");
	r = idea_read(v, id, &idea, &sv);
	if (r != M_OK)
		return mresult_fail(err, errlen, r, r == M_NOTFOUND ? "Record not found" : "Storage error");
	if (!idea_may_set_status(v, &sv))
		return mresult_fail(err, errlen, M_FORBIDDEN,
				    "Only the space's owners, moderators and listeners change an idea's status");
	if (!idea_status_valid(status))
		return mresult_fail(err, errlen, M_INVALID,
				    "status must be new, under_review, planned, in_progress, done or declined");
	if (!strcmp(status, "declined") && blank(explanation))
		return mresult_fail(err, errlen, M_INVALID, "Say why the idea is declined (explanation)");
	r = check_text(explanation, IDEA_EXPLANATION_MAX, "An explanation", 0, err, errlen);
	if (r != M_OK)
		return r;
	rc = calloc(1, sizeof *rc);
	if (!rc)
		return mresult_fail(err, errlen, M_ERROR, "Out of memory");
	add_recipient(idea.account_id, rc);
	if (store_idea_voters(id, add_recipient, rc) != STORE_OK ||
	    store_idea_commenters(id, add_recipient, rc) != STORE_OK) {
		free(rc);
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	qsort(rc->ids, rc->n, sizeof rc->ids[0], cmp_i64);
	memset(&nb, 0, sizeof nb);
	if (store_begin() != STORE_OK) {
		free(rc);
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	if (store_idea_set_status(id, status, blank(explanation) ? "" : explanation, v->account.id,
				  time_now_ms()) != STORE_OK)
		goto fail;
	for (i = 0; i < rc->n; i++) {
		if (i && rc->ids[i] == rc->ids[i - 1])
			continue;   /* once each */
		if (notify_add(&nb, rc->ids[i], v->account.id, "parley.idea_status", idea.current_post_id, NULL) < 0)
			goto fail;
	}
	if (store_commit() != STORE_OK)
		goto fail;
	free(rc);
	notify_publish(&nb);
	return idea_read(v, id, out, NULL);
fail:
	store_rollback();
	free(rc);
	return mresult_fail(err, errlen, M_ERROR, "Storage error");
}

enum mresult idea_merge(const struct viewer *v, int64_t id, int64_t into, struct idea_row *out,
			char *err, size_t errlen)
{
	struct idea_row src, dst;
	struct space_view sv;
	enum mresult r;
	int64_t now = time_now_ms();

	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in first");
	r = idea_read(v, id, &src, &sv);
	if (r != M_OK)
		return mresult_fail(err, errlen, r, r == M_NOTFOUND ? "Record not found" : "Storage error");
	if (!idea_may_moderate(v, &sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only the space's owners and moderators merge ideas");
	if (into == id)
		return mresult_fail(err, errlen, M_INVALID, "An idea cannot be merged into itself");
	r = idea_read(v, into, &dst, NULL);
	if (r == M_NOTFOUND)
		return mresult_fail(err, errlen, M_INVALID, "The idea to merge into does not exist");
	if (r != M_OK)
		return mresult_fail(err, errlen, r, "Storage error");
	if (dst.space_id != src.space_id)
		return mresult_fail(err, errlen, M_INVALID, "Both ideas must be on the same board");
	if (src.merged_into || dst.merged_into)
		return mresult_fail(err, errlen, M_INVALID, "This idea was merged already");
	if (store_begin() != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (store_idea_merge(id, into, now) != STORE_OK ||
	    store_job_put(id_next(), "ideas.rings", src.space_id, now + RINGS_DELAY_MS) != STORE_OK ||
	    store_commit() != STORE_OK) {
		store_rollback();
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	}
	return idea_read(v, into, out, NULL);
}

enum mresult idea_flagged(const struct viewer *v, const struct space_view *sv,
			  void (*fn)(const struct idea_flag_row *, void *), void *ctx, char *err, size_t errlen)
{
	if (!v->signed_in)
		return mresult_fail(err, errlen, M_UNAUTHORIZED, "Sign in first");
	if (!idea_may_see_flags(v, sv))
		return mresult_fail(err, errlen, M_FORBIDDEN,
				    "Only the space's owners and moderators, and moderators, see flagged votes");
	if (store_idea_flagged(sv->s.id, 500, fn, ctx) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	return M_OK;
}

/* ---- the ring job ------------------------------------------------------------- */

struct votes_acc {
	struct ring_vote *v;
	size_t n, cap;
	int failed;
};

static void acc_vote(int64_t account_id, int64_t idea_id, void *ctx)
{
	struct votes_acc *a = ctx;

	if (a->failed)
		return;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		struct ring_vote *nv = realloc(a->v, cap * sizeof *nv);

		if (!nv) {
			a->failed = 1;
			return;
		}
		a->v = nv;
		a->cap = cap;
	}
	a->v[a->n].account_id = account_id;
	a->v[a->n].idea_id = idea_id;
	a->n++;
}

static int rings_once(int64_t space_id)
{
	struct votes_acc acc = { NULL, 0, 0, 0 };
	int64_t *ring = NULL;
	size_t nring = 0;
	int rc = -1;

	if (store_idea_space_votes(space_id, acc_vote, &acc) != STORE_OK || acc.failed)
		goto done;
	if (idea_rings_find(acc.v, acc.n, &ring, &nring) < 0)
		goto done;
	if (store_begin() != STORE_OK)
		goto done;
	if (store_idea_set_rings(space_id, ring, nring) != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		goto done;
	}
	if (nring)
		log_info("ideas: %zu accounts vote as a ring in space %lld", nring, (long long)space_id);
	rc = 0;
done:
	free(acc.v);
	free(ring);
	return rc;
}

int idea_rings_job(int64_t space_id)
{
	int round;

	/* a vote that arrives while the job runs moves the job's row, which
	 * the worker then deletes as done: look again while votes keep
	 * arriving (bounded), so the last vote is always seen */
	for (round = 0; round < 3; round++) {
		int64_t started = time_now_ms();

		if (rings_once(space_id) < 0)
			return -1;
		if (store_idea_last_vote(space_id) < started)
			break;
	}
	return 0;
}
