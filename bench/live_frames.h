/* SPDX-License-Identifier: GPL-2.0 */
/* live_frames.h: what the traffic source's BPF program (live_frames.bpf.c) and its user
 * side (live_frames.c) share: the frame's header sizes and one flow's stamped fields. */
#ifndef LF_LIVE_FRAMES_H
#define LF_LIVE_FRAMES_H

#include <linux/types.h>

#define LF_ETH_LEN	14
#define LF_IP4_LEN	20
#define LF_IP6_LEN	40
#define LF_UDP_LEN	8
#define LF_TCP_LEN	20
#define LF_UDP_CSUM	6	/* checksum offsets inside the L4 header */
#define LF_TCP_CSUM	16
#define LF_FLOWS_MAX	65536

/* The fields that differ between flows, byte order as on the wire: the program stamps
 * flow i's over the frame it replays. */
struct lf_flow {
	__u16 sport;
	__u16 l4_csum;
	__u16 ip4_csum;
	__u16 saddr_lo[2];	/* last 4 bytes of the source address */
	__u16 dport;
};

#endif
