// SPDX-License-Identifier: GPL-2.0
/* stats.c: reads the per-CPU counter maps of an instance into a snapshot. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/reconfig.h"
#include "core/stats.h"

__u64 xdplb_passed(const struct xdplb_rx_stats *rx)
{
	__u64 sum = 0;
	int i;

	for (i = 0; i < XDPLB_PASS__COUNT; i++)
		sum += rx->pass[i];
	return sum;
}

/* Reads one per-CPU record (all possible CPUs) and adds its u64 fields into sum. The
 * records are arrays of __u64, so they can be summed field by field. */
static int xdplb_read_percpu(int fd, __u32 key, void *per_cpu, size_t size, int ncpus, void *sum)
{
	__u64 *out = sum;
	size_t words = size / sizeof(__u64), w;
	int cpu;

	memset(sum, 0, size);
	if (fd < 0 || bpf_map_lookup_elem(fd, &key, per_cpu)) {
		memset(per_cpu, 0, size * ncpus);
		return fd < 0 ? -EBADF : -errno;
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		const __u64 *v = (const __u64 *)((const char *)per_cpu + cpu * size);

		for (w = 0; w < words; w++)
			out[w] += v[w];
	}
	return 0;
}

/* Target records read per batch call: one syscall for every key of a small map, and a
 * bounded buffer (keys x CPUs records) on a machine with many CPUs. */
#define XDPLB_FOLD_BATCH	64

static void xdplb_fold_one(const struct xdplb_target_stats *rec, struct xdplb_rx_stats *rx_cpu,
			   int ncpus)
{
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++) {
		rx_cpu[cpu].rx_packets += rec[cpu].packets;
		rx_cpu[cpu].rx_bytes += rec[cpu].bytes;
		/* A local frame was passed here, not redirected (XDPLB_HASH_F_LOCAL). */
		rx_cpu[cpu].redirected += rec[cpu].packets - rec[cpu].local;
		rx_cpu[cpu].pass[XDPLB_PASS_local] += rec[cpu].local;
	}
}

/* Adds every per-target record of tgt_fd into rx_cpu[ncpus]. */
static int xdplb_rx_fold_targets(int tgt_fd, struct xdplb_rx_stats *rx_cpu, int ncpus)
{
	__u32 keys[XDPLB_FOLD_BATCH], in = 0, out = 0, count, i;
	struct xdplb_target_stats *rec;
	int err = 0, first = 1;

	if (tgt_fd < 0)
		return -EBADF;
	rec = calloc((size_t)XDPLB_FOLD_BATCH * ncpus, sizeof(*rec));
	if (!rec)
		return -ENOMEM;
	/* Every key, not only the configured targets: a target removed by a reconfiguration
	 * keeps its record (nothing zeroes one), so the totals never go back. */
	while (!err) {
		count = XDPLB_FOLD_BATCH;
		err = bpf_map_lookup_batch(tgt_fd, first ? NULL : &in, &out, keys, rec, &count,
					   NULL) ? -errno : 0;
		if (err && err != -ENOENT)
			break;
		for (i = 0; i < count; i++)
			xdplb_fold_one(rec + (size_t)i * ncpus, rx_cpu, ncpus);
		in = out;
		first = 0;
	}
	free(rec);
	return err == -ENOENT ? 0 : err;
}

/* The totals over the receiving CPUs, field by field. */
static void xdplb_rx_sum(const struct xdplb_rx_stats *rx_cpu, int ncpus,
			 struct xdplb_rx_stats *sum)
{
	const __u64 *v = (const __u64 *)rx_cpu;
	size_t words = sizeof(*sum) / sizeof(__u64), w;
	__u64 *out = (__u64 *)sum;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; cpu < ncpus; cpu++)
		for (w = 0; w < words; w++)
			out[w] += v[cpu * words + w];
}

int xdplb_rx_read(int rx_fd, int tgt_fd, struct xdplb_rx_stats *rx_cpu, int ncpus,
		  struct xdplb_rx_stats *sum)
{
	int err = xdplb_read_percpu(rx_fd, 0, rx_cpu, sizeof(*sum), ncpus, sum);
	int fold_err = xdplb_rx_fold_targets(tgt_fd, rx_cpu, ncpus);

	xdplb_rx_sum(rx_cpu, ncpus, sum);
	return err ? err : fold_err;
}

int xdplb_snapshot_read(const struct xdplb_instance *in, const struct xdplb_settings *s,
			struct xdplb_snapshot *snap)
{
	struct xdplb_remote_stats rmt_sum;
	struct timespec ts;
	void *scratch;
	int ncpus = libbpf_num_possible_cpus();
	__u32 i;

	memset(snap, 0, sizeof(*snap));
	if (ncpus <= 0)
		return -EINVAL;
	snap->ncpus = ncpus;
	snap->n_targets = s->n_targets;
	snap->rx_cpu = calloc(ncpus, sizeof(*snap->rx_cpu));
	snap->rmt_cpu = calloc(ncpus, sizeof(*snap->rmt_cpu));
	snap->ref = calloc(s->n_targets + 1, sizeof(*snap->ref));
	snap->tgt = calloc(s->n_targets + 1, sizeof(*snap->tgt));
	snap->ev_tgt = calloc(s->n_targets + 1, sizeof(*snap->ev_tgt));
	scratch = calloc(ncpus, sizeof(struct xdplb_event_target_stats));
	if (!snap->rx_cpu || !snap->rmt_cpu || !snap->ref || !snap->tgt || !snap->ev_tgt || !scratch) {
		free(scratch);
		xdplb_snapshot_free(snap);
		return -ENOMEM;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snap->time_ns = (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;

	xdplb_rx_read(in->map_fd[XDPLB_M_rx_stats], in->map_fd[XDPLB_M_tgt_stats], snap->rx_cpu,
		      ncpus, &snap->rx);
	xdplb_read_percpu(in->map_fd[XDPLB_M_rmt_stats], 0, snap->rmt_cpu, sizeof(rmt_sum),
			  ncpus, &rmt_sum);
	xdplb_read_percpu(in->map_fd[XDPLB_M_ev], 0, scratch, sizeof(snap->ev), ncpus, &snap->ev);
	for (i = 0; i < s->n_targets; i++) {
		__u32 key = xdplb_target_key(&s->targets[i]);

		snap->ref[i] = (struct xdplb_target_ref){ s->targets[i].kind, s->targets[i].id };
		xdplb_read_percpu(in->map_fd[XDPLB_M_tgt_stats], key, scratch,
				  sizeof(snap->tgt[i]), ncpus, &snap->tgt[i]);
		xdplb_read_percpu(in->map_fd[XDPLB_M_ev_tgt], key, scratch,
				  sizeof(snap->ev_tgt[i]), ncpus, &snap->ev_tgt[i]);
	}
	free(scratch);
	return 0;
}

int xdplb_snapshot_find(const struct xdplb_snapshot *snap, const struct xdplb_target_ref *ref)
{
	__u32 i;

	for (i = 0; snap && i < snap->n_targets; i++)
		if (snap->ref[i].kind == ref->kind && snap->ref[i].id == ref->id)
			return (int)i;
	return -1;
}

double xdplb_snapshot_dt_s(const struct xdplb_snapshot *now, const struct xdplb_snapshot *prev)
{
	return prev && now->time_ns > prev->time_ns ? (double)(now->time_ns - prev->time_ns) / 1e9 : 0;
}

double xdplb_rate_ps(__u64 now, __u64 prev, double dt_s)
{
	return dt_s > 0 && now >= prev ? (double)(now - prev) / dt_s : 0;
}

double xdplb_snapshot_share(const struct xdplb_snapshot *now, const struct xdplb_snapshot *prev,
			    __u32 i)
{
	__u64 mine = 0, total = 0, d;
	__u32 k;

	for (k = 0; k < now->n_targets; k++) {
		int j = xdplb_snapshot_find(prev, &now->ref[k]);

		if (prev && j < 0)
			continue;
		d = now->tgt[k].packets;
		if (j >= 0)
			d = d >= prev->tgt[j].packets ? d - prev->tgt[j].packets : 0;
		total += d;
		if (k == i)
			mine = d;
	}
	return total ? (double)mine / (double)total : 0;
}

void xdplb_snapshot_free(struct xdplb_snapshot *snap)
{
	free(snap->rx_cpu);
	free(snap->rmt_cpu);
	free(snap->ref);
	free(snap->tgt);
	free(snap->ev_tgt);
	memset(snap, 0, sizeof(*snap));
}
