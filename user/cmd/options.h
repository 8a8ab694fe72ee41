/* SPDX-License-Identifier: GPL-2.0 */
/* options.h: the command line, parsed and checked for form (not yet against the machine).
 * One typed table, xdplb_options[], says every option once: getopt_long, --help, the
 * checks of which options go with which mode, --list-options (the bash completion reads
 * it) and the keys of --config files all come from it. */
#ifndef XDPLB_OPTIONS_H
#define XDPLB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
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
	XDPLB_CMD_LIST_OPTIONS,	/* --list-options: the option table, for the completion */
	XDPLB_CMD_EXPLAIN,	/* --explain FILE, with --iface IF or settings to try */
};

/* Every option, in the order --help lists them. Its row in xdplb_options says the rest. */
enum xdplb_opt_id {
	XDPLB_OPT_IFACE, XDPLB_OPT_CPUS, XDPLB_OPT_REDIRECT, XDPLB_OPT_QSIZE, XDPLB_OPT_HASH,
	XDPLB_OPT_INNER, XDPLB_OPT_NO_INNER, XDPLB_OPT_SEED, XDPLB_OPT_MODE, XDPLB_OPT_REMOTE,
	XDPLB_OPT_PASS_NON_IP, XDPLB_OPT_TABLE_SIZE, XDPLB_OPT_CONFIRM, XDPLB_OPT_FORCE,
	XDPLB_OPT_BALANCE, XDPLB_OPT_BALANCE_INTERVAL, XDPLB_OPT_BALANCE_MAX_MOVES,
	XDPLB_OPT_CONFIG, XDPLB_OPT_CONFIG_OUT, XDPLB_OPT_DETACH, XDPLB_OPT_STATUS,
	XDPLB_OPT_WATCH, XDPLB_OPT_CHECK, XDPLB_OPT_CONFIRM_OK, XDPLB_OPT_WHICH, XDPLB_OPT_EXPLAIN, XDPLB_OPT_JSON,
	XDPLB_OPT_INTERVAL, XDPLB_OPT_COUNT, XDPLB_OPT_PROMETHEUS, XDPLB_OPT_PROMETHEUS_FILE,
	XDPLB_OPT_VERBOSE, XDPLB_OPT_VERSION, XDPLB_OPT_HELP, XDPLB_OPT_LIST_OPTIONS,
	XDPLB_OPT__COUNT
};

/* What an option's value is, which is also how the bash completion completes it. */
enum xdplb_arg_kind {
	XDPLB_ARG_NONE,		/* a flag */
	XDPLB_ARG_IFACE,	/* an interface of this network namespace */
	XDPLB_ARG_CPUS,		/* a comma list of CPUs */
	XDPLB_ARG_PORTS,	/* IN:OUT[,OUT...]: interfaces */
	XDPLB_ARG_WORD,		/* one of the words of the row; WORD:IF takes an interface */
	XDPLB_ARG_NUMBER,	/* a number; the row's words, if any, are the usual ones */
	XDPLB_ARG_PATH,		/* a file */
};

/* The modes of the tool: what an invocation does. An option belongs to some of them. */
enum xdplb_mode {
	XDPLB_MODE_CPUS,	/* --iface IF --cpus LIST */
	XDPLB_MODE_PORTS,	/* --redirect IN:OUT */
	XDPLB_MODE_CONFIG,	/* --config FILE */
	XDPLB_MODE_DETACH,
	XDPLB_MODE_STATUS,
	XDPLB_MODE_WATCH,
	XDPLB_MODE_CHECK,
	XDPLB_MODE_CONFIRM_OK,
	XDPLB_MODE_WHICH,
	XDPLB_MODE_EXPLAIN,	/* --explain FILE with --iface IF, or the settings to try */
	XDPLB_MODE__COUNT
};

#define XDPLB_M(mode)	(1u << XDPLB_MODE_##mode)
#define XDPLB_M_ATTACH	(XDPLB_M(CPUS) | XDPLB_M(PORTS))
#define XDPLB_M_ALL	((1u << XDPLB_MODE__COUNT) - 1)
/* The settings that decide where a flow goes: an attach applies them, --explain tries them. */
#define XDPLB_M_TRY	(XDPLB_M_ATTACH | XDPLB_M(EXPLAIN))

/* Row flags. */
#define XDPLB_OF_KEY	(1u << 0)	/* an instance setting: a key of --config files */
#define XDPLB_OF_HIDDEN	(1u << 1)	/* for tools (completion, tests): not in --help */
#define XDPLB_OF_MODE	(1u << 2)	/* names its mode (--cpus, --redirect, --config, a command) */

struct xdplb_option {
	const char *name;
	char short_name;	/* 0: none */
	enum xdplb_arg_kind kind;
	const char *arg;	/* the value's placeholder in --help, NULL for a flag */
	const char *words;	/* the values to offer, space-separated, or NULL */
	unsigned int modes;	/* XDPLB_M() of the modes it goes with */
	unsigned int flags;	/* XDPLB_OF_* */
	enum xdplb_cmd cmd;	/* the command it selects, or XDPLB_CMD_NONE */
	const char *conflict;	/* why it cannot go with another mode; NULL: say its modes */
	size_t flag_offset;	/* a plain flag: its bool in struct xdplb_opts; 0: none */
	const char *help;
};

extern const struct xdplb_option xdplb_options[XDPLB_OPT__COUNT];

struct xdplb_opts {
	enum xdplb_cmd cmd;
	__u64 given;		/* bit 1 << enum xdplb_opt_id of each option given */
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
	const char *explain;	/* --explain FILE */
	bool balance;			/* --balance: stay as the instance's balancer */
	__u32 balance_interval_ms;	/* --balance-interval MS */
	__u32 balance_max_moves;	/* --balance-max-moves N, per round */
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
/* --list-options: "--name -s ARG kind [words...]" per visible option ("-" for none). */
void xdplb_print_option_table(void);


/* Strict parsers shared with other inputs (config files, --which). */
int xdplb_parse_u32(const char *flag, const char *s, __u32 lo, __u32 hi, __u32 *out);
int xdplb_parse_seed(const char *flag, const char *s, __u64 *out);

#endif
