// SPDX-License-Identifier: GPL-2.0
/* xdplb_explain.bpf.c: xdplb_rx as --explain and --which run it: the attached program's own
 * source, with the hook that records each decision compiled in (see xdplb.bpf.c), and
 * xdplb_explain_batch, which runs the same decision on many frames in one test run. Never
 * attached; test-run over a live instance's maps or private ones. */
#define XDPLB_EXPLAIN_BUILD
#include "xdplb.bpf.c"
#include "../maps/xdplb_explain.h"

/* Written by the tool before a run (mmap), read back after it. */
__u32 xdplb_batch_n;
__u32 xdplb_batch_len[XDPLB_EXPLAIN_BATCH_MAX];
struct xdplb_explain_result xdplb_batch_res[XDPLB_EXPLAIN_BATCH_MAX];
/* The bytes the tool packed, and those the run started with: a kernel that kept fewer in
 * the head (the rest in fragments, or cut) gets no frame decided. */
__u32 xdplb_batch_bytes, xdplb_batch_linear;

/* One frame, [start, start + len) of the buffer, with data_end already at its end: the
 * head moves to its start, the decision runs on exactly its bytes. */
static __always_inline int xdplb_batch_one(struct xdp_md *ctx, __u32 i, __u32 start,
					   __u32 len, __u32 *cur)
{
	struct xdplb_explain_result *r = &xdplb_batch_res[i & (XDPLB_EXPLAIN_BATCH_MAX - 1)];

	if (bpf_xdp_adjust_head(ctx, (int)(start - *cur)))
		return -1;
	*cur = start;
	if ((__u32)(ctx->data_end - ctx->data) != len)
		return -1;
	xdplb_dec_reason = xdplb_dec_slot = xdplb_dec_target = 0xffffffffU;
	xdplb_dec_hashed = 0;
	r->action = (__u32)xdplb_decide(ctx);
	r->reason = xdplb_dec_reason;
	r->slot = xdplb_dec_slot;
	r->target = xdplb_dec_target;
	r->hash = xdplb_dec_hash;
	r->hashed = xdplb_dec_hashed;
	r->done = 1;
	return 0;
}

/* The frames are decided last first: the tail can only shrink (growing it back zeroes the
 * bytes), so after frame i the tail is cut to frame i - 1's end. A frame that cannot be
 * placed exactly stops the batch; the tool runs the frames left without done alone. */
SEC("xdp")
int xdplb_explain_batch(struct xdp_md *ctx)
{
	__u32 n = xdplb_batch_n, end, k, i, len, prev, cur = 0;

	end = xdplb_batch_linear = (__u32)(ctx->data_end - ctx->data);
	if (n > XDPLB_EXPLAIN_BATCH_MAX || end != xdplb_batch_bytes)
		return XDP_ABORTED;
	for (k = 0; k < XDPLB_EXPLAIN_BATCH_MAX && k < n; k++) {
		i = (n - 1 - k) & (XDPLB_EXPLAIN_BATCH_MAX - 1);
		len = xdplb_batch_len[i];
		if (len < XDPLB_EXPLAIN_FRAME_MIN || len > end)
			break;
		if (xdplb_batch_one(ctx, i, end - len, len, &cur) || !i)
			break;
		/* The head to frame i - 1's start first: the tail may not pass the head. */
		prev = xdplb_batch_len[(i - 1) & (XDPLB_EXPLAIN_BATCH_MAX - 1)];
		end -= len;
		if (prev < XDPLB_EXPLAIN_FRAME_MIN || prev > end ||
		    bpf_xdp_adjust_head(ctx, (int)(end - prev - cur)))
			break;
		cur = end - prev;
		if (bpf_xdp_adjust_tail(ctx, -(int)len))
			break;
	}
	return XDP_PASS;
}
