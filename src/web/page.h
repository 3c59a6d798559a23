/*
 * page.h - rendering a page: a template inside the layout.
 *
 * page_render() renders templates/<name>.html with `ctx`, then the layout
 * (templates/layout.html) around it. Every page context gets, besides what
 * the handler put in it:
 *   title          the page title (the argument)
 *   instance_name  from the configuration
 *   csrf           the token every <form method="post"> must carry in a
 *                  hidden field named "csrf" (use {{> csrf}})
 *   viewer         {username, display_name, is_admin, is_staff, kind,
 *                  unread (notifications newer than the read marker)}
 *                  when signed in
 *   flash          the one-time notice of the redirect that led here
 * Everything is escaped by the template engine unless written {{&x}}.
 */
#ifndef PARLEY_WEB_PAGE_H
#define PARLEY_WEB_PAGE_H

#include <jansson.h>
#include <stdint.h>

#include "http/request.h"

/* Render with status; steals the reference to ctx (may be NULL). On a
 * template error, logs it and answers 500. */
void page_render(struct request *rq, struct response *rs, int status,
		 const char *name, const char *title, json_t *ctx);

/* Render templates/<name>.html alone, without the layout: the answer to
 * an htmx request (a fragment swapped into the page). ctx gets "csrf"
 * and "viewer" as in page_render(); steals the reference (may be NULL).
 * On a template error, logs it and answers 500. */
void page_fragment(struct request *rq, struct response *rs, int status, const char *name, json_t *ctx);

/* 1 when the request came from htmx (the HX-Request header), so the
 * answer is a fragment rather than a page or a redirect. */
int page_is_htmx(const struct request *rq);

/* The HTML error page (installed as the HTTP layer's error page). */
void page_error(struct request *rq, struct response *rs, int status, const char *msg);

/* Redirect to a local path after a successful form post, with an optional
 * notice shown once on the next page. The notice travels in a short-lived
 * cookie, not in the URL, so nobody can make a link that puts their own
 * words in the site's notice banner. */
void page_redirect(struct request *rq, struct response *rs, const char *path, const char *notice);

/* A time for a page: {"iso": "2026-...Z", "text": "21 Nov 2026 20:27 UTC"},
 * or null for 0 (templates show "never"). New reference. */
json_t *page_time(int64_t ms);

/* A "next" parameter is only followed when it is a local path ("/x", not
 * "//host" or "http://"); otherwise "/" is used. */
const char *page_safe_next(const char *next);

#endif
