/*
 * id.h - 64-bit time-sortable identifiers.
 *
 * id = (milliseconds since the epoch << 16) | sequence. IDs from one process
 * strictly increase. The sequence starts each millisecond at a random value
 * below 2^15, so two processes sharing a database rarely collide; primary
 * keys make a collision fail loudly instead of overwriting. Shown to clients
 * as decimal strings (JSON numbers lose precision past 2^53).
 */
#ifndef PARLEY_LIB_ID_H
#define PARLEY_LIB_ID_H

#include <stddef.h>
#include <stdint.h>

int64_t id_next(void);
/* The smallest id that could have been made at time ms (for time ranges). */
int64_t id_from_ms(int64_t ms);
int64_t id_to_ms(int64_t id);
/* Decimal form into out (at least 21 bytes). Returns out. */
char *id_format(char *out, size_t n, int64_t id);
/* Parse a decimal id; returns 0, or -1 when s is not a positive integer. */
int id_parse(const char *s, int64_t *out);

#endif
