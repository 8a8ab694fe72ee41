/* SPDX-License-Identifier: GPL-2.0 */
/* which.h: --which, the target a running instance sends one flow to. Computed as xdplb_rx
 * computes it: the hash of kern/flow_hash.h (the same source the BPF program compiles)
 * with the live half's seed and mode, masked to its table, looked up in the live table. */
#ifndef XDPLB_WHICH_H
#define XDPLB_WHICH_H

#include <linux/types.h>

#include "core/instance.h"
#include "kern/flow_hash.h"

struct xdplb_which {
	__u64 hash;
	__u32 half;		/* the live table half */
	__u32 slot;		/* in that half, below table_size */
	__u32 table_size;
	__u32 value;		/* what the slot holds: a CPU number, or a port slot */
};

/* PROTO SRC DST, as on the command line (tcp 198.18.0.1:4000 198.18.1.1:80, udp
 * [fd00::1]:53 [fd00::2]:53, icmp 198.18.0.1:ID 198.18.1.1 for an echo, icmp 198.18.0.1
 * 198.18.1.1 for any other ICMP message, esp 198.18.0.1 198.18.1.1:SPI), into the flow the
 * parser fills from such a packet (unfragmented, no IPv6 extension headers, not an ICMP
 * error: those go where the flow they quote goes). Returns 0 or -XDPLB_EUSAGE after one
 * line. */
int xdplb_which_parse(char *const *args, int n, struct xdplb_flow *f);

/* The data path's lookup over the config and table maps. */
int xdplb_which_lookup(int config_fd, int table_fd, const struct xdplb_flow *f,
		       struct xdplb_which *w);

/* The target a table slot's value names in these settings: the CPU of that number, or the
 * port of that devmap slot. NULL when none does. */
const struct xdplb_target *xdplb_table_target(const struct xdplb_settings *s, __u32 value);

/* --which --iface IF ...: prints "cpu N" (or "port NAME"); returns 0 or -errno. */
int xdplb_which(const char *ifname, const struct xdplb_flow *f);

#endif
