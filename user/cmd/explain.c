// SPDX-License-Identifier: GPL-2.0
/* explain.c: --explain. Each frame of the capture is test-run through the explain copy of
 * xdplb_rx; the verdict, reason, slot and target printed are what that program decided.
 * Frame by frame, so a capture of any size takes the memory of one frame. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "cmd/explain.h"
#include "cmd/explain_out.h"
#include "cmd/explain_summary.h"
#include "cmd/which.h"
#include "core/cpulist.h"
#include "core/explain_prog.h"
#include "core/maglev.h"
#include "core/pins.h"
#include "core/reconfig.h"
#include "sys/log.h"
#include "sys/pcap_file.h"

#define XDPLB_ETH_HLEN		14
/* Progress is redrawn this often (frames), a few times a second at the usual rate. */
#define XDPLB_PROGRESS_EVERY	(1u << 16)

struct xdplb_explain_run {
	const struct xdplb_opts *o;
	struct xdplb_settings *s;
	struct xdplb_explainer e;
	struct xdplb_explain_tally t;
};

int xdplb_explain_config_load(struct xdplb_opts *o, struct xdplb_config_file *cf)
{
	struct xdplb_opts keep = *o;
	int err = xdplb_config_load(o->config, o, cf);

	if (err)
		return err;
	if (o->redirect_set)
		return usage_err("--explain", keep.config, "a configuration of CPU targets "
				 "(to try ports, attach and use --explain FILE --iface IF)");
	if (!o->seed_set)
		return usage_err("--explain", keep.config, "no seed in it: the seed decides every "
				 "flow (add a seed line, as --config-out writes)");
	o->cmd = XDPLB_CMD_EXPLAIN;
	o->explain = keep.explain;
	o->json = keep.json;
	o->config = keep.config;
	o->ifname = NULL;
	return 0;
}

/* Settings not applied anywhere, built as an attach would build a fresh instance's. */
static int xdplb_explain_settings(const struct xdplb_opts *o, struct xdplb_settings *s)
{
	static struct xdplb_cpu_weight cpus[XDPLB_MAX_CPUS];
	static bool online[XDPLB_MAX_CPUS];
	int ncpus = libbpf_num_possible_cpus();
	size_t n, i;
	int err;

	if (ncpus <= 0 || xdplb_read_online_cpus(online, XDPLB_MAX_CPUS)) {
		pr_err("CPUs: cannot read the online and possible CPUs");
		return -EIO;
	}
	err = xdplb_parse_cpulist(o->cpus, online, (size_t)ncpus, cpus, &n);
	if (err)
		return err;
	memset(s, 0, sizeof(*s));
	s->target_kind = XDPLB_TARGET_CPU;
	s->n_targets = (__u32)n;
	for (i = 0; i < n; i++)
		s->targets[i] = (struct xdplb_target){ .kind = XDPLB_TARGET_CPU, .id = cpus[i].cpu,
						       .weight = cpus[i].weight, .qsize = o->qsize };
	s->seed = o->seed;
	s->hash_mode = o->hash_mode | (o->inner ? XDPLB_HASH_F_INNER : 0);
	s->table_size = o->table_size ? o->table_size : xdplb_maglev_default_size((__u32)ncpus);
	return 0;
}

int xdplb_explainer_open_opts(const struct xdplb_opts *o, const char *flag,
			      struct xdplb_explainer *e, struct xdplb_settings *s)
{
	struct xdplb_instance in;
	int lock_fd, err;

	if (!o->ifname) {
		err = xdplb_explain_settings(o, s);
		return err ? err : xdplb_explainer_open_settings(e, s);
	}
	err = xdplb_pins_open_live(flag, o->ifname, &in, s, &lock_fd);
	if (err)
		return err;
	err = xdplb_explainer_open_live(e, &in, s);
	xdplb_instance_close(&in);
	xdplb_pins_unlock(lock_fd);
	return err;
}

static void xdplb_explain_count(struct xdplb_explain_run *r, const struct xdplb_decision *d)
{
	const struct xdplb_target *t;

	if (!d->redirect) {
		if (d->reason < XDPLB_PASS__COUNT)
			r->t.pass[d->reason]++;
		return;
	}
	r->t.redirected++;
	t = xdplb_table_target(r->s, d->target);
	if (t)
		r->t.per_target[t - r->s->targets]++;
	else
		r->t.unknown_target++;
}

static int xdplb_explain_frame(struct xdplb_explain_run *r, const struct xdplb_pcap_frame *fr)
{
	struct xdplb_decision d = { .reason = XDPLB_PASS_malformed, .slot = XDPLB_DECISION_NONE,
				    .target = XDPLB_DECISION_NONE };
	struct xdplb_explain_frame f = { .caplen = fr->caplen, .len = fr->len };
	char what[256];
	int err;

	f.number = ++r->t.frames;
	r->t.cut += fr->caplen < fr->len;
	xdplb_frame_summary(fr->data, fr->caplen, what, sizeof(what));
	f.what = what;
	/* No NIC delivers a frame shorter than its Ethernet header, and a test run refuses
	 * one: it is shown as the malformed frame it is, without running. */
	if (fr->caplen < XDPLB_ETH_HLEN) {
		r->t.runts++;
	} else {
		err = xdplb_explainer_run(&r->e, fr->data, fr->caplen, &d);
		if (err) {
			pr_err("--explain: frame %llu: test run: %s", f.number, strerror(-err));
			return err;
		}
	}
	xdplb_explain_count(r, &d);
	xdplb_explain_print_frame(r->s, &f, &d, r->o->json);
	return 0;
}

static double xdplb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int xdplb_explain_loop(struct xdplb_explain_run *r, struct xdplb_pcap *cap)
{
	bool progress = isatty(STDERR_FILENO);
	struct xdplb_pcap_frame fr;
	double t0 = xdplb_now(), dt;
	int ret;

	while ((ret = xdplb_pcap_next(cap, &fr)) == 1) {
		ret = xdplb_explain_frame(r, &fr);
		if (ret)
			return ret;
		if (progress && !(r->t.frames % XDPLB_PROGRESS_EVERY))
			fprintf(stderr, "\r%llu frames, %.0f frames/s", r->t.frames,
				r->t.frames / (xdplb_now() - t0));
	}
	dt = xdplb_now() - t0;
	if (progress && r->t.frames >= XDPLB_PROGRESS_EVERY)
		fprintf(stderr, "\r%llu frames, %.0f frames/s\n", r->t.frames,
			dt > 0 ? r->t.frames / dt : 0);
	pr_debug("%llu frames in %.3f s", r->t.frames, dt);
	if (ret)
		pr_err("--explain: %s: read %llu frames, then the file ends inside a frame: the "
		       "summary covers those", cap->path, r->t.frames);
	return ret;
}

int xdplb_explain(const struct xdplb_opts *o)
{
	struct xdplb_explain_run *r = calloc(1, sizeof(*r));
	struct xdplb_pcap cap;
	int err;

	if (!r)
		return -ENOMEM;
	r->o = o;
	r->s = calloc(1, sizeof(*r->s));
	err = r->s ? xdplb_pcap_open("--explain", o->explain, &cap) : -ENOMEM;
	if (!err) {
		err = xdplb_explainer_open_opts(o, "--explain", &r->e, r->s);
		if (!err) {
			int loop_err = xdplb_explain_loop(r, &cap);

			xdplb_explain_print_summary(r->s, &r->t, o->json);
			xdplb_explainer_close(&r->e);
			err = loop_err;
		}
		xdplb_pcap_close(&cap);
	}
	free(r->s);
	free(r);
	return err;
}
