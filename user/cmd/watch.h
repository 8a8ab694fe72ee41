/* SPDX-License-Identifier: GPL-2.0 */
/* watch.h: --watch, every running instance's rates per interval, as text or JSON lines. */
#ifndef XDPLB_WATCH_H
#define XDPLB_WATCH_H

#include "cmd/options.h"

/* Shows o->count intervals (0: until SIGINT or SIGTERM) of o->interval_s each, of
 * o->ifname's instance or of all. Instances that appear or vanish meanwhile are reported,
 * never fatal. Returns 0, or -errno when it could not start. */
int xdplb_watch(const struct xdplb_opts *o);

#endif
