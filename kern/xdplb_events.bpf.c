// SPDX-License-Identifier: GPL-2.0
/* xdplb_events.bpf.c: counts the kernel's own XDP events (tp_btf) that concern one xdplb
 * instance: cpumap enqueues and queue-full drops, kthread work, devmap transmits, redirect
 * errors and XDP exceptions. The tracepoints fire for every map and device on the host, so each program
 * filters on the instance's own map ids and device (ifindex and network namespace: ifindex
 * alone repeats across namespaces). */
#include "vmlinux_min.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "../maps/xdplb_config.h"
#include "../maps/xdplb_counters.h"
#include "../maps/xdplb_limits.h"

/* Set by the control tool before load, from the instance it belongs to. */
const volatile __u32 xdplb_cpumap_id;
const volatile __u32 xdplb_devmap_id;
const volatile __u32 xdplb_ifindex;
const volatile __u32 xdplb_netns_ino;
const volatile __u32 xdplb_target_kind = XDPLB_TARGET_CPU;

/* Egress ifindex -> the port's counter key. xdp_devmap_xmit names devices, not map slots;
 * the control tool keeps this map in step with the devmap. Ports are in the instance's
 * namespace, so an ifindex is unambiguous once the receiving device is known to be ours. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XDPLB_PORT_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} xdplb_port_ix SEC(".maps");

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

/* tp_btf arguments are BTF pointers: plain loads (fault-safe, CO-RE relocated) instead of
 * BPF_CORE_READ's bpf_probe_read_kernel() calls. These programs run for every device's
 * events on the host, so rejecting someone else's must be cheap: with three helper calls
 * per xdp_devmap_xmit (a veth in another namespace has the same ifindex), the benchmark's
 * generator made them cost xdplb 12-17 ns per packet; with loads, 2-3 ns. */
static __always_inline int xdplb_is_our_device(const struct net_device *dev)
{
	return dev->ifindex == xdplb_ifindex && dev->nd_net.net->ns.inum == xdplb_netns_ino;
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

/* One event per frame. A devmap error is a port's: the frame never reached its driver (port
 * down, no XDP transmit, too big). In CPU mode the devmap only holds the remote port. */
SEC("tp_btf/xdp_redirect_err")
int BPF_PROG(xdplb_ev_redirect_err, const struct net_device *dev, const struct bpf_prog *xdp,
	     const void *tgt, int err, enum bpf_map_type map_type, __u32 map_id, __u32 index)
{
	struct xdplb_event_target_stats *port;
	struct xdplb_event_stats *st;

	if (!map_id || (map_id != xdplb_cpumap_id && map_id != xdplb_devmap_id))
		return 0;
	st = xdplb_instance_stats();
	if (st)
		st->redirect_errors++;
	if (map_id != xdplb_devmap_id)
		return 0;
	if (xdplb_target_kind != XDPLB_TARGET_PORT) {
		if (st)
			st->remote_xmit_errors++;
		return 0;
	}
	port = bpf_map_lookup_elem(&xdplb_ev_tgt, &index);
	if (port)
		port->xmit_errors++;
	return 0;
}

/* One event per bulk flushed to a port's driver. from_dev is the device the frames came in
 * on (also for frames a cpumap program redirects), so it identifies the instance; drops
 * that come with an error code (err != 0: the driver refused the whole bulk) are errors,
 * the others lack of room. */
SEC("tp_btf/xdp_devmap_xmit")
int BPF_PROG(xdplb_ev_devmap_xmit, const struct net_device *from_dev,
	     const struct net_device *to_dev, int sent, int drops, int err)
{
	struct xdplb_event_target_stats *port;
	struct xdplb_event_stats *st;
	__u64 *sent_ctr, *lost_ctr;
	__u32 ifindex, *key;

	if (!xdplb_is_our_device(from_dev))
		return 0;
	ifindex = to_dev->ifindex;
	key = bpf_map_lookup_elem(&xdplb_port_ix, &ifindex);
	if (!key)
		return 0;
	if (*key == XDPLB_REMOTE_PORT_KEY) {
		st = xdplb_instance_stats();
		if (!st)
			return 0;
		sent_ctr = &st->remote_xmit_sent;
		lost_ctr = err ? &st->remote_xmit_errors : &st->remote_xmit_drops;
	} else {
		port = bpf_map_lookup_elem(&xdplb_ev_tgt, key);
		if (!port)
			return 0;
		sent_ctr = &port->xmit_sent;
		lost_ctr = err ? &port->xmit_errors : &port->xmit_drops;
	}
	*sent_ctr += sent;
	*lost_ctr += drops;
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
