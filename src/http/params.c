/*
 * params.c - the request parameter multimap (see params.h).
 */
#include "http/params.h"
#include "lib/buf.h"
#include "lib/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void params_init(struct params *p)
{
	p->items = NULL;
	p->n = p->cap = 0;
}

void params_release(struct params *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->items[i].key);
		free(p->items[i].value);
	}
	free(p->items);
	params_init(p);
}

/* "key[12]" -> "key[]"; other keys are kept as they are. */
static size_t normalise_key(const char *key, size_t klen, char *out, size_t n)
{
	size_t i;

	if (klen >= n)
		klen = n - 1;
	memcpy(out, key, klen);
	out[klen] = '\0';
	if (klen >= 3 && out[klen - 1] == ']') {
		i = klen - 2;
		while (i > 0 && out[i] >= '0' && out[i] <= '9')
			i--;
		if (out[i] == '[' && i < klen - 2) {
			out[i + 1] = ']';
			out[i + 2] = '\0';
			return i + 2;
		}
	}
	return klen;
}

int params_add(struct params *p, const char *key, size_t klen, const char *val, size_t vlen)
{
	if (!utf8_valid(key, klen) || !utf8_valid(val, vlen))
		return -1;
	return params_add_raw(p, key, klen, val, vlen);
}

int params_valid(const struct params *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!utf8_valid(p->items[i].key, strlen(p->items[i].key)) ||
		    !utf8_valid(p->items[i].value, p->items[i].len))
			return 0;
	return 1;
}

int params_add_raw(struct params *p, const char *key, size_t klen, const char *val, size_t vlen)
{
	char nk[256];
	struct param *it;

	if (p->n >= PARAMS_MAX)
		return -1;
	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 16;
		struct param *ni = realloc(p->items, ncap * sizeof *ni);

		if (!ni)
			return -1;
		p->items = ni;
		p->cap = ncap;
	}
	klen = normalise_key(key, klen, nk, sizeof nk);
	it = &p->items[p->n];
	it->key = malloc(klen + 1);
	it->value = malloc(vlen + 1);
	if (!it->key || !it->value) {
		free(it->key);
		free(it->value);
		return -1;
	}
	memcpy(it->key, nk, klen + 1);
	if (vlen)
		memcpy(it->value, val, vlen);
	it->value[vlen] = '\0';
	it->len = vlen;
	p->n++;
	return 0;
}

int params_append_last(struct params *p, const char *val, size_t vlen)
{
	struct param *it;
	char *nv;

	if (!p->n)
		return -1;
	it = &p->items[p->n - 1];
	nv = realloc(it->value, it->len + vlen + 1);
	if (!nv)
		return -1;
	memcpy(nv + it->len, val, vlen);
	it->len += vlen;
	nv[it->len] = '\0';
	it->value = nv;
	return 0;
}

const char *params_get(const struct params *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->items[i].key, key))
			return p->items[i].value;
	return NULL;
}

const char *params_get_nonempty(const struct params *p, const char *key)
{
	const char *v = params_get(p, key);

	return v && *v ? v : NULL;
}

size_t params_get_array(const struct params *p, const char *key, const char **out, size_t max)
{
	char ak[258];
	size_t i, n = 0;

	snprintf(ak, sizeof ak, "%s[]", key);
	for (i = 0; i < p->n && n < max; i++)
		if (!strcmp(p->items[i].key, ak))
			out[n++] = p->items[i].value;
	if (n == 0 && max > 0) {
		const char *v = params_get(p, key);

		if (v)
			out[n++] = v;
	}
	return n;
}

int params_get_bool(const struct params *p, const char *key, int def)
{
	const char *v = params_get(p, key);

	if (!v)
		return def;
	if (!strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "on") || !strcasecmp(v, "yes") ||
	    !strcasecmp(v, "t"))
		return 1;
	if (!strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "off") || !strcasecmp(v, "no") ||
	    !strcasecmp(v, "f") || !*v)
		return 0;
	return -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s (len bytes) into dst (at least len + 1 bytes). Returns the
 * decoded length, or -1 on a truncated or non-hex %-escape. */
static long url_decode(const char *s, size_t len, char *dst)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '+') {
			dst[o++] = ' ';
		} else if (s[i] == '%') {
			int h, l;

			if (i + 2 >= len)
				return -1;
			h = hexval(s[i + 1]);
			l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			dst[o++] = (char)(h * 16 + l);
			i += 2;
		} else {
			dst[o++] = s[i];
		}
	}
	dst[o] = '\0';
	return (long)o;
}

int params_parse_urlencoded(struct params *p, const char *s, size_t len)
{
	size_t pos = 0;
	char *tmp = malloc(len + 1);
	int rc = 0;

	if (!tmp)
		return -1;
	while (pos < len && rc == 0) {
		const char *pair = s + pos, *amp = memchr(pair, '&', len - pos), *eq;
		size_t plen = amp ? (size_t)(amp - pair) : len - pos;
		long kl, vl;
		char *kbuf;

		pos += plen + 1;
		if (!plen)
			continue;
		eq = memchr(pair, '=', plen);
		kbuf = tmp;
		kl = url_decode(pair, eq ? (size_t)(eq - pair) : plen, kbuf);
		if (kl < 0) {
			rc = -1;
			break;
		}
		if (eq) {
			char *vbuf = malloc(plen + 1);

			if (!vbuf) {
				rc = -1;
				break;
			}
			vl = url_decode(eq + 1, plen - (size_t)(eq + 1 - pair), vbuf);
			if (vl < 0 || params_add(p, kbuf, (size_t)kl, vbuf, (size_t)vl) < 0)
				rc = -1;
			free(vbuf);
		} else if (params_add(p, kbuf, (size_t)kl, "", 0) < 0) {
			rc = -1;
		}
	}
	free(tmp);
	return rc;
}

static int flatten(struct params *p, const char *prefix, const json_t *v, int depth)
{
	char key[256], num[64];
	const char *k;
	json_t *item;
	size_t i, plen;

	if (depth > 8)
		return -1;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, k, item) {
			if (*prefix)
				snprintf(key, sizeof key, "%s[%s]", prefix, k);
			else
				snprintf(key, sizeof key, "%s", k);
			if (flatten(p, key, item, depth + 1) < 0)
				return -1;
		}
		return 0;
	case JSON_ARRAY:
		json_array_foreach(v, i, item) {
			if (json_is_object(item)) {
				/* arrays of objects keep their index: fields[0][name] */
				snprintf(key, sizeof key, "%s[%zu]", prefix, i);
				if (flatten(p, key, item, depth + 1) < 0)
					return -1;
				continue;
			}
			/* {"ids[]": [...]} as some clients send it: one "[]" */
			plen = strlen(prefix);
			if (plen >= 2 && !strcmp(prefix + plen - 2, "[]"))
				snprintf(key, sizeof key, "%s", prefix);
			else
				snprintf(key, sizeof key, "%s[]", prefix);
			if (flatten(p, key, item, depth + 1) < 0)
				return -1;
		}
		return 0;
	case JSON_STRING:
		return params_add(p, prefix, strlen(prefix), json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return params_add(p, prefix, strlen(prefix), num, strlen(num));
	case JSON_REAL:
		snprintf(num, sizeof num, "%.17g", json_real_value(v));
		return params_add(p, prefix, strlen(prefix), num, strlen(num));
	case JSON_TRUE:
		return params_add(p, prefix, strlen(prefix), "true", 4);
	case JSON_FALSE:
		return params_add(p, prefix, strlen(prefix), "false", 5);
	case JSON_NULL:
		return 0;
	}
	return 0;
}

int params_from_json(struct params *p, const json_t *obj)
{
	if (!json_is_object(obj))
		return -1;
	return flatten(p, "", obj, 0);
}

int url_encode(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[c >> 4]);
			buf_putc(out, hex[c & 15]);
		}
	}
	return out->failed ? -1 : 0;
}
