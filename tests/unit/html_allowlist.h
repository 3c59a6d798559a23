/*
 * html_allowlist.h - a checker for the HTML that markdown_render() writes,
 * shared by tests/unit/test_markdown.c and tests/fuzz/fuzz_markdown.c.
 *
 * html_allowlist_check() reads the output as a browser's tokenizer would see
 * it and fails on anything lib/markdown.h does not promise: a tag outside
 * the allowed set, an attribute outside the allowed set for its tag, an
 * unquoted attribute, a link whose href is not http(s)/mailto/the site's
 * own tag URLs, a '>' or '"' in text, or any character reference other
 * than the five the escaper writes (&amp; &lt; &gt; &quot; &#39;), so no
 * entity trick can smuggle markup or a "javascript:" URL through.
 * Returns 1 when the HTML is allowed, else 0 with a reason in `why`.
 */
#ifndef PARLEY_TESTS_HTML_ALLOWLIST_H
#define PARLEY_TESTS_HTML_ALLOWLIST_H

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const html_allow_tags[] = {
	"p", "br", "em", "strong", "del", "code", "pre", "ul", "ol", "li", "a",
	"span", "h2", "h3", "h4", "blockquote", "hr", NULL
};

static int html_allow_in(const char *s, size_t n, const char *const *set)
{
	for (; *set; set++)
		if (strlen(*set) == n && strncmp(*set, s, n) == 0)
			return 1;
	return 0;
}

/* Length of the character reference at s[0] == '&' when it is one of the
 * five the escaper writes, else 0. */
static size_t html_allow_entity(const char *s)
{
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", NULL };
	const char *const *e;

	for (e = ents; *e; e++)
		if (strncmp(s, *e, strlen(*e)) == 0)
			return strlen(*e);
	return 0;
}

static int html_allow_attr(const char *tag, size_t tn, const char *name, size_t nn,
			   const char *val, size_t vn, const char *base, char *why, size_t wl)
{
	static const char *const a_attrs[] = { "href", "rel", "target", "class", NULL };
	static const char *const span_attrs[] = { "class", NULL };
	static const char *const ol_attrs[] = { "start", NULL };
	const char *const *set = NULL;
	size_t i;

	if (tn == 1 && tag[0] == 'a')
		set = a_attrs;
	else if (tn == 4 && strncmp(tag, "span", 4) == 0)
		set = span_attrs;
	else if (tn == 2 && strncmp(tag, "ol", 2) == 0)
		set = ol_attrs;
	if (!set || !html_allow_in(name, nn, set)) {
		snprintf(why, wl, "attribute %.*s on <%.*s>", (int)nn, name, (int)tn, tag);
		return 0;
	}
	for (i = 0; i < vn; i++) {
		size_t el;

		if (val[i] == '<' || val[i] == '>' || val[i] == '\'' ||
		    (unsigned char)val[i] < 0x20) {
			snprintf(why, wl, "bad character in attribute %.*s", (int)nn, name);
			return 0;
		}
		if (val[i] == '&') {
			if (!(el = html_allow_entity(val + i))) {
				snprintf(why, wl, "character reference in attribute %.*s", (int)nn, name);
				return 0;
			}
			i += el - 1;
		}
	}
	if (nn == 4 && strncmp(name, "href", 4) == 0) {
		size_t bl = strlen(base);

		if (!(strncasecmp(val, "http://", 7) == 0 || strncasecmp(val, "https://", 8) == 0 ||
		      strncasecmp(val, "mailto:", 7) == 0 ||
		      (bl && vn >= bl && strncmp(val, base, bl) == 0) ||
		      (!bl && vn && val[0] == '/' && (vn < 2 || val[1] != '/')))) {
			snprintf(why, wl, "href %.*s", (int)vn, val);
			return 0;
		}
	}
	if (nn == 5 && strncmp(name, "start", 5) == 0) {
		for (i = 0; i < vn; i++)
			if (!(val[i] >= '0' && val[i] <= '9') && !(i == 0 && val[i] == '-'))
				break;
		if (i != vn || vn == 0) {
			snprintf(why, wl, "start=\"%.*s\"", (int)vn, val);
			return 0;
		}
	}
	return 1;
}

static int html_allowlist_check(const char *h, const char *base, char *why, size_t wl)
{
	size_t i = 0, n = strlen(h);

	while (i < n) {
		size_t tn, el;
		const char *tag;

		if (h[i] == '&') {
			if (!(el = html_allow_entity(h + i))) {
				snprintf(why, wl, "character reference at %zu: %.12s", i, h + i);
				return 0;
			}
			i += el;
			continue;
		}
		if (h[i] == '>' || h[i] == '"') {
			snprintf(why, wl, "bare '%c' in text at %zu", h[i], i);
			return 0;
		}
		if (h[i] != '<') {
			i++;
			continue;
		}
		/* a tag: <name attr="v" ...> or </name> or <name /> */
		i++;
		if (h[i] == '/')
			i++;
		tag = h + i;
		for (tn = 0; (tag[tn] >= 'a' && tag[tn] <= 'z') || (tag[tn] >= '0' && tag[tn] <= '9'); tn++)
			;
		if (!html_allow_in(tag, tn, html_allow_tags)) {
			snprintf(why, wl, "tag <%.*s>", (int)(tn ? tn : 8), tag);
			return 0;
		}
		i += tn;
		for (;;) {
			size_t nn, vs;
			const char *name;

			if (h[i] == '>') {
				i++;
				break;
			}
			if (strncmp(h + i, " />", 3) == 0) {
				i += 3;
				break;
			}
			if (h[i] != ' ') {
				snprintf(why, wl, "malformed tag at %zu: %.20s", i, h + i);
				return 0;
			}
			i++;
			name = h + i;
			for (nn = 0; name[nn] >= 'a' && name[nn] <= 'z'; nn++)
				;
			if (!nn || name[nn] != '=' || name[nn + 1] != '"') {
				snprintf(why, wl, "unquoted attribute at %zu: %.20s", i, h + i);
				return 0;
			}
			vs = i + nn + 2;
			i = vs;
			while (i < n && h[i] != '"')
				i++;
			if (i >= n) {
				snprintf(why, wl, "unterminated attribute");
				return 0;
			}
			if (!html_allow_attr(tag, tn, name, nn, h + vs, i - vs, base, why, wl))
				return 0;
			i++;
		}
	}
	return 1;
}

#endif
