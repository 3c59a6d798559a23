/*
 * idset.c - a sorted array of ids (see idset.h).
 */
#include "lib/idset.h"

#include <stdlib.h>

int idset_add(struct idset *s, int64_t id)
{
	if (s->sealed) {
		s->failed = 1;
		return -1;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		int64_t *ids = realloc(s->ids, cap * sizeof *ids);

		if (!ids) {
			s->failed = 1;
			return -1;
		}
		s->ids = ids;
		s->cap = cap;
	}
	s->ids[s->n++] = id;
	return 0;
}

void idset_add_cb(int64_t id, void *ctx)
{
	idset_add(ctx, id);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

void idset_seal(struct idset *s)
{
	size_t i, k = 0;

	if (s->n > 1) {
		qsort(s->ids, s->n, sizeof *s->ids, cmp_id);
		for (i = 1; i < s->n; i++)
			if (s->ids[i] != s->ids[k])
				s->ids[++k] = s->ids[i];
		s->n = k + 1;
	}
	s->sealed = 1;
}

int idset_has(const struct idset *s, int64_t id)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->ids[mid] == id)
			return 1;
		if (s->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void idset_release(struct idset *s)
{
	free(s->ids);
	s->ids = NULL;
	s->n = s->cap = 0;
	s->sealed = 0;
	s->failed = 0;
}
