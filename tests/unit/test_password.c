/*
 * test_password.c - unit tests for password rules and Argon2id hashing
 * (src/model/password.c). Hashing costs about 0.1 s and 64 MiB a call, so
 * only a few hashes are made: one shared by the verify tests.
 */
#include <stdlib.h>

#include "lib/secret.h"
#include "model/password.h"
#include "unit.h"

static char err[256];

static int check(const char *pw, const char *user, const char *email)
{
	err[0] = '\0';
	return password_check(pw, user, email, err, sizeof err);
}

static void test_length(void)
{
	CHECK(check("", NULL, NULL) == -1);
	CHECK(strstr(err, "at least 10") != NULL);
	CHECK(check("short", NULL, NULL) == -1);
	CHECK(check("nine9char", NULL, NULL) == -1);    /* 9 */
	CHECK(check("tenchars!x", NULL, NULL) == 0);    /* 10 */
	CHECK_STR(err, "");
	CHECK(check("a much longer pass phrase", NULL, NULL) == 0);
}

static void test_length_counts_utf8_characters(void)
{
	/* "é" is two bytes (C3 A9); "€" three (E2 82 AC) */
	const char *ten2 = "\xc3\xa9\xc3\xa0\xc3\xa8\xc3\xb9\xc3\xa2\xc3\xaa\xc3\xae\xc3\xb4\xc3\xbb\xc3\xa7";
	const char *nine2 = "\xc3\xa9\xc3\xa0\xc3\xa8\xc3\xb9\xc3\xa2\xc3\xaa\xc3\xae\xc3\xb4\xc3\xbb";
	const char *five3 = "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac" "ab"; /* 7 chars, 17 bytes */

	CHECK(strlen(ten2) == 20);
	CHECK(check(ten2, NULL, NULL) == 0);
	CHECK(strlen(nine2) == 18);
	CHECK(check(nine2, NULL, NULL) == -1);
	CHECK(strstr(err, "at least") != NULL);
	CHECK(check(five3, NULL, NULL) == -1);
	CHECK(check("caf\xc3\xa9-au-lait", NULL, NULL) == 0); /* 12 chars */
	CHECK(check("caf\xc3\xa9-lait", NULL, NULL) == -1); /* 9 chars, 10 bytes */
}

static void test_max_bytes(void)
{
	char pw[PASSWORD_MAX + 2];
	size_t i;

	for (i = 0; i < PASSWORD_MAX; i++)
		pw[i] = (char)('a' + (char)(i % 26));
	pw[PASSWORD_MAX] = '\0';
	CHECK(check(pw, NULL, NULL) == 0);
	pw[PASSWORD_MAX] = 'z';
	pw[PASSWORD_MAX + 1] = '\0';
	CHECK(check(pw, NULL, NULL) == -1);
	CHECK(strstr(err, "at most") != NULL);
}

static void test_common(void)
{
	CHECK(check("Password123", NULL, NULL) == -1);
	CHECK(strstr(err, "common") != NULL);
	CHECK(check("password123", NULL, NULL) == -1);
	CHECK(check("PASSWORD123", NULL, NULL) == -1);
	CHECK(check("1234567890", NULL, NULL) == -1);
	CHECK(check("QwertyUiop", NULL, NULL) == -1);
	CHECK(check("ParleyParley", NULL, NULL) == -1);
	CHECK(check("Password1234x", NULL, NULL) == 0); /* not on the list */
}

static void test_not_username_or_email(void)
{
	CHECK(check("alice_wonder", "alice_wonder", "a@example.com") == -1);
	CHECK(strstr(err, "guess") != NULL);
	CHECK(check("Alice_Wonder", "alice_wonder", "a@example.com") == -1);
	CHECK(check("alice@example.com", "alice", "alice@example.com") == -1);
	CHECK(check("ALICE@EXAMPLE.COM", "alice", "alice@example.com") == -1);
	CHECK(check("alice_wonder!", "alice_wonder", "a@example.com") == 0);
	/* empty or missing names do not match anything */
	CHECK(check("long enough pw", "", "") == 0);
	CHECK(check("long enough pw", NULL, NULL) == 0);
}

static void test_all_same_char(void)
{
	CHECK(check("zzzzzzzzzzzz", NULL, NULL) == -1);
	CHECK(strstr(err, "guess") != NULL);
	CHECK(check("............", NULL, NULL) == -1);
	CHECK(check("zzzzzzzzzzzy", NULL, NULL) == 0);
}

static void test_all_same_multibyte_char(void)
{
	/* twelve "é": one character repeated, like "zzzzzzzzzzzz" */
	const char *e12 = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";

	CHECK(check(e12, NULL, NULL) == -1);
}

static char hash[160];

static void test_hash_and_verify(void)
{
	char other[160];

	memset(hash, 0, sizeof hash);
	CHECK(password_hash("correct horse battery", hash, sizeof hash) == 0);
	CHECK(strncmp(hash, "$argon2id$", 10) == 0);
	CHECK(strlen(hash) < sizeof hash);
	CHECK(password_verify(hash, "correct horse battery") == 1);
	CHECK(password_verify(hash, "correct horse batterY") == 0);
	CHECK(password_verify(hash, "") == 0);
	CHECK(password_verify(hash, "correct horse battery ") == 0);
	CHECK(password_needs_rehash(hash) == 0);

	/* a too-small output buffer is refused */
	CHECK(password_hash("whatever it is", other, 16) == -1);
}

static void test_verify_rejects_non_argon(void)
{
	CHECK(password_verify("", "anything") == 0);
	CHECK(password_verify("plaintext-password", "plaintext-password") == 0);
	CHECK(password_verify("$2b$12$abcdefghijklmnopqrstuuK1a6pZ8O3d7r0W5Q9v2Z8o9nqQ1bN2",
			      "secret") == 0);
	CHECK(password_verify("$argon2id$garbage", "garbage") == 0);
	/* a damaged real hash does not verify */
	if (hash[0]) {
		char bad[160];
		size_t n = strlen(hash);

		memcpy(bad, hash, n + 1);
		bad[n - 2] = bad[n - 2] == 'A' ? 'B' : 'A';
		CHECK(password_verify(bad, "correct horse battery") == 0);
	}
	/* garbage always wants a rehash */
	CHECK(password_needs_rehash("not a hash") != 0);
}

static void test_dummy_verify(void)
{
	/* only needs to return without crashing; it spends verify time */
	password_dummy_verify("anything at all");
	password_dummy_verify("");
	CHECK(1);
}

int main(void)
{
	if (secret_init() < 0) {
		fprintf(stderr, "secret_init failed\n");
		return 1;
	}
	RUN(test_length);
	RUN(test_length_counts_utf8_characters);
	RUN(test_max_bytes);
	RUN(test_common);
	RUN(test_not_username_or_email);
	RUN(test_all_same_char);
	RUN(test_all_same_multibyte_char);
	RUN(test_hash_and_verify);
	RUN(test_verify_rejects_non_argon);
	RUN(test_dummy_verify);
	return unit_finish("password");
}
