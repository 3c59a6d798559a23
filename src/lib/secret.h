/*
 * secret.h - random tokens, their hashes, constant-time comparison.
 *
 * Tokens (session cookies, OAuth tokens and codes, client secrets, invite
 * codes, CSRF tokens) are 32 random bytes from libsodium, written in
 * URL-safe base64 without padding (43 characters). The database keeps only
 * a hash of a token that grants access (BLAKE2b-256, as 64 hex digits): a
 * stolen database copy lets nobody sign in. Call secret_init() once at
 * start (it initialises libsodium); the rest are thread-safe.
 */
#ifndef PARLEY_LIB_SECRET_H
#define PARLEY_LIB_SECRET_H

#include <stddef.h>

#define SECRET_TOKEN_LEN 43   /* characters, without the NUL */
#define SECRET_HASH_LEN 64    /* hex digits, without the NUL */

int secret_init(void);
/* Write a fresh token into out (at least SECRET_TOKEN_LEN + 1 bytes). */
void secret_token(char *out, size_t n);
/* A shorter random code of `chars` base64url characters (for invites). */
void secret_code(char *out, size_t n, size_t chars);
/* Hash a token into out (at least SECRET_HASH_LEN + 1 bytes). */
void secret_hash(const char *token, char *out, size_t n);
/* Constant-time equality of two NUL-terminated strings (length leaks). */
int secret_equal(const char *a, const char *b);
/* SHA-256 of data, base64url without padding (PKCE S256). out >= 44. */
void secret_sha256_b64url(const char *data, size_t len, char *out, size_t n);



#define SECRET_KEY_LEN 32

/* A fresh random key. */
void secret_key(unsigned char key[SECRET_KEY_LEN]);
/* HMAC (libsodium crypto_auth, HMAC-SHA-512-256) of msg under key, as
 * base64url without padding into out (at least SECRET_TOKEN_LEN + 1). */
void secret_mac(const unsigned char key[SECRET_KEY_LEN], const char *msg, char *out, size_t n);

/* Decode standard base64 (HTTP Basic credentials) into out, NUL-terminated.
 * Returns the decoded length, or -1 when malformed or too long. */
long secret_base64_decode(const char *in, char *out, size_t n);
#endif
