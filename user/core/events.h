/* SPDX-License-Identifier: GPL-2.0 */
/* events.h: the instance's tp_btf counters of kernel XDP events, kept with the instance. */
#ifndef XDPLB_EVENTS_H
#define XDPLB_EVENTS_H

#include "core/instance.h"

/* The pins of the event programs' links: a link whose pin is gone is detached, and its
 * counters stop. */
#define XDPLB_EVENT_LINKS	5
extern const char *const xdplb_event_link_pins[XDPLB_EVENT_LINKS];

/* Loads the event programs filtered on this instance's maps and device, attaches them,
 * pins their links into dir and hands their maps to *in. */
int xdplb_events_start(struct xdplb_instance *in, const char *dir);

#endif
