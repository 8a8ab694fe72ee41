/* SPDX-License-Identifier: GPL-2.0 */
/* options.h: the command line, parsed and checked for form (not yet against the machine). */
#ifndef XDPLB_OPTIONS_H
#define XDPLB_OPTIONS_H

#include <stdbool.h>
#include <linux/types.h>

#include "core/portlist.h"

enum xdplb_cmd {
	XDPLB_CMD_NONE = 0,
	XDPLB_CMD_ATTACH,	/* --iface IF --cpus LIST or --redirect IN:OUT: attach or reconfigure */
	XDPLB_CMD_DETACH,
	XDPLB_CMD_STATUS,
	XDPLB_CMD_WATCH,
	XDPLB_CMD_CHECK,
	XDPLB_CMD_HELP,
	XDPLB_CMD_VERSION,
	XDPLB_CMD_CONFIRM_OK,	/* --confirm-ok --iface IF: keep a change made with --confirm */
	XDPLB_CMD_WHICH,	/* --which --iface IF PROTO SRC DST */
};

struct xdplb_opts {
	enum xdplb_cmd cmd;
	const char *ifname;
	const char *cpus;
	__u32 qsize;
	__u32 hash_mode;
	__u64 seed;
	__u32 attach_mode;	/* enum xdp_attach_mode; XDP_MODE_UNSPEC is --mode auto */
	__u32 remote;		/* enum xdplb_remote */
	const char *remote_port;	/* --remote redirect:IF */
	__u32 table_size;
	struct xdplb_redirect_spec redirect;	/* --redirect, when redirect_set */
	bool redirect_set, pass_non_ip;
	double interval_s;
	__u32 count;
	__u32 confirm_s;	/* --confirm SECS; 0: the change stays without confirmation */
	bool force;		/* --force: allow dropping on a guarded interface */
	bool inner;		/* --inner (true) or --no-inner */
	bool qsize_set, hash_set, seed_set, mode_set, remote_set, table_size_set, inner_set;
	bool json;
	bool interval_set;	/* --interval and --count go with --watch only */
	bool prometheus;		/* --status --prometheus */
	const char *prometheus_file;	/* --prometheus-file PATH */
	int verbose;
	const char *config;	/* --config FILE */
	bool config_out;	/* --status --iface IF --config-out */
	char **which_args;	/* --which: PROTO SRC DST */
	int n_which_args;
};

/* Returns 0, or -XDPLB_EUSAGE after printing the one-line reason. */
int xdplb_parse_options(int argc, char **argv, struct xdplb_opts *o);
/* The defaults, before any option. */
void xdplb_opts_init(struct xdplb_opts *o);
/* One long option by name, as if given as --name=value (value NULL for flags): what a
 * configuration file line goes through. -ENOENT for no such option. */
int xdplb_parse_option(struct xdplb_opts *o, const char *name, const char *value);
/* The rules on which options go together; decides the command. */
int xdplb_check_combination(struct xdplb_opts *o);
void xdplb_print_help(void);


/* Strict parsers shared with other inputs (config files, --which). */
int xdplb_parse_u32(const char *flag, const char *s, __u32 lo, __u32 hi, __u32 *out);
int xdplb_parse_seed(const char *flag, const char *s, __u64 *out);

#endif
