// SPDX-License-Identifier: GPL-2.0
/* live_frames.bpf.c: XDP program that BPF_PROG_RUN replays in live-frame mode.
 *
 * XDP_TX from BPF_PROG_RUN becomes a redirect out of ctx->ingress_ifindex, so
 * every run puts one frame on the wire of the generator's veth. One call
 * replays one data buffer; to spread flows inside a call, the program stamps
 * flow lf_next's fields (ports, low 32 bits of the source address, and the
 * checksums user space computed for them) over the frame. It overwrites
 * rather than adjusts because recycled page-pool pages hold whatever the
 * previous run left (Documentation/bpf/bpf_prog_run.rst, live frame mode).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "live_frames.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LF_FLOWS_MAX);	/* user space shrinks it to --flows */
	__type(key, __u32);
	__type(value, struct lf_flow);
} lf_flows SEC(".maps");

/* Set before load, so the verifier drops the branches not taken. */
const volatile __u32 lf_nr_flows = 1;
const volatile __u8 lf_ipv6;
const volatile __u8 lf_tcp;

/* BPF_PROG_RUN runs on one CPU at a time and the tool has one thread. */
__u32 lf_next;

static __always_inline void lf_put16(void *data, __u32 off, __u16 v)
{
	*(__u16 *)(data + off) = v;
}

SEC("xdp")
int lf_tx(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	__u32 l3_len = lf_ipv6 ? LF_IP6_LEN : LF_IP4_LEN;
	__u32 l4_off = LF_ETH_LEN + l3_len;
	__u32 csum_off = l4_off + (lf_tcp ? LF_TCP_CSUM : LF_UDP_CSUM);
	/* the saddr's last 4 bytes end where the daddr starts (IPv4 and IPv6) */
	__u32 saddr_off = LF_ETH_LEN + (lf_ipv6 ? 8 + 12 : 12);
	struct lf_flow *f;
	__u32 i;

	/* user space builds frames at least this long; the verifier wants it */
	if (data + l4_off + (lf_tcp ? LF_TCP_LEN : LF_UDP_LEN) > data_end)
		return XDP_TX;

	i = lf_next;
	lf_next = i + 1 < lf_nr_flows ? i + 1 : 0;
	f = bpf_map_lookup_elem(&lf_flows, &i);
	if (!f)
		return XDP_TX;

	lf_put16(data, l4_off, f->sport);
	lf_put16(data, l4_off + 2, f->dport);
	lf_put16(data, csum_off, f->l4_csum);
	lf_put16(data, saddr_off, f->saddr_lo[0]);
	lf_put16(data, saddr_off + 2, f->saddr_lo[1]);
	if (!lf_ipv6)
		lf_put16(data, LF_ETH_LEN + 10, f->ip4_csum);
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
