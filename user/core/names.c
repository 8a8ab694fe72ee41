// SPDX-License-Identifier: GPL-2.0
/* names.c: the words for an instance's settings and states, one table each, read by the
 * option parser and written by every output (text, JSON, Prometheus, config files). */
#include <xdp/libxdp.h>

#include "core/names.h"

const char *const xdplb_hash_names[XDPLB_HASH_NAMES] = {
	[XDPLB_HASH_SYM] = "sym", [XDPLB_HASH_L4] = "l4", [XDPLB_HASH_L3] = "l3",
};

const char *const xdplb_remote_names[XDPLB_REMOTE__COUNT] = {
	[XDPLB_REMOTE_NONE] = "none", [XDPLB_REMOTE_PASS] = "pass", [XDPLB_REMOTE_DROP] = "drop",
	[XDPLB_REMOTE_REDIRECT] = "redirect",
};

/* --mode auto asks for no mode, as the kernel's own default does; xdplb then tries native
 * first and skb after, and the instance records the mode it got. */
const char *const xdplb_mode_names[XDPLB_MODE_NAMES] = {
	[XDP_MODE_UNSPEC] = "auto", [XDP_MODE_NATIVE] = "native",
	[XDP_MODE_SKB] = "skb", [XDP_MODE_HW] = "hw",
};

const char *xdplb_hash_name(__u32 mode)
{
	mode &= XDPLB_HASH_MODE_MASK;
	return mode < XDPLB_HASH_NAMES ? xdplb_hash_names[mode] : "?";
}

const char *xdplb_remote_name(__u32 remote)
{
	return remote < XDPLB_REMOTE__COUNT ? xdplb_remote_names[remote] : "?";
}

const char *xdplb_mode_name(__u32 mode)
{
	return mode < XDPLB_MODE_NAMES ? xdplb_mode_names[mode] : "?";
}

const char *xdplb_state_name(enum xdplb_state st)
{
	switch (st) {
	case XDPLB_STATE_LIVE:
		return "live";
	case XDPLB_STATE_STALE:
		return "stale";
	case XDPLB_STATE_ELSEWHERE:
		return "other-netns";
	case XDPLB_STATE_ORPHANED:
		return "orphaned";
	default:
		return "broken";
	}
}
