// SPDX-License-Identifier: GPL-2.0
/* test_which_prog.c: --which's answer against the kernel's, flow by flow. The real program is
 * loaded and configured by the control plane's own xdplb_apply() (entries, inactive half,
 * flip), live-changed three times; random flows are written out as --which's words, parsed
 * by xdplb_which_parse_query() and answered by xdplb_which_ask() (its own frame through the
 * explain copy of the program over the live maps), and the same flows, built by the tests'
 * own frame builder (tests/pkt.c), run through the live program: the target the kernel
 * counts must be the one named. The flows cover every way the parser finds ports (TCP, UDP
 * and SCTP ports, ESP's SPI, an ICMP echo's identifier, none) and every way a packet
 * travels that --which can say: VLAN tags, IPv6 extension headers, first and later
 * fragments, ICMP errors, GRE, IP-in-IP and VXLAN tunnels with and without --inner.
 * Then the engine itself (the explain build of xdplb_rx, which --explain runs every captured
 * frame through) against the attached build on every frame case of tests/frame_cases.c,
 * whole and cut short: the same verdict, reason and target. */
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

#include "frame_cases.h"
#include "harness.h"
#include "pkt.h"
#include "user/core/reconfig.h"
#include "user/core/stats.h"
#include "user/cmd/which.h"
#include "maps/xdplb_explain.h"
#include "xdplb.skel.h"
#include "xdplb_explain.skel.h"

static struct xdplb *skel;
static struct xdplb_instance in;
static struct xdplb_settings settings[4];
static int ncpus;

/* The instance as the tool would see it from the pins: its own copies of the map fds. */
static int take_maps(void)
{
	struct bpf_map *maps[] = {
		[XDPLB_M_config] = skel->maps.xdplb_config, [XDPLB_M_table] = skel->maps.xdplb_table,
		[XDPLB_M_cpus] = skel->maps.xdplb_cpus, [XDPLB_M_ports] = skel->maps.xdplb_ports,
		[XDPLB_M_rx_stats] = skel->maps.xdplb_rx_stats,
		[XDPLB_M_tgt_stats] = skel->maps.xdplb_tgt_stats,
		[XDPLB_M_rmt_stats] = skel->maps.xdplb_rmt_stats, [XDPLB_M_meta] = skel->maps.xdplb_meta,
		[XDPLB_M_targets] = skel->maps.xdplb_targets,
	};
	int i;

	xdplb_instance_init(&in);
	for (i = 0; i <= XDPLB_M_targets; i++) {
		in.map_fd[i] = dup(bpf_map__fd(maps[i]));
		if (in.map_fd[i] < 0)
			return -errno;
	}
	return xdplb_instance_map_config(&in);
}

/* Four configurations, every one a live change of the one before: mode, table size, seed
 * and weights all differ; the last hashes tunnels on their inner flow (--inner). */
static void make_settings(void)
{
	static const __u32 modes[] = { XDPLB_HASH_SYM, XDPLB_HASH_L4, XDPLB_HASH_L3,
				       XDPLB_HASH_SYM | XDPLB_HASH_F_INNER };
	static const __u32 sizes[] = { 4096, 256, 64, 1024 };
	int k, cpu;

	for (k = 0; k < 4; k++) {
		struct xdplb_settings *s = &settings[k];

		s->target_kind = XDPLB_TARGET_CPU;
		s->hash_mode = modes[k];
		s->table_size = sizes[k];
		s->seed = 0x5eed0000ULL + (__u64)k * 0x1111111111ULL;
		for (cpu = 0; cpu < ncpus && cpu < XDPLB_MAX_TARGETS; cpu++) {
			s->targets[cpu] = (struct xdplb_target){ .kind = XDPLB_TARGET_CPU, .id = cpu,
								 .weight = 1 + (cpu + k) % 3, .qsize = 64 };
			s->n_targets++;
		}
	}
}

static int setup(void)
{
	int err;

	if (geteuid())
		return -EPERM;
	ncpus = libbpf_num_possible_cpus();
	skel = xdplb__open();
	if (!skel)
		return -errno;
	bpf_map__set_max_entries(skel->maps.xdplb_cpus, ncpus);
	err = xdplb__load(skel);
	if (!err)
		err = take_maps();
	make_settings();
	return err;
}

#define ICMP_ECHO	8
#define ICMPV6_ECHO	128
#define ICMP_TIMESTAMP	13

/* The flow's words as a user would type them, in either spelling of the protocol:
 * "tcp A:P B:Q", "icmp A:ID B" for an echo, "icmp A B" for another ICMP message,
 * "esp A B:SPI". */
static void flow_words(const struct pkt_spec *s, int numeric, char words[3][64])
{
	static const char *const names[256] = {
		[IPPROTO_TCP] = "tcp", [IPPROTO_UDP] = "udp", [IPPROTO_SCTP] = "sctp",
		[IPPROTO_ICMP] = "icmp", [IPPROTO_ICMPV6] = "icmpv6", [IPPROTO_ESP] = "esp",
	};
	char a[INET6_ADDRSTRLEN + 2], b[INET6_ADDRSTRLEN + 2], h[INET6_ADDRSTRLEN];
	int echo = s->icmp_type == ICMP_ECHO || s->icmp_type == ICMPV6_ECHO;

	if (numeric || !names[s->proto])
		snprintf(words[0], 64, "%u", s->proto);
	else
		snprintf(words[0], 64, "%s", names[s->proto]);
	inet_ntop(s->v6 ? AF_INET6 : AF_INET, s->v6 ? (const void *)s->saddr6 : &s->saddr4, h, sizeof(h));
	snprintf(a, sizeof(a), s->v6 ? "[%s]" : "%s", h);
	inet_ntop(s->v6 ? AF_INET6 : AF_INET, s->v6 ? (const void *)s->daddr6 : &s->daddr4, h, sizeof(h));
	snprintf(b, sizeof(b), s->v6 ? "[%s]" : "%s", h);
	snprintf(words[1], 64, "%s", a);
	snprintf(words[2], 64, "%s", b);
	if (s->proto == IPPROTO_ESP)
		snprintf(words[2], 64, "%s:%u", b, (__u32)ntohs(s->sport) << 16 | ntohs(s->dport));
	else if (echo)
		snprintf(words[1], 64, "%s:%u", a, ntohs(s->sport));
	else if (s->proto == IPPROTO_TCP || s->proto == IPPROTO_UDP || s->proto == IPPROTO_SCTP) {
		snprintf(words[1], 64, "%s:%u", a, ntohs(s->sport));
		snprintf(words[2], 64, "%s:%u", b, ntohs(s->dport));
	}
}

/* Makes configuration k live, as a reconfiguration from whichever ran before. */
static void apply(int k)
{
	static const struct xdplb_settings empty = { .target_kind = XDPLB_TARGET_CPU };
	static int current = -1;

	ASSERT_EQ(xdplb_apply(&in, current >= 0 ? &settings[current] : &empty, &settings[k]), 0);
	current = k;
}

/* What the attached build did with a frame, from its counters: the CPU it redirected to, or
 * -100 - the reason it passed; -1 when no counter moved. */
static int kernel_outcome(const struct xdplb_settings *s, const __u8 *buf, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf, .data_size_in = len, .repeat = 1);
	struct xdplb_snapshot before, after;
	int out = -1;
	__u32 i;

	xdplb_snapshot_read(&in, s, &before);
	if (!bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdplb_rx), &opts)) {
		xdplb_snapshot_read(&in, s, &after);
		/* A frame for the CPU running the test is passed to its stack there
		 * (XDPLB_HASH_F_LOCAL), counted on its target as one redirected is. */
		for (i = 0; i < s->n_targets && (opts.retval == XDP_REDIRECT ||
						 opts.retval == XDP_PASS); i++)
			if (after.tgt[i].packets == before.tgt[i].packets + 1)
				out = (int)s->targets[i].id;
		for (i = 0; i < XDPLB_PASS__COUNT && opts.retval == XDP_PASS && out == -1; i++)
			if (after.rx.pass[i] == before.rx.pass[i] + 1)
				out = -100 - (int)i;
		xdplb_snapshot_free(&after);
	}
	xdplb_snapshot_free(&before);
	return out;
}

/* Runs the frame; returns the CPU whose target counter moved, or -1. */
static int kernel_target(const struct xdplb_settings *s, const __u8 *buf, size_t len)
{
	int out = kernel_outcome(s, buf, len);

	return out >= 0 ? out : -1;
}

static int engine_outcome(struct xdplb_explainer *e, const __u8 *buf, size_t len)
{
	struct xdplb_decision d;

	if (xdplb_explainer_run(e, buf, (__u32)len, &d))
		return -2;
	return d.redirect ? (int)d.target : -100 - (int)d.reason;
}

/* Every frame case in every version and tagging, whole then cut inside the headers, under
 * each of the four configurations: fn(k, frame, length, arg); fn(k, NULL, 0, arg) after the
 * last frame of configuration k, before the next is applied. */
static void each_case_frame(void (*fn)(int k, const __u8 *buf, size_t len, void *arg), void *arg)
{
	static struct fcase_frame f;
	int k, c, v6, vlans, cut;
	__u64 rng = 0x18;

	for (k = 0; k < 4; k++) {
		apply(k);
		for (c = 0; c < (int)fcases_count; c++)
			for (v6 = 0; v6 < 2; v6++)
				for (vlans = 0; vlans < 3; vlans++) {
					if (fcase_build(&fcases[c], v6, vlans, &rng, &f))
						continue;
					for (cut = 0; cut < 4; cut++) {
						size_t len = cut == 0 ? f.l.len : cut == 1 ? f.l.needed - 1 :
							     cut == 2 ? 20 : 14;

						if (len >= 14 && len <= f.l.len)
							fn(k, f.buf, len, arg);
					}
				}
		fn(k, NULL, 0, arg);
	}
}

struct engine_check {
	struct xdplb_explainer e;
	int checked;
};

static void engine_check_one(int k, const __u8 *buf, size_t len, void *arg)
{
	struct engine_check *ec = arg;
	int want, got;

	if (!buf)
		return;
	want = kernel_outcome(&settings[k], buf, len);
	got = engine_outcome(&ec->e, buf, len);
	ec->checked++;
	ASSERT_TRUE(want == got && want != -1, "config %d, %zu bytes: attached %d, engine %d",
		    k, len, want, got);
}

static void test_engine_decides_as_attached(void)
{
	static struct engine_check ec;

	ASSERT_EQ(xdplb_explainer_open_live(&ec.e, &in, &settings[0]), 0);
	each_case_frame(engine_check_one, &ec);
	xdplb_explainer_close(&ec.e);
	printf("  %d frames decided alike\n", ec.checked);
}

/* The frames of one batch and what the attached build did with each. */
struct batch_check {
	int want[XDPLB_EXPLAIN_BATCH_MAX];
	size_t len[XDPLB_EXPLAIN_BATCH_MAX];
	int frames, batches, alone;
};

/* Decides the batch and checks each frame against the attached build's outcome, and that
 * the batch program placed every frame itself (done) rather than leaving it to a run alone. */
static void batch_flush(struct xdplb_explainer *e, struct batch_check *bc, int k)
{
	static struct xdplb_decision d[XDPLB_EXPLAIN_BATCH_MAX];
	__u32 i, n = e->n;

	if (!n)
		return;
	ASSERT_EQ(xdplb_explainer_flush(e, d), 0);
	bc->batches++;
	for (i = 0; i < n; i++) {
		int got = d[i].redirect ? (int)d[i].target : -100 - (int)d[i].reason;

		bc->alone += !e->skel->bss->xdplb_batch_res[i].done;
		ASSERT_TRUE(got == bc->want[i], "config %d, batch %d frame %u (%zu bytes of %u): "
			    "attached %d, batch %d", k, bc->batches, i, bc->len[i], n, bc->want[i], got);
	}
}

struct batch_run {
	struct xdplb_explainer e;
	struct batch_check bc;
};

static void batch_add_one(int k, const __u8 *buf, size_t len, void *arg)
{
	struct batch_run *br = arg;

	if (!buf) {
		batch_flush(&br->e, &br->bc, k);
		return;
	}
	if (!xdplb_explainer_add(&br->e, buf, (__u32)len)) {
		batch_flush(&br->e, &br->bc, k);
		ASSERT_TRUE(xdplb_explainer_add(&br->e, buf, (__u32)len),
			    "%zu bytes do not fit an empty batch", len);
	}
	br->bc.want[br->e.n - 1] = kernel_outcome(&settings[k], buf, len);
	br->bc.len[br->e.n - 1] = len;
	br->bc.frames++;
}

/* Many frames a test run (xdplb_explain_batch, what --explain runs): every frame case,
 * whole and cut short, packed back to back so that a cut frame lies before a whole one,
 * must be decided as the attached build decides it alone: a decision that read past its
 * frame's end into the next would differ on the cut ones. */
static void test_batch_decides_as_attached(void)
{
	static struct batch_run br;

	ASSERT_EQ(xdplb_explainer_open_live(&br.e, &in, &settings[0]), 0);
	each_case_frame(batch_add_one, &br);
	xdplb_explainer_close(&br.e);
	ASSERT_EQ(br.bc.alone, 0);
	ASSERT_TRUE(br.bc.batches * 8 < br.bc.frames, "%d frames in %d batches", br.bc.frames,
		    br.bc.batches);
	printf("  %d frames decided alike in %d batches\n", br.bc.frames, br.bc.batches);
}

/* A kernel that keeps less of a test run's buffer than the batch assumed (here: the batch
 * told it holds a page and more) is found out by the program (xdplb_batch_linear); the
 * frames are run alone, decided alike, and the batch shrinks to what the kernel keeps. */
static void test_batch_larger_than_kernel_keeps(void)
{
	static struct fcase_frame f;
	static struct batch_run br;
	__u32 cap, kept;
	__u64 rng = 0x77;
	int i;

	ASSERT_EQ(xdplb_explainer_open_live(&br.e, &in, &settings[0]), 0);
	apply(0);
	cap = br.e.cap;
	br.e.buf = realloc(br.e.buf, 8000);
	ASSERT_TRUE(br.e.buf != NULL, "realloc");
	br.e.cap = 8000;
	ASSERT_EQ(fcase_build(&fcases[0], 0, 0, &rng, &f), 0);
	for (i = 0; xdplb_explainer_add(&br.e, f.buf, (__u32)f.l.len); i++) {
		br.bc.want[i] = kernel_outcome(&settings[0], f.buf, f.l.len);
		br.bc.len[i] = f.l.len;
	}
	ASSERT_GT(br.e.used, cap);
	batch_flush(&br.e, &br.bc, 0);
	ASSERT_EQ(br.bc.alone, i);
	kept = br.e.cap;
	ASSERT_TRUE(kept <= cap && kept > cap / 2, "cap %u after the run, %u assumed", kept, cap);
	/* The next batch fits what the kernel keeps: decided in one run. */
	br.bc.alone = 0;
	for (i = 0; xdplb_explainer_add(&br.e, f.buf, (__u32)f.l.len); i++) {
		br.bc.want[i] = kernel_outcome(&settings[0], f.buf, f.l.len);
		br.bc.len[i] = f.l.len;
	}
	batch_flush(&br.e, &br.bc, 0);
	ASSERT_EQ(br.bc.alone, 0);
	xdplb_explainer_close(&br.e);
	printf("  a batch told 8000 bytes fit: the kernel kept %u (%u assumed)\n", kept, cap);
}

/* Random TCP, UDP, SCTP, ESP, ICMP echo and other ICMP flows over IPv4 and IPv6. */
static void random_spec(struct pkt_spec *s, __u64 *rng, int i)
{
	pkt_random_spec(s, rng, i & 1);
	switch (i % 9) {
	case 3:
		s->proto = IPPROTO_SCTP;
		break;
	case 5:
		s->proto = IPPROTO_ESP;
		break;
	case 6:		/* an echo: the identifier stands for both ports */
		s->proto = s->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		s->icmp_type = s->v6 ? ICMPV6_ECHO : ICMP_ECHO;
		s->dport = s->sport;
		break;
	case 7:		/* no identifier: the addresses alone */
		s->proto = s->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		s->icmp_type = s->v6 ? 200 : ICMP_TIMESTAMP;
		break;
	}
	s->payload = 16;
}

/* --which's answer for the words, through the explain copy over the live maps (loaded once:
 * it reads the maps at each run, so it follows every live change): the CPU, or -1 for a
 * pass. */
static int which_target(char *const *words, int n)
{
	static struct xdplb_explainer e;
	struct xdplb_which_query q;
	struct xdplb_decision d;

	if (!e.skel && xdplb_explainer_open_live(&e, &in, &settings[0]))
		return -2;
	if (xdplb_which_parse_query(words, n, &q) || xdplb_which_ask(&e, &q, &d))
		return -2;
	return d.redirect ? (int)d.target : -1;
}

static void test_which_matches_kernel(void)
{
	__u64 rng = 0x77;
	int k, i;

	for (k = 0; k < 3; k++) {
		apply(k);
		for (i = 0; i < 200; i++) {
			char words[3][64], *args[3] = { words[0], words[1], words[2] };
			struct xdplb_config cfg;
			struct xdplb_explainer e;
			struct pkt_spec s;
			__u8 buf[256];
			size_t len, needed;
			int got, said;

			random_spec(&s, &rng, i);
			flow_words(&s, i % 3 == 0, words);
			said = which_target(args, 3);
			len = pkt_build(&s, buf, sizeof(buf), &needed);
			got = kernel_target(&settings[k], buf, len);
			ASSERT_TRUE(got == said && got >= 0,
				    "config %d, flow '%s %s %s': --which says cpu %d, the kernel sent it to %d",
				    k, words[0], words[1], words[2], said, got);
			if (i)
				continue;
			ASSERT_EQ(xdplb_explainer_open_live(&e, &in, &settings[k]), 0);
			ASSERT_EQ(xdplb_explainer_config(&e, &cfg), 0);
			ASSERT_EQ(cfg.half[cfg.active & 1].table_mask + 1, settings[k].table_size);
			xdplb_explainer_close(&e);
		}
	}
}

/* One way of travelling, as pkt.c builds it and as --which's words say it. */
static void wrapped(int kind, struct pkt_spec *s, __u8 *buf, size_t *len, char words[8][64], int *n)
{
	static const __u8 exts[] = { IPPROTO_HOPOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS };
	static const char *const ext_words[] = { "hbh", "routing", "dstopts" };
	size_t needed;
	int i;

	switch (kind) {
	case 0:		/* two tags */
		s->n_vlans = 2;
		snprintf(words[(*n)++], 64, "vlan:1");
		snprintf(words[(*n)++], 64, "vlan:2");
		break;
	case 1:		/* IPv6 extension headers, or an IPv4 first fragment */
		for (i = 0; s->v6 && i < 3; i++) {
			s->ext[s->n_ext++] = exts[i];
			snprintf(words[(*n)++], 64, "%s", ext_words[i]);
		}
		if (!s->v6) {
			s->frag_off = 0x2000;
			snprintf(words[(*n)++], 64, "first-frag");
		}
		break;
	case 2:		/* a later fragment: addresses only */
		if (s->v6) {
			s->ext[s->n_ext++] = IPPROTO_FRAGMENT;
			s->frag6 = 185 << 3;
		} else {
			s->frag_off = 185;
		}
		snprintf(words[(*n)++], 64, "frag");
		break;
	case 3:		/* an IPv6 first fragment after a hop-by-hop header */
		if (s->v6) {
			s->ext[s->n_ext++] = IPPROTO_HOPOPTS;
			s->ext[s->n_ext++] = IPPROTO_FRAGMENT;
			s->frag6 = 1;
			snprintf(words[(*n)++], 64, "hbh");
			snprintf(words[(*n)++], 64, "first-frag");
		}
		break;
	}
	*len = pkt_build(s, buf, 512, &needed);
}

/* The flow in an ICMP error (its destination answering) or in a tunnel. */
static void carried(int kind, const struct pkt_spec *s, __u8 *buf, size_t *len,
		    char words[8][64], int *n)
{
	static const enum pkt_tunnel tunnels[] = { PKT_GRE, PKT_IPIP, PKT_VXLAN };
	static const char *const names[] = { "gre", "ipip", "vxlan" };
	struct pkt_spec o = { 0 }, q = *s;
	struct pkt_layout l;
	__u8 inner[512];
	size_t inner_len, needed;

	if (kind == 0) {
		o.v6 = s->v6;
		o.saddr4 = s->daddr4;
		o.daddr4 = s->saddr4;
		memcpy(o.saddr6, s->daddr6, 16);
		memcpy(o.daddr6, s->saddr6, 16);
		pkt_build_icmp_error(&o, s->v6 ? 1 : 3, s, buf, 512, &l);
		*len = l.len;
		snprintf(words[(*n)++], 64, "icmp-error");
		return;
	}
	q.no_eth = tunnels[kind - 1] != PKT_VXLAN;
	inner_len = pkt_build(&q, inner, sizeof(inner), &needed);
	o.saddr4 = htonl(0xc6120901);		/* 198.18.9.1 > 198.18.9.2 */
	o.daddr4 = htonl(0xc6120902);
	o.sport = htons(40000);
	pkt_build_tunnel(&o, tunnels[kind - 1], s->v6, inner, inner_len, needed, buf, 512, &l);
	*len = l.len;
	snprintf(words[(*n)++], 64, "%s:198.18.9.1,198.18.9.2%s", names[kind - 1],
		 tunnels[kind - 1] == PKT_VXLAN ? ",40000" : "");
}

static void test_which_wrapped(void)
{
	__u64 rng = 0x1818;
	int k, i;

	for (k = 0; k < 4; k++) {
		apply(k);
		for (i = 0; i < 160; i++) {
			char words[8][64], *args[8];
			struct pkt_spec s;
			__u8 buf[512];
			size_t len;
			int n = 3, got, said, j;

			random_spec(&s, &rng, i);
			if (i % 3 == 0) {
				s.proto = IPPROTO_UDP;
				s.icmp_type = 0;
			}
			flow_words(&s, 0, words);
			/* i % 8 picks the way, i & 1 the IP version: every way in both. */
			if (i % 8 < 4)
				wrapped(i % 8, &s, buf, &len, words, &n);
			else
				carried(i % 8 - 4, &s, buf, &len, words, &n);
			for (j = 0; j < n; j++)
				args[j] = words[j];
			said = which_target(args, n);
			got = kernel_target(&settings[k], buf, len);
			ASSERT_TRUE(got == said && got >= 0,
				    "config %d, '%s %s %s %s%s%s': --which says %d, the kernel %d", k,
				    words[0], words[1], words[2], n > 3 ? words[3] : "", n > 4 ? " " : "",
				    n > 4 ? words[4] : "", said, got);
		}
	}
}

/* The words become the flow the parser takes from a packet: network order, IPv4 in word 0. */
static void test_words_to_flow(void)
{
	char *v4[] = { "udp", "198.18.0.1:4000", "198.18.1.1:53" };
	char *v6[] = { "tcp", "[fd00::1]:1", "[fd00::2]:443" };
	char *icmp6[] = { "icmpv6", "fd00::1", "[fd00::2]" };
	char *echo[] = { "icmp", "198.18.0.1", "198.18.1.1:77" };
	char *esp[] = { "esp", "198.18.0.1", "198.18.1.1:305419896" };
	struct xdplb_flow f;

	ASSERT_EQ(xdplb_which_parse(v4, 3, &f), 0);
	ASSERT_EQ(f.src[0], inet_addr("198.18.0.1"));
	ASSERT_EQ(f.dst[0], inet_addr("198.18.1.1"));
	ASSERT_EQ(f.src[1] | f.src[2] | f.src[3] | f.is_v6, 0);
	ASSERT_EQ(f.sport, htons(4000));
	ASSERT_EQ(f.dport, htons(53));
	ASSERT_EQ(f.proto, IPPROTO_UDP);
	ASSERT_EQ(xdplb_which_parse(v6, 3, &f), 0);
	ASSERT_EQ(f.is_v6, 1);
	ASSERT_EQ(f.src[0], htonl(0xfd000000));
	ASSERT_EQ(f.dst[3], htonl(2));
	ASSERT_EQ(f.dport, htons(443));
	ASSERT_EQ(xdplb_which_parse(icmp6, 3, &f), 0);
	ASSERT_EQ(f.proto, IPPROTO_ICMPV6);
	ASSERT_EQ(f.sport | f.dport, 0);
	ASSERT_EQ(xdplb_which_parse(echo, 3, &f), 0);
	ASSERT_EQ(f.sport, htons(77));
	ASSERT_EQ(f.dport, htons(77));
	ASSERT_EQ(xdplb_which_parse(esp, 3, &f), 0);	/* SPI 0x12345678, as the packet has it */
	ASSERT_EQ(f.sport, htons(0x1234));
	ASSERT_EQ(f.dport, htons(0x5678));
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_words_to_flow),
		HARNESS_TEST(test_which_matches_kernel),
		HARNESS_TEST(test_which_wrapped),
		HARNESS_TEST(test_engine_decides_as_attached),
		HARNESS_TEST(test_batch_decides_as_attached),
		HARNESS_TEST(test_batch_larger_than_kernel_keeps),
	};
	int err;

	libbpf_set_print(NULL);
	err = setup();
	if (err) {
		printf("SKIP test_which_prog: cannot load the BPF program: %s%s\n", strerror(-err),
		       err == -EPERM ? " (needs root)" : "");
		return 0;
	}
	err = harness_run(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
	xdplb_instance_close(&in);
	xdplb__destroy(skel);
	return err;
}
