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

/* Why --cpus, --qsize and --remote cannot go with --redirect. */
#define XDPLB_STEER_CONFLICT "with --redirect: an instance steers to CPUs (--iface, --cpus, --qsize, " \
			     "--remote) or to ports (--redirect)"
/* What --explain goes with, said when something else is given. */
#define XDPLB_EXPLAIN_TAKES "--explain takes the live instance (--iface IF) or the settings to try " \
			    "(--cpus LIST --seed HEX [--hash MODE] [--[no-]inner] [--table-size N], or " \
			    "--config FILE), and --json"
/* Why --balance and its options need --iface IF --cpus LIST. */
#define XDPLB_BALANCE_CONFLICT "it goes with --iface IF --cpus LIST (it balances cpumap queues; " \
			       "ports have none)"
#define XDPLB_FLAG(field) .flag_offset = offsetof(struct xdplb_opts, field)

/* The one list of options: getopt_long, --help, the mode checks, --config's keys and (through
 * --list-options) the bash completion and the man page test all read it. */
const struct xdplb_option xdplb_options[XDPLB_OPT__COUNT] = {
	[XDPLB_OPT_IFACE] = { "iface", 'i', XDPLB_ARG_IFACE, "IF", NULL,
		XDPLB_M_ALL & ~XDPLB_M(PORTS) & ~XDPLB_M(CONFIG), XDPLB_OF_KEY, XDPLB_CMD_NONE,
		"with --redirect, which names the receiving interface itself (IN:OUT)",
		.help = "interface to receive on (this network namespace)" },
	[XDPLB_OPT_CPUS] = { "cpus", 0, XDPLB_ARG_CPUS, "LIST", NULL, XDPLB_M(CPUS) | XDPLB_M(EXPLAIN),
		XDPLB_OF_KEY | XDPLB_OF_MODE, XDPLB_CMD_NONE, XDPLB_STEER_CONFLICT,
		.help = "CPUs to fan out to: 0,2-5 or with weights 2-5:1,6:2" },
	[XDPLB_OPT_REDIRECT] = { "redirect", 0, XDPLB_ARG_PORTS, "IN:OUT", NULL, XDPLB_M(PORTS),
		XDPLB_OF_KEY | XDPLB_OF_MODE, XDPLB_CMD_NONE, NULL,
		.help = "forward frames from IN out of the ports, flows spread by weight (OUT:2)" },
	[XDPLB_OPT_QSIZE] = { "qsize", 0, XDPLB_ARG_NUMBER, "N", NULL, XDPLB_M(CPUS), XDPLB_OF_KEY,
		XDPLB_CMD_NONE, XDPLB_STEER_CONFLICT,
		.help = "cpumap queue size per CPU, 1..16384 (default 2048)" },
	[XDPLB_OPT_HASH] = { "hash", 0, XDPLB_ARG_WORD, "MODE", "sym l4 l3", XDPLB_M_TRY,
		XDPLB_OF_KEY, XDPLB_CMD_NONE, NULL,
		.help = "sym (both directions together, default), l4, l3" },
	[XDPLB_OPT_INNER] = { "inner", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M_TRY, XDPLB_OF_KEY,
		XDPLB_CMD_NONE, NULL,
		.help = "hash GRE, ERSPAN, IPIP, VXLAN frames on the flow they carry" },
	[XDPLB_OPT_NO_INNER] = { "no-inner", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M_TRY,
		XDPLB_OF_KEY, XDPLB_CMD_NONE, NULL,
		.help = "hash tunnels on their outer header (default)" },
	[XDPLB_OPT_SEED] = { "seed", 0, XDPLB_ARG_NUMBER, "HEX", NULL, XDPLB_M_TRY, XDPLB_OF_KEY,
		XDPLB_CMD_NONE, NULL,
		.help = "hash secret, 1..16 hex digits (default: random at attach)" },
	[XDPLB_OPT_MODE] = { "mode", 0, XDPLB_ARG_WORD, "MODE", "native skb hw auto", XDPLB_M_ATTACH,
		XDPLB_OF_KEY, XDPLB_CMD_NONE, NULL,
		.help = "XDP attach mode: native (default), skb, hw, auto (native, else skb)" },
	[XDPLB_OPT_REMOTE] = { "remote", 0, XDPLB_ARG_WORD, "ACT", "none pass drop redirect:IF",
		XDPLB_M(CPUS), XDPLB_OF_KEY, XDPLB_CMD_NONE, XDPLB_STEER_CONFLICT,
		.help = "program on the remote CPU: none (default), pass, drop, redirect:IF" },
	[XDPLB_OPT_PASS_NON_IP] = { "pass-non-ip", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M(PORTS),
		XDPLB_OF_KEY, XDPLB_CMD_NONE, "goes with --redirect (with --cpus frames without a flow "
		"always stay on the receiving CPU)", XDPLB_FLAG(pass_non_ip),
		"--redirect: leave frames without a flow (ARP, ...) to IN's stack, not the first port" },
	[XDPLB_OPT_TABLE_SIZE] = { "table-size", 0, XDPLB_ARG_NUMBER, "N",
		"64 128 256 512 1024 2048 4096 8192 16384 32768 65536", XDPLB_M_TRY, XDPLB_OF_KEY,
		XDPLB_CMD_NONE, NULL, .help = "indirection table slots, a power of two 64..65536 "
		"(default 1024 per possible CPU or per port, 4096..65536)" },
	[XDPLB_OPT_CONFIRM] = { "confirm", 0, XDPLB_ARG_NUMBER, "SECS", NULL,
		XDPLB_M_ATTACH | XDPLB_M(CONFIG), 0, XDPLB_CMD_NONE, NULL,
		.help = "revert the change by itself after SECS (1..3600) unless --confirm-ok" },
	[XDPLB_OPT_FORCE] = { "force", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M_ATTACH | XDPLB_M(CONFIG),
		0, XDPLB_CMD_NONE, NULL, XDPLB_FLAG(force),
		"allow --remote drop on the interface of the default route or SSH" },
	[XDPLB_OPT_BALANCE] = { "balance", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M(CPUS), XDPLB_OF_KEY,
		XDPLB_CMD_NONE, XDPLB_BALANCE_CONFLICT, XDPLB_FLAG(balance),
		"stay in the foreground and move slots off busy CPUs, reorder-safe" },
	[XDPLB_OPT_BALANCE_INTERVAL] = { "balance-interval", 0, XDPLB_ARG_NUMBER, "MS", NULL,
		XDPLB_M(CPUS), XDPLB_OF_KEY, XDPLB_CMD_NONE, XDPLB_BALANCE_CONFLICT,
		.help = "--balance: milliseconds between rounds, 100..60000 (default 1000)" },
	[XDPLB_OPT_BALANCE_MAX_MOVES] = { "balance-max-moves", 0, XDPLB_ARG_NUMBER, "N", NULL,
		XDPLB_M(CPUS), XDPLB_OF_KEY, XDPLB_CMD_NONE, XDPLB_BALANCE_CONFLICT,
		.help = "--balance: slots moved per round at most, 1..1024 (default 16)" },
	[XDPLB_OPT_CONFIG] = { "config", 0, XDPLB_ARG_PATH, "FILE", NULL, XDPLB_M(CONFIG) | XDPLB_M(EXPLAIN),
		XDPLB_OF_MODE, XDPLB_CMD_NONE, NULL,
		.help = "apply the whole configuration in FILE (key value lines; see README)" },
	[XDPLB_OPT_CONFIG_OUT] = { "config-out", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M(STATUS), 0,
		XDPLB_CMD_NONE, NULL, XDPLB_FLAG(config_out),
		"with --status --iface IF: print its configuration as a --config file" },
	[XDPLB_OPT_DETACH] = { "detach", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M(DETACH),
		XDPLB_OF_MODE, XDPLB_CMD_DETACH, NULL, .help = "remove xdplb and its pins from --iface" },
	[XDPLB_OPT_STATUS] = { "status", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M(STATUS),
		XDPLB_OF_MODE, XDPLB_CMD_STATUS, NULL,
		.help = "show every instance (or --iface's) with its counters" },
	[XDPLB_OPT_WATCH] = { "watch", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M(WATCH), XDPLB_OF_MODE,
		XDPLB_CMD_WATCH, NULL, .help = "show live rates every --interval" },
	[XDPLB_OPT_CHECK] = { "check", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M(CHECK), XDPLB_OF_MODE,
		XDPLB_CMD_CHECK, NULL, .help = "check whether this machine can run xdplb" },
	[XDPLB_OPT_CONFIRM_OK] = { "confirm-ok", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M(CONFIRM_OK),
		XDPLB_OF_MODE, XDPLB_CMD_CONFIRM_OK, NULL,
		.help = "keep the change made on --iface with --confirm" },
	[XDPLB_OPT_WHICH] = { "which", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M(WHICH), XDPLB_OF_MODE,
		XDPLB_CMD_WHICH, NULL,
		.help = "with --iface IF PROTO SRC DST: print the target IF sends that flow to" },
	[XDPLB_OPT_EXPLAIN] = { "explain", 0, XDPLB_ARG_PATH, "FILE", NULL, XDPLB_M(EXPLAIN),
		XDPLB_OF_MODE, XDPLB_CMD_EXPLAIN, NULL, .help = "every frame of a pcap/pcapng FILE "
		"through --iface IF's decision, or that of --cpus LIST --seed HEX [..] or --config FILE" },
	[XDPLB_OPT_JSON] = { "json", 0, XDPLB_ARG_NONE, NULL, NULL,
		XDPLB_M(STATUS) | XDPLB_M(WATCH) | XDPLB_M(CHECK) | XDPLB_M(EXPLAIN), 0, XDPLB_CMD_NONE,
		NULL, XDPLB_FLAG(json), "machine-readable output for --status, --watch, --check and --explain" },
	[XDPLB_OPT_INTERVAL] = { "interval", 0, XDPLB_ARG_NUMBER, "S", NULL, XDPLB_M(WATCH), 0,
		XDPLB_CMD_NONE, NULL, .help = "--watch interval in seconds, 0.1..3600 (default 1)" },
	[XDPLB_OPT_COUNT] = { "count", 0, XDPLB_ARG_NUMBER, "N", NULL, XDPLB_M(WATCH), 0,
		XDPLB_CMD_NONE, NULL, .help = "--watch: stop after N intervals" },
	[XDPLB_OPT_PROMETHEUS] = { "prometheus", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M(STATUS), 0,
		XDPLB_CMD_NONE, "it goes with --status, without --json (--watch writes a file: "
		"--prometheus-file)", XDPLB_FLAG(prometheus),
		"--status in Prometheus' text exposition format" },
	[XDPLB_OPT_PROMETHEUS_FILE] = { "prometheus-file", 0, XDPLB_ARG_PATH, "PATH", NULL,
		XDPLB_M(STATUS) | XDPLB_M(WATCH), 0, XDPLB_CMD_NONE, NULL,
		.help = "--status, --watch: also write the metrics to PATH (replaced atomically)" },
	[XDPLB_OPT_VERBOSE] = { "verbose", 'v', XDPLB_ARG_NONE, NULL, NULL, XDPLB_M_ALL, 0,
		XDPLB_CMD_NONE, NULL, .help = "say each step; twice: libbpf's debug log too" },
	[XDPLB_OPT_VERSION] = { "version", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M_ALL, 0,
		XDPLB_CMD_VERSION, NULL, .help = "print the version" },
	[XDPLB_OPT_HELP] = { "help", 'h', XDPLB_ARG_NONE, NULL, NULL, XDPLB_M_ALL, 0, XDPLB_CMD_HELP,
		NULL, .help = "this text" },
	[XDPLB_OPT_LIST_OPTIONS] = { "list-options", 0, XDPLB_ARG_NONE, NULL, NULL, XDPLB_M_ALL,
		XDPLB_OF_HIDDEN, XDPLB_CMD_LIST_OPTIONS, NULL,
		.help = "the option table, one option a line, for the completion and tests" },
};

static const char *const xdplb_arg_kind_names[] = {
	[XDPLB_ARG_NONE] = "none", [XDPLB_ARG_IFACE] = "iface", [XDPLB_ARG_CPUS] = "cpus",
	[XDPLB_ARG_PORTS] = "ports", [XDPLB_ARG_WORD] = "word", [XDPLB_ARG_NUMBER] = "number",
	[XDPLB_ARG_PATH] = "path",
};

/* getopt_long's value for a row: its short letter, else past every character. */
static int xdplb_option_val(enum xdplb_opt_id id)
{
	return xdplb_options[id].short_name ? xdplb_options[id].short_name : 256 + (int)id;
}

static int xdplb_option_id(int val)
{
	int id;

	if (val >= 256)
		return val - 256;
	for (id = 0; id < XDPLB_OPT__COUNT; id++)
		if (xdplb_options[id].short_name == val)
			return id;
	return -1;
}

/* Adds "--name" (with_arg: "--name ARG") of the rows for which keep(id, arg) holds to buf,
 * comma-separated, the last after `last` (", " or " or "); "--inner" and a following
 * "--no-inner" read "--[no-]inner". */
static void xdplb_join_options(char *buf, size_t len, bool (*keep)(enum xdplb_opt_id, unsigned int),
			       unsigned int arg, const char *last, bool with_arg)
{
	int ids[XDPLB_OPT__COUNT], n = 0, i, id;
	size_t used = strlen(buf);

	for (id = 0; id < XDPLB_OPT__COUNT; id++) {
		if (!keep(id, arg))
			continue;
		if (id > 0 && n && ids[n - 1] == id - 1 && !strncmp(xdplb_options[id].name, "no-", 3) &&
		    !strcmp(xdplb_options[id].name + 3, xdplb_options[id - 1].name)) {
			ids[n - 1] = -(id - 1) - 1;	/* the pair, written as --[no-]NAME */
			continue;
		}
		ids[n++] = id;
	}
	for (i = 0; i < n && used < len; i++) {
		id = ids[i] < 0 ? -ids[i] - 1 : ids[i];
		used += snprintf(buf + used, len - used, "%s--%s%s%s%s", !i ? "" : i == n - 1 ? last : ", ",
				 ids[i] < 0 ? "[no-]" : "", xdplb_options[id].name,
				 with_arg && xdplb_options[id].arg ? " " : "",
				 with_arg && xdplb_options[id].arg ? xdplb_options[id].arg : "");
	}
}

void xdplb_print_help(void)
{
	int i;

	printf("Usage:\n"
	       "  xdplb --iface IF --cpus LIST [--qsize N] [--hash sym|l4|l3] [--[no-]inner]\n"
	       "        [--seed HEX] [--mode native|skb|hw|auto] [--remote none|pass|drop|redirect:IF]\n"
	       "        [--table-size N] [--confirm SECS] [--force]\n"
	       "        [--balance [--balance-interval MS] [--balance-max-moves N]]\n"
	       "  xdplb --redirect IN:OUT[:WEIGHT][,OUT...] [--pass-non-ip] [--hash ..] [--[no-]inner]\n"
	       "        [--seed ..] [--mode ..] [--table-size N] [--confirm SECS] [--force]\n"
	       "  xdplb --confirm-ok --iface IF\n"
	       "  xdplb --config FILE [--confirm SECS] [--force]\n"
	       "  xdplb --status [--iface IF] [--json | --prometheus] [--prometheus-file PATH]\n"
	       "  xdplb --status --iface IF --config-out\n"
	       "  xdplb --which --iface IF PROTO SRC[:PORT] DST[:PORT]\n"
	       "  xdplb --explain FILE (--iface IF | --cpus LIST --seed HEX [..] | --config FILE) [--json]\n"
	       "  xdplb --watch [--iface IF] [--interval S] [--count N] [--json] [--prometheus-file PATH]\n"
	       "  xdplb --detach --iface IF\n"
	       "  xdplb --check [--iface IF] [--json]\n\n"
	       "Spreads the flows received on IF over CPUs with XDP_REDIRECT through a cpumap,\n"
	       "or (--redirect) forwards them unchanged out of other ports through a devmap.\n"
	       "Run again on the same IF to change the configuration live; options left out\n"
	       "keep their running values.\n\nOptions:\n");
	for (i = 0; i < XDPLB_OPT__COUNT; i++) {
		const struct xdplb_option *o = &xdplb_options[i];
		char left[40];

		if (o->flags & XDPLB_OF_HIDDEN)
			continue;
		snprintf(left, sizeof(left), "%s--%s%s%s", o->short_name ? "-x, " : "    ", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		if (o->short_name)
			left[1] = o->short_name;
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
	       "  xdplb --iface eth0 --cpus 2-5 --balance   # and keep the CPUs evenly loaded\n"
	       "  xdplb --watch --interval 2             # rates of every instance every 2 s\n"
	       "  xdplb --status --iface eth0 --config-out > lb.conf\n"
	       "  xdplb --config lb.conf                 # the same placement on another node\n"
	       "  xdplb --which --iface eth0 udp 198.18.0.1:4000 198.18.1.1:53   # prints: cpu 3\n"
	       "  xdplb --explain tap.pcap --iface eth0  # where each captured frame goes, and why\n"
	       "  xdplb --detach --iface eth0\n\n"
	       "Exit status: 0 success, 1 runtime failure, 2 usage error.\n");
}

void xdplb_print_option_table(void)
{
	int i;

	for (i = 0; i < XDPLB_OPT__COUNT; i++) {
		const struct xdplb_option *o = &xdplb_options[i];

		if (o->flags & XDPLB_OF_HIDDEN)
			continue;
		printf("--%s %s%c %s %s%s%s\n", o->name, o->short_name ? "-" : "",
		       o->short_name ? o->short_name : '-', o->arg ? o->arg : "-",
		       xdplb_arg_kind_names[o->kind], o->words ? " " : "", o->words ? o->words : "");
	}
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

/* The rows that select a command with a mode of its own (not --help or --version). */
static bool xdplb_is_command(enum xdplb_opt_id id, unsigned int unused)
{
	(void)unused;
	return xdplb_options[id].cmd != XDPLB_CMD_NONE && (xdplb_options[id].flags & XDPLB_OF_MODE);
}

/* The rows that name a mode, but mode `skip`. */
static bool xdplb_names_mode(enum xdplb_opt_id id, unsigned int skip)
{
	return (xdplb_options[id].flags & XDPLB_OF_MODE) && !(xdplb_options[id].modes & (1u << skip));
}

/* The rows that name one of the modes in `modes`: by their own mode, the first of theirs
 * (--cpus is the CPUS mode's, though --explain takes it too). */
static bool xdplb_names_one_of(enum xdplb_opt_id id, unsigned int modes)
{
	unsigned int m = xdplb_options[id].modes;

	return (xdplb_options[id].flags & XDPLB_OF_MODE) && (m & -m & modes);
}

/* The rows that only go with an attach (or --config): an instance's settings, --confirm,
 * --force. */
static bool xdplb_is_attach_only(enum xdplb_opt_id id, unsigned int unused)
{
	(void)unused;
	return id != XDPLB_OPT_CONFIG && xdplb_options[id].cmd == XDPLB_CMD_NONE &&
	       !(xdplb_options[id].modes & ~(XDPLB_M_TRY | XDPLB_M(CONFIG)));
}

static int xdplb_set_cmd(struct xdplb_opts *o, enum xdplb_opt_id id)
{
	const struct xdplb_option *opt = &xdplb_options[id];
	char flag[40], cmds[256] = "";
	int other;

	if (!(opt->flags & XDPLB_OF_MODE)) {
		o->cmd = opt->cmd;	/* --help, --version, --list-options: nothing else runs */
		return 0;
	}
	if (o->cmd != XDPLB_CMD_NONE && o->cmd != opt->cmd) {
		for (other = 0; other < XDPLB_OPT__COUNT; other++)
			if (xdplb_is_command(other, 0) && xdplb_options[other].cmd == o->cmd)
				break;
		snprintf(flag, sizeof(flag), "--%s", opt->name);
		xdplb_join_options(cmds, sizeof(cmds), xdplb_is_command, 0, ", ", false);
		return usage_err(flag, "conflicts", "with --%s; give one of %s",
				 xdplb_options[other].name, cmds);
	}
	o->cmd = opt->cmd;
	return 0;
}

static int xdplb_parse_iface(const char *arg, const char **out)
{
	/* The kernel's own rule (dev_valid_name): "." and ".." would make the instance
	 * directory the pin root or its parent. */
	if (!xdplb_ifname_valid(arg, strlen(arg)))
		return usage_err("--iface", arg[0] ? arg : "''",
				 "an interface name of 1..15 characters, not '.' or '..', "
				 "without '/', ':' or spaces");
	*out = arg;
	return 0;
}

static int xdplb_parse_remote(struct xdplb_opts *o, const char *arg)
{
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
}

static int xdplb_parse_table_size(const char *arg, __u32 *out)
{
	__u32 v;
	int err = xdplb_parse_u32("--table-size", arg, XDPLB_TABLE_MIN, XDPLB_TABLE_MAX, &v);

	if (err)
		return err;
	if (v & (v - 1))
		return usage_err("--table-size", arg, "a power of two %d..%d",
				 XDPLB_TABLE_MIN, XDPLB_TABLE_MAX);
	*out = v;
	return 0;
}

static int xdplb_parse_inner(struct xdplb_opts *o, bool inner)
{
	if (o->inner_set && o->inner != inner)
		return usage_err(inner ? "--inner" : "--no-inner", "conflicts",
				 "give --inner or --no-inner, not both");
	o->inner_set = true;
	o->inner = inner;
	return 0;
}

/* The options whose value is more than a flag or a command. */
static int xdplb_parse_value(struct xdplb_opts *o, enum xdplb_opt_id id, const char *arg)
{
	switch (id) {
	case XDPLB_OPT_IFACE:
		return xdplb_parse_iface(arg, &o->ifname);
	case XDPLB_OPT_CPUS:
		o->cpus = arg;
		return 0;
	case XDPLB_OPT_QSIZE:
		o->qsize_set = true;
		return xdplb_parse_u32("--qsize", arg, XDPLB_QSIZE_MIN, XDPLB_QSIZE_MAX, &o->qsize);
	case XDPLB_OPT_HASH:
		o->hash_set = true;
		return xdplb_parse_name("--hash", arg, xdplb_hash_names, 3, "sym, l4, l3", &o->hash_mode);
	case XDPLB_OPT_INNER:
	case XDPLB_OPT_NO_INNER:
		return xdplb_parse_inner(o, id == XDPLB_OPT_INNER);
	case XDPLB_OPT_SEED:
		o->seed_set = true;
		return xdplb_parse_seed("--seed", arg, &o->seed);
	case XDPLB_OPT_MODE:
		o->mode_set = true;
		return xdplb_parse_name("--mode", arg, xdplb_mode_names, 4, "native, skb, hw, auto",
					&o->attach_mode);
	case XDPLB_OPT_REMOTE:
		o->remote_set = true;
		return xdplb_parse_remote(o, arg);
	case XDPLB_OPT_REDIRECT:
		o->redirect_set = true;
		return xdplb_parse_redirect(arg, &o->redirect);
	case XDPLB_OPT_TABLE_SIZE:
		o->table_size_set = true;
		return xdplb_parse_table_size(arg, &o->table_size);
	case XDPLB_OPT_CONFIRM:
		return xdplb_parse_u32("--confirm", arg, 1, 3600, &o->confirm_s);
	case XDPLB_OPT_BALANCE_INTERVAL:
		return xdplb_parse_u32("--balance-interval", arg, 100, 60000, &o->balance_interval_ms);
	case XDPLB_OPT_BALANCE_MAX_MOVES:
		return xdplb_parse_u32("--balance-max-moves", arg, 1, 1024, &o->balance_max_moves);
	case XDPLB_OPT_CONFIG:
		o->config = arg;
		return 0;
	case XDPLB_OPT_PROMETHEUS_FILE:
		if (!*arg)
			return usage_err("--prometheus-file", "''", "a file path");
		o->prometheus_file = arg;
		return 0;
	case XDPLB_OPT_INTERVAL:
		o->interval_set = true;
		return xdplb_parse_interval(arg, &o->interval_s);
	case XDPLB_OPT_COUNT:
		return xdplb_parse_u32("--count", arg, 1, 1000000000, &o->count);
	case XDPLB_OPT_VERBOSE:
		o->verbose++;
		return 0;
	default:
		return -XDPLB_EUSAGE;
	}
}

static int xdplb_parse_one(struct xdplb_opts *o, enum xdplb_opt_id id, const char *arg)
{
	const struct xdplb_option *opt = &xdplb_options[id];

	o->given |= 1ULL << id;
	if (id == XDPLB_OPT_EXPLAIN)
		o->explain = arg;
	if (opt->cmd != XDPLB_CMD_NONE)
		return xdplb_set_cmd(o, id);
	if (opt->flag_offset) {
		*(bool *)((char *)o + opt->flag_offset) = true;
		return 0;
	}
	return xdplb_parse_value(o, id, arg);
}

static bool xdplb_given(const struct xdplb_opts *o, enum xdplb_opt_id id)
{
	return o->given & (1ULL << id);
}

/* --config-out and --which: what they need. */
static int xdplb_check_config_out_which(struct xdplb_opts *o)
{
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

/* --balance's own options need it; a --confirm revert would undo what it moves. */
static int xdplb_check_balance(const struct xdplb_opts *o)
{
	enum xdplb_opt_id id = xdplb_given(o, XDPLB_OPT_BALANCE_INTERVAL) ?
			       XDPLB_OPT_BALANCE_INTERVAL : XDPLB_OPT_BALANCE_MAX_MOVES;
	char flag[40];

	if (!o->balance && xdplb_given(o, id)) {
		snprintf(flag, sizeof(flag), "--%s", xdplb_options[id].name);
		return usage_err(flag, "conflicts", "it goes with --balance");
	}
	if (o->balance && o->confirm_s)
		return usage_err("--balance", "conflicts",
				 "with --confirm: a revert would undo what the balancer moves");
	return 0;
}

/* The mode the options ask for. Without a command: --config, else --redirect, else --cpus. */
static enum xdplb_mode xdplb_mode_of(const struct xdplb_opts *o)
{
	static const enum xdplb_mode of_cmd[] = {
		[XDPLB_CMD_DETACH] = XDPLB_MODE_DETACH, [XDPLB_CMD_STATUS] = XDPLB_MODE_STATUS,
		[XDPLB_CMD_WATCH] = XDPLB_MODE_WATCH, [XDPLB_CMD_CHECK] = XDPLB_MODE_CHECK,
		[XDPLB_CMD_CONFIRM_OK] = XDPLB_MODE_CONFIRM_OK, [XDPLB_CMD_WHICH] = XDPLB_MODE_WHICH,
		[XDPLB_CMD_EXPLAIN] = XDPLB_MODE_EXPLAIN,
	};

	/* --explain --config FILE tries the file's settings: its own mode, not an apply. */
	if (o->cmd == XDPLB_CMD_EXPLAIN)
		return XDPLB_MODE_EXPLAIN;
	if (o->config)
		return XDPLB_MODE_CONFIG;
	if (o->cmd != XDPLB_CMD_NONE)
		return of_cmd[o->cmd];
	return o->redirect_set ? XDPLB_MODE_PORTS : XDPLB_MODE_CPUS;
}

/* The option that names mode in messages: --status, --cpus, --redirect. */
static const char *xdplb_mode_flag(enum xdplb_mode mode)
{
	int id;

	for (id = 0; id < XDPLB_OPT__COUNT; id++)
		if ((xdplb_options[id].flags & XDPLB_OF_MODE) && xdplb_options[id].modes == 1u << mode)
			return xdplb_options[id].name;
	return "?";
}

/* Why row id cannot go with the mode asked for: its own reason, else the modes it goes
 * with ("it goes with --status, --watch or --check", "it goes with --watch only"). */
static void xdplb_conflict_why(enum xdplb_opt_id id, char *why, size_t len)
{
	const struct xdplb_option *opt = &xdplb_options[id];

	if (opt->conflict) {
		snprintf(why, len, "%s", opt->conflict);
		return;
	}
	snprintf(why, len, "it goes with ");
	xdplb_join_options(why, len, xdplb_names_one_of, opt->modes, " or ", false);
	if (!(opt->modes & (opt->modes - 1)))
		strncat(why, " only", len - strlen(why) - 1);
}

/* The first option given that does not go with mode, among the attach rows (settings,
 * --iface, --confirm, --force) or the others. A command names itself and what only goes
 * with an attach; --config says what goes with it; else the option says why. */
static int xdplb_check_modes(const struct xdplb_opts *o, enum xdplb_mode mode, bool attach_rows)
{
	char flag[40], why[512];
	int id;

	for (id = 0; id < XDPLB_OPT__COUNT; id++) {
		const struct xdplb_option *opt = &xdplb_options[id];
		bool attach_row = opt->modes & (XDPLB_M_ATTACH | XDPLB_M(CONFIG));

		if (!xdplb_given(o, id) || (opt->modes & (1u << mode)) || attach_row != attach_rows)
			continue;
		if (mode == XDPLB_MODE_CONFIG)
			return usage_err("--config", "conflicts", "with other options: the file holds the whole "
					 "configuration (only -v, --confirm and --force go with --config)");
		snprintf(flag, sizeof(flag), "--%s", opt->name);
		if (mode == XDPLB_MODE_EXPLAIN && attach_row)
			return usage_err(flag, "conflicts", "%s", XDPLB_EXPLAIN_TAKES);
		if (attach_row && mode > XDPLB_MODE_CONFIG) {
			snprintf(flag, sizeof(flag), "--%s", xdplb_mode_flag(mode));
			snprintf(why, sizeof(why), "with ");
			xdplb_join_options(why, sizeof(why), xdplb_is_attach_only, 0, ", ", false);
		} else {
			snprintf(flag, sizeof(flag), "--%s", opt->name);
			xdplb_conflict_why(id, why, sizeof(why));
		}
		return usage_err(flag, "conflicts", "%s", why);
	}
	return 0;
}

/* --explain asks the live instance or tries settings, never both at once. */
static int xdplb_check_explain(const struct xdplb_opts *o)
{
	__u64 settings = 1ULL << XDPLB_OPT_CPUS | 1ULL << XDPLB_OPT_HASH | 1ULL << XDPLB_OPT_INNER |
			 1ULL << XDPLB_OPT_NO_INNER | 1ULL << XDPLB_OPT_SEED | 1ULL << XDPLB_OPT_TABLE_SIZE;
	bool tries = o->given & settings;

	if (o->ifname && (tries || o->config))
		return usage_err("--explain", "conflicts", "--iface asks the live instance; without "
				 "--iface, give the settings to try (--cpus, --seed, ... or --config)");
	if (o->config && tries)
		return usage_err("--config", "conflicts", "with other settings: the file holds them all");
	if (o->config || o->ifname)
		return 0;
	if (!o->cpus)
		return usage_err("--explain", "missing --iface or --cpus", "%s", XDPLB_EXPLAIN_TAKES);
	if (!o->seed_set)
		return usage_err("--explain", "missing --seed", "the seed decides every flow: give the "
				 "one to try (--status shows a live instance's)");
	return 0;
}

/* What each mode needs besides its own option; an attach becomes XDPLB_CMD_ATTACH. */
static int xdplb_check_needs(struct xdplb_opts *o, enum xdplb_mode mode)
{
	char modes[256] = "";

	switch (mode) {
	case XDPLB_MODE_PORTS:
		o->ifname = o->redirect.in;
		break;
	case XDPLB_MODE_CPUS:
		if (!o->ifname && !o->cpus) {
			xdplb_join_options(modes, sizeof(modes), xdplb_names_mode, XDPLB_MODE_CPUS,
					   " or ", true);
			return usage_err("usage", "no command", "give --iface IF --cpus LIST, %s (see --help)",
					 modes);
		}
		if (!o->ifname)
			return usage_err("--iface", "missing", "--cpus needs the interface to attach to");
		if (!o->cpus)
			return usage_err("--cpus", "missing", "give the CPUs to fan out to, like --cpus 0-3");
		break;
	case XDPLB_MODE_DETACH:
		return o->ifname ? 0 : usage_err("--detach", "missing --iface",
						 "name the interface to detach from");
	case XDPLB_MODE_CONFIRM_OK:
		return o->ifname ? 0 : usage_err("--confirm-ok", "missing --iface",
						 "name the interface whose change to keep");
	case XDPLB_MODE_EXPLAIN:
		return xdplb_check_explain(o);
	default:
		return 0;
	}
	o->cmd = XDPLB_CMD_ATTACH;
	return 0;
}

/* Options that only make sense with some modes, so a typo does not pass silently. */
int xdplb_check_combination(struct xdplb_opts *o)
{
	enum xdplb_mode mode = xdplb_mode_of(o);
	char why[256];
	int err;

	if (mode == XDPLB_MODE_CONFIG) {
		err = xdplb_check_modes(o, mode, true);
		if (!err)
			err = xdplb_check_modes(o, mode, false);
		if (!err)
			o->cmd = XDPLB_CMD_ATTACH;
		return err;
	}
	err = xdplb_check_config_out_which(o);
	if (!err)
		err = xdplb_check_modes(o, mode, true);
	if (!err)
		err = xdplb_check_needs(o, mode);
	if (!err)
		err = xdplb_check_modes(o, mode, false);
	if (!err)
		err = xdplb_check_balance(o);
	if (!err && o->prometheus && o->json) {
		xdplb_conflict_why(XDPLB_OPT_PROMETHEUS, why, sizeof(why));
		err = usage_err("--prometheus", "conflicts", "%s", why);
	}
	return err;
}

void xdplb_opts_init(struct xdplb_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->interval_s = 1.0;
	o->attach_mode = XDP_MODE_NATIVE;
	o->qsize = XDPLB_QSIZE_DEFAULT;
	o->table_size = 0;	/* sized for the targets: xdplb_default_table_size() */
	o->balance_interval_ms = 1000;
	o->balance_max_moves = 16;
}

int xdplb_parse_option(struct xdplb_opts *o, const char *name, const char *value)
{
	char flag[40];
	int id;

	for (id = 0; id < XDPLB_OPT__COUNT; id++) {
		const struct xdplb_option *opt = &xdplb_options[id];

		if (strcmp(opt->name, name))
			continue;
		snprintf(flag, sizeof(flag), "--%s", name);
		if (opt->arg && !value)
			return usage_err(flag, "missing value", "give it after the name");
		if (!opt->arg && value)
			return usage_err(flag, value, "takes no value");
		return xdplb_parse_one(o, id, value);
	}
	return -ENOENT;
}

int xdplb_parse_options(int argc, char **argv, struct xdplb_opts *o)
{
	struct option longopts[XDPLB_OPT__COUNT + 1];
	char shortopts[2 * XDPLB_OPT__COUNT + 2] = ":";
	size_t n_short = 1;
	int c, id, err;

	xdplb_opts_init(o);
	for (id = 0; id < XDPLB_OPT__COUNT; id++) {
		const struct xdplb_option *opt = &xdplb_options[id];

		longopts[id] = (struct option){ opt->name, opt->arg ? required_argument : no_argument,
						NULL, xdplb_option_val(id) };
		if (opt->short_name) {
			shortopts[n_short++] = opt->short_name;
			if (opt->arg)
				shortopts[n_short++] = ':';
		}
	}
	memset(&longopts[id], 0, sizeof(longopts[id]));
	shortopts[n_short] = '\0';

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?') {
			const char *bad = argv[optind - 1];

			return usage_err(optopt && optopt < 256 ? (char[]){ '-', (char)optopt, 0 } : bad,
					 "unknown option", "see xdplb --help");
		}
		if (c == ':')
			return usage_err(argv[optind - 1], "missing value", "see xdplb --help");
		id = xdplb_option_id(c);
		err = id < 0 ? -XDPLB_EUSAGE : xdplb_parse_one(o, id, optarg);
		if (err)
			return err;
		if (o->cmd == XDPLB_CMD_HELP || o->cmd == XDPLB_CMD_VERSION ||
		    o->cmd == XDPLB_CMD_LIST_OPTIONS)
			return 0;
	}
	/* Words after the options: --which's flow, refused for every other command. */
	o->which_args = argv + optind;
	o->n_which_args = argc - optind;
	return xdplb_check_combination(o);
}
