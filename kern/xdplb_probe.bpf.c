// SPDX-License-Identifier: GPL-2.0
/* xdplb_probe.bpf.c: tells whether this kernel lets one BPF program replace a function of
 * another (freplace, built on BPF trampolines), which is what libxdp's multi-program
 * dispatcher needs. Loaded by xdplb --check and when a foreign program is in the way;
 * never attached to an interface. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* A global function is verified on its own and can be replaced, as libxdp's dispatcher
 * slots are. The volatile keeps the compiler from folding the call away. */
__attribute__((noinline)) int xdplb_probe_slot(struct xdp_md *ctx)
{
	volatile int ret = XDP_PASS;

	if (!ctx)
		return XDP_ABORTED;
	return ret;
}

SEC("xdp")
int xdplb_probe_main(struct xdp_md *ctx)
{
	return xdplb_probe_slot(ctx);
}

SEC("freplace/xdplb_probe_slot")
int xdplb_probe_ext(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
