// SPDX-License-Identifier: GPL-2.0
/* maglev_fit.c: the rate fit that runs before the race. Targets whose pure-race count would
 * leave its band get their rate nudged until the count is just inside the edge; the race
 * is judged by each slot's few earliest visitors at the nominal rates (doc/maglev.md). */
#include <errno.h>
#include <stdlib.h>

#include "core/maglev_walk.h"
#include "maps/xdplb_limits.h"

/* The fit keeps each slot's XDPLB_MAGLEV_CANDS earliest visitors at the nominal rates and
 * keeps every rate within a factor of 2 of nominal (times stay below 2^62). A pass moves a
 * rate a quarter of the way its count asks for: with full steps every target reacts to all
 * the others' steps at once and the counts oscillate instead of settling. */
#define XDPLB_MAGLEV_CANDS	3
#define XDPLB_MAGLEV_PASSES	20
#define XDPLB_MAGLEV_DAMP	4
#define XDPLB_MAGLEV_NONE	0xffff

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
int xdplb_maglev_fit(struct xdplb_maglev_race *r, __u16 *winner, int *settled)
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
