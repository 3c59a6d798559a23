/*
 * params.h - request parameters as one multimap, whatever they came in.
 *
 * Query strings, application/x-www-form-urlencoded bodies, the non-file
 * fields of multipart/form-data bodies and JSON bodies all end up as a
 * list of (key, value) pairs, so a handler reads `params_get(p, "scope")`
 * without caring how the client sent it (Mastodon clients use all four).
 *
 * Arrays: `key[]=a&key[]=b`, `key[0]=a&key[1]=b` and the JSON
 * `{"key": ["a", "b"]}` (or `{"key[]": ["a", "b"]}`) all become two pairs
 * under the key "key[]", in form, multipart and JSON bodies and queries.
 * Nested JSON objects flatten to bracketed keys: {"source": {"privacy":
 * "private"}} becomes "source[privacy]". JSON true/false become "true" /
 * "false", numbers their text, null is skipped.
 *
 * Ownership: the multimap owns copies of every key and value;
 * params_release() frees them.
 */
#ifndef PARLEY_HTTP_PARAMS_H
#define PARLEY_HTTP_PARAMS_H

#include <jansson.h>
#include <stddef.h>

#define PARAMS_MAX 1000 /* pairs per request; more is refused */

struct param {
	char *key;
	char *value; /* NUL-terminated; len excludes the NUL */
	size_t len;
};

struct params {
	struct param *items;
	size_t n, cap;
};

void params_init(struct params *p);
void params_release(struct params *p);

/* Add a pair, normalising "key[N]" to "key[]". -1 when out of memory,
 * past PARAMS_MAX, or when the key or value is not valid UTF-8 (or holds
 * a NUL byte): parameters are always text. */
int params_add(struct params *p, const char *key, size_t klen, const char *val, size_t vlen);
/* For values that arrive in pieces (multipart): add a pair without the
 * UTF-8 check, append to the last pair's value, and check every pair once
 * the body is complete with params_valid(). -1 when out of memory. */
int params_add_raw(struct params *p, const char *key, size_t klen, const char *val, size_t vlen);
int params_append_last(struct params *p, const char *val, size_t vlen);

/* 1 when every key and value is valid UTF-8 without NUL bytes. */
int params_valid(const struct params *p);

/* First value under key, or NULL. */
const char *params_get(const struct params *p, const char *key);
/* Like params_get, but NULL also for an empty value. */
const char *params_get_nonempty(const struct params *p, const char *key);
/* Values of an array parameter: collects "key[]" pairs and, failing
 * those, a plain "key" pair. Returns how many were found (up to max). */
size_t params_get_array(const struct params *p, const char *key, const char **out, size_t max);
/* A boolean, in any letter case: true/1/on/yes/t -> 1; false/0/off/no/f
 * and "" -> 0 (Rails' spellings); missing -> def; anything else -> -1. */
int params_get_bool(const struct params *p, const char *key, int def);

/* Parse "a=1&b=%20x" (also '+' for space). -1 on a malformed %-escape
 * or too many pairs. */
int params_parse_urlencoded(struct params *p, const char *s, size_t len);
/* Flatten a JSON object. -1 when it is not an object or too deep. */
int params_from_json(struct params *p, const json_t *obj);

/* Percent-encode s into out (for building URLs). */
struct buf;
int url_encode(struct buf *out, const char *s);

#endif
