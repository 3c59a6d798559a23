/*
 * idea_rings.h - finding vote rings among idea votes: pure computation,
 * no SQL, no clock (model/idea.c feeds it from the store in the
 * "ideas.rings" job; tests/unit/test_rings.c feeds it generated data).
 *
 * A ring is a group of at least IDEA_RING_MIN_ACCOUNTS accounts
 *   - who all voted on at least IDEA_RING_MIN_SHARED common ideas,
 *   - whose vote sets are near-identical: every pair's Jaccard similarity
 *     |A n B| / |A u B| is at least IDEA_RING_MIN_JACCARD,
 *   - and who never voted on an idea outside their shared set: each idea
 *     any member voted on was voted on by at least two members.
 * Vote sets are each account's complete set of votes given to the
 * function, so an organic voter whose interests reach beyond the group's
 * ideas is too dissimilar to be drawn in.
 *
 * Method: pairs of accounts (each with at least IDEA_RING_MIN_SHARED
 * votes, compared only with accounts of a similar number of votes, since
 * Jaccard >= j needs the smaller set to be at least j times the larger)
 * that pass the pairwise tests are edges; each connected component is
 * split greedily into cliques (seeds in account id order, so the answer
 * is deterministic); a clique that passes the group tests is a ring.
 */
#ifndef PARLEY_MODEL_IDEA_RINGS_H
#define PARLEY_MODEL_IDEA_RINGS_H

#include <stddef.h>
#include <stdint.h>

#define IDEA_RING_MIN_ACCOUNTS 3
#define IDEA_RING_MIN_SHARED 3
#define IDEA_RING_MIN_JACCARD 0.8

struct ring_vote {
	int64_t account_id;
	int64_t idea_id;
};

/*
 * The accounts that belong to a ring among `votes` (n of them, in any
 * order; duplicates are ignored). The array is sorted in place. On
 * success returns 0 with *out a malloc'ed array of *nout account ids in
 * ascending order (the caller frees it; NULL when none). Returns -1 when
 * memory runs out (nothing to free).
 */
int idea_rings_find(struct ring_vote *votes, size_t n, int64_t **out, size_t *nout);

#endif
