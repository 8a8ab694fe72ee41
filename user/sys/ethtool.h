/* SPDX-License-Identifier: GPL-2.0 */
/* ethtool.h: the ethtool ioctl, for reading a driver's facts and turning a feature
 * (GRO) on or off, in the caller's network namespace. */
#ifndef XDPLB_ETHTOOL_H
#define XDPLB_ETHTOOL_H

#include <linux/types.h>

/* Runs the ethtool command cmd (a struct whose first member is the ETHTOOL_* code:
 * ethtool_drvinfo, ethtool_channels, ...) on ifname. 0 or a negative errno. */
int xdplb_ethtool(const char *ifname, void *cmd);

/* Reads (ETHTOOL_GGRO, ETHTOOL_GTXCSUM, ...) or sets (ETHTOOL_SGRO, ...) one value. */
int xdplb_ethtool_get(const char *ifname, __u32 cmd, __u32 *value);
int xdplb_ethtool_set(const char *ifname, __u32 cmd, __u32 value);

#endif
