/*
 * post_view.h - posts as the web pages show them: the template context of
 * one post (for the partial templates/post.html), lists of them for the
 * timeline pages, and the composer's context.
 *
 * Everything here only shows what the viewer may read: a post is turned
 * into a context only through web_post_json(), which checks the original
 * of a reblog with audience_may_read() and the author with
 * audience_may_see_account(); the rows themselves come from model/timeline
 * and model/audience, which apply the audience filter.
 *
 * The public entry point for other parts of the server (live updates)
 * is web_post_html() in web/web.h.
 */
#ifndef PARLEY_WEB_POST_VIEW_H
#define PARLEY_WEB_POST_VIEW_H

#include <jansson.h>
#include <stdint.h>

#include "http/request.h"
#include "store/store_posts.h"

/* The context of post p for templates/post.html as rq's viewer sees it
 * (new reference), or NULL when it may not be shown (its author is hidden
 * from the viewer, or it reblogs a post the viewer cannot read) or on
 * storage errors. `focus` 1: the post is the subject of its page (full
 * article, no "open" link). */
json_t *web_post_json(struct request *rq, const struct post_row *p, int focus);

/* Collects posts for a page: pass web_posts_add as a model/timeline
 * callback. arr holds the contexts (caller owns it); last is the id of the
 * last row seen (for "Load more"), n how many rows came (shown or not). */
struct web_posts {
	struct request *rq;
	json_t *arr;
	int64_t last;
	int n;
};
void web_posts_init(struct web_posts *w, struct request *rq);
void web_posts_add(const struct post_row *p, void *ctx);

/* The composer's context (for templates/composer.html): audience options
 * the viewer may post to, with `selected` (an audience name, or NULL for
 * the viewer's default) chosen; text, content warning and error echo what
 * was sent (NULL: empty); in_reply_to 0 for a new thread. New reference. */
json_t *web_composer_json(struct request *rq, const char *selected, const char *text,
			  const char *cw, int64_t in_reply_to, const char *error);

/* "Public", "Organisation", "Followers", "Direct", "Space". */
const char *web_audience_label(const char *audience);

/* A page path of a post: "/@user/123" into out (at most n bytes). */
const char *web_post_path(char *out, size_t n, const char *username, int64_t id);

#endif
