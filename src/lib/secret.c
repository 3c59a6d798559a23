/*
 * secret.c - tokens and hashes on libsodium (see secret.h).
 */
#include "lib/secret.h"

#include <sodium.h>
#include <string.h>

int secret_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

static void b64url(const unsigned char *bin, size_t len, char *out, size_t n)
{
	sodium_bin2base64(out, n, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void secret_token(char *out, size_t n)
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	b64url(raw, sizeof raw, out, n);
	sodium_memzero(raw, sizeof raw);
}

void secret_code(char *out, size_t n, size_t chars)
{
	char tok[SECRET_TOKEN_LEN + 1];

	secret_token(tok, sizeof tok);
	if (chars > SECRET_TOKEN_LEN)
		chars = SECRET_TOKEN_LEN;
	if (chars >= n)
		chars = n - 1;
	memcpy(out, tok, chars);
	out[chars] = '\0';
}

void secret_hash(const char *token, char *out, size_t n)
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, n, h, sizeof h);
}

int secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

void secret_sha256_b64url(const char *data, size_t len, char *out, size_t n)
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)data, len);
	b64url(h, sizeof h, out, n);
}

long secret_base64_decode(const char *in, char *out, size_t n)
{
	size_t len = 0;

	if (n < 1 || sodium_base642bin((unsigned char *)out, n - 1, in, strlen(in), " \t", &len, NULL,
				       sodium_base64_VARIANT_ORIGINAL) != 0)
		return -1;
	out[len] = '\0';
	return (long)len;
}

void secret_key(unsigned char key[SECRET_KEY_LEN])
{
	randombytes_buf(key, SECRET_KEY_LEN);
}

void secret_mac(const unsigned char key[SECRET_KEY_LEN], const char *msg, char *out, size_t n)
{
	unsigned char mac[crypto_auth_BYTES];

	crypto_auth(mac, (const unsigned char *)msg, strlen(msg), key);
	b64url(mac, sizeof mac, out, n);
}
