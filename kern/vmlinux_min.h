/* SPDX-License-Identifier: GPL-2.0 */
/* vmlinux_min.h: the few kernel fields the tp_btf programs read, relocated by CO-RE at
 * load (preserve_access_index), instead of a full generated vmlinux.h. */
#ifndef XDPLB_VMLINUX_MIN_H
#define XDPLB_VMLINUX_MIN_H

#include <linux/types.h>

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

typedef struct {
	struct net *net;
} possible_net_t;

struct net_device {
	int ifindex;
	possible_net_t nd_net;
} __attribute__((preserve_access_index));

struct bpf_prog_aux {
	__u32 id;
} __attribute__((preserve_access_index));

struct bpf_prog {
	struct bpf_prog_aux *aux;
} __attribute__((preserve_access_index));

struct xdp_cpumap_stats {
	unsigned int redirect;
	unsigned int pass;
	unsigned int drop;
} __attribute__((preserve_access_index));

#endif
