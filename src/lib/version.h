/*
 * version.h - the version of Parley, and the Mastodon API version it
 * speaks (what /api/v1/instance and NodeInfo report).
 */
#ifndef PARLEY_LIB_VERSION_H
#define PARLEY_LIB_VERSION_H

#ifndef PARLEY_VERSION
#define PARLEY_VERSION "0.1.0"
#endif

/* Clients read the Mastodon version before the first space to decide which
 * API features to use: 4.3.0 is the release whose API Parley follows. */
#define PARLEY_MASTODON_VERSION "4.3.0"
#define PARLEY_MASTODON_API_VERSION 2

#endif
