// SPDX-License-Identifier: GPL-2.0
/* options.c: one option table feeds getopt_long and --help; every value is parsed whole
 * and range-checked here, and anything wrong is one line naming the flag, the value and
 * what is allowed. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xdp/libxdp.h>

#include "cmd/options.h"
#include "core/names.h"
#include "maps/xdplb_config.h"
#include "maps/xdplb_limits.h"
#include "sys/log.h"

enum {
	OPT_IFACE = 'i',
	OPT_HELP = 'h',
	OPT_VERBOSE = 'v',
	OPT_CPUS = 256,
	OPT_QSIZE,
	OPT_HASH,
	OPT_SEED,
	OPT_MODE,
	OPT_REMOTE,
	OPT_TABLE_SIZE,
	OPT_DETACH,
	OPT_STATUS,
	OPT_WATCH,
	OPT_CHECK,
	OPT_JSON,
	OPT_INTERVAL,
	OPT_COUNT,
	OPT_VERSION,
	OPT_CONFIRM,
	OPT_CONFIRM_OK,
	OPT_FORCE,
	OPT_INNER,
	OPT_NO_INNER,
	OPT_REDIRECT,
	OPT_PASS_NON_IP,
	OPT_PROMETHEUS,
	OPT_PROMETHEUS_FILE,
	OPT_CONFIG,
	OPT_CONFIG_OUT,
	OPT_WHICH,
};

struct xdplb_option {
	const char *name;
	int has_arg;
	int val;
	const char *arg;
	const char *help;
};

static const struct xdplb_option xdplb_options[] = {
	{ "iface", required_argument, OPT_IFACE, "IF", "interface to receive on (this network namespace)" },
	{ "cpus", required_argument, OPT_CPUS, "LIST", "CPUs to fan out to: 0,2-5 or with weights 2-5:1,6:2" },
	{ "qsize", required_argument, OPT_QSIZE, "N", "cpumap queue size per CPU, 1..16384 (default 2048)" },
	{ "hash", required_argument, OPT_HASH, "MODE", "sym (both directions together, default), l4, l3" },
	{ "inner", no_argument, OPT_INNER, NULL, "hash GRE, ERSPAN, IPIP, VXLAN frames on the flow they carry" },
	{ "no-inner", no_argument, OPT_NO_INNER, NULL, "hash tunnels on their outer header (default)" },
	{ "seed", required_argument, OPT_SEED, "HEX", "hash secret, 1..16 hex digits (default: random at attach)" },
	{ "mode", required_argument, OPT_MODE, "MODE", "XDP attach mode: native (default), skb, hw, auto (native, else skb)" },
	{ "remote", required_argument, OPT_REMOTE, "ACT", "program on the remote CPU: none (default), pass, drop, redirect:IF" },
	{ "redirect", required_argument, OPT_REDIRECT, "IN:OUT", "forward frames from IN out of the ports, flows spread by weight (OUT:2)" },
	{ "pass-non-ip", no_argument, OPT_PASS_NON_IP, NULL, "--redirect: leave frames without a flow (ARP, ...) to IN's stack, not the first port" },
	{ "table-size", required_argument, OPT_TABLE_SIZE, "N", "indirection table slots, a power of two 64..65536 (default 1024 per possible CPU or per port, 4096..65536)" },
	{ "confirm", required_argument, OPT_CONFIRM, "SECS", "revert the change by itself after SECS (1..3600) unless --confirm-ok" },
	{ "confirm-ok", no_argument, OPT_CONFIRM_OK, NULL, "keep the change made on --iface with --confirm" },
	{ "force", no_argument, OPT_FORCE, NULL, "allow --remote drop on the interface of the default route or SSH" },
	{ "config", required_argument, OPT_CONFIG, "FILE", "apply the whole configuration in FILE (key value lines; see README)" },
	{ "config-out", no_argument, OPT_CONFIG_OUT, NULL, "with --status --iface IF: print its configuration as a --config file" },
	{ "which", no_argument, OPT_WHICH, NULL, "with --iface IF PROTO SRC DST: print the target IF sends that flow to" },
	{ "detach", no_argument, OPT_DETACH, NULL, "remove xdplb and its pins from --iface" },
	{ "status", no_argument, OPT_STATUS, NULL, "show every instance (or --iface's) with its counters" },
	{ "watch", no_argument, OPT_WATCH, NULL, "show live rates every --interval" },
	{ "check", no_argument, OPT_CHECK, NULL, "check whether this machine can run xdplb" },
	{ "json", no_argument, OPT_JSON, NULL, "machine-readable output for --status, --watch and --check" },
	{ "prometheus", no_argument, OPT_PROMETHEUS, NULL, "--status in Prometheus' text exposition format" },
	{ "prometheus-file", required_argument, OPT_PROMETHEUS_FILE, "PATH", "--status, --watch: also write the metrics to PATH (replaced atomically)" },
	{ "interval", required_argument, OPT_INTERVAL, "S", "--watch interval in seconds, 0.1..3600 (default 1)" },
	{ "count", required_argument, OPT_COUNT, "N", "--watch: stop after N intervals" },
	{ "verbose", no_argument, OPT_VERBOSE, NULL, "say each step; twice: libbpf's debug log too" },
	{ "version", no_argument, OPT_VERSION, NULL, "print the version" },
	{ "help", no_argument, OPT_HELP, NULL, "this text" },
};

#define XDPLB_N_OPTIONS (sizeof(xdplb_options) / sizeof(xdplb_options[0]))

void xdplb_print_help(void)
{
	size_t i;

	printf("Usage:\n"
	       "  xdplb --iface IF --cpus LIST [--qsize N] [--hash sym|l4|l3] [--[no-]inner]\n"
	       "        [--seed HEX] [--mode native|skb|hw|auto] [--remote none|pass|drop|redirect:IF]\n"
	       "        [--table-size N] [--confirm SECS] [--force]\n"
	       "  xdplb --redirect IN:OUT[:WEIGHT][,OUT...] [--pass-non-ip] [--hash ..] [--[no-]inner]\n"
	       "        [--seed ..] [--mode ..] [--table-size N] [--confirm SECS] [--force]\n"
	       "  xdplb --confirm-ok --iface IF\n"
	       "  xdplb --config FILE [--confirm SECS] [--force]\n"
	       "  xdplb --status [--iface IF] [--json | --prometheus] [--prometheus-file PATH]\n"
	       "  xdplb --status --iface IF --config-out\n"
	       "  xdplb --which --iface IF PROTO SRC[:PORT] DST[:PORT]\n"
	       "  xdplb --watch [--iface IF] [--interval S] [--count N] [--json] [--prometheus-file PATH]\n"
	       "  xdplb --detach --iface IF\n"
	       "  xdplb --check [--iface IF] [--json]\n\n"
	       "Spreads the flows received on IF over CPUs with XDP_REDIRECT through a cpumap,\n"
	       "or (--redirect) forwards them unchanged out of other ports through a devmap.\n"
	       "Run again on the same IF to change the configuration live; options left out\n"
	       "keep their running values.\n\nOptions:\n");
	for (i = 0; i < XDPLB_N_OPTIONS; i++) {
		const struct xdplb_option *o = &xdplb_options[i];
		char left[40];

		snprintf(left, sizeof(left), "%s--%s%s%s", o->val < 128 ? "-x, " : "    ", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		if (o->val < 128)
			left[1] = (char)o->val;
		printf("  %-24s %s\n", left, o->help);
	}
	printf("\nExamples:\n"
	       "  xdplb --iface eth0 --cpus 2-5          # fan flows out to CPUs 2,3,4,5\n"
	       "  xdplb --iface eth0 --cpus 2-5:1,6:2    # CPU 6 takes twice the share\n"
	       "  xdplb --iface eth0 --cpus 2-5 --inner  # ERSPAN/VXLAN tap: hash the mirrored flows\n"
	       "  xdplb --redirect eth0:eth1             # bump in the wire: eth0 -> eth1\n"
	       "  xdplb --redirect eth0:eth1,eth2:2      # flows over two ports, eth2 twice the share\n"
	       "  xdplb --status --json                  # every instance, for scripts\n"
	       "  xdplb --iface eth0 --cpus 2-5 --confirm 60   # undone in 60 s unless...\n"
	       "  xdplb --confirm-ok --iface eth0        # ...this keeps it\n"
	       "  xdplb --check --iface eth0             # can this machine run xdplb on eth0?\n"
	       "  xdplb --watch --interval 2             # rates of every instance every 2 s\n"
	       "  xdplb --status --iface eth0 --config-out > lb.conf\n"
	       "  xdplb --config lb.conf                 # the same placement on another node\n"
	       "  xdplb --which --iface eth0 udp 198.18.0.1:4000 198.18.1.1:53   # prints: cpu 3\n"
	       "  xdplb --detach --iface eth0\n\n"
	       "Exit status: 0 success, 1 runtime failure, 2 usage error.\n");
}

int xdplb_parse_u32(const char *flag, const char *s, __u32 lo, __u32 hi, __u32 *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v < lo || v > hi)
		return usage_err(flag, s, "an integer %u..%u", lo, hi);
	*out = (__u32)v;
	return 0;
}

int xdplb_parse_seed(const char *flag, const char *s, __u64 *out)
{
	const char *digits = s;
	size_t len;
	char *end;

	if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
		digits += 2;
	len = strlen(digits);
	if (len < 1 || len > 16 || strspn(digits, "0123456789abcdefABCDEF") != len)
		return usage_err(flag, s, "1..16 hex digits, optionally after 0x");
	*out = strtoull(digits, &end, 16);
	return 0;
}

static int xdplb_parse_name(const char *flag, const char *s, const char *const *names,
			    size_t n, const char *allowed, __u32 *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(s, names[i])) {
			*out = (__u32)i;
			return 0;
		}
	}
	return usage_err(flag, s, "one of %s", allowed);
}

static int xdplb_parse_interval(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!isdigit((unsigned char)*s) || *end || errno || v < 0.1 || v > 3600)
		return usage_err("--interval", s, "seconds, 0.1..3600");
	*out = v;
	return 0;
}

static int xdplb_set_cmd(struct xdplb_opts *o, enum xdplb_cmd cmd, const char *flag)
{
	static const char *const cmd_flags[] = {
		[XDPLB_CMD_DETACH] = "--detach", [XDPLB_CMD_STATUS] = "--status",
		[XDPLB_CMD_WATCH] = "--watch", [XDPLB_CMD_CHECK] = "--check",
		[XDPLB_CMD_CONFIRM_OK] = "--confirm-ok",
		[XDPLB_CMD_WHICH] = "--which",
	};

	if (o->cmd != XDPLB_CMD_NONE && o->cmd != cmd)
		return usage_err(flag, "conflicts", "with %s; give one of --detach, --status, --watch, --check, --confirm-ok",
				 cmd_flags[o->cmd]);
	o->cmd = cmd;
	return 0;
}

static int xdplb_parse_one(struct xdplb_opts *o, int c, const char *arg)
{
	__u32 v;
	int err;

	switch (c) {
	case OPT_IFACE:
		/* The kernel's own rule (dev_valid_name): "." and ".." would make the
		 * instance directory the pin root or its parent. */
		if (!xdplb_ifname_valid(arg, strlen(arg)))
			return usage_err("--iface", arg[0] ? arg : "''",
					 "an interface name of 1..15 characters, not '.' or '..', "
					 "without '/', ':' or spaces");
		o->ifname = arg;
		return 0;
	case OPT_CPUS:
		o->cpus = arg;
		return 0;
	case OPT_QSIZE:
		o->qsize_set = true;
		return xdplb_parse_u32("--qsize", arg, XDPLB_QSIZE_MIN, XDPLB_QSIZE_MAX, &o->qsize);
	case OPT_HASH:
		o->hash_set = true;
		return xdplb_parse_name("--hash", arg, xdplb_hash_names, 3, "sym, l4, l3", &o->hash_mode);
	case OPT_INNER:
	case OPT_NO_INNER:
		if (o->inner_set && o->inner != (c == OPT_INNER))
			return usage_err(c == OPT_INNER ? "--inner" : "--no-inner", "conflicts",
					 "give --inner or --no-inner, not both");
		o->inner_set = true;
		o->inner = c == OPT_INNER;
		return 0;
	case OPT_SEED:
		o->seed_set = true;
		return xdplb_parse_seed("--seed", arg, &o->seed);
	case OPT_MODE:
		o->mode_set = true;
		return xdplb_parse_name("--mode", arg, xdplb_mode_names, 4, "native, skb, hw, auto",
					&o->attach_mode);
	case OPT_REMOTE:
		o->remote_set = true;
		if (!strncmp(arg, "redirect:", 9)) {
			if (!xdplb_ifname_valid(arg + 9, strlen(arg + 9)))
				return usage_err("--remote", arg, "redirect:IF names the port to send "
						 "out of (an interface name of 1..15 characters)");
			o->remote = XDPLB_REMOTE_REDIRECT;
			o->remote_port = arg + 9;
			return 0;
		}
		return xdplb_parse_name("--remote", arg, xdplb_remote_names, XDPLB_REMOTE_REDIRECT,
					"none, pass, drop, redirect:IF", &o->remote);
	case OPT_REDIRECT:
		o->redirect_set = true;
		return xdplb_parse_redirect(arg, &o->redirect);
	case OPT_PASS_NON_IP:
		o->pass_non_ip = true;
		return 0;
	case OPT_TABLE_SIZE:
		o->table_size_set = true;
		err = xdplb_parse_u32("--table-size", arg, XDPLB_TABLE_MIN, XDPLB_TABLE_MAX, &v);
		if (err)
			return err;
		if (v & (v - 1))
			return usage_err("--table-size", arg, "a power of two %d..%d",
					 XDPLB_TABLE_MIN, XDPLB_TABLE_MAX);
		o->table_size = v;
		return 0;
	case OPT_DETACH:
		return xdplb_set_cmd(o, XDPLB_CMD_DETACH, "--detach");
	case OPT_STATUS:
		return xdplb_set_cmd(o, XDPLB_CMD_STATUS, "--status");
	case OPT_WATCH:
		return xdplb_set_cmd(o, XDPLB_CMD_WATCH, "--watch");
	case OPT_CHECK:
		return xdplb_set_cmd(o, XDPLB_CMD_CHECK, "--check");
	case OPT_CONFIRM_OK:
		return xdplb_set_cmd(o, XDPLB_CMD_CONFIRM_OK, "--confirm-ok");
	case OPT_CONFIRM:
		return xdplb_parse_u32("--confirm", arg, 1, 3600, &o->confirm_s);
	case OPT_FORCE:
		o->force = true;
		return 0;
	case OPT_WHICH:
		return xdplb_set_cmd(o, XDPLB_CMD_WHICH, "--which");
	case OPT_CONFIG:
		o->config = arg;
		return 0;
	case OPT_CONFIG_OUT:
		o->config_out = true;
		return 0;
	case OPT_JSON:
		o->json = true;
		return 0;
	case OPT_PROMETHEUS:
		o->prometheus = true;
		return 0;
	case OPT_PROMETHEUS_FILE:
		if (!*arg)
			return usage_err("--prometheus-file", "''", "a file path");
		o->prometheus_file = arg;
		return 0;
	case OPT_INTERVAL:
		o->interval_set = true;
		return xdplb_parse_interval(arg, &o->interval_s);
	case OPT_COUNT:
		return xdplb_parse_u32("--count", arg, 1, 1000000000, &o->count);
	case OPT_VERBOSE:
		o->verbose++;
		return 0;
	case OPT_VERSION:
		o->cmd = XDPLB_CMD_VERSION;
		return 0;
	case OPT_HELP:
		o->cmd = XDPLB_CMD_HELP;
		return 0;
	}
	return -XDPLB_EUSAGE;
}

/* --config, --config-out and --which: what may go with them. A file holds every setting;
 * only how to apply it (-v, --confirm, --force) may come from the command line. */
static int xdplb_check_config_which(struct xdplb_opts *o, bool settings)
{
	if (o->config && (settings || o->ifname || o->cmd != XDPLB_CMD_NONE || o->json ||
			  o->interval_set || o->count || o->prometheus || o->prometheus_file))
		return usage_err("--config", "conflicts", "with other options: the file holds the whole "
				 "configuration (only -v, --confirm and --force go with --config)");
	if (o->config_out && (o->cmd != XDPLB_CMD_STATUS || !o->ifname || o->json ||
			      o->prometheus || o->prometheus_file))
		return usage_err("--config-out", "conflicts",
				 "goes with --status --iface IF, without --json or --prometheus[-file]");
	if (o->cmd != XDPLB_CMD_WHICH)
		return o->n_which_args ? usage_err(o->which_args[0], "unexpected argument",
						  "options only; see xdplb --help") : 0;
	if (!o->ifname)
		return usage_err("--which", "missing --iface", "name the interface whose instance to ask");
	if (o->n_which_args != 3)
		return usage_err("--which", o->n_which_args < 3 ? "too few arguments" : "too many arguments",
				 "give PROTO SRC DST, like tcp 198.18.0.1:4000 198.18.1.1:80");
	return 0;
}

/* Options that only make sense with one command, so a typo does not pass silently. */
int xdplb_check_combination(struct xdplb_opts *o)
{
	bool settings = o->cpus || o->qsize_set || o->hash_set || o->seed_set || o->mode_set ||
			o->remote_set || o->table_size_set || o->inner_set || o->redirect_set ||
			o->pass_non_ip;
	bool attach_opts = settings || o->confirm_s || o->force;
	int err = xdplb_check_config_which(o, settings);

	if (err)
		return err;
	if (o->config) {
		o->cmd = XDPLB_CMD_ATTACH;
		return 0;
	}
	if (o->cmd == XDPLB_CMD_NONE && o->redirect_set) {
		if (o->ifname)
			return usage_err("--iface", "conflicts", "with --redirect, which names the "
					 "receiving interface itself (IN:OUT)");
		if (o->cpus || o->qsize_set || o->remote_set)
			return usage_err(o->cpus ? "--cpus" : o->qsize_set ? "--qsize" : "--remote",
					 "conflicts", "with --redirect: an instance steers to CPUs "
					 "(--iface, --cpus, --qsize, --remote) or to ports (--redirect)");
		o->ifname = o->redirect.in;
		o->cmd = XDPLB_CMD_ATTACH;
	} else if (o->pass_non_ip && o->cmd == XDPLB_CMD_NONE) {
		return usage_err("--pass-non-ip", "conflicts", "goes with --redirect (with --cpus "
				 "frames without a flow always stay on the receiving CPU)");
	} else if (o->cmd == XDPLB_CMD_NONE) {
		if (!o->ifname && !o->cpus)
			return usage_err("usage", "no command", "give --iface IF --cpus LIST, --redirect IN:OUT, --status, --watch, --detach or --check (see --help)");
		if (!o->ifname)
			return usage_err("--iface", "missing", "--cpus needs the interface to attach to");
		if (!o->cpus)
			return usage_err("--cpus", "missing", "give the CPUs to fan out to, like --cpus 0-3");
		o->cmd = XDPLB_CMD_ATTACH;
	} else if (attach_opts) {
		return usage_err(o->cmd == XDPLB_CMD_DETACH ? "--detach" :
				 o->cmd == XDPLB_CMD_STATUS ? "--status" :
				 o->cmd == XDPLB_CMD_WATCH ? "--watch" :
				 o->cmd == XDPLB_CMD_CHECK ? "--check" :
				 o->cmd == XDPLB_CMD_WHICH ? "--which" : "--confirm-ok",
				 "conflicts", "with --cpus, --redirect, --qsize, --hash, --[no-]inner, --seed, --mode, --remote, --table-size, --confirm, --force");
	}
	if (o->cmd == XDPLB_CMD_DETACH && !o->ifname)
		return usage_err("--detach", "missing --iface", "name the interface to detach from");
	if (o->cmd == XDPLB_CMD_CONFIRM_OK && !o->ifname)
		return usage_err("--confirm-ok", "missing --iface", "name the interface whose change to keep");
	if (o->json && o->cmd != XDPLB_CMD_STATUS && o->cmd != XDPLB_CMD_WATCH &&
	    o->cmd != XDPLB_CMD_CHECK)
		return usage_err("--json", "conflicts", "--json goes with --status, --watch or --check");
	if ((o->interval_set || o->count) && o->cmd != XDPLB_CMD_WATCH)
		return usage_err(o->interval_set ? "--interval" : "--count", "conflicts",
				 "it goes with --watch only");
	if (o->prometheus && (o->cmd != XDPLB_CMD_STATUS || o->json))
		return usage_err("--prometheus", "conflicts", "it goes with --status, without --json (--watch writes a file: --prometheus-file)");
	if (o->prometheus_file && o->cmd != XDPLB_CMD_STATUS && o->cmd != XDPLB_CMD_WATCH)
		return usage_err("--prometheus-file", "conflicts", "it goes with --status or --watch");
	return 0;
}

void xdplb_opts_init(struct xdplb_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->interval_s = 1.0;
	o->attach_mode = XDP_MODE_NATIVE;
	o->qsize = XDPLB_QSIZE_DEFAULT;
	o->table_size = 0;	/* sized for the targets: xdplb_default_table_size() */
}

int xdplb_parse_option(struct xdplb_opts *o, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < XDPLB_N_OPTIONS; i++) {
		const struct xdplb_option *opt = &xdplb_options[i];
		char flag[40];

		if (strcmp(opt->name, name))
			continue;
		snprintf(flag, sizeof(flag), "--%s", name);
		if (opt->has_arg == required_argument && !value)
			return usage_err(flag, "missing value", "give it after the name");
		if (opt->has_arg == no_argument && value)
			return usage_err(flag, value, "takes no value");
		return xdplb_parse_one(o, opt->val, value);
	}
	return -ENOENT;
}

int xdplb_parse_options(int argc, char **argv, struct xdplb_opts *o)
{
	struct option longopts[XDPLB_N_OPTIONS + 1];
	size_t i;
	int c, err;

	xdplb_opts_init(o);
	for (i = 0; i < XDPLB_N_OPTIONS; i++)
		longopts[i] = (struct option){ xdplb_options[i].name, xdplb_options[i].has_arg,
					       NULL, xdplb_options[i].val };
	memset(&longopts[i], 0, sizeof(longopts[i]));

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hi:v", longopts, NULL)) != -1) {
		if (c == '?') {
			const char *bad = argv[optind - 1];

			return usage_err(optopt && optopt < 256 ? (char[]){ '-', (char)optopt, 0 } : bad,
					 "unknown option", "see xdplb --help");
		}
		if (c == ':')
			return usage_err(argv[optind - 1], "missing value", "see xdplb --help");
		err = xdplb_parse_one(o, c, optarg);
		if (err)
			return err;
		if (o->cmd == XDPLB_CMD_HELP || o->cmd == XDPLB_CMD_VERSION)
			return 0;
	}
	/* Words after the options: --which's flow, refused for every other command. */
	o->which_args = argv + optind;
	o->n_which_args = argc - optind;
	return xdplb_check_combination(o);
}
