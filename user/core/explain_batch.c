// SPDX-License-Identifier: GPL-2.0
/* explain_batch.c: many frames in one test run. The frames are copied back to back into
 * one buffer, their lengths into the program's .bss; xdplb_explain_batch (kern/
 * xdplb_explain.bpf.c) moves the head to each frame and cuts the tail to its end, so the
 * decision reads exactly that frame's bytes, as xdplb_rx does one frame a run. */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/explain_prog.h"
#include "sys/log.h"
#include "maps/xdplb_explain.h"
#include "xdplb_explain.skel.h"

bool xdplb_explainer_add(struct xdplb_explainer *e, const void *frame, __u32 len)
{
	if (e->n == XDPLB_EXPLAIN_BATCH_MAX || len < XDPLB_EXPLAIN_FRAME_MIN || len > e->cap - e->used)
		return false;
	memcpy(e->buf + e->used, frame, len);
	e->off[e->n] = e->used;
	e->skel->bss->xdplb_batch_len[e->n++] = len;
	e->used += len;
	return true;
}

const __u8 *xdplb_explainer_frame(const struct xdplb_explainer *e, __u32 i)
{
	return e->buf + e->off[i];
}

static void xdplb_decision_of(const struct xdplb_explain_result *r, struct xdplb_decision *d)
{
	d->redirect = r->action == XDP_REDIRECT;
	d->reason = r->reason;
	d->slot = r->hashed ? r->slot : XDPLB_DECISION_NONE;
	d->target = r->target;
	d->hash = r->hash;
}

/* Runs the batch; frames it did not decide (none, unless the kernel keeps less of the
 * buffer than cap: the batch then shrinks to what it keeps) are run alone. */
static int xdplb_explainer_run_batch(struct xdplb_explainer *e, struct xdplb_decision *d)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = e->buf, .data_size_in = e->used,
		    .repeat = 1);
	struct xdplb_explain__bss *b = e->skel->bss;
	__u32 i;
	int err;

	b->xdplb_batch_n = e->n;
	b->xdplb_batch_bytes = e->used;
	for (i = 0; i < e->n; i++)
		b->xdplb_batch_res[i].done = 0;
	/* A batch the kernel refuses leaves every frame not done: each runs alone, and a
	 * frame the kernel refuses alone is the error. */
	if (bpf_prog_test_run_opts(e->batch_fd, &opts))
		pr_debug("--explain: a batch of %u frames: %s: run alone", e->n, strerror(errno));
	else if (b->xdplb_batch_linear < e->used) {
		pr_debug("--explain: a test run keeps %u bytes, not %u: smaller batches",
			 b->xdplb_batch_linear, e->used);
		e->cap = b->xdplb_batch_linear > XDPLB_EXPLAIN_FRAME_MIN ? b->xdplb_batch_linear : XDPLB_EXPLAIN_FRAME_MIN;
	}
	for (i = 0; i < e->n; i++) {
		if (b->xdplb_batch_res[i].done) {
			xdplb_decision_of(&b->xdplb_batch_res[i], &d[i]);
			continue;
		}
		err = xdplb_explainer_run(e, xdplb_explainer_frame(e, i), b->xdplb_batch_len[i], &d[i]);
		if (err)
			return err;
	}
	return 0;
}

int xdplb_explainer_flush(struct xdplb_explainer *e, struct xdplb_decision *d)
{
	int err = e->n ? xdplb_explainer_run_batch(e, d) : 0;

	e->n = e->used = 0;
	return err;
}
