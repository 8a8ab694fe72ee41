// SPDX-License-Identifier: GPL-2.0
/* maglev.c: builds the weighted consistent-hash indirection table (pure, no I/O).
 *
 * As in Maglev (Eisenbud et al., NSDI'16) each target owns a permutation of a prime-sized
 * space, (offset + j * skip) mod M with offset and skip hashed from its key, and targets take
 * turns claiming the first free slot along it. Two things differ from the paper, both
 * measured by tests/test_maglev.c:
 *
 *  - Turns are a race on a shared clock rather than round robin: a target visits the j-th
 *    position of its permutation at time -log2(1 - j/M) / weight, and a visited slot goes to
 *    it if still free. The first visitor of a slot wins, so the table is weighted rendezvous
 *    hashing with each target's permutation as its preference order: when a target leaves,
 *    its slots go to whoever would have come second, and but for the bounds below nobody
 *    else's change hands. Round robin with catch-up (the paper's) keeps shares exact but
 *    each change ripples through every later turn: up to 1.34x the ideal disruption at 64
 *    targets and 65536 slots, 2.8x at 4096. The log makes the times exponentially
 *    distributed, under which the second visitor of a slot is drawn in proportion to
 *    weight, so freed slots are spread the way the new shares want them.
 *  - Weights are enforced by bounds: a pure race gets shares right only on average (2%
 *    standard deviation at 64 targets and 65536 slots, single targets 20% short). Each
 *    target gets a quota by the largest-remainder rule and a band of up to 1% of its ideal
 *    count around it; a target at the top of its band stops visiting, and once the free
 *    slots only just cover what the targets below their band still lack, only those go on.
 *  - Before that race the rates are fitted: targets whose pure-race count would leave its
 *    band (three in four at 1024 slots each: the spread is about 32 slots, the band +-10)
 *    get their rate nudged until the count is just inside the edge, the rest keep their
 *    nominal rate. The bounds alone pin such targets to an edge by stopping them early or
 *    feeding them the last free slots, and after any change those stop points and leftover
 *    slots shift through every pinned target; a fitted rate instead moves the target's
 *    slots of least margin, and inside its band a target absorbs a change in the others'
 *    shares without passing it on. The fit judges the race by each slot's three earliest
 *    visitors at nominal rates and runs at most 20 damped passes. If it leaves a few
 *    targets (at most one in eight) a slot or two out of band, those are evened out along
 *    the same lists and the fitted race is the table; otherwise (typically many small
 *    targets, whose bands are too narrow to fit: see xdplb_maglev_nudge) the bounded race
 *    above builds it, with the fitted rates.
 *
 * What remains is inherent to holding shares: after a change each pinned target is a few
 * slots short or over, about sqrt(slots changing hands / N) each, and evening that out moves
 * slots nobody asked to move. So the ratio grows with N / sqrt(table_size) and with smaller
 * changes. At 65536 slots, N = 2..64 in the tests, the worst is 1.12x for add, remove and
 * double and 1.19x for halving one weight (1.25x with the bounds alone). Over 300 sets of
 * random keys at N = 64, changing a random target, the worst was 1.19x to add, 1.21x to
 * remove (1 case above 1.2x), 1.17x to double and 1.27x to halve (13 cases above 1.2x, mean
 * 1.15x); the bounds alone gave 1.28x, 1.22x, 1.26x and 1.29x (61 halvings above 1.2x).
 * At 4096 slots most bands are a few slots wide and left to the bounds, which measure as
 * before but for halving, which now crosses 1.2x at N = 10 rather than 16: the fit switches
 * on and off for the halved target there.
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
#include "maps/xdplb_limits.h"

/* maglev.h promises callers these bounds; change it with them. */
_Static_assert(XDPLB_TABLE_MIN == 64 && XDPLB_TABLE_MAX == 65536, "maglev.h: table_size");
_Static_assert(XDPLB_MAX_TARGETS == 1024, "maglev.h: n");
_Static_assert(XDPLB_WEIGHT_MAX == 100, "maglev.h: weight");

#define XDPLB_MAGLEV_GAMMA	0x9e3779b97f4a7c15ULL	/* splitmix64's seed increment */

/* Visit times are log2 in Q32 (at most 17 * 2^32 for M < 2^17) times 2^24 / weight: below
 * 2^61, so a time never overflows, and the reciprocal's rounding (< 1e-5) cannot reorder
 * targets in any way that matters for shares. */
#define XDPLB_MAGLEV_LOG_FRAC	32
#define XDPLB_MAGLEV_RATE_ONE	(1ULL << 24)

/* The fit keeps each slot's XDPLB_MAGLEV_CANDS earliest visitors at the nominal rates and
 * keeps every rate within a factor of 2 of nominal (times stay below 2^62). A pass moves a
 * rate a quarter of the way its count asks for: with full steps every target reacts to all
 * the others' steps at once and the counts oscillate instead of settling. */
#define XDPLB_MAGLEV_CANDS	3
#define XDPLB_MAGLEV_PASSES	20
#define XDPLB_MAGLEV_DAMP	4
#define XDPLB_MAGLEV_FIT_BAND	8
#define XDPLB_MAGLEV_NONE	0xffff

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

/* A binary min-heap of walk indices by (next visit time, key order). */
static int xdplb_maglev_before(const struct xdplb_maglev_walk *w, __u32 a, __u32 b)
{
	return w[a].next < w[b].next || (w[a].next == w[b].next && a < b);
}

static void xdplb_maglev_sift(const struct xdplb_maglev_walk *w, __u32 *heap, __u32 len,
			      __u32 i)
{
	for (;;) {
		__u32 l = 2 * i + 1, r = l + 1, min = i, tmp;

		if (l < len && xdplb_maglev_before(w, heap[l], heap[min]))
			min = l;
		if (r < len && xdplb_maglev_before(w, heap[r], heap[min]))
			min = r;
		if (min == i)
			return;
		tmp = heap[i];
		heap[i] = heap[min];
		heap[min] = tmp;
		i = min;
	}
}

/* Puts the walks still short of their cap in the heap; cap_lo picks lo, else hi. */
static __u32 xdplb_maglev_heapify(const struct xdplb_maglev_walk *w, __u32 n, __u32 *heap,
				  int cap_lo)
{
	__u32 i, len = 0;

	for (i = 0; i < n; i++)
		if (w[i].taken < (cap_lo ? w[i].lo : w[i].hi))
			heap[len++] = i;
	for (i = len / 2; i-- > 0;)
		xdplb_maglev_sift(w, heap, len, i);
	return len;
}

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

/* Runs visits in time order until the table is full. Terminates: while a slot is free some
 * walk is below its cap (the caps sum to at least table_size), and a walk below its cap
 * meets every free slot within M visits. */
static void xdplb_maglev_run(struct xdplb_maglev_race *r)
{
	struct xdplb_maglev_walk *w = r->w;
	__u32 free_slots = r->table_size, need = 0, len, i;
	int cap_lo = 0;

	for (i = 0; i < r->n; i++)
		need += w[i].lo;
	len = xdplb_maglev_heapify(w, r->n, r->heap, cap_lo);
	while (free_slots) {
		struct xdplb_maglev_walk *x;
		__u32 slot;

		/* From here on every free slot is spoken for by a walk below its band. */
		if (!cap_lo && free_slots == need) {
			cap_lo = 1;
			len = xdplb_maglev_heapify(w, r->n, r->heap, cap_lo);
			continue;
		}
		x = &w[r->heap[0]];
		slot = x->pos;
		x->pos += x->skip;
		if (x->pos >= r->m)
			x->pos -= r->m;
		x->j++;
		if (slot < r->table_size && !r->used[slot]) {
			r->used[slot] = 1;
			r->table[slot] = x->value;
			if (x->taken < x->lo)
				need--;
			x->taken++;
			free_slots--;
		}
		if (x->taken == (cap_lo ? x->lo : x->hi)) {
			r->heap[0] = r->heap[--len];
		} else if (x->j < r->m) {
			x->next = r->log[x->j] * x->rate;
		}
		xdplb_maglev_sift(w, r->heap, len, 0);
	}
}

/* Whether the visit at log a of walk c comes after the visit at time t of walk i, at the
 * nominal rates; equal times go by index, i.e. key order. */
static int xdplb_maglev_later(const struct xdplb_maglev_race *r, __u64 a, __u32 c, __u64 t,
			      __u32 i)
{
	__u64 tc = a * r->w[c].rate0;

	return tc > t || (tc == t && c > i);
}

/* Each slot's XDPLB_MAGLEV_CANDS earliest visitors at the nominal rates, earliest first,
 * as walk index (who) and log of the position (at, so the time at any rate is at * rate).
 * Equal times keep the lower index, i.e. key order, first. last[] holds each slot's latest
 * candidate time, so the many visits that come too late are turned away without touching
 * the lists, and a walk ends once it is later than every slot's last candidate: times only
 * grow along a walk, and after the first few walks that is a fraction of the way. */
static void xdplb_maglev_candidates(const struct xdplb_maglev_race *r, __u16 *who,
				    __u64 *at, __u64 *last, __u32 k)
{
	__u64 latest = ~0ULL;	/* times stay below 2^62: an unfilled list (~0) takes anything */
	__u32 i, j, l, done = 0, wt;

	for (i = 0; i < r->table_size * k; i++)
		who[i] = XDPLB_MAGLEV_NONE;
	for (i = 0; i < r->table_size; i++)
		last[i] = ~0ULL;
	/* Heaviest first: their visits come earliest, so later walks end soonest. Walks of
	 * equal weight go in index order, and an equal time never displaces a lower index. */
	for (wt = XDPLB_WEIGHT_MAX; wt > 0; wt--) {
		for (i = 0; i < r->n; i++) {
			const struct xdplb_maglev_walk *x = &r->w[i];
			__u32 pos = x->pos;

			if (x->weight != wt)
				continue;
			for (j = 0; j < r->m; j++) {
				__u64 t = r->log[j] * x->rate0;
				size_t base = (size_t)pos * k;

				if (t > latest)
					break;
				if (pos < r->table_size && t <= last[pos] &&
				    (who[base + k - 1] == XDPLB_MAGLEV_NONE ||
				     xdplb_maglev_later(r, at[base + k - 1], who[base + k - 1], t, i))) {
					for (l = k - 1; l > 0 && (who[base + l - 1] == XDPLB_MAGLEV_NONE ||
							    xdplb_maglev_later(r, at[base + l - 1],
									       who[base + l - 1], t, i)); l--) {
						who[base + l] = who[base + l - 1];
						at[base + l] = at[base + l - 1];
					}
					who[base + l] = i;
					at[base + l] = r->log[j];
					if (who[base + k - 1] != XDPLB_MAGLEV_NONE)
						last[pos] = at[base + k - 1] * r->w[who[base + k - 1]].rate0;
				}
				pos += x->skip;
				if (pos >= r->m)
					pos -= r->m;
			}
			if (++done >= k) {
				latest = 0;
				for (j = 0; j < r->table_size; j++)
					if (last[j] > latest)
						latest = last[j];
			}
		}
	}
}

/* One step of a target's rate toward a count in its band. A target is pushed only to one
 * slot inside its edge, and a rate off nominal drifts back toward nominal once the count is
 * two slots inside, so counts that jitter by a slot from pass to pass do not keep it moving.
 * Only targets that would otherwise leave their band carry a rate off nominal: such a rate
 * turns over slots of every target it competes with when anything changes. Bands narrower
 * than XDPLB_MAGLEV_FIT_BAND are left to the race: there a fitted rate chases a count it
 * has to hit almost exactly, and measured worse than the bounds alone. Returns whether the
 * rate moved. */
static int xdplb_maglev_nudge(struct xdplb_maglev_walk *x, __u32 count)
{
	__u32 aim;
	__u64 rate;
	__s64 step;

	if (x->hi - x->lo < XDPLB_MAGLEV_FIT_BAND)
		return 0;
	if (count >= x->hi)
		aim = x->hi - 1;
	else if (count <= x->lo)
		aim = x->lo + 1;
	else if (x->rate > x->rate0 && count + 2 < x->hi)
		aim = x->hi - 2;
	else if (x->rate < x->rate0 && count > x->lo + 2)
		aim = x->lo + 2;
	else
		return 0;
	/* A count moves about as much, relatively, as its rate; the aim is 397 or more here. */
	step = (__s64)x->rate * ((__s64)count - aim) / (XDPLB_MAGLEV_DAMP * (__s64)aim);
	rate = x->rate + step;
	/* A step never crosses nominal: drifting back stops there. */
	if ((x->rate > x->rate0 && rate < x->rate0) || (x->rate < x->rate0 && rate > x->rate0))
		rate = x->rate0;
	if (rate > 2 * x->rate0)
		rate = 2 * x->rate0;
	if (rate < x->rate0 / 2)
		rate = x->rate0 / 2;
	if (rate == x->rate)
		return 0;
	x->rate = rate;
	return 1;
}

/* Evens out what the fit left out of band, a slot or two here and there (targets whose
 * band is empty must hit their quota exactly): a slot of a target above its band goes to
 * the earliest of its other candidates that is below its band, or failing that below
 * its top; then targets below their band take slots they were a candidate for from
 * targets above their bottom. Returns the number still out of band. */
static __u32 xdplb_maglev_repair(struct xdplb_maglev_race *r, const __u16 *who,
				 const __u64 *at, __u16 *winner, __u32 *count, __u32 k)
{
	struct xdplb_maglev_walk *w = r->w;
	__u32 step, s, l, i, out = 0;

	for (step = 0; step < 3; step++) {
		for (s = 0; s < r->table_size; s++) {
			size_t base = (size_t)s * k;
			__u32 o = winner[s], c = XDPLB_MAGLEV_NONE;
			__u64 t = ~0ULL;

			if (step < 2 && count[o] <= w[o].hi)
				continue;
			for (l = 0; l < k; l++) {
				__u32 d = who[base + l];
				__u64 td = at[base + l] * w[d].rate;

				if (d == o || td >= t)
					continue;
				if (step == 0 ? count[d] < w[d].lo :
				    step == 1 ? count[d] < w[d].hi :
				    count[d] < w[d].lo && count[o] > w[o].lo) {
					c = d;
					t = td;
				}
			}
			if (c == XDPLB_MAGLEV_NONE)
				continue;
			winner[s] = c;
			count[o]--;
			count[c]++;
		}
	}
	for (i = 0; i < r->n; i++)
		out += count[i] < w[i].lo || count[i] > w[i].hi;
	return out;
}

/* Fits the walks' rates so that the pure race (first visitor takes the slot, no bounds)
 * lands every count in its band, judging the race by each slot's earliest visitors at the
 * nominal rates. Targets whose count is in band at the nominal rates keep them. */
static int xdplb_maglev_fit(struct xdplb_maglev_race *r, __u16 *winner, int *settled)
{
	__u32 n = r->n, size = r->table_size, k = n < XDPLB_MAGLEV_CANDS ? n : XDPLB_MAGLEV_CANDS;
	__u16 *who = malloc((size_t)size * k * sizeof(*who));
	__u64 *at = malloc((size_t)size * k * sizeof(*at));
	__u64 *last = malloc(size * sizeof(*last));
	__u32 *count = malloc(n * sizeof(*count));
	__u64 *rate = malloc(n * sizeof(*rate));
	__u32 pass, i, s, l, out;
	int err = -ENOMEM;

	if (!who || !at || !last || !count || !rate)
		goto out;
	xdplb_maglev_candidates(r, who, at, last, k);
	for (pass = 0;; pass++) {
		__u32 moved = 0;

		out = 0;
		for (i = 0; i < n; i++) {
			count[i] = 0;
			rate[i] = r->w[i].rate;
		}
		for (s = 0; s < size; s++) {
			size_t base = (size_t)s * k;
			__u32 best = who[base];
			__u64 t = at[base] * rate[best];

			for (l = 1; l < k; l++) {
				__u32 c = who[base + l];
				__u64 tc = at[base + l] * rate[c];

				if (tc < t || (tc == t && c < best)) {
					best = c;
					t = tc;
				}
			}
			winner[s] = best;
			count[best]++;
		}
		for (i = 0; i < n; i++)
			out += count[i] < r->w[i].lo || count[i] > r->w[i].hi;
		if (pass == XDPLB_MAGLEV_PASSES || !out)
			break;
		for (i = 0; i < n; i++)
			moved += xdplb_maglev_nudge(&r->w[i], count[i]);
		if (!moved)
			break;
	}
	*settled = !out || (out <= n / 8 && !xdplb_maglev_repair(r, who, at, winner, count, k));
	err = 0;
out:
	free(rate);
	free(count);
	free(last);
	free(at);
	free(who);
	return err;
}

static int xdplb_maglev_valid_size(__u32 table_size)
{
	return table_size >= XDPLB_TABLE_MIN && table_size <= XDPLB_TABLE_MAX &&
	       !(table_size & (table_size - 1));
}

/* Weights above XDPLB_WEIGHT_MAX are refused like 0: the tool never produces them, and
 * refusing keeps every visit time inside 64 bits. */
int xdplb_maglev_build(const struct xdplb_maglev_target *targets, __u32 n, __u32 *table,
		       __u32 table_size)
{
	struct xdplb_maglev_race r = { .n = n, .table = table, .table_size = table_size };
	__u64 *log_tab = NULL, log_m;
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
	if (!r.w || !r.heap || !r.used || !log_tab)
		goto out;

	for (i = 0; i < n; i++) {
		struct xdplb_maglev_walk *x = &r.w[i];

		x->key = targets[i].key;
		x->value = targets[i].value;
		x->weight = targets[i].weight;
		x->rate0 = XDPLB_MAGLEV_RATE_ONE / x->weight;
		x->rate = x->rate0;
		x->pos = xdplb_maglev_mix(x->key + XDPLB_MAGLEV_GAMMA) % r.m;
		x->skip = xdplb_maglev_mix(x->key + 2 * XDPLB_MAGLEV_GAMMA) % (r.m - 1) + 1;
	}
	/* Key order breaks ties between equal visit times, so input order never matters. */
	qsort(r.w, n, sizeof(*r.w), xdplb_maglev_cmp_key);
	err = -EINVAL;
	for (i = 1; i < n; i++)
		if (r.w[i].key == r.w[i - 1].key)
			goto out;
	err = xdplb_maglev_set_bounds(r.w, n, table_size);
	if (err)
		goto out;

	log_m = xdplb_maglev_log2(r.m);
	for (i = 0; i < r.m; i++)
		log_tab[i] = log_m - xdplb_maglev_log2(r.m - i);
	r.log = log_tab;
	for (i = 0; i < n && r.w[i].hi - r.w[i].lo < XDPLB_MAGLEV_FIT_BAND; i++)
		;
	/* Nothing to fit (every band narrow, as with many small targets): the race alone. */
	if (i < n) {
		__u16 *winner = malloc(table_size * sizeof(*winner));
		int settled = 0;

		err = winner ? xdplb_maglev_fit(&r, winner, &settled) : -ENOMEM;
		if (!err && settled)
			for (i = 0; i < table_size; i++)
				table[i] = r.w[winner[i]].value;
		free(winner);
		if (err)
			goto out;
		if (settled)
			goto out;
	}
	xdplb_maglev_run(&r);
out:
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
