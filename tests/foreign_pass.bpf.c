// SPDX-License-Identifier: GPL-2.0
/* foreign_pass.bpf.c: stands for somebody else's XDP program in the tests, so that xdplb
 * can be seen to refuse it and leave it alone. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int foreign_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
