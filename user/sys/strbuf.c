// SPDX-License-Identifier: GPL-2.0
/* strbuf.c: the string builder: conversions by hand, bounds checked on every byte. */
#define _GNU_SOURCE	/* strchrnul */
#include <stdarg.h>
#include <string.h>

#include "sys/strbuf.h"

void xdplb_strbuf_init(struct xdplb_strbuf *b, char *buf, size_t size)
{
	b->buf = buf;
	b->size = size;
	b->used = 0;
	if (size)
		buf[0] = '\0';
}

/* n bytes, cut at the end; the terminating NUL is the caller's. */
static void xdplb_strbuf_put(struct xdplb_strbuf *b, const char *p, size_t n)
{
	if (b->used + n >= b->size)
		n = b->size - 1 - b->used;
	memcpy(b->buf + b->used, p, n);
	b->used += n;
}

static void xdplb_strbuf_putc(struct xdplb_strbuf *b, char c)
{
	if (b->used + 1 < b->size)
		b->buf[b->used++] = c;
}

static void xdplb_strbuf_dec(struct xdplb_strbuf *b, unsigned long long v)
{
	char digits[20];
	int n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	xdplb_strbuf_put(b, digits + n, sizeof(digits) - (size_t)n);
}

static void xdplb_strbuf_hex4(struct xdplb_strbuf *b, unsigned int v)
{
	static const char hex[] = "0123456789abcdef";
	int shift;

	for (shift = 12; shift >= 0; shift -= 4)
		xdplb_strbuf_putc(b, hex[(v >> shift) & 0xf]);
}

void xdplb_strbuf_add(struct xdplb_strbuf *b, const char *fmt, ...)
{
	const char *s, *pct;
	va_list ap;

	if (!b->size)
		return;
	va_start(ap, fmt);
	while (*fmt) {
		pct = strchrnul(fmt, '%');
		xdplb_strbuf_put(b, fmt, (size_t)(pct - fmt));
		fmt = pct;
		if (!*fmt)
			break;
		if (fmt[1] == 's') {
			s = va_arg(ap, const char *);
			xdplb_strbuf_put(b, s, strlen(s));
			fmt += 2;
		} else if (fmt[1] == 'u') {
			xdplb_strbuf_dec(b, va_arg(ap, unsigned int));
			fmt += 2;
		} else if (!strncmp(fmt + 1, "llu", 3)) {
			xdplb_strbuf_dec(b, va_arg(ap, unsigned long long));
			fmt += 4;
		} else if (!strncmp(fmt + 1, "04x", 3)) {
			xdplb_strbuf_hex4(b, va_arg(ap, unsigned int));
			fmt += 4;
		} else {
			xdplb_strbuf_putc(b, '%');	/* %% and anything unknown */
			fmt += fmt[1] == '%' ? 2 : 1;
		}
	}
	va_end(ap);
	b->buf[b->used] = '\0';
}

void xdplb_strbuf_ip4(struct xdplb_strbuf *b, const __u8 *addr)
{
	int i;

	if (!b->size)
		return;
	for (i = 0; i < 4; i++) {
		if (i)
			xdplb_strbuf_putc(b, '.');
		xdplb_strbuf_dec(b, addr[i]);
	}
	b->buf[b->used] = '\0';
}
