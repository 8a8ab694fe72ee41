/* SPDX-License-Identifier: GPL-2.0 */
/* which_frame.h: the frame --which asks the data path about. The flow's words (cmd/which.h)
 * say what the packet carries; the words after them say how it travels: VLAN tags, IPv6
 * extension headers, a fragment, inside an ICMP error, inside a tunnel. */
#ifndef XDPLB_WHICH_FRAME_H
#define XDPLB_WHICH_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "kern/flow_hash.h"

#define XDPLB_WHICH_VLANS	2
#define XDPLB_WHICH_EXTS	4
/* The largest frame a query builds: two tunnels' worth of headers at most. */
#define XDPLB_WHICH_FRAME_MAX	512

enum xdplb_which_frag { XDPLB_FRAG_NONE, XDPLB_FRAG_FIRST, XDPLB_FRAG_LATER };
enum xdplb_which_tunnel { XDPLB_TUN_NONE, XDPLB_TUN_GRE, XDPLB_TUN_IPIP, XDPLB_TUN_VXLAN };

struct xdplb_which_wrap {
	__u16 vlans[XDPLB_WHICH_VLANS];	/* outermost first; two: 802.1ad then 802.1Q */
	int n_vlans;
	__u8 ext[XDPLB_WHICH_EXTS];	/* IPv6 extension headers: 0 hop-by-hop, 43 routing, 60 dest. */
	int n_ext;
	enum xdplb_which_frag frag;
	bool icmp_error;		/* quoted in the ICMP error its destination sends back */
	enum xdplb_which_tunnel tunnel;
	bool outer_v6;
	__u32 outer_src[4], outer_dst[4];	/* network order */
	__u16 outer_sport;		/* VXLAN's UDP source port, host order */
};

/* The words after PROTO SRC DST: vlan:N, hbh, routing, dstopts, first-frag, frag,
 * icmp-error, gre:OSRC,ODST, ipip:OSRC,ODST, vxlan:OSRC,ODST[,SPORT]. 0 or -XDPLB_EUSAGE. */
int xdplb_which_parse_wrap(char *const *words, int n, const struct xdplb_flow *f,
			   struct xdplb_which_wrap *w);

/* Writes the frame into buf (XDPLB_WHICH_FRAME_MAX bytes); returns its length. */
size_t xdplb_which_frame(const struct xdplb_flow *f, const struct xdplb_which_wrap *w, __u8 *buf);

#endif
