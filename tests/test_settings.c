// SPDX-License-Identifier: GPL-2.0
/* test_settings.c: the settings merge of an attach (user/cmd/settings.c), without root:
 * what a fresh attach takes by default, what a live reconfiguration keeps from the
 * running instance and what the command line overrides, and what it refuses. */
#include <stdio.h>
#include <string.h>

#include <xdp/libxdp.h>

#include "harness.h"
#include "user/cmd/settings.h"
#include "maps/xdplb_config.h"
#include "maps/xdplb_limits.h"
#include "sys/log.h"

#define SEED	0x1234abcdULL

/* Options as the parser leaves them, one "name value" (value NULL for a flag) at a time. */
static int opts_from(struct xdplb_opts *o, const char *const *args, size_t n)
{
	size_t i;
	int err = 0;

	xdplb_opts_init(o);
	for (i = 0; !err && i + 1 < n; i += 2)
		err = xdplb_parse_option(o, args[i], args[i + 1]);
	return err;
}

static void cpus_2_3(struct xdplb_resolved *r)
{
	memset(r, 0, sizeof(*r));
	r->cpus[0] = (struct xdplb_cpu_weight){ 2, 1 };
	r->cpus[1] = (struct xdplb_cpu_weight){ 3, 2 };
	r->n_cpus = 2;
}

/* A running CPU instance: every setting off its default. */
static void running_cpu(struct xdplb_settings *old)
{
	memset(old, 0, sizeof(*old));
	old->target_kind = XDPLB_TARGET_CPU;
	old->n_targets = 1;
	old->targets[0] = (struct xdplb_target){ .kind = XDPLB_TARGET_CPU, .id = 1, .weight = 1,
						 .qsize = 512 };
	old->seed = 0x77;
	old->hash_mode = XDPLB_HASH_L3 | XDPLB_HASH_F_INNER;
	old->table_size = 256;
	old->remote = XDPLB_REMOTE_REDIRECT;
	old->remote_ifindex = 9;
	snprintf(old->remote_ifname, sizeof(old->remote_ifname), "out0");
	old->attach_mode = XDP_MODE_SKB;
}

static void test_fresh_defaults(void)
{
	static struct xdplb_settings s;
	struct xdplb_resolved r;
	struct xdplb_opts o;

	ASSERT_EQ(opts_from(&o, NULL, 0), 0);
	cpus_2_3(&r);
	ASSERT_EQ(xdplb_settings_build(&o, &r, NULL, SEED, 6, &s), 0);
	ASSERT_EQ(s.target_kind, XDPLB_TARGET_CPU);
	ASSERT_EQ(s.n_targets, 2);
	ASSERT_EQ(s.targets[1].id, 3);
	ASSERT_EQ(s.targets[1].weight, 2);
	ASSERT_EQ(s.targets[0].qsize, XDPLB_QSIZE_DEFAULT);
	ASSERT_EQ(s.seed, SEED);
	ASSERT_EQ(s.hash_mode, XDPLB_HASH_SYM);
	ASSERT_EQ(s.remote, XDPLB_REMOTE_NONE);
	ASSERT_EQ(s.attach_mode, XDP_MODE_NATIVE);
	/* Sized for the 6 possible CPUs, not the 2 given: 6 * 1024 -> 8192. */
	ASSERT_EQ(s.table_size, 8192);
	ASSERT_EQ(xdplb_settings_build(&o, &r, NULL, SEED, 0, &s), 0);
	ASSERT_EQ(s.table_size, XDPLB_TABLE_DEFAULT_MIN);
}

static void test_fresh_options(void)
{
	static const char *const args[] = { "qsize", "64", "hash", "l4", "inner", NULL,
					    "seed", "0xbeef", "mode", "skb", "remote", "drop",
					    "table-size", "128" };
	static struct xdplb_settings s;
	struct xdplb_resolved r;
	struct xdplb_opts o;

	ASSERT_EQ(opts_from(&o, args, sizeof(args) / sizeof(args[0])), 0);
	cpus_2_3(&r);
	ASSERT_EQ(xdplb_settings_build(&o, &r, NULL, SEED, 6, &s), 0);
	ASSERT_EQ(s.targets[0].qsize, 64);
	ASSERT_EQ(s.hash_mode, XDPLB_HASH_L4 | XDPLB_HASH_F_INNER);
	ASSERT_EQ(s.seed, 0xbeef);
	ASSERT_EQ(s.attach_mode, XDP_MODE_SKB);
	ASSERT_EQ(s.remote, XDPLB_REMOTE_DROP);
	ASSERT_EQ(s.table_size, 128);
}

/* A reconfiguration that names only --cpus keeps everything else the instance runs with. */
static void test_live_keeps(void)
{
	static struct xdplb_settings old, s;
	struct xdplb_resolved r;
	struct xdplb_opts o;

	ASSERT_EQ(opts_from(&o, NULL, 0), 0);
	cpus_2_3(&r);
	running_cpu(&old);
	ASSERT_EQ(xdplb_settings_build(&o, &r, &old, SEED, 6, &s), 0);
	ASSERT_EQ(s.n_targets, 2);
	ASSERT_EQ(s.targets[0].qsize, 512);
	ASSERT_EQ(s.targets[1].qsize, 512);
	ASSERT_EQ(s.seed, 0x77);
	ASSERT_EQ(s.hash_mode, XDPLB_HASH_L3 | XDPLB_HASH_F_INNER);
	ASSERT_EQ(s.table_size, 256);
	ASSERT_EQ(s.remote, XDPLB_REMOTE_REDIRECT);
	ASSERT_EQ(s.remote_ifindex, 9);
	ASSERT_EQ(strcmp(s.remote_ifname, "out0"), 0);
	ASSERT_EQ(s.attach_mode, XDP_MODE_SKB);
}

static void test_live_overrides(void)
{
	static const char *const args[] = { "qsize", "64", "hash", "sym", "no-inner", NULL,
					    "seed", "5", "remote", "pass", "table-size", "4096",
					    "mode", "auto" };
	static struct xdplb_settings old, s;
	struct xdplb_resolved r;
	struct xdplb_opts o;

	ASSERT_EQ(opts_from(&o, args, sizeof(args) / sizeof(args[0])), 0);
	cpus_2_3(&r);
	running_cpu(&old);
	ASSERT_EQ(xdplb_settings_build(&o, &r, &old, SEED, 6, &s), 0);
	ASSERT_EQ(s.targets[0].qsize, 64);
	ASSERT_EQ(s.hash_mode, XDPLB_HASH_SYM);
	ASSERT_EQ(s.seed, 5);
	ASSERT_EQ(s.remote, XDPLB_REMOTE_PASS);
	ASSERT_EQ(s.remote_ifindex, 0);
	ASSERT_EQ(s.table_size, 4096);
	/* --mode auto asks for no particular mode: the running one stays. */
	ASSERT_EQ(s.attach_mode, XDP_MODE_SKB);
}

/* What needs a --detach first: another kind of target, another attach mode. */
static void test_live_refuses(void)
{
	static const char *const native[] = { "iface", "eth9", "mode", "native" };
	static const char *const ports[] = { "iface", "eth9", "redirect", "in0:out1" };
	static struct xdplb_settings old, s;
	struct xdplb_resolved r;
	struct xdplb_opts o;

	cpus_2_3(&r);
	running_cpu(&old);
	ASSERT_EQ(opts_from(&o, native, 4), 0);
	ASSERT_EQ(xdplb_settings_build(&o, &r, &old, SEED, 6, &s), -XDPLB_EUSAGE);
	ASSERT_EQ(opts_from(&o, ports, 4), 0);
	ASSERT_EQ(xdplb_settings_build(&o, &r, &old, SEED, 6, &s), -XDPLB_EUSAGE);
}

/* Ports keep their devmap slot across a change; a new port takes one no port holds. */
static void test_ports_slots(void)
{
	static const char *const args[] = { "redirect", "in0:b,c:3", "pass-non-ip", NULL };
	static struct xdplb_settings old, s;
	struct xdplb_resolved r = { .port_ifindex = { 12, 13 } };
	struct xdplb_opts o;

	ASSERT_EQ(opts_from(&o, args, 4), 0);
	ASSERT_EQ(xdplb_settings_build(&o, &r, NULL, SEED, 6, &s), 0);
	ASSERT_EQ(s.target_kind, XDPLB_TARGET_PORT);
	ASSERT_EQ(s.n_targets, 2);
	ASSERT_EQ(s.targets[1].id, 13);
	ASSERT_EQ(s.targets[1].weight, 3);
	ASSERT_TRUE(s.pass_non_ip, "--pass-non-ip is set");
	ASSERT_NE(s.targets[0].slot, s.targets[1].slot);
	/* Ports count themselves, not the CPUs: 2 ports -> the smallest default table. */
	ASSERT_EQ(s.table_size, XDPLB_TABLE_DEFAULT_MIN);

	old = s;
	old.targets[0].slot = 5;	/* b runs in slot 5; c leaves, d comes */
	old.targets[1].slot = 0;
	ASSERT_EQ(opts_from(&o, (const char *const[]){ "redirect", "in0:d,b" }, 2), 0);
	r.port_ifindex[0] = 14;
	r.port_ifindex[1] = 12;
	ASSERT_EQ(xdplb_settings_build(&o, &r, &old, SEED, 6, &s), 0);
	ASSERT_EQ(s.targets[1].slot, 5);
	ASSERT_EQ(s.targets[0].slot, 1);	/* 0 is still c's until it is retired */
	ASSERT_TRUE(!s.pass_non_ip, "a change without --pass-non-ip turns it off");
	ASSERT_EQ(s.seed, SEED);	/* the old seed: "old = s" above */
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_fresh_defaults),
		HARNESS_TEST(test_fresh_options),
		HARNESS_TEST(test_live_keeps),
		HARNESS_TEST(test_live_overrides),
		HARNESS_TEST(test_live_refuses),
		HARNESS_TEST(test_ports_slots),
	};

	return harness_run(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
