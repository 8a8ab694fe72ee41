/* SPDX-License-Identifier: GPL-2.0 */
/* table.h: reads and writes the indirection table map in its line layout
 * (maps/xdplb_table.h), one half at a time. Slot values are handed in and out as __u32, the
 * width the table builder (maglev.h) works in. */
#ifndef XDPLB_TABLE_USER_H
#define XDPLB_TABLE_USER_H

#include <linux/types.h>

/* Writes slots [0, size) of half (0 or 1); size is a table size (a power of two,
 * XDPLB_TABLE_MIN..XDPLB_TABLE_MAX) and every value below 2^16. 0 or a negative errno. */
int xdplb_table_write_half(int fd, __u32 half, const __u32 *table, __u32 size);

/* Reads slots [0, size) of half into table. 0 or a negative errno. */
int xdplb_table_read_half(int fd, __u32 half, __u32 *table, __u32 size);

/* Reads one slot of half. 0 or a negative errno. */
int xdplb_table_read_slot(int fd, __u32 half, __u32 slot, __u32 *value);

#endif
