// SPDX-License-Identifier: GPL-2.0
/* main.c: parses, validates everything against the machine before touching it, then
 * dispatches. The exit code is decided here: 0 ok, 1 runtime failure, 2 usage error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "cmd/check.h"
#include "cmd/config_file.h"
#include "cmd/options.h"
#include "cmd/status.h"
#include "cmd/watch.h"
#include "cmd/which.h"
#include "core/cpulist.h"
#include "core/guard.h"
#include "core/instance.h"
#include "core/lifecycle.h"
#include "core/maglev.h"
#include "core/names.h"
#include "core/pins.h"
#include "core/reconfig.h"
#include "core/revert.h"
#include "sys/dispatcher.h"
#include "sys/egress.h"
#include "sys/iface.h"
#include "sys/log.h"

/* All the tool's state for one invocation. */
struct xdplb_ctx {
	struct xdplb_opts opts;
	int ifindex;
	struct xdplb_cpu_weight cpus[XDPLB_MAX_CPUS];	/* --cpus, checked */
	size_t n_cpus;
	__u32 port_ifindex[XDPLB_MAX_PORTS];	/* --redirect's ports, resolved */
	__u32 remote_ifindex;			/* --remote redirect:IF, resolved */
	struct xdplb_settings old;	/* of a running instance, when reconfiguring */
	struct xdplb_settings new;
	struct xdplb_instance in;
	int lock_fd;
	struct xdplb_revert revert;	/* --confirm: what the revert process restores */
	bool revert_armed;
	struct xdplb_config_file config;	/* --config FILE, read */
	struct xdplb_flow which_flow;		/* --which's flow, parsed */
};

static int xdplb_exit_code(int err)
{
	if (!err)
		return XDPLB_EXIT_OK;
	return err == -XDPLB_EUSAGE ? XDPLB_EXIT_USAGE : XDPLB_EXIT_RUNTIME;
}

/* Loading BPF needs CAP_BPF (or CAP_SYS_ADMIN on older kernels), attaching XDP and
 * reading netlink CAP_NET_ADMIN. */
static int xdplb_check_privileges(void)
{
	if (xdplb_privileged())
		return 0;
	pr_err("privileges: uid %u lacks CAP_BPF/CAP_SYS_ADMIN and CAP_NET_ADMIN: run as root",
	       getuid());
	return -EPERM;
}

static int xdplb_resolve(const char *flag, const char *ifname, __u32 *ifindex)
{
	*ifindex = if_nametoindex(ifname);
	if (!*ifindex)
		return usage_err(flag, ifname, "no such interface in this network namespace (see ip link)");
	return 0;
}

/* The receiving interface, --redirect's ports and --remote's port, in this namespace. */
static int xdplb_resolve_ifaces(struct xdplb_ctx *ctx)
{
	const struct xdplb_opts *o = &ctx->opts;
	__u32 ifindex;
	size_t i;
	int err;

	err = xdplb_resolve(o->redirect_set ? "--redirect" : "--iface", o->ifname, &ifindex);
	ctx->ifindex = (int)ifindex;
	for (i = 0; !err && o->redirect_set && i < o->redirect.n_ports; i++)
		err = xdplb_resolve("--redirect", o->redirect.ports[i].ifname, &ctx->port_ifindex[i]);
	if (!err && o->remote == XDPLB_REMOTE_REDIRECT) {
		err = xdplb_resolve("--remote", o->remote_port, &ctx->remote_ifindex);
		if (!err && ctx->remote_ifindex == ifindex)
			err = usage_err("--remote", o->remote_port, "%s is the receiving interface; "
					"redirect:IF needs another interface", o->ifname);
	}
	return err;
}

/* Checks --cpus against the CPUs this machine has online. */
static int xdplb_check_cpus(struct xdplb_ctx *ctx)
{
	static bool online[XDPLB_MAX_CPUS];
	int ncpus = libbpf_num_possible_cpus();

	if (ncpus <= 0 || xdplb_read_online_cpus(online, XDPLB_MAX_CPUS)) {
		pr_err("CPUs: cannot read the online and possible CPUs");
		return -EIO;
	}
	return xdplb_parse_cpulist(ctx->opts.cpus, online, (size_t)ncpus, ctx->cpus, &ctx->n_cpus);
}

static void xdplb_build_cpus(struct xdplb_ctx *ctx, bool running)
{
	const struct xdplb_opts *o = &ctx->opts;
	struct xdplb_settings *s = &ctx->new;
	size_t i;

	s->target_kind = XDPLB_TARGET_CPU;
	s->n_targets = ctx->n_cpus;
	for (i = 0; i < ctx->n_cpus; i++) {
		s->targets[i].kind = XDPLB_TARGET_CPU;
		s->targets[i].id = ctx->cpus[i].cpu;
		s->targets[i].weight = ctx->cpus[i].weight;
		s->targets[i].qsize = o->qsize_set || !running ? o->qsize : ctx->old.targets[0].qsize;
	}
}

/* Port slots are given later, once the running instance's are known. */
static void xdplb_build_ports(struct xdplb_ctx *ctx)
{
	const struct xdplb_redirect_spec *r = &ctx->opts.redirect;
	struct xdplb_settings *s = &ctx->new;
	size_t i;

	s->target_kind = XDPLB_TARGET_PORT;
	s->n_targets = r->n_ports;
	for (i = 0; i < r->n_ports; i++) {
		s->targets[i].kind = XDPLB_TARGET_PORT;
		s->targets[i].id = ctx->port_ifindex[i];
		s->targets[i].weight = r->ports[i].weight;
		memcpy(s->targets[i].ifname, r->ports[i].ifname, sizeof(s->targets[i].ifname));
	}
}

/* The table a new instance gets without --table-size: XDPLB_TABLE_SLOTS_PER_TARGET for
 * each target it could ever steer to, so that later changes stay near the ideal too. CPU
 * mode counts the possible CPUs, not the ones given: the size is kept across changes (a
 * new size would move nearly every flow), and --cpus may grow to all of them. */
static __u32 xdplb_default_table_size(const struct xdplb_settings *s)
{
	int cpus = libbpf_num_possible_cpus();

	return xdplb_maglev_default_size(s->target_kind == XDPLB_TARGET_PORT || cpus <= 0 ?
					 s->n_targets : (__u32)cpus);
}

/* Builds the requested settings: what the command line says, else what the running
 * instance has (seed kept), else the defaults. */
static int xdplb_build_settings(struct xdplb_ctx *ctx, bool running)
{
	const struct xdplb_opts *o = &ctx->opts;
	struct xdplb_settings *s = &ctx->new;

	memset(s, 0, sizeof(*s));
	if (o->redirect_set)
		xdplb_build_ports(ctx);
	else
		xdplb_build_cpus(ctx, running);
	if (running && s->target_kind != ctx->old.target_kind)
		return usage_err(o->redirect_set ? "--redirect" : "--cpus", o->ifname,
				 "%s steers to %s; --detach first to steer to %s", o->ifname,
				 o->redirect_set ? "CPUs" : "ports", o->redirect_set ? "ports" : "CPUs");
	xdplb_assign_slots(&ctx->old, s);
	s->pass_non_ip = o->pass_non_ip;
	if (o->remote == XDPLB_REMOTE_REDIRECT) {
		s->remote_ifindex = ctx->remote_ifindex;
		snprintf(s->remote_ifname, sizeof(s->remote_ifname), "%s", o->remote_port);
	} else if (running && !o->remote_set) {
		s->remote_ifindex = ctx->old.remote_ifindex;
		memcpy(s->remote_ifname, ctx->old.remote_ifname, sizeof(s->remote_ifname));
	}
	s->hash_mode = o->hash_set || !running ? o->hash_mode :
		       ctx->old.hash_mode & XDPLB_HASH_MODE_MASK;
	if (o->inner_set ? o->inner : running && (ctx->old.hash_mode & XDPLB_HASH_F_INNER))
		s->hash_mode |= XDPLB_HASH_F_INNER;
	s->table_size = o->table_size_set || !running ? o->table_size : ctx->old.table_size;
	if (!s->table_size)
		s->table_size = xdplb_default_table_size(s);
	s->remote = o->remote_set || !running ? o->remote : ctx->old.remote;
	s->attach_mode = running ? ctx->old.attach_mode : o->attach_mode;
	if (o->seed_set)
		s->seed = o->seed;
	else if (running)
		s->seed = ctx->old.seed;
	else if (getrandom(&s->seed, sizeof(s->seed), 0) != sizeof(s->seed))
		return -errno;
	if (running && o->mode_set && o->attach_mode != XDP_MODE_UNSPEC &&
	    o->attach_mode != ctx->old.attach_mode)
		return usage_err("--mode", xdplb_mode_name(o->attach_mode),
				 "%s runs in %s mode; --detach first to change the mode",
				 o->ifname, xdplb_mode_name(ctx->old.attach_mode));
	return 0;
}

/* After every check, before any entry names a port: each port able to take frames. A dry
 * run checks them all before the real run changes the first, so a port that cannot be made
 * ready leaves the others as they were; it also notes in rv the ports whose peer gets GRO,
 * for a --confirm revert to turn it off again. */
static int xdplb_prepare_port(const char *flag, const char *ifname, __u32 ifindex, bool dry_run,
			      struct xdplb_revert *rv)
{
	int ret = xdplb_egress_prepare(flag, ifname, ifindex, dry_run);

	if (ret > 0 && dry_run && rv->n_gro < XDPLB_MAX_PORTS + 1) {
		rv->gro[rv->n_gro].ifindex = ifindex;
		snprintf(rv->gro[rv->n_gro].ifname, IF_NAMESIZE, "%s", ifname);
		rv->n_gro++;
	}
	return ret < 0 ? ret : 0;
}

static int xdplb_prepare_ports(struct xdplb_ctx *ctx, bool dry_run)
{
	const struct xdplb_settings *s = &ctx->new;
	int err = 0;
	__u32 i;

	for (i = 0; !err && s->target_kind == XDPLB_TARGET_PORT && i < s->n_targets; i++)
		err = xdplb_prepare_port("--redirect", s->targets[i].ifname, s->targets[i].id,
					 dry_run, &ctx->revert);
	if (!err && s->remote == XDPLB_REMOTE_REDIRECT)
		err = xdplb_prepare_port("--remote", s->remote_ifname, s->remote_ifindex, dry_run,
					 &ctx->revert);
	return err;
}

/* Refuses to touch an interface whose XDP slot holds something that is not ours, and says
 * what is there and what the user can do about it. */
static int xdplb_check_foreign(struct xdplb_ctx *ctx)
{
	const char *ifname = ctx->opts.ifname;
	struct xdplb_xdp_state st;
	char why[160];
	int err = xdplb_xdp_query(ctx->ifindex, &st);

	if (err) {
		pr_err("--iface: %s: cannot query its XDP program: %s", ifname, strerror(-err));
		return err;
	}
	if (!st.attached_id || st.is_dispatcher)
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
static int xdplb_check_pending(struct xdplb_ctx *ctx)
{
	long long ms = xdplb_revert_pending(ctx->opts.ifname, NULL);

	if (ms < 0)
		return 0;
	pr_err("--iface: %s: a change made with --confirm is waiting for confirmation (%lld s left): "
	       "keep it first (xdplb --confirm-ok --iface %s) or let it revert", ctx->opts.ifname,
	       (ms + 999) / 1000, ctx->opts.ifname);
	return -EBUSY;
}

/* Starts the revert process of --confirm before anything changes; old is the running
 * instance's settings, or NULL for a fresh attach. */
static int xdplb_arm_revert(struct xdplb_ctx *ctx, const struct xdplb_settings *old)
{
	struct xdplb_revert *rv = &ctx->revert;
	struct xdplb_xdp_state st;

	if (!ctx->opts.confirm_s)
		return 0;
	/* rv starts zeroed (ctx is calloc()ed) and holds the dry run's GRO ports already. */
	snprintf(rv->ifname, sizeof(rv->ifname), "%s", ctx->opts.ifname);
	rv->ifindex = ctx->ifindex;
	rv->secs = ctx->opts.confirm_s;
	rv->had_instance = old != NULL;
	if (old) {
		rv->prev = *old;
		rv->prog_id = ctx->in.meta.prog_id;
	} else if (!xdplb_xdp_query(ctx->ifindex, &st)) {
		rv->prev_xdp_id = st.attached_id;
	}
	if (xdplb_revert_arm(rv))
		return -EIO;
	ctx->revert_armed = true;
	return 0;
}

static int xdplb_applied(struct xdplb_ctx *ctx, int err)
{
	if (ctx->revert_armed)
		xdplb_revert_report(&ctx->revert, err);
	if (err)
		ctx->revert_armed = false;
	return err;
}

static int xdplb_cmd_attach(struct xdplb_ctx *ctx)
{
	int err, have;

	have = xdplb_pins_open(ctx->opts.ifname, &ctx->in);
	if (!have && ctx->in.state == XDPLB_STATE_ELSEWHERE) {
		pr_err("--iface: %s: an xdplb instance of another network namespace (netns inode %llu) "
		       "holds %s/%s: rename the interface, or detach it in its namespace",
		       ctx->opts.ifname, (unsigned long long)ctx->in.meta.netns_ino,
		       xdplb_pin_root(), ctx->opts.ifname);
		return -EEXIST;
	}
	if (!have && ctx->in.other_abi) {
		pr_err("--iface: %s: runs an xdplb instance of another version (ABI %u, this xdplb "
		       "is ABI %u): xdplb --detach --iface %s first", ctx->opts.ifname,
		       ctx->in.meta.abi_version, XDPLB_ABI_VERSION, ctx->opts.ifname);
		return -EBUSY;
	}
	err = xdplb_check_pending(ctx);
	if (err)
		return err;
	if (!have && ctx->in.state == XDPLB_STATE_LIVE) {
		err = xdplb_instance_settings(&ctx->in, &ctx->old);
		if (!err)
			err = xdplb_build_settings(ctx, true);
		if (!err)
			err = xdplb_guard_check(ctx->opts.ifname, ctx->ifindex, &ctx->old, &ctx->new,
						ctx->opts.force);
		if (!err)
			err = xdplb_prepare_ports(ctx, true);
		/* Armed before the config is mapped: the revert process inherits no mapping;
		 * and before GRO is turned on at a port's peer, which it turns off again. */
		if (!err)
			err = xdplb_arm_revert(ctx, &ctx->old);
		if (!err)
			err = xdplb_prepare_ports(ctx, false);
		if (!err)
			err = xdplb_instance_map_config(&ctx->in);
		if (!err)
			err = xdplb_apply(&ctx->in, &ctx->old, &ctx->new);
		if (!err)
			pr_debug("%s: reconfigured live: %u targets", ctx->opts.ifname, ctx->new.n_targets);
		return xdplb_applied(ctx, err);
	}
	err = xdplb_build_settings(ctx, false);
	if (!err)
		err = xdplb_guard_check(ctx->opts.ifname, ctx->ifindex, NULL, &ctx->new,
					ctx->opts.force);
	if (!err)
		err = xdplb_check_foreign(ctx);
	if (err)
		return err;
	if (!have) {
		/* Stale (interface or namespace gone) or unreadable: never trusted, replaced. */
		pr_info("%s: removing %s pins of a previous instance", ctx->opts.ifname,
			xdplb_state_name(ctx->in.state));
		err = xdplb_pins_remove_dir(ctx->in.dir);
		xdplb_instance_close(&ctx->in);
		if (err)
			return err;
	}
	err = xdplb_prepare_ports(ctx, true);
	if (!err)
		err = xdplb_arm_revert(ctx, NULL);
	if (!err) {
		err = xdplb_prepare_ports(ctx, false);
		if (!err)
			err = xdplb_attach_new(ctx->opts.ifname, ctx->ifindex, &ctx->new);
		err = xdplb_applied(ctx, err);
	}
	if (!err)
		pr_debug("%s: attached in %s mode, %u targets, hash %s", ctx->opts.ifname,
			xdplb_mode_name(ctx->new.attach_mode), ctx->new.n_targets,
			xdplb_hash_name(ctx->new.hash_mode));
	return err;
}

static int xdplb_cmd_detach(struct xdplb_ctx *ctx)
{
	int err = xdplb_pins_open(ctx->opts.ifname, &ctx->in);

	if (err == -ENOENT) {
		pr_err("--detach: %s: no xdplb instance on it", ctx->opts.ifname);
		return -ENOENT;
	}
	switch (ctx->in.state) {
	case XDPLB_STATE_LIVE:
		err = xdplb_detach(&ctx->in);
		if (!err)
			xdplb_revert_dismiss(ctx->opts.ifname);
		return err;
	case XDPLB_STATE_ELSEWHERE:
		pr_err("--detach: %s: the instance belongs to another network namespace (netns inode %llu): "
		       "run the detach inside it", ctx->opts.ifname,
		       (unsigned long long)ctx->in.meta.netns_ino);
		return -EBUSY;
	default:
		if (ctx->in.other_abi) {
			pr_info("%s: detaching an instance of another xdplb version (ABI %u)",
				ctx->opts.ifname, ctx->in.meta.abi_version);
			return xdplb_detach(&ctx->in);
		}
		pr_info("%s: removing %s pins (no program of theirs is attached here)",
			ctx->opts.ifname, xdplb_state_name(ctx->in.state));
		return xdplb_pins_remove_dir(ctx->in.dir);
	}
}

/* Commands that change pins run under the lock, after every value has been checked. */
static int xdplb_run_locked(struct xdplb_ctx *ctx)
{
	struct stat st;
	bool had_root;
	int err;

	if (ctx->opts.cmd == XDPLB_CMD_ATTACH) {
		err = xdplb_resolve_ifaces(ctx);
		if (!err && !ctx->opts.redirect_set)
			err = xdplb_check_cpus(ctx);
		if (err)
			return err;
	}
	had_root = !stat(xdplb_pin_root(), &st);
	err = xdplb_pins_prepare();
	if (err)
		return err;
	ctx->lock_fd = xdplb_pins_lock();
	if (ctx->lock_fd < 0)
		return ctx->lock_fd;
	if (ctx->opts.cmd == XDPLB_CMD_ATTACH)
		err = xdplb_cmd_attach(ctx);
	else
		err = xdplb_cmd_detach(ctx);
	xdplb_instance_close(&ctx->in);
	/* Leave no empty root behind: a failed attach, or the last detach. */
	if (!had_root || ctx->opts.cmd == XDPLB_CMD_DETACH)
		rmdir(xdplb_pin_root());
	xdplb_pins_unlock(ctx->lock_fd);
	return err;
}

static int xdplb_dispatch(struct xdplb_ctx *ctx)
{
	int err;

	switch (ctx->opts.cmd) {
	case XDPLB_CMD_HELP:
		xdplb_print_help();
		return 0;
	case XDPLB_CMD_LIST_OPTIONS:
		xdplb_print_option_table();
		return 0;
	case XDPLB_CMD_VERSION:
		printf("xdplb %s (libbpf %s, libxdp %s)\n", XDPLB_VERSION, libbpf_version_string(),
		       "1.3");
		return 0;
	case XDPLB_CMD_CHECK:
		err = ctx->opts.ifname ? xdplb_resolve_ifaces(ctx) : 0;
		return err ? err : xdplb_check(ctx->ifindex, ctx->opts.json);
	case XDPLB_CMD_WHICH:
		err = xdplb_which_parse(ctx->opts.which_args, ctx->opts.n_which_args, &ctx->which_flow);
		if (err)
			return err;
		break;
	default:
		break;
	}
	err = xdplb_check_privileges();
	if (err)
		return err;
	if (ctx->opts.cmd == XDPLB_CMD_WHICH)
		return xdplb_which(ctx->opts.ifname, &ctx->which_flow);
	if (ctx->opts.cmd == XDPLB_CMD_STATUS && ctx->opts.config_out)
		return xdplb_config_write(ctx->opts.ifname, stdout);
	if (ctx->opts.cmd == XDPLB_CMD_STATUS)
		return xdplb_status(&ctx->opts) ? -EIO : 0;
	if (ctx->opts.cmd == XDPLB_CMD_CONFIRM_OK)
		return xdplb_revert_confirm(ctx->opts.ifname);
	if (ctx->opts.cmd == XDPLB_CMD_WATCH)
		return xdplb_watch(&ctx->opts);
	err = xdplb_run_locked(ctx);
	/* Said after the lock is released: the revert process needs it, whatever becomes of
	 * this process while it writes. */
	if (!err && ctx->revert_armed)
		xdplb_revert_announce(&ctx->revert);
	return err;
}

int main(int argc, char **argv)
{
	struct xdplb_ctx *ctx = calloc(1, sizeof(*ctx));
	int err;

	if (!ctx)
		return XDPLB_EXIT_RUNTIME;
	xdplb_instance_init(&ctx->in);
	ctx->lock_fd = -1;
	err = xdplb_parse_options(argc, argv, &ctx->opts);
	if (!err) {
		xdplb_log_init(ctx->opts.verbose);
		if (ctx->opts.config)
			err = xdplb_config_load(ctx->opts.config, &ctx->opts, &ctx->config);
		if (!err)
			err = xdplb_dispatch(ctx);
	}
	xdplb_config_close(&ctx->config);
	free(ctx);
	return xdplb_exit_code(err);
}
