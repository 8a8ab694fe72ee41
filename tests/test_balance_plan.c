// SPDX-License-Identifier: GPL-2.0
/* test_balance_plan.c: one balancing round's decision (user/core/balance.c), pure: which
 * slots move where, for evenness and under pressure, and what holds it back (hysteresis,
 * held or cooling slots, the per-round cap, a target pressure shed load off lately). */
#include <stdbool.h>
#include <string.h>

#include "harness.h"
#include "user/core/balance.h"

#define SLOTS 16

struct plan {
	struct xdplb_bal_target t[2];
	__u32 table[SLOTS];
	__u64 delta[SLOTS];
	bool blocked[SLOTS];
	struct xdplb_bal_move m[SLOTS];
};

/* Two CPUs of weight 1 at pressure p0, p1; the first n0 slots on CPU 0, the rest on
 * CPU 1, each with `frames` this round. */
static void plan_init(struct plan *p, double p0, double p1, __u32 n0, __u64 frames)
{
	__u32 i;

	memset(p, 0, sizeof(*p));
	p->t[0] = (struct xdplb_bal_target){ .key = 0, .weight = 1, .pressure = p0 };
	p->t[1] = (struct xdplb_bal_target){ .key = 1, .weight = 1, .pressure = p1 };
	for (i = 0; i < SLOTS; i++) {
		p->table[i] = i < n0 ? 0 : 1;
		p->delta[i] = frames;
	}
}

static __u32 plan_run(struct plan *p, __u32 max)
{
	return xdplb_balance_plan(p->t, 2, p->table, p->delta, p->blocked, SLOTS, max, p->m);
}

/* 12 of 16 equal slots on CPU 0: 4 move, which gives 8 and 8, and no more. */
static void test_evens_shares(void)
{
	struct plan p;
	__u32 n, i;

	plan_init(&p, 0.1, 0.1, 12, 100);
	n = plan_run(&p, 16);
	ASSERT_EQ(n, 4);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(p.m[i].to, 1);
		ASSERT_EQ(p.table[p.m[i].slot], 0);
		ASSERT_TRUE(!p.m[i].pressure, "an evenness move flagged as pressure");
	}
}

/* Shares 1.3 points off their weights' move nothing (hysteresis: 5 points); 6 points off
 * (9 slots of 16) move the one slot that evens them. */
static void test_hysteresis(void)
{
	struct plan p;
	__u32 i;

	plan_init(&p, 0.1, 0.1, 8, 100);
	for (i = 8; i < SLOTS; i++)
		p.delta[i] = 95;
	ASSERT_EQ(plan_run(&p, 16), 0);
	plan_init(&p, 0.1, 0.1, 9, 100);
	ASSERT_EQ(plan_run(&p, 16), 1);
}

static void test_cap_and_blocked(void)
{
	struct plan p;
	__u32 i, n;

	plan_init(&p, 0.1, 0.1, 16, 100);
	ASSERT_EQ(plan_run(&p, 2), 2);
	for (i = 0; i < SLOTS; i++)
		p.blocked[i] = i != 5;
	n = plan_run(&p, 16);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(p.m[0].slot, 5);
}

/* CPU 0 pressed, CPU 1 not: load leaves CPU 0 even when shares are even, and a slot
 * larger than what CPU 0 has to shed goes all the same. */
static void test_pressure_moves_off(void)
{
	struct plan p;
	__u32 n;

	plan_init(&p, 1.0, 0.2, 8, 100);
	n = plan_run(&p, 16);
	ASSERT_GE(n, 1);
	ASSERT_EQ(p.m[0].to, 1);
	ASSERT_TRUE(p.m[0].pressure, "a move off a pressed CPU not flagged");
	plan_init(&p, 1.0, 0.2, 1, 0);
	p.delta[0] = 5000;
	p.delta[1] = 10;
	ASSERT_EQ(plan_run(&p, 16), 1);
	ASSERT_EQ(p.m[0].slot, 0);
}

/* Both pressed alike: no pressure move; the shares decide. */
static void test_pressure_margin(void)
{
	struct plan p;

	plan_init(&p, 1.0, 0.8, 8, 100);
	ASSERT_EQ(plan_run(&p, 16), 0);
}

/* Evenness gives nothing back to a CPU pressure shed load off lately, nor to an idle one
 * pressed well beyond the source; a pressed CPU with load sheds it. */
static void test_no_evenness_onto_pressed(void)
{
	struct plan p;

	plan_init(&p, 0.1, 0.1, 14, 100);
	p.t[1].shed = true;
	ASSERT_EQ(plan_run(&p, 16), 0);
	plan_init(&p, 0.3, 0.95, 16, 100);
	ASSERT_EQ(plan_run(&p, 16), 0);
	plan_init(&p, 0.3, 0.95, 14, 100);
	ASSERT_GE(plan_run(&p, 16), 1);
	ASSERT_EQ(p.m[0].to, 0);
	ASSERT_TRUE(p.m[0].pressure, "a move off a pressed CPU not flagged");
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_evens_shares),
		HARNESS_TEST(test_hysteresis),
		HARNESS_TEST(test_cap_and_blocked),
		HARNESS_TEST(test_pressure_moves_off),
		HARNESS_TEST(test_pressure_margin),
		HARNESS_TEST(test_no_evenness_onto_pressed),
	};

	return harness_run(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
