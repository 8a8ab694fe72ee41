/* SPDX-License-Identifier: GPL-2.0 */
/* target.h: what a table slot's value names, for every output that shows one (--which,
 * --explain, --config-out). */
#ifndef XDPLB_TARGET_H
#define XDPLB_TARGET_H

#include <stddef.h>
#include <linux/types.h>

#include "core/instance.h"

/* The target a table slot's value names in these settings: the CPU of that number, or the
 * port of that devmap slot. NULL when none does. */
const struct xdplb_target *xdplb_table_target(const struct xdplb_settings *s, __u32 value);

/* "cpu N", "port NAME" (or "port slot N" for a slot no port has) into buf. */
#define XDPLB_TARGET_NAME_MAX	32
void xdplb_target_name(const struct xdplb_settings *s, __u32 value, char *buf, size_t size);
/* The same on stdout. */
void xdplb_print_target(const struct xdplb_settings *s, __u32 value);

#endif
