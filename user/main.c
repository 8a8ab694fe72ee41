// SPDX-License-Identifier: GPL-2.0
/* main.c: parses the command line, hands it to its command (user/cmd/) and turns the
 * result into the exit code: 0 ok, 1 runtime failure, 2 usage error. Every command checks
 * everything against the machine before it changes anything. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "cmd/attach.h"
#include "cmd/check.h"
#include "cmd/config_file.h"
#include "cmd/detach.h"
#include "cmd/explain.h"
#include "cmd/options.h"
#include "cmd/status.h"
#include "cmd/watch.h"
#include "cmd/which.h"
#include "core/revert.h"
#include "sys/log.h"

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

/* The commands that need no privileges: they print, or check the machine. */
static int xdplb_dispatch_unprivileged(const struct xdplb_opts *o, bool *done)
{
	__u32 ifindex = 0;
	int err;

	*done = true;
	switch (o->cmd) {
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
		err = o->ifname ? xdplb_resolve("--iface", o->ifname, &ifindex) : 0;
		return err ? err : xdplb_check((int)ifindex, o->json);
	default:
		*done = false;
		return 0;
	}
}

static int xdplb_dispatch(const struct xdplb_opts *o)
{
	struct xdplb_flow flow;
	bool done;
	int err = xdplb_dispatch_unprivileged(o, &done);

	if (done)
		return err;
	/* --which's flow is checked before the privileges, like every other usage error. */
	if (o->cmd == XDPLB_CMD_WHICH) {
		err = xdplb_which_parse(o->which_args, o->n_which_args, &flow);
		if (err)
			return err;
	}
	err = xdplb_check_privileges();
	if (err)
		return err;
	switch (o->cmd) {
	case XDPLB_CMD_WHICH:
		return xdplb_which(o->ifname, &flow);
	case XDPLB_CMD_EXPLAIN:
		return xdplb_explain(o);
	case XDPLB_CMD_STATUS:
		if (o->config_out)
			return xdplb_config_write(o->ifname, stdout);
		return xdplb_status(o) ? -EIO : 0;
	case XDPLB_CMD_CONFIRM_OK:
		return xdplb_revert_confirm(o->ifname);
	case XDPLB_CMD_WATCH:
		return xdplb_watch(o);
	case XDPLB_CMD_DETACH:
		return xdplb_detach_run(o->ifname);
	default:
		return xdplb_attach_run(o);
	}
}

int main(int argc, char **argv)
{
	struct xdplb_config_file config = { 0 };
	struct xdplb_opts *o = calloc(1, sizeof(*o));
	int err;

	if (!o)
		return XDPLB_EXIT_RUNTIME;
	err = xdplb_parse_options(argc, argv, o);
	if (!err) {
		xdplb_log_init(o->verbose);
		if (o->config && o->cmd == XDPLB_CMD_EXPLAIN)
			err = xdplb_explain_config_load(o, &config);
		else if (o->config)
			err = xdplb_config_load(o->config, o, &config);
		if (!err)
			err = xdplb_dispatch(o);
	}
	xdplb_config_close(&config);
	free(o);
	return xdplb_exit_code(err);
}
