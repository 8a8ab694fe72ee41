// SPDX-License-Identifier: GPL-2.0
/* balance.c: --balance. Every round, under the pins lock: re-base when a reconfiguration
 * replaced the table, release the held slots whose hold let go, plan a few moves from the
 * round's per-slot counts and the targets' pressure, hold those slots and flip the table.
 * Everything it needs lives in pinned maps, so a balancer that dies leaves a working
 * instance (fail-static) and the next one carries on. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "cmd/balance.h"
#include "core/balance.h"
#include "core/balance_pressure.h"
#include "core/balance_state.h"
#include "core/pins.h"
#include "core/reconfig.h"
#include "core/stats.h"
#include "core/table.h"
#include "maps/xdplb_balance.h"
#include "sys/log.h"

/* Rounds a hold may wait for a gap before the move is called off (the slot stays put). */
#define XDPLB_BAL_HOLD_ROUNDS	10

static volatile sig_atomic_t xdplb_balance_stop;

static void xdplb_balance_signal(int sig)
{
	(void)sig;
	xdplb_balance_stop = 1;
}

/* The balancer's view of its instance, kept across rounds. */
struct xdplb_balancer {
	struct xdplb_instance in;
	struct xdplb_settings *s;
	struct xdplb_slot *slots;	/* mmap of the slot map */
	struct xdplb_bal *bal;		/* mmap of the state map */
	__u32 size;
	__u32 *table, *written;		/* the live table; what this balancer last made live */
	bool have_written;
	__u32 written_active;		/* the half live after this balancer's last round */
	__u64 *prev_packets, *delta;
	__u32 *held_rounds, *origin, *cooldown;
	bool *blocked, *pressure_move;
	struct xdplb_pressure pressure;
	__u32 shed_rounds[XDPLB_MAX_CPUS];	/* by CPU: rounds left of XDPLB_BAL_SHED_ROUNDS */
	struct xdplb_snapshot snap, prev_snap;
	bool have_snap;
	ino_t dir_ino;
};

int xdplb_balance_claim(const struct xdplb_instance *in)
{
	struct xdplb_bal bal;
	__u32 key = 0;
	int fd;

	if (!xdplb_instance_counts_slots(in)) {
		pr_err("--balance: %s: runs without per-slot counting (attached without --balance): "
		       "xdplb --detach --iface %s first", in->ifname, in->ifname);
		return -EINVAL;
	}
	fd = open(in->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		if (bpf_map_lookup_elem(in->map_fd[XDPLB_M_bal], &key, &bal))
			bal.pid = 0;
		pr_err("--balance: %s: a balancer runs already (pid %u): stop it first (SIGTERM)",
		       in->ifname, bal.pid);
		close(fd);
		return -EBUSY;
	}
	return fd;
}

int xdplb_balance_claim_new(const char *ifname)
{
	struct xdplb_instance in;
	int fd;

	xdplb_instance_init(&in);
	fd = xdplb_pins_open(ifname, &in);
	if (!fd)
		fd = xdplb_balance_claim(&in);
	xdplb_instance_close(&in);
	return fd;
}

bool xdplb_balance_keeps(const struct xdplb_settings *a, const struct xdplb_settings *b)
{
	__u32 i;

	if (a->n_targets != b->n_targets || a->seed != b->seed || a->hash_mode != b->hash_mode ||
	    a->table_size != b->table_size || a->remote != b->remote ||
	    a->remote_ifindex != b->remote_ifindex)
		return false;
	for (i = 0; i < a->n_targets; i++)
		if (a->targets[i].id != b->targets[i].id || a->targets[i].weight != b->targets[i].weight ||
		    a->targets[i].qsize != b->targets[i].qsize)
			return false;
	return true;
}

static void *xdplb_map_mmap(int fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int xdplb_balancer_open(struct xdplb_balancer *b, const char *ifname)
{
	size_t n = XDPLB_TABLE_MAX;
	struct stat st;

	xdplb_instance_init(&b->in);
	b->s = calloc(1, sizeof(*b->s));
	if (!b->s || xdplb_pins_open(ifname, &b->in) || b->in.state != XDPLB_STATE_LIVE ||
	    xdplb_instance_map_config(&b->in) || stat(b->in.dir, &st)) {
		pr_err("--balance: %s: cannot open the instance", ifname);
		return -ENOENT;
	}
	b->dir_ino = st.st_ino;
	xdplb_pressure_init(&b->pressure);
	b->slots = xdplb_map_mmap(b->in.map_fd[XDPLB_M_slots], n * sizeof(*b->slots));
	b->bal = xdplb_map_mmap(b->in.map_fd[XDPLB_M_bal], sizeof(*b->bal));
	b->table = calloc(n, sizeof(__u32));
	b->written = calloc(n, sizeof(__u32));
	b->prev_packets = calloc(n, sizeof(__u64));
	b->delta = calloc(n, sizeof(__u64));
	b->held_rounds = calloc(n, sizeof(__u32));
	b->origin = calloc(n, sizeof(__u32));
	b->cooldown = calloc(n, sizeof(__u32));
	b->blocked = calloc(n, sizeof(bool));
	b->pressure_move = calloc(n, sizeof(bool));
	if (!b->slots || !b->bal || !b->table || !b->written || !b->prev_packets || !b->delta ||
	    !b->held_rounds || !b->origin || !b->cooldown || !b->blocked || !b->pressure_move) {
		pr_err("--balance: %s: out of memory or mmap failed", ifname);
		return -ENOMEM;
	}
	return 0;
}

static void xdplb_balancer_close(struct xdplb_balancer *b)
{
	if (b->slots)
		munmap(b->slots, XDPLB_TABLE_MAX * sizeof(*b->slots));
	if (b->bal)
		munmap(b->bal, sizeof(*b->bal));
	xdplb_instance_close(&b->in);
	if (b->have_snap)
		xdplb_snapshot_free(&b->prev_snap);
	free(b->s);
	free(b->table);
	free(b->written);
	free(b->prev_packets);
	free(b->delta);
	free(b->held_rounds);
	free(b->origin);
	free(b->cooldown);
	free(b->blocked);
	free(b->pressure_move);
}

static __u64 xdplb_now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Held slots: released once the hold let go (a move done), called off after too many
 * rounds without a gap (the table goes back to where the frames still go). Returns
 * whether the table changed. */
static bool xdplb_tend_holds(struct xdplb_balancer *b)
{
	bool changed = false;
	__u32 i, held = 0;

	for (i = 0; i < b->size; i++) {
		struct xdplb_slot *st = &b->slots[i];
		__u32 cur = __atomic_load_n(&st->cur, __ATOMIC_ACQUIRE);

		if (b->cooldown[i])
			b->cooldown[i]--;
		if (!__atomic_load_n(&st->held, __ATOMIC_ACQUIRE))
			continue;
		if (cur == b->table[i]) {
			__atomic_store_n(&st->held, 0, __ATOMIC_RELEASE);
			b->bal->moves += b->origin[i] != cur;
			b->bal->pressure_moves += b->origin[i] != cur && b->pressure_move[i];
			b->held_rounds[i] = 0;
			continue;
		}
		held++;
		if (++b->held_rounds[i] == 1)
			b->bal->deferred++;
		if (b->held_rounds[i] >= XDPLB_BAL_HOLD_ROUNDS) {
			b->table[i] = cur;
			changed = true;
		}
	}
	b->bal->held_now = held;
	return changed;
}

/* Reads the live table; a table this balancer did not write means a reconfiguration ran:
 * the balancer re-bases on it (the reconfiguration wins). */
static int xdplb_read_live(struct xdplb_balancer *b)
{
	struct xdplb_config *cfg = b->in.config;
	__u32 active = __atomic_load_n(&cfg->active, __ATOMIC_ACQUIRE) & 1;
	int err;

	b->size = cfg->half[active].table_mask + 1;
	err = xdplb_table_read_half(b->in.map_fd[XDPLB_M_table], active, b->table, b->size);
	if (err)
		return err;
	/* Another half live, or other slots: a reconfiguration flipped, even one that gave
	 * back the very table this balancer left. */
	if (b->have_written && (active != b->written_active ||
				memcmp(b->table, b->written, b->size * sizeof(__u32)))) {
		b->bal->rebases++;
		pr_info("%s: the table was reconfigured: balancing from the new one", b->in.ifname);
	}
	return 0;
}

static void xdplb_take_deltas(struct xdplb_balancer *b)
{
	__u32 i;

	for (i = 0; i < b->size; i++) {
		__u64 p = __atomic_load_n(&b->slots[i].packets, __ATOMIC_RELAXED);

		b->delta[i] = p >= b->prev_packets[i] ? p - b->prev_packets[i] : 0;
		b->prev_packets[i] = p;
		b->blocked[i] = b->cooldown[i] || __atomic_load_n(&b->slots[i].held, __ATOMIC_RELAXED);
	}
}

/* Holds each moved slot on its current target, then gives it the new one. */
static void xdplb_hold(struct xdplb_balancer *b, const struct xdplb_bal_move *m, __u32 n)
{
	__u64 now = xdplb_now_ns(CLOCK_MONOTONIC);
	__u32 i;

	for (i = 0; i < n; i++) {
		struct xdplb_slot *st = &b->slots[m[i].slot];

		st->cur = b->table[m[i].slot];
		st->last_ns = now;
		st->done_ns = 0;
		__atomic_store_n(&st->inflight, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&st->held, 1, __ATOMIC_RELEASE);
		b->origin[m[i].slot] = st->cur;
		b->pressure_move[m[i].slot] = m[i].pressure;
		b->held_rounds[m[i].slot] = 0;
		b->cooldown[m[i].slot] = XDPLB_BAL_COOLDOWN_ROUNDS;
		b->table[m[i].slot] = m[i].to;
		pr_debug("%s: slot %u: cpu %u -> cpu %u (%s)", b->in.ifname, m[i].slot, st->cur, m[i].to,
			 m[i].pressure ? "pressure" : "shares");
	}
}

/* Which targets pressure shed load off lately, before the plan; after it, the moves it
 * made off pressure start the count again for their old target. */
static void xdplb_shed_before(struct xdplb_balancer *b, struct xdplb_bal_target *t)
{
	__u32 i;

	for (i = 0; i < b->s->n_targets; i++)
		t[i].shed = t[i].key < XDPLB_MAX_CPUS && b->shed_rounds[t[i].key] &&
			    b->shed_rounds[t[i].key]--;
}

static void xdplb_shed_after(struct xdplb_balancer *b, const struct xdplb_bal_move *m, __u32 n)
{
	__u32 i, from;

	for (i = 0; i < n; i++) {
		from = b->table[m[i].slot];
		if (m[i].pressure && from < XDPLB_MAX_CPUS)
			b->shed_rounds[from] = XDPLB_BAL_SHED_ROUNDS;
	}
}

static int xdplb_round(struct xdplb_balancer *b, __u32 max_moves)
{
	struct xdplb_bal_target t[XDPLB_MAX_CPUS];
	struct xdplb_bal_move m[1024];
	bool changed;
	__u64 gap;
	__u32 n = 0;
	int err;

	err = xdplb_instance_settings(&b->in, b->s);
	if (!err)
		err = xdplb_read_live(b);
	if (!err)
		err = xdplb_snapshot_read(&b->in, b->s, &b->snap);
	if (err)
		return err;
	changed = xdplb_tend_holds(b);
	xdplb_take_deltas(b);
	xdplb_pressure_measure(&b->pressure, &b->in, b->s, &b->snap, b->have_snap ? &b->prev_snap : NULL,
			       t, &gap);
	__atomic_store_n(&b->bal->gap_ns, gap, __ATOMIC_RELAXED);
	xdplb_shed_before(b, t);
	if (b->have_snap && b->s->n_targets <= XDPLB_MAX_CPUS)
		n = xdplb_balance_plan(t, b->s->n_targets, b->table, b->delta, b->blocked, b->size,
				       max_moves, m);
	xdplb_shed_after(b, m, n);
	if (b->have_snap)
		xdplb_snapshot_free(&b->prev_snap);
	b->prev_snap = b->snap;
	b->have_snap = true;
	xdplb_hold(b, m, n);
	if (changed || n)
		err = xdplb_flip_table(&b->in, b->table);
	memcpy(b->written, b->table, b->size * sizeof(__u32));
	b->written_active = __atomic_load_n(&b->in.config->active, __ATOMIC_ACQUIRE) & 1;
	b->have_written = true;
	b->bal->rounds++;
	b->bal->last_round_ns = xdplb_now_ns(CLOCK_REALTIME);
	return err;
}

/* The instance is gone when its pin directory is (detach) or is another one (re-attach). */
static bool xdplb_instance_gone(const struct xdplb_balancer *b)
{
	struct stat st;

	return stat(b->in.dir, &st) || st.st_ino != b->dir_ino;
}

static void xdplb_balance_signals(void)
{
	struct sigaction sa = { .sa_handler = xdplb_balance_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static int xdplb_balance_loop(struct xdplb_balancer *b, const struct xdplb_opts *o)
{
	struct timespec pause = { o->balance_interval_ms / 1000,
				  (o->balance_interval_ms % 1000) * 1000000L };
	int err = 0, lock;

	while (!xdplb_balance_stop) {
		if (xdplb_instance_gone(b)) {
			pr_err("--balance: %s: the instance was detached or replaced: stopping", o->ifname);
			return -ENOENT;
		}
		lock = xdplb_pins_lock();
		if (lock < 0)
			return lock;
		err = xdplb_round(b, o->balance_max_moves);
		xdplb_pins_unlock(lock);
		if (err) {
			pr_err("--balance: %s: round failed: %s", o->ifname, strerror(-err));
			return err;
		}
		nanosleep(&pause, NULL);
	}
	return 0;
}

int xdplb_balance_run(const struct xdplb_opts *o, int lock_fd)
{
	struct xdplb_balancer *b = calloc(1, sizeof(*b));
	int err;

	if (!b)
		return -ENOMEM;
	xdplb_balance_signals();
	err = xdplb_balancer_open(b, o->ifname);
	if (!err) {
		b->bal->pid = (__u32)getpid();
		pr_info("%s: balancing every %u ms (SIGTERM stops; the table stays)", o->ifname,
			o->balance_interval_ms);
		err = xdplb_balance_loop(b, o);
		b->bal->pid = 0;
	}
	xdplb_balancer_close(b);
	free(b);
	close(lock_fd);
	return err;
}
