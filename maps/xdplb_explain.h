/* SPDX-License-Identifier: GPL-2.0 */
/* xdplb_explain.h: a batch of frames --explain test-runs at once (kern/xdplb_explain.bpf.c,
 * user/core/explain_prog.c). The frames lie back to back in one buffer, their lengths in
 * the program's .bss; the program decides each on exactly its own bytes and writes one
 * result per frame. */
#ifndef XDPLB_EXPLAIN_BATCH_H
#define XDPLB_EXPLAIN_BATCH_H

#include <linux/types.h>

/* Frames in one batch at most: a page of 14-byte frames is fewer; a power of two, so an
 * index masked with it stays inside the arrays. */
#define XDPLB_EXPLAIN_BATCH_MAX	256
/* A frame shorter than an Ethernet header is not batched: the tool runs it alone, and the
 * program stops a batch at one (the head could not be placed on it). */
#define XDPLB_EXPLAIN_FRAME_MIN	14

struct xdplb_explain_result {
	__u32 action;		/* what xdplb_decide returned: XDP_REDIRECT or XDP_PASS */
	__u32 reason;		/* the decision hook's words, as after a run of xdplb_rx */
	__u32 slot;
	__u32 target;
	__u64 hash;
	__u32 hashed;
	__u32 done;		/* 1: decided on exactly the frame's bytes */
};

#endif
