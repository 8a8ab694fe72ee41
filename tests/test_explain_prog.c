// SPDX-License-Identifier: GPL-2.0
/* test_explain_prog.c: the --explain hook is not in the attached program. xdplb.bpf.o (what
 * xdplb attaches) must carry none of the decision variables, and its xdplb_rx, once
 * verified, must reference no map beyond the instance's own; xdplb_explain.bpf.o (what
 * --explain and --which run, the same source with the hook) must carry them and record
 * the decision its program acts on. That both decide alike on every frame kind is
 * test_which_prog's test_engine_decides_as_attached. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "pkt.h"
#include "maps/xdplb_counters.h"
#include "maps/xdplb_explain.h"
#include "xdplb_explain.skel.h"

static char objdir[PATH_MAX];

static struct bpf_object *load(const char *file)
{
	char path[PATH_MAX * 2];
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *map;

	snprintf(path, sizeof(path), "%s/../%s", objdir, file);
	obj = bpf_object__open_file(path, NULL);
	if (!obj)
		return NULL;
	bpf_object__for_each_map(map, obj)
		if (!strcmp(bpf_map__name(map), "xdplb_cpus"))
			bpf_map__set_max_entries(map, libbpf_num_possible_cpus());
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, !strcmp(bpf_program__name(prog), "xdplb_rx"));
	if (bpf_object__load(obj)) {
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

/* The map of the decision variables (.bss), or NULL. */
static struct bpf_map *bss_map(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__is_internal(map) && strstr(bpf_map__name(map), ".bss"))
			return map;
	return NULL;
}

/* How many maps the verified xdplb_rx references. */
static int prog_maps(struct bpf_object *obj)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "xdplb_rx");
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (!prog || bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
		return -1;
	return (int)info.nr_map_ids;
}

static void test_attached_build_has_no_hook(void)
{
	struct bpf_object *live = load("xdplb.bpf.o"), *explain = load("xdplb_explain.bpf.o");

	ASSERT_TRUE(live && explain, "cannot load the objects from %s/..", objdir);
	ASSERT_EQ(bss_map(live), NULL);
	ASSERT_NE(bss_map(explain), NULL);
	/* The explain build reads and writes exactly one map more: its .bss. */
	ASSERT_EQ(prog_maps(explain), prog_maps(live) + 1);
	bpf_object__close(live);
	bpf_object__close(explain);
}

static void test_explain_build_records_the_decision(void)
{
	struct xdplb_explain *skel = xdplb_explain__open();
	struct pkt_spec s;
	__u8 buf[256];
	size_t len, needed;
	__u64 rng = 18;

	ASSERT_TRUE(skel != NULL, "cannot open the explain build");
	bpf_map__set_max_entries(skel->maps.xdplb_cpus, libbpf_num_possible_cpus());
	bpf_program__set_autoload(skel->progs.xdplb_cpu_pass, false);
	bpf_program__set_autoload(skel->progs.xdplb_cpu_drop, false);
	bpf_program__set_autoload(skel->progs.xdplb_cpu_redirect, false);
	ASSERT_EQ(xdplb_explain__load(skel), 0);
	skel->bss->xdplb_dec_reason = skel->bss->xdplb_dec_target = 0xffffffffU;
	pkt_random_spec(&s, &rng, 0);
	len = pkt_build(&s, buf, sizeof(buf), &needed);
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf, .data_size_in = len, .repeat = 1);

		ASSERT_EQ(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdplb_rx), &opts), 0);
		ASSERT_EQ(opts.retval, XDP_PASS);	/* nothing configured: the table is empty */
	}
	/* A flow was hashed to a slot whose line holds 0: CPU 0, missing from the cpumap. */
	ASSERT_EQ(skel->bss->xdplb_dec_hashed, 1);
	ASSERT_EQ(skel->bss->xdplb_dec_target, 0);
	ASSERT_EQ(skel->bss->xdplb_dec_reason, XDPLB_PASS_no_target);
	xdplb_explain__destroy(skel);
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_attached_build_has_no_hook),
		HARNESS_TEST(test_explain_build_records_the_decision),
	};
	char exe[PATH_MAX];
	ssize_t n;

	if (geteuid()) {
		printf("SKIP test_explain_prog: loading BPF needs root\n");
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 1;
	exe[n] = '\0';
	snprintf(objdir, sizeof(objdir), "%s", dirname(exe));
	libbpf_set_print(NULL);
	return harness_run(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
