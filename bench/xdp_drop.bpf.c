// SPDX-License-Identifier: GPL-2.0
/* xdp_drop.bpf.c: the benchmark's floor and sink: drops every frame. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xlb_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
