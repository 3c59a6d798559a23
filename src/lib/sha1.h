/*
 * sha1.h - SHA-1 (FIPS 180-4), for the one place a protocol still asks for
 * it: the WebSocket handshake's Sec-WebSocket-Accept (RFC 6455). Not for
 * anything that needs collision resistance.
 */
#ifndef PARLEY_LIB_SHA1_H
#define PARLEY_LIB_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN 20

/* The digest of data[0..len) into out. Never fails. */
void sha1(const void *data, size_t len, unsigned char out[SHA1_DIGEST_LEN]);

#endif
