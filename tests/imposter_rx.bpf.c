// SPDX-License-Identifier: GPL-2.0
/* imposter_rx.bpf.c: somebody else's program that happens to be called xdplb_rx, so that
 * xdplb can be seen to tell it from its own (by its maps, not its name) and leave it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdplb_rx(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
