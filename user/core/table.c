// SPDX-License-Identifier: GPL-2.0
/* table.c: the indirection table map, slot by slot, in its line layout. */
#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>

#include "core/table.h"
#include "maps/xdplb_table.h"

static int xdplb_table_valid(__u32 half, __u32 size)
{
	return half < 2 && size >= XDPLB_TABLE_MIN && size <= XDPLB_TABLE_MAX &&
	       !(size & (size - 1));
}

int xdplb_table_write_half(int fd, __u32 half, const __u32 *table, __u32 size)
{
	__u32 n = size / XDPLB_TABLE_LINE_SLOTS, count = n, i;
	struct xdplb_table_line *lines;
	__u32 *keys;
	int err = 0;

	if (!xdplb_table_valid(half, size))
		return -EINVAL;
	for (i = 0; i < size; i++)
		if (table[i] > 0xffff)
			return -ERANGE;
	lines = calloc(n, sizeof(*lines));
	keys = calloc(n, sizeof(*keys));
	if (!lines || !keys) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < size; i++)
		lines[i / XDPLB_TABLE_LINE_SLOTS].slot[xdplb_table_line_index(i)] = table[i];
	for (i = 0; i < n; i++)
		keys[i] = xdplb_table_line_key(half, i * XDPLB_TABLE_LINE_SLOTS);
	if (bpf_map_update_batch(fd, keys, lines, &count, NULL)) {
		/* Kernels without batch ops on arrays: one update per line. */
		for (i = 0; i < n && !err; i++)
			if (bpf_map_update_elem(fd, &keys[i], &lines[i], 0))
				err = -errno;
	}
out:
	free(keys);
	free(lines);
	return err;
}

int xdplb_table_read_half(int fd, __u32 half, __u32 *table, __u32 size)
{
	struct xdplb_table_line line;
	__u32 i, key;

	if (!xdplb_table_valid(half, size))
		return -EINVAL;
	for (i = 0; i < size; i++) {
		if (xdplb_table_line_index(i) == 0) {
			key = xdplb_table_line_key(half, i);
			if (bpf_map_lookup_elem(fd, &key, &line))
				return -errno;
		}
		table[i] = line.slot[xdplb_table_line_index(i)];
	}
	return 0;
}

int xdplb_table_read_slot(int fd, __u32 half, __u32 slot, __u32 *value)
{
	struct xdplb_table_line line;
	__u32 key = xdplb_table_line_key(half, slot);

	if (half >= 2 || slot >= XDPLB_TABLE_MAX)
		return -EINVAL;
	if (bpf_map_lookup_elem(fd, &key, &line))
		return -errno;
	*value = line.slot[xdplb_table_line_index(slot)];
	return 0;
}
