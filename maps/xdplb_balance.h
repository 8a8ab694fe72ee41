/* SPDX-License-Identifier: GPL-2.0 */
/* xdplb_balance.h: what --balance shares with the data path: per-slot frame counts and the
 * hold that keeps a moved slot on its old target until that target's queue holds none of
 * its frames, and the balancer's own state, kept in a pinned map so that --status sees it
 * and a later balancer carries on from it. */
#ifndef XDPLB_BALANCE_H
#define XDPLB_BALANCE_H

#include <linux/types.h>

/* One per table slot (both halves share it: a slot is the same flows in either half).
 * packets is counted by the receiving CPU without atomics: exact while a slot's flows
 * arrive on one receiving CPU (what RSS does), an estimate otherwise, which is all the
 * balancer needs.
 *
 * held != 0: the slot is being moved. Frames go to cur, not to the table's value, until a
 * frame comes more than gap_ns (struct xdplb_bal) after the slot's previous one: by then
 * cur's queue holds none of the slot's frames, and cur becomes the table's value. The
 * balancer sets cur (the old target) and last_ns before held, and held before the flip
 * that gives the slot its new target, and clears held once cur equals the table. */
struct xdplb_slot {
	__u64 packets;
	__u64 last_ns;		/* CLOCK_MONOTONIC of the slot's last frame while held */
	__u32 cur;		/* while held: the target the slot's frames go to */
	__u32 held;
};

/* The single entry of the balancer state map. */
struct xdplb_bal {
	__u64 gap_ns;		/* the hold's idle gap: longer than any target's queue drain */
	__u64 moves;		/* slots moved since attach (the hold released them) */
	__u64 deferred;		/* moves that had to wait a round or more for a gap */
	__u64 rounds;		/* balancing rounds since attach */
	__u64 rebases;		/* tables rebuilt by a reconfiguration while a balancer ran */
	__u32 pid;		/* the balancer's, 0 when none runs */
	__u32 held_now;		/* slots held at the last round */
	__u64 last_round_ns;	/* CLOCK_REALTIME of the last round */
	__u64 pad[1];
};

_Static_assert(sizeof(struct xdplb_slot) == 24, "ABI: xdplb_slot");
_Static_assert(sizeof(struct xdplb_bal) == 64, "ABI: xdplb_bal");

/* The gap a hold waits for before a balancer first sets one: longer than a cpumap kthread
 * takes to wake up and drain a few frames on a loaded CPU. */
#define XDPLB_BAL_GAP_DEFAULT_NS	(2ULL * 1000 * 1000)

#endif
