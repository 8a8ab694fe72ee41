// SPDX-License-Identifier: GPL-2.0
/* attach.c: the attach controller. A fresh attach and a live reconfiguration share one
 * path: plan (read the running instance if any, merge the settings, guard, refuse a
 * foreign program, clear stale pins) and apply (ready the ports in a dry run, arm the
 * --confirm revert, ready them for real, then apply over the running settings or attach
 * new). Nothing is changed before the plan holds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "cmd/attach.h"
#include "cmd/balance.h"
#include "cmd/locked.h"
#include "cmd/settings.h"
#include "core/guard.h"
#include "core/lifecycle.h"
#include "core/names.h"
#include "core/pins.h"
#include "core/reconfig.h"
#include "core/revert.h"
#include "sys/dispatcher.h"
#include "sys/egress.h"
#include "sys/iface.h"
#include "sys/log.h"

/* One attach: what it asks for, what runs, what it arms. */
struct xdplb_attach {
	const struct xdplb_opts *o;
	int ifindex;
	struct xdplb_resolved r;
	bool live;			/* reconfiguring a running instance: old is its settings */
	struct xdplb_settings old;
	struct xdplb_settings new;
	struct xdplb_instance in;
	struct xdplb_revert revert;	/* --confirm: what the revert process restores */
	bool revert_armed;
	int balance_fd;			/* --balance: the instance's balancer lock, held */
};

int xdplb_resolve(const char *flag, const char *ifname, __u32 *ifindex)
{
	*ifindex = if_nametoindex(ifname);
	if (!*ifindex)
		return usage_err(flag, ifname, "no such interface in this network namespace (see ip link)");
	return 0;
}

/* The receiving interface, --redirect's ports and --remote's port, in this namespace. */
static int xdplb_resolve_ifaces(struct xdplb_attach *a)
{
	const struct xdplb_opts *o = a->o;
	__u32 ifindex;
	size_t i;
	int err;

	err = xdplb_resolve(o->redirect_set ? "--redirect" : "--iface", o->ifname, &ifindex);
	a->ifindex = (int)ifindex;
	for (i = 0; !err && o->redirect_set && i < o->redirect.n_ports; i++)
		err = xdplb_resolve("--redirect", o->redirect.ports[i].ifname, &a->r.port_ifindex[i]);
	if (!err && o->remote == XDPLB_REMOTE_REDIRECT) {
		err = xdplb_resolve("--remote", o->remote_port, &a->r.remote_ifindex);
		if (!err && a->r.remote_ifindex == ifindex)
			err = usage_err("--remote", o->remote_port, "%s is the receiving interface; "
					"redirect:IF needs another interface", o->ifname);
	}
	return err;
}

/* Checks --cpus against the CPUs this machine has online. */
static int xdplb_check_cpus(struct xdplb_attach *a)
{
	static bool online[XDPLB_MAX_CPUS];
	int ncpus = libbpf_num_possible_cpus();

	if (ncpus <= 0 || xdplb_read_online_cpus(online, XDPLB_MAX_CPUS)) {
		pr_err("CPUs: cannot read the online and possible CPUs");
		return -EIO;
	}
	return xdplb_parse_cpulist(a->o->cpus, online, (size_t)ncpus, a->r.cpus, &a->r.n_cpus);
}

/* Refuses to touch an interface whose XDP slot holds something that is not ours, and says
 * what is there and what the user can do about it. */
static int xdplb_check_foreign(struct xdplb_attach *a)
{
	const char *ifname = a->o->ifname;
	struct xdplb_xdp_state st;
	char why[160];
	int err = xdplb_xdp_query(a->ifindex, &st);

	if (err) {
		pr_err("--iface: %s: cannot query its XDP program: %s", ifname, strerror(-err));
		return err;
	}
	/* Ours, of an instance broken or orphaned: removed below, then replaced. */
	if (!st.attached_id || st.is_dispatcher || st.attached_id == a->in.run_id)
		return 0;
	/* A lone program owns the XDP slot; two can share it only inside libxdp's
	 * dispatcher, and only where the kernel can run one. */
	if (xdplb_dispatcher_probe(why, sizeof(why)))
		pr_err("--iface: %s: runs another XDP program, '%s' (id %u, %s mode), which xdplb leaves alone: "
		       "remove it if nothing needs it (ip link set dev %s xdp off) or use another interface; "
		       "sharing the interface needs libxdp's dispatcher, which this kernel cannot run (%s)",
		       ifname, st.name, st.attached_id, xdplb_mode_name(st.attach_mode), ifname, why);
	else
		pr_err("--iface: %s: runs another XDP program, '%s' (id %u, %s mode) loaded without libxdp, which xdplb leaves alone: "
		       "remove it if nothing needs it (ip link set dev %s xdp off), or load it again through libxdp "
		       "(xdp-loader load) and xdplb will run after it (run priority %d)",
		       ifname, st.name, st.attached_id, xdplb_mode_name(st.attach_mode), ifname, XDPLB_RUN_PRIO);
	return -EBUSY;
}

/* A change made with --confirm must be confirmed or reverted before the next one, or the
 * revert would undo both. */
static int xdplb_check_pending(const char *ifname)
{
	long long ms = xdplb_revert_pending(ifname, NULL);

	if (ms < 0)
		return 0;
	pr_err("--iface: %s: a change made with --confirm is waiting for confirmation (%lld s left): "
	       "keep it first (xdplb --confirm-ok --iface %s) or let it revert", ifname,
	       (ms + 999) / 1000, ifname);
	return -EBUSY;
}

/* What the pins on the interface allow: a live instance of ours to reconfigure, nothing
 * (or stale pins) to attach over, or a refusal. have is xdplb_pins_open()'s result. */
static int xdplb_check_pins(struct xdplb_attach *a, int have)
{
	const char *ifname = a->o->ifname;

	if (!have && a->in.state == XDPLB_STATE_ELSEWHERE) {
		pr_err("--iface: %s: an xdplb instance of another network namespace (netns inode %llu) "
		       "holds %s/%s: rename the interface, or detach it in its namespace",
		       ifname, (unsigned long long)a->in.meta.netns_ino, xdplb_pin_root(), ifname);
		return -EEXIST;
	}
	if (!have && a->in.other_abi) {
		pr_err("--iface: %s: runs an xdplb instance of another version (ABI %u, this xdplb "
		       "is ABI %u): xdplb --detach --iface %s first", ifname, a->in.meta.abi_version,
		       XDPLB_ABI_VERSION, ifname);
		return -EBUSY;
	}
	a->live = !have && a->in.state == XDPLB_STATE_LIVE;
	return xdplb_check_pending(ifname);
}

/* Stale pins (interface or namespace gone) or unreadable ones: never trusted, replaced;
 * a program of theirs that still runs (broken pins, an orphan) goes with them. */
static int xdplb_clear_stale(struct xdplb_attach *a)
{
	int err;

	if (a->in.run_id)
		pr_info("%s: replacing the %s instance and its program %u", a->o->ifname,
			xdplb_state_name(a->in.state), a->in.run_id);
	else
		pr_info("%s: removing %s pins of a previous instance", a->o->ifname,
			xdplb_state_name(a->in.state));
	err = xdplb_detach(&a->in);
	xdplb_instance_close(&a->in);
	return err;
}

/* Every check, nothing changed but stale pins: the settings to apply in a->new. */
static int xdplb_attach_plan(struct xdplb_attach *a)
{
	const struct xdplb_opts *o = a->o;
	int have = xdplb_pins_open(o->ifname, &a->in);
	__u64 seed = 0;
	int err;

	err = xdplb_check_pins(a, have);
	if (!err && a->live)
		err = xdplb_instance_settings(&a->in, &a->old);
	if (!err && !a->live && !o->seed_set &&
	    getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		err = -errno;
	if (!err)
		err = xdplb_settings_build(o, &a->r, a->live ? &a->old : NULL, seed,
					   libbpf_num_possible_cpus(), &a->new);
	/* Counting per slot is fixed at attach: a running instance keeps what it has. */
	a->new.balance = a->live ? a->old.balance : o->balance;
	if (!err)
		err = xdplb_guard_check(o->ifname, a->ifindex, a->live ? &a->old : NULL, &a->new,
					o->force);
	/* A second balancer is refused before anything changes. */
	if (!err && a->live && o->balance) {
		a->balance_fd = xdplb_balance_claim(&a->in);
		err = a->balance_fd < 0 ? a->balance_fd : 0;
	}
	if (err || a->live)
		return err;
	err = xdplb_check_foreign(a);
	if (!err && !have)
		err = xdplb_clear_stale(a);
	return err;
}

/* Before any entry names a port: each port able to take frames. A dry run checks them all
 * before the real run changes the first, so a port that cannot be made ready leaves the
 * others as they were; it also notes the ports whose peer gets GRO, for a --confirm
 * revert to turn it off again. */
static int xdplb_prepare_port(struct xdplb_attach *a, const char *flag, const char *ifname,
			      __u32 ifindex, bool dry_run)
{
	struct xdplb_revert *rv = &a->revert;
	int ret = xdplb_egress_prepare(flag, ifname, ifindex, dry_run);

	if (ret > 0 && dry_run && rv->n_gro < XDPLB_MAX_PORTS + 1) {
		rv->gro[rv->n_gro].ifindex = ifindex;
		snprintf(rv->gro[rv->n_gro].ifname, IF_NAMESIZE, "%s", ifname);
		rv->n_gro++;
	}
	return ret < 0 ? ret : 0;
}

static int xdplb_prepare_ports(struct xdplb_attach *a, bool dry_run)
{
	const struct xdplb_settings *s = &a->new;
	int err = 0;
	__u32 i;

	for (i = 0; !err && s->target_kind == XDPLB_TARGET_PORT && i < s->n_targets; i++)
		err = xdplb_prepare_port(a, "--redirect", s->targets[i].ifname, s->targets[i].id,
					 dry_run);
	if (!err && s->remote == XDPLB_REMOTE_REDIRECT)
		err = xdplb_prepare_port(a, "--remote", s->remote_ifname, s->remote_ifindex, dry_run);
	return err;
}

/* Starts the revert process of --confirm before anything changes. */
static int xdplb_arm_revert(struct xdplb_attach *a)
{
	struct xdplb_revert *rv = &a->revert;
	struct xdplb_xdp_state st;

	if (!a->o->confirm_s)
		return 0;
	/* rv starts zeroed (a is calloc()ed) and holds the dry run's GRO ports already. */
	snprintf(rv->ifname, sizeof(rv->ifname), "%s", a->o->ifname);
	rv->ifindex = a->ifindex;
	rv->secs = a->o->confirm_s;
	rv->had_instance = a->live;
	if (a->live) {
		rv->prev = a->old;
		rv->prog_id = a->in.meta.prog_id;
	} else if (!xdplb_xdp_query(a->ifindex, &st)) {
		rv->prev_xdp_id = st.attached_id;
	}
	if (xdplb_revert_arm(rv))
		return -EIO;
	a->revert_armed = true;
	return 0;
}

/* Once the revert is armed, its process learns how the change ended. */
static int xdplb_applied(struct xdplb_attach *a, int err)
{
	if (a->revert_armed)
		xdplb_revert_report(&a->revert, err);
	if (err)
		a->revert_armed = false;
	return err;
}

/* The GRO this change turned on at its ports' peers: said once the change holds, turned
 * off again when it failed (the dry run found it off, so off is how it was). */
static void xdplb_settle_gro(const struct xdplb_attach *a, int err)
{
	const struct xdplb_revert *rv = &a->revert;
	__u32 i;

	for (i = 0; i < rv->n_gro; i++) {
		if (err)
			xdplb_egress_restore(rv->gro[i].ifname, rv->gro[i].ifindex);
		else
			pr_info("%s: turned GRO on at its veth peer so that it takes redirected frames",
				rv->gro[i].ifname);
	}
}

static int xdplb_attach_apply(struct xdplb_attach *a)
{
	int err = xdplb_prepare_ports(a, true);

	/* Armed before the config is mapped: the revert process inherits no mapping; and
	 * before GRO is turned on at a port's peer, which it turns off again. */
	if (!err)
		err = xdplb_arm_revert(a);
	if (err)
		return err;
	err = xdplb_prepare_ports(a, false);
	if (!err && a->live)
		err = xdplb_instance_map_config(&a->in);
	/* A balancer started with the running settings keeps the table it finds (its
	 * predecessor's moves): fail-static carries over. */
	if (!err && a->live && !(a->balance_fd >= 0 && xdplb_balance_keeps(&a->old, &a->new)))
		err = xdplb_change(&a->in, &a->old, &a->new);
	else if (!err && !a->live)
		err = xdplb_attach_new(a->o->ifname, a->ifindex, &a->new);
	if (!err && !a->live && a->o->balance) {
		a->balance_fd = xdplb_balance_claim_new(a->o->ifname);
		err = a->balance_fd < 0 ? a->balance_fd : 0;
	}
	xdplb_settle_gro(a, err);
	return xdplb_applied(a, err);
}

static int xdplb_attach_locked(void *arg)
{
	struct xdplb_attach *a = arg;
	int err = xdplb_attach_plan(a);

	if (!err)
		err = xdplb_attach_apply(a);
	if (!err && a->live)
		pr_debug("%s: reconfigured live: %u targets", a->o->ifname, a->new.n_targets);
	else if (!err)
		pr_debug("%s: attached in %s mode, %u targets, hash %s", a->o->ifname,
			 xdplb_mode_name(a->new.attach_mode), a->new.n_targets,
			 xdplb_hash_name(a->new.hash_mode));
	xdplb_instance_close(&a->in);
	return err;
}

int xdplb_attach_run(const struct xdplb_opts *o)
{
	struct xdplb_attach *a = calloc(1, sizeof(*a));
	int err;

	if (!a)
		return -ENOMEM;
	a->o = o;
	a->balance_fd = -1;
	xdplb_instance_init(&a->in);
	err = xdplb_resolve_ifaces(a);
	if (!err && !o->redirect_set)
		err = xdplb_check_cpus(a);
	if (!err)
		err = xdplb_run_locked(xdplb_attach_locked, a, false);
	/* Said after the lock is released: the revert process needs it, whatever becomes of
	 * this process while it writes. */
	if (!err && a->revert_armed)
		xdplb_revert_announce(&a->revert);
	/* --balance: the foreground balancer, outside the pins lock (it takes it per round). */
	if (!err && a->balance_fd >= 0)
		err = xdplb_balance_run(o, a->balance_fd);
	else if (a->balance_fd >= 0)
		close(a->balance_fd);
	free(a);
	return err;
}
