/* SPDX-License-Identifier: GPL-2.0 */
/* adopt.h: xdplb's receive programs as the kernel shows them on an interface, whatever
 * became of their pins, and which of them no pin directory claims. */
#ifndef XDPLB_ADOPT_H
#define XDPLB_ADOPT_H

#include <stdbool.h>
#include <linux/types.h>

#include "core/instance.h"

/* One xdplb_rx of ours attached to an interface. */
struct xdplb_ours {
	__u32 prog_id;
	__u32 attach_mode;	/* enum xdp_attach_mode */
	__u32 config_id;	/* its config map, which names its instance */
};

/* Whether prog_id is xdplb's receive program, loaded for the pin root root_id: named
 * xdplb_rx, using xdplb's maps (xdplb_config of xdplb's layout, the xdplb_cpus cpumap,
 * the xdplb_ports devmap, xdplb_table) and holding root_id in its read-only data. One
 * that only shares the name is somebody else's, one of another root another run's: both
 * are left alone. *config_id gets its config map's id. */
bool xdplb_prog_ours(__u32 prog_id, __u64 root_id, __u32 *config_id);

/* The xdplb_rx programs of ours (of root_id) on ifindex, in any attach mode or dispatcher. */
int xdplb_find_ours(int ifindex, __u64 root_id, struct xdplb_ours *out, int max);

/* Opens an unpinned program of ours as an orphaned instance on ifname: its maps (those
 * the receive program holds), a meta made from what the kernel says. */
int xdplb_adopt_orphan(const char *ifname, int ifindex, const struct xdplb_ours *o,
		       struct xdplb_instance *in);

#endif
