/*
 * idea_rings.c - finding vote rings (see idea_rings.h for the rule and
 * the method).
 *
 * Memory: the sorted votes are the vote sets (each account's run of
 * ideas, ascending); everything else is arrays of indexes into them,
 * freed before returning.
 */
#include "model/idea_rings.h"

#include <stdlib.h>
#include <string.h>

struct voter {
	int64_t id;
	size_t start, len;        /* run in the sorted votes */
};

struct edge {
	size_t a, b;              /* voter indexes, a < b */
};

static int cmp_vote(const void *x, const void *y)
{
	const struct ring_vote *a = x, *b = y;

	if (a->account_id != b->account_id)
		return a->account_id < b->account_id ? -1 : 1;
	return a->idea_id < b->idea_id ? -1 : a->idea_id > b->idea_id;
}

static int cmp_edge(const void *x, const void *y)
{
	const struct edge *a = x, *b = y;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

/* for the comparators below (qsort has no context argument) */
static _Thread_local const struct voter *s_voters;
static _Thread_local const size_t *t_parent;

static int cmp_by_root(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	if (t_parent[a] != t_parent[b])
		return t_parent[a] < t_parent[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int cmp_by_len(const void *x, const void *y)
{
	const struct voter *a = &s_voters[*(const size_t *)x], *b = &s_voters[*(const size_t *)y];

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* |A n B| of two ascending runs. */
static size_t common(const struct ring_vote *v, const struct voter *a, const struct voter *b)
{
	size_t i = a->start, j = b->start, ei = a->start + a->len, ej = b->start + b->len, n = 0;

	while (i < ei && j < ej) {
		if (v[i].idea_id == v[j].idea_id) {
			n++;
			i++;
			j++;
		} else if (v[i].idea_id < v[j].idea_id) {
			i++;
		} else {
			j++;
		}
	}
	return n;
}

static size_t find_root(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static int adjacent(const struct edge *edges, size_t nedges, size_t a, size_t b)
{
	struct edge key = { a < b ? a : b, a < b ? b : a };

	return nedges && bsearch(&key, edges, nedges, sizeof *edges, cmp_edge) != NULL;
}

/* 1 when the voter `o` voted on idea. */
static int voted(const struct ring_vote *v, const struct voter *o, int64_t idea)
{
	const struct ring_vote key = { o->id, idea };

	return bsearch(&key, v + o->start, o->len, sizeof *v, cmp_vote) != NULL;
}

/* 1 when member m of the group voted on an idea no other member did. */
static int has_solo_vote(const struct ring_vote *v, const struct voter *voters, const size_t *members,
			 size_t k, size_t m)
{
	const struct voter *me = &voters[members[m]];
	size_t i, o;

	for (i = me->start; i < me->start + me->len; i++) {
		int others = 0;

		for (o = 0; o < k && !others; o++)
			others = o != m && voted(v, &voters[members[o]], v[i].idea_id);
		if (!others)
			return 1;
	}
	return 0;
}

/* The group tests of a clique (members: voter indexes). A member who
 * voted alone on some idea leaves the group (once), and the rest is
 * tested again: the ring is still found when an organic voter similar
 * enough to be in the clique was drawn in. */
static int is_ring(const struct ring_vote *v, const struct voter *voters, size_t *members, size_t *kp)
{
	size_t k = *kp, i, m, shared = 0, w;

	for (w = 0, m = 0; m < k; m++)
		if (!has_solo_vote(v, voters, members, k, m))
			members[w++] = members[m];
	if (w != k) {
		k = w;
		for (m = 0; m < k; m++)
			if (has_solo_vote(v, voters, members, k, m))
				return 0;
	}
	*kp = k;
	if (k < IDEA_RING_MIN_ACCOUNTS)
		return 0;
	/* ideas every member voted on */
	for (i = voters[members[0]].start; i < voters[members[0]].start + voters[members[0]].len; i++) {
		size_t all = 1;

		for (m = 1; m < k && all == m; m++)
			all += (size_t)voted(v, &voters[members[m]], v[i].idea_id);
		if (all == k)
			shared++;
	}
	return shared >= IDEA_RING_MIN_SHARED;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return a < b ? -1 : a > b;
}

int idea_rings_find(struct ring_vote *votes, size_t n, int64_t **out, size_t *nout)
{
	struct voter *voters = NULL;
	struct edge *edges = NULL;
	size_t *order = NULL, *parent = NULL, *members = NULL, *comp = NULL;
	int64_t *found = NULL;
	unsigned char *taken = NULL;
	size_t nv = 0, ncand = 0, nedges = 0, capedges = 0, nfound = 0, i, j, w;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	if (!n)
		return 0;
	qsort(votes, n, sizeof *votes, cmp_vote);
	/* drop duplicates */
	for (i = 1, w = 1; i < n; i++)
		if (cmp_vote(&votes[i], &votes[w - 1]))
			votes[w++] = votes[i];
	n = w;
	voters = calloc(n, sizeof *voters);
	if (!voters)
		goto done;
	for (i = 0; i < n; i++) {
		if (!nv || voters[nv - 1].id != votes[i].account_id) {
			voters[nv].id = votes[i].account_id;
			voters[nv].start = i;
			nv++;
		}
		voters[nv - 1].len++;
	}
	order = malloc(nv * sizeof *order);
	parent = malloc(nv * sizeof *parent);
	members = malloc(nv * sizeof *members);
	comp = malloc(nv * sizeof *comp);
	taken = calloc(nv, 1);
	found = malloc(nv * sizeof *found);
	if (!order || !parent || !members || !comp || !taken || !found)
		goto done;
	for (i = 0; i < nv; i++) {
		parent[i] = i;
		if (voters[i].len >= IDEA_RING_MIN_SHARED)
			order[ncand++] = i;
	}
	s_voters = voters;
	if (ncand)
		qsort(order, ncand, sizeof *order, cmp_by_len);
	/* edges: similar pairs */
	for (i = 0; i < ncand; i++) {
		const struct voter *a = &voters[order[i]];

		for (j = i + 1; j < ncand; j++) {
			const struct voter *b = &voters[order[j]];
			size_t c;

			/* sorted by size: once a is too small next to b, it is for the rest */
			if ((double)a->len < IDEA_RING_MIN_JACCARD * (double)b->len)
				break;
			c = common(votes, a, b);
			if (c < IDEA_RING_MIN_SHARED ||
			    (double)c < IDEA_RING_MIN_JACCARD * (double)(a->len + b->len - c))
				continue;
			if (nedges == capedges) {
				size_t cap = capedges ? capedges * 2 : 64;
				struct edge *ne = realloc(edges, cap * sizeof *ne);

				if (!ne)
					goto done;
				edges = ne;
				capedges = cap;
			}
			edges[nedges].a = order[i] < order[j] ? order[i] : order[j];
			edges[nedges].b = order[i] < order[j] ? order[j] : order[i];
			nedges++;
			{
				size_t ra = find_root(parent, order[i]), rb = find_root(parent, order[j]);

				if (ra != rb)
					parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
			}
		}
	}
	if (nedges)
		qsort(edges, nedges, sizeof *edges, cmp_edge);
	/* components: voters grouped by root, each group in id order (voters
	 * are sorted by id, so by index); each is split into cliques */
	for (i = 0; i < nv; i++)
		comp[i] = i;
	for (i = 0; i < nv; i++)
		parent[i] = find_root(parent, i);
	t_parent = parent;
	qsort(comp, nv, sizeof *comp, cmp_by_root);
	for (i = 0; i < nv; i = j) {
		size_t ncomp, s;

		for (j = i + 1; j < nv && parent[comp[j]] == parent[comp[i]]; j++)
			;
		ncomp = j - i;
		if (ncomp < IDEA_RING_MIN_ACCOUNTS)
			continue;
		for (s = i; s < j; s++) {
			size_t k = 0, t;

			if (taken[comp[s]])
				continue;
			members[k++] = comp[s];
			for (t = s + 1; t < j; t++) {
				size_t m, ok = !taken[comp[t]];

				for (m = 0; m < k && ok; m++)
					ok = adjacent(edges, nedges, members[m], comp[t]);
				if (ok)
					members[k++] = comp[t];
			}
			if (k < IDEA_RING_MIN_ACCOUNTS)
				continue;
			for (t = 0; t < k; t++)
				taken[members[t]] = 1;
			if (is_ring(votes, voters, members, &k))
				for (t = 0; t < k; t++)
					found[nfound++] = voters[members[t]].id;
		}
	}
	if (nfound) {
		qsort(found, nfound, sizeof *found, cmp_i64);
		*out = found;
		*nout = nfound;
		found = NULL;
	}
	rc = 0;
done:
	free(voters);
	free(edges);
	free(order);
	free(parent);
	free(members);
	free(comp);
	free(taken);
	free(found);
	return rc;
}
