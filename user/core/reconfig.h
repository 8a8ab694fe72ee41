/* SPDX-License-Identifier: GPL-2.0 */
/* reconfig.h: moving a running instance from one settings to another without a gap. */
#ifndef XDPLB_RECONFIG_H
#define XDPLB_RECONFIG_H

#include "core/instance.h"

/* Applies new over old (old has no targets for a fresh instance): new cpumap/devmap
 * entries first, then the table in the inactive half made live by one flip, then the
 * retired entries removed. On failure everything already changed is put back. */
int xdplb_apply(struct xdplb_instance *in, const struct xdplb_settings *old,
		const struct xdplb_settings *new);

/* Applies new over old as xdplb_apply() does, recorded in the instance's journal from
 * before the first step to the last: a kill part-way leaves the journal pending, and
 * the next run finishes the change (xdplb_recover()). */
int xdplb_change(struct xdplb_instance *in, const struct xdplb_settings *old,
		 const struct xdplb_settings *new);

/* Settings to apply target over when what the kernel holds is unknown (a change cut
 * short): every possible CPU claimed with an impossible queue size, or every port of the
 * ifindex -> slot map that target has not, so that the apply rewrites each entry of
 * target and removes every other, however far the cut-short change got. */
void xdplb_settings_unknown(const struct xdplb_instance *in, struct xdplb_settings *s,
			   const struct xdplb_settings *target);

/* Makes table (in the live half's size, hash and seed) live through the inactive half and
 * one flip: what --balance moves slots with. The caller holds the pins lock. */
int xdplb_flip_table(struct xdplb_instance *in, const __u32 *table);

/* Gives each port of new a devmap slot: the one it has in old if it stays, else one that no
 * port of old or new holds (old entries live until retired). */
void xdplb_assign_slots(const struct xdplb_settings *old, struct xdplb_settings *new);

/* The map key of a target: its CPU number, or its port slot. */
__u32 xdplb_target_key(const struct xdplb_target *t);

/* FNV-1a of a name: ports are known by name in the table (so another node agrees). */
__u64 xdplb_fnv1a(const char *s);

/* Fills the table from the settings' targets and weights (Maglev). */
int xdplb_build_table(const struct xdplb_settings *s, __u32 *table);

#endif
