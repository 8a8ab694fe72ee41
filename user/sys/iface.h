/* SPDX-License-Identifier: GPL-2.0 */
/* iface.h: facts about interfaces, read through netlink and
 * ioctl (not /sys/class/net, which belongs to whichever namespace mounted /sys). */
#ifndef XDPLB_IFACE_H
#define XDPLB_IFACE_H

#include <stdbool.h>
#include <linux/types.h>

/* Callers of the namespace facts that used to live here find them through this header. */
#include "sys/netns.h"

struct ifreq;

/* Runs the interface ioctl req (SIOCGIFFLAGS, SIOCETHTOOL, ...) on ifname, whose name it
 * copies into ifr. 0 or a negative errno. */
int xdplb_if_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr);

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
