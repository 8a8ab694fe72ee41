/* SPDX-License-Identifier: GPL-2.0 */
/* parse_fast.h: the common frames with two bounds checks. Ethernet with no tag or one
 * 802.1Q/802.1ad tag, then IPv4 without options that is not a fragment, or IPv6 without
 * extension headers, then TCP or UDP that is not VXLAN: every field the hash needs sits at
 * a fixed offset from the IP header, so one check covers all the reads and the hash takes
 * them straight from the packet, with no flow to fill. Anything else goes to the full parser
 * (parse.h), which hashes these frames to the same value: tests/test_parse checks both
 * against the user-side model. */
#ifndef XDPLB_PARSE_FAST_H
#define XDPLB_PARSE_FAST_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>

#include "parse.h"
#include "flow_hash.h"

#define XDPLB_IPV4_NO_OPTIONS	0x45	/* version 4, IHL 5 */
#define XDPLB_IPV6_VERSION	0x60	/* the high nibble of the first byte */
/* The copy for a half of one target (XDPLB_HASH_F_ONE_TARGET): the same checks, no hash. */
#define XDPLB_HASH_NONE		XDPLB_HASH_MODE_MASK

/* What xdplb_parse_fast found. */
enum xdplb_fast {
	XDPLB_FAST_NO = 0,	/* not a common frame: parse it in full */
	XDPLB_FAST_HASHED,	/* a common frame, *hash set */
	XDPLB_FAST_FLOW,	/* a common frame of a one-target half: nothing hashed */
};

/* TCP, or UDP that is not VXLAN (a tunnel: counted, and hashed inside with --inner). */
static __always_inline int xdplb_fast_l4(__u8 proto, const struct xdplb_ports *ports)
{
	if (proto == IPPROTO_UDP)
		return ports->dest != bpf_htons(XDPLB_VXLAN_PORT);
	return proto == IPPROTO_TCP;
}

/* The IP header at l3 with EtherType proto. The packet is read through plain (not packed)
 * pointers so that each field is one load. */
static __always_inline int xdplb_fast_ip(void *l3, void *data_end, __be16 proto, __u64 seed,
					 __u32 mode, __u64 *hash)
{
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;
		struct xdplb_ports *ports = (void *)(ip + 1);

		if ((void *)(ports + 1) > data_end)
			return XDPLB_FAST_NO;
		if (*(__u8 *)ip != XDPLB_IPV4_NO_OPTIONS ||
		    (ip->frag_off & bpf_htons(XDPLB_IP_MF | XDPLB_IP_OFFSET)) ||
		    !xdplb_fast_l4(ip->protocol, ports))
			return XDPLB_FAST_NO;
		if (mode == XDPLB_HASH_NONE)
			return XDPLB_FAST_FLOW;
		*hash = xdplb_flow_hash_v4(seed, mode, ip->saddr, ip->daddr,
					   ports->source, ports->dest, ip->protocol);
		return XDPLB_FAST_HASHED;
	}
	if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;
		struct xdplb_ports *ports = (void *)(ip6 + 1);

		if ((void *)(ports + 1) > data_end)
			return XDPLB_FAST_NO;
		if ((*(__u8 *)ip6 & 0xf0) != XDPLB_IPV6_VERSION || !xdplb_fast_l4(ip6->nexthdr, ports))
			return XDPLB_FAST_NO;
		if (mode == XDPLB_HASH_NONE)
			return XDPLB_FAST_FLOW;
		*hash = xdplb_flow_hash_v6(seed, mode,
					   (const __u32 *)&ip6->saddr, (const __u32 *)&ip6->daddr,
					   ports->source, ports->dest, ip6->nexthdr);
		return XDPLB_FAST_HASHED;
	}
	return XDPLB_FAST_NO;
}

/* The fast path for one hash mode, a constant in each copy (below). */
static __always_inline int xdplb_parse_fast_mode(void *data, void *data_end, __u64 seed,
						 __u32 mode, __u64 *hash)
{
	__be16 proto;

	if (data + ETH_HLEN > data_end)
		return XDPLB_FAST_NO;
	proto = *(__be16 *)(data + offsetof(struct ethhdr, h_proto));
	if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
		return xdplb_fast_ip(data + ETH_HLEN, data_end, proto, seed, mode, hash);
	if (data + ETH_HLEN + sizeof(struct xdplb_vlan_hdr) > data_end)
		return XDPLB_FAST_NO;
	proto = *(__be16 *)(data + ETH_HLEN + offsetof(struct xdplb_vlan_hdr, proto));
	return xdplb_fast_ip(data + ETH_HLEN + sizeof(struct xdplb_vlan_hdr), data_end, proto,
			     seed, mode, hash);
}

/* Returns an enum xdplb_fast. One copy of the fast path per hash mode: with the mode a
 * constant, the hash's tests of it fold away and the path is straight-line. A half of one
 * target takes the copy without a hash, whatever its mode: every slot sends to the same
 * place. An unknown mode (never written) takes the full parser. */
static __always_inline int xdplb_parse_fast(void *data, void *data_end, __u64 seed,
					    __u32 mode, __u64 *hash)
{
	if (mode & XDPLB_HASH_F_ONE_TARGET)
		return xdplb_parse_fast_mode(data, data_end, seed, XDPLB_HASH_NONE, hash);
	switch (mode & XDPLB_HASH_MODE_MASK) {
	case XDPLB_HASH_SYM:
		return xdplb_parse_fast_mode(data, data_end, seed, XDPLB_HASH_SYM, hash);
	case XDPLB_HASH_L4:
		return xdplb_parse_fast_mode(data, data_end, seed, XDPLB_HASH_L4, hash);
	case XDPLB_HASH_L3:
		return xdplb_parse_fast_mode(data, data_end, seed, XDPLB_HASH_L3, hash);
	}
	return XDPLB_FAST_NO;
}

#endif
