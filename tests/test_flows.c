// SPDX-License-Identifier: GPL-2.0
/* test_flows.c: every kind of frame of the catalogue (frame_cases.c) through the real
 * xdplb_rx with BPF_PROG_TEST_RUN, in IPv4 and IPv6, with 0..2 VLAN tags, in each hash
 * mode, tunnels with and without --inner: the action, the pass reason, the tunnel
 * counter, and for redirects the CPU the user-side model of hash and table predicts for
 * the flow the frame belongs to. With two CPUs one frame could land right by chance;
 * many random flows per kind cannot. Pairs that must meet (a reply and its request, a
 * fragment and the first one, an ICMP error and its flow, a tunnel's inner packet and
 * the same packet bare) are also run against each other. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>

#include "frame_cases.h"
#include "harness.h"

#define FLOWS_PER_KIND	8
#define PEERS_PER_KIND	40

static const __u32 modes[] = { XDPLB_HASH_SYM, XDPLB_HASH_L4, XDPLB_HASH_L3 };
static const char *const mode_names[] = { "sym", "l4", "l3" };

/* Flips to the other table half with this mode word: the way the tool changes --hash and
 * --inner live. */
static int set_mode(__u32 mode)
{
	static __u32 half;

	half ^= 1;
	return fx_set_config(half, mode, fx.table);
}

/* The decision for f cut to len bytes, with or without --inner: the action, and for a
 * redirect the flow it must be steered by. */
static enum fx_expect expect_for(const struct fcase_frame *f, size_t len, int inner,
				 const struct xdplb_flow **flow)
{
	if (f->expect != REDIRECT)
		return len >= f->expect_from ? f->expect : PASS_MALFORMED;
	if (len < f->l.needed)
		return PASS_MALFORMED;
	*flow = f->tunnel < XDPLB_TUNNEL__COUNT && (!inner || len < f->l.inner_needed) ?
		&f->outer : &f->flow;
	return REDIRECT;
}

/* The checks below report a failure at the line of the test that called them. */
static int check_cut_at(const char *file, int line, const char *name,
			const struct fcase_frame *f, size_t len, int inner)
{
	const struct xdplb_flow *flow = NULL;
	enum fx_expect e = expect_for(f, len, inner, &flow);

	return fx_check_frame_at(file, line, name, f->buf, len, e, flow ? fx_flow_cpu(flow) : 0);
}
#define check_cut(...) check_cut_at(__FILE__, __LINE__, __VA_ARGS__)

/* The whole frame: its decision, and its tunnel counter bumped once (no other). */
static int check_whole_at(const char *file, int line, const char *name,
			  const struct fcase_frame *f, int inner)
{
	struct fx_counters before, after;
	int k;

	fx_read_counters(&before);
	if (check_cut_at(file, line, name, f, f->l.len, inner))
		return -1;
	fx_read_counters(&after);
	for (k = 0; k < XDPLB_TUNNEL__COUNT; k++) {
		if (after.rx.tunnel[k] - before.rx.tunnel[k] == (k == f->tunnel))
			continue;
		harness_fail(file, line, "%s: tunnel counter %d +%llu, expected kind %d", name,
			     k, (unsigned long long)(after.rx.tunnel[k] - before.rx.tunnel[k]),
			     f->tunnel);
		return -1;
	}
	return 0;
}
#define check_whole(...) check_whole_at(__FILE__, __LINE__, __VA_ARGS__)

static void case_name(char *buf, size_t size, const struct fcase *c, int v6, int vlans,
		      size_t m, int inner)
{
	snprintf(buf, size, "%s, ipv%d, %d tags, %s%s", c->name, v6 ? 6 : 4, vlans, mode_names[m],
		 inner ? ", --inner" : "");
}

static void test_each_kind_reaches_its_target(void)
{
	static struct fcase_frame f;
	__u64 rng = 11;
	size_t m, i;
	int inner, v6, vlans, n;
	char name[160];

	for (m = 0; m < 3; m++) {
		for (inner = 0; inner < 2; inner++) {
			ASSERT_EQ(set_mode(modes[m] | (inner ? XDPLB_HASH_F_INNER : 0)), 0);
			for (i = 0; i < fcases_count; i++)
				for (v6 = 0; v6 < 2; v6++)
					for (vlans = 0; vlans < 3; vlans++)
						for (n = 0; n < FLOWS_PER_KIND; n++) {
							if (fcase_build(&fcases[i], v6, vlans, &rng, &f))
								continue;
							case_name(name, sizeof(name), &fcases[i], v6, vlans, m, inner);
							if (check_whole(name, &f, inner))
								return;
						}
		}
	}
}

/* Whether a pair must meet in this mode and with this --inner setting. */
static int peer_applies(int when, __u32 mode, int inner)
{
	switch (when) {
	case FCASE_PEER_SYMMETRIC:
		return mode != XDPLB_HASH_L4;
	case FCASE_PEER_ALWAYS:
		return 1;
	case FCASE_PEER_INNER:
		return inner;
	default:
		return 0;
	}
}

static void test_pairs_meet(void)
{
	static struct fcase_frame f;
	__u8 peer[FCASE_FRAME_MAX];
	size_t m, i, peer_len, needed;
	int inner, v6, n, cpu, peer_cpu, pairs = 0;
	char name[160];
	__u64 rng = 12;

	for (m = 0; m < 3; m++) {
		for (inner = 0; inner < 2; inner++) {
			ASSERT_EQ(set_mode(modes[m] | (inner ? XDPLB_HASH_F_INNER : 0)), 0);
			for (i = 0; i < fcases_count; i++) {
				for (n = 0; n < 2 * PEERS_PER_KIND; n++) {
					v6 = n & 1;
					if (fcase_build(&fcases[i], v6, n % 3, &rng, &f) ||
					    !peer_applies(f.peer_when, modes[m], inner))
						continue;
					case_name(name, sizeof(name), &fcases[i], v6, n % 3, m, inner);
					peer_len = pkt_build(&f.peer, peer, sizeof(peer), &needed);
					cpu = fx_target(f.buf, f.l.len);
					peer_cpu = fx_target(peer, peer_len);
					ASSERT_TRUE(cpu >= 0 && cpu == peer_cpu,
						    "%s: the frame went to CPU %d, its peer to CPU %d", name,
						    cpu, peer_cpu);
					pairs++;
				}
			}
		}
	}
	ASSERT_GT(pairs, 1000);
}

/* Each kind cut at every length: shorter than its headers, malformed; a tunnel cut inside
 * its inner frame, the outer flow; from there on, the whole frame's decision. */
static void test_each_kind_cut_everywhere(void)
{
	static struct fcase_frame f;
	size_t i, len;
	int inner, v6, vlans;
	char name[160];
	__u64 rng = 13;

	for (inner = 0; inner < 2; inner++) {
		ASSERT_EQ(set_mode(XDPLB_HASH_SYM | (inner ? XDPLB_HASH_F_INNER : 0)), 0);
		for (i = 0; i < fcases_count; i++)
			for (v6 = 0; v6 < 2; v6++)
				for (vlans = 0; vlans < 2; vlans++) {
					if (fcase_build(&fcases[i], v6, vlans, &rng, &f))
						continue;
					case_name(name, sizeof(name), &fcases[i], v6, vlans, 0, inner);
					for (len = 14; len <= f.l.len; len++)
						if (check_cut(name, &f, len, inner))
							return;
				}
	}
}

/* The catalogue itself: every kind builds in a version, tunnels differ inside from
 * outside, and the expectations are not all the same (a catalogue of clones would make
 * the tests above prove little). */
static void test_catalogue_is_varied(void)
{
	static struct fcase_frame f;
	int built = 0, tunnels = 0, inner_differs = 0, passes = 0;
	__u64 rng = 14;
	size_t i;
	int v6;

	for (i = 0; i < fcases_count; i++) {
		int versions = 0;

		for (v6 = 0; v6 < 2; v6++) {
			if (fcase_build(&fcases[i], v6, 0, &rng, &f))
				continue;
			versions++;
			built++;
			ASSERT_TRUE(f.l.len > f.l.needed || f.expect != REDIRECT,
				    "%s: frame of %zu bytes, needs %zu", fcases[i].name, f.l.len,
				    f.l.needed);
			tunnels += f.tunnel < XDPLB_TUNNEL__COUNT;
			inner_differs += memcmp(&f.flow, &f.outer, sizeof(f.flow)) != 0;
			passes += f.expect != REDIRECT;
		}
		ASSERT_TRUE(versions > 0, "%s builds in no IP version", fcases[i].name);
	}
	ASSERT_GT(built, 60);
	ASSERT_GT(tunnels, 20);
	ASSERT_GE(inner_differs, tunnels - 2);	/* ARP inside VXLAN has no inner flow */
	ASSERT_GE(passes, 3);
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_catalogue_is_varied),
		HARNESS_TEST(test_each_kind_reaches_its_target),
		HARNESS_TEST(test_pairs_meet),
		HARNESS_TEST(test_each_kind_cut_everywhere),
	};
	return fx_main("test_flows", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
