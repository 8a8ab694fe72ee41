// SPDX-License-Identifier: GPL-2.0
/* decision_cost.c: what xdplb_rx's decision costs per packet on each parse path, next to
 * an XDP program that only passes, one that only redirects (the floor of any program that
 * steers) and xdp-bench's `redirect-cpu -p l4-dport` program (XDP_BENCH_OBJ: its
 * xdp_redirect_cpumap.bpf.o), all timed by the kernel (BPF_PROG_TEST_RUN with repeat, which
 * also runs them through the XDP dispatcher as a driver would) in the same run: the four
 * run one after the other on each path's frame, round after round, so that a noisy
 * neighbour hits all alike. Prints the redirect-only program's row under the baseline's,
 * then per path the medians of XDP_PASS, xdp-bench and xdplb_rx, xdplb's best, its median
 * ratio to XDP_PASS with the spread over the rounds, the median extra ns over XDP_PASS and
 * over xdp-bench (paired per round), and the verifier's instruction count for xdplb_rx.
 * The kernel reports whole nanoseconds: read ±1 ns. xdplb_rx is loaded as xdplb loads it
 * on an interface whose MTU fits a page (no frags flag, the live bench's case);
 * XDPLB_COST_FRAGS=1 times the multi-buffer program of a jumbo MTU instead, which pays
 * bpf_xdp_get_buff_len per frame.
 *
 * Usage: decision_cost [ROUNDS [REPEAT]]   (defaults 9 and 2000000) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench/decision_pass.skel.h"
#include "bench/decision_frames.h"
#include "bench/decision_xdpbench.h"
#include "tests/xdp_fixture.h"
#include "user/core/lifecycle.h"

#define COST_ROUNDS_MAX	101
#define COST_SAMPLES_MAX	(COST_ROUNDS_MAX * COST_FRAMES_MAX)

struct cost_case {
	const struct cost_frame *f;
	__u32 ns[COST_ROUNDS_MAX];	/* xdplb_rx */
	__u32 pass_ns[COST_ROUNDS_MAX];	/* XDP_PASS only, on the same frame */
	__u32 redir_ns[COST_ROUNDS_MAX];	/* a cpumap redirect only, on the same frame */
	double redir_extra_ns[COST_ROUNDS_MAX];	/* that - XDP_PASS */
	__u32 xb_ns[COST_ROUNDS_MAX];	/* xdp-bench's cpumap_l4_dport, on the same frame */
	double ratio[COST_ROUNDS_MAX];
	double extra_ns[COST_ROUNDS_MAX];	/* xdplb_rx - XDP_PASS */
	double xb_extra_ns[COST_ROUNDS_MAX];	/* xdplb_rx - xdp-bench */
};

/* The programs timed on every frame; xb_fd < 0 when xdp-bench's object is absent. */
struct cost_progs {
	int pass_fd, redir_fd, xb_fd, rx_fd;
};

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
	xdplb_set_frags(skel, !fx.linear);
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

/* CPU 0 in the redirect-only program's cpumap, as in xdplb's (a missing entry would make
 * the helper fail early, and cheaper). */
static int cost_redirect_entry(int map_fd)
{
	struct bpf_cpumap_val v = { .qsize = 64, .bpf_prog.fd = -1 };
	__u32 cpu = 0;

	return bpf_map_update_elem(map_fd, &cpu, &v, 0);
}

/* One round: on each frame, XDP_PASS, the redirect only, xdp-bench, then xdplb_rx, seconds
 * apart at most. */
static int cost_round(struct cost_case *cases, size_t n, const struct cost_progs *p, int r,
		      __u32 repeat)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct cost_case *c = &cases[i];

		const struct cost_frame *f = c->f;

		if (fx_set_config(r & 1, XDPLB_HASH_SYM | f->flags, fx.table) ||
		    ((f->flags & XDPLB_HASH_F_ONE_TARGET) && fx_set_one_target(0)))
			return -1;
		c->pass_ns[r] = cost_time(p->pass_fd, f->frame, f->len, repeat);
		c->redir_ns[r] = cost_time(p->redir_fd, f->frame, f->len, repeat);
		c->xb_ns[r] = p->xb_fd < 0 ? 0 : cost_time(p->xb_fd, f->frame, f->len, repeat);
		c->ns[r] = cost_time(p->rx_fd, f->frame, f->len, repeat);
		if (!c->pass_ns[r] || !c->redir_ns[r] || !c->ns[r] || (p->xb_fd >= 0 && !c->xb_ns[r]))
			return -1;
		c->ratio[r] = (double)c->ns[r] / c->pass_ns[r];
		c->extra_ns[r] = (double)c->ns[r] - c->pass_ns[r];
		c->redir_extra_ns[r] = (double)c->redir_ns[r] - c->pass_ns[r];
		c->xb_extra_ns[r] = (double)c->ns[r] - c->xb_ns[r];
	}
	return 0;
}

/* Per path: medians of the rounds; "-" in the xdp-bench columns when it was not timed. */
static void cost_print(struct cost_case *cases, size_t n, int rounds, int have_xb)
{
	static __u32 base_ns[COST_SAMPLES_MAX], redir_ns[COST_SAMPLES_MAX];
	static double redir_extra[COST_SAMPLES_MAX], redir_ratio[COST_SAMPLES_MAX];
	double ns[3], pass[3], xb[3], ratio[3], extra[3], xbx[3], base[3], rd[3], rdx[3], rdr[3];
	char range[40], xbs[16], xbxs[16];
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		for (r = 0; r < rounds; r++) {
			base_ns[r * n + i] = cases[i].pass_ns[r];
			redir_ns[r * n + i] = cases[i].redir_ns[r];
			redir_extra[r * n + i] = cases[i].redir_extra_ns[r];
			redir_ratio[r * n + i] = (double)cases[i].redir_ns[r] / cases[i].pass_ns[r];
		}
	cost_stats_u32(base_ns, rounds * n, base);
	cost_stats_u32(redir_ns, rounds * n, rd);
	cost_stats(redir_extra, rounds * n, rdx);
	cost_stats(redir_ratio, rounds * n, rdr);
	printf("%-26s %6s %9s %6s %5s %20s %6s %7s\n", "path", "empty", "xdp-bench", "xdplb",
	       "best", "x empty (range)", "+empty", "+xbench");
	printf("%-26s %6.0f %9s %6.0f %5.0f %20s %+6d %7s\n", "XDP_PASS only (baseline)", base[0],
	       "-", base[0], base[1], "1.00", 0, "-");
	/* The floor of any program that steers: the helper alone, whatever the frame. */
	snprintf(range, sizeof(range), "%.2f (%.2f-%.2f)", rdr[0], rdr[1], rdr[2]);
	printf("%-26s %6.0f %9s %6.0f %5.0f %20s %+6.0f %7s\n", "cpumap redirect only", base[0],
	       "-", rd[0], rd[1], range, rdx[0], "-");
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
		printf("%-26s %6.0f %9s %6.0f %5.0f %20s %+6.0f %7s\n", cases[i].f->name, pass[0], xbs,
		       ns[0], ns[1], range, extra[0], xbxs);
	}
}

int main(int argc, char **argv)
{
	static struct cost_frame frames[COST_FRAMES_MAX];
	static struct cost_case cases[COST_FRAMES_MAX];
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
	fx.linear = !getenv("XDPLB_COST_FRAGS") || strcmp(getenv("XDPLB_COST_FRAGS"), "1");
	err = fx_setup();
	pass = decision_pass__open_and_load();
	if (err || !pass) {
		fprintf(stderr, "decision_cost: cannot load the programs: %s (needs root)\n",
			strerror(err ? -err : errno));
		return 1;
	}
	p.pass_fd = bpf_program__fd(pass->progs.xdplb_bench_pass);
	p.redir_fd = bpf_program__fd(pass->progs.xdplb_bench_redirect);
	if (cost_redirect_entry(bpf_map__fd(pass->maps.xdplb_bench_cpus))) {
		fprintf(stderr, "decision_cost: the redirect-only program's cpumap entry: %s\n",
			strerror(errno));
		return 1;
	}
	p.rx_fd = bpf_program__fd(fx.skel->progs.xdplb_rx);
	p.xb_fd = -1;
	if (xb_path && *xb_path) {
		p.xb_fd = xb_load(xb_path, fx.ncpus, &xb_obj);
		if (p.xb_fd < 0)
			fprintf(stderr, "decision_cost: xdp-bench's program: %s: %s\n", xb_path,
				strerror(-p.xb_fd));
	}
	n = cost_build_frames(frames);
	for (r = 0; r < (int)n; r++)
		cases[r].f = &frames[r];
	for (r = 0; r < rounds; r++)
		if (cost_round(cases, n, &p, r, repeat))
			return 1;
	cost_print(cases, n, rounds, p.xb_fd >= 0);
	printf("medians of %d rounds of %u runs; xdplb_rx %s; xdp-bench: %s; verifier: xdplb_rx %ld insns processed, IPv6 extension header bound %d\n",
	       rounds, repeat, fx.linear ? "plain (MTU <= 1 page)" : "frags (jumbo MTU)",
	       p.xb_fd >= 0 ? xb_path : "not timed (XDP_BENCH_OBJ)",
	       cost_verifier_insns(), XDPLB_IPV6_EXT_MAX);
	bpf_object__close(xb_obj);
	decision_pass__destroy(pass);
	fx_teardown();
	return 0;
}
