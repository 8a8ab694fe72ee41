/* SPDX-License-Identifier: GPL-2.0 */
/* xdp_fixture.h: the real xdplb_rx loaded into this kernel, configured with a known seed and
 * table, and run on crafted frames through BPF_PROG_TEST_RUN; the user-side model of hash
 * and table says which CPU each frame must reach. Shared by the C suites and bench/. */
#ifndef XDPLB_TEST_XDP_FIXTURE_H
#define XDPLB_TEST_XDP_FIXTURE_H

#include <stddef.h>
#include <linux/types.h>

#include "harness.h"
#include "pkt.h"
#include "maps/xdplb_counters.h"
#include "maps/xdplb_limits.h"
#include "xdplb.skel.h"

#define FX_SEED		0x5eed1234abcdULL
#define FX_TABLE	4096

struct fixture {
	struct xdplb *skel;
	int ncpus;
	__u32 table[FX_TABLE];
	__u32 mode;		/* the hash_mode word of the active half, flags included */
	int linear;		/* set before fx_setup: load without the frags flag */
};

extern struct fixture fx;

struct fx_counters {
	struct xdplb_rx_stats rx;
	__u64 tgt_packets[XDPLB_MAX_CPUS];
};

enum fx_expect { REDIRECT, PASS_NON_IP, PASS_MALFORMED, PASS_UNSUPPORTED, PASS_NO_TARGET };

/* Loads the program, gives every possible CPU a cpumap entry and a weighted table, hash sym.
 * Returns 0 or -errno (-EPERM without root). */
int fx_setup(void);
void fx_teardown(void);

/* A suite's main: loads the program (or reports the suite skipped, saying why), runs the
 * tests, unloads; returns the exit code. */
int fx_main(const char *suite, const struct harness_test *tests, size_t n, int argc,
	    char **argv);

int fx_set_cpu_entry(__u32 cpu, int present);
/* Writes table half `half` with its config and makes it active. */
int fx_set_config(__u32 half, __u32 mode, const __u32 *table);
/* Marks the active half as one of a single target (XDPLB_HASH_F_ONE_TARGET), as the tool
 * does when every slot holds the same one; target need not match the table. */
int fx_set_one_target(__u32 target);

/* Runs one frame; returns the XDP action, or -errno if the kernel refused the run. */
int fx_run(const __u8 *buf, size_t len);
void fx_read_counters(struct fx_counters *c);

/* Runs a frame; returns the CPU it was redirected to, or -1 (passed, or the run failed). */
int fx_target(const __u8 *buf, size_t len);

/* The CPU the model puts a flow (or the flow of a spec) on, in the active mode. */
__u32 fx_flow_cpu(const struct xdplb_flow *f);
__u32 fx_expected_cpu(const struct pkt_spec *spec);

/* Runs a frame and checks action and counter deltas; returns 0, or reports the failure
 * through the harness, at the caller's file:line, and returns -1. */
int fx_check_frame_at(const char *file, int line, const char *name, const __u8 *buf,
		      size_t len, enum fx_expect expect, __u32 cpu);
#define fx_check_frame(...) fx_check_frame_at(__FILE__, __LINE__, __VA_ARGS__)

#endif
