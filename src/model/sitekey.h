/*
 * sitekey.h - the instance's secret key, for values the server signs
 * (today: the CSRF token of forms shown before sign-in).
 *
 * Made at random the first time it is needed and kept in the settings
 * table, so every Parley process sharing the database uses the same key
 * and a restart does not invalidate forms already on screen.
 */
#ifndef PARLEY_MODEL_SITEKEY_H
#define PARLEY_MODEL_SITEKEY_H

#include "lib/secret.h"

/* Copy the key into out. Returns 0, or -1 when the store failed. */
int sitekey_get(unsigned char out[SECRET_KEY_LEN]);

#endif
