/*
 * html.c - HTML escaping (see html.h).
 */
#include "lib/html.h"

int html_escape(struct buf *out, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *rep;

		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		if (buf_append(out, s + start, i - start) < 0 ||
		    buf_puts(out, rep) < 0)
			return -1;
		start = i + 1;
	}
	return buf_append(out, s + start, n - start);
}
