/* SPDX-License-Identifier: GPL-2.0 */
/* health.h: --status --iface IF --health, the verdict a router's health check reads before
 * it announces this node (ECMP through BIRD, FRR or ExaBGP): exit 0 healthy, 1 not, and
 * one line saying why. */
#ifndef XDPLB_HEALTH_H
#define XDPLB_HEALTH_H

#include "cmd/options.h"

/* How long the verdict watches the queues: long enough to see a queue that overflows under
 * load, short enough for a router's check every few seconds. */
#define XDPLB_HEALTH_WINDOW_MS	1000
/* Prints "healthy: IF: ..." or "unhealthy: IF: ..." on stdout. Returns 0 when healthy,
 * -EIO when not. */
int xdplb_health(const struct xdplb_opts *o);

#endif
