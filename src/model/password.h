/*
 * password.h - password rules and Argon2id hashing (libsodium crypto_pwhash).
 *
 * Rules: at least PASSWORD_MIN characters, at most PASSWORD_MAX bytes, not
 * one of the most common passwords, not the username or email. Hashes use
 * libsodium's "interactive" limits (64 MiB, 2 passes), stored in the
 * self-describing $argon2id$ string form so the limits can be raised later
 * (password_needs_rehash tells when).
 */
#ifndef PARLEY_MODEL_PASSWORD_H
#define PARLEY_MODEL_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN 10
#define PASSWORD_MAX 1024

/* 0 when acceptable; else -1 with the reason in err. */
int password_check(const char *password, const char *username, const char *email,
		   char *err, size_t errlen);
/* Hash into out (at least 128 bytes). -1 when out of memory. */
int password_hash(const char *password, char *out, size_t n);
/* 1 when password matches hash (constant time inside libsodium), else 0. */
int password_verify(const char *hash, const char *password);
int password_needs_rehash(const char *hash);
/* Spend the time a verification takes, for unknown accounts. */
void password_dummy_verify(const char *password);

#endif
