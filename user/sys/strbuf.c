// SPDX-License-Identifier: GPL-2.0
/* strbuf.c: the string builder: conversions by hand, bounds checked on every byte. */
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

static const char xdplb_hex[] = "0123456789abcdef";

/* xdplb_strbuf_add writes through a local cursor p, never further than last (where the
 * NUL goes), each helper returning where it stopped: a byte stored through b->buf may
 * alias b->used for the compiler, which would reload both around every byte. */
static char *xdplb_cursor_str(char *p, char *last, const char *s)
{
	while (*s && p < last)
		*p++ = *s++;
	return p;
}

static char *xdplb_cursor_dec(char *p, char *last, unsigned long long v)
{
	char digits[21];
	int n = sizeof(digits) - 1;

	digits[n] = '\0';
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return xdplb_cursor_str(p, last, digits + n);
}

static char *xdplb_cursor_hex4(char *p, char *last, unsigned int v)
{
	char digits[5] = { xdplb_hex[(v >> 12) & 0xf], xdplb_hex[(v >> 8) & 0xf],
			   xdplb_hex[(v >> 4) & 0xf], xdplb_hex[v & 0xf], '\0' };

	return xdplb_cursor_str(p, last, digits);
}

void xdplb_strbuf_add(struct xdplb_strbuf *b, const char *fmt, ...)
{
	char *p, *last;
	va_list ap;

	if (!b->size)
		return;
	p = b->buf + b->used;
	last = b->buf + b->size - 1;
	va_start(ap, fmt);
	while (*fmt) {
		if (*fmt != '%') {
			if (p < last)
				*p++ = *fmt;
			fmt++;
		} else if (fmt[1] == 's') {
			p = xdplb_cursor_str(p, last, va_arg(ap, const char *));
			fmt += 2;
		} else if (fmt[1] == 'u') {
			p = xdplb_cursor_dec(p, last, va_arg(ap, unsigned int));
			fmt += 2;
		} else if (fmt[1] == 'l' && fmt[2] == 'l' && fmt[3] == 'u') {
			p = xdplb_cursor_dec(p, last, va_arg(ap, unsigned long long));
			fmt += 4;
		} else if (fmt[1] == '0' && fmt[2] == '4' && fmt[3] == 'x') {
			p = xdplb_cursor_hex4(p, last, va_arg(ap, unsigned int));
			fmt += 4;
		} else {
			if (p < last)
				*p++ = '%';	/* %% and anything unknown */
			fmt += fmt[1] == '%' ? 2 : 1;
		}
	}
	va_end(ap);
	*p = '\0';
	b->used = (size_t)(p - b->buf);
}

void xdplb_strbuf_ip4(struct xdplb_strbuf *b, const __u8 *addr)
{
	char *p, *last;
	int i;

	if (!b->size)
		return;
	p = b->buf + b->used;
	last = b->buf + b->size - 1;
	for (i = 0; i < 4; i++) {
		if (i && p < last)
			*p++ = '.';
		p = xdplb_cursor_dec(p, last, addr[i]);
	}
	*p = '\0';
	b->used = (size_t)(p - b->buf);
}

/* The longest run of two or more zero words, the first of equals (RFC 5952, as glibc's
 * inet_ntop picks it): *base, or -1. */
static int xdplb_ip6_zeros(const __u16 *w, int *base)
{
	int i, run = 0, best = 0;

	*base = -1;
	for (i = 0; i <= 8; i++) {
		if (i < 8 && !w[i]) {
			run++;
			continue;
		}
		if (run > best && run >= 2) {
			best = run;
			*base = i - run;
		}
		run = 0;
	}
	return best;
}

/* A word in hex without leading zeros, and a ':' before it unless first. */
static char *xdplb_cursor_hexword(char *p, char *last, __u16 v, int colon)
{
	char digits[6];
	int shift = 12, n = 0;

	if (colon)
		digits[n++] = ':';
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		digits[n++] = xdplb_hex[(v >> shift) & 0xf];
	digits[n] = '\0';
	return xdplb_cursor_str(p, last, digits);
}

int xdplb_strbuf_ip6(struct xdplb_strbuf *b, const __u8 *addr)
{
	char *p, *last;
	__u16 w[8];
	int i, base, len;

	for (i = 0; i < 8; i++)
		w[i] = (__u16)(addr[2 * i] << 8 | addr[2 * i + 1]);
	len = xdplb_ip6_zeros(w, &base);
	/* IPv4-compatible and -mapped addresses: inet_ntop writes the IPv4 part dotted. */
	if (base == 0 && (len == 6 || (len == 5 && w[5] == 0xffff)))
		return -1;
	if (!b->size)
		return 0;
	p = b->buf + b->used;
	last = b->buf + b->size - 1;
	for (i = 0; i < 8; i++) {
		if (i == base) {
			/* "::" for the run; its second ':' is the next word's, or the end's. */
			p = xdplb_cursor_str(p, last, i + len == 8 ? "::" : ":");
			i += len - 1;
			continue;
		}
		p = xdplb_cursor_hexword(p, last, w[i], i != 0);
	}
	*p = '\0';
	b->used = (size_t)(p - b->buf);
	return 0;
}
