/* SPDX-License-Identifier: GPL-2.0 */
/* pkt.h: builds test frames (Ethernet, VLAN tags, IPv4/IPv6 with IPv6 extension headers,
 * TCP/UDP/SCTP/ESP/ICMP, tunnel headers, ARP) and the flow the data path should see in them. */
#ifndef XDPLB_TEST_PKT_H
#define XDPLB_TEST_PKT_H

#include <stddef.h>
#include <linux/types.h>

#include "kern/flow_hash.h"

#define PKT_EXT_MAX	16

struct pkt_spec {
	int arp;		/* build an ARP request instead of IP */
	int no_eth;		/* start at the IP header: an ICMP error's quote, an IP-in-IP payload */
	int n_vlans;		/* 0..3 tags, the outer one 802.1ad when there are two */
	int v6;
	__u8 proto;		/* IPPROTO_TCP, _UDP, _SCTP, _ESP, _ICMP, _ICMPV6, _GRE, ... */
	__u32 saddr4, daddr4;	/* network order */
	__u8 saddr6[16], daddr6[16];
	__u16 sport, dport;	/* network order; ESP: the SPI's halves; ICMP echo: sport is the id */
	int ihl;		/* IPv4 header words; 0 means 5 */
	__u16 frag_off;		/* IPv4 flags+offset, host order (0x2000 = MF) */
	/* IPv6 extension headers, in order: IPPROTO_HOPOPTS, _ROUTING, _DSTOPTS, _FRAGMENT, _AH */
	__u8 ext[PKT_EXT_MAX];
	int n_ext;
	__u16 frag6;		/* the fragment header's offset word, host order: offset << 3 | M */
	__u8 icmp_type, icmp_code;	/* ICMP or ICMPv6 */
	size_t payload;		/* zero bytes after the L4 header, when data is not set */
	const __u8 *data;	/* else these bytes: a quoted packet, a tunnel header and frame */
	size_t data_len;
	size_t data_needed;	/* bytes of data the parser reads (an ICMP error's quote) */
};

/* Offsets in a built frame. */
struct pkt_layout {
	size_t len;		/* the frame (cut to the buffer) */
	size_t needed;		/* bytes the parser must see to take the flow */
	size_t l4_off;		/* the L4 (or GRE, inner IP) header */
	size_t data_off;	/* the payload */
	size_t inner_needed;	/* a tunnel's: bytes the parser must see to take the inner flow */
};

/* Writes the frame into buf (cap bytes); returns its length. *needed gets the number of
 * bytes the parser must see to take the flow (through the ports, or the L3 header when
 * no ports are read). */
size_t pkt_build(const struct pkt_spec *spec, __u8 *buf, size_t cap, size_t *needed);
void pkt_build_layout(const struct pkt_spec *spec, __u8 *buf, size_t cap, struct pkt_layout *l);

/* The flow the parser should extract from spec (ports zero where it reads none). An ICMP
 * error's flow is its quote's, reversed: pkt_flow of the quote, then pkt_flow_reverse. */
void pkt_flow(const struct pkt_spec *spec, struct xdplb_flow *flow);
void pkt_flow_reverse(const struct xdplb_flow *f, struct xdplb_flow *r);
/* The spec of the packet going the other way (addresses, ports swapped). */
void pkt_spec_reverse(const struct pkt_spec *s, struct pkt_spec *r);

enum pkt_tunnel {
	PKT_GRE,		/* GRE with checksum, key and sequence number, an IP packet inside */
	PKT_GRE_TEB,		/* GRE with a key, an Ethernet frame inside */
	PKT_ERSPAN1,		/* GRE without sequence number, the mirrored frame right behind */
	PKT_ERSPAN2,
	PKT_ERSPAN3,
	PKT_ERSPAN3_SUB,	/* with the 8-byte platform subheader */
	PKT_IPIP,		/* IPv4 or IPv6 right behind the outer IP header */
	PKT_VXLAN,		/* UDP port 4789 */
	PKT_TUNNEL__COUNT,
};

extern const char *const pkt_tunnel_names[PKT_TUNNEL__COUNT];

/* Whether a tunnel of this kind carries an Ethernet frame (else an IP packet). */
int pkt_tunnel_has_eth(enum pkt_tunnel kind);

/* outer carrying `inner` (a built frame, from its Ethernet header when the kind carries
 * Ethernet, else from its IP header; inner_needed from its layout) through a tunnel of
 * this kind. Sets outer's protocol (and for VXLAN its destination port) as the frame has
 * them, so pkt_flow(outer) is the outer flow. */
void pkt_build_tunnel(struct pkt_spec *outer, enum pkt_tunnel kind, int inner_v6,
		      const __u8 *inner, size_t inner_len, size_t inner_needed,
		      __u8 *buf, size_t cap, struct pkt_layout *l);

/* An ICMP or ICMPv6 error of `type` with outer's addresses, quoting the packet `quote`
 * (from its IP header on). */
void pkt_build_icmp_error(const struct pkt_spec *outer, __u8 type, const struct pkt_spec *quote,
			  __u8 *buf, size_t cap, struct pkt_layout *l);

/* A random IPv4 or IPv6 TCP/UDP spec from a simple deterministic generator. */
void pkt_random_spec(struct pkt_spec *spec, __u64 *rng, int v6);
__u64 pkt_rand(__u64 *state);

#endif
