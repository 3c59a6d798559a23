/*
 * utf8.c - UTF-8 validation (see utf8.h), after the table in RFC 3629.
 */
#include "lib/utf8.h"

#include <string.h>

int utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		unsigned lo = 0x80, hi = 0xBF;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0;      /* no overlong forms */
			else if (c == 0xED)
				hi = 0x9F;      /* no surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;      /* nothing above U+10FFFF */
		} else {
			return 0;
		}
		if (i + n >= len)
			return 0;
		for (k = 1; k <= n; k++) {
			unsigned char cc = s[i + k];

			if (k == 1 ? (cc < lo || cc > hi) : (cc < 0x80 || cc > 0xBF))
				return 0;
		}
		i += n + 1;
	}
	return 1;
}

/* Length of the well-formed character at s (at most avail bytes), or 0. */
static size_t char_len(const char *s, size_t avail)
{
	size_t n;

	if (!avail)
		return 0;
	for (n = 1; n <= 4 && n <= avail; n++)
		if (utf8_valid(s, n))
			return n;
	return 0;
}

void utf8_copy(char *dst, size_t n, const char *src)
{
	size_t o = 0, left = strlen(src);

	if (!n)
		return;
	while (*src) {
		size_t cl = char_len(src, left);

		if (cl == 0) {
			if (o + 1 >= n)
				break;
			dst[o++] = '?';
			src++;
			left--;
			continue;
		}
		if (o + cl >= n)
			break;
		if (cl == 1 && ((unsigned char)*src < 0x20 || *src == 0x7f))
			dst[o++] = ' ';
		else
			memcpy(dst + o, src, cl), o += cl;
		src += cl;
		left -= cl;
	}
	dst[o] = '\0';
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}
