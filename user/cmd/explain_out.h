/* SPDX-License-Identifier: GPL-2.0 */
/* explain_out.h: what --explain prints, per frame and at the end, as text or JSON. */
#ifndef XDPLB_EXPLAIN_OUT_H
#define XDPLB_EXPLAIN_OUT_H

#include <stdbool.h>
#include <linux/types.h>

#include "core/explain_prog.h"
#include "core/instance.h"
#include "maps/xdplb_counters.h"

/* The tally of a run, for the summary. */
struct xdplb_explain_tally {
	unsigned long long frames, redirected, cut, runts;
	unsigned long long pass[XDPLB_PASS__COUNT];
	unsigned long long per_target[XDPLB_MAX_TARGETS];
	unsigned long long unknown_target;	/* steered to a value no target has */
};

/* One frame as the capture holds it: caplen bytes of a len-byte frame. */
struct xdplb_explain_frame {
	unsigned long long number;
	__u32 caplen, len;
	const char *what;	/* the frame's summary (cmd/explain_summary.h) */
};

void xdplb_explain_print_frame(const struct xdplb_settings *s, const struct xdplb_explain_frame *f,
			       const struct xdplb_decision *d, bool json);
void xdplb_explain_print_summary(const struct xdplb_settings *s,
				 const struct xdplb_explain_tally *t, bool json);
/* "cpu N" or "port NAME" (text), {"type": ...} (JSON object under key). */
void xdplb_explain_print_target(const struct xdplb_settings *s, __u32 value);

#endif
