/* SPDX-License-Identifier: GPL-2.0 */
/* parse_fast.h: the common frame with one bounds check. Untagged Ethernet, IPv4 without
 * options that is not a fragment, TCP or UDP that is not VXLAN: every field the hash needs
 * sits at a fixed offset, so one check covers all the reads and the hash takes them
 * straight from the packet, with no flow to fill. Anything else goes to the full parser
 * (parse.h), which hashes these frames to the same value: tests/test_parse checks both
 * against the user-side model. */
#ifndef XDPLB_PARSE_FAST_H
#define XDPLB_PARSE_FAST_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>

#include "parse.h"
#include "flow_hash.h"

#define XDPLB_FAST_LEN		(ETH_HLEN + sizeof(struct iphdr) + sizeof(struct xdplb_ports))
#define XDPLB_IPV4_NO_OPTIONS	0x45	/* version 4, IHL 5 */

/* Returns 1 with *hash set, or 0: not the common frame, parse it in full. The packet is
 * read through plain (not packed) pointers so that each field is one load: struct ethhdr
 * is packed, and clang would read its EtherType a byte at a time. */
static __always_inline int xdplb_parse_fast(void *data, void *data_end, __u64 seed,
					    __u32 mode, __u64 *hash)
{
	struct iphdr *ip = data + ETH_HLEN;
	struct xdplb_ports *ports = (void *)(ip + 1);

	if (data + XDPLB_FAST_LEN > data_end)
		return 0;
	if (*(__be16 *)(data + offsetof(struct ethhdr, h_proto)) != bpf_htons(ETH_P_IP))
		return 0;
	if (*(__u8 *)ip != XDPLB_IPV4_NO_OPTIONS ||
	    (ip->frag_off & bpf_htons(XDPLB_IP_MF | XDPLB_IP_OFFSET)))
		return 0;
	if (ip->protocol == IPPROTO_UDP) {
		if (ports->dest == bpf_htons(XDPLB_VXLAN_PORT))
			return 0;	/* a tunnel: counted, and hashed inside with --inner */
	} else if (ip->protocol != IPPROTO_TCP) {
		return 0;
	}
	*hash = xdplb_flow_hash_v4(seed, mode & XDPLB_HASH_MODE_MASK, ip->saddr, ip->daddr,
				   ports->source, ports->dest, ip->protocol);
	return 1;
}

#endif
