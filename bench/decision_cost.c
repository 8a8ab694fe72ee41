// SPDX-License-Identifier: GPL-2.0
/* decision_cost.c: what xdplb_rx's decision costs per packet on each parse path, next to
 * an XDP program that only passes and to xdp-bench's `redirect-cpu -p l4-dport` program
 * (XDP_BENCH_OBJ: its xdp_redirect_cpumap.bpf.o), all timed by the kernel (BPF_PROG_TEST_RUN with
 * repeat, which also runs them through the XDP dispatcher as a driver would) in the same
 * run: the three run one after the other on each path's frame, round after round, so that
 * a noisy neighbour hits all alike. Prints per path the medians of XDP_PASS, xdp-bench and
 * xdplb_rx, xdplb's best, its median ratio to XDP_PASS with the spread over the rounds, the
 * median extra ns over XDP_PASS and over xdp-bench (paired per round),
 * and the verifier's instruction count for xdplb_rx. The kernel reports whole
 * nanoseconds: read ±1 ns.
 *
 * Usage: decision_cost [ROUNDS [REPEAT]]   (defaults 9 and 2000000) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/in6.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench/decision_pass.skel.h"
#include "bench/decision_xdpbench.h"
#include "tests/xdp_fixture.h"

#define COST_ROUNDS_MAX	101
#define COST_CASES_MAX	16
#define COST_SAMPLES_MAX	(COST_ROUNDS_MAX * COST_CASES_MAX)
#define COST_FRAME_MAX	512

struct cost_case {
	const char *name;
	__u32 flags;		/* XDPLB_HASH_F_* for this path */
	__u8 frame[COST_FRAME_MAX];
	size_t len;
	__u32 ns[COST_ROUNDS_MAX];	/* xdplb_rx */
	__u32 pass_ns[COST_ROUNDS_MAX];	/* XDP_PASS only, on the same frame */
	__u32 xb_ns[COST_ROUNDS_MAX];	/* xdp-bench's cpumap_l4_dport, on the same frame */
	double ratio[COST_ROUNDS_MAX];
	double extra_ns[COST_ROUNDS_MAX];	/* xdplb_rx - XDP_PASS */
	double xb_extra_ns[COST_ROUNDS_MAX];	/* xdplb_rx - xdp-bench */
};

/* The three programs timed on every frame; xb_fd < 0 when xdp-bench's object is absent. */
struct cost_progs {
	int pass_fd, xb_fd, rx_fd;
};

static void base_tcp(struct pkt_spec *s, int v6)
{
	memset(s, 0, sizeof(*s));
	s->v6 = v6;
	s->proto = IPPROTO_TCP;
	s->saddr4 = inet_addr("198.18.0.1");
	s->daddr4 = inet_addr("198.18.1.1");
	inet_pton(AF_INET6, "fd00::1", s->saddr6);
	inet_pton(AF_INET6, "fd00::2", s->daddr6);
	s->sport = htons(40000);
	s->dport = htons(80);
	s->payload = 6;
}

static struct cost_case *cost_add(struct cost_case *cases, size_t *n, const char *name,
				  __u32 flags)
{
	struct cost_case *c = &cases[(*n)++];

	c->name = name;
	c->flags = flags;
	return c;
}

/* One frame of base_tcp(v6) with proto and n_vlans tags. */
static void cost_plain(struct cost_case *cases, size_t *n, const char *name, int v6,
		       __u8 proto, int n_vlans)
{
	struct cost_case *c = cost_add(cases, n, name, 0);
	struct pkt_spec s;
	size_t needed;

	base_tcp(&s, v6);
	s.proto = proto;
	s.n_vlans = n_vlans;
	c->len = pkt_build(&s, c->frame, COST_FRAME_MAX, &needed);
}

/* The paths: IPv4 and IPv6, TCP and UDP, untagged and VLAN-tagged (the ones xdp-bench's
 * l4-dport parses too), then what the other kinds of frame cost. */
static void cost_build(struct cost_case *cases, size_t *n)
{
	size_t inner_len, inner_needed;
	struct pkt_spec s, q, o;
	__u8 inner[COST_FRAME_MAX];
	struct pkt_layout l;
	struct cost_case *c;

	*n = 0;
	cost_plain(cases, n, "ipv4 tcp", 0, IPPROTO_TCP, 0);
	cost_plain(cases, n, "ipv4 udp", 0, IPPROTO_UDP, 0);
	cost_plain(cases, n, "ipv6 tcp", 1, IPPROTO_TCP, 0);
	cost_plain(cases, n, "ipv6 udp", 1, IPPROTO_UDP, 0);
	cost_plain(cases, n, "ipv4 tcp, vlan", 0, IPPROTO_TCP, 1);
	cost_plain(cases, n, "ipv4 udp, vlan", 0, IPPROTO_UDP, 1);
	cost_plain(cases, n, "ipv6 tcp, vlan", 1, IPPROTO_TCP, 1);
	cost_plain(cases, n, "ipv6 udp, vlan", 1, IPPROTO_UDP, 1);
	base_tcp(&s, 1);
	s.ext[0] = IPPROTO_HOPOPTS;
	s.ext[1] = IPPROTO_DSTOPTS;
	s.n_ext = 2;
	c = cost_add(cases, n, "ipv6 tcp, 2 ext headers", 0);
	c->len = pkt_build(&s, c->frame, COST_FRAME_MAX, &l.needed);
	base_tcp(&s, 0);
	s.proto = IPPROTO_UDP;
	s.frag_off = 0x00b9;
	c = cost_add(cases, n, "ipv4 udp fragment", 0);
	c->len = pkt_build(&s, c->frame, COST_FRAME_MAX, &l.needed);
	base_tcp(&q, 0);
	base_tcp(&o, 0);
	o.saddr4 = inet_addr("198.18.9.9");
	c = cost_add(cases, n, "ipv4 icmp error", 0);
	pkt_build_icmp_error(&o, 3, &q, c->frame, COST_FRAME_MAX, &l);
	c->len = l.len;
	inner_len = pkt_build(&q, inner, sizeof(inner), &inner_needed);
	c = cost_add(cases, n, "vxlan, --inner", XDPLB_HASH_F_INNER);
	pkt_build_tunnel(&o, PKT_VXLAN, 0, inner, inner_len, inner_needed, c->frame,
			 COST_FRAME_MAX, &l);
	c->len = l.len;
	base_tcp(&o, 0);
	c = cost_add(cases, n, "erspan III, --inner", XDPLB_HASH_F_INNER);
	pkt_build_tunnel(&o, PKT_ERSPAN3, 0, inner, inner_len, inner_needed, c->frame,
			 COST_FRAME_MAX, &l);
	c->len = l.len;
}

/* Average ns per run over `repeat` runs, as the kernel measured it; 0 on error. */
static __u32 cost_time(int prog_fd, const __u8 *frame, size_t len, __u32 repeat)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
		    .repeat = repeat);

	if (bpf_prog_test_run_opts(prog_fd, &opts)) {
		fprintf(stderr, "decision_cost: BPF_PROG_TEST_RUN: %s\n", strerror(errno));
		return 0;
	}
	return opts.duration;
}

static int cost_cmp_double(const void *a, const void *b)
{
	return (*(const double *)a > *(const double *)b) - (*(const double *)a < *(const double *)b);
}

/* Median, min and max of v[0..n). */
static void cost_stats(const double *v, int n, double out[3])
{
	static double s[COST_SAMPLES_MAX];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cost_cmp_double);
	out[0] = s[n / 2];
	out[1] = s[0];
	out[2] = s[n - 1];
}

static void cost_stats_u32(const __u32 *v, int n, double out[3])
{
	static double d[COST_SAMPLES_MAX];
	int i;

	for (i = 0; i < n; i++)
		d[i] = v[i];
	cost_stats(d, n, out);
}

/* The verifier's work for xdplb_rx with its global functions, from its statistics line. */
static long cost_verifier_insns(void)
{
	static char log[1 << 16];
	struct xdplb *skel = xdplb__open();
	const char *p;
	long insns = -1;

	if (!skel)
		return -1;
	bpf_map__set_max_entries(skel->maps.xdplb_cpus, libbpf_num_possible_cpus());
	bpf_program__set_log_buf(skel->progs.xdplb_rx, log, sizeof(log));
	bpf_program__set_log_level(skel->progs.xdplb_rx, 4);	/* BPF_LOG_STATS */
	if (!xdplb__load(skel)) {
		p = strstr(log, "processed ");
		if (p)
			insns = strtol(p + strlen("processed "), NULL, 10);
	}
	xdplb__destroy(skel);
	return insns;
}

/* One round: on each frame, XDP_PASS, then xdp-bench, then xdplb_rx, seconds apart at most. */
static int cost_round(struct cost_case *cases, size_t n, const struct cost_progs *p, int r,
		      __u32 repeat)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct cost_case *c = &cases[i];

		if (fx_set_config(r & 1, XDPLB_HASH_SYM | c->flags, fx.table))
			return -1;
		c->pass_ns[r] = cost_time(p->pass_fd, c->frame, c->len, repeat);
		c->xb_ns[r] = p->xb_fd < 0 ? 0 : cost_time(p->xb_fd, c->frame, c->len, repeat);
		c->ns[r] = cost_time(p->rx_fd, c->frame, c->len, repeat);
		if (!c->pass_ns[r] || !c->ns[r] || (p->xb_fd >= 0 && !c->xb_ns[r]))
			return -1;
		c->ratio[r] = (double)c->ns[r] / c->pass_ns[r];
		c->extra_ns[r] = (double)c->ns[r] - c->pass_ns[r];
		c->xb_extra_ns[r] = (double)c->ns[r] - c->xb_ns[r];
	}
	return 0;
}

/* Per path: medians of the rounds; "-" in the xdp-bench columns when it was not timed. */
static void cost_print(struct cost_case *cases, size_t n, int rounds, int have_xb)
{
	static __u32 base_ns[COST_SAMPLES_MAX];
	double ns[3], pass[3], xb[3], ratio[3], extra[3], xbx[3], base[3];
	char range[40], xbs[16], xbxs[16];
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		for (r = 0; r < rounds; r++)
			base_ns[r * n + i] = cases[i].pass_ns[r];
	cost_stats_u32(base_ns, rounds * n, base);
	printf("%-26s %6s %9s %6s %5s %20s %6s %7s\n", "path", "empty", "xdp-bench", "xdplb",
	       "best", "x empty (range)", "+empty", "+xbench");
	printf("%-26s %6.0f %9s %6.0f %5.0f %20s %+6d %7s\n", "XDP_PASS only (baseline)", base[0],
	       "-", base[0], base[1], "1.00", 0, "-");
	for (i = 0; i < n; i++) {
		cost_stats_u32(cases[i].ns, rounds, ns);
		cost_stats_u32(cases[i].pass_ns, rounds, pass);
		cost_stats_u32(cases[i].xb_ns, rounds, xb);
		cost_stats(cases[i].ratio, rounds, ratio);
		cost_stats(cases[i].extra_ns, rounds, extra);
		cost_stats(cases[i].xb_extra_ns, rounds, xbx);
		snprintf(range, sizeof(range), "%.2f (%.2f-%.2f)", ratio[0], ratio[1], ratio[2]);
		snprintf(xbs, sizeof(xbs), have_xb ? "%.0f" : "-", xb[0]);
		snprintf(xbxs, sizeof(xbxs), have_xb ? "%+.0f" : "-", xbx[0]);
		printf("%-26s %6.0f %9s %6.0f %5.0f %20s %+6.0f %7s\n", cases[i].name, pass[0], xbs,
		       ns[0], ns[1], range, extra[0], xbxs);
	}
}

int main(int argc, char **argv)
{
	static struct cost_case cases[COST_CASES_MAX];
	const char *xb_path = getenv("XDP_BENCH_OBJ");
	struct bpf_object *xb_obj = NULL;
	struct decision_pass *pass;
	struct cost_progs p;
	__u32 repeat = 2000000;
	int rounds = 9, r, err;
	size_t n;

	if (argc > 1)
		rounds = atoi(argv[1]);
	if (argc > 2)
		repeat = (__u32)strtoul(argv[2], NULL, 10);
	if (rounds < 1 || rounds > COST_ROUNDS_MAX || !repeat) {
		fprintf(stderr, "usage: decision_cost [ROUNDS 1..%d [REPEAT]]\n", COST_ROUNDS_MAX);
		return 2;
	}
	libbpf_set_print(NULL);
	err = fx_setup();
	pass = decision_pass__open_and_load();
	if (err || !pass) {
		fprintf(stderr, "decision_cost: cannot load the programs: %s (needs root)\n",
			strerror(err ? -err : errno));
		return 1;
	}
	p.pass_fd = bpf_program__fd(pass->progs.xdplb_bench_pass);
	p.rx_fd = bpf_program__fd(fx.skel->progs.xdplb_rx);
	p.xb_fd = -1;
	if (xb_path && *xb_path) {
		p.xb_fd = xb_load(xb_path, fx.ncpus, &xb_obj);
		if (p.xb_fd < 0)
			fprintf(stderr, "decision_cost: xdp-bench's program: %s: %s\n", xb_path,
				strerror(-p.xb_fd));
	}
	cost_build(cases, &n);
	for (r = 0; r < rounds; r++)
		if (cost_round(cases, n, &p, r, repeat))
			return 1;
	cost_print(cases, n, rounds, p.xb_fd >= 0);
	printf("medians of %d rounds of %u runs; xdp-bench: %s; verifier: xdplb_rx %ld insns processed, IPv6 extension header bound %d\n",
	       rounds, repeat, p.xb_fd >= 0 ? xb_path : "not timed (XDP_BENCH_OBJ)",
	       cost_verifier_insns(), XDPLB_IPV6_EXT_MAX);
	bpf_object__close(xb_obj);
	decision_pass__destroy(pass);
	fx_teardown();
	return 0;
}
