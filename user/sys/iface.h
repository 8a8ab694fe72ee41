/* SPDX-License-Identifier: GPL-2.0 */
/* iface.h: facts about interfaces and network namespaces, read through netlink and
 * ioctl (not /sys/class/net, which belongs to whichever namespace mounted /sys). */
#ifndef XDPLB_IFACE_H
#define XDPLB_IFACE_H

#include <stdbool.h>
#include <linux/types.h>

/* The current network namespace's inode (what /proc/self/ns/net points at). */
__u64 xdplb_netns_ino(void);

/* Whether some process or /run/netns entry still holds the namespace with that inode. */
bool xdplb_netns_alive(__u64 ino);

/* The XDP program attached to ifindex as the kernel reports it (0: none). With libxdp's
 * dispatcher this is the dispatcher; *xdplb_found tells whether prog_id is among the
 * programs it runs. */
struct xdplb_xdp_state {
	__u32 attached_id;	/* the program the interface runs (or the dispatcher) */
	__u32 attach_mode;	/* enum xdp_attach_mode */
	bool is_dispatcher;
	char name[64];		/* name of the attached program (or "dispatcher") */
};

int xdplb_xdp_query(int ifindex, struct xdplb_xdp_state *st);

/* True when prog_id runs on ifindex, directly or as a dispatcher component. */
bool xdplb_xdp_runs(int ifindex, __u32 prog_id);

/* A port as the data path sees it: gone (its devmap entry went with it), down (the kernel
 * refuses to redirect to it), up without carrier (a veth whose peer is down), or up. */
enum xdplb_link_state {
	XDPLB_LINK_MISSING,
	XDPLB_LINK_DOWN,
	XDPLB_LINK_NO_CARRIER,
	XDPLB_LINK_UP,
};

enum xdplb_link_state xdplb_link_state(__u32 ifindex);

/* The interface's MTU; 0 when it cannot be read (gone, or another namespace's). */
__u32 xdplb_link_mtu(__u32 ifindex);

#endif
