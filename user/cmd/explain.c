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
#include <linux/if_ether.h>

#include "cmd/ask.h"
#include "cmd/explain.h"
#include "cmd/explain_out.h"
#include "cmd/explain_summary.h"
#include "cmd/target.h"
#include "core/explain_prog.h"
#include "core/reconfig.h"
#include "sys/log.h"
#include "sys/pcap_file.h"
#include "maps/xdplb_explain.h"

/* Progress is redrawn this often (frames), a few times a second at the usual rate. */
#define XDPLB_PROGRESS_EVERY	(1u << 16)

/* A frame waiting in the batch: what the capture said of it. */
struct xdplb_explain_pending {
	__u32 caplen, len;
};

struct xdplb_explain_run {
	const struct xdplb_opts *o;
	struct xdplb_settings *s;
	struct xdplb_explainer e;
	struct xdplb_explain_tally t;
	struct xdplb_explain_pending pending[XDPLB_EXPLAIN_BATCH_MAX];
	struct xdplb_decision d[XDPLB_EXPLAIN_BATCH_MAX];
};

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

/* Counts and prints one decided frame, in the capture's order. */
static void xdplb_explain_emit(struct xdplb_explain_run *r, const __u8 *data, __u32 caplen,
			       __u32 len, const struct xdplb_decision *d)
{
	struct xdplb_explain_frame f = { .caplen = caplen, .len = len };
	char what[256];

	f.number = ++r->t.frames;
	r->t.cut += caplen < len;
	xdplb_frame_summary(data, caplen, what, sizeof(what));
	f.what = what;
	xdplb_explain_count(r, d);
	xdplb_explain_print_frame(r->s, &f, d, r->o->json);
}

/* Decides the frames waiting and prints them. */
static int xdplb_explain_flush(struct xdplb_explain_run *r)
{
	__u32 i, n = r->e.n;
	int err = xdplb_explainer_flush(&r->e, r->d);

	if (err) {
		pr_err("--explain: frame %llu: test run: %s", r->t.frames + 1, strerror(-err));
		return err;
	}
	for (i = 0; i < n; i++)
		xdplb_explain_emit(r, xdplb_explainer_frame(&r->e, i), r->pending[i].caplen,
				   r->pending[i].len, &r->d[i]);
	return 0;
}

/* Into the batch, or alone: a runt (not run) or a frame longer than a batch holds. */
static int xdplb_explain_frame(struct xdplb_explain_run *r, const struct xdplb_pcap_frame *fr)
{
	struct xdplb_decision d = { .reason = XDPLB_PASS_malformed, .slot = XDPLB_DECISION_NONE,
				    .target = XDPLB_DECISION_NONE };
	bool added = xdplb_explainer_add(&r->e, fr->data, fr->caplen);
	int err = 0;

	if (!added && fr->caplen >= XDPLB_EXPLAIN_FRAME_MIN && fr->caplen <= r->e.cap) {
		err = xdplb_explain_flush(r);
		added = !err && xdplb_explainer_add(&r->e, fr->data, fr->caplen);
	}
	if (added) {
		r->pending[r->e.n - 1] = (struct xdplb_explain_pending){ .caplen = fr->caplen,
									 .len = fr->len };
		return 0;
	}
	err = err ?: xdplb_explain_flush(r);
	if (err)
		return err;
	/* No NIC delivers a frame shorter than its Ethernet header, and a test run refuses
	 * one: it is shown as the malformed frame it is, without running. */
	if (fr->caplen < ETH_HLEN) {
		r->t.runts++;
	} else {
		err = xdplb_explainer_run(&r->e, fr->data, fr->caplen, &d);
		if (err) {
			pr_err("--explain: frame %llu: test run: %s", r->t.frames + 1, strerror(-err));
			return err;
		}
	}
	xdplb_explain_emit(r, fr->data, fr->caplen, fr->len, &d);
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
	int ret, err;

	while ((ret = xdplb_pcap_next(cap, &fr)) == 1) {
		ret = xdplb_explain_frame(r, &fr);
		if (ret)
			return ret;
		/* The frames waiting are counted once printed: progress lags a batch. */
		if (progress && !(r->t.frames % XDPLB_PROGRESS_EVERY))
			fprintf(stderr, "\r%llu frames, %.0f frames/s", r->t.frames,
				r->t.frames / (xdplb_now() - t0));
	}
	/* The frames read before the end, or before a cut: printed either way. */
	err = xdplb_explain_flush(r);
	if (err)
		return err;
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
		err = xdplb_ask_open(o, "--explain", &r->e, r->s);
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
