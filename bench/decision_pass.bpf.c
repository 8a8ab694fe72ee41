// SPDX-License-Identifier: GPL-2.0
/* decision_pass.bpf.c: the baseline of bench/decision_cost.c, an XDP program that only
 * passes: what BPF_PROG_TEST_RUN and the XDP dispatcher cost before any decision. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdplb_bench_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
