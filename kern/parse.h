/* SPDX-License-Identifier: GPL-2.0 */
/* parse.h: a cursor parser from Ethernet to the L4 ports, filling a struct xdplb_flow.
 * Every header is taken with one bounds-checked pull; every exit that is not a flow names
 * the reason the frame goes to the stack instead. */
#ifndef XDPLB_PARSE_H
#define XDPLB_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "../maps/xdplb_counters.h"
#include "flow_hash.h"

/* Returned by parse steps that found what they wanted; anything else is a pass reason. */
#define XDPLB_CONTINUE	(-1)

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP	132
#endif

#define XDPLB_IP_MF	0x2000
#define XDPLB_IP_OFFSET	0x1fff

struct xdplb_cursor {
	void *pos;
	void *end;
};

struct xdplb_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* The first four bytes of TCP, UDP and SCTP alike. */
struct xdplb_ports {
	__be16 source;
	__be16 dest;
};

static __always_inline void *xdplb_pull(struct xdplb_cursor *c, __u32 len)
{
	void *hdr = c->pos;

	if (hdr + len > c->end)	/* the verifier needs this on every path */
		return NULL;
	c->pos = hdr + len;
	return hdr;
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

/* TCP, UDP and SCTP put their ports first; other protocols hash on addresses alone. */
static __always_inline int xdplb_parse_ports(struct xdplb_cursor *c, struct xdplb_flow *f)
{
	struct xdplb_ports *ports;

	if (f->proto != IPPROTO_TCP && f->proto != IPPROTO_UDP && f->proto != IPPROTO_SCTP)
		return XDPLB_CONTINUE;
	ports = xdplb_pull(c, sizeof(*ports));
	if (!ports)
		return XDPLB_PASS_malformed;
	f->sport = ports->source;
	f->dport = ports->dest;
	return XDPLB_CONTINUE;
}

static __always_inline int xdplb_parse_ipv4(struct xdplb_cursor *c, struct xdplb_flow *f)
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
	if (ip->frag_off & bpf_htons(XDPLB_IP_MF | XDPLB_IP_OFFSET))
		return XDPLB_CONTINUE;
	return xdplb_parse_ports(c, f);
}

static __always_inline int xdplb_parse_ipv6(struct xdplb_cursor *c, struct xdplb_flow *f)
{
	struct ipv6hdr *ip6 = xdplb_pull(c, sizeof(*ip6));

	if (!ip6)
		return XDPLB_PASS_malformed;
	if (ip6->version != 6)
		return XDPLB_PASS_malformed;
	__builtin_memcpy(f->src, &ip6->saddr, sizeof(f->src));
	__builtin_memcpy(f->dst, &ip6->daddr, sizeof(f->dst));
	f->is_v6 = 1;
	/* Extension headers are not walked: the frame hashes on addresses and the first next
	 * header, which keeps every fragment of a datagram (next header 44) together. */
	f->proto = ip6->nexthdr;
	return xdplb_parse_ports(c, f);
}

/* Fills *f from the frame, or returns the reason to pass it. */
static __always_inline int xdplb_parse(void *data, void *data_end, struct xdplb_flow *f)
{
	struct xdplb_cursor c = { .pos = data, .end = data_end };
	__be16 proto;
	int ret;

	ret = xdplb_parse_eth(&c, &proto);
	if (ret != XDPLB_CONTINUE)
		return ret;
	if (proto == bpf_htons(ETH_P_IP))
		return xdplb_parse_ipv4(&c, f);
	if (proto == bpf_htons(ETH_P_IPV6))
		return xdplb_parse_ipv6(&c, f);
	return XDPLB_PASS_non_ip;
}

#endif
