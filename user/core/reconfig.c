// SPDX-License-Identifier: GPL-2.0
/* reconfig.c: live change of targets, weights, queue sizes, hash and remote program.
 * Order is what makes it loss-free: a packet can only be steered to an entry that exists,
 * because entries are added before any table names them and removed only after no live
 * table half names them any more. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <net/if.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "core/journal.h"
#include "core/maglev.h"
#include "core/reconfig.h"
#include "core/table.h"
#include "sys/log.h"

/* After the flip, a packet already past the config read still uses the old half. XDP
 * programs run to completion within microseconds inside one NAPI poll; this much longer
 * wait covers them before retired entries disappear. */
#define XDPLB_RETIRE_DELAY_NS	(20 * 1000 * 1000)

static const struct xdplb_target *xdplb_find_target(const struct xdplb_settings *s,
						    const struct xdplb_target *t)
{
	__u32 i;

	for (i = 0; i < s->n_targets; i++)
		if (s->targets[i].kind == t->kind && s->targets[i].id == t->id)
			return &s->targets[i];
	return NULL;
}

__u32 xdplb_target_key(const struct xdplb_target *t)
{
	return t->kind == XDPLB_TARGET_CPU ? t->id : t->slot;
}

void xdplb_assign_slots(const struct xdplb_settings *old, struct xdplb_settings *new)
{
	bool used[XDPLB_PORT_SLOTS] = { false };
	const struct xdplb_target *prev;
	__u32 i, slot = 0;

	for (i = 0; i < old->n_targets; i++)
		if (old->targets[i].kind == XDPLB_TARGET_PORT && old->targets[i].slot < XDPLB_PORT_SLOTS)
			used[old->targets[i].slot] = true;
	for (i = 0; i < new->n_targets; i++) {
		struct xdplb_target *t = &new->targets[i];

		if (t->kind != XDPLB_TARGET_PORT)
			continue;
		prev = xdplb_find_target(old, t);
		if (prev) {
			t->slot = prev->slot;
			continue;
		}
		/* At most XDPLB_MAX_PORTS old and as many new: a free slot always exists. */
		while (slot < XDPLB_PORT_SLOTS - 1 && used[slot])
			slot++;
		used[slot] = true;
		t->slot = slot;
	}
}

/* Ports are also entered in the events' ifindex -> key map: xdp_devmap_xmit names the
 * device, and its counters belong to the slot. */
static int xdplb_port_set(struct xdplb_instance *in, __u32 slot, __u32 ifindex, __u32 ix_key,
			  const char *ifname)
{
	struct bpf_devmap_val dv = { .ifindex = ifindex };

	if (bpf_map_update_elem(in->map_fd[XDPLB_M_port_ix], &ifindex, &ix_key, 0) ||
	    bpf_map_update_elem(in->map_fd[XDPLB_M_ports], &slot, &dv, 0)) {
		pr_err("port %s: devmap entry %u: %s", ifname, slot, strerror(errno));
		return -errno;
	}
	return 0;
}

static void xdplb_port_delete(struct xdplb_instance *in, __u32 slot, __u32 ifindex)
{
	if (bpf_map_delete_elem(in->map_fd[XDPLB_M_ports], &slot) && errno != ENOENT)
		pr_err("retire port entry %u: %s", slot, strerror(errno));
	bpf_map_delete_elem(in->map_fd[XDPLB_M_port_ix], &ifindex);
}

static int xdplb_entry_set(struct xdplb_instance *in, const struct xdplb_settings *s,
			   const struct xdplb_target *t)
{
	__u32 key = xdplb_target_key(t);
	struct bpf_cpumap_val cv = {};

	if (t->kind == XDPLB_TARGET_PORT)
		return xdplb_port_set(in, key, t->id, key, t->ifname);
	cv.qsize = t->qsize;
	if (s->remote != XDPLB_REMOTE_NONE)
		cv.bpf_prog.fd = in->remote_fd[s->remote];
	else if (s->balance)	/* the pass program tells --balance a frame left the queue */
		cv.bpf_prog.fd = in->remote_fd[XDPLB_REMOTE_PASS];
	if (!bpf_map_update_elem(in->map_fd[XDPLB_M_cpus], &key, &cv, 0))
		return 0;
	pr_err("--cpus: CPU %u: cpumap entry (qsize %u): %s", key, t->qsize, strerror(errno));
	return -errno;
}

static void xdplb_entry_delete(struct xdplb_instance *in, const struct xdplb_target *t)
{
	__u32 key = xdplb_target_key(t);

	if (t->kind == XDPLB_TARGET_PORT) {
		xdplb_port_delete(in, key, t->id);
		return;
	}
	if (bpf_map_delete_elem(in->map_fd[XDPLB_M_cpus], &key) && errno != ENOENT)
		pr_err("retire entry %u: %s", key, strerror(errno));
}

/* An entry needs writing when it is new or its value (queue, remote program) changes. A
 * port keeps its slot and ifindex, so a kept port never changes. */
static bool xdplb_entry_changes(const struct xdplb_settings *old, const struct xdplb_settings *new,
				const struct xdplb_target *t)
{
	const struct xdplb_target *prev = xdplb_find_target(old, t);

	if (!prev)
		return true;
	if (t->kind == XDPLB_TARGET_PORT)
		return false;
	return prev->qsize != t->qsize || old->remote != new->remote;
}

/* --remote redirect:IF: the port must be in the devmap before a cpumap entry runs the
 * program that sends to it. */
static int xdplb_remote_port_set(struct xdplb_instance *in, const struct xdplb_settings *s)
{
	if (s->remote != XDPLB_REMOTE_REDIRECT)
		return 0;
	return xdplb_port_set(in, XDPLB_REMOTE_PORT_SLOT, s->remote_ifindex,
			      XDPLB_REMOTE_PORT_KEY, s->remote_ifname);
}

/* Takes out what `from` had and `to` does not: the slot when `to` sends to no port, the
 * counter key of a port `to` no longer sends to. */
static void xdplb_remote_port_clear(struct xdplb_instance *in, const struct xdplb_settings *from,
				    const struct xdplb_settings *to)
{
	if (from->remote != XDPLB_REMOTE_REDIRECT)
		return;
	if (to->remote != XDPLB_REMOTE_REDIRECT)
		xdplb_port_delete(in, XDPLB_REMOTE_PORT_SLOT, from->remote_ifindex);
	else if (to->remote_ifindex != from->remote_ifindex)
		bpf_map_delete_elem(in->map_fd[XDPLB_M_port_ix], &from->remote_ifindex);
}

static __u32 xdplb_default_target(const struct xdplb_settings *s)
{
	if (s->target_kind != XDPLB_TARGET_PORT || s->pass_non_ip || !s->n_targets)
		return XDPLB_NO_TARGET;
	return s->targets[0].slot;
}

/* The half's flags: frames for the CPU they arrive on go to its stack there, unless a
 * --remote program must run on every frame of a target CPU (XDPLB_HASH_F_LOCAL). */
static __u32 xdplb_half_mode(const struct xdplb_settings *s)
{
	if (s->target_kind == XDPLB_TARGET_CPU && s->remote == XDPLB_REMOTE_NONE)
		return s->hash_mode | XDPLB_HASH_F_LOCAL;
	return s->hash_mode;
}

/* The half's table is `table`: with one target in every slot the data path skips the hash
 * and the table (XDPLB_HASH_F_ONE_TARGET), in the same flip that publishes the table. */
static void xdplb_half_set_table(struct xdplb_half *half, const __u32 *table, __u32 size)
{
	__u32 i;

	for (i = 1; i < size && table[i] == table[0]; i++)
		;
	half->hash_mode &= ~XDPLB_HASH_F_ONE_TARGET;
	half->one_target = XDPLB_NO_TARGET;
	if (size && i == size) {
		half->hash_mode |= XDPLB_HASH_F_ONE_TARGET;
		half->one_target = table[0];
	}
}

__u64 xdplb_fnv1a(const char *s)
{
	__u64 h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

int xdplb_build_table(const struct xdplb_settings *s, __u32 *table)
{
	struct xdplb_maglev_target mt[XDPLB_MAX_TARGETS];
	__u32 i;

	for (i = 0; i < s->n_targets; i++) {
		const struct xdplb_target *t = &s->targets[i];

		/* Ports are known by name, not ifindex, so another node agrees on them. */
		mt[i].key = t->kind == XDPLB_TARGET_CPU ? t->id : xdplb_fnv1a(t->ifname);
		mt[i].value = xdplb_target_key(t);
		mt[i].weight = t->weight;
	}
	return xdplb_maglev_build(mt, s->n_targets, table, s->table_size);
}

static int xdplb_write_table(struct xdplb_instance *in, __u32 half, const __u32 *table,
			     __u32 size)
{
	int err = xdplb_table_write_half(in->map_fd[XDPLB_M_table], half, table, size);

	if (err)
		pr_err("table: write: %s", strerror(-err));
	return err;
}

static int xdplb_write_targets(struct xdplb_instance *in, const struct xdplb_settings *s)
{
	__u32 i;

	for (i = 0; i < s->n_targets; i++)
		if (bpf_map_update_elem(in->map_fd[XDPLB_M_targets], &i, &s->targets[i], 0))
			return -errno;
	in->meta.n_targets = s->n_targets;
	in->meta.remote = s->remote;
	in->meta.table_size = s->table_size;
	in->meta.remote_ifindex = s->remote == XDPLB_REMOTE_REDIRECT ? s->remote_ifindex : 0;
	memset(in->meta.remote_ifname, 0, sizeof(in->meta.remote_ifname));
	if (s->remote == XDPLB_REMOTE_REDIRECT)
		memcpy(in->meta.remote_ifname, s->remote_ifname, sizeof(in->meta.remote_ifname));
	return xdplb_instance_write_meta(in);
}

static void xdplb_rollback_entries(struct xdplb_instance *in, const struct xdplb_settings *old,
				   const struct xdplb_settings *new, __u32 done)
{
	__u32 i;

	for (i = 0; i < done; i++) {
		const struct xdplb_target *t = &new->targets[i];
		const struct xdplb_target *prev = xdplb_find_target(old, t);

		if (!xdplb_entry_changes(old, new, t))
			continue;
		if (prev)
			xdplb_entry_set(in, old, prev);
		else
			xdplb_entry_delete(in, t);
	}
	xdplb_remote_port_clear(in, new, old);
	xdplb_remote_port_set(in, old);
}

int xdplb_apply(struct xdplb_instance *in, const struct xdplb_settings *old,
		const struct xdplb_settings *new)
{
	struct timespec retire = { 0, XDPLB_RETIRE_DELAY_NS };
	struct xdplb_config *cfg = in->config;
	__u32 i, inactive, *table;
	int err = 0;

	table = calloc(new->table_size, sizeof(*table));
	if (!table)
		return -ENOMEM;
	err = xdplb_build_table(new, table);
	if (err) {
		pr_err("table: build: %s", strerror(-err));
		goto out;
	}

	err = xdplb_remote_port_set(in, new);
	if (err) {
		xdplb_rollback_entries(in, old, new, 0);
		goto out;
	}
	for (i = 0; i < new->n_targets; i++) {
		if (!xdplb_entry_changes(old, new, &new->targets[i]))
			continue;
		err = xdplb_entry_set(in, new, &new->targets[i]);
		if (err) {
			xdplb_rollback_entries(in, old, new, i);
			goto out;
		}
	}

	inactive = !(cfg->active & 1);
	err = xdplb_write_table(in, inactive, table, new->table_size);
	if (err) {
		xdplb_rollback_entries(in, old, new, new->n_targets);
		goto out;
	}
	cfg->half[inactive].seed = new->seed;
	cfg->half[inactive].hash_mode = xdplb_half_mode(new);
	cfg->half[inactive].table_mask = new->table_size - 1;
	cfg->half[inactive].default_target = xdplb_default_target(new);
	xdplb_half_set_table(&cfg->half[inactive], table, new->table_size);
	cfg->abi_version = XDPLB_ABI_VERSION;
	/* The flip: one aligned 4-byte store, ordered after the half it publishes. */
	__atomic_store_n(&cfg->active, inactive, __ATOMIC_RELEASE);
	pr_debug("table: %u slots in half %u is live", new->table_size, inactive);

	if (old->n_targets) {
		nanosleep(&retire, NULL);
		for (i = 0; i < old->n_targets; i++)
			if (!xdplb_find_target(new, &old->targets[i]))
				xdplb_entry_delete(in, &old->targets[i]);
		xdplb_remote_port_clear(in, old, new);
	}
	err = xdplb_write_targets(in, new);
out:
	free(table);
	return err;
}

/* Settings that claim every possible CPU with an impossible queue size: applying the
 * previous settings over them rewrites each of its entries and removes every other, so
 * the result does not depend on how far a dying applier got. */
static void xdplb_cpus_unknown(struct xdplb_settings *s, const struct xdplb_settings *prev)
{
	int n = libbpf_num_possible_cpus(), i;

	*s = *prev;
	s->n_targets = 0;
	for (i = 0; i < n && i < XDPLB_MAX_TARGETS; i++)
		s->targets[s->n_targets++] = (struct xdplb_target){ .kind = XDPLB_TARGET_CPU, .id = i };
}

static bool xdplb_prev_has_port(const struct xdplb_settings *prev, __u32 ifindex, __u32 slot)
{
	__u32 i;

	for (i = 0; i < prev->n_targets; i++)
		if (prev->targets[i].id == ifindex || prev->targets[i].slot == slot)
			return true;
	return false;
}

/* Port mode: what the devmap may hold, whatever its applier got to. Every port of the
 * instance's ifindex -> slot map (entered before its devmap entry, removed after it) that
 * prev does not have is claimed, so applying prev over these settings retires it; prev's
 * ports are rewritten, except one that is gone: a vanished device cannot be entered again,
 * so it is claimed as it is and comes back the way a port that disappears is kept (its
 * flows counted missing and left to the stack). */
static void xdplb_ports_unknown(const struct xdplb_instance *in, struct xdplb_settings *s,
				const struct xdplb_settings *prev)
{
	int fd = in->map_fd[XDPLB_M_port_ix];
	__u32 key, next, slot, i;
	char name[IF_NAMESIZE];
	void *at = NULL;

	*s = *prev;
	s->n_targets = 0;
	while (s->n_targets < XDPLB_MAX_TARGETS && !bpf_map_get_next_key(fd, at, &next)) {
		key = next;
		at = &key;
		if (bpf_map_lookup_elem(fd, &key, &slot) || slot >= XDPLB_PORT_SLOTS ||
		    xdplb_prev_has_port(prev, key, slot))
			continue;
		s->targets[s->n_targets++] = (struct xdplb_target){ .kind = XDPLB_TARGET_PORT,
								    .id = key, .slot = slot };
	}
	for (i = 0; i < prev->n_targets && s->n_targets < XDPLB_MAX_TARGETS; i++) {
		const struct xdplb_target *t = &prev->targets[i];

		if (if_indextoname(t->id, name) && !strcmp(name, t->ifname))
			continue;
		s->targets[s->n_targets++] = *t;
		pr_info("%s: port %s is gone: kept as missing, its flows left to %s's stack",
			in->ifname, t->ifname, in->ifname);
	}
}

void xdplb_settings_unknown(const struct xdplb_instance *in, struct xdplb_settings *s,
			   const struct xdplb_settings *target)
{
	if (target->target_kind == XDPLB_TARGET_PORT)
		xdplb_ports_unknown(in, s, target);
	else
		xdplb_cpus_unknown(s, target);
}

int xdplb_change(struct xdplb_instance *in, const struct xdplb_settings *old,
		 const struct xdplb_settings *new)
{
	int err = xdplb_journal_begin(in, new);

	if (err)
		return err;
	err = xdplb_apply(in, old, new);
	/* Made, or rolled back to old: either way nothing is pending any more. */
	xdplb_journal_end(in);
	return err;
}

int xdplb_flip_table(struct xdplb_instance *in, const __u32 *table)
{
	struct xdplb_config *cfg = in->config;
	__u32 active = cfg->active & 1, inactive = !active;
	int err;

	err = xdplb_write_table(in, inactive, table, cfg->half[active].table_mask + 1);
	if (err)
		return err;
	cfg->half[inactive] = cfg->half[active];
	xdplb_half_set_table(&cfg->half[inactive], table, cfg->half[active].table_mask + 1);
	__atomic_store_n(&cfg->active, inactive, __ATOMIC_RELEASE);
	return 0;
}
