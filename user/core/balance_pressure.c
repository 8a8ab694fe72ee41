// SPDX-License-Identifier: GPL-2.0
/* balance_pressure.c: a target's pressure is the largest of what says its CPU cannot keep
 * up: the mean time its queue held the frames timed this round (which grows with
 * everything else the CPU does: other tasks, and the receiving CPU's own softirq work),
 * its queue fill, and above 1 after queue-full drops (the more so, the larger their
 * share). A target that got no timed frame (no traffic) is judged by its CPU's busy time
 * instead, which says whether load may go there; so is, at least, a CPU that receives
 * frames for itself (passed to its stack without a queue: XDPLB_HASH_F_LOCAL), whose busy
 * time holds their stack work. Busy time alone cannot tell a CPU whose kthread is starved
 * from one that is busy but has room for it (a shared host keeps every CPU busy), the
 * queue delay can. */
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/balance_pressure.h"
#include "sys/log.h"

#define XDPLB_BAL_GAP_MAX_NS	(200ULL * 1000 * 1000)

/* Busy (everything but idle and iowait) and softirq fractions of each CPU since the last
 * call, from /proc/stat. */
static void xdplb_read_cpu_times(struct xdplb_pressure *ps)
{
	unsigned long long v[8], total, busy;
	char line[512];
	FILE *f = fopen("/proc/stat", "r");
	unsigned int cpu;
	int i;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct xdplb_cpu_load *c;

		if (sscanf(line, "cpu%u %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 9 || cpu >= XDPLB_MAX_CPUS)
			continue;
		c = &ps->cpu[cpu];
		for (total = 0, i = 0; i < 8; i++)
			total += v[i];
		busy = total - v[3] - v[4];
		if (c->total_ticks && total > c->total_ticks) {
			c->busy = (double)(busy - c->busy_ticks) / (double)(total - c->total_ticks);
			c->softirq = (double)(v[6] - c->softirq_ticks) / (double)(total - c->total_ticks);
		}
		c->busy_ticks = busy;
		c->softirq_ticks = v[6];
		c->total_ticks = total;
	}
	fclose(f);
}

/* The mean queue wait of each CPU's timed frames since the last call. */
static void xdplb_read_qdelay(struct xdplb_pressure *ps, const struct xdplb_instance *in)
{
	struct xdplb_qdelay vals[XDPLB_MAX_CPUS];
	__u32 key = 0;
	int cpu;

	if (ps->ncpus <= 0 || ps->ncpus > XDPLB_MAX_CPUS ||
	    bpf_map_lookup_elem(in->map_fd[XDPLB_M_qdelay], &key, vals))
		return;
	for (cpu = 0; cpu < ps->ncpus; cpu++) {
		struct xdplb_cpu_load *c = &ps->cpu[cpu];
		__u64 n = vals[cpu].samples - c->qdelay.samples;

		c->qdelay_us = n ? (double)(vals[cpu].sum_ns - c->qdelay.sum_ns) / n / 1000 : -1;
		c->qdelay = vals[cpu];
	}
}

void xdplb_pressure_init(struct xdplb_pressure *ps)
{
	int cpu;

	memset(ps, 0, sizeof(*ps));
	ps->ncpus = libbpf_num_possible_cpus();
	for (cpu = 0; cpu < XDPLB_MAX_CPUS; cpu++)
		ps->cpu[cpu].pressure = -1;
}

/* A CPU's pressure this round: its queue delay, or without a timed frame (no traffic: no
 * news of its kthread) what it had, its busy time at first. A CPU that received frames of
 * its own this round (local: passed to its stack without a queue) runs their stack work
 * in its receive path, where no queue shows it: its busy time says how full it is. */
static double xdplb_cpu_pressure(struct xdplb_cpu_load *c, bool local)
{
	double p;

	if (c->qdelay_us >= 0)
		p = c->qdelay_us * 1000 / XDPLB_BAL_QDELAY_FULL_NS;
	else
		p = c->pressure >= 0 && !local ? c->pressure : c->busy;
	if (local && c->busy > p)
		p = c->busy;
	p = p > 1 ? 1 : p;
	c->pressure = c->pressure < 0 ? p : (1 - XDPLB_BAL_PRESSURE_NEW) * c->pressure +
					    XDPLB_BAL_PRESSURE_NEW * p;
	return c->pressure;
}

/* A queue that dropped is full, and the more of its frames it dropped the fuller: from 1
 * (a drop) to 1 + XDPLB_BAL_DROP_SCALE (all dropped). Two CPUs that both drop are told
 * apart by how much, which a plain 1 for either could not (both at 1: nothing moves). */
static double xdplb_drop_pressure(double p, const struct xdplb_event_target_stats *e,
				  const struct xdplb_event_target_stats *pe)
{
	__u64 drops = e->enqueue_drops - pe->enqueue_drops;
	__u64 sent = e->enqueue_processed - pe->enqueue_processed;
	double d;

	if (e->enqueue_drops <= pe->enqueue_drops || e->enqueue_processed < pe->enqueue_processed)
		return p;
	d = 1 + XDPLB_BAL_DROP_SCALE * (sent ? (double)drops / (double)sent : 1);
	return d > p ? d : p;
}

void xdplb_pressure_measure(struct xdplb_pressure *ps, const struct xdplb_instance *in,
			    const struct xdplb_settings *s, const struct xdplb_snapshot *now,
			    const struct xdplb_snapshot *prev, struct xdplb_bal_target *t,
			    __u64 *gap_ns)
{
	double dt = prev ? xdplb_snapshot_dt_s(now, prev) : 0;
	__u64 gap = XDPLB_BAL_GAP_DEFAULT_NS;
	__u32 i;

	xdplb_read_cpu_times(ps);
	xdplb_read_qdelay(ps, in);
	for (i = 0; i < s->n_targets; i++) {
		const struct xdplb_event_target_stats *e = &now->ev_tgt[i];
		int j = prev ? xdplb_snapshot_find(prev, &now->ref[i]) : -1;
		const struct xdplb_event_target_stats *pe = j >= 0 ? &prev->ev_tgt[j] : NULL;
		bool local = j >= 0 && now->tgt[i].local > prev->tgt[j].local;
		__u64 out = e->kthread_processed + e->kthread_drops;
		__u64 queued = e->enqueue_processed - e->enqueue_drops;
		double fill = queued > out ? (double)(queued - out) : 0, rate, p;
		struct xdplb_cpu_load *c;

		t[i].key = s->targets[i].id;
		t[i].weight = s->targets[i].weight;
		c = t[i].key < XDPLB_MAX_CPUS ? &ps->cpu[t[i].key] : NULL;
		p = c ? xdplb_cpu_pressure(c, local) : 0;
		if (fill / s->targets[i].qsize > p)
			p = fill / s->targets[i].qsize;
		if (pe)
			p = xdplb_drop_pressure(p, e, pe);
		t[i].pressure = p;
		if (c)
			pr_debug("%s: cpu %u: pressure %.2f (queue delay %.0f us, fill %.0f of %u; busy %.2f, softirq %.2f%s)",
				 in->ifname, t[i].key, t[i].pressure, c->qdelay_us, fill,
				 s->targets[i].qsize, c->busy, c->softirq, local ? "; receives" : "");
		rate = pe && dt > 0 ? (double)(e->kthread_processed - pe->kthread_processed) / dt : 0;
		if (rate > 0 && 4e9 * fill / rate > (double)gap)
			gap = (__u64)(4e9 * fill / rate);
	}
	*gap_ns = gap < XDPLB_BAL_GAP_MAX_NS ? gap : XDPLB_BAL_GAP_MAX_NS;
}
