/* SPDX-License-Identifier: GPL-2.0 */
/* decision_xdpbench.h: xdp-bench's own `redirect-cpu -p l4-dport` program, loaded from the
 * BPF object an xdp-bench build leaves beside its binary, for decision_cost to time on the
 * same frames as xdplb_rx. */
#ifndef XDPLB_BENCH_DECISION_XDPBENCH_H
#define XDPLB_BENCH_DECISION_XDPBENCH_H

#include <linux/types.h>

struct bpf_object;

/* Sets the 4-byte .rodata variable `name` of an opened, not yet loaded object. 0 or a
 * negative errno (-ENOENT: no such variable). */
int xb_set_rodata_u32(struct bpf_object *obj, const char *name, __u32 value);

/* Opens `path` (xdp_redirect_cpumap.bpf.o of xdp-bench v1.6.x), loads only its
 * cpumap_l4_dport program with the maps sized as xdp-bench sizes them, and fills them as
 * `xdp-bench redirect-cpu -c 0 -c 1 ... -p l4-dport` does (CPUs 0..ncpus-1, qsize 2048).
 * Returns the program's fd and sets *obj, or a negative errno. */
int xb_load(const char *path, int ncpus, struct bpf_object **obj);

#endif
