// SPDX-License-Identifier: GPL-2.0
/* maglev_race.c: the bounded race. Walks visit their permutations in time order from a
 * min-heap; a visited free slot goes to the visitor, a walk at the top of its band stops,
 * and once the free slots only just cover what the walks below their band still lack,
 * only those go on (doc/maglev.md). */
#include "core/maglev_walk.h"

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

/* Runs visits in time order until the table is full. Terminates: while a slot is free some
 * walk is below its cap (the caps sum to at least table_size), and a walk below its cap
 * meets every free slot within M visits. */
void xdplb_maglev_run(struct xdplb_maglev_race *r)
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
