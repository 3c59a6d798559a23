/*
 * paging.h - Mastodon's pagination: max_id / since_id / min_id / limit in,
 * a Link header out (rel="next" first, then rel="prev").
 */
#ifndef PARLEY_API_MASTODON_PAGING_H
#define PARLEY_API_MASTODON_PAGING_H

#include <stdint.h>

#include "http/request.h"

struct page {
	int64_t max_id, since_id, min_id;
	long limit;       /* as asked (0: not given) */
};

/* Read the paging parameters. -1 when one is not an id or a number
 * (the caller answers 400). */
int page_parse(const struct request *rq, struct page *p);
/* Link header for a page whose items run from newest id `first` to
 * oldest id `last` (both 0: an empty page, no header). The other query
 * parameters of the request are kept in the links. */
void page_link(const struct request *rq, struct response *rs, int64_t first, int64_t last);

#endif
