// SPDX-License-Identifier: GPL-2.0
/* json.c: the JSON writer: separators, keys, escaped strings and numbers. */
#include <stdarg.h>

#include "sys/json.h"

void xdplb_json_start(struct xdplb_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->more[0] = false;
}

/* Runs of plain characters in one write, unlocked: the tool writes from one thread, and
 * --explain --json writes a few objects for every frame of a capture. */
static void xdplb_json_escaped(FILE *f, const char *s)
{
	const char *run;

	putc_unlocked('"', f);
	while (*s) {
		unsigned char c;

		for (run = s; (c = (unsigned char)*s) && c >= 0x20 && c != '"' && c != '\\'; s++)
			;
		fwrite_unlocked(run, 1, (size_t)(s - run), f);
		if (!c)
			break;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else
			fprintf(f, "\\u%04x", c);
		s++;
	}
	putc_unlocked('"', f);
}

/* The separator before an item, and its key if it has one. */
static void xdplb_json_item(struct xdplb_json *j, const char *key)
{
	if (j->more[j->depth])
		fwrite_unlocked(", ", 1, 2, j->f);
	j->more[j->depth] = true;
	if (key) {
		xdplb_json_escaped(j->f, key);
		fwrite_unlocked(": ", 1, 2, j->f);
	}
}

void xdplb_json_open(struct xdplb_json *j, const char *key, char bracket)
{
	xdplb_json_item(j, key);
	putc_unlocked(bracket, j->f);
	if (j->depth + 1 < XDPLB_JSON_DEPTH)
		j->depth++;
	j->more[j->depth] = false;
}

void xdplb_json_close(struct xdplb_json *j, char bracket)
{
	putc_unlocked(bracket, j->f);
	if (j->depth > 0)
		j->depth--;
}

void xdplb_json_str(struct xdplb_json *j, const char *key, const char *s)
{
	xdplb_json_item(j, key);
	xdplb_json_escaped(j->f, s);
}

void xdplb_json_strf(struct xdplb_json *j, const char *key, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	xdplb_json_str(j, key, buf);
}

void xdplb_json_u64(struct xdplb_json *j, const char *key, __u64 v)
{
	char digits[20];
	int n = sizeof(digits);

	xdplb_json_item(j, key);
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fwrite_unlocked(digits + n, 1, sizeof(digits) - (size_t)n, j->f);
}

void xdplb_json_int(struct xdplb_json *j, const char *key, long long v)
{
	xdplb_json_item(j, key);
	fprintf(j->f, "%lld", v);
}

void xdplb_json_bool(struct xdplb_json *j, const char *key, bool v)
{
	xdplb_json_item(j, key);
	fputs(v ? "true" : "false", j->f);
}

void xdplb_json_null(struct xdplb_json *j, const char *key)
{
	xdplb_json_item(j, key);
	fputs("null", j->f);
}

void xdplb_json_fixed(struct xdplb_json *j, const char *key, int decimals, double v)
{
	xdplb_json_item(j, key);
	fprintf(j->f, "%.*f", decimals, v);
}
