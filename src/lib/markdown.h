/*
 * markdown.h - the Markdown subset posts and articles are written in:
 * rendered once into HTML that is safe to show to other people, and turned
 * into plain text for search indexes and notification previews.
 *
 * The source is parsed by cmark-gfm (with its autolink and strikethrough
 * extensions); the HTML is written by our own walk over the syntax tree, so
 * only the elements listed here can ever come out, and every piece of text
 * and every attribute value is escaped.
 *
 *   everywhere    paragraphs; line breaks (in posts every newline is kept as
 *                 <br />); *em*, **strong**, ~~strikethrough~~ (two tildes:
 *                 one "~" is "about"); `inline code`; fenced and indented
 *                 code blocks (<pre><code>, no language class); bullet and
 *                 ordered lists; links; bare URLs ("https://...", "www...")
 *                 and e-mail addresses are linked; @mentions and #hashtags.
 *   articles      also headings ('#' is <h2>, '##' <h3>, deeper <h4>),
 *                 block quotes and thematic breaks (<hr />).
 *   posts         a heading becomes <p><strong>...</strong></p>, a block
 *                 quote its bare content, a thematic break nothing.
 *   links         only http:, https: and mailto: URLs become <a>, each with
 *                 rel="nofollow noopener noreferrer" target="_blank" and the
 *                 URL percent-encoded and escaped; any other URL (javascript:,
 *                 data:, relative, "//host") leaves just the link's text.
 *                 Link titles are dropped.
 *   images        never <img>: a link to the image URL whose text is the alt
 *                 text (or the URL), so nothing loads when a post is read.
 *   raw HTML      never passed through: it shows as the text that was typed.
 *   mentions      "@user" or "@user@domain" (user: 1-30 of [A-Za-z0-9_];
 *                 domain: letters, digits, '-' and '.'), not after a letter,
 *                 digit, '_' or '/' (so "a@b.org" is an e-mail address) and
 *                 not inside code or a link. Linked to the profile when the
 *                 account exists (markdown_opts.mention_href).
 *   hashtags      "#tag": letters (any script), digits and '_', not only
 *                 digits and '_'; not after a letter, digit, '_', '/', '='
 *                 or ')', nor inside code or a link. Linked to
 *                 BASE/tags/KEY, where KEY is markdown_tag_key() of the tag,
 *                 percent-encoded.
 *
 * What counts as a "letter" outside ASCII is approximate: every character
 * that is not Unicode whitespace, punctuation, a symbol, an emoji, a
 * control or private-use character. No Unicode normalisation is done.
 *
 * Thread safety: every function may be called from any thread at once.
 * Memory: cmark-gfm aborts the process when it cannot allocate; our own
 * allocations fail cleanly with -1.
 */
#ifndef PARLEY_LIB_MARKDOWN_H
#define PARLEY_LIB_MARKDOWN_H

#include <stddef.h>

#include "lib/buf.h"

/* Sources longer than this are refused (-1) without being parsed. Callers
 * should keep their own limit far lower: cmark-gfm's time is not linear on
 * every hostile input. */
#define MARKDOWN_MAX_SOURCE (128u * 1024)

/* What a text refers to, each list in order of first appearance, without
 * duplicates. All strings are NUL-terminated and owned by the struct. */
struct markdown_refs {
	char **mentions;        /* "user" or "user@domain", no '@', lower-cased */
	size_t nmentions;
	char **tags;            /* hashtags without '#', as first written (a later
	                         * "#Rust" after "#rust" is the same tag) */
	size_t ntags;
	char **links;           /* absolute http(s) URLs of links, autolinks and
	                         * images, percent-encoded as in the href */
	size_t nlinks;
	int too_many;           /* 1: a cap in markdown_opts was exceeded; the
	                         * lists then hold the first `cap` items and the
	                         * HTML is incomplete; the caller refuses the post */
};

/* Free every string and array; leaves *r empty (all zero). Safe on a
 * zeroed struct and twice in a row. */
void markdown_refs_release(struct markdown_refs *r);

struct markdown_opts {
	/* Prefix of hashtag links, e.g. "http://127.0.0.1:8080" (a trailing
	 * '/' is ignored); NULL means "" (links relative to the site root). */
	const char *base_url;
	/* 1: an article (long form): headings, block quotes and thematic
	 * breaks are kept. 0: a post. */
	int article;
	/* Called once per distinct mention, with the lower-cased "user" or
	 * "user@domain". Return 1 after appending the profile URL to `href` when
	 * the account exists (the mention becomes a link), 0 to leave the
	 * mention as text. Not called for mentions beyond max_mentions. NULL: no
	 * mention is linked (all are still collected). */
	int (*mention_href)(void *ctx, const char *acct, struct buf *href);
	void *ctx;
	/* Caps on distinct mentions, tags and links; 0 means the defaults
	 * 50, 50 and 100. */
	size_t max_mentions, max_tags, max_links;
};

/*
 * Render `src` (`len` bytes of UTF-8, no NUL) into `html` (appended) and,
 * when `refs` is not NULL, fill *refs (which need not be initialised; the
 * caller frees it with markdown_refs_release() whatever the result). `o` may
 * be NULL (a post, all defaults). Time is linear in the size of the input
 * and output, apart from cmark-gfm's own parsing.
 * Returns 0, or -1 when out of memory, when `html` reaches its cap, or when
 * len > MARKDOWN_MAX_SOURCE; the content of html and refs is then
 * unspecified (but still owned and freed as above).
 */
int markdown_render(const char *src, size_t len, const struct markdown_opts *o,
		    struct buf *html, struct markdown_refs *refs);

/*
 * Append the plain text of `src` (no markup: link and image text without
 * their URLs, code as written, raw HTML as typed, one block per line) to
 * `out`. The result is text, not HTML: escape it before showing it.
 * Returns 0, or -1 on the same failures as markdown_render().
 */
int markdown_plain(const char *src, size_t len, struct buf *out);

/*
 * Append the key of hashtag `tag` (`len` bytes, without '#') to `out`: its
 * Unicode case fold ("Café" and "CAFÉ" give "café"), used in tag URLs and
 * to decide that two tags are the same. Returns 0, or -1 when `out` fails.
 */
int markdown_tag_key(const char *tag, size_t len, struct buf *out);

#endif
