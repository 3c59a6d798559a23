/*
 * html.h - HTML escaping, used by the template engine and by the HTTP
 * layer's fallback error page.
 */
#ifndef PARLEY_LIB_HTML_H
#define PARLEY_LIB_HTML_H

#include <stddef.h>

#include "lib/buf.h"

/*
 * HTML-escape s (n bytes) into out: & < > " ' become &amp; &lt; &gt;
 * &quot; &#39;; every other byte is copied unchanged. Returns 0, or -1
 * when out fails (see buf.h: what was appended before the failure stays).
 */
int html_escape(struct buf *out, const char *s, size_t n);

#endif
