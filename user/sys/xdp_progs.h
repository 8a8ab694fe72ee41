/* SPDX-License-Identifier: GPL-2.0 */
/* xdp_progs.h: every XDP program an interface runs, in each attach mode, with the
 * components of a libxdp dispatcher, and what the kernel says of each. */
#ifndef XDPLB_XDP_PROGS_H
#define XDPLB_XDP_PROGS_H

#include <stdbool.h>
#include <linux/types.h>

/* native, skb, hw, and a dispatcher's components: more is a confused reply. */
#define XDPLB_XDP_PROGS_MAX	16

struct xdplb_xdp_prog {
	__u32 id;
	__u32 attach_mode;	/* enum xdp_attach_mode */
	bool in_dispatcher;	/* a component of libxdp's dispatcher, not the slot's program */
};

/* The programs attached to ifindex, found through netlink (the XDP attributes of the
 * link) and, for a dispatcher, libxdp's list of its components. Returns the count. */
int xdplb_xdp_progs(int ifindex, struct xdplb_xdp_prog *out, int max);

/* What the kernel tells of a loaded program: its name, tag and up to 16 map ids. */
struct xdplb_prog_facts {
	char name[16];
	__u8 tag[8];
	__u32 n_maps;
	__u32 map_ids[16];
};

int xdplb_prog_facts(__u32 prog_id, struct xdplb_prog_facts *f);

/* The id of the map that an fd refers to; 0 when it cannot be read. */
__u32 xdplb_fd_map_id(int fd);
/* The id of the program that an fd refers to; 0 when it cannot be read. */
__u32 xdplb_fd_prog_id(int fd);

#endif
