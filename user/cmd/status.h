/* SPDX-License-Identifier: GPL-2.0 */
/* status.h: an instance written as text or as the JSON object of the --status contract. */
#ifndef XDPLB_STATUS_H
#define XDPLB_STATUS_H

#include <stdio.h>

#include "cmd/options.h"
#include "core/instance.h"
#include "core/stats.h"
#include "sys/json.h"

/* One instance object. With prev (and its time), every counter gains its rate over the
 * measured interval beside it (packets -> pps, bytes -> bps in bits/s, enqueue_drops ->
 * drops_ps, rx_packets -> rx_pps). */
void xdplb_json_instance(struct xdplb_json *j, const struct xdplb_instance *in,
			 const struct xdplb_settings *s, const struct xdplb_snapshot *now,
			 const struct xdplb_snapshot *prev);

void xdplb_text_instance(FILE *f, const struct xdplb_instance *in, const struct xdplb_settings *s,
			 const struct xdplb_snapshot *now);

/* --status [--iface IF] [--json | --prometheus] [--prometheus-file PATH]: returns an exit
 * code. */
int xdplb_status(const struct xdplb_opts *o);

/* The balancer's line (state, moves, deferred), when the instance has one. */
void xdplb_text_balance(FILE *f, const struct xdplb_instance *in);

#endif
