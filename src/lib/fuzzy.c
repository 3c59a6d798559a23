/*
 * fuzzy.c - name keys and a bounded edit distance (see fuzzy.h).
 *
 * The distance runs the classic dynamic programme over code points with
 * three rolling rows (the transposition needs the row before last) and
 * stops as soon as a whole row exceeds the budget: no later row can get
 * back below it.
 */
#include "lib/fuzzy.h"
#include "lib/markdown.h"

#include <stdint.h>
#include <string.h>

/* Decode up to max code points of s; returns how many. Bytes that are
 * not well-formed UTF-8 count as one character each. */
static size_t decode(const char *s, uint32_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p && n < max) {
		uint32_t c = *p;
		int len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
		int i;

		if (len > 1) {
			c &= 0x7fu >> len;
			for (i = 1; i < len; i++) {
				if ((p[i] & 0xc0) != 0x80)
					break;
				c = (c << 6) | (p[i] & 0x3f);
			}
			if (i < len) {
				c = *p;
				len = 1;
			}
		}
		out[n++] = c;
		p += len;
	}
	return n;
}

int fuzzy_key(const char *s, char *out, size_t n)
{
	struct buf folded = BUF_INIT;
	const unsigned char *p;
	size_t len = 0;
	int chars = 0;

	if (!n)
		return -1;
	out[0] = '\0';
	if (markdown_tag_key(s, strlen(s), &folded) < 0) {
		buf_release(&folded);
		return -1;
	}
	for (p = (const unsigned char *)buf_str(&folded); *p; p++) {
		unsigned char c = *p;
		int keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '#' ||
			   c >= 0x80;  /* non-ASCII: letters of other scripts (punctuation there is rare in names) */

		if (!keep)
			continue;
		if (len + 1 >= n) {
			buf_release(&folded);
			out[0] = '\0';
			return -1;
		}
		out[len++] = (char)c;
		if ((c & 0xc0) != 0x80)
			chars++;
	}
	out[len] = '\0';
	buf_release(&folded);
	return chars;
}

int fuzzy_budget(size_t chars)
{
	return chars <= 3 ? 0 : chars <= 7 ? 1 : 2;
}

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;

	return m < c ? m : c;
}

int fuzzy_distance(const char *a, const char *b, int max)
{
	uint32_t x[FUZZY_MAX_CHARS], y[FUZZY_MAX_CHARS];
	int rows[3][FUZZY_MAX_CHARS + 1];
	size_t n = decode(a, x, FUZZY_MAX_CHARS), m = decode(b, y, FUZZY_MAX_CHARS), i, j;
	int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (max < 0)
		max = 0;
	if ((n > m ? n - m : m - n) > (size_t)max)
		return max + 1;
	for (j = 0; j <= m; j++)
		prev[j] = (int)j;
	for (i = 1; i <= n; i++) {
		int best;
		int *t;

		cur[0] = (int)i;
		best = cur[0];
		for (j = 1; j <= m; j++) {
			int cost = x[i - 1] == y[j - 1] ? 0 : 1;

			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
			    prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > max)
			return max + 1;
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[m] > max ? max + 1 : prev[m];
}

long fuzzy_best(const char *key, const char *const *keys, size_t n, const long long *weights,
		int *dist)
{
	uint32_t tmp[FUZZY_MAX_CHARS];
	size_t i, chars = decode(key, tmp, FUZZY_MAX_CHARS);
	int budget = fuzzy_budget(chars), best_d = budget + 1, d;
	long best = -1;

	if (!*key)
		return -1;
	for (i = 0; i < n; i++) {
		if (!keys[i] || !*keys[i])
			continue;
		d = strcmp(key, keys[i]) ? fuzzy_distance(key, keys[i], budget) : 0;
		if (d > budget)
			continue;
		if (d < best_d || (d == best_d && weights && best >= 0 && weights[i] > weights[best])) {
			best_d = d;
			best = (long)i;
		}
	}
	if (dist)
		*dist = best >= 0 ? best_d : -1;
	return best;
}
