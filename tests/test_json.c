// SPDX-License-Identifier: GPL-2.0
/* test_json.c: the JSON writer (user/sys/json.c) byte for byte: separators, nesting, every
 * kind of value, and strings that need escaping (quotes, backslashes, control characters)
 * next to plain runs, at the start, the end and alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "user/sys/json.h"

static void test_layout_and_escapes(void)
{
	const char *want = "{\"frame\": 18446744073709551615, \"zero\": 0, \"s\": \"a\\\"b\\\\c\\u0001d\", "
			   "\"edge\": [\"\\\"\", \"\\\\x\", \"x\\u001f\", \"\", \"plain text\"], \"t\": {\"n\": null, "
			   "\"b\": true, \"i\": -7, \"f\": 0.5000}, \"q\\\"k\": 1}";
	char *got = NULL;
	size_t len = 0;
	struct xdplb_json j;
	FILE *f = open_memstream(&got, &len);

	ASSERT_TRUE(f != NULL, "open_memstream");
	xdplb_json_start(&j, f);
	xdplb_json_open(&j, NULL, '{');
	xdplb_json_u64(&j, "frame", 18446744073709551615ULL);
	xdplb_json_u64(&j, "zero", 0);
	xdplb_json_str(&j, "s", "a\"b\\c\001d");
	xdplb_json_open(&j, "edge", '[');
	xdplb_json_str(&j, NULL, "\"");
	xdplb_json_str(&j, NULL, "\\x");
	xdplb_json_str(&j, NULL, "x\037");
	xdplb_json_str(&j, NULL, "");
	xdplb_json_str(&j, NULL, "plain text");
	xdplb_json_close(&j, ']');
	xdplb_json_open(&j, "t", '{');
	xdplb_json_null(&j, "n");
	xdplb_json_bool(&j, "b", true);
	xdplb_json_int(&j, "i", -7);
	xdplb_json_fixed(&j, "f", 4, 0.5);
	xdplb_json_close(&j, '}');
	xdplb_json_u64(&j, "q\"k", 1);
	xdplb_json_close(&j, '}');
	fclose(f);
	ASSERT_TRUE(!strcmp(got, want), "\n got  %s\n want %s", got, want);
	free(got);
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_layout_and_escapes),
	};

	return harness_run(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
