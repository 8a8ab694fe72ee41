/* SPDX-License-Identifier: GPL-2.0 */
/* flow_hash.h: the seeded flow hash. One source compiled into the BPF program and into the
 * control tool (--which) and tests, so both sides place a flow on the same target.
 *
 * Each endpoint (address, port) is absorbed into the secret seed on its own; the two endpoint
 * values are then combined. Adding them is order-independent, which gives the symmetric mode
 * for free (no compare-and-swap of 128-bit addresses); rotating one side first gives the
 * directional mode. The mix is multiply-xorshift: two 64-bit multiplies per endpoint, cheap
 * in the JIT. It is keyed, not cryptographic: it stops anyone who does not know the seed from
 * aiming flows at one target, not someone who can observe placements at length. */
#ifndef XDPLB_FLOW_HASH_H
#define XDPLB_FLOW_HASH_H

#include <linux/types.h>
#include "../maps/xdplb_config.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

#define XDPLB_MUL1 0x9e3779b97f4a7c15ULL	/* 2^64 / golden ratio */
#define XDPLB_MUL2 0xc2b2ae3d27d4eb4fULL	/* murmur3/xxhash finaliser prime */

/* A flow as the parser leaves it: addresses and ports exactly as they sit in the packet
 * (network byte order), IPv4 addresses in word 0 with the rest zero. The "ports" are an
 * ESP SPI's two halves, or an ICMP echo's identifier twice; zero where there are none
 * (fragments, other protocols). */
struct xdplb_flow {
	__u32 src[4];
	__u32 dst[4];
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 is_v6;
	__u8 pad[2];
};

static __always_inline __u64 xdplb_absorb(__u64 h, __u64 m)
{
	h ^= m;
	h *= XDPLB_MUL1;
	h ^= h >> 29;
	return h;
}

static __always_inline __u64 xdplb_finish(__u64 h)
{
	h ^= h >> 32;
	h *= XDPLB_MUL2;
	h ^= h >> 31;
	return h;
}

static __always_inline __u64 xdplb_endpoint_v4(__u64 seed, __u32 addr, __u16 port)
{
	return xdplb_absorb(seed, ((__u64)addr << 16) | port);
}

static __always_inline __u64 xdplb_endpoint_v6(__u64 seed, const __u32 *addr, __u16 port)
{
	__u64 h;

	h = xdplb_absorb(seed, ((__u64)addr[0] << 32) | addr[1]);
	h = xdplb_absorb(h, ((__u64)addr[2] << 32) | addr[3]);
	return xdplb_absorb(h, port);
}

/* Combine the two endpoints. l3 ignores ports and protocol so that all traffic of one host
 * pair meets; callers zero the ports of frames that have none (fragments). */
static __always_inline __u64 xdplb_combine(__u32 mode, __u64 src, __u64 dst, __u8 proto)
{
	__u64 h;

	if (mode == XDPLB_HASH_L4)
		h = src + ((dst << 23) | (dst >> 41));
	else
		h = src + dst;
	if (mode != XDPLB_HASH_L3)
		h += (__u64)proto * XDPLB_MUL2;
	return xdplb_finish(h);
}

/* An IPv4 flow from its fields, as they sit in the packet: the data path's fast path calls
 * it straight from the headers, xdplb_flow_hash from a parsed flow, with the same result.
 * mode is already masked. */
static __always_inline __u64 xdplb_flow_hash_v4(__u64 seed, __u32 mode, __u32 saddr, __u32 daddr,
						__u16 sport, __u16 dport, __u8 proto)
{
	if (mode == XDPLB_HASH_L3)
		sport = dport = 0;
	return xdplb_combine(mode, xdplb_endpoint_v4(seed, saddr, sport),
			     xdplb_endpoint_v4(seed, daddr, dport), proto);
}

/* The same for IPv6: src and dst are the four words of each address as they sit in the
 * packet, so the fast path can pass pointers into the header. mode is already masked. */
static __always_inline __u64 xdplb_flow_hash_v6(__u64 seed, __u32 mode, const __u32 *src,
						const __u32 *dst, __u16 sport, __u16 dport,
						__u8 proto)
{
	if (mode == XDPLB_HASH_L3)
		sport = dport = 0;
	return xdplb_combine(mode, xdplb_endpoint_v6(seed, src, sport),
			     xdplb_endpoint_v6(seed, dst, dport), proto);
}

/* mode is a half's hash_mode word; its flags are not the hash's business. */
static __always_inline __u64 xdplb_flow_hash(const struct xdplb_flow *f, __u64 seed, __u32 mode)
{
	mode &= XDPLB_HASH_MODE_MASK;
	if (!f->is_v6)
		return xdplb_flow_hash_v4(seed, mode, f->src[0], f->dst[0], f->sport, f->dport,
					  f->proto);
	return xdplb_flow_hash_v6(seed, mode, f->src, f->dst, f->sport, f->dport, f->proto);
}

#endif
