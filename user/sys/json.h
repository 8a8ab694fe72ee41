/* SPDX-License-Identifier: GPL-2.0 */
/* json.h: the one JSON writer behind every --json output. It puts the separators (", "
 * between items, ": " after a key) so that callers name keys and values only; its layout
 * is the one the tests pin: one line, a space after each comma and colon. */
#ifndef XDPLB_JSON_H
#define XDPLB_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include <linux/types.h>

#define XDPLB_JSON_DEPTH	8

struct xdplb_json {
	FILE *f;
	int depth;
	bool more[XDPLB_JSON_DEPTH];	/* an item was written at this depth: the next one needs ", " */
};

void xdplb_json_start(struct xdplb_json *j, FILE *f);
/* key is NULL for an array element (or the outermost value); bracket is '{' or '['. */
void xdplb_json_open(struct xdplb_json *j, const char *key, char bracket);
void xdplb_json_close(struct xdplb_json *j, char bracket);
void xdplb_json_str(struct xdplb_json *j, const char *key, const char *s);
/* A string made from a printf format, escaped like any other. */
void xdplb_json_strf(struct xdplb_json *j, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void xdplb_json_u64(struct xdplb_json *j, const char *key, __u64 v);
void xdplb_json_int(struct xdplb_json *j, const char *key, long long v);
void xdplb_json_bool(struct xdplb_json *j, const char *key, bool v);
void xdplb_json_null(struct xdplb_json *j, const char *key);
/* A number with a fixed count of decimals (rates, shares). */
void xdplb_json_fixed(struct xdplb_json *j, const char *key, int decimals, double v);

#endif
