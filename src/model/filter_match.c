/*
 * filter_match.c - applying filters (see filter.h): the keyword match with
 * Mastodon's whole-word rule, the text a status is searched in, and a
 * viewer's set of active filters loaded once per response and matched
 * against each status. Writing filters is filter.c.
 */
#include "model/filter.h"
#include "lib/buf.h"
#include "lib/markdown.h"
#include "model/media.h"

#include <stdlib.h>
#include <string.h>

/* ---- matching ---------------------------------------------------------------- */

static int word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

int filter_text_matches(const char *text, size_t len, const char *kw, size_t kwlen, int whole_word)
{
	size_t i;
	int need_start, need_end;

	if (!kwlen || kwlen > len)
		return 0;
	need_start = whole_word && word_byte((unsigned char)kw[0]);
	need_end = whole_word && word_byte((unsigned char)kw[kwlen - 1]);
	for (i = 0; i + kwlen <= len; i++) {
		if (text[i] != kw[0] || memcmp(text + i, kw, kwlen))
			continue;
		if (need_start && i > 0 && word_byte((unsigned char)text[i - 1]))
			continue;
		/* a continuation byte before the match: we are inside a character */
		if (((unsigned char)text[i] & 0xC0) == 0x80)
			continue;
		if (need_end && i + kwlen < len && word_byte((unsigned char)text[i + kwlen]))
			continue;
		return 1;
	}
	return 0;
}

struct text_ctx {
	struct buf *raw;
};

static void add_description(const struct media_row *m, void *ctx)
{
	struct text_ctx *t = ctx;

	if (m->description[0]) {
		buf_puts(t->raw, "\n\n");
		buf_puts(t->raw, m->description);
	}
}

int filter_searchable_text(const struct post_row *p, struct buf *out)
{
	struct buf raw = BUF_INIT;
	struct text_ctx t = { &raw };
	int rc;

	if (p->spoiler_text && p->spoiler_text[0]) {
		buf_puts(&raw, p->spoiler_text);
		buf_puts(&raw, "\n\n");
	}
	if (p->title && p->title[0]) {
		buf_puts(&raw, p->title);
		buf_puts(&raw, "\n\n");
	}
	if (p->source && markdown_plain(p->source, strlen(p->source), &raw) < 0) {
		buf_release(&raw);
		return -1;
	}
	if (p->has_poll) {
		struct poll_row poll;

		if (store_poll_by_post(p->id, &poll) == STORE_OK) {
			buf_puts(&raw, "\n\n");
			buf_puts(&raw, poll.options);
			poll_row_release(&poll);
		}
	}
	if (p->has_media)
		media_list_for_post(p->id, add_description, &t);
	rc = raw.failed ? -1 : markdown_tag_key(raw.data ? raw.data : "", raw.len, out);
	buf_release(&raw);
	return rc;
}

/* ---- the viewer's set ---------------------------------------------------------- */

static void entry_release(struct filter_entry *e)
{
	size_t i;

	for (i = 0; i < e->nkws; i++)
		free(e->kws[i].folded);
	free(e->kws);
	free(e->keywords_text);
	free(e->statuses);
}

void filter_set_release(struct filter_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		entry_release(&s->items[i]);
	free(s->items);
	memset(s, 0, sizeof *s);
}

struct load_ctx {
	struct filter_set *s;
	size_t cap;
	int failed;
};

static void load_filter(const struct filter_row *f, void *ctx)
{
	struct load_ctx *l = ctx;
	struct filter_entry *e;

	if (l->failed)
		return;
	if (l->s->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 8;
		struct filter_entry *ni = realloc(l->s->items, nc * sizeof *ni);

		if (!ni) {
			l->failed = 1;
			return;
		}
		l->s->items = ni;
		l->cap = nc;
	}
	e = &l->s->items[l->s->n++];
	memset(e, 0, sizeof *e);
	e->row = *f;
	e->context = filter_context_parse(f->context);
	e->hide = !strcmp(f->action, "hide");
}

static struct filter_entry *entry_of(struct filter_set *s, int64_t filter_id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->items[i].row.id == filter_id)
			return &s->items[i];
	return NULL;
}

struct kw_ctx {
	struct filter_set *s;
	int failed;
};

/* Keywords come oldest first, grouped by nothing: append to their filter. */
static void load_keyword(const struct filter_keyword_row *k, void *ctx)
{
	struct kw_ctx *c = ctx;
	struct filter_entry *e = entry_of(c->s, k->filter_id);
	struct buf folded = BUF_INIT;
	struct filter_kw *nk;
	size_t klen = strlen(k->keyword), old = 0, i;
	char *nt;

	if (!e || c->failed || e->nkws >= FILTER_KEYWORDS_MAX)
		return;
	for (i = 0; i < e->nkws; i++)
		old += strlen(e->kws[i].original) + 1;
	nk = realloc(e->kws, (e->nkws + 1) * sizeof *nk);
	if (!nk) {
		c->failed = 1;
		return;
	}
	e->kws = nk;
	nt = realloc(e->keywords_text, old + klen + 1);
	if (!nt) {
		c->failed = 1;
		return;
	}
	/* the originals moved: point them into the new text again */
	e->keywords_text = nt;
	memcpy(nt + old, k->keyword, klen + 1);
	if (markdown_tag_key(k->keyword, klen, &folded) < 0 || !folded.data) {
		buf_release(&folded);
		c->failed = 1;
		return;
	}
	e->kws[e->nkws].len = folded.len;
	e->kws[e->nkws].folded = buf_detach(&folded, NULL);
	e->kws[e->nkws].whole_word = k->whole_word;
	e->nkws++;
	old = 0;
	for (i = 0; i < e->nkws; i++) {
		e->kws[i].original = nt + old;
		old += strlen(nt + old) + 1;
	}
	c->s->has_keywords = 1;
}

static void load_status(const struct filter_status_row *st, void *ctx)
{
	struct kw_ctx *c = ctx;
	struct filter_entry *e = entry_of(c->s, st->filter_id);
	int64_t *ns;

	if (!e || c->failed)
		return;
	ns = realloc(e->statuses, (e->nstatuses + 1) * sizeof *ns);
	if (!ns) {
		c->failed = 1;
		return;
	}
	e->statuses = ns;
	e->statuses[e->nstatuses++] = st->post_id;
}

int filter_set_load(struct filter_set *s, int64_t account_id, int64_t now_ms)
{
	struct load_ctx l = { s, 0, 0 };
	struct kw_ctx k = { s, 0 };

	memset(s, 0, sizeof *s);
	if (store_filter_list(account_id, 1, now_ms, load_filter, &l) != STORE_OK || l.failed)
		goto fail;
	if (!s->n)
		return 0;
	if (store_filter_keywords(account_id, 0, load_keyword, &k) != STORE_OK || k.failed ||
	    store_filter_statuses(account_id, 0, load_status, &k) != STORE_OK || k.failed)
		goto fail;
	return 0;
fail:
	filter_set_release(s);
	return -1;
}

unsigned filter_set_match(const struct filter_set *s, const struct post_row *proper, int64_t outer_id,
			  void (*fn)(const struct filter_hit *hit, void *ctx), void *ctx)
{
	struct buf text = BUF_INIT;
	struct filter_hit hit;
	unsigned hide = 0;
	int text_ready = 0;
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		const struct filter_entry *e = &s->items[i];

		memset(&hit, 0, sizeof hit);
		hit.filter = e;
		for (j = 0; j < e->nstatuses; j++) {
			if (e->statuses[j] == proper->id && hit.nstatuses < 2)
				hit.statuses[hit.nstatuses++] = proper->id;
			else if (outer_id != proper->id && e->statuses[j] == outer_id && hit.nstatuses < 2)
				hit.statuses[hit.nstatuses++] = outer_id;
		}
		if (e->nkws && !text_ready) {
			text_ready = 1;
			if (filter_searchable_text(proper, &text) < 0)
				buf_reset(&text);
		}
		for (j = 0; j < e->nkws; j++)
			if (text.data && filter_text_matches(text.data, text.len, e->kws[j].folded,
							     e->kws[j].len, e->kws[j].whole_word))
				hit.keywords[hit.nkeywords++] = e->kws[j].original;
		if (!hit.nkeywords && !hit.nstatuses)
			continue;
		if (e->hide)
			hide |= e->context;
		if (fn)
			fn(&hit, ctx);
	}
	buf_release(&text);
	return hide;
}
