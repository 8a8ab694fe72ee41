/* SPDX-License-Identifier: GPL-2.0 */
/* parse_tunnel.h: recognises GRE (with ERSPAN types I, II, III), IP-in-IP (IPv4 or IPv6
 * inside IPv4 or IPv6) and VXLAN, counts them by kind and, with --inner, hashes the frame
 * on the flow it carries. A mirror port's ERSPAN copies of both directions of a
 * conversation then meet on one target, as an IDS needs; the frame is not changed. */
#ifndef XDPLB_PARSE_TUNNEL_H
#define XDPLB_PARSE_TUNNEL_H

#include "parse.h"
#include "parse_icmp.h"

#define XDPLB_GRE_CSUM		0x8000
#define XDPLB_GRE_ROUTING	0x4000
#define XDPLB_GRE_KEY		0x2000
#define XDPLB_GRE_SEQ		0x1000
#define XDPLB_GRE_VERSION	0x0007
#define XDPLB_VXLAN_F_VNI	0x08
#define XDPLB_ERSPAN2_VER	1	/* type II */
#define XDPLB_ERSPAN3_VER	2	/* type III */
#define XDPLB_ERSPAN3_F_O	0x01	/* an 8-byte platform subheader follows */

struct xdplb_gre_hdr {
	__be16 flags;
	__be16 proto;
};

/* What a tunnel header says comes next: an IP packet or an Ethernet frame (and its kind);
 * next 0 when nothing usable does. */
struct xdplb_encap {
	__be16 next;
	__u8 eth;
};

/* GRE (RFC 2784/2890) version 0 without the obsolete routing field. ERSPAN: type I is
 * GRE without a sequence number, the frame right behind; type II (with one) puts an
 * 8-byte header before the frame, type III a 12-byte one, 20 with its subheader. */
static __always_inline int xdplb_parse_gre(struct xdplb_cursor *c, struct xdplb_encap *e)
{
	struct xdplb_gre_hdr *gre = xdplb_pull(c, sizeof(*gre));
	__u32 opt_len;
	__u8 *erspan;
	__u16 flags;

	if (!gre)
		return XDPLB_TUNNEL_gre;
	flags = bpf_ntohs(gre->flags);
	if (flags & (XDPLB_GRE_VERSION | XDPLB_GRE_ROUTING))
		return XDPLB_TUNNEL_gre;
	opt_len = 4 * (!!(flags & XDPLB_GRE_CSUM) + !!(flags & XDPLB_GRE_KEY) +
		       !!(flags & XDPLB_GRE_SEQ));
	if (opt_len && !xdplb_pull(c, opt_len))
		return gre->proto == bpf_htons(ETH_P_ERSPAN) || gre->proto == bpf_htons(ETH_P_ERSPAN2) ?
		       XDPLB_TUNNEL_erspan : XDPLB_TUNNEL_gre;
	if (gre->proto == bpf_htons(ETH_P_ERSPAN)) {
		if (flags & XDPLB_GRE_SEQ) {
			erspan = xdplb_pull(c, 8);
			if (!erspan || erspan[0] >> 4 != XDPLB_ERSPAN2_VER)
				return XDPLB_TUNNEL_erspan;
		}
		e->eth = 1;
		e->next = gre->proto;
		return XDPLB_TUNNEL_erspan;
	}
	if (gre->proto == bpf_htons(ETH_P_ERSPAN2)) {
		erspan = xdplb_pull(c, 12);
		if (!erspan || erspan[0] >> 4 != XDPLB_ERSPAN3_VER)
			return XDPLB_TUNNEL_erspan;
		if ((erspan[11] & XDPLB_ERSPAN3_F_O) && !xdplb_pull(c, 8))
			return XDPLB_TUNNEL_erspan;
		e->eth = 1;
		e->next = gre->proto;
		return XDPLB_TUNNEL_erspan;
	}
	e->eth = gre->proto == bpf_htons(ETH_P_TEB);
	e->next = gre->proto;
	return XDPLB_TUNNEL_gre;
}

static __always_inline int xdplb_parse_vxlan(struct xdplb_cursor *c, struct xdplb_encap *e)
{
	__u8 *vxlan;

	/* The UDP header, then VXLAN's 8 bytes. */
	if (!xdplb_pull(c, 8))
		return XDPLB_TUNNEL__COUNT;
	vxlan = xdplb_pull(c, 8);
	if (!vxlan || !(vxlan[0] & XDPLB_VXLAN_F_VNI))
		return XDPLB_TUNNEL__COUNT;
	e->eth = 1;
	e->next = bpf_htons(ETH_P_TEB);
	return XDPLB_TUNNEL_vxlan;
}

/* off: the outer L4 header (GRE, UDP, or the inner IP header). Returns the tunnel kind
 * (XDPLB_TUNNEL__COUNT when the frame turns out not to be one). With `inner` set, *f
 * becomes the inner flow when the inner frame has one; otherwise, or when the inner frame
 * is not IP or is cut short, *f stays the outer flow: the outer frame itself is sound. */
__noinline int xdplb_parse_tunnel(struct xdp_md *ctx, __u32 off, struct xdplb_flow *f,
				  __u32 inner)
{
	struct xdplb_flow in = {};
	struct xdplb_encap e = {};
	struct xdplb_l4 l4 = {};
	struct xdplb_cursor c;
	__be16 proto;
	int kind;

	if (!f || xdplb_cursor_at(ctx, off, &c))
		return XDPLB_TUNNEL__COUNT;
	if (f->proto == IPPROTO_GRE) {
		kind = xdplb_parse_gre(&c, &e);
	} else if (f->proto == IPPROTO_UDP) {
		kind = xdplb_parse_vxlan(&c, &e);
	} else {
		kind = XDPLB_TUNNEL_ipip;
		e.next = bpf_htons(f->proto == IPPROTO_IPIP ? ETH_P_IP : ETH_P_IPV6);
	}
	if (!inner || !e.next)
		return kind;
	proto = e.next;
	if (e.eth && xdplb_parse_eth(&c, &proto) != XDPLB_CONTINUE)
		return kind;
	if (xdplb_parse_ip(ctx, &c, proto, &in, &l4) != XDPLB_CONTINUE)
		return kind;
	if (l4.icmp_error &&
	    xdplb_parse_icmp_error(ctx, xdplb_offset(ctx, c.pos), &in) != XDPLB_CONTINUE)
		return kind;
	*f = in;
	return kind;
}

#endif
