/* SPDX-License-Identifier: GPL-2.0 */
/* xdplb_table.h: the layout of the indirection table, shared by xdplb_rx and the control
 * tool (user/core/table.c reads and writes it).
 *
 * A slot is two bytes (a CPU number below XDPLB_MAX_CPUS, or a port slot), 32 to a 64-byte
 * map value. The data path loads one slot per frame from a line chosen by the flow hash, and
 * under many flows that load misses the cache more than any other: in 2-byte slots a
 * 4096-slot half takes 8 KiB, where one 4-byte slot per array element (8 bytes each, as
 * array maps round values up) took 32 KiB. The map is mmapable, which puts its values on a
 * page boundary, so each line is exactly one cache line.
 *
 * Two halves of XDPLB_TABLE_MAX slots: slot s of half h is in line xdplb_table_line_key(h, s),
 * at index xdplb_table_line_index(s); the data path and the tool both use these two. */
#ifndef XDPLB_TABLE_H
#define XDPLB_TABLE_H

#include <linux/types.h>
#include "xdplb_limits.h"

#define XDPLB_TABLE_LINE_SLOTS	32
#define XDPLB_TABLE_HALF_LINES	(XDPLB_TABLE_MAX / XDPLB_TABLE_LINE_SLOTS)
#define XDPLB_TABLE_LINES	(2 * XDPLB_TABLE_HALF_LINES)

struct xdplb_table_line {
	__u16 slot[XDPLB_TABLE_LINE_SLOTS];
};

/* The map key of the line that holds slot `slot` of half `half`. */
static inline __attribute__((always_inline)) __u32 xdplb_table_line_key(__u32 half, __u32 slot)
{
	return half * XDPLB_TABLE_HALF_LINES + slot / XDPLB_TABLE_LINE_SLOTS;
}

/* Where slot `slot` sits inside its line. */
static inline __attribute__((always_inline)) __u32 xdplb_table_line_index(__u32 slot)
{
	return slot % XDPLB_TABLE_LINE_SLOTS;
}

_Static_assert(sizeof(struct xdplb_table_line) == 64, "ABI: xdplb_table_line");
_Static_assert(XDPLB_TABLE_MIN % XDPLB_TABLE_LINE_SLOTS == 0, "a table is whole lines");
_Static_assert(XDPLB_MAX_TARGETS <= 0x10000, "a slot holds any target in 16 bits");

#endif
