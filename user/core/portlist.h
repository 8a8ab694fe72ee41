/* SPDX-License-Identifier: GPL-2.0 */
/* portlist.h: the --redirect spec "IN:OUT[:WEIGHT][,OUT[:WEIGHT]...]", parsed strictly. Pure:
 * names are checked for form here and against the machine by the caller. */
#ifndef XDPLB_PORTLIST_H
#define XDPLB_PORTLIST_H

#include <stddef.h>
#include <linux/types.h>

#include "maps/xdplb_limits.h"

struct xdplb_port_weight {
	char ifname[XDPLB_IFNAME_LEN];
	__u32 weight;
};

struct xdplb_redirect_spec {
	char in[XDPLB_IFNAME_LEN];		/* the receiving interface */
	struct xdplb_port_weight ports[XDPLB_MAX_PORTS];
	size_t n_ports;
};

/* Fills *out, or prints "xdplb: --redirect: SPEC: WHAT IS ALLOWED" and returns
 * -XDPLB_EUSAGE. */
int xdplb_parse_redirect(const char *spec, struct xdplb_redirect_spec *out);

/* Whether s has the form of an interface name: 1..15 characters, none of '/', ':' or
 * white space (the kernel's own rule). */
int xdplb_ifname_valid(const char *s, size_t len);

#endif
