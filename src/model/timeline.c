/*
 * timeline.c - lists of posts through the audience filter (see
 * timeline.h).
 */
#include "model/timeline.h"
#include "model/audience.h"

#include <stdlib.h>
#include <string.h>

int timeline_limit(long requested, int def, int max)
{
	if (requested <= 0)
		return def;
	return requested > max ? max : (int)requested;
}

enum mresult timeline_read(const struct viewer *v, struct timeline_query *q,
			   void (*fn)(const struct post_row *, void *), void *ctx)
{
	if (q->kind == TL_HOME && !v->signed_in)
		return M_UNAUTHORIZED;
	if (q->kind == TL_ORGANISATION && !viewer_is_staff(v))
		return M_FORBIDDEN;
	audience_filter(v, &q->aud);
	q->limit = timeline_limit(q->limit, TIMELINE_LIMIT_DEFAULT, TIMELINE_LIMIT_MAX);
	return store_timeline(q, fn, ctx) == STORE_OK ? M_OK : M_ERROR;
}

enum mresult timeline_bookmarks(const struct viewer *v, struct timeline_query *q, int favourites,
				int64_t *first, int64_t *last,
				void (*fn)(const struct post_row *, void *), void *ctx)
{
	if (!v->signed_in)
		return M_UNAUTHORIZED;
	audience_filter(v, &q->aud);
	q->limit = timeline_limit(q->limit, TIMELINE_LIMIT_DEFAULT, TIMELINE_LIMIT_MAX);
	if ((favourites ? store_favourites : store_bookmarks)(q, first, last, fn, ctx) != STORE_OK)
		return M_ERROR;
	return M_OK;
}

struct desc_ctx {
	const struct viewer *v;
	void (*fn)(const struct post_row *, void *);
	void *ctx;
	int64_t root;
	/* the replies shown so far: a reply is shown only under one of them
	 * (or the root), so one under an unreadable post is hidden too */
	int64_t *shown;
	size_t nshown, scap;
};

static int in_list(const int64_t *l, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i] == id)
			return 1;
	return 0;
}

static void push(int64_t **l, size_t *n, size_t *cap, int64_t id)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		int64_t *r = realloc(*l, nc * sizeof *r);

		if (!r)
			return;
		*l = r;
		*cap = nc;
	}
	(*l)[(*n)++] = id;
}

static void on_descendant(const struct post_row *p, void *ctx)
{
	struct desc_ctx *d = ctx;

	if (p->in_reply_to_id != d->root && !in_list(d->shown, d->nshown, p->in_reply_to_id))
		return;
	if (!audience_may_read(d->v, p))
		return;
	push(&d->shown, &d->nshown, &d->scap, p->id);
	d->fn(p, d->ctx);
}

enum mresult timeline_context(const struct viewer *v, int64_t id,
			      void (*ancestor)(const struct post_row *, void *),
			      void (*descendant)(const struct post_row *, void *), void *ctx)
{
	struct post_row p, chain[CONTEXT_MAX];
	struct desc_ctx d;
	size_t n = 0, i;
	int64_t up;
	enum mresult r = audience_read_post(v, id, &p);

	if (r != M_OK)
		return r;
	up = p.in_reply_to_id;
	post_row_release(&p);
	/* walk up; stop at the first post that is gone or not readable */
	while (up && n < CONTEXT_MAX) {
		if (audience_read_post(v, up, &chain[n]) != M_OK)
			break;
		up = chain[n].in_reply_to_id;
		n++;
	}
	for (i = n; i > 0; i--) {
		ancestor(&chain[i - 1], ctx);
		post_row_release(&chain[i - 1]);
	}
	memset(&d, 0, sizeof d);
	d.v = v;
	d.fn = descendant;
	d.ctx = ctx;
	d.root = id;
	r = store_post_descendants(id, CONTEXT_MAX, on_descendant, &d) == STORE_OK ? M_OK : M_ERROR;
	free(d.shown);
	return r;
}
