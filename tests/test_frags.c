// SPDX-License-Identifier: GPL-2.0
/* test_frags.c: multi-buffer frames through the real xdplb_rx (BPF_PROG_TEST_RUN). The
 * kernel puts what does not fit the head into page fragments, as a driver does for a jumbo
 * frame; the test also chooses the head's length (xdp_md.data_end) to cut headers at every
 * byte. The decision must be the model's when the headers are in the head, pass
 * "split_header" when they reach into a fragment, and the bytes counted the whole frame. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/in.h>

#include <bpf/bpf.h>

#include "harness.h"
#include "xdp_fixture.h"

#define JUMBO	9014	/* an MTU 9000 frame with its Ethernet header */

static __u8 frame[JUMBO];

/* Runs frame[0..len) with a head of `head` bytes (0: the kernel's choice). Returns the
 * action, or -errno when the kernel refuses the run (no multi-buffer test runs). */
static int run_split(size_t len, size_t head)
{
	struct xdp_md md = { .data_end = head };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
		    .ctx_in = head ? &md : NULL, .ctx_size_in = head ? sizeof(md) : 0,
		    .repeat = 1);
	int err = bpf_prog_test_run_opts(bpf_program__fd(fx.skel->progs.xdplb_rx), &opts);

	return err ? -errno : (int)opts.retval;
}

static void tcp_spec(struct pkt_spec *s, int v6, int vlans, size_t payload)
{
	memset(s, 0, sizeof(*s));
	s->v6 = v6;
	s->n_vlans = vlans;
	s->proto = IPPROTO_TCP;
	s->saddr4 = inet_addr("198.18.0.1");
	s->daddr4 = inet_addr("198.18.1.7");
	inet_pton(AF_INET6, "fd00::1", s->saddr6);
	inet_pton(AF_INET6, "fd00::7", s->daddr6);
	s->sport = htons(41000);
	s->dport = htons(5201);
	s->payload = payload;
}

/* A 9014-byte frame (head and fragments): redirected where the model says, every byte
 * counted once, on the CPU and on the target. */
static void jumbo_redirected_whole(void)
{
	struct fx_counters before, after;
	struct pkt_spec s;
	int v6, action;
	size_t len, needed;

	for (v6 = 0; v6 <= 1; v6++) {
		tcp_spec(&s, v6, 0, JUMBO);
		len = pkt_build(&s, frame, sizeof(frame), &needed);
		ASSERT_EQ(len, JUMBO);
		fx_read_counters(&before);
		action = run_split(len, 0);
		if (action == -EINVAL)
			SKIP("the kernel refuses multi-buffer test runs");
		fx_read_counters(&after);
		ASSERT_EQ(action, XDP_REDIRECT);
		ASSERT_EQ(after.rx.rx_bytes - before.rx.rx_bytes, JUMBO);
		ASSERT_EQ(after.tgt_packets[fx_expected_cpu(&s)] -
			  before.tgt_packets[fx_expected_cpu(&s)], 1);
	}
}

/* The head cut at every length from the Ethernet header to past the ports: below what the
 * parser needs the frame is passed as split_header (never malformed, never misread), from
 * there on it goes where the model says. */
static void header_cut_at_every_byte(void)
{
	struct fx_counters before, after;
	int v6, vlans, action;
	struct pkt_spec s;
	size_t len, needed, head;

	for (v6 = 0; v6 <= 1; v6++)
		for (vlans = 0; vlans <= 2; vlans++) {
			tcp_spec(&s, v6, vlans, 6000);
			len = pkt_build(&s, frame, sizeof(frame), &needed);
			for (head = 1; head <= needed + 8; head++) {
				fx_read_counters(&before);
				action = run_split(len, head);
				if (action == -EINVAL && head == 1)
					SKIP("the kernel cannot set a test run's head length");
				fx_read_counters(&after);
				ASSERT_TRUE(action >= 0, "v6 %d vlans %d head %zu: run failed: %s", v6,
					    vlans, head, strerror(-action));
				ASSERT_EQ(after.rx.rx_bytes - before.rx.rx_bytes, len);
				if (head < needed) {
					ASSERT_EQ(action, XDP_PASS);
					ASSERT_EQ(after.rx.pass[XDPLB_PASS_split_header] -
						  before.rx.pass[XDPLB_PASS_split_header], 1);
				} else {
					ASSERT_EQ(action, XDP_REDIRECT);
					ASSERT_EQ(after.tgt_packets[fx_expected_cpu(&s)] -
						  before.tgt_packets[fx_expected_cpu(&s)], 1);
				}
			}
		}
}

/* A frame that is really cut short stays malformed: split_header is only for bytes that
 * exist in a fragment. */
static void truncated_linear_frame_is_malformed(void)
{
	struct fx_counters before, after;
	struct pkt_spec s;
	size_t needed;

	tcp_spec(&s, 0, 0, 0);
	pkt_build(&s, frame, sizeof(frame), &needed);
	fx_read_counters(&before);
	ASSERT_EQ(run_split(needed - 1, 0), XDP_PASS);
	fx_read_counters(&after);
	ASSERT_EQ(after.rx.pass[XDPLB_PASS_malformed] - before.rx.pass[XDPLB_PASS_malformed], 1);
	ASSERT_EQ(after.rx.pass[XDPLB_PASS_split_header] -
		  before.rx.pass[XDPLB_PASS_split_header], 0);
}

/* The plain program (no frags flag, an MTU that fits a page) counts data_end - data instead
 * of calling bpf_xdp_get_buff_len: the same bytes, for every size of frame it can get. */
static void plain_program_counts_the_frame(void)
{
	static const size_t sizes[] = { 60, 64, 1514, 3000 };
	struct fx_counters before, after;
	struct pkt_spec s;
	size_t i, len, needed;
	int err;

	fx_teardown();
	fx.linear = 1;
	err = fx_setup();
	ASSERT_EQ(err, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		tcp_spec(&s, i & 1, 0, sizes[i]);
		len = pkt_build(&s, frame, sizes[i], &needed);
		fx_read_counters(&before);
		ASSERT_EQ(run_split(len, 0), XDP_REDIRECT);
		fx_read_counters(&after);
		ASSERT_EQ(after.rx.rx_bytes - before.rx.rx_bytes, len);
		ASSERT_EQ(after.rx.rx_packets - before.rx.rx_packets, 1);
	}
	fx_teardown();
	fx.linear = 0;
	ASSERT_EQ(fx_setup(), 0);
}

int main(int argc, char **argv)
{
	static const struct harness_test tests[] = {
		HARNESS_TEST(jumbo_redirected_whole),
		HARNESS_TEST(header_cut_at_every_byte),
		HARNESS_TEST(truncated_linear_frame_is_malformed),
		HARNESS_TEST(plain_program_counts_the_frame),
	};

	return fx_main("test_frags", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
