/* SPDX-License-Identifier: GPL-2.0 */
/* decision_frames.h: the frames decision_cost and decision_ab time xdplb_rx on, one per
 * parse path: IPv4 and IPv6, TCP and UDP, untagged and VLAN-tagged (the paths xdp-bench's
 * l4-dport parses too), then the rarer kinds. */
#ifndef XDPLB_BENCH_DECISION_FRAMES_H
#define XDPLB_BENCH_DECISION_FRAMES_H

#include <stddef.h>
#include <linux/types.h>

#define COST_FRAMES_MAX	16
#define COST_FRAME_MAX	512

struct cost_frame {
	const char *name;
	__u32 flags;		/* XDPLB_HASH_F_* the path needs (--inner; one target: CPU 0) */
	__u8 frame[COST_FRAME_MAX];
	size_t len;
};

/* Fills frames[0..COST_FRAMES_MAX) and returns how many it built. */
size_t cost_build_frames(struct cost_frame *frames);

#endif
