/* SPDX-License-Identifier: GPL-2.0 */
/* maglev.h: builds the weighted consistent-hash indirection table the data path reads (pure,
 * no I/O). Every node that is given the same targets writes the same table, so flows land on
 * the same target whichever node or run built it. */
#ifndef XDPLB_MAGLEV_H
#define XDPLB_MAGLEV_H

#include <linux/types.h>

struct xdplb_maglev_target {
	__u64 key;     /* stable identity of the target: CPU number, or a hash of a port's ifname. Decides its permutation. */
	__u32 value;   /* what the table slots hold for this target (CPU number or port slot) */
	__u32 weight;  /* 1..100 */
};

/* Fills table[0..table_size) with the targets' values. table_size is a power of two, 64..65536.
 * Deterministic: the same set of targets (in any order), weights and table_size give a byte-identical
 * table on any machine (no rand(), no dependence on input order, no floating point whose result can differ
 * between machines — integer arithmetic only). Returns 0, or -EINVAL (n == 0, n > 1024, a weight 0,
 * duplicate keys, bad size) or -ENOMEM. Does not modify targets[] as seen by the caller (copy if you sort). */
int xdplb_maglev_build(const struct xdplb_maglev_target *targets, __u32 n, __u32 *table, __u32 table_size);

/* The table size for n targets when none is asked for: XDPLB_TABLE_SLOTS_PER_TARGET slots for
 * each, rounded up to a power of two, within XDPLB_TABLE_DEFAULT_MIN..XDPLB_TABLE_DEFAULT_MAX.
 * At that density a change of one target moves at most 1.2x the ideal share of slots
 * (tests/test_maglev.c, N = 2..64). */
__u32 xdplb_maglev_default_size(__u32 n);

#endif
