/* SPDX-License-Identifier: GPL-2.0 */
/* instance.h: one xdplb instance as the tool sees it (its pinned maps and programs) and the
 * settings it runs with. */
#ifndef XDPLB_INSTANCE_H
#define XDPLB_INSTANCE_H

#include <limits.h>
#include <stdbool.h>
#include <net/if.h>
#include <linux/types.h>

#include "maps/xdplb_config.h"
#include "maps/xdplb_names.h"

/* Every pinned map, in one list so that pinning, opening and closing loop over it. */
#define XDPLB_INSTANCE_MAPS(X)			\
	X(config, XDPLB_MAP_CONFIG)		\
	X(table, XDPLB_MAP_TABLE)		\
	X(cpus, XDPLB_MAP_CPUS)			\
	X(ports, XDPLB_MAP_PORTS)		\
	X(rx_stats, XDPLB_MAP_RX_STATS)		\
	X(tgt_stats, XDPLB_MAP_TGT_STATS)	\
	X(rmt_stats, XDPLB_MAP_REMOTE_STATS)	\
	X(meta, XDPLB_MAP_META)			\
	X(targets, XDPLB_MAP_TARGETS)		\
	X(slots, XDPLB_MAP_SLOTS)		\
	X(bal, XDPLB_MAP_BAL)			\
	X(qdelay, XDPLB_MAP_QDELAY)		\
	X(ev_tgt, XDPLB_MAP_EV_TGT)		\
	X(ev, XDPLB_MAP_EV)			\
	X(port_ix, XDPLB_MAP_PORT_IX)

#define XDPLB_MAP_ENUM(id, name) XDPLB_M_##id,
enum xdplb_map_slot { XDPLB_INSTANCE_MAPS(XDPLB_MAP_ENUM) XDPLB_M__COUNT };
#undef XDPLB_MAP_ENUM

extern const char *const xdplb_map_pin_names[XDPLB_M__COUNT];

enum xdplb_state {
	XDPLB_STATE_LIVE,	/* attached to its interface in this namespace */
	XDPLB_STATE_STALE,	/* its interface or namespace is gone: pins to remove */
	XDPLB_STATE_ELSEWHERE,	/* same ifname, another live network namespace */
	XDPLB_STATE_BROKEN,	/* pins unreadable or of another ABI */
	XDPLB_STATE_ORPHANED,	/* an xdplb_rx of ours attached here with no pins at all */
};

/* What an instance runs with: targets, hash and queues. The tool builds the new one from
 * the command line (and the old one), compares, applies. */
struct xdplb_settings {
	__u32 target_kind;		/* enum xdplb_target_kind */
	__u32 n_targets;
	struct xdplb_target targets[XDPLB_MAX_TARGETS];
	__u64 seed;
	__u32 hash_mode;
	__u32 table_size;
	__u32 remote;			/* enum xdplb_remote */
	__u32 attach_mode;
	bool pass_non_ip;		/* ports: frames without a flow stay local */
	bool balance;			/* load with per-slot counting (--balance) */
	__u32 remote_ifindex;		/* --remote redirect:IF */
	char remote_ifname[XDPLB_IFNAME_LEN];
};

struct xdplb_instance {
	char ifname[IF_NAMESIZE];
	char dir[PATH_MAX];
	int map_fd[XDPLB_M__COUNT];
	int remote_fd[XDPLB_REMOTE__COUNT];	/* by enum xdplb_remote; [NONE] unused */
	struct xdplb_config *config;	/* mmap of the config map */
	struct xdplb_meta meta;
	enum xdplb_state state;
	/* Broken because another xdplb version (meta.abi_version) made it, and its program
	 * still runs on the interface: it can be detached, not used. */
	bool other_abi;
	/* The instance's program as it runs now, found by its pins or, without them, on the
	 * interface (meta.ifindex): what a detach removes. 0 when none runs here. */
	__u32 run_id;
	__u32 run_mode;			/* enum xdp_attach_mode */
	/* Live under another name: the interface was renamed since the attach. */
	char renamed_to[IF_NAMESIZE];
	/* Why the state is not live, in one line ("" when live and whole). */
	char reason[192];
	int journal_fd;			/* the change in progress (core/journal.h); -1: none */
};

void xdplb_instance_init(struct xdplb_instance *in);
void xdplb_instance_close(struct xdplb_instance *in);

/* The flow hash version the instance's program runs (maps/xdplb_config.h). */
__u32 xdplb_instance_hash_version(const struct xdplb_instance *in);

/* Reads the running settings back from the pinned maps. */
int xdplb_instance_settings(const struct xdplb_instance *in, struct xdplb_settings *s);

int xdplb_instance_map_config(struct xdplb_instance *in);

/* Whether it was attached with --balance: it counts frames per slot (maps/xdplb_balance.h)
 * and its cpumap entries run the program that ends a hold. */
bool xdplb_instance_counts_slots(const struct xdplb_instance *in);
int xdplb_instance_write_meta(struct xdplb_instance *in);

#endif
