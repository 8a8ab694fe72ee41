/* SPDX-License-Identifier: GPL-2.0 */
/* lifecycle.h: bringing an instance up on an interface and taking it down again. */
#ifndef XDPLB_LIFECYCLE_H
#define XDPLB_LIFECYCLE_H

#include <stdbool.h>

#include "core/instance.h"

struct xdplb;

/* Sets (native, hw) or clears (skb) the multi-buffer flag on every program of an opened
 * object, before load: the flag must be equal on all of them. */
int xdplb_set_frags(struct xdplb *skel, bool frags);
/* Whether an attach in mode on ifindex loads the multi-buffer programs (its MTU). */
bool xdplb_wants_frags(int ifindex, __u32 mode);

/* Loads, attaches, fills and pins a new instance on ifname/ifindex. On failure every step
 * taken is undone: nothing attached, nothing pinned. */
int xdplb_attach_new(const char *ifname, int ifindex, const struct xdplb_settings *s);

/* Detaches a live instance's program (only ours) and removes its pins. */
int xdplb_detach(struct xdplb_instance *in);

#endif
