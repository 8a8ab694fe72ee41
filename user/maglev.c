// SPDX-License-Identifier: GPL-2.0
/* maglev.c: builds the weighted Maglev indirection table (Eisenbud et al., NSDI'16).
 *
 * Each target walks its own permutation of a prime-sized space M and, in turn, claims the
 * first free slot it meets. Because a target's permutation depends only on its key, adding or
 * removing one target leaves the others' preferences unchanged and only a little more than
 * that target's share of slots changes hands.
 *
 * Two departures from the paper, both so the data path can index with a mask and shares stay
 * exact:
 *  - the table is a power of two, not prime: the permutations run over a prime M just above
 *    table_size and positions >= table_size are stepped over, so each permutation visits every
 *    table slot exactly once and nothing has to be folded from M onto the table afterwards;
 *  - weights: every target is given a quota, its weight share of table_size rounded by the
 *    largest-remainder rule, and stops claiming once it holds that many slots. Turns are
 *    paced by per-target credit, so heavier targets claim proportionally often and get first
 *    pick of their preferred slots as the paper's round robin does for equal weights.
 *
 * Everything is integer arithmetic over targets sorted by key, so the table depends on the
 * set of targets only, never on input order, the machine or the libc. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../maps/xdplb_limits.h"
#include "maglev.h"

/* Credit a target gains per round is its weight; a turn costs XDPLB_WEIGHT_MAX. Pacing by the
 * fixed maximum rather than the largest weight present keeps each target's turn schedule a
 * function of its own weight alone, so adding a heavier target does not reshuffle everyone
 * else's turns (which would move flows for no reason). */
#define XDPLB_MAGLEV_TURN_COST	XDPLB_WEIGHT_MAX

struct xdplb_maglev_walk {
	__u64 key;
	__u32 value;
	__u32 weight;
	__u32 pos;		/* current position of the permutation in [0, M) */
	__u32 skip;		/* step of the permutation, 1..M-1 */
	__u32 quota;		/* slots this target ends up with */
	__u32 taken;
	__u32 credit;
	__u32 rem;		/* remainder of weight * table_size / total weight */
};

/* splitmix64's output function; consecutive seeds key + k * gamma give independent words. */
static __u64 xdplb_maglev_mix(__u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#define XDPLB_MAGLEV_GAMMA	0x9e3779b97f4a7c15ULL

static int xdplb_maglev_is_prime(__u32 m)
{
	__u32 d;

	if (m < 2)
		return 0;
	for (d = 2; d * d <= m; d++)
		if (m % d == 0)
			return 0;
	return 1;
}

/* M is the smallest prime above table_size. It must exceed table_size so every table slot
 * appears in each permutation; being prime lets any skip in 1..M-1 generate a full cycle.
 * Keeping it as close as possible means permutations almost never step onto a position the
 * table lacks (one position in 65537, three in 4099), which keeps the walks short. A larger M
 * would not help balance or disruption here: both depend on the slots per target, i.e. on
 * table_size, since the positions beyond it are skipped anyway. */
static __u32 xdplb_maglev_prime_above(__u32 n)
{
	__u32 m = n + 1;

	while (!xdplb_maglev_is_prime(m))
		m++;
	return m;
}

static int xdplb_maglev_cmp_key(const void *a, const void *b)
{
	const struct xdplb_maglev_walk *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Largest remainder first; equal remainders by key, so ties are broken the same everywhere. */
static int xdplb_maglev_cmp_rem(const void *a, const void *b)
{
	const struct xdplb_maglev_walk *const *x = a, *const *y = b;

	if ((*x)->rem != (*y)->rem)
		return (*x)->rem > (*y)->rem ? -1 : 1;
	return xdplb_maglev_cmp_key(*x, *y);
}

/* Quotas sum to table_size exactly and each is within one slot of the weight share. */
static int xdplb_maglev_set_quotas(struct xdplb_maglev_walk *w, __u32 n, __u32 table_size)
{
	struct xdplb_maglev_walk **order;
	__u64 total = 0;
	__u32 i, given = 0;

	for (i = 0; i < n; i++)
		total += w[i].weight;
	for (i = 0; i < n; i++) {
		__u64 share = (__u64)w[i].weight * table_size;

		w[i].quota = share / total;
		w[i].rem = share % total;
		given += w[i].quota;
	}
	if (given == table_size)
		return 0;

	order = malloc(n * sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		order[i] = &w[i];
	qsort(order, n, sizeof(*order), xdplb_maglev_cmp_rem);
	/* The floors leave fewer than n slots over, so one pass hands them all out. */
	for (i = 0; given < table_size; i++, given++)
		order[i]->quota++;
	free(order);
	return 0;
}

/* Advances w along its permutation to the first free slot and claims it. Terminates because
 * the permutation covers every slot and the caller only asks while some slot is free. */
static void xdplb_maglev_claim(struct xdplb_maglev_walk *w, __u8 *used, __u32 *table,
			       __u32 table_size, __u32 m)
{
	for (;;) {
		__u32 c = w->pos;

		w->pos += w->skip;
		if (w->pos >= m)
			w->pos -= m;
		if (c < table_size && !used[c]) {
			used[c] = 1;
			table[c] = w->value;
			w->taken++;
			return;
		}
	}
}

static int xdplb_maglev_valid_size(__u32 table_size)
{
	return table_size >= XDPLB_TABLE_MIN && table_size <= XDPLB_TABLE_MAX &&
	       !(table_size & (table_size - 1));
}

/* Weights above XDPLB_WEIGHT_MAX are refused as well as 0: the turn pacing assumes at most
 * one turn per round. */
int xdplb_maglev_build(const struct xdplb_maglev_target *targets, __u32 n, __u32 *table,
		       __u32 table_size)
{
	struct xdplb_maglev_walk *w;
	__u32 i, m, filled = 0;
	__u8 *used;
	int err;

	if (!targets || !table || n == 0 || n > XDPLB_MAX_TARGETS ||
	    !xdplb_maglev_valid_size(table_size))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (targets[i].weight == 0 || targets[i].weight > XDPLB_WEIGHT_MAX)
			return -EINVAL;

	w = calloc(n, sizeof(*w));
	used = calloc(table_size, 1);
	if (!w || !used) {
		err = -ENOMEM;
		goto out;
	}

	m = xdplb_maglev_prime_above(table_size);
	for (i = 0; i < n; i++) {
		w[i].key = targets[i].key;
		w[i].value = targets[i].value;
		w[i].weight = targets[i].weight;
		w[i].pos = xdplb_maglev_mix(w[i].key + XDPLB_MAGLEV_GAMMA) % m;
		w[i].skip = xdplb_maglev_mix(w[i].key + 2 * XDPLB_MAGLEV_GAMMA) % (m - 1) + 1;
	}
	/* Key order fixes who moves first in a round, so the result ignores input order. */
	qsort(w, n, sizeof(*w), xdplb_maglev_cmp_key);
	for (i = 1; i < n; i++) {
		if (w[i].key == w[i - 1].key) {
			err = -EINVAL;
			goto out;
		}
	}
	err = xdplb_maglev_set_quotas(w, n, table_size);
	if (err)
		goto out;

	while (filled < table_size) {
		for (i = 0; i < n && filled < table_size; i++) {
			if (w[i].taken == w[i].quota)
				continue;
			w[i].credit += w[i].weight;
			if (w[i].credit < XDPLB_MAGLEV_TURN_COST)
				continue;
			w[i].credit -= XDPLB_MAGLEV_TURN_COST;
			xdplb_maglev_claim(&w[i], used, table, table_size, m);
			filled++;
		}
	}
out:
	free(used);
	free(w);
	return err;
}
