/*
 * test_sha1.c - SHA-1 against the FIPS 180 examples and RFC 6455's
 * handshake example, across block boundaries.
 */
#include "lib/sha1.h"
#include "unit.h"

#include <stdio.h>
#include <sodium.h>

static void hex(const unsigned char *d, char *out)
{
	int i;

	for (i = 0; i < SHA1_DIGEST_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check(const char *msg, size_t len, const char *want)
{
	unsigned char d[SHA1_DIGEST_LEN];
	char h[41];

	sha1(msg, len, d);
	hex(d, h);
	CHECK_STR(h, want);
}

static void test_known_vectors(void)
{
	check("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	      "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	check("The quick brown fox jumps over the lazy dog", 43, "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
}

static void test_lengths_around_blocks(void)
{
	/* 55, 56, 63, 64, 65 bytes: padding in one block or two */
	static char a[200];
	unsigned char d1[SHA1_DIGEST_LEN], d2[SHA1_DIGEST_LEN];
	size_t n;

	memset(a, 'a', sizeof a);
	check(a, 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d");
	check(a, 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a");
	check(a, 56, "c2db330f6083854c99d4b5bfb6e8f29f201be699");
	/* every length hashes deterministically and differently from its neighbour */
	for (n = 0; n < 130; n++) {
		sha1(a, n, d1);
		sha1(a, n + 1, d2);
		CHECK(memcmp(d1, d2, sizeof d1) != 0);
	}
}

static void test_websocket_accept(void)
{
	/* RFC 6455, section 1.3 */
	static const char key[] = "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	unsigned char d[SHA1_DIGEST_LEN];
	char b64[64];

	sha1(key, strlen(key), d);
	sodium_bin2base64(b64, sizeof b64, d, sizeof d, sodium_base64_VARIANT_ORIGINAL);
	CHECK_STR(b64, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

int main(void)
{
	RUN(test_known_vectors);
	RUN(test_lengths_around_blocks);
	RUN(test_websocket_accept);
	return unit_finish("sha1");
}
