// SPDX-License-Identifier: GPL-2.0
/* test_fuzz.c: more than 100,000 frames no parser was written for, through the real
 * xdplb_rx with BPF_PROG_TEST_RUN: random bytes (some behind a plausible Ethernet and IP
 * start, so they get past the first checks), and frames of every kind in the catalogue
 * with random bytes flipped, cut short, or both. Whatever arrives, the program must
 * answer XDP_PASS or XDP_REDIRECT (never XDP_ABORTED or DROP), every run must succeed,
 * and the counters must add up: rx = redirected + passed, each as the runs returned.
 * The seed changes per run and is printed; XDPLB_FUZZ_SEED=N repeats one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>

#include "frame_cases.h"
#include "harness.h"

#define FUZZ_RANDOM	40000
#define FUZZ_FLIPPED	40000
#define FUZZ_CUT	30000
#define FUZZ_LEN_MAX	600

struct fuzz_tally {
	__u64 frames, redirected, passed;
};

static __u64 seed;

static int fuzz_run(const __u8 *buf, size_t len, struct fuzz_tally *t)
{
	int action = fx_run(buf, len);

	t->frames++;
	if (action == XDP_REDIRECT) {
		t->redirected++;
		return 0;
	}
	if (action == XDP_PASS) {
		t->passed++;
		return 0;
	}
	harness_fail(__FILE__, __LINE__, "seed %llu, frame %llu (%zu bytes): action/err %d",
		     (unsigned long long)seed, (unsigned long long)t->frames, len, action);
	return -1;
}

/* Random bytes; three in four start like Ethernet + IPv4, IPv6 or a VLAN tag. */
static size_t fuzz_random_frame(__u64 *rng, __u8 *buf)
{
	static const __u16 types[] = { ETH_P_IP, ETH_P_IPV6, ETH_P_8021Q, ETH_P_8021AD };
	size_t len = 14 + pkt_rand(rng) % (FUZZ_LEN_MAX - 14), i;
	__u64 r = pkt_rand(rng);

	for (i = 0; i < len; i += 8) {
		__u64 v = pkt_rand(rng);

		memcpy(buf + i, &v, len - i < 8 ? len - i : 8);
	}
	if (r & 3) {
		__u16 type = types[(r >> 2) & 3];

		*(__u16 *)(buf + 12) = htons(type);
		if (type == ETH_P_IP)
			buf[14] = 0x40 | (__u8)(5 + ((r >> 4) & 7));
		else if (type == ETH_P_IPV6)
			buf[14] = 0x60 | (buf[14] & 0x0f);
	}
	return len;
}

/* A frame of a random kind of the catalogue, version and tags. */
static void fuzz_case_frame(__u64 *rng, struct fcase_frame *f)
{
	__u64 r;

	do {
		r = pkt_rand(rng);
	} while (fcase_build(&fcases[r % fcases_count], (r >> 16) & 1, (r >> 17) % 3, rng, f));
}

/* Flips 1..8 bytes, mostly among the headers where the parser looks. */
static void fuzz_flip(__u64 *rng, __u8 *buf, size_t len)
{
	int n = 1 + pkt_rand(rng) % 8, i;

	for (i = 0; i < n; i++) {
		__u64 r = pkt_rand(rng);
		size_t span = (r & 3) && len > 160 ? 160 : len;

		buf[(r >> 8) % span] ^= (__u8)(1 + (r >> 40) % 255);
	}
}

static void fuzz_mode(__u64 n)
{
	static const __u32 modes[] = { XDPLB_HASH_SYM, XDPLB_HASH_L4, XDPLB_HASH_L3 };

	fx_set_config(n & 1, modes[n % 3] | ((n >> 1) & 1 ? XDPLB_HASH_F_INNER : 0), fx.table);
}

static void test_fuzz_frames_add_up(void)
{
	static struct fcase_frame f;
	struct fx_counters before, after;
	struct fuzz_tally t = {};
	__u8 buf[FUZZ_LEN_MAX];
	__u64 rng = seed, passed = 0;
	size_t len;
	int i, k;

	fx_read_counters(&before);
	for (i = 0; i < FUZZ_RANDOM; i++) {
		if (i % 1000 == 0)
			fuzz_mode(i / 1000);
		len = fuzz_random_frame(&rng, buf);
		if (fuzz_run(buf, len, &t))
			return;
	}
	for (i = 0; i < FUZZ_FLIPPED + FUZZ_CUT; i++) {
		if (i % 1000 == 0)
			fuzz_mode(i / 1000);
		fuzz_case_frame(&rng, &f);
		len = f.l.len;
		if (i >= FUZZ_FLIPPED)		/* cut, and flipped one time in two */
			len = 14 + pkt_rand(&rng) % (len - 13);
		if (i < FUZZ_FLIPPED || (pkt_rand(&rng) & 1))
			fuzz_flip(&rng, f.buf, len);
		if (fuzz_run(f.buf, len, &t))
			return;
	}
	fx_read_counters(&after);
	for (k = 0; k < XDPLB_PASS__COUNT; k++)
		passed += after.rx.pass[k] - before.rx.pass[k];
	printf("# seed %llu: %llu frames, %llu redirected, %llu passed (malformed %llu, unsupported %llu, non_ip %llu)\n",
	       (unsigned long long)seed, (unsigned long long)t.frames,
	       (unsigned long long)t.redirected, (unsigned long long)t.passed,
	       (unsigned long long)(after.rx.pass[XDPLB_PASS_malformed] - before.rx.pass[XDPLB_PASS_malformed]),
	       (unsigned long long)(after.rx.pass[XDPLB_PASS_unsupported] - before.rx.pass[XDPLB_PASS_unsupported]),
	       (unsigned long long)(after.rx.pass[XDPLB_PASS_non_ip] - before.rx.pass[XDPLB_PASS_non_ip]));
	ASSERT_GE(t.frames, 100000);
	ASSERT_EQ(after.rx.rx_packets - before.rx.rx_packets, t.frames);
	ASSERT_EQ(after.rx.redirected - before.rx.redirected, t.redirected);
	ASSERT_EQ(passed, t.passed);
	ASSERT_EQ(t.frames, t.redirected + t.passed);
	/* The frames reached every decision: a fuzz that only ever hit one check proves
	 * little. */
	ASSERT_GT(t.redirected, t.frames / 10);
	ASSERT_GT(after.rx.pass[XDPLB_PASS_malformed] - before.rx.pass[XDPLB_PASS_malformed], 1000);
	ASSERT_GT(after.rx.pass[XDPLB_PASS_unsupported] - before.rx.pass[XDPLB_PASS_unsupported], 10);
	ASSERT_GT(after.rx.pass[XDPLB_PASS_non_ip] - before.rx.pass[XDPLB_PASS_non_ip], 1000);
	ASSERT_EQ(after.rx.pass[XDPLB_PASS_no_target] - before.rx.pass[XDPLB_PASS_no_target], 0);
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_fuzz_frames_add_up),
	};
	const char *env = getenv("XDPLB_FUZZ_SEED");

	seed = env ? strtoull(env, NULL, 10) : (__u64)time(NULL);
	return fx_main("test_fuzz", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
