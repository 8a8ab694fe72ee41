/* SPDX-License-Identifier: GPL-2.0 */
/* attach.h: --iface IF --cpus LIST, --redirect IN:OUT and --config FILE: attach a new
 * instance or reconfigure the running one, by one path: plan (every check, nothing
 * changed) then apply. */
#ifndef XDPLB_CMD_ATTACH_H
#define XDPLB_CMD_ATTACH_H

#include <linux/types.h>

#include "cmd/options.h"

/* Checks o against the machine, then attaches or reconfigures under the pin lock; with
 * --confirm, arms the revert and says so once the lock is released. */
int xdplb_attach_run(const struct xdplb_opts *o);

/* ifname's index in this network namespace, or a usage error naming flag. */
int xdplb_resolve(const char *flag, const char *ifname, __u32 *ifindex);

#endif
