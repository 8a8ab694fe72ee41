/* SPDX-License-Identifier: GPL-2.0 */
/* cpulist.h: CPU lists with optional weights ("0,2-5:2,8"), parsed strictly. Pure: the
 * online set is passed in, so tests need no particular machine. */
#ifndef XDPLB_CPULIST_H
#define XDPLB_CPULIST_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "maps/xdplb_limits.h"

struct xdplb_cpu_weight {
	__u32 cpu;
	__u32 weight;
};

/* online[i] tells whether CPU i may be used, for i < n_online_slots. Fills out[] (room for
 * XDPLB_MAX_CPUS) and *n. Errors are printed as "xdplb: --cpus: VALUE: ALLOWED" and return
 * -XDPLB_EUSAGE. */
int xdplb_parse_cpulist(const char *spec, const bool *online, size_t n_online_slots,
			struct xdplb_cpu_weight *out, size_t *n);

/* Reads /sys/devices/system/cpu/online into online[0..max). Returns 0 or -errno. */
int xdplb_read_online_cpus(bool *online, size_t max);
/* Reads a kernel CPU list file ("0-3,6", as in /sys/devices/system/node/node0/cpulist). */
int xdplb_read_cpuset(const char *path, bool *set, size_t max);

/* Formats a set as "0-3,6" into buf. */
void xdplb_format_cpuset(const bool *set, size_t n, char *buf, size_t len);

/* Formats CPUs and weights as xdplb_parse_cpulist() reads them, in CPU order whatever the
 * order of cpus[], runs of equal weight as ranges, ":W" only where W is not 1:
 * "0-3,4-5:2". Returns -ENOSPC when buf is too small. */
int xdplb_format_cpulist(const struct xdplb_cpu_weight *cpus, size_t n, char *buf, size_t len);

#endif
