// SPDX-License-Identifier: GPL-2.0
/* settings.c: the merge of an attach's settings. Kept pure (the caller draws the seed and
 * counts the CPUs) so that the rules of "what a reconfiguration keeps" are unit-tested. */
#include <stdio.h>
#include <string.h>

#include <xdp/libxdp.h>

#include "cmd/settings.h"
#include "core/maglev.h"
#include "core/names.h"
#include "core/reconfig.h"
#include "sys/log.h"

static void xdplb_build_cpus(const struct xdplb_opts *o, const struct xdplb_resolved *r,
			     const struct xdplb_settings *old, struct xdplb_settings *s)
{
	size_t i;

	s->target_kind = XDPLB_TARGET_CPU;
	s->n_targets = r->n_cpus;
	for (i = 0; i < r->n_cpus; i++) {
		s->targets[i].kind = XDPLB_TARGET_CPU;
		s->targets[i].id = r->cpus[i].cpu;
		s->targets[i].weight = r->cpus[i].weight;
		s->targets[i].qsize = o->qsize_set || !old || !old->n_targets ? o->qsize :
				      old->targets[0].qsize;
	}
}

/* Port slots are given afterwards, once the running instance's are known. */
static void xdplb_build_ports(const struct xdplb_opts *o, const struct xdplb_resolved *r,
			      struct xdplb_settings *s)
{
	const struct xdplb_redirect_spec *spec = &o->redirect;
	size_t i;

	s->target_kind = XDPLB_TARGET_PORT;
	s->n_targets = spec->n_ports;
	for (i = 0; i < spec->n_ports; i++) {
		s->targets[i].kind = XDPLB_TARGET_PORT;
		s->targets[i].id = r->port_ifindex[i];
		s->targets[i].weight = spec->ports[i].weight;
		memcpy(s->targets[i].ifname, spec->ports[i].ifname, sizeof(s->targets[i].ifname));
	}
}

/* XDPLB_TABLE_SLOTS_PER_TARGET for each target the instance could ever steer to, so that
 * later changes stay near the ideal too. CPU mode counts the possible CPUs, not the ones
 * given: the size is kept across changes (a new size would move nearly every flow), and
 * --cpus may grow to all of them. */
__u32 xdplb_default_table_size(const struct xdplb_settings *s, int possible_cpus)
{
	return xdplb_maglev_default_size(s->target_kind == XDPLB_TARGET_PORT || possible_cpus <= 0 ?
					 s->n_targets : (__u32)possible_cpus);
}

/* --remote redirect:IF names a port; without --remote a running instance keeps its own. */
static void xdplb_build_remote(const struct xdplb_opts *o, const struct xdplb_resolved *r,
			       const struct xdplb_settings *old, struct xdplb_settings *s)
{
	s->remote = o->remote_set || !old ? o->remote : old->remote;
	if (o->remote == XDPLB_REMOTE_REDIRECT) {
		s->remote_ifindex = r->remote_ifindex;
		snprintf(s->remote_ifname, sizeof(s->remote_ifname), "%s", o->remote_port);
	} else if (old && !o->remote_set) {
		s->remote_ifindex = old->remote_ifindex;
		memcpy(s->remote_ifname, old->remote_ifname, sizeof(s->remote_ifname));
	}
}

/* What a running instance cannot become without a detach: the other kind of target, or
 * another attach mode. */
static int xdplb_check_keepable(const struct xdplb_opts *o, const struct xdplb_settings *old,
				const struct xdplb_settings *s)
{
	if (s->target_kind != old->target_kind)
		return usage_err(o->redirect_set ? "--redirect" : "--cpus", o->ifname,
				 "%s steers to %s; --detach first to steer to %s", o->ifname,
				 o->redirect_set ? "CPUs" : "ports", o->redirect_set ? "ports" : "CPUs");
	if (o->mode_set && o->attach_mode != XDP_MODE_UNSPEC && o->attach_mode != old->attach_mode)
		return usage_err("--mode", xdplb_mode_name(o->attach_mode),
				 "%s runs in %s mode; --detach first to change the mode",
				 o->ifname, xdplb_mode_name(old->attach_mode));
	return 0;
}

int xdplb_settings_build(const struct xdplb_opts *o, const struct xdplb_resolved *r,
			 const struct xdplb_settings *old, __u64 random_seed, int possible_cpus,
			 struct xdplb_settings *s)
{
	static const struct xdplb_settings none;	/* a fresh attach: no targets, no slots */
	int err;

	memset(s, 0, sizeof(*s));
	if (o->redirect_set)
		xdplb_build_ports(o, r, s);
	else
		xdplb_build_cpus(o, r, old, s);
	err = old ? xdplb_check_keepable(o, old, s) : 0;
	if (err)
		return err;
	xdplb_assign_slots(old ? old : &none, s);
	s->pass_non_ip = o->pass_non_ip;
	xdplb_build_remote(o, r, old, s);
	s->hash_mode = o->hash_set || !old ? o->hash_mode : old->hash_mode & XDPLB_HASH_MODE_MASK;
	if (o->inner_set ? o->inner : old && (old->hash_mode & XDPLB_HASH_F_INNER))
		s->hash_mode |= XDPLB_HASH_F_INNER;
	s->table_size = o->table_size_set || !old ? o->table_size : old->table_size;
	if (!s->table_size)
		s->table_size = xdplb_default_table_size(s, possible_cpus);
	s->attach_mode = old ? old->attach_mode : o->attach_mode;
	s->seed = o->seed_set ? o->seed : old ? old->seed : random_seed;
	return 0;
}
