// SPDX-License-Identifier: GPL-2.0
/* balance.c: picks the slots one round moves. Under pressure (a target's CPU or queue
 * near full, well above another's) load leaves the most pressed target for the least;
 * otherwise each target's share of frames is brought toward its weight's share. Slots are
 * taken largest first, and only while each move shrinks the imbalance. */
#include <stdlib.h>

#include "core/balance.h"

static int xdplb_find_key(const struct xdplb_bal_target *t, __u32 n, __u32 key)
{
	__u32 i;

	for (i = 0; i < n; i++)
		if (t[i].key == key)
			return (int)i;
	return -1;
}

enum xdplb_bal_why { XDPLB_BAL_NONE, XDPLB_BAL_EVEN, XDPLB_BAL_PRESSURE };

/* Picks source and destination and the frames to shift between them. */
static enum xdplb_bal_why xdplb_pick_pair(const struct xdplb_bal_target *t, __u32 n,
					  const double *load, double total, __u32 *src,
					  __u32 *dst, double *shift)
{
	double wsum = 0, ex, best = -1e300, worst = 1e300, share;
	__u32 i, hi = 0, lo = 0;

	for (i = 0; i < n; i++) {
		if (t[i].pressure > t[hi].pressure)
			hi = i;
		if (t[i].pressure < t[lo].pressure)
			lo = i;
		wsum += t[i].weight;
	}
	if (t[hi].pressure >= XDPLB_BAL_PRESSURE_HIGH &&
	    t[hi].pressure - t[lo].pressure >= XDPLB_BAL_PRESSURE_MARGIN && load[hi] > 0) {
		*src = hi;
		*dst = lo;
		/* Moving d frames off hi takes d off what it has to shed. */
		*shift = load[hi] * (t[hi].pressure - t[lo].pressure);
		return XDPLB_BAL_PRESSURE;
	}
	for (i = 0; i < n; i++) {
		ex = load[i] - total * t[i].weight / wsum;
		if (ex > best) {
			best = ex;
			*src = i;
		}
		if (ex < worst) {
			worst = ex;
			*dst = i;
		}
	}
	share = load[*src] / total - t[*src].weight / wsum;
	if (*src == *dst || share < XDPLB_BAL_SHARE_HYSTERESIS)
		return XDPLB_BAL_NONE;
	/* Evenness never loads a target pressed well beyond the source, or one pressure
	 * shed load off lately: what pressure moved off it would come straight back. */
	if (t[*dst].shed || (t[*dst].pressure >= XDPLB_BAL_PRESSURE_HIGH &&
			     t[*dst].pressure - t[*src].pressure >= XDPLB_BAL_PRESSURE_MARGIN))
		return XDPLB_BAL_NONE;
	*shift = best - worst;	/* moving d frames shrinks this by 2d */
	return XDPLB_BAL_EVEN;
}

struct xdplb_bal_cand {
	__u64 delta;
	__u32 slot;
};

static int xdplb_cand_cmp(const void *a, const void *b)
{
	const struct xdplb_bal_cand *x = a, *y = b;

	return x->delta < y->delta ? 1 : x->delta > y->delta ? -1 : 0;
}

__u32 xdplb_balance_plan(const struct xdplb_bal_target *t, __u32 n, const __u32 *table,
			 const __u64 *delta, const bool *blocked, __u32 size, __u32 max,
			 struct xdplb_bal_move *moves)
{
	double load[n ? n : 1], total = 0, shift;
	struct xdplb_bal_cand *cand;
	__u32 i, src = 0, dst = 0, nc = 0, nm = 0;
	enum xdplb_bal_why why;
	int k;

	if (n < 2)
		return 0;
	for (i = 0; i < n; i++)
		load[i] = 0;
	for (i = 0; i < size; i++) {
		k = xdplb_find_key(t, n, table[i]);
		if (k >= 0) {
			load[k] += (double)delta[i];
			total += (double)delta[i];
		}
	}
	if (total < XDPLB_BAL_MIN_FRAMES)
		return 0;
	why = xdplb_pick_pair(t, n, load, total, &src, &dst, &shift);
	if (why == XDPLB_BAL_NONE)
		return 0;
	cand = calloc(size, sizeof(*cand));
	if (!cand)
		return 0;
	for (i = 0; i < size; i++)
		if (table[i] == t[src].key && delta[i] && !blocked[i])
			cand[nc++] = (struct xdplb_bal_cand){ delta[i], i };
	qsort(cand, nc, sizeof(*cand), xdplb_cand_cmp);
	for (i = 0; i < nc && nm < max; i++) {
		/* Evenness: strictly better only, a slot as large as the gap would just swap
		 * sides. Pressure: the largest slot goes even if it is more than hi has to
		 * shed, or a few large flows would never leave a saturated CPU. */
		if ((double)cand[i].delta >= shift && !(why == XDPLB_BAL_PRESSURE && !nm))
			continue;
		moves[nm++] = (struct xdplb_bal_move){ cand[i].slot, t[dst].key,
						       why == XDPLB_BAL_PRESSURE };
		shift -= (why == XDPLB_BAL_PRESSURE ? 1 : 2) * (double)cand[i].delta;
	}
	free(cand);
	return nm;
}
