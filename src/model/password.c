/*
 * password.c - password rules and Argon2id (see password.h).
 *
 * The common-password list is short on purpose: it catches what people
 * actually type first (and what attackers try first); length does the rest.
 */
#include "model/password.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

static const char *const common[] = {
	"password", "password1", "password12", "password123", "password1234",
	"passw0rd", "p@ssw0rd", "p@ssword", "123456", "1234567", "12345678",
	"123456789", "1234567890", "12345678910", "0123456789", "0987654321",
	"qwerty", "qwertyuiop", "qwerty123", "qwerty1234", "1q2w3e4r5t",
	"1qaz2wsx3edc", "zaq12wsx", "asdfghjkl", "zxcvbnm", "abc123", "abcdefghij",
	"iloveyou", "letmein", "letmein123", "welcome", "welcome123", "welcome1",
	"admin", "admin123", "administrator", "changeme", "changeme123", "secret",
	"secret123", "trustno1", "monkey123", "dragon123", "football", "baseball",
	"sunshine", "princess", "superman", "starwars", "whatever", "computer",
	"internet", "michael123", "11111111", "1111111111", "0000000000",
	"aaaaaaaaaa", "default", "parley", "parley123", "parleyparley",
	"summer2026", "winter2026", "spring2026", "autumn2026", "company123",
};

/* Is s one character (a whole UTF-8 sequence) repeated? */
static int all_same_char(const char *s)
{
	size_t clen = 1, len = strlen(s), i;

	while (s[clen] && ((unsigned char)s[clen] & 0xC0) == 0x80)
		clen++;
	if (len % clen)
		return 0;
	for (i = clen; i < len; i += clen)
		if (memcmp(s + i, s, clen))
			return 0;
	return 1;
}

int password_check(const char *password, const char *username, const char *email,
		   char *err, size_t errlen)
{
	size_t len = strlen(password), i, chars = 0;

	/* count characters, not bytes: UTF-8 continuation bytes do not start one */
	for (i = 0; i < len; i++)
		if (((unsigned char)password[i] & 0xC0) != 0x80)
			chars++;
	if (chars < PASSWORD_MIN) {
		snprintf(err, errlen, "Password must be at least %d characters long", PASSWORD_MIN);
		return -1;
	}
	if (len > PASSWORD_MAX) {
		snprintf(err, errlen, "Password must be at most %d bytes long", PASSWORD_MAX);
		return -1;
	}
	for (i = 0; i < sizeof common / sizeof common[0]; i++) {
		if (!strcasecmp(password, common[i])) {
			snprintf(err, errlen, "This password is too common; choose another");
			return -1;
		}
	}
	if (all_same_char(password) ||
	    (username && *username && !strcasecmp(password, username)) ||
	    (email && *email && !strcasecmp(password, email))) {
		snprintf(err, errlen, "This password is too easy to guess; choose another");
		return -1;
	}
	return 0;
}

int password_hash(const char *password, char *out, size_t n)
{
	if (n < crypto_pwhash_STRBYTES)
		return -1;
	return crypto_pwhash_str(out, password, strlen(password), OPS, MEM) == 0 ? 0 : -1;
}

int password_verify(const char *hash, const char *password)
{
	if (strncmp(hash, "$argon2", 7) != 0)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, OPS, MEM) != 0;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	if (password_hash("not a real password at all", dummy_hash, sizeof dummy_hash) < 0)
		dummy_hash[0] = '\0';
}

void password_dummy_verify(const char *password)
{
	pthread_once(&dummy_once, dummy_make);
	(void)password_verify(dummy_hash, password);
}
