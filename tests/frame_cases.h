/* SPDX-License-Identifier: GPL-2.0 */
/* frame_cases.h: a catalogue of the kinds of frame a network carries (transports, ICMP
 * echo and errors, fragments, IPv4 options, IPv6 extension headers, tunnels), each built from random
 * flows with the flow the data path must take from it and where a cut frame changes the
 * decision. test_flows.c checks the decisions, test_fuzz.c mutates the frames. */
#ifndef XDPLB_TEST_FRAME_CASES_H
#define XDPLB_TEST_FRAME_CASES_H

#include "xdp_fixture.h"

#define FCASE_FRAME_MAX	1024

/* One built frame and what xdplb_rx must do with it. */
struct fcase_frame {
	__u8 buf[FCASE_FRAME_MAX];
	struct pkt_layout l;		/* l.needed: shorter is malformed */
	enum fx_expect expect;
	size_t expect_from;		/* from this length on `expect` holds (not a redirect) */
	struct xdplb_flow flow;		/* the flow it belongs to (with --inner for tunnels) */
	struct xdplb_flow outer;	/* tunnels: the outer flow, taken without --inner or
					 * when the inner frame is cut (l.inner_needed) */
	int tunnel;			/* enum xdplb_tunnel_kind, or XDPLB_TUNNEL__COUNT */
	/* A packet that must reach the same target, and when: the reply of a connection
	 * (symmetric modes), the first fragment of a datagram or the flow an ICMP error
	 * reports on (always), a tunnel's inner packet sent bare (with --inner). */
	struct pkt_spec peer;
	int peer_when;
};

enum {
	FCASE_PEER_NONE = 0,
	FCASE_PEER_SYMMETRIC,
	FCASE_PEER_ALWAYS,
	FCASE_PEER_INNER,
};

struct fcase_params {
	int v6;			/* outer IP version */
	int n_vlans;		/* outer tags, 0..2 */
	int no_eth;		/* from the IP header on: the inner packet of GRE or IP-in-IP */
	__u64 *rng;
};

enum {
	FCASE_V4 = 1,		/* the kind exists in IPv4 */
	FCASE_V6 = 2,
	FCASE_BOTH = FCASE_V4 | FCASE_V6,
};

struct fcase {
	const char *name;
	int versions;
	void (*build)(const struct fcase_params *p, struct fcase_frame *f);
};

extern const struct fcase fcases[];
extern const size_t fcases_count;

/* Builds case c in version v6 with n_vlans tags; returns 0, or -1 when c has no such
 * version. */
int fcase_build(const struct fcase *c, int v6, int n_vlans, __u64 *rng, struct fcase_frame *f);

#endif
