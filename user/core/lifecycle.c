// SPDX-License-Identifier: GPL-2.0
/* lifecycle.c: open -> size maps -> set rodata -> attach (libxdp loads here) -> fill ->
 * events -> pin, each step undone in reverse when a later one fails. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "core/events.h"
#include "core/journal.h"
#include "core/lifecycle.h"
#include "core/names.h"
#include "core/pins.h"
#include "core/reconfig.h"
#include "sys/dispatcher.h"
#include "sys/iface.h"
#include "sys/ifinfo.h"
#include "sys/log.h"
#include "xdplb.skel.h"

static __u64 xdplb_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void xdplb_attach_hint(int err, __u32 mode, const char *ifname)
{
	const char *hint = "";

	if (err == -EOPNOTSUPP && mode == XDP_MODE_NATIVE)
		hint = " (the driver has no native XDP: try --mode skb)";
	else if (err == -EOPNOTSUPP && mode == XDP_MODE_HW)
		hint = " (no XDP offload on this device: use --mode native)";
	else if (err == -EBUSY || err == -EEXIST)
		hint = " (another XDP program is attached: see xdplb --check)";
	else if (err == -EPERM)
		hint = " (needs CAP_BPF/CAP_SYS_ADMIN and CAP_NET_ADMIN: run as root)";
	else if (err == -ERANGE || err == -E2BIG)
		hint = " (MTU too large for native XDP on this driver: see xdplb --check --iface)";
	pr_err("--iface: %s: attach in %s mode failed: %s%s", ifname, xdplb_mode_name(mode),
	       strerror(-err), hint);
}

static int xdplb_take_fds(struct xdplb_instance *in, struct xdplb *skel)
{
	struct bpf_map *maps[] = {
		[XDPLB_M_config] = skel->maps.xdplb_config,
		[XDPLB_M_table] = skel->maps.xdplb_table,
		[XDPLB_M_cpus] = skel->maps.xdplb_cpus,
		[XDPLB_M_ports] = skel->maps.xdplb_ports,
		[XDPLB_M_rx_stats] = skel->maps.xdplb_rx_stats,
		[XDPLB_M_tgt_stats] = skel->maps.xdplb_tgt_stats,
		[XDPLB_M_rmt_stats] = skel->maps.xdplb_rmt_stats,
		[XDPLB_M_meta] = skel->maps.xdplb_meta,
		[XDPLB_M_targets] = skel->maps.xdplb_targets,
		[XDPLB_M_slots] = skel->maps.xdplb_slots,
		[XDPLB_M_bal] = skel->maps.xdplb_bal,
		[XDPLB_M_qdelay] = skel->maps.xdplb_qdelay,
	};
	int i;

	for (i = 0; i <= XDPLB_M_qdelay; i++) {
		in->map_fd[i] = dup(bpf_map__fd(maps[i]));
		if (in->map_fd[i] < 0)
			return -errno;
	}
	in->remote_fd[XDPLB_REMOTE_PASS] = dup(bpf_program__fd(skel->progs.xdplb_cpu_pass));
	in->remote_fd[XDPLB_REMOTE_DROP] = dup(bpf_program__fd(skel->progs.xdplb_cpu_drop));
	in->remote_fd[XDPLB_REMOTE_REDIRECT] = dup(bpf_program__fd(skel->progs.xdplb_cpu_redirect));
	if (in->remote_fd[XDPLB_REMOTE_PASS] < 0 || in->remote_fd[XDPLB_REMOTE_DROP] < 0 ||
	    in->remote_fd[XDPLB_REMOTE_REDIRECT] < 0)
		return -errno;
	return 0;
}

static int xdplb_open_sized(struct xdplb **skelp, const struct xdplb_settings *s)
{
	struct xdplb *skel;
	int ncpus = libbpf_num_possible_cpus();
	int err;

	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	skel = xdplb__open();
	if (!skel) {
		pr_err("BPF object: open: %s", strerror(errno));
		return -errno;
	}
	/* A cpumap may not have more entries than the kernel has possible CPUs. */
	err = bpf_map__set_max_entries(skel->maps.xdplb_cpus, ncpus);
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.xdplb_tgt_stats,
					       ncpus > XDPLB_PORT_SLOTS ? ncpus : XDPLB_PORT_SLOTS);
	/* Per-slot state only for a balanced instance: 1.5 MiB otherwise unused. */
	if (!err && !s->balance)
		err = bpf_map__set_max_entries(skel->maps.xdplb_slots, 1);
	if (err) {
		xdplb__destroy(skel);
		return err;
	}
	skel->rodata->xdplb_target_kind = s->target_kind;
	skel->rodata->xdplb_pin_root_id = xdplb_pin_root_id();
	skel->rodata->xdplb_balance = s->balance;
	*skelp = skel;
	return 0;
}

/* Multi-buffer ("frags") programs only where the MTU needs them: native or hw mode on an
 * interface whose MTU does not fit one page, where a jumbo frame reaches XDP as a head and
 * fragments. At a smaller MTU the plain programs keep the kernel's single-buffer paths
 * (with the flag, a veth forwarder lost about 2% of what it redirected to a devmap port
 * on 6.18, uncounted by xdp_devmap_xmit). In skb mode never: generic XDP linearizes every
 * frame for a plain program, and loses what a frags program redirects to a cpumap. All
 * programs share the setting, or the cpumap refuses the remote ones (ENOMEM). */
bool xdplb_wants_frags(int ifindex, __u32 mode)
{
	return mode != XDP_MODE_SKB && xdplb_link_mtu(ifindex) > XDPLB_MTU_ONE_PAGE;
}

int xdplb_set_frags(struct xdplb *skel, bool frags)
{
	struct bpf_program *progs[] = { skel->progs.xdplb_rx, skel->progs.xdplb_cpu_pass,
					skel->progs.xdplb_cpu_drop, skel->progs.xdplb_cpu_redirect };
	size_t i;
	int err = 0;

	skel->rodata->xdplb_frags = frags;
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]) && !err; i++) {
		__u32 flags = bpf_program__flags(progs[i]) & ~BPF_F_XDP_HAS_FRAGS;

		err = bpf_program__set_flags(progs[i], flags | (frags ? BPF_F_XDP_HAS_FRAGS : 0));
	}
	return err;
}

/* Opens the object for one attach mode, loads it through libxdp and attaches it. */
static int xdplb_attach_in(const struct xdplb_settings *s, int ifindex, __u32 mode,
			   struct xdplb **skelp, struct xdp_program **xprogp)
{
	DECLARE_LIBXDP_OPTS(xdp_program_opts, xopts, .prog_name = "xdplb_rx");
	struct xdp_program *xprog;
	struct xdplb *skel = NULL;
	int err;

	err = xdplb_open_sized(&skel, s);
	if (err)
		return err;
	err = xdplb_set_frags(skel, xdplb_wants_frags(ifindex, mode));
	if (err) {
		xdplb__destroy(skel);
		return err;
	}
	xopts.obj = skel->obj;
	xprog = xdp_program__create(&xopts);
	err = libxdp_get_error(xprog);
	if (err) {
		pr_err("BPF program: %s", strerror(-err));
		xdplb__destroy(skel);
		return err;
	}
	xdp_program__set_run_prio(xprog, XDPLB_RUN_PRIO);
	err = xdp_program__attach(xprog, ifindex, mode, 0);
	if (err) {
		xdp_program__close(xprog);
		xdplb__destroy(skel);
		return err;
	}
	*skelp = skel;
	*xprogp = xprog;
	return 0;
}

/* --mode auto: native first, skb when the driver or its limits refuse native. Errors that
 * skb mode would meet just the same (a program in the way, privileges) are not retried. */
static int xdplb_attach_mode(const struct xdplb_settings *s, int ifindex, const char *ifname,
			     __u32 *got, struct xdplb **skelp, struct xdp_program **xprogp)
{
	int err;

	*got = s->attach_mode == XDP_MODE_UNSPEC ? XDP_MODE_NATIVE : s->attach_mode;
	pr_debug("attaching to %s (ifindex %d) in %s mode", ifname, ifindex,
		 xdplb_mode_name(s->attach_mode));
	err = xdplb_attach_in(s, ifindex, *got, skelp, xprogp);
	if (s->attach_mode != XDP_MODE_UNSPEC)
		return err;
	if (!err) {
		pr_info("%s: --mode auto: attached in native mode", ifname);
		return 0;
	}
	if (err == -EBUSY || err == -EEXIST || err == -EPERM)
		return err;
	if (!xdplb_attach_in(s, ifindex, XDP_MODE_SKB, skelp, xprogp)) {
		*got = XDP_MODE_SKB;
		pr_info("%s: --mode auto: native mode failed (%s): attached in skb mode", ifname,
			strerror(-err));
		return 0;
	}
	return err;
}

/* The receive program is pinned too, so bpftool and xdp-loader users can find it. */
static int xdplb_pin_rx_prog(struct xdp_program *xprog, const char *dir)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", dir, XDPLB_PIN_PROG);
	if (!bpf_obj_pin(xdp_program__fd(xprog), path))
		return 0;
	pr_err("pin: %s: %s", path, strerror(errno));
	return -errno;
}

/* What the instance records of itself, for --status and for later runs. */
static void xdplb_fill_meta(struct xdplb_instance *in, int ifindex, struct xdp_program *xprog,
			    __u32 mode, const struct xdplb_settings *s)
{
	in->meta = (struct xdplb_meta){
		.abi_version = XDPLB_ABI_VERSION,
		.ifindex = ifindex,
		.netns_ino = xdplb_netns_ino(),
		.prog_id = xdp_program__id(xprog),
		.attach_mode = mode,
		.target_kind = s->target_kind,
		.attach_time_ns = xdplb_realtime_ns(),
		.hash_version = XDPLB_HASH_VERSION,
	};
	snprintf(in->meta.ifname, sizeof(in->meta.ifname), "%s", in->ifname);
}

/* Fills the attached instance's table and pins it under tmpdir, then publishes tmpdir as
 * the instance's directory. The meta goes first, pinned at once: from then on a kill
 * leaves a pending directory that names the program, for the next run to remove. */
static int xdplb_fill_and_pin(struct xdplb_instance *in, struct xdp_program *xprog,
			      const struct xdplb_settings *s, const char *tmpdir)
{
	struct xdplb_settings *empty = calloc(1, sizeof(*empty));
	char path[PATH_MAX + 32];
	int err;

	if (!empty)
		return -ENOMEM;
	empty->target_kind = s->target_kind;
	snprintf(path, sizeof(path), "%s/%s", tmpdir, XDPLB_MAP_META);
	err = xdplb_instance_write_meta(in);
	if (!err && bpf_obj_pin(in->map_fd[XDPLB_M_meta], path)) {
		err = -errno;
		pr_err("pin: %s: %s", path, strerror(errno));
	}
	if (!err)
		err = xdplb_pin_rx_prog(xprog, tmpdir);
	/* Events first: the fill writes their port map, and they count from the first frame. */
	if (!err)
		err = xdplb_events_start(in, tmpdir);
	if (!err)
		err = xdplb_apply(in, empty, s);
	if (!err)
		err = xdplb_pins_write(in, tmpdir);
	if (!err)
		err = xdplb_journal_create(in, tmpdir);
	if (!err)
		err = xdplb_pins_publish(tmpdir, in->ifname);
	free(empty);
	return err;
}

/* The pending directory exists before the program is attached, so that no kill leaves a
 * program of this run that nothing on disk names. */
static int xdplb_make_pending(const char *tmpdir)
{
	if (!mkdir(tmpdir, 0700))
		return 0;
	pr_err("pin: %s: %s", tmpdir, strerror(errno));
	return -errno;
}

int xdplb_attach_new(const char *ifname, int ifindex, const struct xdplb_settings *s)
{
	struct xdp_program *xprog = NULL;
	struct xdplb_instance in;
	struct xdplb *skel = NULL;
	char tmpdir[PATH_MAX];
	__u32 mode = s->attach_mode;
	int err;

	xdplb_instance_init(&in);
	snprintf(in.ifname, sizeof(in.ifname), "%s", ifname);
	snprintf(tmpdir, sizeof(tmpdir), "%s/pending-%08d-%s", xdplb_pin_root(), getpid(), ifname);

	err = xdplb_make_pending(tmpdir);
	if (err)
		return err;
	err = xdplb_attach_mode(s, ifindex, ifname, &mode, &skel, &xprog);
	if (err) {
		xdplb_attach_hint(err, mode, ifname);
		xdplb_pins_remove_dir(tmpdir);
		return err;
	}

	/* Attached with an empty table: until the fill below, frames pass (counted
	 * no_target), none is lost. */
	err = xdplb_take_fds(&in, skel);
	if (!err)
		err = xdplb_instance_map_config(&in);
	if (!err) {
		xdplb_fill_meta(&in, ifindex, xprog, mode, s);
		err = xdplb_fill_and_pin(&in, xprog, s, tmpdir);
	}
	if (!err) {
		pr_debug("pinned under %s/%s", xdplb_pin_root(), ifname);
	} else {
		xdplb_pins_remove_dir(tmpdir);
		xdp_program__detach(xprog, ifindex, mode, 0);
	}
	xdplb_instance_close(&in);
	xdp_program__close(xprog);
	xdplb__destroy(skel);
	return err;
}

int xdplb_detach(struct xdplb_instance *in)
{
	struct xdp_program *p;
	int err = 0;

	/* Recorded first: a detach cut short is finished by the next run. */
	if (in->journal_fd >= 0 && xdplb_journal_begin(in, NULL))
		return -EIO;
	/* run_id is what runs now, found by the pins or on the interface: 0 when nothing of
	 * the instance runs (its pins alone are removed). */
	if (in->run_id) {
		p = xdp_program__from_id(in->run_id);
		err = libxdp_get_error(p);
		if (!err) {
			err = xdp_program__detach(p, in->meta.ifindex, in->run_mode, 0);
			xdp_program__close(p);
		}
	}
	if (err) {
		/* libxdp opens the program by id, which the kernel allows only with
		 * CAP_SYS_ADMIN; the pins stay, so nothing is left half removed. */
		pr_err("--detach: %s: %s%s", in->ifname, strerror(-err),
		       err == -EPERM ? " (detaching needs CAP_SYS_ADMIN as well)" : "");
		xdplb_journal_end(in);
		return err;
	}
	return xdplb_pins_remove_dir(in->dir);
}
