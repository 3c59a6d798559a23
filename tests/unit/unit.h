/*
 * unit.h - the tiny harness every C unit test uses.
 *
 * A test file defines functions `static void test_x(void)` and a main()
 * that calls RUN(test_x) for each, then `return unit_finish("name");`.
 * CHECK() records a failure with file and line and carries on, so one run
 * reports every broken assertion. unit_finish() prints the plain closing
 * line "N passed, N failed" (counting tests, not assertions) that
 * tests/run.sh sums over all suites, and returns the exit status.
 */
#ifndef PARLEY_TESTS_UNIT_H
#define PARLEY_TESTS_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed, unit_cur_failed;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		unit_cur_failed = 1; \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *ua_ = (a), *ub_ = (b); \
	if (!ua_ || !ub_ || strcmp(ua_, ub_) != 0) { \
		fprintf(stderr, "  FAIL %s:%d: %s == %s\n    got:  \"%s\"\n    want: \"%s\"\n", \
			__FILE__, __LINE__, #a, #b, ua_ ? ua_ : "(null)", ub_ ? ub_ : "(null)"); \
		unit_cur_failed = 1; \
	} \
} while (0)

#define RUN(fn) do { \
	unit_cur_failed = 0; \
	fn(); \
	if (unit_cur_failed) { unit_failed++; fprintf(stderr, "FAIL %s\n", #fn); } \
	else unit_passed++; \
} while (0)

static inline int unit_finish(const char *suite)
{
	printf("%s: %d passed, %d failed\n", suite, unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
