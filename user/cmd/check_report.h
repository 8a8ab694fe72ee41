/* SPDX-License-Identifier: GPL-2.0 */
/* check_report.h: the lines --check collects (ok / warn / fail, each with its fix) and the
 * interfaces it looked at, printed as text or as one JSON object. */
#ifndef XDPLB_CHECK_REPORT_H
#define XDPLB_CHECK_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "sys/ifinfo.h"

enum xdplb_level {
	XDPLB_CHECK_OK,
	XDPLB_CHECK_WARN,	/* xdplb runs, but something will bite (or needs a choice) */
	XDPLB_CHECK_FAIL,	/* xdplb cannot run until it is fixed */
};

struct xdplb_check_line {
	enum xdplb_level level;
	char name[48];
	char detail[512];
	char fix[400];
};

struct xdplb_report_iface {
	struct xdplb_ifinfo fi;
	unsigned int guard;
};

struct xdplb_report {
	struct xdplb_check_line *lines;
	size_t n, cap;
	struct xdplb_report_iface *ifaces;
	size_t n_ifaces, cap_ifaces;
};

/* Adds one line: "name: detail", and "fix" when there is something to do. */
void xdplb_report_add(struct xdplb_report *r, enum xdplb_level level, const char *name,
		      const char *fix, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void xdplb_report_iface(struct xdplb_report *r, const struct xdplb_ifinfo *fi,
			unsigned int guard_reasons);

void xdplb_report_print(const struct xdplb_report *r, bool json, bool can_run);
void xdplb_report_free(struct xdplb_report *r);

#endif
