/* SPDX-License-Identifier: GPL-2.0 */
/* xdplb_counters.h: every counter, named once. The X-macro lists feed the kernel's struct
 * layout, the tool's totals and the JSON keys, so the three cannot disagree. */
#ifndef XDPLB_COUNTERS_H
#define XDPLB_COUNTERS_H

#include <linux/types.h>

/* Why a frame was left to the stack on the receiving CPU. local: its target is that CPU
 * (XDPLB_HASH_F_LOCAL), counted by the kernel on the target's record only and added here
 * by the tool's fold, like redirected. */
#define XDPLB_PASS_REASONS(X)	\
	X(non_ip)		\
	X(malformed)		\
	X(unsupported)		\
	X(no_target)		\
	X(split_header)		\
	X(local)

#define XDPLB_PASS_ENUM(n) XDPLB_PASS_##n,
enum xdplb_pass_reason { XDPLB_PASS_REASONS(XDPLB_PASS_ENUM) XDPLB_PASS__COUNT };

/* Tunnelled frames seen, by kind, whether or not --inner hashes them on the inner flow:
 * they tell an operator whether --inner matters on this link. ipip counts IPv4 and IPv6
 * carried in IP; erspan counts types I, II and III. */
#define XDPLB_TUNNEL_KINDS(X)	\
	X(gre)			\
	X(erspan)		\
	X(ipip)			\
	X(vxlan)

#define XDPLB_TUNNEL_ENUM(n) XDPLB_TUNNEL_##n,
enum xdplb_tunnel_kind { XDPLB_TUNNEL_KINDS(XDPLB_TUNNEL_ENUM) XDPLB_TUNNEL__COUNT };

/* Per receiving CPU. Counted without atomics: each CPU writes only its own copy. The
 * kernel's record counts the frames left to the stack only (in rx_packets, rx_bytes and a
 * reason): a redirected or local frame is counted on its target's record alone, one cache
 * line per frame, and the tool adds every target record of the CPU into its rx_packets,
 * rx_bytes and redirected or pass[local] (user/core/stats.c xdplb_rx_read). redirected
 * stays 0 here. */
#define XDPLB_RX_COUNTERS(X)	\
	X(rx_packets)		\
	X(rx_bytes)		\
	X(redirected)

#define XDPLB_FIELD(n) __u64 n;
struct xdplb_rx_stats {
	XDPLB_RX_COUNTERS(XDPLB_FIELD)
	__u64 pass[XDPLB_PASS__COUNT];
	__u64 tunnel[XDPLB_TUNNEL__COUNT];
	__u64 pad[3];
} __attribute__((aligned(64)));

/* Per target (CPU number or port slot), counted on the receiving CPU. unhashed: frames
 * without a flow sent to this port by the first-port rule (also in packets); missing: frames
 * steered here while the target had no map entry (a port that disappeared), passed; local:
 * frames for a CPU that arrived on that CPU, handed to its stack there without a queue
 * (XDPLB_HASH_F_LOCAL; also in packets, never in the cpumap's counts). */
#define XDPLB_TARGET_COUNTERS(X) \
	X(packets)		\
	X(bytes)		\
	X(unhashed)		\
	X(missing)		\
	X(local)

struct xdplb_target_stats {
	XDPLB_TARGET_COUNTERS(XDPLB_FIELD)
};

/* Per remote CPU: frames seen by the cpumap program there (only with --remote). */
#define XDPLB_REMOTE_COUNTERS(X) \
	X(remote_processed)	\
	X(remote_dropped)	\
	X(remote_redirected)

struct xdplb_remote_stats {
	XDPLB_REMOTE_COUNTERS(XDPLB_FIELD)
};

/* Kernel events (tp_btf), per target: what the cpumap and devmap did with our frames. For a
 * port every frame steered to it ends as one of xmit_sent (the driver took it), xmit_drops
 * (the driver had no room) or xmit_errors (refused with an error: at redirect time, e.g. the
 * port is down, or by the driver, e.g. a veth whose peer cannot receive). */
#define XDPLB_EVENT_TARGET_COUNTERS(X) \
	X(enqueue_processed)	\
	X(enqueue_drops)	\
	X(kthread_processed)	\
	X(kthread_drops)	\
	X(kthread_sched)	\
	X(xmit_sent)		\
	X(xmit_drops)		\
	X(xmit_errors)

struct xdplb_event_target_stats {
	XDPLB_EVENT_TARGET_COUNTERS(XDPLB_FIELD)
};

/* Kernel events (tp_btf), per instance. */
#define XDPLB_EVENT_COUNTERS(X)	\
	X(redirect_errors)	\
	X(exceptions)		\
	X(remote_xmit_sent)	\
	X(remote_xmit_drops)	\
	X(remote_xmit_errors)

struct xdplb_event_stats {
	XDPLB_EVENT_COUNTERS(XDPLB_FIELD)
};

#undef XDPLB_FIELD

/* The names of the pass reasons and tunnel kinds, in enum order, for every output (text,
 * JSON, Prometheus). The kernel has no use for strings. */
#ifndef __bpf__
#define XDPLB_COUNTER_NAME(n) #n,
static const char *const xdplb_pass_names[XDPLB_PASS__COUNT] = {
	XDPLB_PASS_REASONS(XDPLB_COUNTER_NAME)
};
static const char *const xdplb_tunnel_names[XDPLB_TUNNEL__COUNT] = {
	XDPLB_TUNNEL_KINDS(XDPLB_COUNTER_NAME)
};
#undef XDPLB_COUNTER_NAME
#endif

_Static_assert(sizeof(struct xdplb_rx_stats) == 128, "ABI: xdplb_rx_stats");
_Static_assert(sizeof(struct xdplb_target_stats) == 40, "ABI: xdplb_target_stats");
_Static_assert(sizeof(struct xdplb_event_target_stats) == 64, "ABI: xdplb_event_target_stats");

#endif
