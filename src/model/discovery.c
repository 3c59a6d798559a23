/*
 * discovery.c - follow suggestions and trends (see discovery.h).
 */
#include "model/discovery.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/timeline.h"
#include "store/store_discovery.h"

struct sugg_ctx {
	void (*fn)(const struct suggestion *, void *);
	void *ctx;
};

static void on_suggestion(int64_t account_id, int64_t spaces, int64_t via, int64_t followers, void *ctx)
{
	struct sugg_ctx *c = ctx;
	struct suggestion s = { account_id, spaces, via, followers };

	c->fn(&s, c->ctx);
}

enum mresult suggestions_list(const struct viewer *v, int limit,
			      void (*fn)(const struct suggestion *, void *), void *ctx)
{
	struct store_audience aud;
	struct sugg_ctx c = { fn, ctx };

	if (!v->signed_in)
		return M_UNAUTHORIZED;
	audience_filter(v, &aud);
	limit = timeline_limit(limit, 40, SUGGESTIONS_LIMIT_MAX);
	return store_suggestions(&aud, time_now_ms(), limit, on_suggestion, &c) == STORE_OK ? M_OK : M_ERROR;
}

enum mresult suggestion_dismiss(const struct viewer *v, int64_t account_id)
{
	struct account_row a;

	if (store_account_get(account_id, &a) != STORE_OK)
		return M_OK;
	return store_suggestion_dismiss(v->account.id, account_id, time_now_ms()) == STORE_OK ? M_OK : M_ERROR;
}

static int64_t since(void)
{
	return time_now_ms() - (int64_t)TRENDS_DAYS * 86400000;
}

enum mresult trends_tags(int limit, int offset,
			 void (*fn)(int64_t, const char *, int64_t, int64_t, void *), void *ctx)
{
	limit = timeline_limit(limit, 10, 20);
	if (offset < 0)
		offset = 0;
	return store_trending_tags(since(), limit, offset, fn, ctx) == STORE_OK ? M_OK : M_ERROR;
}

struct post_ctx {
	const struct viewer *v;
	void (*fn)(const struct post_row *, void *);
	void *ctx;
};

static void on_post(const struct post_row *p, void *ctx)
{
	struct post_ctx *c = ctx;

	/* public, but a block between viewer and author still hides it */
	if (audience_may_read(c->v, p))
		c->fn(p, c->ctx);
}

enum mresult trends_statuses(const struct viewer *v, int limit, int offset,
			     void (*fn)(const struct post_row *, void *), void *ctx)
{
	struct post_ctx c = { v, fn, ctx };

	limit = timeline_limit(limit, 20, 40);
	if (offset < 0)
		offset = 0;
	return store_trending_posts(since(), limit, offset, on_post, &c) == STORE_OK ? M_OK : M_ERROR;
}
