/*
 * vcard.h - writing vCard 4.0 (RFC 6350), the "living business card".
 *
 * A card is built into a struct buf: vcard_begin(), properties, then
 * vcard_end(). Every content line ends with CRLF and is folded so that no
 * line is longer than 75 octets: the break goes before a character (never
 * inside a UTF-8 sequence) and the continuation line starts with one
 * space, as section 3.2 says.
 *
 * Values are escaped as section 3.4 says for text: '\' as "\\", ',' as
 * "\,", ';' as "\;" and a line break (CRLF, LF or CR) as "\n". Other
 * control characters become spaces. In a structured value
 * (vcard_prop_parts: N, ADR, ORG) the components are joined by unescaped
 * ';'; in a list (vcard_prop_list: CATEGORIES, NICKNAME) by unescaped ','.
 * URI values (vcard_prop_uri: URL, PHOTO, SOURCE, tel: and mailto: forms)
 * are not text: they are written as given, minus control characters.
 *
 * `params` is written as given after the name (";TYPE=work"): callers pass
 * constant strings, never user input.
 *
 * Each function returns 0, or -1 when the buffer fails (see buf.h).
 */
#ifndef PARLEY_LIB_VCARD_H
#define PARLEY_LIB_VCARD_H

#include <stddef.h>

#include "lib/buf.h"

int vcard_begin(struct buf *out);
int vcard_end(struct buf *out);

/* NAME[params]:escaped value. Nothing is written for NULL or "". */
int vcard_prop(struct buf *out, const char *name, const char *params, const char *value);
/* Components joined by ';', each escaped (empty ones allowed). */
int vcard_prop_parts(struct buf *out, const char *name, const char *params,
		     const char *const *parts, size_t n);
/* Values joined by ',', each escaped. Nothing for n == 0. */
int vcard_prop_list(struct buf *out, const char *name, const char *params,
		    const char *const *values, size_t n);
/* A URI value, unescaped. Nothing for NULL or "". */
int vcard_prop_uri(struct buf *out, const char *name, const char *params, const char *uri);

/* Escape s as a vCard text value into out (no folding). */
int vcard_escape(struct buf *out, const char *s);

#endif
