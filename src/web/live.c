/*
 * live.c - live pages: the home and hashtag pages keep an EventSource open
 * (htmx's SSE extension) on /live/home or /live/tags/:tag, and each new
 * post arrives as the same HTML fragment the page shows (web_post_html),
 * inserted at the top of #timeline; a deleted post is removed from the
 * page by an out-of-band swap.
 *
 * The streams are the Mastodon streaming machinery with html = 1
 * (api/mastodon/streaming.h): the same events, the same audience check per
 * stream; the viewer comes from the session cookie. The author's own posts
 * are left out of their home stream: the composer already inserted them.
 */
#include "api/mastodon/streaming.h"
#include "http/response.h"
#include "http/router.h"
#include "web/web.h"

static int live_html(struct request *rq, const struct post_row *p, struct buf *out)
{
	if (rq->viewer.signed_in && p->account_id == rq->viewer.account.id)
		return 0;
	return web_post_html(rq, p, out);
}

static void get_live_home(struct request *rq, struct response *rs)
{
	streaming_open(rq, rs, STREAM_USER, 1);
}

static void get_live_tag(struct request *rq, struct response *rs)
{
	streaming_open(rq, rs, STREAM_HASHTAG, 1);
}

void web_live_routes(void)
{
	streaming_set_html(live_html);
	router_add("GET", "/live/home", get_live_home, ROUTE_AUTH, NULL);
	router_add("GET", "/live/tags/:tag", get_live_tag, 0, NULL);
}
