/* SPDX-License-Identifier: GPL-2.0 */
/* detach.h: --detach --iface IF. */
#ifndef XDPLB_CMD_DETACH_H
#define XDPLB_CMD_DETACH_H

/* Removes the instance on ifname (its program, maps and pins), or the pins of a broken
 * one; a pending --confirm revert goes with it. */
int xdplb_detach_run(const char *ifname);

#endif
