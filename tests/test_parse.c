// SPDX-License-Identifier: GPL-2.0
/* test_parse.c: the data path's decisions, by loading kern/xdplb.bpf.c into this kernel
 * and running crafted frames through BPF_PROG_TEST_RUN: the action, the counters, and the
 * target, which must be the one the user-side model of hash and table predicts. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>

#include "harness.h"
#include "xdp_fixture.h"

static void v4_tcp(struct pkt_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->proto = IPPROTO_TCP;
	s->saddr4 = inet_addr("198.18.0.1");
	s->daddr4 = inet_addr("198.18.1.1");
	s->sport = htons(40000);
	s->dport = htons(80);
	s->payload = 20;
}

static void v6_udp(struct pkt_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->v6 = 1;
	s->proto = IPPROTO_UDP;
	inet_pton(AF_INET6, "fd00::1", s->saddr6);
	inet_pton(AF_INET6, "fd00::2", s->daddr6);
	s->sport = htons(5353);
	s->dport = htons(53);
	s->payload = 12;
}

struct frame_case {
	const char *name;
	void (*base)(struct pkt_spec *);
	int n_vlans, arp, ihl;
	__u8 proto;
	__u16 frag_off;
	enum fx_expect expect;
};

static const struct frame_case cases[] = {
	{ "ipv4 tcp", v4_tcp, 0, 0, 0, IPPROTO_TCP, 0, REDIRECT },
	{ "ipv4 udp", v4_tcp, 0, 0, 0, IPPROTO_UDP, 0, REDIRECT },
	{ "ipv4 icmp", v4_tcp, 0, 0, 0, IPPROTO_ICMP, 0, REDIRECT },
	{ "ipv4 tcp options", v4_tcp, 0, 0, 9, IPPROTO_TCP, 0, REDIRECT },
	{ "ipv4 tcp one option word", v4_tcp, 0, 0, 6, IPPROTO_TCP, 0, REDIRECT },
	{ "ipv4 udp 40 bytes of options", v4_tcp, 0, 0, 15, IPPROTO_UDP, 0, REDIRECT },
	{ "ipv4 udp options vlan", v4_tcp, 1, 0, 7, IPPROTO_UDP, 0, REDIRECT },
	{ "ipv4 udp first fragment", v4_tcp, 0, 0, 0, IPPROTO_UDP, 0x2000, REDIRECT },
	{ "ipv4 udp later fragment", v4_tcp, 0, 0, 0, IPPROTO_UDP, 0x00b9, REDIRECT },
	{ "ipv4 tcp vlan", v4_tcp, 1, 0, 0, IPPROTO_TCP, 0, REDIRECT },
	{ "ipv4 tcp qinq", v4_tcp, 2, 0, 0, IPPROTO_TCP, 0, REDIRECT },
	{ "ipv4 tcp 3 tags", v4_tcp, 3, 0, 0, IPPROTO_TCP, 0, PASS_UNSUPPORTED },
	{ "ipv6 udp", v6_udp, 0, 0, 0, IPPROTO_UDP, 0, REDIRECT },
	{ "ipv6 tcp", v6_udp, 0, 0, 0, IPPROTO_TCP, 0, REDIRECT },
	{ "ipv6 udp vlan", v6_udp, 1, 0, 0, IPPROTO_UDP, 0, REDIRECT },
	{ "ipv6 tcp qinq", v6_udp, 2, 0, 0, IPPROTO_TCP, 0, REDIRECT },
	{ "arp", v4_tcp, 0, 1, 0, 0, 0, PASS_NON_IP },
	{ "arp vlan", v4_tcp, 1, 1, 0, 0, 0, PASS_NON_IP },
};

static void build_case(const struct frame_case *c, struct pkt_spec *s)
{
	c->base(s);
	s->n_vlans = c->n_vlans;
	s->arp = c->arp;
	s->ihl = c->ihl;
	s->frag_off = c->frag_off;
	if (c->proto)
		s->proto = c->proto;
}

static void test_fixture_frames(void)
{
	__u8 buf[256];
	size_t i, len, needed;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pkt_spec s;

		build_case(&cases[i], &s);
		len = pkt_build(&s, buf, sizeof(buf), &needed);
		if (fx_check_frame(cases[i].name, buf, len, cases[i].expect, fx_expected_cpu(&s)))
			return;
	}
}

/* Every frame cut at every length: below what the parser needs it must pass as
 * malformed, from there on the decision of the whole frame stands. */
static void test_truncations(void)
{
	__u8 buf[256];
	size_t i, len, full, needed;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pkt_spec s;

		build_case(&cases[i], &s);
		full = pkt_build(&s, buf, sizeof(buf), &needed);
		/* Too many tags is known once the parser has walked the tags it takes. */
		if (cases[i].expect == PASS_UNSUPPORTED)
			needed = 14 + 4 * XDPLB_VLAN_MAX;
		for (len = 0; len <= full; len++) {
			enum fx_expect e = len < needed ? PASS_MALFORMED : cases[i].expect;

			if (len < 14) {
				/* The kernel refuses to run XDP on less than an Ethernet header. */
				int r = fx_run(buf, len);

				ASSERT_TRUE(r == -EINVAL || r == XDP_PASS,
					    "%s cut to %zu: action/err %d", cases[i].name, len, r);
				continue;
			}
			if (fx_check_frame(cases[i].name, buf, len, e, fx_expected_cpu(&s)))
				return;
		}
	}
}

static void test_malformed_headers(void)
{
	__u8 buf[256];
	size_t len, needed;
	struct pkt_spec s;

	v4_tcp(&s);
	len = pkt_build(&s, buf, sizeof(buf), &needed);
	buf[14] = 0x65;		/* version 6 in an IPv4 EtherType */
	if (fx_check_frame("ipv4 bad version", buf, len, PASS_MALFORMED, 0))
		return;
	buf[14] = 0x44;		/* IHL 4: shorter than the fixed header */
	if (fx_check_frame("ipv4 ihl 4", buf, len, PASS_MALFORMED, 0))
		return;
	buf[14] = 0x4f;		/* IHL 15: 60 bytes of header, beyond this frame's end */
	if (fx_check_frame("ipv4 ihl past end", buf, 54, PASS_MALFORMED, 0))
		return;
	v6_udp(&s);
	len = pkt_build(&s, buf, sizeof(buf), &needed);
	buf[14] = 0x45;		/* version 4 in an IPv6 EtherType */
	fx_check_frame("ipv6 bad version", buf, len, PASS_MALFORMED, 0);
}

/* Random flows in each hash mode: the kernel must put each on the CPU the user-side model
 * of the same hash and table predicts (what --which relies on). */
static void test_random_flows_match_model(void)
{
	static const __u32 modes[] = { XDPLB_HASH_SYM, XDPLB_HASH_L4, XDPLB_HASH_L3 };
	__u64 rng = 42;
	__u8 buf[256];
	size_t len, needed, m;
	int i;

	for (m = 0; m < 3; m++) {
		ASSERT_EQ(fx_set_config(m & 1, modes[m], fx.table), 0);
		for (i = 0; i < 600; i++) {
			struct pkt_spec s;

			pkt_random_spec(&s, &rng, i & 1);
			if (i % 5 == 0 && !s.v6)
				s.frag_off = 0x2000;
			s.n_vlans = i % 3;
			len = pkt_build(&s, buf, sizeof(buf), &needed);
			if (fx_check_frame("random flow", buf, len, REDIRECT, fx_expected_cpu(&s)))
				return;
		}
	}
	ASSERT_EQ(fx_set_config(0, XDPLB_HASH_SYM, fx.table), 0);
}

/* Flipping to the other half takes effect on the next packet. */
static void test_half_flip(void)
{
	static __u32 all_last[FX_TABLE];
	__u32 last = fx.ncpus - 1, i;
	__u8 buf[256];
	size_t len, needed;
	struct pkt_spec s;
	__u64 rng = 7;

	for (i = 0; i < FX_TABLE; i++)
		all_last[i] = last;
	ASSERT_EQ(fx_set_config(1, XDPLB_HASH_SYM, all_last), 0);
	for (i = 0; i < 50; i++) {
		pkt_random_spec(&s, &rng, i & 1);
		len = pkt_build(&s, buf, sizeof(buf), &needed);
		if (fx_check_frame("after flip", buf, len, REDIRECT, last))
			return;
	}
	ASSERT_EQ(fx_set_config(0, XDPLB_HASH_SYM, fx.table), 0);
}

/* A configuration gap never drops: a CPU without a cpumap entry means XDP_PASS. */
static void test_missing_entry_passes(void)
{
	__u8 buf[256];
	size_t len, needed;
	struct pkt_spec s;
	__u64 rng = 99;
	int i, err;

	ASSERT_EQ(fx_set_cpu_entry(0, 0), 0);
	for (i = 0; i < 100; i++) {
		pkt_random_spec(&s, &rng, i & 1);
		len = pkt_build(&s, buf, sizeof(buf), &needed);
		err = fx_check_frame("missing entry", buf, len,
				  fx_expected_cpu(&s) == 0 ? PASS_NO_TARGET : REDIRECT, fx_expected_cpu(&s));
		if (err)
			break;
	}
	ASSERT_EQ(fx_set_cpu_entry(0, 1), 0);
}

/* With the local flag (CPU mode, no --remote), a frame whose target is the CPU running the
 * program goes to the stack there: XDP_PASS, counted on its target (packets) and as
 * pass local, not as redirected. Every other frame is redirected as before. */
static void test_local_target(void)
{
	struct fx_counters before, after;
	__u64 rng = 7, local = 0, remote = 0;
	cpu_set_t old, one;
	struct pkt_spec s;
	size_t len, needed;
	__u8 buf[256];
	__u32 here, cpu;
	int i, r;

	/* Pinned to the CPU it is on: the test run's CPU is the one the program reads. */
	ASSERT_GE(r = sched_getcpu(), 0);
	here = (__u32)r;
	ASSERT_EQ(sched_getaffinity(0, sizeof(old), &old), 0);
	CPU_ZERO(&one);
	CPU_SET(here, &one);
	ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
	ASSERT_EQ(fx_set_config(0, XDPLB_HASH_SYM | XDPLB_HASH_F_LOCAL, fx.table), 0);
	for (i = 0; i < 200; i++) {
		pkt_random_spec(&s, &rng, i & 1);
		len = pkt_build(&s, buf, sizeof(buf), &needed);
		cpu = fx_expected_cpu(&s);
		fx_read_counters(&before);
		r = fx_run(buf, len);
		fx_read_counters(&after);
		ASSERT_EQ(after.tgt_packets[cpu] - before.tgt_packets[cpu], 1);
		if (cpu == here) {
			local++;
			ASSERT_EQ(r, XDP_PASS);
			ASSERT_EQ(after.rx.pass[XDPLB_PASS_local] - before.rx.pass[XDPLB_PASS_local], 1);
			ASSERT_EQ(after.rx.redirected - before.rx.redirected, 0);
		} else {
			remote++;
			ASSERT_EQ(r, XDP_REDIRECT);
			ASSERT_EQ(after.rx.pass[XDPLB_PASS_local] - before.rx.pass[XDPLB_PASS_local], 0);
			ASSERT_EQ(after.rx.redirected - before.rx.redirected, 1);
		}
		ASSERT_EQ(after.rx.rx_packets - before.rx.rx_packets, 1);
	}
	ASSERT_EQ(fx_set_config(0, XDPLB_HASH_SYM, fx.table), 0);
	ASSERT_EQ(sched_setaffinity(0, sizeof(old), &old), 0);
	ASSERT_GT(local, 0);
	ASSERT_GT(remote, 0);
}

/* Runs one frame under half 0 = table, with or without the one-target flag; returns the
 * action and sets *delta to every counter's change. */
static int run_delta(const __u8 *buf, size_t len, const __u32 *table, int one,
		     struct fx_counters *delta)
{
	struct fx_counters before, after;
	__u64 *d = (__u64 *)delta, *b = (__u64 *)&before, *a = (__u64 *)&after;
	size_t i;
	int r;

	if (fx_set_config(0, XDPLB_HASH_SYM, table) || (one && fx_set_one_target(table[0])))
		return -1;
	fx_read_counters(&before);
	r = fx_run(buf, len);
	fx_read_counters(&after);
	for (i = 0; i < sizeof(*delta) / sizeof(__u64); i++)
		d[i] = a[i] - b[i];
	return r;
}

/* A half whose every slot holds one CPU (XDPLB_HASH_F_ONE_TARGET, the tool's mark) skips the
 * hash and the table for common frames: every frame case, whole and cut at every length,
 * must end exactly as it does when hashed (action and every counter). Then, with the
 * mark naming another CPU than the table on purpose, the common frames go to the mark's
 * and the rest (fragments, two tags, other protocols) to the table's: the
 * shortcut is taken where it may be, and only there. */
static void test_one_target(void)
{
	static __u32 all_last[FX_TABLE];
	struct fx_counters hashed, one;
	__u32 last = fx.ncpus - 1, other = fx.ncpus > 1 ? 0 : last, i;
	size_t c, len, full, needed;
	struct pkt_spec s;
	__u8 buf[256];
	int r1, r2;

	for (i = 0; i < FX_TABLE; i++)
		all_last[i] = last;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		build_case(&cases[c], &s);
		full = pkt_build(&s, buf, sizeof(buf), &needed);
		for (len = 14; len <= full; len++) {
			r1 = run_delta(buf, len, all_last, 0, &hashed);
			r2 = run_delta(buf, len, all_last, 1, &one);
			ASSERT_TRUE(r1 == r2 && !memcmp(&hashed, &one, sizeof(one)),
				    "%s cut to %zu: action %d hashed, %d with one target, or the counters differ",
				    cases[c].name, len, r1, r2);
		}
	}
	if (fx.ncpus > 1) {
		/* fast: a common frame, which takes the mark's CPU. */
		static const struct {
			const char *name;
			int vlans, v6, fast;
			__u16 frag;
			__u8 proto;
		} probe[] = {
			{ "ipv4 tcp", 0, 0, 1, 0, IPPROTO_TCP },
			{ "ipv6 udp vlan", 1, 1, 1, 0, IPPROTO_UDP },
			{ "ipv4 udp fragment", 0, 0, 0, 0x2000, IPPROTO_UDP },
			{ "ipv4 tcp qinq", 2, 0, 0, 0, IPPROTO_TCP },
			{ "ipv4 icmp", 0, 0, 0, 0, IPPROTO_ICMP },
		};

		ASSERT_EQ(fx_set_config(0, XDPLB_HASH_SYM, all_last), 0);
		ASSERT_EQ(fx_set_one_target(other), 0);
		for (c = 0; c < sizeof(probe) / sizeof(probe[0]); c++) {
			(probe[c].v6 ? v6_udp : v4_tcp)(&s);
			s.proto = probe[c].proto;
			s.n_vlans = probe[c].vlans;
			s.frag_off = probe[c].frag;
			len = pkt_build(&s, buf, sizeof(buf), &needed);
			if (fx_check_frame(probe[c].name, buf, len, REDIRECT,
					   probe[c].fast ? other : last))
				break;
		}
	}
	ASSERT_EQ(fx_set_config(0, XDPLB_HASH_SYM, fx.table), 0);
}

static __u64 passed_total(const struct fx_counters *c)
{
	__u64 n = 0;
	int i;

	for (i = 0; i < XDPLB_PASS__COUNT; i++)
		n += c->rx.pass[i];
	return n;
}

/* Every frame is counted once, as redirected or under one pass reason. The test sends
 * its own frames (each case whole and cut at every length), so it holds run alone. */
static void test_counters_add_up(void)
{
	struct fx_counters before, after;
	__u64 sent = 0, redirected, passed;
	__u8 buf[256];
	size_t i, len, full, needed;
	int r;

	fx_read_counters(&before);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pkt_spec s;

		build_case(&cases[i], &s);
		full = pkt_build(&s, buf, sizeof(buf), &needed);
		for (len = 14; len <= full; len++, sent++) {
			r = fx_run(buf, len);
			ASSERT_TRUE(r == XDP_PASS || r == XDP_REDIRECT, "%s cut to %zu: action/err %d",
				    cases[i].name, len, r);
		}
	}
	fx_read_counters(&after);
	redirected = after.rx.redirected - before.rx.redirected;
	passed = passed_total(&after) - passed_total(&before);
	ASSERT_EQ(after.rx.rx_packets - before.rx.rx_packets, sent);
	ASSERT_GT(redirected, 0);
	ASSERT_GT(passed, 0);
	ASSERT_EQ(redirected + passed, sent);
	/* And over everything the suite ran before. */
	ASSERT_EQ(after.rx.rx_packets, after.rx.redirected + passed_total(&after));
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_fixture_frames),
		HARNESS_TEST(test_truncations),
		HARNESS_TEST(test_malformed_headers),
		HARNESS_TEST(test_random_flows_match_model),
		HARNESS_TEST(test_half_flip),
		HARNESS_TEST(test_missing_entry_passes),
		HARNESS_TEST(test_local_target),
		HARNESS_TEST(test_one_target),
		HARNESS_TEST(test_counters_add_up),
	};
	return fx_main("test_parse", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
