// SPDX-License-Identifier: GPL-2.0
/* decision_ab.c: A/B of builds of xdplb_rx. Loads xdplb_rx from each object file given
 * (build/xdplb.bpf.o of different trees), configures every copy alike (the table of
 * tests/xdp_fixture.c, CPU mode, hash sym) and times them with BPF_PROG_TEST_RUN next to an
 * XDP_PASS program, interleaved at the finest grain: each round times every path on
 * XDP_PASS and then on each build, the builds' order rotating from round to round, so that
 * load from other tasks (this machine is shared) falls on all of them alike. Prints per path
 * and build the median extra ns over XDP_PASS with its min and max, and for every build
 * after the first the paired difference to the first (median, min, max over the rounds).
 *
 * Usage: decision_ab [-f] [-r ROUNDS] [-n REPEAT] [-p PATH] OBJ...
 *   -f: load with the frags flag (a jumbo MTU); -p: only paths whose name contains PATH;
 *   -s SECONDS: keep the programs loaded that long after the report, for
 *   `bpftool prog dump jited` (their ids are printed). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench/decision_frames.h"
#include "bench/decision_pass.skel.h"
#include "bench/decision_xdpbench.h"
#include "maps/xdplb_config.h"
#include "user/core/maglev.h"
#include "user/core/table.h"

#define AB_BUILDS_MAX	6
#define AB_ROUNDS_MAX	201
#define AB_TABLE	4096
#define AB_SEED		0x5eed1234abcdULL
#define AB_QSIZE	64

struct ab_build {
	const char *path;
	struct bpf_object *obj;
	int prog_fd, config_fd;
	double extra[COST_FRAMES_MAX][AB_ROUNDS_MAX];	/* ns over XDP_PASS */
};

struct ab_run {
	struct ab_build b[AB_BUILDS_MAX];
	int n_builds, rounds, frags, hold_s;
	__u32 repeat;
	const char *filter;
	__u32 table[AB_TABLE];
};

static int ab_cmp(const void *a, const void *b)
{
	return (*(const double *)a > *(const double *)b) - (*(const double *)a < *(const double *)b);
}

/* Median, min, max of v[0..n). */
static void ab_stats(const double *v, int n, double out[3])
{
	double s[AB_ROUNDS_MAX];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), ab_cmp);
	out[0] = s[n / 2];
	out[1] = s[0];
	out[2] = s[n - 1];
}

static int ab_map_fd(struct bpf_object *obj, const char *name)
{
	return bpf_object__find_map_fd_by_name(obj, name);
}

/* One half in use, both filled, as the fixture does; mode sym plus the path's flags. */
static int ab_set_config(const struct ab_build *b, __u32 flags)
{
	struct xdplb_config cfg = { .active = 0 };
	__u32 key = 0;

	cfg.half[0].seed = AB_SEED;
	cfg.half[0].hash_mode = XDPLB_HASH_SYM | flags;
	cfg.half[0].table_mask = AB_TABLE - 1;
	cfg.half[0].default_target = XDPLB_NO_TARGET;
	cfg.half[0].one_target = flags & XDPLB_HASH_F_ONE_TARGET ? 0 : XDPLB_NO_TARGET;
	cfg.half[1] = cfg.half[0];
	return bpf_map_update_elem(b->config_fd, &key, &cfg, 0) ? -errno : 0;
}

/* Opens and loads one build's object as xdplb loads it for CPU mode, then fills it. */
static int ab_load(struct ab_run *run, struct ab_build *b, int ncpus)
{
	struct bpf_cpumap_val v = { .qsize = AB_QSIZE, .bpf_prog.fd = -1 };
	struct bpf_program *prog;
	int err, cpu, half, fd;

	b->obj = bpf_object__open_file(b->path, NULL);
	if (!b->obj)
		return -errno;
	err = bpf_map__set_max_entries(bpf_object__find_map_by_name(b->obj, "xdplb_cpus"), ncpus);
	/* Builds from before the rodata switch have no xdplb_frags: they call the helper. */
	if (!err) {
		err = xb_set_rodata_u32(b->obj, "xdplb_frags", run->frags);
		err = err == -ENOENT ? 0 : err;
	}
	bpf_object__for_each_program(prog, b->obj)
		if (!err)
			err = bpf_program__set_flags(prog, run->frags ? BPF_F_XDP_HAS_FRAGS : 0);
	if (!err)
		err = bpf_object__load(b->obj);
	if (err)
		return err;
	b->prog_fd = bpf_program__fd(bpf_object__find_program_by_name(b->obj, "xdplb_rx"));
	b->config_fd = ab_map_fd(b->obj, "xdplb_config");
	fd = ab_map_fd(b->obj, "xdplb_cpus");
	for (cpu = 0; cpu < ncpus; cpu++)
		if (bpf_map_update_elem(fd, &cpu, &v, 0))
			return -errno;
	for (half = 0; half < 2 && !err; half++)
		err = xdplb_table_write_half(ab_map_fd(b->obj, "xdplb_table"), half, run->table,
					     AB_TABLE);
	return err ? err : ab_set_config(b, 0);
}

static __u32 ab_time(int fd, const struct cost_frame *f, __u32 repeat)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->frame, .data_size_in = f->len,
		    .repeat = repeat);

	return bpf_prog_test_run_opts(fd, &opts) ? 0 : opts.duration;
}

/* Every round: per path, XDP_PASS, then the builds from (round mod builds) on. */
static int ab_measure(struct ab_run *run, int pass_fd, const struct cost_frame *frames, size_t n)
{
	int r, k, i;
	size_t p;

	for (r = 0; r < run->rounds; r++)
		for (p = 0; p < n; p++) {
			__u32 pass_ns;

			if (run->filter && !strstr(frames[p].name, run->filter))
				continue;
			for (i = 0; i < run->n_builds; i++)
				if (ab_set_config(&run->b[i], frames[p].flags))
					return -1;
			pass_ns = ab_time(pass_fd, &frames[p], run->repeat);
			for (k = 0; k < run->n_builds; k++) {
				struct ab_build *b = &run->b[(r + k) % run->n_builds];
				__u32 ns = ab_time(b->prog_fd, &frames[p], run->repeat);

				if (!ns || !pass_ns)
					return -1;
				b->extra[p][r] = (double)ns - pass_ns;
			}
		}
	return 0;
}

static void ab_print(const struct ab_run *run, const struct cost_frame *frames, size_t n)
{
	double st[3], d[AB_ROUNDS_MAX];
	int i, r;
	size_t p;

	for (i = 0; i < run->n_builds; i++)
		printf("# build %c: %s\n", 'A' + i, run->b[i].path);
	printf("%-26s", "path: ns over XDP_PASS");
	for (i = 0; i < run->n_builds; i++)
		printf(" %17c%s", 'A' + i, i ? "   minus A (min..max)" : "");
	printf("\n");
	for (p = 0; p < n; p++) {
		if (run->filter && !strstr(frames[p].name, run->filter))
			continue;
		printf("%-26s", frames[p].name);
		for (i = 0; i < run->n_builds; i++) {
			ab_stats(run->b[i].extra[p], run->rounds, st);
			printf(" %+5.0f (%+4.0f..%+4.0f)", st[0], st[1], st[2]);
			if (!i)
				continue;
			for (r = 0; r < run->rounds; r++)
				d[r] = run->b[i].extra[p][r] - run->b[0].extra[p][r];
			ab_stats(d, run->rounds, st);
			printf(" %+5.1f (%+.0f..%+.0f)", st[0], st[1], st[2]);
		}
		printf("\n");
	}
	printf("# %d rounds of %u runs, %s\n", run->rounds, run->repeat,
	       run->frags ? "frags flag" : "plain");
}

static int ab_args(struct ab_run *run, int argc, char **argv)
{
	int c;

	run->rounds = 21;
	run->repeat = 200000;
	while ((c = getopt(argc, argv, "fr:n:p:s:")) != -1) {
		if (c == 'f')
			run->frags = 1;
		else if (c == 'r')
			run->rounds = atoi(optarg);
		else if (c == 'n')
			run->repeat = strtoul(optarg, NULL, 10);
		else if (c == 'p')
			run->filter = optarg;
		else if (c == 's')
			run->hold_s = atoi(optarg);
		else
			return -1;
	}
	run->n_builds = argc - optind;
	if (run->rounds < 1 || run->rounds > AB_ROUNDS_MAX || !run->repeat ||
	    run->n_builds < 1 || run->n_builds > AB_BUILDS_MAX)
		return -1;
	for (c = 0; c < run->n_builds; c++)
		run->b[c].path = argv[optind + c];
	return 0;
}

int main(int argc, char **argv)
{
	static struct cost_frame frames[COST_FRAMES_MAX];
	static struct xdplb_maglev_target t[XDPLB_MAX_CPUS];
	static struct ab_run run;
	struct decision_pass *pass;
	int ncpus = libbpf_num_possible_cpus(), i, err;
	size_t n;

	if (ab_args(&run, argc, argv)) {
		fprintf(stderr, "usage: decision_ab [-f] [-r ROUNDS 1..%d] [-n REPEAT] [-p PATH] [-s SECONDS] OBJ... (1..%d)\n",
			AB_ROUNDS_MAX, AB_BUILDS_MAX);
		return 2;
	}
	libbpf_set_print(NULL);
	for (i = 0; i < ncpus; i++)
		t[i] = (struct xdplb_maglev_target){ .key = i, .value = i, .weight = 1 };
	if (xdplb_maglev_build(t, ncpus, run.table, AB_TABLE))
		return 1;
	pass = decision_pass__open_and_load();
	if (!pass) {
		fprintf(stderr, "decision_ab: XDP_PASS program: %s (needs root)\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < run.n_builds; i++) {
		err = ab_load(&run, &run.b[i], ncpus);
		if (err) {
			fprintf(stderr, "decision_ab: %s: %s\n", run.b[i].path, strerror(-err));
			return 1;
		}
	}
	n = cost_build_frames(frames);
	if (ab_measure(&run, bpf_program__fd(pass->progs.xdplb_bench_pass), frames, n)) {
		fprintf(stderr, "decision_ab: BPF_PROG_TEST_RUN: %s\n", strerror(errno));
		return 1;
	}
	ab_print(&run, frames, n);
	for (i = 0; i < run.n_builds && run.hold_s > 0; i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (!bpf_obj_get_info_by_fd(run.b[i].prog_fd, &info, &len))
			printf("# build %c: xdplb_rx is prog id %u\n", 'A' + i, info.id);
	}
	if (run.hold_s > 0) {
		fflush(stdout);
		sleep(run.hold_s);
	}
	for (i = 0; i < run.n_builds; i++)
		bpf_object__close(run.b[i].obj);
	decision_pass__destroy(pass);
	return 0;
}
