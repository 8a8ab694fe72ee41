/* SPDX-License-Identifier: GPL-2.0 */
/* pkt.h: builds test frames (Ethernet, VLAN tags, IPv4/IPv6, TCP/UDP/other, ARP) and
 * the flow the data path should see in them. */
#ifndef XDPLB_TEST_PKT_H
#define XDPLB_TEST_PKT_H

#include <stddef.h>
#include <linux/types.h>

#include "../kern/flow_hash.h"

struct pkt_spec {
	int arp;		/* build an ARP request instead of IP */
	int n_vlans;		/* 0..3 tags, the outer one 802.1ad when there are two */
	int v6;
	__u8 proto;		/* IPPROTO_TCP, _UDP, _ICMP, ... */
	__u32 saddr4, daddr4;	/* network order */
	__u8 saddr6[16], daddr6[16];
	__u16 sport, dport;	/* network order */
	int ihl;		/* IPv4 header words; 0 means 5 */
	__u16 frag_off;		/* IPv4 flags+offset, host order (0x2000 = MF) */
	size_t payload;		/* bytes after the L4 header */
};

/* Writes the frame into buf (cap bytes); returns its length. *needed gets the number of
 * bytes the parser must see to take the flow (through the ports, or the L3 header when
 * no ports are read). */
size_t pkt_build(const struct pkt_spec *spec, __u8 *buf, size_t cap, size_t *needed);

/* The flow the parser should extract from spec (ports zero where it reads none). */
void pkt_flow(const struct pkt_spec *spec, struct xdplb_flow *flow);

/* A random IPv4 or IPv6 TCP/UDP spec from a simple deterministic generator. */
void pkt_random_spec(struct pkt_spec *spec, __u64 *rng, int v6);
__u64 pkt_rand(__u64 *state);

#endif
