/* SPDX-License-Identifier: GPL-2.0 */
/* events.h: the instance's tp_btf counters of kernel XDP events, kept with the instance. */
#ifndef XDPLB_EVENTS_H
#define XDPLB_EVENTS_H

#include "core/instance.h"

/* Loads the event programs filtered on this instance's maps and device, attaches them,
 * pins their links into dir and hands their maps to *in. */
int xdplb_events_start(struct xdplb_instance *in, const char *dir);

#endif
