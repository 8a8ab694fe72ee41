/* SPDX-License-Identifier: GPL-2.0 */
/* explain_prog.h: the data path's own decision for one frame. A private copy of xdplb_rx,
 * from the same object, loaded with its xdplb_explain switch set, is run on the frame with
 * BPF_PROG_TEST_RUN; it reads a live instance's config, table, cpumap and devmap (or
 * private ones filled from settings not yet applied) and counts into private counters, so
 * a live instance's counters never move. */
#ifndef XDPLB_EXPLAIN_PROG_H
#define XDPLB_EXPLAIN_PROG_H

#include <stdbool.h>
#include <linux/types.h>

#include "core/instance.h"

struct xdplb;

struct xdplb_explainer {
	struct xdplb *skel;
	int prog_fd;
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
void xdplb_explainer_close(struct xdplb_explainer *e);

#endif
