/* SPDX-License-Identifier: GPL-2.0 */
/* egress.h: getting a port ready to transmit frames that XDP redirects to it. */
#ifndef XDPLB_EGRESS_H
#define XDPLB_EGRESS_H

#include <stdbool.h>
#include <linux/types.h>

/* A veth hands redirected frames to its peer's XDP receive ring, which exists only while
 * the peer has an XDP program or GRO on; without one every frame is refused (-ENXIO or
 * EOPNOTSUPP, seen as xmit_errors). For a veth port whose peer has neither, turns GRO on
 * at the peer, entering the peer's network namespace if needed (saying so is the caller's,
 * once its change holds). Other
 * drivers are left as they are. flag names the option in messages. A dry run changes
 * nothing and finds out whether the real one can succeed, so a list of ports is checked
 * whole before any of them is touched. Returns 0, or a negative errno after printing why
 * the port cannot be made ready and how to fix it; 1 when GRO was (or, on a dry run,
 * would be) turned on, which is what a --confirm revert turns off again. */
int xdplb_egress_prepare(const char *flag, const char *ifname, __u32 ifindex, bool dry_run);

/* For a --confirm revert: turns GRO off again at the veth peer of the port ifname, whose
 * GRO xdplb_egress_prepare() turned on. Nothing when the port is gone (its peer went with
 * it) or ifindex names another device now. 1 when GRO was turned off, 0 when it was off
 * already, or a negative errno. */
int xdplb_egress_restore(const char *ifname, __u32 ifindex);

#endif
