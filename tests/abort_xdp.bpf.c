// SPDX-License-Identifier: GPL-2.0
/* abort_xdp.bpf.c: an XDP program that aborts every frame. xdplb never aborts, so the
 * tests put this one on an interface to make the kernel fire xdp_exception there, and
 * check that an instance counts the events of its own interface and no other's. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int abort_xdp(struct xdp_md *ctx)
{
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
