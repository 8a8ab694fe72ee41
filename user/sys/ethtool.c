// SPDX-License-Identifier: GPL-2.0
/* ethtool.c: the ethtool ioctl, through the interface ioctl helper of iface.c. */
#include <string.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "sys/ethtool.h"
#include "sys/iface.h"

int xdplb_ethtool(const char *ifname, void *cmd)
{
	struct ifreq ifr = { .ifr_data = cmd };

	return xdplb_if_ioctl(ifname, SIOCETHTOOL, &ifr);
}

int xdplb_ethtool_get(const char *ifname, __u32 cmd, __u32 *value)
{
	struct ethtool_value ev = { .cmd = cmd };
	int err = xdplb_ethtool(ifname, &ev);

	*value = err ? 0 : ev.data;
	return err;
}

int xdplb_ethtool_set(const char *ifname, __u32 cmd, __u32 value)
{
	struct ethtool_value ev = { .cmd = cmd, .data = value };

	return xdplb_ethtool(ifname, &ev);
}
