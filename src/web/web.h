/*
 * web.h - the HTML face: server-rendered pages (templates in
 * src/web/templates, assets in src/web/static). web_routes() adds every
 * page's routes and installs the HTML error page.
 */
#ifndef PARLEY_WEB_WEB_H
#define PARLEY_WEB_WEB_H

#include "http/request.h"
#include "lib/buf.h"
#include "store/store_posts.h"

void web_routes(void);

/*
 * Append the HTML of one post (templates/post.html: the <article> every
 * page and live update uses) as rq's viewer sees it to `out`. The
 * viewer's CSRF token goes into the post's action forms.
 * Returns 1 when written, 0 when the viewer may not see it (nothing is
 * written: audience_may_read() says no, its author is hidden from them,
 * or it reblogs a post they cannot read), -1 on a template or buffer
 * failure (out is cut back). p is borrowed.
 */
int web_post_html(struct request *rq, const struct post_row *p, struct buf *out);

#endif
