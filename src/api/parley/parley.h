/*
 * parley.h - the Parley API (/api/parley/v1): what Mastodon's API has no
 * place for. Handlers are thin, as in api/mastodon.
 */
#ifndef PARLEY_API_PARLEY_H
#define PARLEY_API_PARLEY_H

#include <jansson.h>

#include "http/request.h"

struct space_view;
/* The Space entity as the requesting viewer sees it (docs/API.md). New
 * reference. */
json_t *parley_space_json(const struct request *rq, const struct space_view *sv);

void parley_spaces_routes(void);
void parley_lists_routes(void);

#endif
