/* SPDX-License-Identifier: GPL-2.0 */
/* xdplb_limits.h: sizes and bounds shared by the BPF programs and the control tool. */
#ifndef XDPLB_LIMITS_H
#define XDPLB_LIMITS_H

/* Bumped whenever a struct in maps/ changes layout: a tool refuses pins of another ABI. */
#define XDPLB_ABI_VERSION	8

/* The indirection table holds two halves of XDPLB_TABLE_MAX slots each, so a new table is
 * written where no packet looks and made live by flipping one index. 65536 two-byte slots
 * (maps/xdplb_table.h) keep the table at 256 KiB while leaving room for fine-grained
 * weights. */
#define XDPLB_TABLE_MIN		64
#define XDPLB_TABLE_MAX		65536
/* Without --table-size a new instance gets this many slots for every target it could ever
 * have (each possible CPU, or each port it is given), within the two bounds below: with
 * fewer slots per target a change of one target moves more than 1.2x the flows it must
 * (tests/test_maglev.c measures it). */
#define XDPLB_TABLE_SLOTS_PER_TARGET	1024
#define XDPLB_TABLE_DEFAULT_MIN		4096
#define XDPLB_TABLE_DEFAULT_MAX		XDPLB_TABLE_MAX

/* cpumap keys are CPU numbers; the map itself is sized to the possible CPUs at load. */
#define XDPLB_MAX_CPUS		1024
/* devmap ports (--redirect IN:OUT1,OUT2,...): a packet broker's fan-out to sensors, not a
 * switch. Slots are 0..XDPLB_MAX_PORTS-1; during a reconfiguration old and new ports may
 * hold slots at once, hence twice as many slots as ports. */
#define XDPLB_MAX_PORTS		64
#define XDPLB_PORT_SLOTS	(2 * XDPLB_MAX_PORTS)
/* Per-target records are indexed by CPU number or port slot, whichever kind is in use. */
#define XDPLB_MAX_TARGETS	XDPLB_MAX_CPUS

/* cpumap queue size: 0 deletes the entry and > 16384 fails with EOVERFLOW in the kernel.
 * 2048 covers the wake-up latency of a deep C-state at 10 Gbit/s line rate (xdp-tools'
 * reasoning for the same default). */
#define XDPLB_QSIZE_MIN		1
#define XDPLB_QSIZE_MAX		16384
#define XDPLB_QSIZE_DEFAULT	2048

#define XDPLB_WEIGHT_MAX	100

/* Parser bounds: loops the verifier must unroll or bound. */
#define XDPLB_VLAN_MAX		2
/* IPv6 extension headers walked before the upper-layer header. RFC 8200's recommended
 * order has at most six (hop-by-hop, destination options, routing, fragment, AH,
 * destination options); 8 leaves room for a repeated one. A frame with more is passed,
 * counted as unsupported. Verifier work for the program on 6.18: bound 3 13k insns,
 * 8 49k, 12 124k, 16 209k (of the 1M limit). */
#define XDPLB_IPV6_EXT_MAX	8
/* Offsets handed between the parser's global functions are bounded by this (more than a
 * non-frags XDP frame can hold) so that the verifier can bound every packet pointer. */
#define XDPLB_PARSE_OFF_MAX	0x3fff

#define XDPLB_IFNAME_LEN	16

#endif
