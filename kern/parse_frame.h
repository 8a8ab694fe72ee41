/* SPDX-License-Identifier: GPL-2.0 */
/* parse_frame.h: a whole received frame, Ethernet to the flow it hashes on. The layers it
 * joins stay below it: parse.h (cursor, L2 to L4), parse_icmp.h (an ICMP error's quote)
 * and parse_tunnel.h (GRE, ERSPAN, IP-in-IP, VXLAN), so no header includes one that
 * includes it back. */
#ifndef XDPLB_PARSE_FRAME_H
#define XDPLB_PARSE_FRAME_H

#include "parse.h"
#include "parse_icmp.h"
#include "parse_tunnel.h"

static __always_inline int xdplb_is_tunnel(const struct xdplb_flow *f)
{
	return f->proto == IPPROTO_GRE || f->proto == IPPROTO_IPIP || f->proto == IPPROTO_IPV6 ||
	       (f->proto == IPPROTO_UDP && f->dport == bpf_htons(XDPLB_VXLAN_PORT));
}

/* Fills *f from the frame, or returns the reason to pass it. *tunnel gets the kind of
 * tunnel the frame is (XDPLB_TUNNEL__COUNT: none); with `inner`, a tunnel's frame hashes
 * on the flow it carries when it carries one. */
static __always_inline int xdplb_parse(struct xdp_md *ctx, struct xdplb_flow *f, __u32 inner,
				       __u32 *tunnel)
{
	struct xdplb_cursor c = {
		.pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end,
	};
	struct xdplb_l4 l4 = {};
	__be16 proto;
	int ret;

	ret = xdplb_parse_eth(&c, &proto);
	if (ret != XDPLB_CONTINUE)
		return ret;
	ret = xdplb_parse_ip(ctx, &c, proto, f, &l4);
	if (ret != XDPLB_CONTINUE || l4.fragment)
		return ret;
	if (l4.icmp_error)
		return xdplb_parse_icmp_error(ctx, xdplb_offset(ctx, c.pos), f);
	if (xdplb_is_tunnel(f))
		*tunnel = xdplb_parse_tunnel(ctx, xdplb_offset(ctx, l4.pos), f, inner);
	return XDPLB_CONTINUE;
}

#endif
