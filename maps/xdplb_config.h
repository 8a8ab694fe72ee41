/* SPDX-License-Identifier: GPL-2.0 */
/* xdplb_config.h: run-time configuration the data path reads on every packet. */
#ifndef XDPLB_CONFIG_H
#define XDPLB_CONFIG_H

#include <linux/types.h>
#include "xdplb_limits.h"

enum xdplb_hash_mode {
	XDPLB_HASH_SYM = 0,	/* L4, both directions of a connection on one target */
	XDPLB_HASH_L4 = 1,	/* L4, each direction hashed on its own */
	XDPLB_HASH_L3 = 2,	/* addresses only, symmetric */
};

/* Flags share the hash_mode word of a half, above the mode: a flag changes live with the
 * same flip as the mode, and struct xdplb_half keeps its size. Readers mask the mode. */
#define XDPLB_HASH_MODE_MASK	0xff
#define XDPLB_HASH_F_INNER	0x100	/* --inner: tunnels hash on the flow they carry */
/* CPU mode without a --remote program: a frame whose target is the CPU it arrived on goes
 * to the stack there (XDP_PASS), not through that CPU's own cpumap queue. Set by the tool
 * when it writes a half (user/core/reconfig.c), never part of the settings it reads back. */
#define XDPLB_HASH_F_LOCAL	0x200
/* Every slot of the half holds one target, half.one_target (one port, or one CPU): the
 * data path still tells a flow from a frame without one, but has nothing to hash it for. Set by the tool when it writes a half, like F_LOCAL. A
 * program that does not know the flag hashes as before, to the same target. */
#define XDPLB_HASH_F_ONE_TARGET	0x400
/* The flags the tool derives when it writes a half: never settings. */
#define XDPLB_HASH_F_DERIVED	(XDPLB_HASH_F_LOCAL | XDPLB_HASH_F_ONE_TARGET)

/* The flow hash's version (kern/flow_hash.h): bumped whenever a change of it places any
 * flow elsewhere (a multiplier, a shift, what a mode hashes), so that instances built
 * either way are told apart: each records the version it was loaded with (meta), --status
 * shows it and the --config-out table digest folds it in. tests/test_hash.c pins the
 * values of this version: a change of the hash fails there until both are updated. */
#define XDPLB_HASH_VERSION	1

/* One table half and everything needed to hash into it. Kept per half so that the seed, the
 * mode and the table size change together with the table in one flip. */
struct xdplb_half {
	__u64 seed;
	__u32 hash_mode;	/* enum xdplb_hash_mode | XDPLB_HASH_F_* */
	__u32 table_mask;	/* table size - 1; the size is a power of two */
	/* Port mode: the port slot that frames without a flow (ARP, ...) leave by, so a
	 * bump-in-the-wire still carries address resolution; XDPLB_NO_TARGET leaves them to
	 * the local stack (--pass-non-ip, and always in CPU mode). In the half because the
	 * first port changes with the port list, and must flip with it. */
	__u32 default_target;
	/* With XDPLB_HASH_F_ONE_TARGET: the target of every slot (else XDPLB_NO_TARGET).
	 * A copy of the table's, here so the data path reads it from the line it has. */
	__u32 one_target;
};

#define XDPLB_NO_TARGET		0xffffffffU

/* The single entry of the config map. The map is mmap()able so that the control tool flips
 * `active` with one aligned 4-byte store: a reader sees the old half or the new one, never a
 * mix (a map update would memcpy the whole value). */
struct xdplb_config {
	__u32 active;		/* 0 or 1: the half the data path uses */
	__u32 abi_version;
	struct xdplb_half half[2];
};

_Static_assert(sizeof(struct xdplb_half) == 24, "ABI: xdplb_half");
_Static_assert(sizeof(struct xdplb_config) == 56, "ABI: xdplb_config");

/* What the cpumap entries run on the remote CPU. */
enum xdplb_remote {
	XDPLB_REMOTE_NONE = 0,	/* no program: frames go to the stack on the remote CPU */
	XDPLB_REMOTE_PASS = 1,	/* counting program that passes to the stack */
	XDPLB_REMOTE_DROP = 2,	/* counting program that drops */
	XDPLB_REMOTE_REDIRECT = 3, /* counting program that sends frames out of one port */
	XDPLB_REMOTE__COUNT
};

/* The devmap slot the remote redirect program sends to. CPU-mode instances leave the
 * port devmap otherwise unused, so the remote port takes its first slot. */
#define XDPLB_REMOTE_PORT_SLOT	0
/* Its value in the events' ifindex -> counter key map: the remote port's transmits are
 * counted per instance (remote_xmit_*), not per target. */
#define XDPLB_REMOTE_PORT_KEY	0xffffffffU

enum xdplb_target_kind {
	XDPLB_TARGET_CPU = 0,
	XDPLB_TARGET_PORT = 1,
};

/* One target as the control tool configured it; the data path never reads this, it exists so
 * a later invocation (--status, reconfiguration) knows weights and names. */
struct xdplb_target {
	__u32 kind;		/* enum xdplb_target_kind */
	__u32 id;		/* CPU number, or the port's ifindex */
	__u32 weight;
	union {
		__u32 qsize;	/* CPUs: cpumap queue size */
		/* Ports: the devmap key and per-target counter index. A port keeps its slot
		 * for as long as it stays configured, so a reconfiguration never points a
		 * slot that live flows use at another port. */
		__u32 slot;
	};
	char ifname[XDPLB_IFNAME_LEN];
};

_Static_assert(sizeof(struct xdplb_target) == 32, "ABI: xdplb_target");

/* Instance facts kept in a pinned map so any later invocation can find, check and describe
 * the instance. netns_ino tells instances of equal ifname in different namespaces apart. */
/* abi_version, ifindex, netns_ino, prog_id and attach_mode keep their places in every ABI
 * version: any xdplb can recognise another version's instance and detach its program. */
struct xdplb_meta {
	__u32 abi_version;
	__u32 ifindex;
	__u64 netns_ino;
	__u32 prog_id;		/* the attached xdplb_rx */
	__u32 attach_mode;	/* enum xdp_attach_mode of libxdp */
	__u32 target_kind;	/* enum xdplb_target_kind */
	__u32 remote;		/* enum xdplb_remote */
	__u32 n_targets;
	__u32 table_size;
	__u64 attach_time_ns;	/* CLOCK_REALTIME */
	char ifname[XDPLB_IFNAME_LEN];
	/* --remote redirect:IF: the port the remote CPUs send out of. */
	__u32 remote_ifindex;
	/* XDPLB_HASH_VERSION of the build that loaded the program; 0 in instances made before
	 * it was recorded, which run version 1 (the hash was the same from the first ABI on). */
	__u32 hash_version;
	char remote_ifname[XDPLB_IFNAME_LEN];
};

_Static_assert(sizeof(struct xdplb_meta) == 88, "ABI: xdplb_meta");

#endif
