/* SPDX-License-Identifier: GPL-2.0 */
/* settings.h: the settings an attach asks for, merged from the command line, the running
 * instance and the defaults. A pure function of its arguments: no system call, no random
 * number of its own, so tests/test_settings.c checks every rule without root. */
#ifndef XDPLB_CMD_SETTINGS_H
#define XDPLB_CMD_SETTINGS_H

#include "cmd/options.h"
#include "core/cpulist.h"
#include "core/instance.h"

/* The interfaces and CPUs the options name, checked against the machine. */
struct xdplb_resolved {
	struct xdplb_cpu_weight cpus[XDPLB_MAX_CPUS];	/* --cpus, parsed and online */
	size_t n_cpus;
	__u32 port_ifindex[XDPLB_MAX_PORTS];	/* --redirect's ports */
	__u32 remote_ifindex;			/* --remote redirect:IF */
};

/* Fills new from o: what the command line says, else what the running instance old has
 * (NULL: a fresh attach), else the defaults. random_seed is the seed a fresh attach takes
 * without --seed; possible_cpus sizes the default table of a CPU instance (<= 0: unknown).
 * Returns 0, or -XDPLB_EUSAGE after one line when o asks for what old cannot become. */
int xdplb_settings_build(const struct xdplb_opts *o, const struct xdplb_resolved *r,
			 const struct xdplb_settings *old, __u64 random_seed, int possible_cpus,
			 struct xdplb_settings *new);

/* The table a new instance gets without --table-size. */
__u32 xdplb_default_table_size(const struct xdplb_settings *s, int possible_cpus);

#endif
