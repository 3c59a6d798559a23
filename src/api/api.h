/*
 * api.h - the JSON faces: the Mastodon client API (api/mastodon/) and the
 * Parley API (api/parley/). api_routes() adds all their routes.
 */
#ifndef PARLEY_API_API_H
#define PARLEY_API_API_H

void api_routes(void);

#endif
