/* SPDX-License-Identifier: GPL-2.0 */
/* reconfig.h: moving a running instance from one settings to another without a gap. */
#ifndef XDPLB_RECONFIG_H
#define XDPLB_RECONFIG_H

#include "instance.h"

/* Applies new over old (old has no targets for a fresh instance): new cpumap/devmap
 * entries first, then the table in the inactive half made live by one flip, then the
 * retired entries removed. On failure everything already changed is put back. */
int xdplb_apply(struct xdplb_instance *in, const struct xdplb_settings *old,
		const struct xdplb_settings *new);

/* Fills the table from the settings' targets and weights (Maglev). */
int xdplb_build_table(const struct xdplb_settings *s, __u32 *table);

#endif
