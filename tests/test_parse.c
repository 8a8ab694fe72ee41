// SPDX-License-Identifier: GPL-2.0
/* test_parse.c: the data path's decisions, by loading kern/xdplb.bpf.c into this kernel
 * and running crafted frames through BPF_PROG_TEST_RUN: the action, the counters, and the
 * target, which must be the one the user-side model of hash and table predicts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "pkt.h"
#include "maps/xdplb_counters.h"
#include "user/maglev.h"
#include "xdplb.skel.h"

#define TEST_SEED	0x5eed1234abcdULL
#define TEST_TABLE	4096

struct fixture {
	struct xdplb *skel;
	int ncpus;
	__u32 table[TEST_TABLE];
	__u32 mode;
};

static struct fixture fx;

struct counters {
	struct xdplb_rx_stats rx;
	__u64 tgt_packets[XDPLB_MAX_CPUS];
};

static int percpu_sum(int fd, __u32 key, size_t size, __u64 *out)
{
	size_t words = size / 8, w;
	__u64 *buf = calloc(fx.ncpus, size);
	int cpu;

	if (!buf)
		return -ENOMEM;
	memset(out, 0, size);
	if (bpf_map_lookup_elem(fd, &key, buf)) {
		free(buf);
		return -errno;
	}
	for (cpu = 0; cpu < fx.ncpus; cpu++)
		for (w = 0; w < words; w++)
			out[w] += buf[cpu * words + w];
	free(buf);
	return 0;
}

static void read_counters(struct counters *c)
{
	struct xdplb_target_stats t;
	int cpu;

	percpu_sum(bpf_map__fd(fx.skel->maps.xdplb_rx_stats), 0, sizeof(c->rx), (__u64 *)&c->rx);
	for (cpu = 0; cpu < fx.ncpus; cpu++) {
		percpu_sum(bpf_map__fd(fx.skel->maps.xdplb_tgt_stats), cpu, sizeof(t), (__u64 *)&t);
		c->tgt_packets[cpu] = t.packets;
	}
}

static int set_cpu_entry(__u32 cpu, int present)
{
	struct bpf_cpumap_val v = { .qsize = 64 };
	int fd = bpf_map__fd(fx.skel->maps.xdplb_cpus);

	if (!present)
		return bpf_map_delete_elem(fd, &cpu) && errno != ENOENT ? -errno : 0;
	return bpf_map_update_elem(fd, &cpu, &v, 0) ? -errno : 0;
}

/* Writes table half `half` and the config for it, and makes it active. */
static int set_config(__u32 half, __u32 mode, const __u32 *table)
{
	int tfd = bpf_map__fd(fx.skel->maps.xdplb_table);
	struct xdplb_config cfg = {};
	__u32 key = 0, i, slot;

	for (i = 0; i < TEST_TABLE; i++) {
		slot = half * XDPLB_TABLE_MAX + i;
		if (bpf_map_update_elem(tfd, &slot, &table[i], 0))
			return -errno;
	}
	bpf_map_lookup_elem(bpf_map__fd(fx.skel->maps.xdplb_config), &key, &cfg);
	cfg.active = half;
	cfg.half[half].seed = TEST_SEED;
	cfg.half[half].hash_mode = mode;
	cfg.half[half].table_mask = TEST_TABLE - 1;
	fx.mode = mode;
	return bpf_map_update_elem(bpf_map__fd(fx.skel->maps.xdplb_config), &key, &cfg, 0) ? -errno : 0;
}

static int setup(void)
{
	struct xdplb_maglev_target t[XDPLB_MAX_CPUS];
	int cpu, err;

	if (geteuid())
		return -EPERM;
	fx.ncpus = libbpf_num_possible_cpus();
	fx.skel = xdplb__open();
	if (!fx.skel)
		return -errno;
	bpf_map__set_max_entries(fx.skel->maps.xdplb_cpus, fx.ncpus);
	err = xdplb__load(fx.skel);
	if (err)
		return err;
	for (cpu = 0; cpu < fx.ncpus; cpu++) {
		t[cpu] = (struct xdplb_maglev_target){ .key = cpu, .value = cpu, .weight = 1 };
		err = set_cpu_entry(cpu, 1);
		if (err)
			return err;
	}
	err = xdplb_maglev_build(t, fx.ncpus, fx.table, TEST_TABLE);
	return err ? err : set_config(0, XDPLB_HASH_SYM, fx.table);
}

/* Runs one frame; returns the XDP action, or -errno if the kernel refused the run. */
static int run_frame(const __u8 *buf, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf, .data_size_in = len, .repeat = 1);
	int err = bpf_prog_test_run_opts(bpf_program__fd(fx.skel->progs.xdplb_rx), &opts);

	return err ? -errno : (int)opts.retval;
}

static __u32 expected_cpu(const struct pkt_spec *spec)
{
	struct xdplb_flow f;

	pkt_flow(spec, &f);
	return fx.table[xdplb_flow_hash(&f, TEST_SEED, fx.mode) & (TEST_TABLE - 1)];
}

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

enum expect { REDIRECT, PASS_NON_IP, PASS_MALFORMED, PASS_UNSUPPORTED, PASS_NO_TARGET };

struct frame_case {
	const char *name;
	void (*base)(struct pkt_spec *);
	int n_vlans, arp, ihl;
	__u8 proto;
	__u16 frag_off;
	enum expect expect;
};

static const struct frame_case cases[] = {
	{ "ipv4 tcp", v4_tcp, 0, 0, 0, IPPROTO_TCP, 0, REDIRECT },
	{ "ipv4 udp", v4_tcp, 0, 0, 0, IPPROTO_UDP, 0, REDIRECT },
	{ "ipv4 icmp", v4_tcp, 0, 0, 0, IPPROTO_ICMP, 0, REDIRECT },
	{ "ipv4 tcp options", v4_tcp, 0, 0, 9, IPPROTO_TCP, 0, REDIRECT },
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

static const char *const expect_names[] = {
	"redirect", "pass non_ip", "pass malformed", "pass unsupported", "pass no_target",
};

/* Runs a frame and checks action and counter deltas; returns 0 or prints and -1. */
static int check_frame(const char *name, const __u8 *buf, size_t len, enum expect expect,
		       __u32 cpu)
{
	static const int reason[] = {
		[PASS_NON_IP] = XDPLB_PASS_non_ip, [PASS_MALFORMED] = XDPLB_PASS_malformed,
		[PASS_UNSUPPORTED] = XDPLB_PASS_unsupported, [PASS_NO_TARGET] = XDPLB_PASS_no_target,
	};
	struct counters before, after;
	int action, i;

	read_counters(&before);
	action = run_frame(buf, len);
	read_counters(&after);
	if (action < 0) {
		harness_fail(__FILE__, __LINE__, "%s (len %zu): test run failed: %s", name, len,
			     strerror(-action));
		return -1;
	}
	if (after.rx.rx_packets != before.rx.rx_packets + 1 ||
	    after.rx.rx_bytes != before.rx.rx_bytes + len) {
		harness_fail(__FILE__, __LINE__, "%s (len %zu): rx counters did not count it once",
			     name, len);
		return -1;
	}
	if (expect == REDIRECT) {
		if (action != XDP_REDIRECT || after.rx.redirected != before.rx.redirected + 1 ||
		    after.tgt_packets[cpu] != before.tgt_packets[cpu] + 1) {
			harness_fail(__FILE__, __LINE__,
				     "%s (len %zu): expected redirect to CPU %u, got action %d, redirected +%llu, CPU %u +%llu",
				     name, len, cpu, action,
				     (unsigned long long)(after.rx.redirected - before.rx.redirected), cpu,
				     (unsigned long long)(after.tgt_packets[cpu] - before.tgt_packets[cpu]));
			return -1;
		}
		return 0;
	}
	for (i = 0; i < XDPLB_PASS__COUNT; i++) {
		__u64 want = before.rx.pass[i] + (i == reason[expect]);

		if (after.rx.pass[i] != want || action != XDP_PASS) {
			harness_fail(__FILE__, __LINE__, "%s (len %zu): expected %s, got action %d, pass[%d] +%llu",
				     name, len, expect_names[expect], action, i,
				     (unsigned long long)(after.rx.pass[i] - before.rx.pass[i]));
			return -1;
		}
	}
	return 0;
}

static void test_fixture_frames(void)
{
	__u8 buf[256];
	size_t i, len, needed;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pkt_spec s;

		build_case(&cases[i], &s);
		len = pkt_build(&s, buf, sizeof(buf), &needed);
		if (check_frame(cases[i].name, buf, len, cases[i].expect, expected_cpu(&s)))
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
			enum expect e = len < needed ? PASS_MALFORMED : cases[i].expect;

			if (len < 14) {
				/* The kernel refuses to run XDP on less than an Ethernet header. */
				int r = run_frame(buf, len);

				ASSERT_TRUE(r == -EINVAL || r == XDP_PASS,
					    "%s cut to %zu: action/err %d", cases[i].name, len, r);
				continue;
			}
			if (check_frame(cases[i].name, buf, len, e, expected_cpu(&s)))
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
	if (check_frame("ipv4 bad version", buf, len, PASS_MALFORMED, 0))
		return;
	buf[14] = 0x44;		/* IHL 4: shorter than the fixed header */
	if (check_frame("ipv4 ihl 4", buf, len, PASS_MALFORMED, 0))
		return;
	buf[14] = 0x4f;		/* IHL 15: 60 bytes of header, beyond this frame's end */
	if (check_frame("ipv4 ihl past end", buf, 54, PASS_MALFORMED, 0))
		return;
	v6_udp(&s);
	len = pkt_build(&s, buf, sizeof(buf), &needed);
	buf[14] = 0x45;		/* version 4 in an IPv6 EtherType */
	check_frame("ipv6 bad version", buf, len, PASS_MALFORMED, 0);
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
		ASSERT_EQ(set_config(m & 1, modes[m], fx.table), 0);
		for (i = 0; i < 600; i++) {
			struct pkt_spec s;

			pkt_random_spec(&s, &rng, i & 1);
			if (i % 5 == 0 && !s.v6)
				s.frag_off = 0x2000;
			s.n_vlans = i % 3;
			len = pkt_build(&s, buf, sizeof(buf), &needed);
			if (check_frame("random flow", buf, len, REDIRECT, expected_cpu(&s)))
				return;
		}
	}
	ASSERT_EQ(set_config(0, XDPLB_HASH_SYM, fx.table), 0);
}

/* Flipping to the other half takes effect on the next packet. */
static void test_half_flip(void)
{
	static __u32 all_last[TEST_TABLE];
	__u32 last = fx.ncpus - 1, i;
	__u8 buf[256];
	size_t len, needed;
	struct pkt_spec s;
	__u64 rng = 7;

	for (i = 0; i < TEST_TABLE; i++)
		all_last[i] = last;
	ASSERT_EQ(set_config(1, XDPLB_HASH_SYM, all_last), 0);
	for (i = 0; i < 50; i++) {
		pkt_random_spec(&s, &rng, i & 1);
		len = pkt_build(&s, buf, sizeof(buf), &needed);
		if (check_frame("after flip", buf, len, REDIRECT, last))
			return;
	}
	ASSERT_EQ(set_config(0, XDPLB_HASH_SYM, fx.table), 0);
}

/* A configuration gap never drops: a CPU without a cpumap entry means XDP_PASS. */
static void test_missing_entry_passes(void)
{
	__u8 buf[256];
	size_t len, needed;
	struct pkt_spec s;
	__u64 rng = 99;
	int i, err;

	ASSERT_EQ(set_cpu_entry(0, 0), 0);
	for (i = 0; i < 100; i++) {
		pkt_random_spec(&s, &rng, i & 1);
		len = pkt_build(&s, buf, sizeof(buf), &needed);
		err = check_frame("missing entry", buf, len,
				  expected_cpu(&s) == 0 ? PASS_NO_TARGET : REDIRECT, expected_cpu(&s));
		if (err)
			break;
	}
	ASSERT_EQ(set_cpu_entry(0, 1), 0);
}

static void test_counters_add_up(void)
{
	struct counters c;

	read_counters(&c);
	ASSERT_GT(c.rx.rx_packets, 1000);
	ASSERT_EQ(c.rx.rx_packets, c.rx.redirected + c.rx.pass[0] + c.rx.pass[1] + c.rx.pass[2] +
				   c.rx.pass[3]);
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
		HARNESS_TEST(test_counters_add_up),
	};
	int err;

	libbpf_set_print(NULL);
	err = setup();
	if (err) {
		printf("SKIP test_parse: cannot load the BPF program: %s%s\n", strerror(-err),
		       err == -EPERM ? " (needs root)" : "");
		return 0;
	}
	err = harness_run(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
	xdplb__destroy(fx.skel);
	return err;
}
