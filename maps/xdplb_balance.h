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
 * held != 0: the slot is being moved. Frames go to cur (the old target), not to the
 * table's value, until the old target's queue holds none of the slot's frames: each frame
 * sent to cur while held carries the slot in its XDP metadata (struct xdplb_slot_meta) and
 * adds one to inflight; the cpumap program on cur takes one off as it runs the frame and
 * notes done_ns. A frame that finds inflight at 0 and the last marked one (there must be
 * one: the frames sent before the hold are unmarked, but queued ahead of it) done more than
 * XDPLB_BAL_SETTLE_NS ago (the old CPU's stack has delivered it) goes to the table's
 * target, and cur becomes that. A frame that finds the slot idle for gap_ns (struct
 * xdplb_bal) switches too: a frame dropped at a full queue is never run, so inflight
 * would wait for it forever. The balancer sets cur, last_ns and inflight before held, and
 * held before the flip that gives the slot its new target, and clears held once cur
 * equals the table. */
struct xdplb_slot {
	__u64 packets;
	__u64 last_ns;		/* CLOCK_MONOTONIC of the slot's last frame while held */
	__u64 done_ns;		/* CLOCK_MONOTONIC: the old target ran a frame of the slot */
	__u32 cur;		/* while held: the target the slot's frames go to */
	__u32 held;
	__s32 inflight;		/* while held: frames of the slot in cur's queue */
	__u32 pad;
};

/* What a frame carries to its target's cpumap program, in front of any metadata already
 * there: a held slot's frame (HOLD: counted in flight), or one frame in
 * XDPLB_BAL_SAMPLE_EVERY of the others (SAMPLE), to time the queue. */
struct xdplb_slot_meta {
	__u32 magic;
	__u32 slot;
	__u64 sent_ns;		/* CLOCK_MONOTONIC at the redirect */
};

#define XDPLB_SLOT_META_HOLD	0x78626c31	/* "xbl1" */
#define XDPLB_SLOT_META_SAMPLE	0x78626c32	/* "xbl2" */
/* A power of two: one frame of a slot's this many is timed through its queue. */
#define XDPLB_BAL_SAMPLE_EVERY	64

/* Per CPU (the cpumap program runs on the target CPU): how long the timed frames waited
 * between the redirect and this CPU's kthread running them. A CPU whose own work (other
 * tasks, the receiving CPU's softirq) leaves its kthread little time shows it here first,
 * before its queue fills or drops. */
struct xdplb_qdelay {
	__u64 sum_ns;
	__u64 samples;
};

/* After the old target ran the slot's last frame, the time its stack takes to hand it to
 * a socket (a kthread batch of 8 frames, GRO, the socket queue): a frame steered to the
 * new target before then could overtake it. */
#define XDPLB_BAL_SETTLE_NS	(100ULL * 1000)

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
	__u64 gap_releases;	/* holds the idle gap ended, not the queue (data path) */
	__u64 pressure_moves;	/* of moves: off a pressed target, not toward the weights */
};

_Static_assert(sizeof(struct xdplb_slot) == 40, "ABI: xdplb_slot");
_Static_assert(sizeof(struct xdplb_slot_meta) == 16, "ABI: xdplb_slot_meta");
_Static_assert(sizeof(struct xdplb_qdelay) == 16, "ABI: xdplb_qdelay");
_Static_assert(sizeof(struct xdplb_bal) == 72, "ABI: xdplb_bal");

/* The shortest idle gap that ends a hold whose queue cannot tell (a marked frame dropped
 * at a full queue is never run, so inflight never comes back to 0): far longer than a
 * starved kthread waits for its CPU, a few scheduler slices of the tasks it competes with
 * (a 2 ms gap let frames behind two busy loops be overtaken). */
#define XDPLB_BAL_GAP_DEFAULT_NS	(50ULL * 1000 * 1000)

#endif
