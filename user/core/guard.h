/* SPDX-License-Identifier: GPL-2.0 */
/* guard.h: the interfaces that keep this machine reachable (the default route, the SSH
 * connection of whoever runs xdplb), and the refusal of configurations that can drop
 * traffic on them unless --force is given. */
#ifndef XDPLB_GUARD_H
#define XDPLB_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/instance.h"

#define XDPLB_GUARD_DEFAULT_ROUTE	(1U << 0)
#define XDPLB_GUARD_SSH			(1U << 1)

/* Why ifindex must stay reachable, as XDPLB_GUARD_* bits (0: it need not), with a short
 * description in why[] ("the default route via 198.18.0.1"). */
unsigned int xdplb_guard_reasons(int ifindex, char *why, size_t len);

/* Whether the settings can drop frames or send them away from the local stack. */
bool xdplb_settings_can_drop(const struct xdplb_settings *s);

/* Refuses, as a usage error with one line, a change that makes a guarded interface able
 * to drop traffic, unless force. old is NULL for a fresh attach; a running instance that
 * already could drop (forced earlier) keeps its setting without asking again. */
int xdplb_guard_check(const char *ifname, int ifindex, const struct xdplb_settings *old,
		      const struct xdplb_settings *new, bool force);

#endif
