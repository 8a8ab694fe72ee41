/* SPDX-License-Identifier: GPL-2.0 */
/* harness.h: a small test_progs-style harness. Each test prints one line, "ok NAME",
 * "FAIL NAME: why" or "SKIP NAME: reason"; tests/run.sh counts those lines over every suite. */
#ifndef XDPLB_HARNESS_H
#define XDPLB_HARNESS_H

#include <stddef.h>

struct harness_test {
	const char *name;
	void (*fn)(void);
};

#define HARNESS_TEST(fn) { #fn, fn }

/* Runs the tests whose name contains argv[1] (all without one); returns the exit code. */
int harness_run(const struct harness_test *tests, size_t n, int argc, char **argv);

void harness_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void harness_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Each ASSERT_* ends the current test on failure, naming file:line, expected and actual. */
#define ASSERT_CMP(actual, op, expected) do {						\
	long long _a = (long long)(actual), _e = (long long)(expected);			\
	if (!(_a op _e)) {								\
		harness_fail(__FILE__, __LINE__, "%s %s %s: actual %lld, expected %s %lld",	\
			     #actual, #op, #expected, _a, #op, _e);			\
		return;									\
	}										\
} while (0)

#define ASSERT_EQ(a, e) ASSERT_CMP(a, ==, e)
#define ASSERT_NE(a, e) ASSERT_CMP(a, !=, e)
#define ASSERT_LE(a, e) ASSERT_CMP(a, <=, e)
#define ASSERT_GE(a, e) ASSERT_CMP(a, >=, e)
#define ASSERT_LT(a, e) ASSERT_CMP(a, <, e)
#define ASSERT_GT(a, e) ASSERT_CMP(a, >, e)

#define ASSERT_TRUE(cond, ...) do {							\
	if (!(cond)) {									\
		harness_fail(__FILE__, __LINE__, __VA_ARGS__);				\
		return;									\
	}										\
} while (0)

#define SKIP(...) do { harness_skip(__VA_ARGS__); return; } while (0)

#endif
