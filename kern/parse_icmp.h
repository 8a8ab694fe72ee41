/* SPDX-License-Identifier: GPL-2.0 */
/* parse_icmp.h: ICMP and ICMPv6 errors (destination unreachable, packet too big, time
 * exceeded, parameter problem) hash on the packet they quote, reversed. The quote is a
 * packet this side sent; reversed, it is the flow's incoming direction, so the error
 * reaches the target that owns the flow it reports on (Katran's handle_icmp.h does the
 * same for its VIPs). */
#ifndef XDPLB_PARSE_ICMP_H
#define XDPLB_PARSE_ICMP_H

#include "parse.h"

/* off: the quoted IP header, right after the ICMP header. *f holds the outer flow; on
 * success it becomes the quote's flow reversed. A quote of the other IP version, or one
 * cut before its ports, is malformed. A quoted ICMP error (RFC 1122 forbids sending them)
 * hashes on its addresses. */
__noinline int xdplb_parse_icmp_error(struct xdp_md *ctx, __u32 off, struct xdplb_flow *f)
{
	struct xdplb_flow quote = {};
	struct xdplb_l4 l4 = {};
	struct xdplb_cursor c;
	int ret;

	if (!f || xdplb_cursor_at(ctx, off, &c))
		return XDPLB_PASS_malformed;
	ret = xdplb_parse_ip(ctx, &c, bpf_htons(f->is_v6 ? ETH_P_IPV6 : ETH_P_IP), &quote, &l4);
	if (ret != XDPLB_CONTINUE)
		return ret;
	__builtin_memcpy(f->src, quote.dst, sizeof(f->src));
	__builtin_memcpy(f->dst, quote.src, sizeof(f->dst));
	f->sport = quote.dport;
	f->dport = quote.sport;
	f->proto = quote.proto;
	return XDPLB_CONTINUE;
}

#endif
