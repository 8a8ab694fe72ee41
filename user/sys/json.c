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

static void xdplb_json_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The separator before an item, and its key if it has one. */
static void xdplb_json_item(struct xdplb_json *j, const char *key)
{
	if (j->more[j->depth])
		fputs(", ", j->f);
	j->more[j->depth] = true;
	if (key) {
		xdplb_json_escaped(j->f, key);
		fputs(": ", j->f);
	}
}

void xdplb_json_open(struct xdplb_json *j, const char *key, char bracket)
{
	xdplb_json_item(j, key);
	fputc(bracket, j->f);
	if (j->depth + 1 < XDPLB_JSON_DEPTH)
		j->depth++;
	j->more[j->depth] = false;
}

void xdplb_json_close(struct xdplb_json *j, char bracket)
{
	fputc(bracket, j->f);
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
	xdplb_json_item(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
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
