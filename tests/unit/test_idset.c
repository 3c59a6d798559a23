/*
 * test_idset.c - the id set of the streaming dispatch (lib/idset.h):
 * duplicates, negative and extreme ids, lookups after sealing against a
 * brute-force scan, and an add after sealing marked as failed.
 */
#include "lib/idset.h"
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>

static void test_empty(void)
{
	struct idset s = IDSET_INIT;

	idset_seal(&s);
	CHECK(!idset_has(&s, 0) && !idset_has(&s, 42));
	idset_release(&s);
}

static void test_duplicates_and_extremes(void)
{
	struct idset s = IDSET_INIT;
	int64_t v[] = { 5, INT64_MAX, -3, 5, INT64_MIN, 0, 5, -3 };
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		CHECK(idset_add(&s, v[i]) == 0);
	idset_seal(&s);
	CHECK(s.n == 5);
	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		CHECK(idset_has(&s, v[i]));
	CHECK(!idset_has(&s, 4) && !idset_has(&s, 6) && !idset_has(&s, -2) && !idset_has(&s, 1));
	CHECK(!s.failed);
	/* sealed: a late add is refused and marks the set */
	CHECK(idset_add(&s, 7) == -1 && s.failed && !idset_has(&s, 7));
	idset_release(&s);
	CHECK(s.n == 0 && s.ids == NULL && !s.failed);
}

static void test_against_a_scan(void)
{
	struct idset s = IDSET_INIT;
	int64_t v[2000];
	size_t i, j;
	unsigned seed = 7;

	for (i = 0; i < 2000; i++) {
		v[i] = (int64_t)(rand_r(&seed) % 3000) << 16;
		idset_add_cb(v[i], &s);
	}
	idset_seal(&s);
	for (i = 0; i < 3000; i++) {
		int64_t id = (int64_t)i << 16;
		int want = 0;

		for (j = 0; j < 2000 && !want; j++)
			want = v[j] == id;
		CHECK(idset_has(&s, id) == want);
	}
	idset_release(&s);
}

int main(void)
{
	RUN(test_empty);
	RUN(test_duplicates_and_extremes);
	RUN(test_against_a_scan);
	return unit_finish("idset");
}
