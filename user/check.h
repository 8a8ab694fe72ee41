/* SPDX-License-Identifier: GPL-2.0 */
/* check.h: --check, the environment doctor. One line per check, ok / warn / fail, and for
 * each problem the command that fixes it. Reads only: nothing is attached or changed. */
#ifndef XDPLB_CHECK_H
#define XDPLB_CHECK_H

#include <stdbool.h>

#include "ifinfo.h"

enum xdplb_level {
	XDPLB_CHECK_OK,
	XDPLB_CHECK_WARN,	/* xdplb runs, but something will bite (or needs a choice) */
	XDPLB_CHECK_FAIL,	/* xdplb cannot run until it is fixed */
};

struct xdplb_report;

/* Adds one line: "name: detail", and "fix" when there is something to do. */
void xdplb_report_add(struct xdplb_report *r, enum xdplb_level level, const char *name,
		      const char *fix, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void xdplb_report_iface(struct xdplb_report *r, const struct xdplb_ifinfo *fi,
			unsigned int guard_reasons);

/* The lines about one interface (check_iface.c). named: the user asked about this one, so
 * what keeps xdplb off it is a failure, not a warning. */
void xdplb_check_iface(struct xdplb_report *r, int ifindex, bool named);

/* Whether this process may load BPF programs and attach them to interfaces. */
bool xdplb_privileged(void);

/* --check [--iface IF] [--json]: ifindex 0 checks every interface of the namespace.
 * Returns 0 when xdplb can run, -EAGAIN when it cannot. */
int xdplb_check(int ifindex, bool json);

#endif
