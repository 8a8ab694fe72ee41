// SPDX-License-Identifier: GPL-2.0
/* xdplb.bpf.c: the receive program that steers each flow to a CPU (cpumap) or a port
 * (devmap) through the seeded hash and the indirection table, and the programs cpumap
 * entries may run on the remote CPU. It only decides: parsing is parse_fast.h for the
 * common frame and parse_frame.h for the rest, hashing
 * flow_hash.h. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "../maps/xdplb_balance.h"
#include "../maps/xdplb_config.h"
#include "../maps/xdplb_counters.h"
#include "../maps/xdplb_limits.h"
#include "../maps/xdplb_table.h"
#include "parse_frame.h"
#include "parse_fast.h"
#include "flow_hash.h"

/* Fixed at load: an instance steers to CPUs or to ports, never both, so the verifier drops
 * the other branch and its map from the hot path. */
const volatile __u32 xdplb_target_kind = XDPLB_TARGET_CPU;
/* Fixed at load with the programs' frags flag (user/core/lifecycle.c xdplb_set_frags). A
 * plain program only ever sees linear frames, whose length is data_end - data: that saves
 * bpf_xdp_get_buff_len's call per frame. On by default, which is right for either flag. */
const volatile __u32 xdplb_frags = 1;
/* Read by the tool only, never here: which pin root the instance belongs to (a hash of
 * its path), so that a program whose pins are gone is told from another root's. */
const volatile __u64 xdplb_pin_root_id = 0;
/* --explain and --which test-run xdplb_rx built from this source with XDPLB_EXPLAIN_BUILD
 * (xdplb_explain.bpf.c), which records its decision here (.bss) for the tool to read back
 * (user/core/explain_prog.c). The attached build compiles the hook away, so its code is
 * what it would be without it; a load-time switch was pruned by the verifier but left
 * xdplb_rx 20 instructions longer, clang allocating registers around the dead branches. */
#ifdef XDPLB_EXPLAIN_BUILD
__u32 xdplb_dec_reason, xdplb_dec_slot, xdplb_dec_target, xdplb_dec_hashed;
__u64 xdplb_dec_hash;
#define XDPLB_EXPLAIN(stmt) do { stmt; } while (0)
#else
#define XDPLB_EXPLAIN(stmt) do { } while (0)
#endif
/* --balance: per-slot counts and the move hold (maps/xdplb_balance.h). Fixed at load, so
 * without --balance the verifier drops the hunk and the static path costs what it did. */
const volatile __u32 xdplb_balance = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdplb_config);
} xdplb_config SEC(".maps");

/* Two halves of XDPLB_TABLE_MAX slots in cache lines (maps/xdplb_table.h); config.active
 * picks the half. Mmapable for the page-aligned values, not for mapping it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, XDPLB_TABLE_LINES);
	__type(key, __u32);
	__type(value, struct xdplb_table_line);
} xdplb_table SEC(".maps");

/* Resized to the possible CPUs by the control tool before load. */
struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, XDPLB_MAX_CPUS);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} xdplb_cpus SEC(".maps");

/* Port mode: the ports, keyed by slot. CPU mode: the --remote redirect port at
 * XDPLB_REMOTE_PORT_SLOT, for the cpumap program. No program in any entry. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, XDPLB_PORT_SLOTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} xdplb_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdplb_rx_stats);
} xdplb_rx_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDPLB_MAX_TARGETS);
	__type(key, __u32);
	__type(value, struct xdplb_target_stats);
} xdplb_tgt_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdplb_remote_stats);
} xdplb_rmt_stats SEC(".maps");

/* Read and written by the control tool only: what a later invocation needs to know. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdplb_meta);
} xdplb_meta SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XDPLB_MAX_TARGETS);
	__type(key, __u32);
	__type(value, struct xdplb_target);
} xdplb_targets SEC(".maps");

/* --balance only: one entry per table slot (resized to 1 entry without it). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, XDPLB_TABLE_MAX);
	__type(key, __u32);
	__type(value, struct xdplb_slot);
} xdplb_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdplb_bal);
} xdplb_bal SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdplb_qdelay);
} xdplb_qdelay SEC(".maps");

/* Read the flip index once per packet: the control tool changes it under our feet. */
#define XDPLB_READ_ONCE(x) (*(volatile typeof(x) *)&(x))

/* Bumps counters[idx] if idx < n. Indices can come from global functions, unknown to the
 * verifier; the barrier keeps the checked value and the index in one register, where
 * clang 14 would re-derive the index after the check and lose its bound. */
static __always_inline void xdplb_count(__u64 *counters, __u64 idx, __u32 n)
{
	asm volatile("" : "+r"(idx));
	if (idx < n)
		counters[idx]++;
}

/* --balance: marks a frame for its target's cpumap program (xdplb_balance_done). */
static __always_inline void xdplb_balance_mark(struct xdp_md *ctx, __u32 magic, __u32 slot,
					       __u64 now)
{
	struct xdplb_slot_meta *m;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m)))
		return;
	m = (void *)(long)ctx->data_meta;
	if ((void *)(m + 1) > (void *)(long)ctx->data)
		return;
	m->magic = magic;
	m->slot = slot;
	m->sent_ns = now;
}

/* Whether a held slot's frames may go to the new target now: the old target ran every
 * marked frame of the slot and its stack had the time to deliver them, or the slot was idle for
 * longer than any queue takes to drain. */
static __always_inline int xdplb_balance_drained(const struct xdplb_slot *st, __u64 now)
{
	/* None in flight, or the last frame sent ran (a queue is FIFO: all before it ran or
	 * were dropped; a marked frame dropped at a full queue keeps inflight up for good).
	 * Read before done_ns, which xdplb_balance_done writes first: a new inflight or
	 * done_sent comes with its done_ns (volatile: the compiler keeps the order, x86
	 * stores and loads keep it too). */
	int ran = XDPLB_READ_ONCE(st->inflight) <= 0 ||
		  XDPLB_READ_ONCE(st->done_sent) == (__u32)st->last_ns;
	__u64 done = XDPLB_READ_ONCE(st->done_ns);
	struct xdplb_bal *bal;
	__u32 key = 0;

	/* done 0: no marked frame ran yet, and frames sent before the hold began may still
	 * be queued ahead of the first marked one. */
	if (ran && done && now - done > XDPLB_BAL_SETTLE_NS)
		return 1;
	bal = bpf_map_lookup_elem(&xdplb_bal, &key);
	if (!bal || now - st->last_ns <= bal->gap_ns)
		return 0;
	__sync_fetch_and_add(&bal->gap_releases, 1);
	return 1;
}

/* --balance: counts the slot's frame; a held slot (being moved) keeps sending to its old
 * target until that target holds none of its frames (maps/xdplb_balance.h), so no frame
 * of its flows can be overtaken on the new target. here: the CPU whose frames go to its
 * stack without a queue (xdplb_local_cpu), or XDPLB_NO_TARGET. */
static __always_inline __u32 xdplb_balance_slot(struct xdp_md *ctx, __u32 slot, __u32 target,
						__u32 here)
{
	struct xdplb_slot *st = bpf_map_lookup_elem(&xdplb_slots, &slot);
	__u64 now;

	if (!st)
		return target;
	if (!XDPLB_READ_ONCE(st->held)) {
		/* A frame passed here waits in no queue: nothing to time. */
		if (!(st->packets++ & (XDPLB_BAL_SAMPLE_EVERY - 1)) && target != here)
			xdplb_balance_mark(ctx, XDPLB_SLOT_META_SAMPLE, slot, bpf_ktime_get_ns());
		return target;
	}
	st->packets++;
	now = bpf_ktime_get_ns();
	if (st->cur != target && xdplb_balance_drained(st, now))
		st->cur = target;
	st->last_ns = now;
	if (st->cur == target)
		return target;
	if (st->cur == here) {
		/* The old target is this CPU: the frame reaches its stack before this program
		 * returns, no queue holds it. With none of the slot's frames in any queue
		 * (another receiving CPU may have queued some), this is its last frame to
		 * have run, and the settle time starts now. done_ns first, as in
		 * xdplb_balance_done. */
		if (XDPLB_READ_ONCE(st->inflight) <= 0) {
			*(volatile __u64 *)&st->done_ns = now;
			*(volatile __u32 *)&st->done_sent = (__u32)now;
		}
		return here;
	}
	/* Counted even if the mark fails: the hold then ends by the idle gap only. */
	__sync_fetch_and_add(&st->inflight, 1);
	xdplb_balance_mark(ctx, XDPLB_SLOT_META_HOLD, slot, now);
	return st->cur;
}

/* --balance, on the target CPU: a marked frame has left this queue; its wait is timed,
 * and a held slot's frame is no longer in flight. */
static __always_inline void xdplb_balance_done(struct xdp_md *ctx)
{
	struct xdplb_slot_meta *m = (void *)(long)ctx->data_meta;
	struct xdplb_qdelay *qd;
	struct xdplb_slot *st;
	__u32 slot, key = 0;
	__u64 now;

	if (!xdplb_balance || (void *)(m + 1) > (void *)(long)ctx->data ||
	    (m->magic != XDPLB_SLOT_META_HOLD && m->magic != XDPLB_SLOT_META_SAMPLE))
		return;
	now = bpf_ktime_get_ns();
	qd = bpf_map_lookup_elem(&xdplb_qdelay, &key);
	if (qd && now > m->sent_ns) {
		qd->sum_ns += now - m->sent_ns;
		qd->samples++;
	}
	if (m->magic != XDPLB_SLOT_META_HOLD)
		return;
	slot = m->slot;
	st = bpf_map_lookup_elem(&xdplb_slots, &slot);
	if (!st)
		return;
	/* done_ns first: whoever sees the new done_sent or inflight sees it too. */
	*(volatile __u64 *)&st->done_ns = now;
	*(volatile __u32 *)&st->done_sent = (__u32)m->sent_ns;
	__sync_fetch_and_add(&st->inflight, -1);
}

/* The bytes of the frame: the head and, with the frags flag, every fragment. */
static __always_inline __u64 xdplb_frame_len(struct xdp_md *ctx)
{
	if (xdplb_frags)
		return bpf_xdp_get_buff_len(ctx);
	return ctx->data_end - ctx->data;
}

/* Steers to a CPU or a port; a missing entry returns the flags' XDP_PASS, never an abort,
 * so a configuration gap (or a port that vanished) leaves the frame to the local stack. */
static __always_inline long xdplb_steer(__u32 target)
{
	if (xdplb_target_kind == XDPLB_TARGET_PORT)
		return bpf_redirect_map(&xdplb_ports, target, XDP_PASS);
	return bpf_redirect_map(&xdplb_cpus, target, XDP_PASS);
}

/* The CPU whose frames go straight to its stack (XDPLB_HASH_F_LOCAL: CPU mode, no --remote
 * program), or XDPLB_NO_TARGET. Redirecting to the CPU the frame is on would add a queue, a
 * kthread wake-up and a context switch to the same stack work on the same CPU. */
static __always_inline __u32 xdplb_local_cpu(__u32 mode)
{
#ifdef XDPLB_EXPLAIN_BUILD
	/* --which and --explain say which CPU's stack gets a frame, the same either way;
	 * test-run on the tool's CPU, a local pass would hide the target behind XDP_PASS. */
	return XDPLB_NO_TARGET;
#else
	if (xdplb_target_kind != XDPLB_TARGET_CPU || !(mode & XDPLB_HASH_F_LOCAL))
		return XDPLB_NO_TARGET;
	return bpf_get_smp_processor_id();
#endif
}

/* The receiving CPU's counters. Looked up where a frame leaves, not on entry: held through
 * the parse, the pointer and the length took two of the registers the parse needs, and
 * clang spilled the frame pointer and reloaded it for every header read. */
static __always_inline struct xdplb_rx_stats *xdplb_rx_count(void)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&xdplb_rx_stats, &key);
}

/* A frame left to the stack: counted as seen and by its reason. The parser reads the head
 * only, so a header cut by its end is in a fragment, not missing: split_header, not
 * malformed. Not inlined: every way out that passes shares one copy. */
static __noinline int xdplb_count_pass(struct xdp_md *ctx, int reason)
{
	struct xdplb_rx_stats *rx = xdplb_rx_count();
	__u64 len = xdplb_frame_len(ctx);

	if (!rx)
		return XDP_PASS;
	if (reason == XDPLB_PASS_malformed && len > (__u64)(ctx->data_end - ctx->data))
		reason = XDPLB_PASS_split_header;
	rx->rx_packets++;
	rx->rx_bytes += len;
	xdplb_count(rx->pass, (__u32)reason, XDPLB_PASS__COUNT);
	XDPLB_EXPLAIN(xdplb_dec_reason = (__u32)reason);
	return XDP_PASS;
}

/* The half's mode word, read once: the parse (--inner) and the hash must see the same
 * word. --balance counts frames per slot, and --explain and --which say which slot a flow
 * takes: both hash even where every slot holds the same target. */
static __always_inline __u32 xdplb_read_mode(const struct xdplb_half *half)
{
	__u32 mode = XDPLB_READ_ONCE(half->hash_mode);

#ifndef XDPLB_EXPLAIN_BUILD
	if (xdplb_balance)
#endif
		mode &= ~XDPLB_HASH_F_ONE_TARGET;
	return mode;
}

/* Everything the fast path leaves: the full parse, the tunnel count, the hash of the flow.
 * Returns XDPLB_CONTINUE with *hash set, or the reason to pass. Its own function so the
 * flow it fills is only cleared on this path. */
static __always_inline int xdplb_parse_hash(struct xdp_md *ctx, __u64 seed, __u32 mode,
					    __u64 *hash)
{
	__u32 tunnel = XDPLB_TUNNEL__COUNT;
	struct xdplb_flow flow = {};
	struct xdplb_rx_stats *rx;
	int ret;

	ret = xdplb_parse(ctx, &flow, mode & XDPLB_HASH_F_INNER, &tunnel);
	rx = xdplb_rx_count();
	if (rx)
		xdplb_count(rx->tunnel, tunnel, XDPLB_TUNNEL__COUNT);
	if (ret == XDPLB_CONTINUE)
		*hash = xdplb_flow_hash(&flow, seed, mode);
	return ret;
}

/* Every program here is frags-aware: the control tool loads them with the multi-buffer flag
 * on an interface whose MTU needs it (user/core/lifecycle.c), where a jumbo frame arrives
 * as a head plus page fragments. The sections say plain "xdp" because libbpf would force the
 * flag on from an "xdp.frags" section. Headers are read from the head alone; the
 * length counted is the whole frame's. */
/* The decision, as xdplb_rx runs it. Inlined into xdplb_rx in the attached build, so its
 * code is what it was without this function; in the explain build a global function,
 * verified once and called by xdplb_rx and by xdplb_explain_batch for each frame of a
 * batch (xdplb_explain.bpf.c). */
#ifdef XDPLB_EXPLAIN_BUILD
#define XDPLB_DECIDE __noinline int
#else
#define XDPLB_DECIDE static __always_inline int
#endif
XDPLB_DECIDE xdplb_decide(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct xdplb_target_stats *tgt;
	const struct xdplb_half *half;
	struct xdplb_config *cfg;
	__u32 key = 0, slot, line_key, active, mode, target, here = XDPLB_NO_TARGET;
	struct xdplb_table_line *line;
	int ret = XDPLB_CONTINUE, fast;
	__u64 hash, len;
	long action;

	cfg = bpf_map_lookup_elem(&xdplb_config, &key);
	if (!cfg)
		return xdplb_count_pass(ctx, XDPLB_PASS_no_target);
	active = XDPLB_READ_ONCE(cfg->active) & 1;
	half = &cfg->half[active];
	mode = xdplb_read_mode(half);

	fast = xdplb_parse_fast(data, data_end, half->seed, mode, &hash);
	if (fast == XDPLB_FAST_FLOW) {
		/* A half of one target: nothing to look up. */
		target = half->one_target;
		here = xdplb_local_cpu(mode);
		goto steer;
	}
	if (fast == XDPLB_FAST_NO)
		ret = xdplb_parse_hash(ctx, half->seed, mode, &hash);
	if (ret != XDPLB_CONTINUE) {
		/* Only a forwarder (port mode) sends frames without a flow on, to one port. */
		if (xdplb_target_kind != XDPLB_TARGET_PORT || half->default_target == XDPLB_NO_TARGET)
			return xdplb_count_pass(ctx, ret);
		target = half->default_target;
	} else {
		/* The second mask keeps the slot inside one half even if the config is not
		 * filled yet. */
		slot = hash & half->table_mask & (XDPLB_TABLE_MAX - 1);
		line_key = xdplb_table_line_key(active, slot);
		line = bpf_map_lookup_elem(&xdplb_table, &line_key);
		if (!line)
			return xdplb_count_pass(ctx, XDPLB_PASS_no_target);
		target = line->slot[xdplb_table_line_index(slot)];
		XDPLB_EXPLAIN(xdplb_dec_slot = slot; xdplb_dec_hash = hash; xdplb_dec_hashed = 1);
		here = xdplb_local_cpu(mode);
		if (xdplb_balance)
			target = xdplb_balance_slot(ctx, slot, target, here);
	}
steer:
	XDPLB_EXPLAIN(xdplb_dec_target = target);

	tgt = bpf_map_lookup_elem(&xdplb_tgt_stats, &target);
	/* A frame for this CPU goes to its stack here (xdplb_local_cpu), any other to its
	 * target's queue or port. */
	action = target == here ? XDP_PASS : xdplb_steer(target);
	if (action != XDP_REDIRECT && target != here) {
		if (tgt)
			tgt->missing++;
		return xdplb_count_pass(ctx, ret == XDPLB_CONTINUE ? XDPLB_PASS_no_target : ret);
	}
	/* A redirected or local frame is counted on its target's line only, one cache line
	 * per frame: the tool adds the target records into the receiving CPU's rx_packets,
	 * rx_bytes and redirected or pass[local] (maps/xdplb_counters.h). Never missing here:
	 * the record map has an entry for every key the cpumap and the devmap can hold. */
	if (!tgt)
		return action;
	len = xdplb_frame_len(ctx);
	tgt->packets++;
	tgt->bytes += len;
	if (target == here)
		tgt->local++;
	/* Only ports take frames without a flow; rodata prunes this in CPU mode. A branch,
	 * not an add of 0 or 1: most frames have a flow, and need not write a third field. */
	if (xdplb_target_kind == XDPLB_TARGET_PORT && ret != XDPLB_CONTINUE)
		tgt->unhashed++;
	return action;
}

SEC("xdp")
int xdplb_rx(struct xdp_md *ctx)
{
	return xdplb_decide(ctx);
}

/* Every cpumap program starts here: the frame has left its queue. */
static __always_inline struct xdplb_remote_stats *xdplb_remote_count(struct xdp_md *ctx)
{
	__u32 key = 0;

	xdplb_balance_done(ctx);
	return bpf_map_lookup_elem(&xdplb_rmt_stats, &key);
}

/* --remote pass: runs on the remote CPU, counts, hands the frame to the stack there. */
SEC("xdp/cpumap")
int xdplb_cpu_pass(struct xdp_md *ctx)
{
	struct xdplb_remote_stats *st = xdplb_remote_count(ctx);

	if (st)
		st->remote_processed++;
	return XDP_PASS;
}

#define XDPLB_ICMPV6		58
#define XDPLB_ND_FIRST		133	/* router solicitation */
#define XDPLB_ND_LAST		137	/* redirect */

/* Neighbour discovery is IPv6's ARP: dropping it cuts IPv6 off the link as dropping ARP
 * would cut IPv4 (which never gets here: non-IP frames stay on the receiving CPU). */
static __always_inline int xdplb_is_nd(struct xdp_md *ctx)
{
	struct xdplb_cursor c = { .pos = (void *)(long)ctx->data,
				  .end = (void *)(long)ctx->data_end };
	struct ipv6hdr *ip6;
	__be16 proto;
	__u8 *type;

	if (xdplb_parse_eth(&c, &proto) != XDPLB_CONTINUE || proto != bpf_htons(ETH_P_IPV6))
		return 0;
	ip6 = xdplb_pull(&c, sizeof(*ip6));
	if (!ip6 || ip6->nexthdr != XDPLB_ICMPV6)
		return 0;
	type = xdplb_pull(&c, sizeof(*type));
	return type && *type >= XDPLB_ND_FIRST && *type <= XDPLB_ND_LAST;
}

/* --remote drop: the remote CPU takes the cost of the drop, the receiving CPU only steers
 * (a scrubber's last stage, or a benchmark of the steering alone). Neighbour discovery is
 * spared, so the link keeps working for what is not dropped. */
SEC("xdp/cpumap")
int xdplb_cpu_drop(struct xdp_md *ctx)
{
	struct xdplb_remote_stats *st = xdplb_remote_count(ctx);

	if (st)
		st->remote_processed++;
	if (xdplb_is_nd(ctx))
		return XDP_PASS;
	if (st)
		st->remote_dropped++;
	return XDP_DROP;
}

/* --remote redirect:IF: the receiving CPU only steers, the remote CPU forwards out of IF.
 * Without a port entry the frame goes to the stack on the remote CPU, as with pass. */
SEC("xdp/cpumap")
int xdplb_cpu_redirect(struct xdp_md *ctx)
{
	struct xdplb_remote_stats *st = xdplb_remote_count(ctx);
	long action = bpf_redirect_map(&xdplb_ports, XDPLB_REMOTE_PORT_SLOT, XDP_PASS);

	if (st) {
		st->remote_processed++;
		st->remote_redirected += action == XDP_REDIRECT;
	}
	return action;
}

char LICENSE[] SEC("license") = "GPL";
