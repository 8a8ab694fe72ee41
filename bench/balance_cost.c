// SPDX-License-Identifier: GPL-2.0
/* balance_cost.c: what --balance's per-slot counting costs xdplb_rx per frame. The same
 * program is loaded twice, with the load-time switch xdplb_balance off (what every
 * instance without --balance runs) and on, both on the same config, table and cpumap, and
 * timed by the kernel (BPF_PROG_TEST_RUN with repeat) on the same IPv4 UDP frame, off and
 * on alternating round after round so that a noisy neighbour hits both alike. With the
 * switch on, a frame bumps its slot's count and one in XDPLB_BAL_SAMPLE_EVERY is marked
 * for the queue-delay sample; no slot is held (a hold lasts a moment per move).
 * Prints the medians and the median of the paired differences, in ns per frame.
 *
 * Usage: balance_cost [ROUNDS [REPEAT]]   (as root; defaults 15 and 2000000) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/in.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/lifecycle.h"
#include "tests/xdp_fixture.h"

#define BAL_ROUNDS_MAX	101

/* The fixture's program, loaded again with the switch on and the fixture's maps. */
static struct xdplb *bal_load_on(void)
{
	struct xdplb *on = xdplb__open();
	int err;

	if (!on)
		return NULL;
	err = bpf_map__set_max_entries(on->maps.xdplb_cpus, fx.ncpus);
	if (!err)
		err = bpf_map__reuse_fd(on->maps.xdplb_config, bpf_map__fd(fx.skel->maps.xdplb_config));
	if (!err)
		err = bpf_map__reuse_fd(on->maps.xdplb_table, bpf_map__fd(fx.skel->maps.xdplb_table));
	if (!err)
		err = bpf_map__reuse_fd(on->maps.xdplb_cpus, bpf_map__fd(fx.skel->maps.xdplb_cpus));
	if (!err)
		err = xdplb_set_frags(on, true);
	on->rodata->xdplb_balance = 1;
	if (!err)
		err = xdplb__load(on);
	if (err) {
		xdplb__destroy(on);
		errno = -err;
		return NULL;
	}
	return on;
}

static __u32 bal_time(int fd, const __u8 *frame, size_t len, __u32 repeat)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
		    .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &opts)) {
		fprintf(stderr, "balance_cost: BPF_PROG_TEST_RUN: %s\n", strerror(errno));
		return 0;
	}
	return opts.duration;
}

static int bal_cmp(const void *a, const void *b)
{
	return (*(const double *)a > *(const double *)b) - (*(const double *)a < *(const double *)b);
}

static double bal_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), bal_cmp);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	static double off[BAL_ROUNDS_MAX], on[BAL_ROUNDS_MAX], diff[BAL_ROUNDS_MAX];
	struct pkt_spec spec = { .proto = IPPROTO_UDP, .sport = htons(40000), .dport = htons(53),
				 .payload = 18 };
	int rounds = argc > 1 ? atoi(argv[1]) : 15, r, fd_off, fd_on;
	__u32 repeat = argc > 2 ? (__u32)strtoul(argv[2], NULL, 10) : 2000000;
	struct xdplb *skel_on;
	__u8 frame[256];
	size_t len, needed;

	if (rounds < 1 || rounds > BAL_ROUNDS_MAX || !repeat) {
		fprintf(stderr, "usage: balance_cost [ROUNDS 1..%d [REPEAT]]\n", BAL_ROUNDS_MAX);
		return 2;
	}
	libbpf_set_print(NULL);
	if (fx_setup() || !(skel_on = bal_load_on())) {
		fprintf(stderr, "balance_cost: cannot load the programs (needs root)\n");
		return 1;
	}
	spec.saddr4 = inet_addr("198.18.0.1");
	spec.daddr4 = inet_addr("198.18.1.1");
	len = pkt_build(&spec, frame, sizeof(frame), &needed);
	fd_off = bpf_program__fd(fx.skel->progs.xdplb_rx);
	fd_on = bpf_program__fd(skel_on->progs.xdplb_rx);
	for (r = 0; r < rounds; r++) {
		__u32 a = bal_time(fd_off, frame, len, repeat), b = bal_time(fd_on, frame, len, repeat);

		if (!a || !b)
			return 1;
		off[r] = a;
		on[r] = b;
		diff[r] = (double)b - a;
	}
	printf("balance_cost: xdplb_rx, ipv4 udp: off %.0f ns, on %.0f ns, counting costs %+.0f ns "
	       "per frame (median of %d paired rounds of %u runs; the kernel reports whole ns)\n",
	       bal_median(off, rounds), bal_median(on, rounds), bal_median(diff, rounds), rounds,
	       repeat);
	xdplb__destroy(skel_on);
	fx_teardown();
	return 0;
}
