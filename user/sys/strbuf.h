/* SPDX-License-Identifier: GPL-2.0 */
/* strbuf.h: a bounded string builder with the few conversions per-frame output needs (%s,
 * %u, %llu, %04x), several times faster than vsnprintf: --explain writes a line for each of
 * a million frames a second. */
#ifndef XDPLB_STRBUF_H
#define XDPLB_STRBUF_H

#include <stddef.h>
#include <linux/types.h>

struct xdplb_strbuf {
	char *buf;
	size_t size, used;	/* buf[used] is always '\0' */
};

void xdplb_strbuf_init(struct xdplb_strbuf *b, char *buf, size_t size);
/* Appends fmt with %s, %u (unsigned int), %llu (unsigned long long), %04x and %%; cut at
 * the end of the buffer. They mean what printf's do, so the compiler checks the arguments
 * as printf's. */
void xdplb_strbuf_add(struct xdplb_strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An IPv4 address in network order, dotted. */
void xdplb_strbuf_ip4(struct xdplb_strbuf *b, const __u8 *addr);
/* An IPv6 address, as inet_ntop writes it; -1 (nothing written) for the IPv4-compatible
 * and -mapped forms, which inet_ntop writes with the IPv4 part dotted. */
int xdplb_strbuf_ip6(struct xdplb_strbuf *b, const __u8 *addr);

#endif
