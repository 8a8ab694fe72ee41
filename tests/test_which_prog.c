// SPDX-License-Identifier: GPL-2.0
/* test_which_prog.c: --which's answer against the kernel's, flow by flow. The real program is
 * loaded and configured by the control plane's own xdplb_apply() (entries, inactive half,
 * flip), live-changed twice; random flows are written out as --which's words, parsed by
 * xdplb_which_parse() and looked up by xdplb_which_lookup(), and the same flows run as
 * frames through BPF_PROG_TEST_RUN: the target the kernel counts must be the one named.
 * The flows cover every way the parser finds ports: TCP, UDP and SCTP ports, ESP's SPI,
 * an ICMP echo's identifier, none. */
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
#include "user/core/reconfig.h"
#include "user/core/stats.h"
#include "user/cmd/which.h"
#include "xdplb.skel.h"

static struct xdplb *skel;
static struct xdplb_instance in;
static struct xdplb_settings settings[3];
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

/* Three configurations, every one a live change of the one before: mode, table size, seed
 * and weights all differ. */
static void make_settings(void)
{
	static const __u32 modes[] = { XDPLB_HASH_SYM, XDPLB_HASH_L4, XDPLB_HASH_L3 };
	static const __u32 sizes[] = { 4096, 256, 64 };
	int k, cpu;

	for (k = 0; k < 3; k++) {
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

/* Runs the frame; returns the CPU whose target counter moved, or -1. */
static int kernel_target(const struct xdplb_settings *s, const __u8 *buf, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf, .data_size_in = len, .repeat = 1);
	struct xdplb_snapshot before, after;
	int target = -1;
	__u32 i;

	xdplb_snapshot_read(&in, s, &before);
	if (!bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdplb_rx), &opts) &&
	    opts.retval == XDP_REDIRECT) {
		xdplb_snapshot_read(&in, s, &after);
		for (i = 0; i < s->n_targets; i++)
			if (after.tgt[i].packets == before.tgt[i].packets + 1)
				target = (int)s->targets[i].id;
		xdplb_snapshot_free(&after);
	}
	xdplb_snapshot_free(&before);
	return target;
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

static void test_which_matches_kernel(void)
{
	struct xdplb_settings empty = { .target_kind = XDPLB_TARGET_CPU };
	__u64 rng = 0x77;
	int k, i;

	for (k = 0; k < 3; k++) {
		ASSERT_EQ(xdplb_apply(&in, k ? &settings[k - 1] : &empty, &settings[k]), 0);
		for (i = 0; i < 400; i++) {
			char words[3][64], *args[3] = { words[0], words[1], words[2] };
			struct xdplb_flow flow;
			struct xdplb_which w;
			struct pkt_spec s;
			__u8 buf[256];
			size_t len, needed;
			int got;

			random_spec(&s, &rng, i);
			flow_words(&s, i % 3 == 0, words);
			ASSERT_EQ(xdplb_which_parse(args, 3, &flow), 0);
			ASSERT_EQ(xdplb_which_lookup(in.map_fd[XDPLB_M_config], in.map_fd[XDPLB_M_table],
						     &flow, &w), 0);
			ASSERT_EQ(w.table_size, settings[k].table_size);
			len = pkt_build(&s, buf, sizeof(buf), &needed);
			got = kernel_target(&settings[k], buf, len);
			ASSERT_TRUE(got == (int)w.value,
				    "config %d, flow '%s %s %s': --which says cpu %u, the kernel sent it to %d",
				    k, words[0], words[1], words[2], w.value, got);
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
