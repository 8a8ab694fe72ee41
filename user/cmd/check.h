/* SPDX-License-Identifier: GPL-2.0 */
/* check.h: --check, the environment doctor. One line per check, ok / warn / fail, and for
 * each problem the command that fixes it. Reads only: nothing is attached or changed. */
#ifndef XDPLB_CHECK_H
#define XDPLB_CHECK_H

#include <stdbool.h>

/* Whether this process may load BPF programs and attach them to interfaces. */
bool xdplb_privileged(void);

/* --check [--iface IF] [--json]: ifindex 0 checks every interface of the namespace.
 * Returns 0 when xdplb can run, -EAGAIN when it cannot. */
int xdplb_check(int ifindex, bool json);

#endif
