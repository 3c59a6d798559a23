/*
 * tmpl.h - the HTML template engine (a small Mustache dialect).
 *
 * Every HTML page Parley serves is rendered from a template compiled into
 * the binary (see lib/embed.h) and a JSON context. Output is HTML-escaped
 * by default; only {{&name}} writes a value raw, and it is meant only for
 * HTML the server has already sanitised.
 *
 * Syntax:
 *   {{name}}            value, HTML-escaped; {{a.b.c}} follows a dotted
 *                       path, {{.}} is the current item. Strings print as
 *                       they are, integers and reals as numbers, true as
 *                       "true"; false, null, missing, objects and arrays
 *                       print nothing.
 *   {{&name}}           value, raw (not escaped).
 *   {{#name}}..{{/name}} array: the body once per element, with the element
 *                       pushed on the context stack; object: once, pushed;
 *                       true, a non-empty string, a non-zero number: once,
 *                       nothing pushed; false, null, missing, [], "", 0:
 *                       nothing.
 *   {{^name}}..{{/name}} the body once, only when {{#name}} would render
 *                       nothing.
 *   {{> partial}}       templates/partial.html, with the current context.
 *   {{! comment }}      nothing.
 * Spaces are allowed inside tags: {{ name }}, {{# name }}. A name is made
 * of letters, digits, '_' and '-' segments joined by single dots (or is
 * "."); a partial name of letters, digits, '_', '-' and '/'. Anything else
 * (including the unsupported {{{name}}} and {{=<% %>=}}) is a syntax error.
 * Names are looked up innermost context first: the first object on the
 * stack holding the path's first segment wins, and the rest of the path is
 * followed inside it only.
 *
 * Limits: at most TMPL_MAX_DEPTH nested sections (counted across partials,
 * and whether or not the section renders) and TMPL_MAX_PARTIALS nested
 * partials; deeper is an error, so rendering never recurses or loops
 * without bound.
 *
 * Escaping covers element content and quoted attribute values. Never put
 * a value in an unquoted attribute, a URL scheme position, or a <script>.
 */
#ifndef PARLEY_WEB_TMPL_H
#define PARLEY_WEB_TMPL_H

#include <stddef.h>

#include <jansson.h>

#include "lib/buf.h"
#include "lib/html.h"

#define TMPL_MAX_DEPTH 32
#define TMPL_MAX_PARTIALS 16

/*
 * Render template source `src` (len bytes, need not be NUL-terminated)
 * with context `ctx` (a JSON object; may be NULL, which renders every name
 * as missing) into `out`, appending to whatever `out` already holds.
 * Partials are looked up through embed_find("templates/<name>.html").
 *
 * Returns 0, or -1 on a syntax error (unclosed tag or section, mismatched
 * or unexpected section close, bad tag name, unknown partial, nesting
 * deeper than the limits above) or when `out` fails (its cap). Errors are
 * detected as the template is rendered, so a syntax error inside a
 * section that renders nothing is still reported, but an unknown partial
 * there is not. On error, `out` is cut back to the length it had on entry
 * (its failed flag stays set if it failed), and a message
 * "<template>:<line>: <what>" is written to `err` when err is non-NULL
 * (at most errlen bytes, NUL-terminated).
 *
 * `ctx` is borrowed, never modified or freed. Nothing needs freeing
 * afterwards besides `out`, which the caller owns.
 */
int tmpl_render_string(struct buf *out, const char *src, size_t len,
		       json_t *ctx, char *err, size_t errlen);

/*
 * Same as tmpl_render_string(), with the template found by
 * embed_find("templates/<name>.html"). Returns -1 (with a message) if
 * there is no such template, besides the errors above.
 */
int tmpl_render(struct buf *out, const char *name, json_t *ctx,
		char *err, size_t errlen);

#endif
