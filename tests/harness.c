// SPDX-License-Identifier: GPL-2.0
/* harness.c: runs a suite's tests and reports one line per test (see harness.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

enum harness_state { HARNESS_OK, HARNESS_FAILED, HARNESS_SKIPPED };

static enum harness_state state;
static const char *current;

void harness_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (state == HARNESS_FAILED)
		return;
	state = HARNESS_FAILED;
	printf("FAIL %s: %s:%d: ", current, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void harness_skip(const char *fmt, ...)
{
	va_list ap;

	state = HARNESS_SKIPPED;
	printf("SKIP %s: ", current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int harness_run(const struct harness_test *tests, size_t n, int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int failed = 0;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < n; i++) {
		if (filter && !strstr(tests[i].name, filter))
			continue;
		current = tests[i].name;
		state = HARNESS_OK;
		tests[i].fn();
		if (state == HARNESS_OK)
			printf("ok %s\n", current);
		failed += state == HARNESS_FAILED;
	}
	return failed ? 1 : 0;
}
