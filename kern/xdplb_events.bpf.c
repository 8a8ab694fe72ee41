// SPDX-License-Identifier: GPL-2.0
/* xdplb_events.bpf.c: counts the kernel's own XDP events (tp_btf) that concern one xdplb
 * instance: cpumap enqueues and queue-full drops, kthread work, redirect errors and XDP
 * exceptions. The tracepoints fire for every map and device on the host, so each program
 * filters on the instance's own map ids and device (ifindex and network namespace: ifindex
 * alone repeats across namespaces). */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "../maps/xdplb_counters.h"
#include "../maps/xdplb_limits.h"

/* Set by the control tool before load, from the instance it belongs to. */
const volatile __u32 xdplb_cpumap_id;
const volatile __u32 xdplb_devmap_id;
const volatile __u32 xdplb_ifindex;
const volatile __u32 xdplb_netns_ino;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDPLB_MAX_TARGETS);
	__type(key, __u32);
	__type(value, struct xdplb_event_target_stats);
} xdplb_ev_tgt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdplb_event_stats);
} xdplb_ev SEC(".maps");

static __always_inline struct xdplb_event_stats *xdplb_instance_stats(void)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&xdplb_ev, &key);
}

static __always_inline int xdplb_is_our_device(const struct net_device *dev)
{
	return BPF_CORE_READ(dev, ifindex) == xdplb_ifindex &&
	       BPF_CORE_READ(dev, nd_net.net, ns.inum) == xdplb_netns_ino;
}

SEC("tp_btf/xdp_cpumap_enqueue")
int BPF_PROG(xdplb_ev_enqueue, int map_id, unsigned int processed, unsigned int drops,
	     int to_cpu)
{
	struct xdplb_event_target_stats *st;
	__u32 cpu = to_cpu;

	if (map_id != xdplb_cpumap_id)
		return 0;
	st = bpf_map_lookup_elem(&xdplb_ev_tgt, &cpu);
	if (st) {
		st->enqueue_processed += processed;
		st->enqueue_drops += drops;
	}
	return 0;
}

/* Runs on the remote CPU itself, so that CPU's number is the target. */
SEC("tp_btf/xdp_cpumap_kthread")
int BPF_PROG(xdplb_ev_kthread, int map_id, unsigned int processed, unsigned int drops,
	     int sched, struct xdp_cpumap_stats *xdp_stats)
{
	struct xdplb_event_target_stats *st;
	__u32 cpu = bpf_get_smp_processor_id();

	if (map_id != xdplb_cpumap_id)
		return 0;
	st = bpf_map_lookup_elem(&xdplb_ev_tgt, &cpu);
	if (st) {
		st->kthread_processed += processed;
		st->kthread_drops += drops;
		st->kthread_sched += sched != 0;
	}
	return 0;
}

SEC("tp_btf/xdp_redirect_err")
int BPF_PROG(xdplb_ev_redirect_err, const struct net_device *dev, const struct bpf_prog *xdp,
	     const void *tgt, int err, enum bpf_map_type map_type, __u32 map_id, __u32 index)
{
	struct xdplb_event_stats *st;

	if (!map_id || (map_id != xdplb_cpumap_id && map_id != xdplb_devmap_id))
		return 0;
	st = xdplb_instance_stats();
	if (st)
		st->redirect_errors++;
	return 0;
}

SEC("tp_btf/xdp_exception")
int BPF_PROG(xdplb_ev_exception, const struct net_device *dev, const struct bpf_prog *xdp,
	     __u32 act)
{
	struct xdplb_event_stats *st;

	if (!xdplb_is_our_device(dev))
		return 0;
	st = xdplb_instance_stats();
	if (st)
		st->exceptions++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
