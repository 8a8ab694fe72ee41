/* SPDX-License-Identifier: GPL-2.0 */
/* explain_prog.h: the data path's own decision for one frame. A private copy of xdplb_rx,
 * built from its source with the decision hook (kern/xdplb_explain.bpf.c), is run on the
 * frame with BPF_PROG_TEST_RUN; it reads a live instance's config, table, cpumap and devmap (or
 * private ones filled from settings not yet applied) and counts into private counters, so
 * a live instance's counters never move. */
#ifndef XDPLB_EXPLAIN_PROG_H
#define XDPLB_EXPLAIN_PROG_H

#include <stdbool.h>
#include <linux/types.h>

#include "core/instance.h"
#include "maps/xdplb_explain.h"

struct xdplb_explain;

/* Frames are decided a batch at a time: packed back to back in one buffer, one test run of
 * xdplb_explain_batch decides them all, each on exactly its own bytes (one run costs about
 * what deciding thirty frames does). */
struct xdplb_explainer {
	struct xdplb_explain *skel;
	int prog_fd, batch_fd;
	__u8 *buf;		/* the batch's frames, back to back */
	__u32 used, n;		/* bytes and frames in it */
	__u32 cap;		/* bytes a test run keeps in one buffer (its head, no fragments) */
	__u32 off[XDPLB_EXPLAIN_BATCH_MAX];
};

#define XDPLB_DECISION_NONE	0xffffffffU

struct xdplb_decision {
	bool redirect;		/* XDP_REDIRECT; else XDP_PASS with reason */
	__u32 reason;		/* enum xdplb_pass_reason when passed */
	__u32 slot;		/* the table slot, or XDPLB_DECISION_NONE (no flow hashed) */
	__u32 target;		/* CPU number or port slot steered to, or XDPLB_DECISION_NONE */
	__u64 hash;		/* valid with a slot */
};

/* The live instance in (opened with its settings s): its maps are shared, read only. */
int xdplb_explainer_open_live(struct xdplb_explainer *e, const struct xdplb_instance *in,
			      const struct xdplb_settings *s);
/* Settings not applied anywhere: private maps filled as an attach would (CPU targets). */
int xdplb_explainer_open_settings(struct xdplb_explainer *e, const struct xdplb_settings *s);
/* Runs one frame (len >= 14) through the program. 0 or a negative errno. */
int xdplb_explainer_run(struct xdplb_explainer *e, const void *frame, __u32 len,
			struct xdplb_decision *d);
/* Adds a frame (len >= 14) to the batch: false when it is full or the frame does not fit
 * (flush first; a frame longer than cap goes alone through xdplb_explainer_run). */
bool xdplb_explainer_add(struct xdplb_explainer *e, const void *frame, __u32 len);
/* Frame i of the batch, as added; still there after the flush, until the next add. */
const __u8 *xdplb_explainer_frame(const struct xdplb_explainer *e, __u32 i);
/* Decides every frame of the batch into d[0..n-1] and empties it. 0 or a negative errno. */
int xdplb_explainer_flush(struct xdplb_explainer *e, struct xdplb_decision *d);
/* The configuration the program reads (live or private). 0 or a negative errno. */
int xdplb_explainer_config(struct xdplb_explainer *e, struct xdplb_config *cfg);
void xdplb_explainer_close(struct xdplb_explainer *e);

#endif
