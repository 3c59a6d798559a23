/*
 * tmpl.c - the HTML template engine (see tmpl.h for the syntax).
 *
 * Templates are rendered straight from their source, with no parse tree:
 * one loop walks the text, copies literal runs, and acts on each {{tag}}.
 * Open sections and partials live on an explicit, fixed-size frame stack
 * rather than on the C stack, so nothing recurses:
 *  - a section that renders pushes a frame remembering where its body
 *    starts; at its close tag the loop either jumps back to the body (next
 *    array element) or pops the frame;
 *  - a section that renders nothing is skipped by skip_section(), which
 *    still checks the tags inside it (with its own bounded name stack);
 *  - a partial pushes a frame remembering the including template's source
 *    and position, restored when the partial's text runs out.
 * Each byte of a template is thus looked at a bounded number of times per
 * time it is rendered, so rendering is linear in the size of the output
 * plus the size of the template text visited.
 *
 * The context stack holds borrowed json_t pointers; no reference counts
 * are taken because the caller's context outlives the render.
 */
#include "web/tmpl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/embed.h"

/* Longest partial or template name accepted (the path adds 15 bytes). */
#define TMPL_NAME_MAX 200

enum tag_kind {
	TAG_VAR,	/* {{name}} */
	TAG_RAW,	/* {{&name}} */
	TAG_SECTION,	/* {{#name}} */
	TAG_INVERTED,	/* {{^name}} */
	TAG_CLOSE,	/* {{/name}} */
	TAG_PARTIAL,	/* {{> name}} */
	TAG_COMMENT,	/* {{! ... }} */
};

struct tag {
	enum tag_kind kind;
	const char *name;	/* points into the source; not NUL-terminated */
	size_t nlen;
	size_t end;		/* offset just past the closing }} */
};

enum frame_kind {
	FRAME_SECTION,
	FRAME_PARTIAL,
};

struct frame {
	enum frame_kind kind;
	/* FRAME_SECTION */
	const char *name;	/* into the source of the section's template */
	size_t nlen;
	size_t open;		/* offset of the opening tag, for messages */
	size_t body;		/* offset just past the opening tag */
	json_t *arr;		/* array being iterated, or NULL */
	size_t idx;		/* current element of arr */
	int pushed;		/* this section pushed one context entry */
	/* FRAME_PARTIAL: the including template, to resume */
	const char *psrc;
	size_t plen;
	size_t ppos;
	const char *pname;
};

struct render {
	struct buf *out;
	const char *src;	/* template being read */
	size_t len;
	size_t pos;
	const char *srcname;	/* for messages */
	json_t *ctx[TMPL_MAX_DEPTH + 1];	/* root + one per section */
	size_t nctx;
	struct frame frames[TMPL_MAX_DEPTH + TMPL_MAX_PARTIALS];
	size_t nframes;
	size_t nsections;
	size_t npartials;
	char *err;
	size_t errlen;
};

/*
 * Record an error found at byte `off` of the current template as
 * "<name>:<line>: <message>" in st->err (if any). Always returns -1 so
 * callers can `return fail(...)`.
 */
static int fail(struct render *st, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct render *st, size_t off, const char *fmt, ...)
{
	va_list ap;
	size_t i, line = 1;
	int n;

	if (!st->err || st->errlen == 0)
		return -1;
	if (off > st->len)
		off = st->len;
	for (i = 0; i < off; i++)
		if (st->src[i] == '\n')
			line++;
	n = snprintf(st->err, st->errlen, "%s:%zu: ", st->srcname, line);
	if (n < 0 || (size_t)n >= st->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(st->err + n, st->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Message for a failed write to out; returns -1. */
static int fail_out(struct render *st)
{
	return fail(st, st->pos, "output exceeds its size limit");
}

/* Names in messages are clipped so one message never floods the log. */
static int clip(size_t n)
{
	return n > 64 ? 64 : (int)n;
}

/* Offset of the next "{{" at or after `from`, or len when there is none. */
static size_t find_open(const char *s, size_t len, size_t from)
{
	while (from + 1 < len) {
		const char *p = memchr(s + from, '{', len - from - 1);

		if (!p)
			break;
		from = (size_t)(p - s);
		if (s[from + 1] == '{')
			return from;
		from++;
	}
	return len;
}

/* Offset of the next "}}" at or after `from`, or len when there is none. */
static size_t find_close(const char *s, size_t len, size_t from)
{
	while (from + 1 < len) {
		const char *p = memchr(s + from, '}', len - from - 1);

		if (!p)
			break;
		from = (size_t)(p - s);
		if (s[from + 1] == '}')
			return from;
		from++;
	}
	return len;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* "." or word segments joined by single dots. */
static int valid_path(const char *s, size_t n)
{
	size_t i;
	int need_word = 1;

	if (n == 1 && s[0] == '.')
		return 1;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (need_word)
				return 0;
			need_word = 1;
		} else if (is_word(s[i])) {
			need_word = 0;
		} else {
			return 0;
		}
	}
	return !need_word;
}

/* Words and slashes, non-empty and not too long for the path buffer. */
static int valid_partial(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > TMPL_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_word(s[i]) && s[i] != '/')
			return 0;
	return 1;
}

/*
 * Parse the tag whose "{{" is at offset `at` of the current template into
 * *t. Fails (with a message) on a missing "}}", an empty tag or a bad name.
 */
static int parse_tag(struct render *st, size_t at, struct tag *t)
{
	const char *s = st->src;
	size_t p = at + 2, e = find_close(s, st->len, p);

	if (e >= st->len)
		return fail(st, at, "unclosed tag");
	t->end = e + 2;
	while (p < e && is_space(s[p]))
		p++;
	if (p == e)
		return fail(st, at, "empty tag");
	switch (s[p]) {
	case '!':
		t->kind = TAG_COMMENT;
		t->name = s + p;
		t->nlen = 0;
		return 0;
	case '&':
		t->kind = TAG_RAW;
		p++;
		break;
	case '#':
		t->kind = TAG_SECTION;
		p++;
		break;
	case '^':
		t->kind = TAG_INVERTED;
		p++;
		break;
	case '/':
		t->kind = TAG_CLOSE;
		p++;
		break;
	case '>':
		t->kind = TAG_PARTIAL;
		p++;
		break;
	default:
		t->kind = TAG_VAR;
		break;
	}
	while (p < e && is_space(s[p]))
		p++;
	while (e > p && is_space(s[e - 1]))
		e--;
	t->name = s + p;
	t->nlen = e - p;
	if (t->kind == TAG_PARTIAL ? !valid_partial(t->name, t->nlen)
				   : !valid_path(t->name, t->nlen))
		return fail(st, at, "bad name in tag \"%.*s\"",
			    clip(t->end - at), s + at);
	return 0;
}

/*
 * Look a dotted path up on the context stack. Returns a borrowed value,
 * or NULL when missing.
 */
static json_t *lookup(const struct render *st, const char *name, size_t n)
{
	const char *seg = name, *end = name + n, *dot;
	json_t *v = NULL;
	size_t i;

	if (n == 1 && name[0] == '.')
		return st->nctx ? st->ctx[st->nctx - 1] : NULL;
	dot = memchr(seg, '.', n);
	if (!dot)
		dot = end;
	for (i = st->nctx; i-- > 0;) {
		if (json_is_object(st->ctx[i])) {
			v = json_object_getn(st->ctx[i], seg, (size_t)(dot - seg));
			if (v)
				break;
		}
	}
	while (v && dot < end) {
		seg = dot + 1;
		dot = memchr(seg, '.', (size_t)(end - seg));
		if (!dot)
			dot = end;
		if (!json_is_object(v))
			return NULL;
		v = json_object_getn(v, seg, (size_t)(dot - seg));
	}
	return v;
}

/*
 * Append a real in its shortest form that reads back exactly (2.0 gives
 * "2", 0.1 gives "0.1"). Returns the buf status.
 */
static int put_real(struct buf *out, double d)
{
	char tmp[40];
	int prec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	snprintf(tmp, sizeof tmp, "%.*g", prec, d);
	return buf_puts(out, tmp);
}

/*
 * Write a value for {{name}} (escape set) or {{&name}}; v NULL (missing)
 * writes nothing. Returns the buf status.
 */
static int put_value(struct buf *out, json_t *v, int escape)
{
	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (escape)
			return html_escape(out, json_string_value(v),
					   json_string_length(v));
		return buf_append(out, json_string_value(v),
				  json_string_length(v));
	case JSON_INTEGER:
		return buf_printf(out, "%" JSON_INTEGER_FORMAT,
				  json_integer_value(v));
	case JSON_REAL:
		return put_real(out, json_real_value(v));
	case JSON_TRUE:
		return buf_puts(out, "true");
	default:
		return 0;
	}
}

/* Whether {{#name}} renders its body for v (NULL: missing). */
static int truthy(json_t *v)
{
	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_OBJECT:
	case JSON_TRUE:
		return 1;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	default:
		return 0;
	}
}

static int same_name(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

/*
 * Skip the body of the section named (name, nlen), opened by the tag at
 * `open`, starting at *pos (just past that tag). The tags inside are
 * checked but do nothing. On success *pos is just past the matching close
 * tag. Fails on any syntax error, an unclosed or mismatched section, or
 * nesting deeper than TMPL_MAX_DEPTH (the skipped section counts).
 */
static int skip_section(struct render *st, const char *name, size_t nlen,
			size_t open, size_t *pos)
{
	const char *names[TMPL_MAX_DEPTH];
	size_t lens[TMPL_MAX_DEPTH];
	size_t n = 0, p = *pos, room = TMPL_MAX_DEPTH - st->nsections - 1;
	struct tag t;

	for (;;) {
		p = find_open(st->src, st->len, p);
		if (p >= st->len)
			return fail(st, open, "unclosed section \"%.*s\"",
				    clip(nlen), name);
		if (parse_tag(st, p, &t) < 0)
			return -1;
		if (t.kind == TAG_SECTION || t.kind == TAG_INVERTED) {
			if (n >= room)
				return fail(st, p, "sections nested deeper than %d",
					    TMPL_MAX_DEPTH);
			names[n] = t.name;
			lens[n] = t.nlen;
			n++;
		} else if (t.kind == TAG_CLOSE) {
			const char *want = n ? names[n - 1] : name;
			size_t wlen = n ? lens[n - 1] : nlen;

			if (!same_name(t.name, t.nlen, want, wlen))
				return fail(st, p, "{{/%.*s}} closes {{#%.*s}}",
					    clip(t.nlen), t.name,
					    clip(wlen), want);
			if (n == 0) {
				*pos = t.end;
				return 0;
			}
			n--;
		}
		p = t.end;
	}
}

/* Handle {{#name}} / {{^name}} at `at`. */
static int open_section(struct render *st, size_t at, const struct tag *t)
{
	json_t *v;
	struct frame *f;
	int render;

	if (st->nsections >= TMPL_MAX_DEPTH)
		return fail(st, at, "sections nested deeper than %d",
			    TMPL_MAX_DEPTH);
	v = lookup(st, t->name, t->nlen);
	render = truthy(v);
	if (t->kind == TAG_INVERTED)
		render = !render;
	if (!render)
		return skip_section(st, t->name, t->nlen, at, &st->pos);

	f = &st->frames[st->nframes++];
	st->nsections++;
	f->kind = FRAME_SECTION;
	f->name = t->name;
	f->nlen = t->nlen;
	f->open = at;
	f->body = t->end;
	f->arr = NULL;
	f->idx = 0;
	f->pushed = 0;
	if (t->kind == TAG_SECTION && json_is_array(v)) {
		f->arr = v;
		f->pushed = 1;
		st->ctx[st->nctx++] = json_array_get(v, 0);
	} else if (t->kind == TAG_SECTION && json_is_object(v)) {
		f->pushed = 1;
		st->ctx[st->nctx++] = v;
	}
	return 0;
}

/* Handle {{/name}} at `at`: next array element, or leave the section. */
static int close_section(struct render *st, size_t at, const struct tag *t)
{
	struct frame *f;

	if (st->nframes == 0 || st->frames[st->nframes - 1].kind != FRAME_SECTION)
		return fail(st, at, "{{/%.*s}} closes no section",
			    clip(t->nlen), t->name);
	f = &st->frames[st->nframes - 1];
	if (!same_name(t->name, t->nlen, f->name, f->nlen))
		return fail(st, at, "{{/%.*s}} closes {{#%.*s}}",
			    clip(t->nlen), t->name, clip(f->nlen), f->name);
	if (f->arr && f->idx + 1 < json_array_size(f->arr)) {
		f->idx++;
		st->ctx[st->nctx - 1] = json_array_get(f->arr, f->idx);
		st->pos = f->body;
		return 0;
	}
	if (f->pushed)
		st->nctx--;
	st->nframes--;
	st->nsections--;
	return 0;
}

/* Handle {{> name}} at `at`: switch to the partial's source. */
static int open_partial(struct render *st, size_t at, const struct tag *t)
{
	char path[TMPL_NAME_MAX + 32];
	const struct embedded_file *ef;
	struct frame *f;
	int n;

	if (st->npartials >= TMPL_MAX_PARTIALS)
		return fail(st, at, "partials nested deeper than %d",
			    TMPL_MAX_PARTIALS);
	n = snprintf(path, sizeof path, "templates/%.*s.html",
		     (int)t->nlen, t->name);
	if (n < 0 || (size_t)n >= sizeof path)
		return fail(st, at, "partial name too long");
	ef = embed_find(path);
	if (!ef)
		return fail(st, at, "unknown partial \"%.*s\"",
			    clip(t->nlen), t->name);

	f = &st->frames[st->nframes++];
	st->npartials++;
	f->kind = FRAME_PARTIAL;
	f->psrc = st->src;
	f->plen = st->len;
	f->ppos = t->end;
	f->pname = st->srcname;
	st->src = (const char *)ef->data;
	st->len = ef->len;
	st->pos = 0;
	st->srcname = ef->name;
	return 0;
}

/*
 * The current template ran out: return from a partial, or finish. Sets
 * *done when the whole render is complete. Fails if a section opened in
 * this template is still open.
 */
static int end_of_source(struct render *st, int *done)
{
	struct frame *f;

	if (st->nframes == 0) {
		*done = 1;
		return 0;
	}
	f = &st->frames[st->nframes - 1];
	if (f->kind == FRAME_SECTION)
		return fail(st, f->open, "unclosed section \"%.*s\"",
			    clip(f->nlen), f->name);
	st->src = f->psrc;
	st->len = f->plen;
	st->pos = f->ppos;
	st->srcname = f->pname;
	st->nframes--;
	st->npartials--;
	return 0;
}

/* The main loop; see the file comment. */
static int run(struct render *st)
{
	struct tag t;
	int done = 0;

	while (!done) {
		size_t at;

		if (st->pos >= st->len) {
			if (end_of_source(st, &done) < 0)
				return -1;
			continue;
		}
		at = find_open(st->src, st->len, st->pos);
		if (buf_append(st->out, st->src + st->pos, at - st->pos) < 0)
			return fail_out(st);
		st->pos = at;
		if (at >= st->len)
			continue;
		if (parse_tag(st, at, &t) < 0)
			return -1;
		st->pos = t.end;
		switch (t.kind) {
		case TAG_VAR:
		case TAG_RAW:
			if (put_value(st->out, lookup(st, t.name, t.nlen),
				      t.kind == TAG_VAR) < 0)
				return fail_out(st);
			break;
		case TAG_SECTION:
		case TAG_INVERTED:
			if (open_section(st, at, &t) < 0)
				return -1;
			break;
		case TAG_CLOSE:
			if (close_section(st, at, &t) < 0)
				return -1;
			break;
		case TAG_PARTIAL:
			if (open_partial(st, at, &t) < 0)
				return -1;
			break;
		case TAG_COMMENT:
			break;
		}
	}
	return 0;
}

/* Set up a render of one template source and run it (see tmpl.h). */
static int render_source(struct buf *out, const char *src, size_t len,
			 const char *srcname, json_t *ctx,
			 char *err, size_t errlen)
{
	struct render st;
	size_t start = out->len;

	memset(&st, 0, sizeof st);
	st.out = out;
	st.src = src;
	st.len = len;
	st.pos = 0;
	st.srcname = srcname;
	st.ctx[0] = ctx;
	st.nctx = 1;
	st.err = err;
	st.errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	if (run(&st) < 0) {
		/* cut the output back; keep the failed flag if out failed */
		if (out->len > start) {
			out->len = start;
			if (out->data)
				out->data[start] = '\0';
		}
		return -1;
	}
	return 0;
}

int tmpl_render_string(struct buf *out, const char *src, size_t len,
		       json_t *ctx, char *err, size_t errlen)
{
	return render_source(out, src, len, "template", ctx, err, errlen);
}

int tmpl_render(struct buf *out, const char *name, json_t *ctx,
		char *err, size_t errlen)
{
	char path[TMPL_NAME_MAX + 32];
	const struct embedded_file *ef;
	int n;

	n = snprintf(path, sizeof path, "templates/%s.html", name);
	if (n < 0 || (size_t)n >= sizeof path) {
		if (err && errlen)
			snprintf(err, errlen, "template name too long");
		return -1;
	}
	ef = embed_find(path);
	if (!ef) {
		if (err && errlen)
			snprintf(err, errlen, "unknown template \"%s\"", path);
		return -1;
	}
	return render_source(out, (const char *)ef->data, ef->len, ef->name, ctx, err, errlen);
}
