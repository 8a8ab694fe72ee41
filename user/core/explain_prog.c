// SPDX-License-Identifier: GPL-2.0
/* explain_prog.c: loads the explain build of xdplb_rx (kern/xdplb_explain.bpf.c) and
 * test-runs frames through it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "core/explain_prog.h"
#include "core/lifecycle.h"
#include "core/reconfig.h"
#include "core/table.h"
#include "sys/log.h"
#include "maps/xdplb_explain.h"
#include "xdplb_explain.skel.h"

static int xdplb_explainer_set_frags(struct bpf_program *prog, bool frags)
{
	return bpf_program__set_flags(prog, (bpf_program__flags(prog) & ~BPF_F_XDP_HAS_FRAGS) |
					    (frags ? BPF_F_XDP_HAS_FRAGS : 0));
}

/* Opens the object sized as an attach sizes it, with the attached program's flags. */
static int xdplb_explainer_open(struct xdplb_explainer *e, const struct xdplb_settings *s,
				bool frags)
{
	int ncpus = libbpf_num_possible_cpus();
	int err;

	memset(e, 0, sizeof(*e));
	e->prog_fd = e->batch_fd = -1;
	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	e->skel = xdplb_explain__open();
	if (!e->skel) {
		pr_err("BPF object: open: %s", strerror(errno));
		return -errno;
	}
	err = bpf_map__set_max_entries(e->skel->maps.xdplb_cpus, ncpus);
	if (!err)
		err = bpf_map__set_max_entries(e->skel->maps.xdplb_tgt_stats,
					       ncpus > XDPLB_PORT_SLOTS ? ncpus : XDPLB_PORT_SLOTS);
	/* Loaded without --balance's per-slot hunk (rodata 0), so a test run never counts into
	 * or moves a live slot; its per-slot map stays as small as an unbalanced instance's. */
	if (!err)
		err = bpf_map__set_max_entries(e->skel->maps.xdplb_slots, 1);
	/* Both programs share the live cpumap and devmap, so both take the live flag. */
	if (!err)
		err = xdplb_explainer_set_frags(e->skel->progs.xdplb_rx, frags) ?:
		      xdplb_explainer_set_frags(e->skel->progs.xdplb_explain_batch, frags);
	/* Only xdplb_rx is run; the cpumap programs are not needed. */
	if (!err)
		err = bpf_program__set_autoload(e->skel->progs.xdplb_cpu_pass, false) ?:
		      bpf_program__set_autoload(e->skel->progs.xdplb_cpu_drop, false) ?:
		      bpf_program__set_autoload(e->skel->progs.xdplb_cpu_redirect, false);
	e->skel->rodata->xdplb_target_kind = s->target_kind;
	return err;
}

/* A test run puts the data in one page after XDP_PACKET_HEADROOM (256) and before the
 * skb_shared_info (320 bytes, cache-aligned, on 64-bit kernels); more goes into fragments,
 * which the head cannot walk. A kernel that keeps less says so (xdplb_batch_linear) and
 * the batch shrinks to it (explain_batch.c). */
static __u32 xdplb_explainer_batch_bytes(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return (__u32)(page > 4096 ? page : 4096) - 256 - 320;
}

/* The programs' fds and the batch's buffer, once loaded. */
static int xdplb_explainer_loaded(struct xdplb_explainer *e)
{
	e->prog_fd = bpf_program__fd(e->skel->progs.xdplb_rx);
	e->batch_fd = bpf_program__fd(e->skel->progs.xdplb_explain_batch);
	e->cap = xdplb_explainer_batch_bytes();
	e->buf = malloc(e->cap);
	return e->buf ? 0 : -ENOMEM;
}

static int xdplb_explainer_load(struct xdplb_explainer *e)
{
	int err = xdplb_explain__load(e->skel);

	if (err) {
		pr_err("BPF program: load for test runs: %s", strerror(-err));
		return err;
	}
	return xdplb_explainer_loaded(e);
}

/* One try with a multi-buffer flag: the copy shares the live cpumap and devmap, and the
 * kernel refuses a program whose flag differs from that of the programs already using them
 * (EINVAL after verification). */
static int xdplb_explainer_load_live(struct xdplb_explainer *e, const struct xdplb_instance *in,
				     const struct xdplb_settings *s, bool frags)
{
	int err = xdplb_explainer_open(e, s, frags);

	/* The decision's maps are the live ones: the program only reads them (a redirect
	 * in a test run is decided, never carried out). Its counters stay private. */
	if (!err)
		err = bpf_map__reuse_fd(e->skel->maps.xdplb_config, in->map_fd[XDPLB_M_config]) ?:
		      bpf_map__reuse_fd(e->skel->maps.xdplb_table, in->map_fd[XDPLB_M_table]) ?:
		      bpf_map__reuse_fd(e->skel->maps.xdplb_cpus, in->map_fd[XDPLB_M_cpus]) ?:
		      bpf_map__reuse_fd(e->skel->maps.xdplb_ports, in->map_fd[XDPLB_M_ports]);
	if (!err)
		err = xdplb_explain__load(e->skel);
	if (!err)
		err = xdplb_explainer_loaded(e);
	if (err)
		xdplb_explainer_close(e);
	return err;
}

int xdplb_explainer_open_live(struct xdplb_explainer *e, const struct xdplb_instance *in,
			      const struct xdplb_settings *s)
{
	/* The kernel does not report the live program's flag: first the one its attach chose
	 * by the MTU, then the other (the MTU may have changed since). */
	bool frags = xdplb_wants_frags((int)in->meta.ifindex, s->attach_mode);
	int err = xdplb_explainer_load_live(e, in, s, frags);

	if (err == -EINVAL)
		err = xdplb_explainer_load_live(e, in, s, !frags);
	if (err)
		pr_err("BPF program: load for test runs: %s", strerror(-err));
	return err;
}

/* Half 0 of private maps, as xdplb_apply would fill a fresh instance. */
static int xdplb_explainer_fill(struct xdplb_explainer *e, const struct xdplb_settings *s)
{
	struct xdplb_config cfg = { .active = 0, .abi_version = XDPLB_ABI_VERSION };
	__u32 *table = calloc(s->table_size, sizeof(*table));
	__u32 key = 0, i;
	int err;

	if (!table)
		return -ENOMEM;
	cfg.half[0] = (struct xdplb_half){ .seed = s->seed, .hash_mode = s->hash_mode,
					   .table_mask = s->table_size - 1,
					   .default_target = XDPLB_NO_TARGET };
	err = xdplb_build_table(s, table);
	if (!err)
		err = xdplb_table_write_half(bpf_map__fd(e->skel->maps.xdplb_table), 0, table,
					     s->table_size);
	free(table);
	if (!err && bpf_map_update_elem(bpf_map__fd(e->skel->maps.xdplb_config), &key, &cfg, 0))
		err = -errno;
	for (i = 0; !err && i < s->n_targets; i++) {
		struct bpf_cpumap_val v = { .qsize = s->targets[i].qsize };

		if (bpf_map_update_elem(bpf_map__fd(e->skel->maps.xdplb_cpus), &s->targets[i].id, &v, 0))
			err = -errno;
	}
	if (err)
		pr_err("--explain: cannot fill the private maps: %s", strerror(-err));
	return err;
}

int xdplb_explainer_open_settings(struct xdplb_explainer *e, const struct xdplb_settings *s)
{
	int err = xdplb_explainer_open(e, s, true);

	if (!err && s->target_kind != XDPLB_TARGET_CPU)
		err = -EOPNOTSUPP;
	if (!err)
		err = xdplb_explainer_load(e);
	if (!err)
		err = xdplb_explainer_fill(e, s);
	if (err)
		xdplb_explainer_close(e);
	return err;
}

int xdplb_explainer_run(struct xdplb_explainer *e, const void *frame, __u32 len,
			struct xdplb_decision *d)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
		    .repeat = 1);
	struct xdplb_explain__bss *b = e->skel->bss;

	b->xdplb_dec_reason = b->xdplb_dec_slot = b->xdplb_dec_target = XDPLB_DECISION_NONE;
	b->xdplb_dec_hashed = 0;
	if (bpf_prog_test_run_opts(e->prog_fd, &opts))
		return -errno;
	d->redirect = opts.retval == XDP_REDIRECT;
	d->reason = b->xdplb_dec_reason;
	d->slot = b->xdplb_dec_hashed ? b->xdplb_dec_slot : XDPLB_DECISION_NONE;
	d->target = b->xdplb_dec_target;
	d->hash = b->xdplb_dec_hash;
	return 0;
}

int xdplb_explainer_config(struct xdplb_explainer *e, struct xdplb_config *cfg)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(bpf_map__fd(e->skel->maps.xdplb_config), &key, cfg) ? -errno : 0;
}

void xdplb_explainer_close(struct xdplb_explainer *e)
{
	xdplb_explain__destroy(e->skel);
	free(e->buf);
	e->skel = NULL;
	e->buf = NULL;
	e->prog_fd = e->batch_fd = -1;
}
