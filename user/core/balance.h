/* SPDX-License-Identifier: GPL-2.0 */
/* balance.h: one balancing round's decision, pure: from per-slot frame counts, the table
 * and each target's weight and pressure, the few slots to move and where. */
#ifndef XDPLB_BALANCE_PLAN_H
#define XDPLB_BALANCE_PLAN_H

#include <stdbool.h>
#include <linux/types.h>

/* A target's pressure (0..1) counts as high from here, and moves load only when it
 * exceeds the least pressed target's by the margin: CPU time is noisy, moves are not free. */
#define XDPLB_BAL_PRESSURE_HIGH		0.9
#define XDPLB_BAL_PRESSURE_MARGIN	0.5
/* Without pressure: shares are evened only when one strays this far from its weight's. */
#define XDPLB_BAL_SHARE_HYSTERESIS	0.05
/* Fewer frames than this in a round say nothing about shares. */
#define XDPLB_BAL_MIN_FRAMES		200
/* A target pressure moved load off takes none back to even shares for this many rounds:
 * its pressure was measured with that load, not without it. */
#define XDPLB_BAL_SHED_ROUNDS		20
/* A slot moved is left where it went for this many rounds: no ping-pong. */
#define XDPLB_BAL_COOLDOWN_ROUNDS	5

struct xdplb_bal_target {
	__u32 key;		/* CPU number: the table's value */
	__u32 weight;
	double pressure;	/* 0..1: queue delay, fill, drops; busy time when idle */
	bool shed;		/* pressure moved load off it lately: evenness leaves it be */
};

struct xdplb_bal_move {
	__u32 slot;
	__u32 to;
	bool pressure;		/* off a pressed target (else: toward the weights' shares) */
};

/* table[size]: where each slot's frames go now; delta[size]: its frames this round;
 * blocked[size]: slots not to move (held, cooling down). Writes at most max moves;
 * returns their count. */
__u32 xdplb_balance_plan(const struct xdplb_bal_target *t, __u32 n, const __u32 *table,
			 const __u64 *delta, const bool *blocked, __u32 size, __u32 max,
			 struct xdplb_bal_move *moves);

#endif
