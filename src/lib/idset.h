/*
 * idset.h - a set of 64-bit ids: filled, then sealed, then asked.
 *
 * For the per-event facts of the streaming dispatch ("who has their own
 * state on this post", "who has filters"): a handful of ids gathered once
 * and looked up for each of thousands of streams. Sealing sorts and drops
 * duplicates; a lookup is a binary search.
 *
 * Ownership: the set owns its array; idset_release() frees it and leaves
 * an empty set. A failed add (out of memory) marks the set `failed`: the
 * caller must then not trust a "not in the set" answer.
 */
#ifndef PARLEY_LIB_IDSET_H
#define PARLEY_LIB_IDSET_H

#include <stddef.h>
#include <stdint.h>

struct idset {
	int64_t *ids;
	size_t n, cap;
	int sealed;
	int failed;   /* an add ran out of memory: the set is incomplete */
};

#define IDSET_INIT { NULL, 0, 0, 0, 0 }

/* Add one id (before idset_seal()). 0, or -1 (and `failed` set) when out
 * of memory or the set is already sealed. */
int idset_add(struct idset *s, int64_t id);
/* For store callbacks of the shape fn(id, ctx): adds id to the set ctx. */
void idset_add_cb(int64_t id, void *ctx);
/* Sort and drop duplicates; lookups need it. */
void idset_seal(struct idset *s);
/* 1 when id is in the sealed set, 0 when not. */
int idset_has(const struct idset *s, int64_t id);
void idset_release(struct idset *s);

#endif
