/* SPDX-License-Identifier: GPL-2.0 */
/* check_iface.h: the --check lines about one interface. */
#ifndef XDPLB_CHECK_IFACE_H
#define XDPLB_CHECK_IFACE_H

#include <stdbool.h>

#include "cmd/check_report.h"

/* The lines about one interface. named: the user asked about this one, so
 * what keeps xdplb off it is a failure, not a warning. */
void xdplb_check_iface(struct xdplb_report *r, int ifindex, bool named);

#endif
