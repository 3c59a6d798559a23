/*
 * sitekey.c - the instance's secret key (see sitekey.h). Cached in memory
 * after the first read; the mutex makes the first read happen once.
 */
#include "model/sitekey.h"
#include "store/store.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char key[SECRET_KEY_LEN];
static int key_loaded;

static int decode(const char *hex, unsigned char out[SECRET_KEY_LEN])
{
	size_t len = 0;

	return sodium_hex2bin(out, SECRET_KEY_LEN, hex, strlen(hex), NULL, &len, NULL) == 0 &&
	       len == SECRET_KEY_LEN ? 0 : -1;
}

static int load(void)
{
	char hex[2 * SECRET_KEY_LEN + 1];
	unsigned char fresh[SECRET_KEY_LEN];

	if (store_setting_get("site_key", hex, sizeof hex) != STORE_OK)
		return -1;
	if (hex[0])
		return decode(hex, key);
	/* first use: make one, unless another process got there first */
	if (store_begin() != STORE_OK)
		return -1;
	if (store_setting_get("site_key", hex, sizeof hex) != STORE_OK)
		goto fail;
	if (!hex[0]) {
		secret_key(fresh);
		sodium_bin2hex(hex, sizeof hex, fresh, sizeof fresh);
		if (store_setting_set("site_key", hex) != STORE_OK)
			goto fail;
	}
	if (store_commit() != STORE_OK)
		goto fail;
	return decode(hex, key);
fail:
	store_rollback();
	return -1;
}

int sitekey_get(unsigned char out[SECRET_KEY_LEN])
{
	int rc = 0;

	pthread_mutex_lock(&key_lock);
	if (!key_loaded) {
		rc = load();
		key_loaded = rc == 0;
	}
	if (rc == 0)
		memcpy(out, key, SECRET_KEY_LEN);
	pthread_mutex_unlock(&key_lock);
	return rc;
}
