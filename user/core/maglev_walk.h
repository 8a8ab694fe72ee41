/* SPDX-License-Identifier: GPL-2.0 */
/* maglev_walk.h: the state the table builder's three parts share: maglev.c sets up the
 * walks and their bands, maglev_fit.c fits their rates, maglev_race.c runs the bounded
 * race. Internal to them; callers use maglev.h. doc/maglev.md tells why it is built so. */
#ifndef XDPLB_MAGLEV_WALK_H
#define XDPLB_MAGLEV_WALK_H

#include <linux/types.h>

/* Visit times are log2 in Q32 (at most 17 * 2^32 for M < 2^17) times 2^24 / weight: below
 * 2^61, so a time never overflows, and the reciprocal's rounding (< 1e-5) cannot reorder
 * targets in any way that matters for shares. */
#define XDPLB_MAGLEV_LOG_FRAC	32
#define XDPLB_MAGLEV_RATE_ONE	(1ULL << 24)

/* Bands narrower than this are left to the race (xdplb_maglev_nudge says why). */
#define XDPLB_MAGLEV_FIT_BAND	8

struct xdplb_maglev_walk {
	__u64 key;
	__u64 rate0;		/* 2^24 / weight: visit time per unit of log */
	__u64 rate;		/* the same, as fitted (xdplb_maglev_fit) */
	__u64 next;		/* time of the visit to position j */
	__u32 value;
	__u32 weight;
	__u32 pos;		/* (offset + j * skip) mod M */
	__u32 skip;		/* 1..M-1, so the walk covers all of M */
	__u32 j;		/* positions visited so far */
	__u32 lo;		/* band of slot counts this target must end in */
	__u32 hi;
	__u32 taken;
	__u32 quota;
	__u32 rem;		/* weight * table_size mod total weight, for rounding */
};

/* One build: the walks sorted by key, and what the race fills. */
struct xdplb_maglev_race {
	struct xdplb_maglev_walk *w;
	__u32 n;
	__u32 *heap;
	const __u64 *log;	/* log[j] = log2(M / (M - j)), Q32 */
	__u8 *used;
	__u32 *table;
	__u32 table_size;
	__u32 m;
};

/* Runs the bounded race: visits in time order until the table is full (maglev_race.c). */
void xdplb_maglev_run(struct xdplb_maglev_race *r);

/* Fits the walks' rates so that the pure race lands every count in its band; *settled
 * says whether winner[] (slot -> walk index) is the table (maglev_fit.c). 0 or -ENOMEM. */
int xdplb_maglev_fit(struct xdplb_maglev_race *r, __u16 *winner, int *settled);

#endif
