// SPDX-License-Identifier: GPL-2.0
/* xdp_fixture.c: loads and configures xdplb_rx for BPF_PROG_TEST_RUN (see xdp_fixture.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "xdp_fixture.h"
#include "user/core/lifecycle.h"
#include "user/core/maglev.h"
#include "user/core/stats.h"
#include "user/core/table.h"

struct fixture fx;

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

void fx_read_counters(struct fx_counters *c)
{
	struct xdplb_target_stats t;
	int cpu;
	struct xdplb_rx_stats *rx_cpu = calloc(fx.ncpus, sizeof(*rx_cpu));

	/* The receiving CPUs' totals as the tool makes them: passes, plus the target records. */
	memset(&c->rx, 0, sizeof(c->rx));
	if (rx_cpu)
		xdplb_rx_read(bpf_map__fd(fx.skel->maps.xdplb_rx_stats),
			      bpf_map__fd(fx.skel->maps.xdplb_tgt_stats), rx_cpu, fx.ncpus, &c->rx);
	free(rx_cpu);
	for (cpu = 0; cpu < fx.ncpus; cpu++) {
		percpu_sum(bpf_map__fd(fx.skel->maps.xdplb_tgt_stats), cpu, sizeof(t), (__u64 *)&t);
		c->tgt_packets[cpu] = t.packets;
	}
}

int fx_set_cpu_entry(__u32 cpu, int present)
{
	struct bpf_cpumap_val v = { .qsize = 64 };
	int fd = bpf_map__fd(fx.skel->maps.xdplb_cpus);

	if (!present)
		return bpf_map_delete_elem(fd, &cpu) && errno != ENOENT ? -errno : 0;
	return bpf_map_update_elem(fd, &cpu, &v, 0) ? -errno : 0;
}

int fx_set_config(__u32 half, __u32 mode, const __u32 *table)
{
	int tfd = bpf_map__fd(fx.skel->maps.xdplb_table), err;
	struct xdplb_config cfg = {};
	__u32 key = 0;

	err = xdplb_table_write_half(tfd, half, table, FX_TABLE);
	if (err)
		return err;
	bpf_map_lookup_elem(bpf_map__fd(fx.skel->maps.xdplb_config), &key, &cfg);
	cfg.active = half;
	cfg.half[half].seed = FX_SEED;
	cfg.half[half].hash_mode = mode;
	cfg.half[half].table_mask = FX_TABLE - 1;
	cfg.half[half].one_target = XDPLB_NO_TARGET;
	fx.mode = mode;
	return bpf_map_update_elem(bpf_map__fd(fx.skel->maps.xdplb_config), &key, &cfg, 0) ? -errno : 0;
}

int fx_set_one_target(__u32 target)
{
	int fd = bpf_map__fd(fx.skel->maps.xdplb_config);
	struct xdplb_config cfg;
	__u32 key = 0;

	if (bpf_map_lookup_elem(fd, &key, &cfg))
		return -errno;
	cfg.half[cfg.active & 1].hash_mode |= XDPLB_HASH_F_ONE_TARGET;
	cfg.half[cfg.active & 1].one_target = target;
	fx.mode = cfg.half[cfg.active & 1].hash_mode;
	return bpf_map_update_elem(fd, &key, &cfg, 0) ? -errno : 0;
}

int fx_setup(void)
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
	/* Loaded as xdplb loads it for native mode at a jumbo MTU: multi-buffer, unless the
	 * caller asks for the plain program of a smaller MTU. */
	xdplb_set_frags(fx.skel, !fx.linear);
	err = xdplb__load(fx.skel);
	if (err)
		return err;
	for (cpu = 0; cpu < fx.ncpus; cpu++) {
		t[cpu] = (struct xdplb_maglev_target){ .key = cpu, .value = cpu, .weight = 1 };
		err = fx_set_cpu_entry(cpu, 1);
		if (err)
			return err;
	}
	err = xdplb_maglev_build(t, fx.ncpus, fx.table, FX_TABLE);
	return err ? err : fx_set_config(0, XDPLB_HASH_SYM, fx.table);
}

void fx_teardown(void)
{
	xdplb__destroy(fx.skel);
	fx.skel = NULL;
}

int fx_main(const char *suite, const struct harness_test *tests, size_t n, int argc,
	    char **argv)
{
	int err;

	libbpf_set_print(NULL);
	err = fx_setup();
	if (err) {
		printf("SKIP %s: cannot load the BPF program: %s%s\n", suite, strerror(-err),
		       err == -EPERM ? " (needs root)" : "");
		return 0;
	}
	err = harness_run(tests, n, argc, argv);
	fx_teardown();
	return err;
}

int fx_run(const __u8 *buf, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf, .data_size_in = len, .repeat = 1);
	int err = bpf_prog_test_run_opts(bpf_program__fd(fx.skel->progs.xdplb_rx), &opts);

	return err ? -errno : (int)opts.retval;
}

int fx_target(const __u8 *buf, size_t len)
{
	struct fx_counters before, after;
	int cpu;

	fx_read_counters(&before);
	if (fx_run(buf, len) != XDP_REDIRECT)
		return -1;
	fx_read_counters(&after);
	for (cpu = 0; cpu < fx.ncpus; cpu++)
		if (after.tgt_packets[cpu] != before.tgt_packets[cpu])
			return cpu;
	return -1;
}

__u32 fx_flow_cpu(const struct xdplb_flow *f)
{
	return fx.table[xdplb_flow_hash(f, FX_SEED, fx.mode) & (FX_TABLE - 1)];
}

__u32 fx_expected_cpu(const struct pkt_spec *spec)
{
	struct xdplb_flow f;

	pkt_flow(spec, &f);
	return fx_flow_cpu(&f);
}

static const char *const expect_names[] = {
	"redirect", "pass non_ip", "pass malformed", "pass unsupported", "pass no_target",
};

int fx_check_frame_at(const char *file, int line, const char *name, const __u8 *buf,
		      size_t len, enum fx_expect expect, __u32 cpu)
{
	static const int reason[] = {
		[PASS_NON_IP] = XDPLB_PASS_non_ip, [PASS_MALFORMED] = XDPLB_PASS_malformed,
		[PASS_UNSUPPORTED] = XDPLB_PASS_unsupported, [PASS_NO_TARGET] = XDPLB_PASS_no_target,
	};
	struct fx_counters before, after;
	int action, i;

	fx_read_counters(&before);
	action = fx_run(buf, len);
	fx_read_counters(&after);
	if (action < 0) {
		harness_fail(file, line, "%s (len %zu): test run failed: %s", name, len,
			     strerror(-action));
		return -1;
	}
	if (after.rx.rx_packets != before.rx.rx_packets + 1 ||
	    after.rx.rx_bytes != before.rx.rx_bytes + len) {
		harness_fail(file, line, "%s (len %zu): rx counters did not count it once",
			     name, len);
		return -1;
	}
	if (expect == REDIRECT) {
		if (action != XDP_REDIRECT || after.rx.redirected != before.rx.redirected + 1 ||
		    after.tgt_packets[cpu] != before.tgt_packets[cpu] + 1) {
			harness_fail(file, line,
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
			harness_fail(file, line, "%s (len %zu): expected %s, got action %d, pass[%d] +%llu",
				     name, len, expect_names[expect], action, i,
				     (unsigned long long)(after.rx.pass[i] - before.rx.pass[i]));
			return -1;
		}
	}
	return 0;
}
