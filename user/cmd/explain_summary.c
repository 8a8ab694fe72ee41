// SPDX-License-Identifier: GPL-2.0
/* explain_summary.c: a short description of a frame: VLAN tags, IPv4/IPv6 with addresses,
 * fragments, the L4 protocol with ports or ICMP type. Stops at what it does not know. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "cmd/explain_summary.h"
#include "sys/strbuf.h"

/* inet_ntop's text, without its cost: one of these per frame. */
static void xdplb_ip4_str(const __u8 *addr, char *buf, size_t size)
{
	struct xdplb_strbuf b;

	xdplb_strbuf_init(&b, buf, size);
	xdplb_strbuf_ip4(&b, addr);
}

static void xdplb_ip6_str(const __u8 *addr, char *buf, size_t size)
{
	struct xdplb_strbuf b;

	xdplb_strbuf_init(&b, buf, size);
	if (xdplb_strbuf_ip6(&b, addr))
		inet_ntop(AF_INET6, addr, buf, (socklen_t)size);
}

static __u16 xdplb_be16(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

/* L4 after an IP header: ports, or ICMP type/code. */
static void xdplb_sum_l4(struct xdplb_strbuf *s, __u8 proto, const __u8 *p, __u32 left,
			 const char *src, const char *dst, int v6)
{
	const char *open = v6 ? "[" : "", *close = v6 ? "]" : "";

	if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP) && left >= 4) {
		xdplb_strbuf_add(s, " %s %s%s%s:%u > %s%s%s:%u", proto == IPPROTO_TCP ? "tcp" :
			      proto == IPPROTO_UDP ? "udp" : "sctp", open, src, close,
			      xdplb_be16(p), open, dst, close, xdplb_be16(p + 2));
		return;
	}
	if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) && left >= 2) {
		xdplb_strbuf_add(s, " %s %s > %s type %u code %u", v6 ? "icmpv6" : "icmp", src, dst,
			      p[0], p[1]);
		return;
	}
	xdplb_strbuf_add(s, " proto %u %s > %s%s", proto, src, dst, left ? "" : " (cut)");
}

static void xdplb_sum_ip4(struct xdplb_strbuf *s, const __u8 *p, __u32 left)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	__u32 ihl;
	__u16 frag;

	if (left < 20 || (p[0] >> 4) != 4) {
		xdplb_strbuf_add(s, " ip4 (cut or bad header)");
		return;
	}
	ihl = (__u32)(p[0] & 0xf) * 4;
	xdplb_ip4_str(p + 12, src, sizeof(src));
	xdplb_ip4_str(p + 16, dst, sizeof(dst));
	frag = xdplb_be16(p + 6);
	if (frag & 0x3fff)
		xdplb_strbuf_add(s, " ip4 frag off %u%s", (frag & 0x1fff) * 8, frag & 0x2000 ? " mf" : "");
	if (ihl < 20 || ihl > left || (frag & 0x1fff)) {
		xdplb_strbuf_add(s, " proto %u %s > %s", p[9], src, dst);
		return;
	}
	xdplb_sum_l4(s, p[9], p + ihl, left - ihl, src, dst, 0);
}

static void xdplb_sum_ip6(struct xdplb_strbuf *s, const __u8 *p, __u32 left)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	__u32 off = 40;
	__u8 nh;

	if (left < 40 || (p[0] >> 4) != 6) {
		xdplb_strbuf_add(s, " ip6 (cut or bad header)");
		return;
	}
	xdplb_ip6_str(p + 8, src, sizeof(src));
	xdplb_ip6_str(p + 24, dst, sizeof(dst));
	nh = p[6];
	/* Hop-by-hop, routing, destination options, fragment. */
	while ((nh == 0 || nh == 43 || nh == 60 || nh == 44) && off + 8 <= left) {
		__u32 hlen = nh == 44 ? 8 : (p[off + 1] + 1u) * 8;

		xdplb_strbuf_add(s, " ext %u", nh);
		if (nh == 44 && (xdplb_be16(p + off + 2) & 0xfff8)) {
			xdplb_strbuf_add(s, " frag %s > %s", src, dst);
			return;
		}
		nh = p[off];
		off += hlen;
	}
	xdplb_sum_l4(s, nh, p + off, off <= left ? left - off : 0, src, dst, 1);
}

void xdplb_frame_summary(const __u8 *p, __u32 len, char *buf, size_t size)
{
	struct xdplb_strbuf s;
	__u32 off = 12;
	__u16 type;

	xdplb_strbuf_init(&s, buf, size);
	if (len < 14) {
		xdplb_strbuf_add(&s, "runt (%u bytes)", len);
		return;
	}
	type = xdplb_be16(p + off);
	while ((type == 0x8100 || type == 0x88a8) && off + 6 <= len) {
		xdplb_strbuf_add(&s, "%svlan %u", s.used ? " " : "", xdplb_be16(p + off + 2) & 0xfff);
		off += 4;
		type = xdplb_be16(p + off);
	}
	off += 2;
	if (type == 0x0800)
		xdplb_strbuf_add(&s, "%s", s.used ? "" : "eth"), xdplb_sum_ip4(&s, p + off, len - off);
	else if (type == 0x86dd)
		xdplb_strbuf_add(&s, "%s", s.used ? "" : "eth"), xdplb_sum_ip6(&s, p + off, len - off);
	else if (type == 0x0806)
		xdplb_strbuf_add(&s, "%sarp", s.used ? " " : "");
	else
		xdplb_strbuf_add(&s, "%sethertype 0x%04x", s.used ? " " : "", type);
}
