/* SPDX-License-Identifier: GPL-2.0 */
/* stats.h: an instance's counters at one moment, summed over CPUs where that is the
 * meaning, kept per CPU where the per-CPU view is the point. */
#ifndef XDPLB_STATS_H
#define XDPLB_STATS_H

#include "core/instance.h"
#include "maps/xdplb_counters.h"

/* Which target a per-target record belongs to. Rates pair records by this, not by position:
 * a reconfiguration between two snapshots may add, remove or reorder targets. */
struct xdplb_target_ref {
	__u32 kind;	/* enum xdplb_target_kind */
	__u32 id;	/* CPU number or port ifindex */
};

struct xdplb_snapshot {
	__u64 time_ns;				/* CLOCK_MONOTONIC at the read */
	int ncpus;				/* possible CPUs */
	struct xdplb_rx_stats rx;		/* summed over receiving CPUs */
	struct xdplb_rx_stats *rx_cpu;		/* [ncpus] */
	struct xdplb_remote_stats *rmt_cpu;	/* [ncpus] */
	__u32 n_targets;
	struct xdplb_target_ref *ref;		/* [n_targets] */
	struct xdplb_target_stats *tgt;		/* [n_targets], in the settings' order */
	struct xdplb_event_target_stats *ev_tgt; /* [n_targets] */
	struct xdplb_event_stats ev;
};

int xdplb_snapshot_read(const struct xdplb_instance *in, const struct xdplb_settings *s,
			struct xdplb_snapshot *snap);
void xdplb_snapshot_free(struct xdplb_snapshot *snap);

/* Index of the record of target ref in snap, or -1 when snap (or NULL) lacks that target. */
int xdplb_snapshot_find(const struct xdplb_snapshot *snap, const struct xdplb_target_ref *ref);

/* Seconds between two snapshots as measured at their reads, not the nominal interval. */
double xdplb_snapshot_dt_s(const struct xdplb_snapshot *now, const struct xdplb_snapshot *prev);

/* Per second over dt_s. A counter below its previous value gives 0: records are paired
 * only within one instance and target, so only a bug gets there, and a bug should not
 * print a wrapped 1.8e19/s. */
double xdplb_rate_ps(__u64 now, __u64 prev, double dt_s);

/* The fraction of the redirected frames that target i of now took: over the interval
 * since prev, or since attach without prev. Targets prev lacks (added by a
 * reconfiguration in between) stay out of the interval's total. */
double xdplb_snapshot_share(const struct xdplb_snapshot *now, const struct xdplb_snapshot *prev,
			    __u32 i);

/* A receiving CPU's counters as xdplb reports them: rx_fd's per-CPU records (passes), plus
 * every per-target record of tgt_fd (xdplb_rx counts a redirected frame on its target's
 * record only) into rx_packets, rx_bytes and redirected. Fills rx_cpu[ncpus] and their sum;
 * returns 0 or the first -errno. */
int xdplb_rx_read(int rx_fd, int tgt_fd, struct xdplb_rx_stats *rx_cpu, int ncpus,
		  struct xdplb_rx_stats *sum);

/* Sum of the pass reasons. */
__u64 xdplb_passed(const struct xdplb_rx_stats *rx);

#endif
