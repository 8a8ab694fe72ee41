// SPDX-License-Identifier: GPL-2.0
/* test_hash.c: properties of the flow hash over many random flows: symmetry in sym and
 * l3 modes, direction sensitivity in l4, seed sensitivity, and an even spread over 2, 3
 * and 4 targets through the real table builder (chi-square); and its golden values, so
 * that a change of the hash cannot pass unnoticed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "harness.h"
#include "pkt.h"
#include "user/core/maglev.h"

#define N_FLOWS		20000
#define TABLE_SIZE	4096

static void random_flow(struct xdplb_flow *f, __u64 *rng, int v6)
{
	struct pkt_spec s;

	pkt_random_spec(&s, rng, v6);
	pkt_flow(&s, f);
}

static void test_sym_is_symmetric(void)
{
	struct xdplb_flow f, r;
	__u64 rng = 1;
	int i;

	for (i = 0; i < N_FLOWS; i++) {
		random_flow(&f, &rng, i & 1);
		pkt_flow_reverse(&f, &r);
		ASSERT_EQ(xdplb_flow_hash(&f, 0x1234, XDPLB_HASH_SYM),
			  xdplb_flow_hash(&r, 0x1234, XDPLB_HASH_SYM));
		ASSERT_EQ(xdplb_flow_hash(&f, 0x1234, XDPLB_HASH_L3),
			  xdplb_flow_hash(&r, 0x1234, XDPLB_HASH_L3));
	}
}

/* In l4 mode the two directions are independent: they meet on one of 4096 slots about
 * once in 4096 flows, not systematically. */
static void test_l4_is_directional(void)
{
	struct xdplb_flow f, r;
	__u64 rng = 2;
	int i, same = 0;

	for (i = 0; i < N_FLOWS; i++) {
		random_flow(&f, &rng, i & 1);
		pkt_flow_reverse(&f, &r);
		same += (xdplb_flow_hash(&f, 99, XDPLB_HASH_L4) & (TABLE_SIZE - 1)) ==
			(xdplb_flow_hash(&r, 99, XDPLB_HASH_L4) & (TABLE_SIZE - 1));
	}
	ASSERT_LE(same, 20);
}

/* l3 ignores ports and protocol; sym and l4 do not. */
static void test_modes_use_the_right_fields(void)
{
	struct xdplb_flow f, g;
	__u64 rng = 3;
	int i, l4_same = 0;

	for (i = 0; i < 2000; i++) {
		random_flow(&f, &rng, i & 1);
		g = f;
		g.sport ^= 0x5a5a;
		ASSERT_EQ(xdplb_flow_hash(&f, 5, XDPLB_HASH_L3), xdplb_flow_hash(&g, 5, XDPLB_HASH_L3));
		l4_same += xdplb_flow_hash(&f, 5, XDPLB_HASH_SYM) == xdplb_flow_hash(&g, 5, XDPLB_HASH_SYM);
	}
	ASSERT_EQ(l4_same, 0);
}

/* Another seed places flows anew: about half move between two targets. */
static void test_seed_changes_placement(void)
{
	struct xdplb_flow f;
	__u64 rng = 4;
	int i, moved = 0;

	for (i = 0; i < N_FLOWS; i++) {
		random_flow(&f, &rng, i & 1);
		moved += (xdplb_flow_hash(&f, 1, XDPLB_HASH_SYM) & 1) !=
			 (xdplb_flow_hash(&f, 2, XDPLB_HASH_SYM) & 1);
	}
	ASSERT_GE(moved, N_FLOWS * 45 / 100);
	ASSERT_LE(moved, N_FLOWS * 55 / 100);
}

/* Chi-square of flows per target against an even split; the bound is the 0.1% critical
 * value for k-1 degrees of freedom, so a good hash fails it once in a thousand seeds and
 * the fixed seeds here make the test repeatable. */
static int spread_ok(int k, __u32 mode, int v6, int sequential, double *chi2_out)
{
	static const double crit[] = { 0, 0, 10.83, 13.82, 16.27 };
	struct xdplb_maglev_target t[4];
	static __u32 table[TABLE_SIZE];
	double expected = (double)N_FLOWS / k, chi2 = 0;
	int counts[4] = { 0 }, i;
	struct xdplb_flow f;
	__u64 rng = 1000 + k;

	for (i = 0; i < k; i++)
		t[i] = (struct xdplb_maglev_target){ .key = i, .value = i, .weight = 1 };
	if (xdplb_maglev_build(t, k, table, TABLE_SIZE))
		return 0;
	for (i = 0; i < N_FLOWS; i++) {
		/* Sequential: one client, consecutive source ports, as iperf3 -P opens them. */
		if (!sequential || i == 0)
			random_flow(&f, &rng, v6);
		if (sequential)
			f.sport = htons((__u16)(32768 + i));
		counts[table[xdplb_flow_hash(&f, 0xfeedULL * k, mode) & (TABLE_SIZE - 1)]]++;
	}
	for (i = 0; i < k; i++)
		chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
	*chi2_out = chi2;
	return chi2 < crit[k];
}

static void test_spread_chi_square(void)
{
	double chi2 = 0;
	int k, v6;
	__u32 mode;

	for (k = 2; k <= 4; k++)
		for (mode = XDPLB_HASH_SYM; mode <= XDPLB_HASH_L3; mode++)
			for (v6 = 0; v6 <= 3; v6++) {
				int ok = spread_ok(k, mode, v6 & 1, v6 >> 1, &chi2);

				/* l3 hashes no ports: sequential ports are one flow to it. */
				if (mode == XDPLB_HASH_L3 && v6 >> 1)
					continue;
				printf("# spread k=%d mode=%u v6=%d sequential=%d chi2=%.2f\n", k, mode,
				       v6 & 1, v6 >> 1, chi2);
				ASSERT_TRUE(ok, "chi-square %.2f over %d targets (mode %u, v6 %d, seq %d)",
					    chi2, k, mode, v6 & 1, v6 >> 1);
			}
}

/* Golden flows: fields as they sit in the packet, written out byte by byte, so the values
 * below hold on any little-endian host (on a big-endian one the same bytes load as other
 * words: the kernel and the tool agree there too, on other values). */
struct golden_flow {
	const char *name;
	int v6;
	__u8 src[16], dst[16];
	__u8 sport[2], dport[2];
	__u8 proto;
};

static const struct golden_flow golden_flows[] = {
	{ "ipv4 tcp", 0, { 198, 18, 0, 1 }, { 198, 18, 1, 1 }, { 0x9c, 0x40 }, { 0, 80 }, 6 },
	{ "ipv4 tcp reply", 0, { 198, 18, 1, 1 }, { 198, 18, 0, 1 }, { 0, 80 }, { 0x9c, 0x40 }, 6 },
	{ "ipv4 udp", 0, { 198, 19, 255, 254 }, { 10, 0, 0, 1 }, { 0x14, 0xe9 }, { 0, 53 }, 17 },
	{ "ipv4 icmp echo", 0, { 198, 18, 0, 7 }, { 198, 18, 9, 9 }, { 0x12, 0x34 }, { 0x12, 0x34 }, 1 },
	{ "ipv4 fragment", 0, { 198, 18, 0, 1 }, { 198, 18, 1, 1 }, { 0, 0 }, { 0, 0 }, 17 },
	{ "ipv6 udp", 1, { 0xfd, [15] = 1 }, { 0xfd, [15] = 2 }, { 0x14, 0xe9 }, { 0, 53 }, 17 },
	{ "ipv6 udp reply", 1, { 0xfd, [15] = 2 }, { 0xfd, [15] = 1 }, { 0, 53 }, { 0x14, 0xe9 }, 17 },
	{ "ipv6 tcp", 1, { 0xfd, 0, 0xde, 0xad, [8] = 0xbe, 0xef, [14] = 0x12, 0x34 },
	  { 0xfd, 0x12, [15] = 0x80 }, { 0xc3, 0x50 }, { 0x01, 0xbb }, 6 },
	{ "ipv6 fragment", 1, { 0xfd, [15] = 1 }, { 0xfd, [15] = 2 }, { 0, 0 }, { 0, 0 }, 17 },
};

#define N_GOLDEN_FLOWS	(sizeof(golden_flows) / sizeof(golden_flows[0]))

static const __u64 golden_seeds[] = { 0, 0x5eed1234abcdULL };
static const __u32 golden_modes[] = { XDPLB_HASH_SYM, XDPLB_HASH_L4, XDPLB_HASH_L3 };

/* xdplb_flow_hash of each golden flow, by seed and mode (sym, l4, l3), for
 * XDPLB_HASH_VERSION 1. XDPLB_PRINT_GOLDEN=1 build/tests/test_hash golden prints them. */
static const __u64 golden_values[2][N_GOLDEN_FLOWS][3] = {
	{
		{ 0x29bf5fb17673ccbdULL, 0xe79ca18b43e306c9ULL, 0xa4b7b8b6c7277d89ULL },
		{ 0x29bf5fb17673ccbdULL, 0xd9c25967503ba6e5ULL, 0xa4b7b8b6c7277d89ULL },
		{ 0x403f57495004aa54ULL, 0x46919a5efc528b35ULL, 0x4502e4c780dde718ULL },
		{ 0xcfed6b49f89dbc97ULL, 0x02eeb3bb439d5741ULL, 0x97a7ae5c5cd66f7cULL },
		{ 0x41431f1f036aeb4dULL, 0x31be33ac9d9b48b6ULL, 0xa4b7b8b6c7277d89ULL },
		{ 0xcd847a7da7b440ebULL, 0x7a91cdce139310e6ULL, 0x73d903b98e785715ULL },
		{ 0xcd847a7da7b440ebULL, 0x840b1f0648cb7361ULL, 0x73d903b98e785715ULL },
		{ 0xbbb070d5661913a7ULL, 0x675bde74d8c803b9ULL, 0xd508a48beaf3c21fULL },
		{ 0x21c121139bf00c4fULL, 0xe4d6987ed64f7ae1ULL, 0x73d903b98e785715ULL },
	},
	{
		{ 0xa19038adfb68c329ULL, 0x3e85552db36b3386ULL, 0xeed68e8948a64003ULL },
		{ 0xa19038adfb68c329ULL, 0xbe2516d31c363913ULL, 0xeed68e8948a64003ULL },
		{ 0x11b658dfce23a8adULL, 0x684b300602664cfaULL, 0x260ede07bd1bc1f7ULL },
		{ 0xb1e32cb57ea67030ULL, 0x9b0c88534653a361ULL, 0x1467d14579ac25b8ULL },
		{ 0xf341a3d7ab5f308aULL, 0x8e96bc0a98405eadULL, 0xeed68e8948a64003ULL },
		{ 0x048fa3e66ff4156fULL, 0x462fde4b2ec63504ULL, 0xb1074f71da69d4f0ULL },
		{ 0x048fa3e66ff4156fULL, 0x3b0b26f39d522474ULL, 0xb1074f71da69d4f0ULL },
		{ 0x30f573eb56a25997ULL, 0xd849db3bf9c23bd9ULL, 0x924acf13d653e2fdULL },
		{ 0xf703008641503f7bULL, 0x74fb52b8fa7c45bdULL, 0xb1074f71da69d4f0ULL },
	}
};

static void golden_to_flow(const struct golden_flow *g, struct xdplb_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->is_v6 = g->v6;
	f->proto = g->proto;
	memcpy(f->src, g->src, g->v6 ? 16 : 4);
	memcpy(f->dst, g->dst, g->v6 ? 16 : 4);
	memcpy(&f->sport, g->sport, 2);
	memcpy(&f->dport, g->dport, 2);
}

static void print_golden(void)
{
	struct xdplb_flow f;
	size_t s, i, m;

	for (s = 0; s < 2; s++) {
		printf("\t{\n");
		for (i = 0; i < N_GOLDEN_FLOWS; i++) {
			golden_to_flow(&golden_flows[i], &f);
			printf("\t\t{");
			for (m = 0; m < 3; m++)
				printf(" 0x%016llxULL%s", (unsigned long long)xdplb_flow_hash(&f,
				       golden_seeds[s], golden_modes[m]), m < 2 ? "," : " },\n");
		}
		printf("\t},\n");
	}
}

/* The hash's values are part of what a node promises: "every node with the same file and
 * seed places flows alike" holds across builds only while they stay. A change of them
 * must come with a new XDPLB_HASH_VERSION (and new values here). --inner's flag in the
 * mode word changes nothing: it changes which flow is hashed (tests/test_flows.c). */
static void test_golden_values(void)
{
	struct xdplb_flow f;
	size_t s, i, m;
	__u32 mode;

	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		SKIP("golden values are those of little-endian hosts");
	if (getenv("XDPLB_PRINT_GOLDEN"))
		print_golden();
	ASSERT_TRUE(XDPLB_HASH_VERSION == 1, "XDPLB_HASH_VERSION %d: give it its golden values",
		    XDPLB_HASH_VERSION);
	for (s = 0; s < 2; s++)
		for (i = 0; i < N_GOLDEN_FLOWS; i++)
			for (m = 0; m < 3; m++) {
				__u64 want = golden_values[s][i][m];

				golden_to_flow(&golden_flows[i], &f);
				mode = golden_modes[m];
				ASSERT_TRUE(xdplb_flow_hash(&f, golden_seeds[s], mode) == want,
					    "%s, seed 0x%llx, mode %u: 0x%016llx, golden 0x%016llx",
					    golden_flows[i].name, (unsigned long long)golden_seeds[s],
					    mode, (unsigned long long)xdplb_flow_hash(&f, golden_seeds[s], mode),
					    (unsigned long long)want);
				ASSERT_TRUE(xdplb_flow_hash(&f, golden_seeds[s], mode | XDPLB_HASH_F_INNER) == want,
					    "%s, mode %u: the --inner flag changes the hash",
					    golden_flows[i].name, mode);
			}
}

/* The data path's fast path calls the per-version functions straight from the headers:
 * they must give the golden values too. */
static void test_golden_values_fast_path(void)
{
	struct xdplb_flow f;
	size_t s, i, m;
	__u64 h;

	for (s = 0; s < 2; s++)
		for (i = 0; i < N_GOLDEN_FLOWS; i++)
			for (m = 0; m < 3; m++) {
				golden_to_flow(&golden_flows[i], &f);
				h = f.is_v6 ? xdplb_flow_hash_v6(golden_seeds[s], golden_modes[m], f.src,
								 f.dst, f.sport, f.dport, f.proto) :
					      xdplb_flow_hash_v4(golden_seeds[s], golden_modes[m], f.src[0],
								 f.dst[0], f.sport, f.dport, f.proto);
				ASSERT_TRUE(h == golden_values[s][i][m], "%s, seed 0x%llx, mode %u: 0x%016llx",
					    golden_flows[i].name, (unsigned long long)golden_seeds[s],
					    golden_modes[m], (unsigned long long)h);
			}
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_sym_is_symmetric),
		HARNESS_TEST(test_l4_is_directional),
		HARNESS_TEST(test_modes_use_the_right_fields),
		HARNESS_TEST(test_seed_changes_placement),
		HARNESS_TEST(test_spread_chi_square),
		HARNESS_TEST(test_golden_values),
		HARNESS_TEST(test_golden_values_fast_path),
	};

	return harness_run(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
