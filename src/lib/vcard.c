/*
 * vcard.c - vCard 4.0 writing (see vcard.h).
 *
 * A property is first built whole in a scratch buffer (name, parameters,
 * ':', value), then copied into the output with folding.
 */
#include "lib/vcard.h"

#include <string.h>

#define FOLD_AT 75

/* Copy one logical line into out, folded, with its CRLF. */
static int put_folded(struct buf *out, const struct buf *line)
{
	size_t i = 0, col = 0;

	while (i < line->len) {
		size_t clen = 1;
		unsigned char c = (unsigned char)line->data[i];

		if (c >= 0xf0)
			clen = 4;
		else if (c >= 0xe0)
			clen = 3;
		else if (c >= 0xc0)
			clen = 2;
		if (i + clen > line->len)
			clen = line->len - i;
		/* a continuation line's leading space counts in its 75 octets */
		if (col + clen > FOLD_AT) {
			buf_puts(out, "\r\n ");
			col = 1;
		}
		buf_append(out, line->data + i, clen);
		col += clen;
		i += clen;
	}
	buf_puts(out, "\r\n");
	return out->failed ? -1 : 0;
}

int vcard_escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '\\': buf_puts(out, "\\\\"); break;
		case ',': buf_puts(out, "\\,"); break;
		case ';': buf_puts(out, "\\;"); break;
		case '\r':
			if (s[1] == '\n')
				s++;
			/* fall through */
		case '\n': buf_puts(out, "\\n"); break;
		default:
			buf_putc(out, (char)(c < 0x20 || c == 0x7f ? ' ' : c));
		}
	}
	return out->failed ? -1 : 0;
}

static void head(struct buf *line, const char *name, const char *params)
{
	buf_puts(line, name);
	if (params)
		buf_puts(line, params);
	buf_putc(line, ':');
}

static int finish(struct buf *out, struct buf *line)
{
	int rc = line->failed ? -1 : put_folded(out, line);

	buf_release(line);
	return rc;
}

int vcard_begin(struct buf *out)
{
	return buf_puts(out, "BEGIN:VCARD\r\nVERSION:4.0\r\n");
}

int vcard_end(struct buf *out)
{
	return buf_puts(out, "END:VCARD\r\n");
}

int vcard_prop(struct buf *out, const char *name, const char *params, const char *value)
{
	struct buf line = BUF_INIT;

	if (!value || !*value)
		return 0;
	head(&line, name, params);
	vcard_escape(&line, value);
	return finish(out, &line);
}

static int joined(struct buf *out, const char *name, const char *params,
		  const char *const *v, size_t n, char sep)
{
	struct buf line = BUF_INIT;
	size_t i;

	head(&line, name, params);
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&line, sep);
		vcard_escape(&line, v[i] ? v[i] : "");
	}
	return finish(out, &line);
}

int vcard_prop_parts(struct buf *out, const char *name, const char *params,
		     const char *const *parts, size_t n)
{
	return joined(out, name, params, parts, n, ';');
}

int vcard_prop_list(struct buf *out, const char *name, const char *params,
		    const char *const *values, size_t n)
{
	return n ? joined(out, name, params, values, n, ',') : 0;
}

int vcard_prop_uri(struct buf *out, const char *name, const char *params, const char *uri)
{
	struct buf line = BUF_INIT;
	const char *s;

	if (!uri || !*uri)
		return 0;
	head(&line, name, params);
	for (s = uri; *s; s++)
		if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			buf_putc(&line, *s);
	return finish(out, &line);
}
