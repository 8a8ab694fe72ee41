// SPDX-License-Identifier: GPL-2.0
/* maglev.c: builds the weighted consistent-hash indirection table (pure, no I/O).
 *
 * Maglev's permutations (Eisenbud et al., NSDI'16), but turns are a race on a shared clock
 * (each target visits its j-th position at -log2(1 - j/M) / weight): the first visitor of
 * a slot wins, so when a target leaves its slots go to whoever would have come second and
 * nobody else's change hands, where the paper's round robin ripples every change through
 * all later turns. Shares are held by a band around each target's quota, and rates are
 * fitted first (maglev_fit.c) so that few targets sit pinned at a band's edge, where every
 * change would shift them. doc/maglev.md has the design in full and the measurements
 * behind each choice; tests/test_maglev.c holds the bounds.
 *
 * The table is a power of two so the data path can mask. Permutations run over a prime M
 * above table_size and step over positions >= table_size, so each one still visits every
 * table slot exactly once and no slot has to be folded from M onto the table afterwards.
 *
 * Everything is integer arithmetic over targets sorted by key: the table depends on the
 * set of targets and table_size only, never on input order, machine or libc. */
#include <errno.h>
#include <stdlib.h>

#include "core/maglev.h"
#include "core/maglev_walk.h"
#include "maps/xdplb_limits.h"

/* maglev.h promises callers these bounds; change it with them. */
_Static_assert(XDPLB_TABLE_MIN == 64 && XDPLB_TABLE_MAX == 65536, "maglev.h: table_size");
_Static_assert(XDPLB_MAX_TARGETS == 1024, "maglev.h: n");
_Static_assert(XDPLB_WEIGHT_MAX == 100, "maglev.h: weight");

#define XDPLB_MAGLEV_GAMMA	0x9e3779b97f4a7c15ULL	/* splitmix64's seed increment */

/* splitmix64's output function. key + k * gamma for k = 1, 2 are two consecutive states of
 * a splitmix64 stream seeded with the key: independent words for offset and skip. */
static __u64 xdplb_maglev_mix(__u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

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

/* M is the smallest prime above table_size: prime so that any skip generates a full cycle,
 * above so every table slot is in each cycle, and as close as possible so walks rarely step
 * on a position the table lacks (one in 65537 for 65536 slots). A larger M buys nothing:
 * at 2x and 4x table_size disruption, outliers included, was the same within noise (it is
 * set by the slots per target) and the build took up to 4x as long. */
static __u32 xdplb_maglev_prime_above(__u32 n)
{
	__u32 m = n + 1;

	while (!xdplb_maglev_is_prime(m))
		m++;
	return m;
}

/* log2(x) in Q32 for 1 <= x < 2^32, by repeated squaring of the mantissa: exact integer
 * steps, so every machine gets the same bits, and nondecreasing in x, so a walk's visit
 * times never go backwards. */
static __u64 xdplb_maglev_log2(__u32 x)
{
	int e = 31 - __builtin_clz(x), i;
	__u64 m = (__u64)x << (31 - e);	/* mantissa in [1, 2), Q31 */
	__u64 r = (__u64)e << XDPLB_MAGLEV_LOG_FRAC;

	for (i = XDPLB_MAGLEV_LOG_FRAC - 1; i >= 0; i--) {
		m = (m * m) >> 31;
		if (m >= 1ULL << 32) {
			m >>= 1;
			r |= 1ULL << i;
		}
	}
	return r;
}

static int xdplb_maglev_cmp_key(const void *a, const void *b)
{
	const struct xdplb_maglev_walk *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Largest remainder first; equal remainders by key, so ties fall the same way everywhere. */
static int xdplb_maglev_cmp_rem(const void *a, const void *b)
{
	const struct xdplb_maglev_walk *const *x = a, *const *y = b;

	if ((*x)->rem != (*y)->rem)
		return (*x)->rem > (*y)->rem ? -1 : 1;
	return xdplb_maglev_cmp_key(*x, *y);
}

/* Quotas sum to table_size and each is within one slot of its ideal weight * table_size /
 * total. The band around a quota is as wide as it can be while every count in it stays
 * within 1% of the ideal, so it is empty below 100 slots: there the quota is exact. */
static int xdplb_maglev_set_bounds(struct xdplb_maglev_walk *w, __u32 n, __u32 table_size)
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
	if (given < table_size) {
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
	}
	for (i = 0; i < n; i++) {
		/* In units of 1 / total slots: ideal = share, quota error = err, allowed = share / 100. */
		__u64 share = (__u64)w[i].weight * table_size;
		__u64 exact = (__u64)w[i].quota * total;
		__u64 err = exact > share ? exact - share : share - exact;
		__u64 slack = share > 100 * err ? (share - 100 * err) / (100 * total) : 0;

		w[i].lo = w[i].quota - slack;
		w[i].hi = w[i].quota + slack;
	}
	return 0;
}

static int xdplb_maglev_valid_size(__u32 table_size)
{
	return table_size >= XDPLB_TABLE_MIN && table_size <= XDPLB_TABLE_MAX &&
	       !(table_size & (table_size - 1));
}

/* The targets' walks, sorted by key: key order breaks ties between equal visit times, so
 * input order never matters. -EINVAL on a duplicate key. */
static int xdplb_maglev_walks(const struct xdplb_maglev_target *targets,
			      struct xdplb_maglev_race *r)
{
	__u32 i;

	for (i = 0; i < r->n; i++) {
		struct xdplb_maglev_walk *x = &r->w[i];

		x->key = targets[i].key;
		x->value = targets[i].value;
		x->weight = targets[i].weight;
		x->rate0 = XDPLB_MAGLEV_RATE_ONE / x->weight;
		x->rate = x->rate0;
		x->pos = xdplb_maglev_mix(x->key + XDPLB_MAGLEV_GAMMA) % r->m;
		x->skip = xdplb_maglev_mix(x->key + 2 * XDPLB_MAGLEV_GAMMA) % (r->m - 1) + 1;
	}
	qsort(r->w, r->n, sizeof(*r->w), xdplb_maglev_cmp_key);
	for (i = 1; i < r->n; i++)
		if (r->w[i].key == r->w[i - 1].key)
			return -EINVAL;
	return 0;
}

/* log_tab[j] = log2(M / (M - j)) in Q32: the unit-rate time of a walk's j-th visit. */
static void xdplb_maglev_logs(__u64 *log_tab, __u32 m)
{
	__u64 log_m = xdplb_maglev_log2(m);
	__u32 i;

	for (i = 0; i < m; i++)
		log_tab[i] = log_m - xdplb_maglev_log2(m - i);
}

/* The fitted race is the table when it settles; otherwise the bounded race builds it, with
 * the fitted rates. Nothing to fit (every band narrow, as with many small targets): the
 * race alone. */
static int xdplb_maglev_fill(struct xdplb_maglev_race *r)
{
	__u16 *winner;
	int settled = 0, err;
	__u32 i;

	for (i = 0; i < r->n && r->w[i].hi - r->w[i].lo < XDPLB_MAGLEV_FIT_BAND; i++)
		;
	if (i < r->n) {
		winner = malloc(r->table_size * sizeof(*winner));
		err = winner ? xdplb_maglev_fit(r, winner, &settled) : -ENOMEM;
		if (!err && settled)
			for (i = 0; i < r->table_size; i++)
				r->table[i] = r->w[winner[i]].value;
		free(winner);
		if (err || settled)
			return err;
	}
	xdplb_maglev_run(r);
	return 0;
}

/* Weights above XDPLB_WEIGHT_MAX are refused like 0: the tool never produces them, and
 * refusing keeps every visit time inside 64 bits. */
int xdplb_maglev_build(const struct xdplb_maglev_target *targets, __u32 n, __u32 *table,
		       __u32 table_size)
{
	struct xdplb_maglev_race r = { .n = n, .table = table, .table_size = table_size };
	__u64 *log_tab = NULL;
	__u32 i;
	int err;

	if (!targets || !table || n == 0 || n > XDPLB_MAX_TARGETS ||
	    !xdplb_maglev_valid_size(table_size))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (targets[i].weight == 0 || targets[i].weight > XDPLB_WEIGHT_MAX)
			return -EINVAL;
	r.m = xdplb_maglev_prime_above(table_size);
	r.w = calloc(n, sizeof(*r.w));
	r.heap = calloc(n, sizeof(*r.heap));
	r.used = calloc(table_size, sizeof(*r.used));
	log_tab = malloc(r.m * sizeof(*log_tab));
	err = -ENOMEM;
	if (r.w && r.heap && r.used && log_tab) {
		err = xdplb_maglev_walks(targets, &r);
		if (!err)
			err = xdplb_maglev_set_bounds(r.w, n, table_size);
	}
	if (!err) {
		xdplb_maglev_logs(log_tab, r.m);
		r.log = log_tab;
		err = xdplb_maglev_fill(&r);
	}
	free(log_tab);
	free(r.used);
	free(r.heap);
	free(r.w);
	return err;
}

__u32 xdplb_maglev_default_size(__u32 n)
{
	__u32 size = XDPLB_TABLE_DEFAULT_MIN;

	while (size < XDPLB_TABLE_DEFAULT_MAX && size < (__u64)n * XDPLB_TABLE_SLOTS_PER_TARGET)
		size *= 2;
	return size;
}
