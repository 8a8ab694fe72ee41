/* SPDX-License-Identifier: GPL-2.0 */
/* balance_pressure.h: each target's pressure for --balance, from what the kernel shows:
 * how long its cpumap queue holds a frame (timed in the data path), its queue fill and
 * queue-full drops (tp_btf events), and its CPU's busy and softirq time (/proc/stat). */
#ifndef XDPLB_BALANCE_PRESSURE_H
#define XDPLB_BALANCE_PRESSURE_H

#include "core/balance.h"
#include "core/instance.h"
#include "core/stats.h"
#include "maps/xdplb_balance.h"

/* A frame that waits this long in a queue on average means the CPU is full: its kthread
 * gets the CPU late, behind other work (a cpumap kthread on an idle CPU runs a frame
 * within some 10..200 us; behind one busy task of equal priority, 1..4 ms: the
 * scheduler's slice). */
#define XDPLB_BAL_QDELAY_FULL_NS	(2000ULL * 1000)
/* Each round's measure enters the pressure with this weight (the rest is the previous
 * rounds'): one round's queue delay on a shared CPU is noisy, moves are not free. */
#define XDPLB_BAL_PRESSURE_NEW		0.4

/* What one round measured of one CPU, and what the next round measures from. */
struct xdplb_cpu_load {
	unsigned long long busy_ticks, softirq_ticks, total_ticks;	/* /proc/stat so far */
	double busy, softirq;		/* fractions over the last round */
	struct xdplb_qdelay qdelay;	/* the queue-delay map so far */
	double qdelay_us;		/* mean wait of the frames timed last round; < 0: none */
	double pressure;		/* smoothed over rounds; < 0: not measured yet */
};

struct xdplb_pressure {
	int ncpus;
	struct xdplb_cpu_load cpu[XDPLB_MAX_CPUS];
};

/* Before the first measure. */
void xdplb_pressure_init(struct xdplb_pressure *ps);

/* Measures every CPU since the last call and fills t[i] (key, weight, pressure 0..1) for
 * each target of s; *gap_ns becomes the idle gap a hold waits for: longer than the fullest
 * queue takes to drain. now and prev (NULL on the first round) are event snapshots. */
void xdplb_pressure_measure(struct xdplb_pressure *ps, const struct xdplb_instance *in,
			    const struct xdplb_settings *s, const struct xdplb_snapshot *now,
			    const struct xdplb_snapshot *prev, struct xdplb_bal_target *t,
			    __u64 *gap_ns);

#endif
