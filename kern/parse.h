/* SPDX-License-Identifier: GPL-2.0 */
/* parse.h: a cursor parser from Ethernet to the L4 identifiers, filling a struct xdplb_flow.
 * Every header is taken with one bounds-checked pull; every exit that is not a flow names
 * the reason the frame goes to the stack instead. parse_frame.h joins this to ICMP errors
 * (parse_icmp.h) and tunnels (parse_tunnel.h), which are global functions: the verifier
 * checks each once, on its own, instead of once per path that reaches it, and the IPv4 TCP
 * path never calls them. */
#ifndef XDPLB_PARSE_H
#define XDPLB_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "../maps/xdplb_counters.h"
#include "../maps/xdplb_limits.h"
#include "flow_hash.h"

/* Returned by parse steps that found what they wanted; anything else is a pass reason. */
#define XDPLB_CONTINUE	(-1)

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP	132
#endif

/* IANA's VXLAN port (RFC 7348); Linux's own default 8472 predates it. */
#define XDPLB_VXLAN_PORT	4789

#define XDPLB_IP_MF	0x2000
#define XDPLB_IP_OFFSET	0x1fff

#define XDPLB_ICMP_ECHOREPLY		0
#define XDPLB_ICMP_DEST_UNREACH		3	/* code 4 is IPv4's packet too big */
#define XDPLB_ICMP_ECHO			8
#define XDPLB_ICMP_TIME_EXCEEDED	11
#define XDPLB_ICMP_PARAMETERPROB	12
#define XDPLB_ICMPV6_DEST_UNREACH	1
#define XDPLB_ICMPV6_PARAMPROB		4	/* 1..4: the four ICMPv6 errors */
#define XDPLB_ICMPV6_ECHO_REQUEST	128
#define XDPLB_ICMPV6_ECHO_REPLY		129

struct xdplb_cursor {
	void *pos;
	void *end;
};

struct xdplb_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* The first four bytes of TCP, UDP and SCTP alike, and ESP's SPI. */
struct xdplb_ports {
	__be16 source;
	__be16 dest;
};

/* The part of ICMP and ICMPv6 headers the parser reads: echo's identifier sits where
 * the errors keep unused bytes or the MTU. */
struct xdplb_icmp_hdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 id;
	__be16 sequence;
};

/* What the IP step leaves for the next one. */
struct xdplb_l4 {
	void *pos;		/* the L4 header */
	__u8 fragment;		/* no L4 header to read: hashed on addresses and protocol */
	__u8 icmp_error;	/* the cursor stands at the packet an ICMP error quotes */
};

/* The IPv6 extension header walk: in, where it starts and the first next header; out,
 * where the upper-layer header starts and its protocol. */
struct xdplb_ip6_ext {
	__u32 off;
	__u8 proto;
	__u8 fragment;
	__u8 pad[2];
};

static __always_inline void *xdplb_pull(struct xdplb_cursor *c, __u32 len)
{
	void *hdr = c->pos;

	if (hdr + len > c->end)	/* the verifier needs this on every path */
		return NULL;
	c->pos = hdr + len;
	return hdr;
}

/* Global functions take offsets, not packet pointers (the verifier passes only the
 * context and scalars to them); these convert both ways, bounding the offset. The barrier
 * keeps the checked offset and the added one in one register: clang 14 would zero-extend
 * the 32-bit argument twice and add the unchecked copy. */
static __always_inline int xdplb_cursor_at(struct xdp_md *ctx, __u64 off, struct xdplb_cursor *c)
{
	asm volatile("" : "+r"(off));
	if (off > XDPLB_PARSE_OFF_MAX)
		return -1;
	c->pos = (void *)(long)ctx->data + off;
	c->end = (void *)(long)ctx->data_end;
	return 0;
}

static __always_inline __u32 xdplb_offset(struct xdp_md *ctx, void *pos)
{
	return pos - (void *)(long)ctx->data;
}

/* Ethernet and up to XDPLB_VLAN_MAX tags (802.1Q or 802.1ad); leaves the inner EtherType. */
static __always_inline int xdplb_parse_eth(struct xdplb_cursor *c, __be16 *proto)
{
	struct ethhdr *eth = xdplb_pull(c, sizeof(*eth));
	struct xdplb_vlan_hdr *vlan;
	int i;

	if (!eth)
		return XDPLB_PASS_malformed;
	*proto = eth->h_proto;
#pragma unroll
	for (i = 0; i < XDPLB_VLAN_MAX; i++) {
		if (*proto != bpf_htons(ETH_P_8021Q) && *proto != bpf_htons(ETH_P_8021AD))
			break;
		vlan = xdplb_pull(c, sizeof(*vlan));
		if (!vlan)
			return XDPLB_PASS_malformed;
		*proto = vlan->proto;
	}
	/* A third tag: more than the parser walks, left to the stack. */
	if (*proto == bpf_htons(ETH_P_8021Q) || *proto == bpf_htons(ETH_P_8021AD))
		return XDPLB_PASS_unsupported;
	return XDPLB_CONTINUE;
}

static __always_inline int xdplb_is_icmp_error(const struct xdplb_flow *f, __u8 type)
{
	if (f->is_v6)
		return type >= XDPLB_ICMPV6_DEST_UNREACH && type <= XDPLB_ICMPV6_PARAMPROB;
	return type == XDPLB_ICMP_DEST_UNREACH || type == XDPLB_ICMP_TIME_EXCEEDED ||
	       type == XDPLB_ICMP_PARAMETERPROB;
}

static __always_inline int xdplb_is_icmp_echo(const struct xdplb_flow *f, __u8 type)
{
	if (f->is_v6)
		return type == XDPLB_ICMPV6_ECHO_REQUEST || type == XDPLB_ICMPV6_ECHO_REPLY;
	return type == XDPLB_ICMP_ECHO || type == XDPLB_ICMP_ECHOREPLY;
}

/* TCP, UDP, SCTP ports and ESP's SPI sit in the first four bytes. An echo's identifier
 * stands for both ports, so request and reply are one flow in the symmetric modes. Other
 * protocols hash on addresses and protocol. */
static __always_inline int xdplb_parse_l4(struct xdplb_cursor *c, struct xdplb_flow *f,
					  struct xdplb_l4 *l4)
{
	struct xdplb_icmp_hdr *icmp;
	struct xdplb_ports *ports;

	if (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP || f->proto == IPPROTO_SCTP ||
	    f->proto == IPPROTO_ESP) {
		ports = xdplb_pull(c, sizeof(*ports));
		if (!ports)
			return XDPLB_PASS_malformed;
		f->sport = ports->source;
		f->dport = ports->dest;
		return XDPLB_CONTINUE;
	}
	if (f->proto != (f->is_v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
		return XDPLB_CONTINUE;
	icmp = xdplb_pull(c, sizeof(*icmp));
	if (!icmp)
		return XDPLB_PASS_malformed;
	if (xdplb_is_icmp_echo(f, icmp->type))
		f->sport = f->dport = icmp->id;
	else
		l4->icmp_error = xdplb_is_icmp_error(f, icmp->type);
	return XDPLB_CONTINUE;
}

static __always_inline int xdplb_parse_ipv4(struct xdplb_cursor *c, struct xdplb_flow *f,
					    struct xdplb_l4 *l4)
{
	struct iphdr *ip = xdplb_pull(c, sizeof(*ip));
	__u32 hdr_len;

	if (!ip)
		return XDPLB_PASS_malformed;
	hdr_len = ip->ihl * 4;
	if (ip->version != 4 || hdr_len < sizeof(*ip))
		return XDPLB_PASS_malformed;
	/* Options: step over them by IHL; the pull re-checks the bound. */
	if (hdr_len > sizeof(*ip) && !xdplb_pull(c, hdr_len - sizeof(*ip)))
		return XDPLB_PASS_malformed;
	f->src[0] = ip->saddr;
	f->dst[0] = ip->daddr;
	f->proto = ip->protocol;
	/* Only the first fragment carries ports: every fragment hashes on addresses alone so
	 * the whole datagram meets on one target. */
	l4->fragment = !!(ip->frag_off & bpf_htons(XDPLB_IP_MF | XDPLB_IP_OFFSET));
	return XDPLB_CONTINUE;
}

static __always_inline int xdplb_is_ipv6_ext(__u8 nexthdr)
{
	return nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
	       nexthdr == IPPROTO_DSTOPTS || nexthdr == IPPROTO_FRAGMENT || nexthdr == IPPROTO_AH;
}

/* Walks the extension headers from x->off, at most XDPLB_IPV6_EXT_MAX of them. A fragment
 * header ends the walk: only a first fragment carries what follows it, so every fragment
 * hashes on addresses and the fragment header's next header, which they all share.
 *
 * Offsets in and out, each bounded: the walk then starts from one pointer range whatever
 * came before it (VLAN tags), and leaves one range whatever its length, so the verifier
 * checks it and the parse after it once rather than once per combination (49k instead of
 * 138k insns for the program). Inlined: as a global function it would be checked once in
 * all (14k), but each IPv6 packet with extension headers would pay some 10 ns for the
 * call. */
static __always_inline int xdplb_skip_ipv6_ext(struct xdp_md *ctx, struct xdplb_ip6_ext *x)
{
	struct xdplb_cursor c;
	__u8 *hdr, nexthdr;
	__u32 len;
	int i;

	if (xdplb_cursor_at(ctx, x->off, &c))
		return XDPLB_PASS_malformed;
	nexthdr = x->proto;
	for (i = 0; i < XDPLB_IPV6_EXT_MAX; i++) {
		if (!xdplb_is_ipv6_ext(nexthdr))
			break;
		hdr = c.pos;
		if ((void *)(hdr + 2) > c.end)
			return XDPLB_PASS_malformed;
		/* Hop-by-hop, routing, destination options count 8-byte units beyond the
		 * first; AH counts 4-byte units beyond the first two (RFC 4302). */
		if (nexthdr == IPPROTO_AH)
			len = (hdr[1] + 2) * 4;
		else if (nexthdr == IPPROTO_FRAGMENT)
			len = 8;
		else
			len = (hdr[1] + 1) * 8;
		if (!xdplb_pull(&c, len))
			return XDPLB_PASS_malformed;
		x->fragment = nexthdr == IPPROTO_FRAGMENT;
		nexthdr = hdr[0];
		if (x->fragment)
			break;
	}
	if (!x->fragment && xdplb_is_ipv6_ext(nexthdr))
		return XDPLB_PASS_unsupported;
	x->off = xdplb_offset(ctx, c.pos);
	x->proto = nexthdr;
	return XDPLB_CONTINUE;
}

static __always_inline int xdplb_parse_ipv6(struct xdp_md *ctx, struct xdplb_cursor *c,
					    struct xdplb_flow *f, struct xdplb_l4 *l4)
{
	struct ipv6hdr *ip6 = xdplb_pull(c, sizeof(*ip6));
	struct xdplb_ip6_ext x = {};
	int ret;

	if (!ip6)
		return XDPLB_PASS_malformed;
	if (ip6->version != 6)
		return XDPLB_PASS_malformed;
	__builtin_memcpy(f->src, &ip6->saddr, sizeof(f->src));
	__builtin_memcpy(f->dst, &ip6->daddr, sizeof(f->dst));
	f->is_v6 = 1;
	f->proto = ip6->nexthdr;
	if (!xdplb_is_ipv6_ext(f->proto))
		return XDPLB_CONTINUE;
	x.off = xdplb_offset(ctx, c->pos);
	x.proto = f->proto;
	ret = xdplb_skip_ipv6_ext(ctx, &x);
	if (ret != XDPLB_CONTINUE)
		return ret;
	if (xdplb_cursor_at(ctx, x.off, c))
		return XDPLB_PASS_malformed;
	f->proto = x.proto;
	l4->fragment = x.fragment;
	return XDPLB_CONTINUE;
}

/* One IP packet, EtherType `proto`: addresses, protocol, and unless it is a fragment the
 * L4 identifiers. The outer packet, an ICMP error's quote and a tunnel's inner packet all
 * go through here. */
static __always_inline int xdplb_parse_ip(struct xdp_md *ctx, struct xdplb_cursor *c,
					  __be16 proto, struct xdplb_flow *f, struct xdplb_l4 *l4)
{
	int ret;

	if (proto == bpf_htons(ETH_P_IP))
		ret = xdplb_parse_ipv4(c, f, l4);
	else if (proto == bpf_htons(ETH_P_IPV6))
		ret = xdplb_parse_ipv6(ctx, c, f, l4);
	else
		return XDPLB_PASS_non_ip;
	l4->pos = c->pos;
	if (ret != XDPLB_CONTINUE || l4->fragment)
		return ret;
	return xdplb_parse_l4(c, f, l4);
}

#endif
