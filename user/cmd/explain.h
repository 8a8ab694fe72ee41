/* SPDX-License-Identifier: GPL-2.0 */
/* explain.h: --explain FILE, every frame of a capture through the data path's own decision
 * (cmd/ask.h), against a live instance (--iface) or settings not yet applied (--cpus ...
 * or --config FILE). */
#ifndef XDPLB_EXPLAIN_H
#define XDPLB_EXPLAIN_H

#include "cmd/options.h"

/* Runs it; 0, -XDPLB_EUSAGE or a negative errno. */
int xdplb_explain(const struct xdplb_opts *o);

#endif
