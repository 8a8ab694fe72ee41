// SPDX-License-Identifier: GPL-2.0
/* test_maglev.c: unit tests of the weighted table builder (user/core/maglev.c): shares,
 * disruption on add/remove/reweight, determinism and order independence, a golden hash that
 * pins the algorithm across nodes, bad inputs, and build time.
 *
 * Lines starting "# " are measurements for the reader, not verdicts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "user/core/maglev.h"

#define TABLE_SMALL	4096
#define TABLE_LARGE	65536
#define MAX_N		1024

/* Test targets use value == index into the array they were built from, so a slot count per
 * value is a slot count per target. */
static void make_equal(struct xdplb_maglev_target *t, __u32 n, __u32 weight)
{
	__u32 i;

	for (i = 0; i < n; i++) {
		t[i].key = i;		/* CPU numbers, as the tool passes them */
		t[i].value = i;
		t[i].weight = weight;
	}
}

/* Ports are keyed by a hash of their name; FNV-1a is enough to get spread-out 64-bit keys. */
static __u64 fnv1a(const void *p, size_t len, __u64 h)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_OFFSET	0xcbf29ce484222325ULL

/* Hashes the table as little-endian words, so the golden value is the same on any host. */
static __u64 table_hash(const __u32 *table, __u32 size)
{
	__u64 h = FNV_OFFSET;
	__u32 i;

	for (i = 0; i < size; i++) {
		unsigned char b[4] = { table[i], table[i] >> 8, table[i] >> 16, table[i] >> 24 };

		h = fnv1a(b, sizeof(b), h);
	}
	return h;
}

static __u32 count_moved(const __u32 *a, const __u32 *b, __u32 size)
{
	__u32 i, moved = 0;

	for (i = 0; i < size; i++)
		moved += a[i] != b[i];
	return moved;
}

/* A weight list in the tool's CPU-list syntax, "0:1,1:3" or "0-1:1,2-5:2": target i gets
 * the weight of the range holding i. */
static __u32 parse_mix(const char *mix, struct xdplb_maglev_target *t)
{
	__u32 n = 0;

	while (*mix) {
		char *end;
		unsigned long lo = strtoul(mix, &end, 10), hi = lo, w;

		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		w = strtoul(end + 1, &end, 10);	/* skips the ':' */
		for (; lo <= hi; lo++, n++) {
			t[n].key = lo;
			t[n].value = n;
			t[n].weight = w;
		}
		mix = *end == ',' ? end + 1 : end;
	}
	return n;
}

/* The share rule the builder promises, in exact integers (units of 1 / total weight slots):
 * a target whose ideal count w * size / W is at least 100 slots holds within 1% of it; a
 * smaller one is less than one slot off it. Returns 0 and widens *worst_rel (relative, for
 * the large) and *worst_slots (for the small), or -1 naming the offender in *bad. */
struct share_dev {
	double rel;
	double slots;
};

static int check_shares(const struct xdplb_maglev_target *t, __u32 n, const __u32 *table,
			__u32 size, struct share_dev *worst, __u32 *bad)
{
	__u32 count[MAX_N] = { 0 };
	__u64 total = 0;
	__u32 i;

	for (i = 0; i < n; i++)
		total += t[i].weight;
	for (i = 0; i < size; i++) {
		if (table[i] >= n) {
			*bad = table[i];
			return -1;
		}
		count[table[i]]++;
	}
	for (i = 0; i < n; i++) {
		__u64 ideal = (__u64)t[i].weight * size;	/* times total */
		__u64 have = (__u64)count[i] * total;
		__u64 off = have > ideal ? have - ideal : ideal - have;

		*bad = i;
		if (ideal >= 100 * total) {
			if (100 * off > ideal)
				return -1;
			if ((double)off / ideal > worst->rel)
				worst->rel = (double)off / ideal;
		} else {
			if (off >= total)
				return -1;
			if ((double)off / total > worst->slots)
				worst->slots = (double)off / total;
		}
	}
	return 0;
}

static void test_shares(void)
{
	static const char *const mixes[] = {
		"0:1,1:3",
		"0-1:1,2-5:2",
		"0-7:1",
		"0:100,1-63:1",
		"0-15:3,16-31:7,32-47:50,48-63:100",
		"0-1023:1",
		"0-511:1,512-1023:100",
	};
	static const __u32 sizes[] = { TABLE_SMALL, TABLE_LARGE };
	static struct xdplb_maglev_target t[MAX_N];
	static __u32 table[TABLE_LARGE];
	struct share_dev worst = { 0, 0 };
	size_t m, s;
	__u32 n, i, bad = 0;

	for (m = 0; m < sizeof(mixes) / sizeof(mixes[0]); m++) {
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			n = parse_mix(mixes[m], t);
			ASSERT_EQ(xdplb_maglev_build(t, n, table, sizes[s]), 0);
			ASSERT_TRUE(!check_shares(t, n, table, sizes[s], &worst, &bad),
				    "mix %s, %u slots: target %u off its share", mixes[m],
				    sizes[s], bad);
		}
	}
	/* Port-style keys: 64-bit hashes of interface names. */
	for (n = 0; n < 64; n++) {
		char name[16];

		snprintf(name, sizeof(name), "eth%u", n);
		t[n].key = fnv1a(name, strlen(name), FNV_OFFSET);
		t[n].value = n;
		t[n].weight = 1 + n % 5;
	}
	ASSERT_EQ(xdplb_maglev_build(t, 64, table, TABLE_LARGE), 0);
	ASSERT_TRUE(!check_shares(t, 64, table, TABLE_LARGE, &worst, &bad), "port keys: target %u",
		    bad);
	printf("# worst share deviation: %.3f%% of the ideal (ideal >= 100 slots), %.3f slots (below)\n",
	       worst.rel * 100, worst.slots);

	/* One target, and more targets than slots (then each holds at most one). */
	make_equal(t, 1, 7);
	ASSERT_EQ(xdplb_maglev_build(t, 1, table, 64), 0);
	for (i = 0; i < 64; i++)
		ASSERT_EQ(table[i], 0);
	make_equal(t, MAX_N, 1);
	ASSERT_EQ(xdplb_maglev_build(t, MAX_N, table, 64), 0);
	ASSERT_TRUE(!check_shares(t, MAX_N, table, 64, &worst, &bad), "1024 on 64: target %u",
		    bad);
}

struct change {
	const char *what;
	__u32 n;
	double moved;	/* fraction of slots whose value changed */
	double ideal;	/* fraction of weight that changed hands */
};

static void report_change(const struct change *c, __u32 size, int quiet, double *worst)
{
	double ratio = c->moved / c->ideal;

	if (!quiet && (c->n & (c->n - 1)) == 0)
		printf("# %u slots, N=%u, %s: moved %.4f, ideal %.4f, ratio %.3f\n", size, c->n,
		       c->what, c->moved, c->ideal, ratio);
	if (ratio > *worst)
		*worst = ratio;
}

/* For N = 2..64 targets of weight 50: add one, remove one (three choices), double one
 * weight, halve one. The ideal is the share that has to change hands; moved / ideal is
 * asserted <= 1.2 for N <= max_n (max_n_cut for the halving). fixed_size 0: each N gets
 * the default size for N targets (xdplb_maglev_default_size).
 *
 * Holding every share to 1% leaves the targets whose count would leave its band a few
 * slots short or over after a change, about sqrt(slots changing hands / N) each, and
 * evening that out moves slots no change asked for. So the ratio grows with N / sqrt(size)
 * and more so for the halving, which hands over half as many slots as a removal. At 65536
 * slots the worst here is 1.12 for add, remove, double and 1.19 for halve; over random keys
 * about one halving in 25 still goes above 1.2 (to 1.27, see maglev.c). At 4096 slots the
 * bands are a few slots wide and mostly left to the bounds: halving crosses 1.2 at N = 10,
 * the others at 19 to 24; beyond the limits the ratios are printed, not asserted. */
static void check_disruption(__u32 fixed_size, __u32 max_n, __u32 max_n_cut)
{
	static struct xdplb_maglev_target t[MAX_N], u[MAX_N];
	static __u32 before[TABLE_LARGE], after[TABLE_LARGE];
	double worst = 0, worst_cut = 0;
	__u32 n, i, k;

	for (n = 2; n <= 64; n++) {
		struct change c = { .n = n };
		__u32 gone[3] = { 0, n / 2, n - 1 };
		__u32 size = fixed_size ? fixed_size : xdplb_maglev_default_size(n);

		make_equal(t, n + 1, 50);
		ASSERT_EQ(xdplb_maglev_build(t, n, before, size), 0);

		ASSERT_EQ(xdplb_maglev_build(t, n + 1, after, size), 0);
		c.what = "add";
		c.moved = (double)count_moved(before, after, size) / size;
		c.ideal = 1.0 / (n + 1);
		report_change(&c, size, 0, &worst);
		ASSERT_TRUE(c.moved <= 1.2 * c.ideal || n > max_n,
			    "%u slots: add to %u: moved %.4f, ideal %.4f", size, n, c.moved,
			    c.ideal);

		for (k = 0; k < 3; k++) {
			__u32 m = 0;

			for (i = 0; i < n; i++)
				if (i != gone[k])
					u[m++] = t[i];
			ASSERT_EQ(xdplb_maglev_build(u, m, after, size), 0);
			c.what = "remove";
			c.moved = (double)count_moved(before, after, size) / size;
			c.ideal = 1.0 / n;
			report_change(&c, size, k, &worst);
			ASSERT_TRUE(c.moved <= 1.2 * c.ideal || n > max_n,
				    "%u slots: remove %u of %u: moved %.4f, ideal %.4f", size,
				    gone[k], n, c.moved, c.ideal);
		}

		for (k = 0; k < 2; k++) {
			__u32 w = k ? 25 : 100, who = k ? n - 1 : 0;
			__u32 limit = k ? max_n_cut : max_n;

			memcpy(u, t, n * sizeof(*u));
			u[who].weight = w;
			ASSERT_EQ(xdplb_maglev_build(u, n, after, size), 0);
			c.what = k ? "halve a weight" : "double a weight";
			c.moved = (double)count_moved(before, after, size) / size;
			c.ideal = (double)w / (50 * (n - 1) + w) - 1.0 / n;
			c.ideal = c.ideal < 0 ? -c.ideal : c.ideal;
			report_change(&c, size, 0, k ? &worst_cut : &worst);
			ASSERT_TRUE(c.moved <= 1.2 * c.ideal || n > limit,
				    "%u slots: weight of %u of %u to %u: moved %.4f, ideal %.4f",
				    size, who, n, w, c.moved, c.ideal);
		}
	}
	if (fixed_size)
		printf("# %u slots, N = 2..64: ", fixed_size);
	else
		printf("# default size for N (1024 per target, 4096..65536), N = 2..64: ");
	printf("worst moved / ideal %.3f for add, remove, double (asserted to N=%u), %.3f for "
	       "halve (asserted to N=%u)\n", worst, max_n, worst_cut, max_n_cut);
}

static void test_disruption_65536(void)
{
	check_disruption(TABLE_LARGE, 64, 64);
}

static void test_disruption_4096(void)
{
	check_disruption(TABLE_SMALL, 16, 8);
}

/* The table the tool builds without --table-size: every kind of change within 1.2x for
 * every N, the promise the default is chosen for. */
static void test_disruption_default_size(void)
{
	check_disruption(0, 64, 64);
}

static __u32 next_rand(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s >> 32;
}

static void test_order_independent(void)
{
	static struct xdplb_maglev_target t[MAX_N], shuffled[MAX_N], saved[MAX_N];
	static __u32 ref[TABLE_LARGE], table[TABLE_LARGE];
	static const __u32 sizes[] = { 64, TABLE_SMALL, TABLE_LARGE };
	static const __u32 counts[] = { 3, 64, MAX_N };
	__u64 seed = 0x243f6a8885a308d3ULL;
	size_t s, c;
	__u32 i, round;

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		__u32 n = counts[c];

		for (i = 0; i < n; i++) {
			t[i].key = 0x9e3779b97f4a7c15ULL * (i + 1);
			t[i].value = i;
			t[i].weight = 1 + (i * 37) % 100;
		}
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			memcpy(saved, t, n * sizeof(*t));
			ASSERT_EQ(xdplb_maglev_build(t, n, ref, sizes[s]), 0);
			ASSERT_TRUE(!memcmp(saved, t, n * sizeof(*t)), "targets[] modified");
			ASSERT_EQ(xdplb_maglev_build(t, n, table, sizes[s]), 0);
			ASSERT_TRUE(!memcmp(ref, table, sizes[s] * sizeof(*table)),
				    "n=%u size %u: second build differs", n, sizes[s]);
			for (round = 0; round < 4; round++) {
				memcpy(shuffled, t, n * sizeof(*t));
				if (round == 0) {	/* reversed, the shuffle may never produce it */
					for (i = 0; i < n; i++)
						shuffled[i] = t[n - 1 - i];
				}
				for (i = n - 1; round && i > 0; i--) {
					__u32 j = next_rand(&seed) % (i + 1);
					struct xdplb_maglev_target tmp = shuffled[i];

					shuffled[i] = shuffled[j];
					shuffled[j] = tmp;
				}
				ASSERT_EQ(xdplb_maglev_build(shuffled, n, table, sizes[s]), 0);
				ASSERT_TRUE(!memcmp(ref, table, sizes[s] * sizeof(*table)),
					    "n=%u size %u: shuffle %u gives another table", n,
					    sizes[s], round);
			}
		}
	}
}

/* Every node must compute the same table from the same targets, across versions too: a
 * change of these hashes means nodes running old and new builds disagree on flow placement.
 * Update them only with an intended change of algorithm, and say so in the commit. */
static void test_golden(void)
{
	static const struct {
		__u32 size;
		__u64 fnv1a;
	} golden[] = {
		{ 64, 0xf72120bdc3bf6c25ULL },
		{ TABLE_SMALL, 0x84c1d1e4039dc3c1ULL },
		{ TABLE_LARGE, 0xa6f96809158fbd4fULL },
	};
	static struct xdplb_maglev_target t[16];
	static __u32 table[TABLE_LARGE];
	__u32 i;

	for (i = 0; i < 16; i++) {
		t[i].key = i < 12 ? i : 0xfedcba9876543210ULL + i;	/* CPUs and port-style keys */
		t[i].value = 100 + i;
		t[i].weight = 1 + (i * 13) % 100;
	}
	for (i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		__u64 h;

		ASSERT_EQ(xdplb_maglev_build(t, 16, table, golden[i].size), 0);
		h = table_hash(table, golden[i].size);
		ASSERT_TRUE(h == golden[i].fnv1a, "%u slots: FNV-1a %#llx, expected %#llx",
			    golden[i].size, (unsigned long long)h,
			    (unsigned long long)golden[i].fnv1a);
	}
}

static void test_bad_inputs(void)
{
	static struct xdplb_maglev_target t[MAX_N + 1];
	static __u32 table[TABLE_LARGE], sentinel[TABLE_LARGE];
	static const __u32 bad_sizes[] = { 0, 1, 32, 63, 96, 4095, 4097, 6000, 131072, 0x80000000 };
	size_t i;

	make_equal(t, MAX_N + 1, 1);
	memset(sentinel, 0xa5, sizeof(sentinel));
	memcpy(table, sentinel, sizeof(table));

	ASSERT_EQ(xdplb_maglev_build(t, 0, table, TABLE_SMALL), -EINVAL);
	ASSERT_EQ(xdplb_maglev_build(t, MAX_N + 1, table, TABLE_SMALL), -EINVAL);
	ASSERT_EQ(xdplb_maglev_build(NULL, 4, table, TABLE_SMALL), -EINVAL);
	ASSERT_EQ(xdplb_maglev_build(t, 4, NULL, TABLE_SMALL), -EINVAL);
	for (i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++)
		ASSERT_EQ(xdplb_maglev_build(t, 4, table, bad_sizes[i]), -EINVAL);

	t[2].weight = 0;
	ASSERT_EQ(xdplb_maglev_build(t, 4, table, TABLE_SMALL), -EINVAL);
	t[2].weight = 101;
	ASSERT_EQ(xdplb_maglev_build(t, 4, table, TABLE_SMALL), -EINVAL);
	t[2].weight = 1;

	t[3].key = t[0].key;		/* duplicates, not adjacent in the input */
	t[3].value = 77;
	ASSERT_EQ(xdplb_maglev_build(t, 4, table, TABLE_SMALL), -EINVAL);
	t[3].key = 3;

	/* A refused build leaves the caller's table alone. */
	ASSERT_TRUE(!memcmp(table, sentinel, sizeof(table)), "table written on -EINVAL");

	/* The edges themselves are accepted. */
	t[0].weight = 100;
	ASSERT_EQ(xdplb_maglev_build(t, MAX_N, table, 64), 0);
	ASSERT_EQ(xdplb_maglev_build(t, 1, table, TABLE_LARGE), 0);
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Best CPU time of five builds of n weighted targets into slots slots: a loaded machine
 * slows the wall clock, not the work, and the best run is the least disturbed. */
static double build_ms(int n, __u32 slots)
{
	static struct xdplb_maglev_target t[MAX_N];
	static __u32 table[TABLE_LARGE];
	double best = 1e9, start, took;
	int i;

	for (i = 0; i < n; i++) {
		t[i].key = i;
		t[i].value = i;
		t[i].weight = 1 + (i * 37) % 100;
	}
	for (i = 0; i < 5; i++) {
		start = cpu_ms();
		if (xdplb_maglev_build(t, n, table, slots))
			return -1;
		took = cpu_ms() - start;
		if (took < best)
			best = took;
	}
	return best;
}

/* The build must stay linear: 4x the slots and targets cost 5.7-6.5x here (the larger
 * table fits the caches less well), an algorithm gone quadratic 16x. A ratio of two builds
 * in the same run holds on a loaded machine, where CPU time itself inflates (150-190 ms
 * were measured for the large build); the absolute bound only catches a gross slowdown. */
static void test_build_time(void)
{
	double small = build_ms(16, TABLE_LARGE / 4), large = build_ms(64, TABLE_LARGE);

	printf("# build 65536 slots, 64 weighted targets: %.1f ms CPU; 16384 slots, 16 targets: %.1f ms (%.1fx)\n",
	       large, small, large / small);
	ASSERT_GT(small, 0);
	ASSERT_GT(large, 0);
	ASSERT_LT(large / small, 10);
	ASSERT_LT(large, 500);
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_shares),
		HARNESS_TEST(test_disruption_65536),
		HARNESS_TEST(test_disruption_4096),
		HARNESS_TEST(test_disruption_default_size),
		HARNESS_TEST(test_order_independent),
		HARNESS_TEST(test_golden),
		HARNESS_TEST(test_bad_inputs),
		HARNESS_TEST(test_build_time),
	};

	return harness_run(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
