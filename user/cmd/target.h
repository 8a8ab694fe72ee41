/* SPDX-License-Identifier: GPL-2.0 */
/* target.h: what a table slot's value names, for every output that shows one (--which,
 * --explain, --config-out). */
#ifndef XDPLB_TARGET_H
#define XDPLB_TARGET_H

#include <linux/types.h>

#include "core/instance.h"

/* The target a table slot's value names in these settings: the CPU of that number, or the
 * port of that devmap slot. NULL when none does. */
const struct xdplb_target *xdplb_table_target(const struct xdplb_settings *s, __u32 value);

/* Prints "cpu N", "port NAME" (or "port slot N" for a slot no port has). */
void xdplb_print_target(const struct xdplb_settings *s, __u32 value);

#endif
