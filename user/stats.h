/* SPDX-License-Identifier: GPL-2.0 */
/* stats.h: an instance's counters at one moment, summed over CPUs where that is the
 * meaning, kept per CPU where the per-CPU view is the point. */
#ifndef XDPLB_STATS_H
#define XDPLB_STATS_H

#include "../maps/xdplb_counters.h"
#include "instance.h"

struct xdplb_snapshot {
	__u64 time_ns;				/* CLOCK_MONOTONIC at the read */
	int ncpus;				/* possible CPUs */
	struct xdplb_rx_stats rx;		/* summed over receiving CPUs */
	struct xdplb_rx_stats *rx_cpu;		/* [ncpus] */
	struct xdplb_remote_stats *rmt_cpu;	/* [ncpus] */
	__u32 n_targets;
	struct xdplb_target_stats *tgt;		/* [n_targets], in the settings' order */
	struct xdplb_event_target_stats *ev_tgt; /* [n_targets] */
	struct xdplb_event_stats ev;
};

int xdplb_snapshot_read(const struct xdplb_instance *in, const struct xdplb_settings *s,
			struct xdplb_snapshot *snap);
void xdplb_snapshot_free(struct xdplb_snapshot *snap);

/* Sum of the pass reasons. */
__u64 xdplb_passed(const struct xdplb_rx_stats *rx);

#endif
