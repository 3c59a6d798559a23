/*
 * account_cache.h - Account entities shared between requests.
 *
 * Rendering an Account (mastodon_account in entities.c) takes five
 * queries: counts, profile, top skills with their endorsements, links.
 * Every status, mention and notification carries one, so a timeline page
 * renders a dozen. The entity depends on the viewer only through the
 * profile visibility they get (people_vis_max(): the organisation's for
 * staff, the public's for everyone else; their own account is not cached)
 * once the audience rule has allowed them to see the account at all. So
 * one copy per (account, visibility) serves every viewer of that kind,
 * until the account's version moves (account_row.version, kept by the
 * triggers of migration 0011: any write to its row, counts, profile,
 * skills, endorsements or links, by this process or another).
 *
 * The table has a fixed number of slots (ACCOUNT_CACHE_SLOTS, direct
 * mapped: a colliding account replaces the other), so its memory is
 * bounded (about 4 KiB an entry). Thread-safe.
 *
 * Ownership: account_cache_get() returns a deep copy the caller owns
 * (json_decref), or NULL on a miss; account_cache_put() takes the
 * caller's reference and never changes the entity: give it an entity
 * nobody else holds (a json_deep_copy()).
 */
#ifndef PARLEY_API_MASTODON_ACCOUNT_CACHE_H
#define PARLEY_API_MASTODON_ACCOUNT_CACHE_H

#include <jansson.h>
#include <stdint.h>

#define ACCOUNT_CACHE_SLOTS 8192

/* A copy of the cached entity of account_id at profile visibility vis
 * when it was made at `version` (the account row's, read BEFORE the rest
 * of the account's data was), else NULL. */
json_t *account_cache_get(int64_t account_id, int vis, int64_t version);
/* Keep j as the entity of account_id at vis, made from data read after
 * `version` was taken. Takes the caller's reference (j NULL: nothing). */
void account_cache_put(int64_t account_id, int vis, int64_t version, json_t *j);
/* Lookups and misses since the start (for docs/PERFORMANCE.md and tests). */
void account_cache_stats(uint64_t *hits, uint64_t *misses);

#endif
