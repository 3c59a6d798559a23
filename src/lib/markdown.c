/*
 * markdown.c - safe Markdown rendering and text extraction (see markdown.h).
 *
 * Design. cmark-gfm parses the source into a syntax tree; we never use its
 * HTML renderer. Instead one walk over the tree (cmark's iterator, so deep
 * nesting costs no C stack) writes the HTML of an allow-list of node types
 * and drops the markup of everything else, keeping its text. Text is always
 * written through html_escape(); attribute values are escaped too, and URLs
 * are percent-encoded first, so nothing the author typed can end a tag or an
 * attribute.
 *
 * Mentions and hashtags are found by scanning the literal of each text node
 * outside links (code nodes are never scanned). The scan remembers the last
 * character written in the current block (struct render.prev), so "a@b" is
 * told from "(@b" across node boundaries. One special case: cmark-gfm's
 * autolink extension turns the "bob@example.com" of "@bob@example.com" into
 * a mailto link; when a text node ends in a mention-starting '@' and such a
 * link follows, the two are scanned together as one mention.
 *
 * Each mention, tag and link is looked up in a hash index over the lists
 * being collected, so a text with 10,000 mentions costs 10,000 lookups and
 * at most max_mentions calls of mention_href (one per distinct account).
 * Past a cap, too_many is set and further new items are written as text.
 */
#include "lib/markdown.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm/utf8.h>

#include "lib/html.h"

#define DEFAULT_MAX_MENTIONS 50
#define DEFAULT_MAX_TAGS 50
#define DEFAULT_MAX_LINKS 100
#define MENTION_USER_MAX 30
#define MENTION_DOMAIN_MAX 253
#define MENTION_HREF_MAX 4096

/* ---- parsing ---------------------------------------------------------- */

static pthread_once_t ext_once = PTHREAD_ONCE_INIT;

/*
 * cmark-gfm is not reentrant: while it parses inlines it adds the attached
 * extensions' trigger characters ('~', ':', 'w', '@'...) to a process-wide
 * table and removes them when done, so two parses at once can each miss
 * strikethrough or autolinks in the other's text (measured: about 1 render
 * in 20 differed with 8 threads). Parsing is therefore serialised; the walk
 * that writes the HTML runs outside the lock.
 */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

static void ext_register(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* Parse src; NULL when an extension is missing. The caller frees the tree
 * with cmark_node_free(). */
static cmark_node *md_parse(const char *src, size_t len)
{
	cmark_syntax_extension *autolink, *strike;
	cmark_parser *p;
	cmark_node *doc;

	pthread_once(&ext_once, ext_register);
	autolink = cmark_find_syntax_extension("autolink");
	strike = cmark_find_syntax_extension("strikethrough");
	if (!autolink || !strike)
		return NULL;
	pthread_mutex_lock(&parse_lock);
	/* CMARK_OPT_DEFAULT is safe mode: raw HTML stays in html nodes, which
	 * we write as escaped text. */
	p = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 |
			     CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE);
	if (p && cmark_parser_attach_syntax_extension(p, autolink) &&
	    cmark_parser_attach_syntax_extension(p, strike)) {
		cmark_parser_feed(p, src, len);
		doc = cmark_parser_finish(p);
	} else {
		doc = NULL;
	}
	if (p)
		cmark_parser_free(p);
	pthread_mutex_unlock(&parse_lock);
	return doc;
}

/* ---- characters ------------------------------------------------------- */

/* Decode the character at s (n > 0 bytes left) into *cp; returns its length.
 * The input is valid UTF-8; a malformed byte still advances by one. */
static size_t u8_decode(const char *str, size_t n, int32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i;
	int32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xF0) {
		len = 4;
		c = s[0] & 0x07;
	} else if (s[0] >= 0xE0) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xC0) {
		len = 2;
		c = s[0] & 0x1F;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (len > n) {
		*cp = 0xFFFD;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return len;
}

/* The last character of s[0..n), or -1 when n == 0. */
static int32_t u8_last(const char *s, size_t n)
{
	size_t i = n;
	int32_t cp;

	if (!n)
		return -1;
	while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return 0xFFFD;
	i--;
	(void)u8_decode(s + i, n - i, &cp);
	return cp;
}

static int is_ascii_alnum(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * A character that may be part of a word (hashtag body, or what makes an
 * '@' or '#' "inside a word"): ASCII letters, digits and '_', and outside
 * ASCII everything but whitespace, punctuation (cmark's Unicode tables),
 * symbols, emoji, controls and private use (our ranges below). An
 * approximation of Unicode's letters, marks and digits that needs no table
 * of our own.
 */
static int is_word(int32_t c)
{
	if (c < 0x80)
		return is_ascii_alnum(c) || c == '_';
	if (c < 0xC0)   /* C1 controls, Latin-1 punctuation and signs */
		return c == 0xAA || c == 0xB5 || c == 0xBA;
	if (c == 0xD7 || c == 0xF7)
		return 0;
	if (c >= 0x2000 && c <= 0x2BFF)   /* punctuation, arrows, maths, dingbats */
		return 0;
	if (c >= 0x3000 && c <= 0x303F)   /* CJK punctuation, but 々 〆 〇 */
		return c >= 0x3005 && c <= 0x3007;
	if (c >= 0xD800 && c <= 0xF8FF)   /* surrogates, private use */
		return 0;
	if (c >= 0xFE00 && c <= 0xFE6F)   /* variation selectors, CJK forms */
		return 0;
	if (c == 0xFEFF || (c >= 0xFFF0 && c <= 0xFFFF))
		return 0;
	if ((c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
	    (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65))
		return 0;   /* fullwidth punctuation */
	if (c >= 0x1F000 && c <= 0x1FAFF)  /* emoji and other pictographs */
		return 0;
	if (c >= 0xE0000)                  /* tag characters, private use */
		return 0;
	return !cmark_utf8proc_is_space(c) && !cmark_utf8proc_is_punctuation(c);
}

static int is_user_char(char c)
{
	return is_ascii_alnum((unsigned char)c) || c == '_';
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int prefix_nocase(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (ascii_lower(*s) != *prefix)
			return 0;
	return 1;
}

/* ---- URLs ------------------------------------------------------------- */

/* 2: http or https; 1: mailto; 0: any other URL (never linked). */
static int url_kind(const char *url)
{
	if (!url)
		return 0;
	if ((prefix_nocase(url, "http://") && url[7]) ||
	    (prefix_nocase(url, "https://") && url[8]))
		return 2;
	if (prefix_nocase(url, "mailto:") && url[7])
		return 1;
	return 0;
}

/* Append url with every byte outside the URL characters that need no
 * quoting (RFC 3986 unreserved, reserved and '%') percent-encoded: spaces,
 * quotes, '<', '>', controls, non-ASCII. The result still needs HTML
 * escaping for '&' and '\''. */
static int url_encode_href(struct buf *out, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char keep[] = "-._~:/?#[]@!$&'()*+,;=%";
	const unsigned char *s = (const unsigned char *)url;

	for (; *s; s++) {
		if (is_ascii_alnum(*s) || strchr(keep, *s)) {
			buf_putc(out, (char)*s);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[*s >> 4]);
			buf_putc(out, hex[*s & 15]);
		}
	}
	return out->failed ? -1 : 0;
}

/* Append s with everything but RFC 3986 unreserved characters
 * percent-encoded (for one path segment). */
static int url_encode_segment(struct buf *out, const char *str, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (is_ascii_alnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[c >> 4]);
			buf_putc(out, hex[c & 15]);
		}
	}
	return out->failed ? -1 : 0;
}

int markdown_tag_key(const char *tag, size_t len, struct buf *out)
{
	cmark_strbuf sb;

	if (len > (size_t)INT32_MAX / 4) {
		out->failed = 1;
		return -1;
	}
	cmark_strbuf_init(cmark_get_default_mem_allocator(), &sb, 0);
	cmark_utf8proc_case_fold(&sb, (const uint8_t *)tag, (bufsize_t)len);
	buf_append(out, sb.ptr, (size_t)sb.size);
	cmark_strbuf_free(&sb);
	return out->failed ? -1 : 0;
}

/* ---- collected references --------------------------------------------- */

void markdown_refs_release(struct markdown_refs *r)
{
	size_t i;

	for (i = 0; i < r->nmentions; i++)
		free(r->mentions[i]);
	for (i = 0; i < r->ntags; i++)
		free(r->tags[i]);
	for (i = 0; i < r->nlinks; i++)
		free(r->links[i]);
	free(r->mentions);
	free(r->tags);
	free(r->links);
	memset(r, 0, sizeof(*r));
}

/*
 * A hash index over an array of NUL-terminated keys kept elsewhere: open
 * addressing with linear probing; a slot holds the key's array index + 1
 * (0 is empty). At most half full.
 */
struct index {
	size_t *slot;
	size_t nslot;   /* 0 or a power of two */
};

static size_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

/* Index in keys[] of the key equal to k (n bytes), or -1. */
static long index_find(const struct index *ix, char *const *keys, const char *k, size_t n)
{
	size_t i, mask = ix->nslot - 1;

	if (!ix->nslot)
		return -1;
	for (i = hash_str(k, n) & mask; ix->slot[i]; i = (i + 1) & mask) {
		const char *cand = keys[ix->slot[i] - 1];

		if (strncmp(cand, k, n) == 0 && cand[n] == '\0')
			return (long)(ix->slot[i] - 1);
	}
	return -1;
}

static void index_put(struct index *ix, char *const *keys, size_t at)
{
	size_t i, mask = ix->nslot - 1;
	const char *k = keys[at];

	for (i = hash_str(k, strlen(k)) & mask; ix->slot[i]; i = (i + 1) & mask)
		;
	ix->slot[i] = at + 1;
}

/* Record that keys[count - 1] is new, growing the table to keep it at most
 * half full. -1 when out of memory. */
static int index_add(struct index *ix, char *const *keys, size_t count)
{
	if (count * 2 > ix->nslot) {
		size_t n = ix->nslot ? ix->nslot * 2 : 32, i;
		size_t *s = calloc(n, sizeof(*s));

		if (!s)
			return -1;
		free(ix->slot);
		ix->slot = s;
		ix->nslot = n;
		for (i = 0; i + 1 < count; i++)
			index_put(ix, keys, i);
	}
	index_put(ix, keys, count - 1);
	return 0;
}

/* Make room for one more element in the array *arr of *cap elements of
 * size `size` holding n. -1 when out of memory. */
static int grow(void *arr, size_t size, size_t n, size_t *cap)
{
	void **a = arr;
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(*a, ncap * size);
	if (!p)
		return -1;
	*a = p;
	*cap = ncap;
	return 0;
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* ---- the renderer ------------------------------------------------------ */

struct render {
	const struct markdown_opts *o;
	struct buf *out;
	struct markdown_refs refs;
	char **mention_href;     /* parallel to refs.mentions: profile URL or NULL */
	char **tag_key;          /* parallel to refs.tags: markdown_tag_key() */
	size_t mcap, tcap, lcap;
	struct index mix, tix, lix;
	size_t max_mentions, max_tags, max_links;
	const char *base;        /* base_url without a trailing '/' */
	size_t base_len;
	int32_t prev;            /* last character written in this block, -1 at its start */
	int in_link;             /* depth of link and image nodes */
	int a_open;              /* the outermost of them wrote an <a> */
	int failed;              /* out of memory */
	struct buf key;          /* scratch for lookup keys and URLs */
};

/* Free what the renderer owns; r->refs is left alone (the caller moves it
 * out or releases it). */
static void render_release(struct render *r)
{
	size_t i;

	for (i = 0; i < r->refs.nmentions; i++)
		free(r->mention_href[i]);
	for (i = 0; i < r->refs.ntags; i++)
		free(r->tag_key[i]);
	free(r->mention_href);
	free(r->tag_key);
	free(r->mix.slot);
	free(r->tix.slot);
	free(r->lix.slot);
	buf_release(&r->key);
}

static void put(struct render *r, const char *s)
{
	buf_puts(r->out, s);
}

static void put_escaped(struct render *r, const char *s, size_t n)
{
	html_escape(r->out, s, n);
}

/*
 * Index of mention `acct` (lower-case, n bytes) in refs.mentions, adding it
 * (and asking mention_href) when new; -1 when it is new and over the cap
 * (too_many is set) or out of memory.
 */
static long mention_lookup(struct render *r, const char *acct, size_t n)
{
	struct markdown_refs *f = &r->refs;
	size_t mcap = r->mcap;
	char *key, *href = NULL;
	long at = index_find(&r->mix, f->mentions, acct, n);

	if (at >= 0)
		return at;
	if (f->nmentions >= r->max_mentions) {
		f->too_many = 1;
		return -1;
	}
	if (grow(&f->mentions, sizeof(char *), f->nmentions, &mcap) < 0 ||
	    grow(&r->mention_href, sizeof(char *), f->nmentions, &r->mcap) < 0 ||
	    !(key = dup_n(acct, n))) {
		r->failed = 1;
		return -1;
	}
	if (r->o->mention_href) {
		struct buf h;

		buf_init(&h, MENTION_HREF_MAX);
		if (r->o->mention_href(r->o->ctx, key, &h) == 1 && !h.failed && h.len)
			href = buf_detach(&h, NULL);
		buf_release(&h);
	}
	f->mentions[f->nmentions] = key;
	r->mention_href[f->nmentions] = href;
	f->nmentions++;
	if (index_add(&r->mix, f->mentions, f->nmentions) < 0) {
		r->failed = 1;
		return -1;
	}
	return (long)f->nmentions - 1;
}

/* Index of tag `tag` (as written, n bytes) by its key, adding it when new;
 * -1 as for mention_lookup(). The key is left in r->key. */
static long tag_lookup(struct render *r, const char *tag, size_t n)
{
	struct markdown_refs *f = &r->refs;
	size_t tcap = r->tcap;
	char *t, *k;
	long at;

	buf_reset(&r->key);
	if (markdown_tag_key(tag, n, &r->key) < 0) {
		r->failed = 1;
		return -1;
	}
	at = index_find(&r->tix, r->tag_key, buf_str(&r->key), r->key.len);
	if (at >= 0)
		return at;
	if (f->ntags >= r->max_tags) {
		f->too_many = 1;
		return -1;
	}
	if (grow(&f->tags, sizeof(char *), f->ntags, &tcap) < 0 ||
	    grow(&r->tag_key, sizeof(char *), f->ntags, &r->tcap) < 0 ||
	    !(t = dup_n(tag, n))) {
		r->failed = 1;
		return -1;
	}
	if (!(k = dup_n(buf_str(&r->key), r->key.len))) {
		free(t);
		r->failed = 1;
		return -1;
	}
	f->tags[f->ntags] = t;
	r->tag_key[f->ntags] = k;
	f->ntags++;
	if (index_add(&r->tix, r->tag_key, f->ntags) < 0) {
		r->failed = 1;
		return -1;
	}
	return (long)f->ntags - 1;
}

/* Collect http(s) link `url` (already encoded); sets too_many past the cap. */
static void link_collect(struct render *r, const char *url, size_t n)
{
	struct markdown_refs *f = &r->refs;
	char *u;

	if (index_find(&r->lix, f->links, url, n) >= 0)
		return;
	if (f->nlinks >= r->max_links) {
		f->too_many = 1;
		return;
	}
	if (grow(&f->links, sizeof(char *), f->nlinks, &r->lcap) < 0 ||
	    !(u = dup_n(url, n))) {
		r->failed = 1;
		return;
	}
	f->links[f->nlinks++] = u;
	if (index_add(&r->lix, f->links, f->nlinks) < 0)
		r->failed = 1;
}

/*
 * Length of the mention at s[0] == '@' (n bytes), or 0 when there is none;
 * *ulen is the length of the user part. A user name of 31 or more
 * characters, or one glued to a letter outside ASCII, is no mention.
 */
static size_t mention_len(const char *s, size_t n, size_t *ulen)
{
	size_t j = 1, d, e, end;
	int32_t cp;

	while (j < n && j <= MENTION_USER_MAX + 1 && is_user_char(s[j]))
		j++;
	if (j == 1 || j - 1 > MENTION_USER_MAX)
		return 0;
	if (j < n) {
		(void)u8_decode(s + j, n - j, &cp);
		if (is_word(cp))
			return 0;
	}
	*ulen = j - 1;
	if (j + 1 < n && s[j] == '@' && is_ascii_alnum((unsigned char)s[j + 1])) {
		d = j + 1;
		end = d;
		for (e = d; e < n && e - d < MENTION_DOMAIN_MAX &&
		     (is_ascii_alnum((unsigned char)s[e]) || s[e] == '-' || s[e] == '.'); e++)
			if (is_ascii_alnum((unsigned char)s[e]))
				end = e + 1;   /* a domain ends in a letter or digit */
		return end;
	}
	return j;
}

/* Length of the hashtag at s[0] == '#' (n bytes), or 0. */
static size_t hashtag_len(const char *s, size_t n)
{
	size_t j = 1, k;
	int has_letter = 0;
	int32_t cp;

	while (j < n) {
		k = u8_decode(s + j, n - j, &cp);
		if (!is_word(cp))
			break;
		if (!(cp >= '0' && cp <= '9') && cp != '_')
			has_letter = 1;
		j += k;
	}
	return has_letter ? j : 0;
}

static int mention_may_start(int32_t prev)
{
	return prev < 0 || (!is_word(prev) && prev != '/');
}

static int hashtag_may_start(int32_t prev)
{
	return prev < 0 || (!is_word(prev) && prev != '/' && prev != '=' && prev != ')');
}

static void emit_mention(struct render *r, const char *s, size_t n, size_t ulen)
{
	char acct[MENTION_USER_MAX + 1 + MENTION_DOMAIN_MAX + 1];
	size_t i;
	long at;

	for (i = 1; i < n && i - 1 < sizeof(acct) - 1; i++)
		acct[i - 1] = ascii_lower(s[i]);
	at = mention_lookup(r, acct, i - 1);
	if (at < 0 || !r->mention_href[at]) {
		put_escaped(r, s, n);
		return;
	}
	put(r, "<span class=\"h-card\"><a href=\"");
	put_escaped(r, r->mention_href[at], strlen(r->mention_href[at]));
	put(r, "\" class=\"u-url mention\">@<span>");
	put_escaped(r, s + 1, ulen);
	put(r, "</span></a></span>");
}

static void emit_hashtag(struct render *r, const char *s, size_t n)
{
	long at = tag_lookup(r, s + 1, n - 1);

	if (at < 0) {
		put_escaped(r, s, n);
		return;
	}
	put(r, "<a href=\"");
	put_escaped(r, r->base, r->base_len);
	put(r, "/tags/");
	url_encode_segment(r->out, r->tag_key[at], strlen(r->tag_key[at]));
	put(r, "\" class=\"mention hashtag\" rel=\"tag\">#<span>");
	put_escaped(r, s + 1, n - 1);
	put(r, "</span></a>");
}

/*
 * Write text s[0..n) escaped; with `tokens`, turn the mentions and hashtags
 * in it into links. Keeps r->prev up to date. Each byte is looked at a
 * bounded number of times: the token matchers never run over a '@' or '#'.
 */
static void scan_text(struct render *r, const char *s, size_t n, int tokens)
{
	size_t i = 0, start = 0, len, ulen = 0;

	while (i < n) {
		if (tokens && s[i] == '@' && mention_may_start(r->prev) &&
		    (len = mention_len(s + i, n - i, &ulen)) > 0) {
			put_escaped(r, s + start, i - start);
			emit_mention(r, s + i, len, ulen);
		} else if (tokens && s[i] == '#' && hashtag_may_start(r->prev) &&
			   (len = hashtag_len(s + i, n - i)) > 0) {
			put_escaped(r, s + start, i - start);
			emit_hashtag(r, s + i, len);
		} else {
			i += u8_decode(s + i, n - i, &r->prev);
			continue;
		}
		r->prev = u8_last(s + i, len);
		i += len;
		start = i;
	}
	put_escaped(r, s + start, i - start);
}

/* The address of an autolinked e-mail address ("mailto:X" whose only
 * child is the text X), or NULL. */
static const char *autolinked_email(cmark_node *link)
{
	cmark_node *child;
	const char *url, *text;

	if (!link || cmark_node_get_type(link) != CMARK_NODE_LINK)
		return NULL;
	url = cmark_node_get_url(link);
	child = cmark_node_first_child(link);
	if (!url || !prefix_nocase(url, "mailto:") || !child || cmark_node_next(child) ||
	    cmark_node_get_type(child) != CMARK_NODE_TEXT)
		return NULL;
	text = cmark_node_get_literal(child);
	return text && strcmp(text, url + 7) == 0 ? text : NULL;
}

/*
 * A text node outside links. When it ends in an '@' that may start a
 * mention and an autolinked e-mail address follows ("@bob" + "ex.org"
 * from "@bob@ex.org"), both are scanned as one text and the link is
 * skipped (the iterator is moved past it).
 */
static void render_text(struct render *r, cmark_node *node, cmark_iter *it)
{
	const char *lit = cmark_node_get_literal(node);
	size_t n = lit ? strlen(lit) : 0;
	cmark_node *next = cmark_node_next(node);
	const char *addr;

	if (r->in_link) {
		scan_text(r, lit, n, 0);
		return;
	}
	if (n && lit[n - 1] == '@' && (addr = autolinked_email(next)) != NULL) {
		int32_t before = n > 1 ? u8_last(lit, n - 1) : r->prev;

		if (mention_may_start(before)) {
			struct buf joined = BUF_INIT;

			buf_append(&joined, lit, n);
			buf_puts(&joined, addr);
			if (joined.failed) {
				r->failed = 1;
			} else {
				scan_text(r, joined.data, joined.len, 1);
				cmark_iter_reset(it, next, CMARK_EVENT_EXIT);
			}
			buf_release(&joined);
			return;
		}
	}
	scan_text(r, lit, n, 1);
}

/* Link or image: an <a> for an allowed URL unless inside another link;
 * otherwise only the content is written. */
static void render_link_enter(struct render *r, cmark_node *node)
{
	const char *url = cmark_node_get_url(node);
	int kind = url_kind(url);

	if (r->in_link++ || !kind)
		return;
	buf_reset(&r->key);
	if (url_encode_href(&r->key, url) < 0) {
		r->failed = 1;
		return;
	}
	if (kind == 2)
		link_collect(r, r->key.data, r->key.len);
	put(r, "<a href=\"");
	put_escaped(r, r->key.data, r->key.len);
	put(r, "\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">");
	r->a_open = 1;
	/* An image without alt text shows its URL. */
	if (cmark_node_get_type(node) == CMARK_NODE_IMAGE && !cmark_node_first_child(node))
		scan_text(r, url, strlen(url), 0);
}

static void render_link_exit(struct render *r)
{
	if (--r->in_link == 0 && r->a_open) {
		put(r, "</a>");
		r->a_open = 0;
	}
}

/* A paragraph in an item of a tight list is written without <p>, as
 * cmark's own renderer does. */
static int paragraph_is_tight(cmark_node *para)
{
	cmark_node *item = cmark_node_parent(para);
	cmark_node *list = item ? cmark_node_parent(item) : NULL;

	return item && list && cmark_node_get_type(item) == CMARK_NODE_ITEM &&
	       cmark_node_get_list_tight(list);
}

/* Raw HTML that was typed as a block: shown as text in a paragraph. */
static void render_html_block(struct render *r, const char *lit)
{
	size_t n = lit ? strlen(lit) : 0;

	while (n && (lit[n - 1] == '\n' || lit[n - 1] == '\r'))
		n--;
	put(r, "<p>");
	if (r->o->article) {
		scan_text(r, lit, n, 0);
	} else {
		size_t i, start = 0;

		for (i = 0; i <= n; i++) {
			if (i < n && lit[i] != '\n')
				continue;
			scan_text(r, lit + start, i - start, 0);
			if (i < n)
				put(r, "<br />");
			start = i + 1;
		}
	}
	put(r, "</p>");
	r->prev = -1;
}

static const char *heading_tag(cmark_node *node, int enter)
{
	static const char *const open[] = { "<h2>", "<h3>", "<h4>" };
	static const char *const close[] = { "</h2>", "</h3>", "</h4>" };
	int level = cmark_node_get_heading_level(node);
	int i = level <= 1 ? 0 : level == 2 ? 1 : 2;

	return enter ? open[i] : close[i];
}

static void render_node(struct render *r, cmark_node *node, cmark_event_type ev, cmark_iter *it)
{
	int enter = ev == CMARK_EVENT_ENTER;
	int article = r->o->article;
	const char *lit;

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_PARAGRAPH:
		if (!paragraph_is_tight(node))
			put(r, enter ? "<p>" : "</p>");
		r->prev = -1;
		break;
	case CMARK_NODE_HEADING:
		if (article)
			put(r, heading_tag(node, enter));
		else
			put(r, enter ? "<p><strong>" : "</strong></p>");
		r->prev = -1;
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		if (article)
			put(r, enter ? "<blockquote>" : "</blockquote>");
		r->prev = -1;
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		if (article)
			put(r, "<hr />");
		r->prev = -1;
		break;
	case CMARK_NODE_LIST:
		if (cmark_node_get_list_type(node) == CMARK_ORDERED_LIST) {
			int start = cmark_node_get_list_start(node);

			if (!enter)
				put(r, "</ol>");
			else if (start == 1)
				put(r, "<ol>");
			else
				buf_printf(r->out, "<ol start=\"%d\">", start);
		} else {
			put(r, enter ? "<ul>" : "</ul>");
		}
		r->prev = -1;
		break;
	case CMARK_NODE_ITEM:
		put(r, enter ? "<li>" : "</li>");
		r->prev = -1;
		break;
	case CMARK_NODE_CODE_BLOCK:
		lit = cmark_node_get_literal(node);
		put(r, "<pre><code>");
		put_escaped(r, lit ? lit : "", lit ? strlen(lit) : 0);
		put(r, "</code></pre>");
		r->prev = -1;
		break;
	case CMARK_NODE_HTML_BLOCK:
		render_html_block(r, cmark_node_get_literal(node));
		break;
	case CMARK_NODE_TEXT:
		render_text(r, node, it);
		break;
	case CMARK_NODE_HTML_INLINE:
		lit = cmark_node_get_literal(node);
		scan_text(r, lit ? lit : "", lit ? strlen(lit) : 0, 0);
		break;
	case CMARK_NODE_SOFTBREAK:
		put(r, article ? "\n" : "<br />");
		r->prev = '\n';
		break;
	case CMARK_NODE_LINEBREAK:
		put(r, "<br />");
		r->prev = '\n';
		break;
	case CMARK_NODE_CODE:
		lit = cmark_node_get_literal(node);
		put(r, "<code>");
		scan_text(r, lit ? lit : "", lit ? strlen(lit) : 0, 0);
		put(r, "</code>");
		break;
	case CMARK_NODE_EMPH:
		put(r, enter ? "<em>" : "</em>");
		break;
	case CMARK_NODE_STRONG:
		put(r, enter ? "<strong>" : "</strong>");
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		if (enter)
			render_link_enter(r, node);
		else
			render_link_exit(r);
		break;
	default:
		/* The strikethrough extension's node; any other kind (document,
		 * footnotes, custom nodes) writes only its content. */
		if (strcmp(cmark_node_get_type_string(node), "strikethrough") == 0)
			put(r, enter ? "<del>" : "</del>");
		break;
	}
}

int markdown_render(const char *src, size_t len, const struct markdown_opts *o,
		    struct buf *html, struct markdown_refs *refs)
{
	static const struct markdown_opts defaults;
	struct render r;
	cmark_node *doc;
	cmark_iter *it;
	cmark_event_type ev;
	int rc = -1;

	if (refs)
		memset(refs, 0, sizeof(*refs));
	if (len > MARKDOWN_MAX_SOURCE)
		return -1;
	memset(&r, 0, sizeof(r));
	r.o = o ? o : &defaults;
	r.out = html;
	r.max_mentions = r.o->max_mentions ? r.o->max_mentions : DEFAULT_MAX_MENTIONS;
	r.max_tags = r.o->max_tags ? r.o->max_tags : DEFAULT_MAX_TAGS;
	r.max_links = r.o->max_links ? r.o->max_links : DEFAULT_MAX_LINKS;
	r.base = r.o->base_url ? r.o->base_url : "";
	r.base_len = strlen(r.base);
	if (r.base_len && r.base[r.base_len - 1] == '/')
		r.base_len--;
	r.prev = -1;
	buf_init(&r.key, 0);

	doc = md_parse(src, len);
	if (!doc)
		goto out;
	it = cmark_iter_new(doc);
	if (!it) {
		cmark_node_free(doc);
		goto out;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && !r.failed && !html->failed)
		render_node(&r, cmark_iter_get_node(it), ev, it);
	cmark_iter_free(it);
	cmark_node_free(doc);
	rc = r.failed || html->failed ? -1 : 0;
out:
	render_release(&r);
	if (refs)
		*refs = r.refs;
	else
		markdown_refs_release(&r.refs);
	return rc;
}

/* ---- plain text --------------------------------------------------------- */

/* Start a new line unless the text written since `start` is empty or
 * already ends one. */
static void plain_newline(struct buf *out, size_t start)
{
	if (out->len > start && out->data[out->len - 1] != '\n')
		buf_putc(out, '\n');
}

static void plain_literal(struct buf *out, cmark_node *node, int block)
{
	const char *lit = cmark_node_get_literal(node);
	size_t n = lit ? strlen(lit) : 0;

	if (block)
		while (n && lit[n - 1] == '\n')
			n--;
	buf_append(out, lit ? lit : "", n);
}

int markdown_plain(const char *src, size_t len, struct buf *out)
{
	size_t start = out->len;
	cmark_node *doc, *node;
	cmark_iter *it;
	cmark_event_type ev;

	if (len > MARKDOWN_MAX_SOURCE)
		return -1;
	doc = md_parse(src, len);
	if (!doc)
		return -1;
	it = cmark_iter_new(doc);
	if (!it) {
		cmark_node_free(doc);
		return -1;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && !out->failed) {
		node = cmark_iter_get_node(it);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
		case CMARK_NODE_ITEM:
		case CMARK_NODE_THEMATIC_BREAK:
			plain_newline(out, start);
			break;
		case CMARK_NODE_CODE_BLOCK:
		case CMARK_NODE_HTML_BLOCK:
			plain_newline(out, start);
			plain_literal(out, node, 1);
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
			plain_literal(out, node, 0);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, '\n');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	while (out->len > start && out->data[out->len - 1] == '\n')
		out->data[--out->len] = '\0';
	return out->failed ? -1 : 0;
}
