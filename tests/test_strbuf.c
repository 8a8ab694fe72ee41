// SPDX-License-Identifier: GPL-2.0
/* test_strbuf.c: the string builder behind --explain's per-frame lines (user/sys/strbuf.c)
 * writes what printf and inet_ntop write, and never past its buffer: IPv6 addresses with
 * every placement of zero runs (and the IPv4-compatible and -mapped forms it leaves to
 * inet_ntop), every conversion, and every buffer size cut. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "harness.h"
#include "user/sys/strbuf.h"

static __u64 rng_next(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Words zero or not at random, so runs of every length fall everywhere. */
static void random_ip6(__u8 *a, __u64 *rng)
{
	int i;

	for (i = 0; i < 8; i++) {
		__u64 r = rng_next(rng);
		__u16 w = (r & 3) ? 0 : (__u16)(r >> 8) >> (r >> 40) % 16;

		a[2 * i] = (__u8)(w >> 8);
		a[2 * i + 1] = (__u8)w;
	}
}

static void test_ip6_as_inet_ntop(void)
{
	char want[INET6_ADDRSTRLEN], got[INET6_ADDRSTRLEN];
	struct xdplb_strbuf b;
	__u64 rng = 0x18;
	int i, fast = 0, left = 0;
	__u8 a[16];

	for (i = 0; i < 200000; i++) {
		random_ip6(a, &rng);
		if (i % 7 == 0) {	/* IPv4-mapped and -compatible, and near them */
			memset(a, 0, 10);
			a[10] = a[11] = i % 3 ? 0xff : 0;
		}
		inet_ntop(AF_INET6, a, want, sizeof(want));
		xdplb_strbuf_init(&b, got, sizeof(got));
		if (xdplb_strbuf_ip6(&b, a)) {
			left++;
			ASSERT_TRUE(strchr(want, '.') != NULL, "left to inet_ntop: %s", want);
			continue;
		}
		fast++;
		ASSERT_TRUE(!strcmp(want, got) && b.used == strlen(want), "inet_ntop %s, strbuf %s",
			    want, got);
	}
	ASSERT_GT(fast, 100000);
	ASSERT_GT(left, 1000);
}

static void test_conversions_as_printf(void)
{
	char want[128], got[128];
	struct xdplb_strbuf b;
	__u8 ip[4] = { 198, 18, 0, 255 };

	xdplb_strbuf_init(&b, got, sizeof(got));
	/* %q is unknown on purpose: it must come out as written. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	xdplb_strbuf_add(&b, "%llu  %s %u%%x %04x %q ", 18446744073709551615ULL, "eth", 0u, 0xbeefu);
#pragma GCC diagnostic pop
	xdplb_strbuf_ip4(&b, ip);
	xdplb_strbuf_add(&b, ":%u", 65535u);
	snprintf(want, sizeof(want), "%llu  %s %u%%x %04x %%q 198.18.0.255:%u",
		 18446744073709551615ULL, "eth", 0u, 0xbeefu, 65535u);
	ASSERT_TRUE(!strcmp(want, got) && b.used == strlen(want), "printf %s, strbuf %s", want, got);
}

/* Every size from 0: the text is printf's cut to size - 1, NUL-terminated, no byte after. */
static void test_cut_at_every_size(void)
{
	const __u8 a6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0, 0x34 };
	const char *full = "9 udp [fd00::12:34]:53 ok";
	char got[40];
	size_t size;

	for (size = 0; size < sizeof(got); size++) {
		struct xdplb_strbuf b;

		memset(got, 'X', sizeof(got));
		xdplb_strbuf_init(&b, got, size);
		xdplb_strbuf_add(&b, "%u %s [", 9u, "udp");
		ASSERT_EQ(xdplb_strbuf_ip6(&b, a6), 0);
		xdplb_strbuf_add(&b, "]:%u %s", 53u, "ok");
		if (!size) {
			ASSERT_EQ(got[0], 'X');
			continue;
		}
		ASSERT_TRUE(b.used == (size - 1 < strlen(full) ? size - 1 : strlen(full)) &&
			    !strncmp(got, full, b.used) && got[b.used] == '\0' &&
			    (b.used + 1 == sizeof(got) || got[b.used + 1] == 'X'),
			    "size %zu: \"%s\" (%zu)", size, got, b.used);
	}
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(test_ip6_as_inet_ntop),
		HARNESS_TEST(test_conversions_as_printf),
		HARNESS_TEST(test_cut_at_every_size),
	};

	return harness_run(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
