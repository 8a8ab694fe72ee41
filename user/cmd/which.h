/* SPDX-License-Identifier: GPL-2.0 */
/* which.h: --which, the target one flow goes to. The words become a frame (cmd/which_frame.h)
 * that runs through the data path's own decision (cmd/ask.h), against the live instance or
 * settings to try: fragments, IPv6 extension headers, ICMP errors, tunnels and --inner are
 * decided as on the wire. */
#ifndef XDPLB_WHICH_H
#define XDPLB_WHICH_H

#include <linux/types.h>

#include "cmd/options.h"
#include "cmd/which_frame.h"
#include "core/explain_prog.h"
#include "core/instance.h"
#include "kern/flow_hash.h"

/* A flow and how its packet travels. */
struct xdplb_which_query {
	struct xdplb_flow flow;
	struct xdplb_which_wrap wrap;
};

/* PROTO SRC DST, as on the command line (tcp 198.18.0.1:4000 198.18.1.1:80, udp
 * [fd00::1]:53 [fd00::2]:53, icmp 198.18.0.1:ID 198.18.1.1 for an echo, icmp 198.18.0.1
 * 198.18.1.1 for any other ICMP message, esp 198.18.0.1 198.18.1.1:SPI), into the flow the
 * parser fills from such a packet. Returns 0 or -XDPLB_EUSAGE after one line. */
int xdplb_which_parse(char *const *args, int n, struct xdplb_flow *f);
/* The same, then the words that say how it travels (cmd/which_frame.h). */
int xdplb_which_parse_query(char *const *args, int n, struct xdplb_which_query *q);

/* The data path's decision on the query's frame. 0 or a negative errno. */
int xdplb_which_ask(struct xdplb_explainer *e, const struct xdplb_which_query *q,
		    struct xdplb_decision *d);

/* --which: prints "cpu N", "port NAME" or "pass REASON"; returns 0 or -errno. */
int xdplb_which(const struct xdplb_opts *o, const struct xdplb_which_query *q);

#endif
