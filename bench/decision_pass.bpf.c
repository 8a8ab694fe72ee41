// SPDX-License-Identifier: GPL-2.0
/* decision_pass.bpf.c: the baselines of bench/decision_cost.c. An XDP program that only
 * passes: what BPF_PROG_TEST_RUN and the XDP dispatcher cost before any decision. And one
 * that only redirects to CPU 0's cpumap entry: what the redirect helper costs any program
 * that steers, before it reads a byte of the frame. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} xdplb_bench_cpus SEC(".maps");

SEC("xdp")
int xdplb_bench_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int xdplb_bench_redirect(struct xdp_md *ctx)
{
	return bpf_redirect_map(&xdplb_bench_cpus, 0, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";
