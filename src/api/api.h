/*
 * api.h - the JSON faces: the Mastodon client API (api/mastodon/) and the
 * Parley API (api/parley/). api_routes() adds all their routes.
 */
#ifndef PARLEY_API_API_H
#define PARLEY_API_API_H

void api_routes(void);

#ifdef PARLEY_BENCH
/* The benchmark build's GET /bench/ceiling (api/bench_ceiling.c, issue 8).
 * Aborts when its 4 MiB buffer cannot be allocated at start-up. */
void bench_ceiling_routes(void);
#endif

#endif
