// SPDX-License-Identifier: GPL-2.0
/* frame_cases.c: the frame catalogue (see frame_cases.h). Every builder draws its flows
 * from the caller's generator, so a suite runs each kind over many flows and a wrong
 * flow key shows as a wrong target, not as a coin toss between two CPUs. */
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/in.h>
#include <linux/in6.h>

#include "frame_cases.h"

#define FC_ICMP_ECHOREPLY	0
#define FC_ICMP_UNREACH		3
#define FC_ICMP_PORT_UNREACH	3	/* codes of FC_ICMP_UNREACH */
#define FC_ICMP_FRAG_NEEDED	4
#define FC_ICMP_ECHO		8
#define FC_ICMP_TIME_EXCEEDED	11
#define FC_ICMP_PARAMPROB	12
#define FC_ICMP_TIMESTAMP	13
#define FC_ICMP6_UNREACH	1
#define FC_ICMP6_PKT_TOOBIG	2
#define FC_ICMP6_TIME_EXCEED	3
#define FC_ICMP6_PARAMPROB	4
#define FC_ICMP6_ECHO		128
#define FC_ICMP6_ECHOREPLY	129
#define FC_ICMP6_NEIGH_SOLICIT	135

/* A random TCP or UDP packet of the case's version and tags, with a little payload. */
static void fc_base(const struct fcase_params *p, struct pkt_spec *s)
{
	pkt_random_spec(s, p->rng, p->v6);
	s->n_vlans = p->n_vlans;
	s->no_eth = p->no_eth;
	s->payload = pkt_rand(p->rng) % 24;
}

static void fc_finish(struct fcase_frame *f, const struct pkt_spec *s)
{
	pkt_build_layout(s, f->buf, sizeof(f->buf), &f->l);
	pkt_flow(s, &f->flow);
	f->outer = f->flow;
}

/* The reply: addresses and ports swapped, an echo request answered with its id. */
static void fc_reply(const struct pkt_spec *s, struct pkt_spec *r)
{
	pkt_spec_reverse(s, r);
	if (s->icmp_type == FC_ICMP_ECHO || s->icmp_type == FC_ICMP6_ECHO) {
		r->sport = s->sport;
		r->icmp_type = s->v6 ? FC_ICMP6_ECHOREPLY : FC_ICMP_ECHOREPLY;
	}
}

static void fc_transport(const struct fcase_params *p, struct fcase_frame *f, __u8 proto)
{
	struct pkt_spec s;

	fc_base(p, &s);
	s.proto = proto;
	fc_finish(f, &s);
	if (proto != IPPROTO_ESP) {	/* each direction of an SA has its own SPI */
		fc_reply(&s, &f->peer);
		f->peer_when = FCASE_PEER_SYMMETRIC;
	}
}

static void fc_tcp(const struct fcase_params *p, struct fcase_frame *f)
{
	fc_transport(p, f, IPPROTO_TCP);
}

static void fc_udp(const struct fcase_params *p, struct fcase_frame *f)
{
	fc_transport(p, f, IPPROTO_UDP);
}

static void fc_sctp(const struct fcase_params *p, struct fcase_frame *f)
{
	fc_transport(p, f, IPPROTO_SCTP);
}

static void fc_esp(const struct fcase_params *p, struct fcase_frame *f)
{
	fc_transport(p, f, IPPROTO_ESP);
}

static void fc_echo_spec(const struct fcase_params *p, struct pkt_spec *s)
{
	fc_base(p, s);
	s->proto = p->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	s->icmp_type = p->v6 ? FC_ICMP6_ECHO : FC_ICMP_ECHO;
}

static void fc_echo(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec s;

	fc_echo_spec(p, &s);
	fc_finish(f, &s);
	fc_reply(&s, &f->peer);
	f->peer_when = FCASE_PEER_SYMMETRIC;
}

static void fc_echo_reply(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec s, r;

	fc_echo_spec(p, &s);
	fc_reply(&s, &r);
	fc_finish(f, &r);
	f->peer = s;
	f->peer_when = FCASE_PEER_SYMMETRIC;
}

/* Neither echo nor error: addresses and protocol. */
static void fc_icmp_other(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec s;

	fc_base(p, &s);
	s.proto = p->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	s.icmp_type = p->v6 ? FC_ICMP6_NEIGH_SOLICIT : FC_ICMP_TIMESTAMP;
	fc_finish(f, &s);
}

/* An error a router sends to the quoted packet's source; the frame belongs to the flow of
 * the quote reversed, which is the flow's incoming direction: the peer. */
static void fc_icmp_error(const struct fcase_params *p, struct fcase_frame *f,
			  const struct pkt_spec *quote, __u8 type, __u8 code)
{
	struct xdplb_flow qf;
	struct pkt_spec o;
	__u64 r = pkt_rand(p->rng);

	fc_base(p, &o);
	o.saddr4 = htonl(0xc6130000 | (__u32)(r & 0xffff));	/* a router in 198.19/16 */
	o.saddr6[15] ^= (__u8)r | 1;
	o.daddr4 = quote->saddr4;
	memcpy(o.daddr6, quote->saddr6, 16);
	o.icmp_code = code;
	pkt_build_icmp_error(&o, type, quote, f->buf, sizeof(f->buf), &f->l);
	pkt_flow(quote, &qf);
	pkt_flow_reverse(&qf, &f->flow);
	f->outer = f->flow;
	fc_reply(quote, &f->peer);
	f->peer.n_vlans = p->n_vlans;
	f->peer_when = FCASE_PEER_ALWAYS;
}

static void fc_quote(const struct fcase_params *p, struct pkt_spec *q)
{
	fc_base(p, q);
	q->n_vlans = 0;
}

static void fc_unreach(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec q;

	fc_quote(p, &q);
	fc_icmp_error(p, f, &q, p->v6 ? FC_ICMP6_UNREACH : FC_ICMP_UNREACH,
		      p->v6 ? 4 : FC_ICMP_PORT_UNREACH);
}

static void fc_too_big(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec q;

	fc_quote(p, &q);
	q.proto = IPPROTO_TCP;
	q.payload = 200;
	fc_icmp_error(p, f, &q, p->v6 ? FC_ICMP6_PKT_TOOBIG : FC_ICMP_UNREACH,
		      p->v6 ? 0 : FC_ICMP_FRAG_NEEDED);
}

static void fc_time_exceeded(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec q;

	fc_quote(p, &q);
	fc_icmp_error(p, f, &q, p->v6 ? FC_ICMP6_TIME_EXCEED : FC_ICMP_TIME_EXCEEDED, 0);
}

static void fc_param_problem(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec q;

	fc_quote(p, &q);
	q.proto = IPPROTO_SCTP;
	fc_icmp_error(p, f, &q, p->v6 ? FC_ICMP6_PARAMPROB : FC_ICMP_PARAMPROB, 0);
}

/* A traceroute by ping: the error quotes an echo request; its peer is the echo reply. */
static void fc_error_quoting_echo(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec q;

	fc_echo_spec(p, &q);
	q.n_vlans = 0;
	fc_icmp_error(p, f, &q, p->v6 ? FC_ICMP6_TIME_EXCEED : FC_ICMP_TIME_EXCEEDED, 0);
}

static void fc_error_quoting_ext(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec q;

	fc_quote(p, &q);
	q.ext[0] = IPPROTO_HOPOPTS;
	q.ext[1] = IPPROTO_DSTOPTS;
	q.n_ext = 2;
	fc_icmp_error(p, f, &q, FC_ICMP6_UNREACH, 4);
}

/* The quote of a fragment hashes as the fragments do: addresses and protocol. */
static void fc_error_quoting_fragment(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec q;

	fc_quote(p, &q);
	q.proto = IPPROTO_UDP;
	if (p->v6) {
		q.ext[0] = IPPROTO_FRAGMENT;
		q.n_ext = 1;
		q.frag6 = 1;
	} else {
		q.frag_off = 0x2000;
	}
	fc_icmp_error(p, f, &q, p->v6 ? FC_ICMP6_PKT_TOOBIG : FC_ICMP_UNREACH,
		      p->v6 ? 0 : FC_ICMP_FRAG_NEEDED);
}

/* An ICMPv4 error quoting an IPv6 packet (or the other way round) is nonsense. */
static void fc_error_quoting_other_version(const struct fcase_params *p, struct fcase_frame *f)
{
	struct fcase_params other = *p;
	struct pkt_spec q;

	other.v6 = !p->v6;
	fc_quote(&other, &q);
	q.payload = 40;
	fc_icmp_error(p, f, &q, p->v6 ? FC_ICMP6_UNREACH : FC_ICMP_UNREACH, 0);
	f->expect = PASS_MALFORMED;
	f->expect_from = 0;
	f->peer_when = FCASE_PEER_NONE;
}

/* Fragment `n` (0 first, 1 middle, 2 last) of a UDP or ICMP echo datagram; later ones
 * must meet the first. */
static void fc_fragment_spec(const struct fcase_params *p, struct pkt_spec *s, int n)
{
	static const __u16 v4_frag_off[] = { 0x2000, 0x2000 | 185, 370 };
	static const __u16 v6_frag6[] = { 1, (185 << 3) | 1, 370 << 3 };

	if (pkt_rand(p->rng) & 1) {
		fc_echo_spec(p, s);
	} else {
		fc_base(p, s);
		s->proto = IPPROTO_UDP;
	}
	if (p->v6) {
		s->ext[0] = IPPROTO_FRAGMENT;
		s->n_ext = 1;
		s->frag6 = v6_frag6[n];
	} else {
		s->frag_off = v4_frag_off[n];
	}
}

static void fc_fragment(const struct fcase_params *p, struct fcase_frame *f, int n)
{
	__u64 seed = *p->rng;
	struct pkt_spec s;

	fc_fragment_spec(p, &s, n);
	fc_finish(f, &s);
	if (n) {
		*p->rng = seed;
		fc_fragment_spec(p, &f->peer, 0);
		f->peer_when = FCASE_PEER_ALWAYS;
	}
}

static void fc_fragment_first(const struct fcase_params *p, struct fcase_frame *f)
{
	fc_fragment(p, f, 0);
}

static void fc_fragment_middle(const struct fcase_params *p, struct fcase_frame *f)
{
	fc_fragment(p, f, 1);
}

static void fc_fragment_last(const struct fcase_params *p, struct fcase_frame *f)
{
	fc_fragment(p, f, 2);
}

/* A later fragment behind a hop-by-hop header, whose first fragment also carries a
 * destination options header in its fragmentable part. */
static void fc_fragment_ext(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec s;

	fc_base(p, &s);
	s.proto = IPPROTO_UDP;
	f->peer = s;
	f->peer.ext[0] = IPPROTO_HOPOPTS;
	f->peer.ext[1] = IPPROTO_FRAGMENT;
	f->peer.ext[2] = IPPROTO_DSTOPTS;
	f->peer.n_ext = 3;
	f->peer.frag6 = 1;
	f->peer_when = FCASE_PEER_ALWAYS;
	s.ext[0] = IPPROTO_HOPOPTS;
	s.ext[1] = IPPROTO_FRAGMENT;
	s.n_ext = 2;
	s.frag6 = 185 << 3;
	s.proto = IPPROTO_DSTOPTS;	/* what the fragment header names: the first one's next */
	fc_finish(f, &s);
}

static void fc_ext(const struct fcase_params *p, struct fcase_frame *f, const __u8 *ext,
		   int n_ext, __u8 proto)
{
	struct pkt_spec s;

	fc_base(p, &s);
	if (proto)
		s.proto = proto;
	memcpy(s.ext, ext, n_ext);
	s.n_ext = n_ext;
	fc_finish(f, &s);
	if (proto != IPPROTO_ESP && proto != IPPROTO_NONE) {
		fc_reply(&s, &f->peer);
		f->peer_when = FCASE_PEER_SYMMETRIC;
	}
}

static void fc_ext_hbh(const struct fcase_params *p, struct fcase_frame *f)
{
	static const __u8 ext[] = { IPPROTO_HOPOPTS };

	fc_ext(p, f, ext, sizeof(ext), 0);
}

static void fc_ext_three(const struct fcase_params *p, struct fcase_frame *f)
{
	static const __u8 ext[] = { IPPROTO_HOPOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS };

	fc_ext(p, f, ext, sizeof(ext), 0);
}

static void fc_ext_ah(const struct fcase_params *p, struct fcase_frame *f)
{
	static const __u8 ext[] = { IPPROTO_DSTOPTS, IPPROTO_AH };

	fc_ext(p, f, ext, sizeof(ext), IPPROTO_TCP);
}

static void fc_ext_esp(const struct fcase_params *p, struct fcase_frame *f)
{
	static const __u8 ext[] = { IPPROTO_HOPOPTS, IPPROTO_DSTOPTS };

	fc_ext(p, f, ext, sizeof(ext), IPPROTO_ESP);
}

static void fc_ext_none(const struct fcase_params *p, struct fcase_frame *f)
{
	static const __u8 ext[] = { IPPROTO_DSTOPTS };

	fc_ext(p, f, ext, sizeof(ext), IPPROTO_NONE);
}

static const __u8 fc_ext_chain[] = {
	IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING, IPPROTO_AH, IPPROTO_DSTOPTS,
	IPPROTO_ROUTING, IPPROTO_DSTOPTS, IPPROTO_AH, IPPROTO_DSTOPTS,
};

_Static_assert(sizeof(fc_ext_chain) == XDPLB_IPV6_EXT_MAX + 1, "one past the bound");

static void fc_ext_at_bound(const struct fcase_params *p, struct fcase_frame *f)
{
	fc_ext(p, f, fc_ext_chain, XDPLB_IPV6_EXT_MAX, IPPROTO_TCP);
}

/* One header more than the walk takes: known once it has walked XDPLB_IPV6_EXT_MAX. */
static void fc_ext_past_bound(const struct fcase_params *p, struct fcase_frame *f)
{
	fc_ext(p, f, fc_ext_chain, XDPLB_IPV6_EXT_MAX + 1, IPPROTO_TCP);
	f->expect = PASS_UNSUPPORTED;
	f->expect_from = f->l.l4_off - 16;	/* the last header is destination options */
	f->peer_when = FCASE_PEER_NONE;
}

/* An IPv4 header with options (IHL 6..15, up to 40 bytes of them): the flow is the same
 * as without; only the offset of the transport header moves, and the fast path, which
 * takes IHL 5 alone, leaves such frames to the full parser. */
static void fc_ipv4_options_spec(const struct fcase_params *p, struct pkt_spec *s)
{
	fc_base(p, s);
	s->ihl = 6 + (int)(pkt_rand(p->rng) % 10);
}

static void fc_ipv4_options(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec s;

	fc_ipv4_options_spec(p, &s);
	fc_finish(f, &s);
	fc_reply(&s, &f->peer);
	f->peer_when = FCASE_PEER_SYMMETRIC;
}

/* The quote of an ICMP error is found past its own options as well. */
static void fc_error_quoting_options(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec q;

	fc_ipv4_options_spec(p, &q);
	q.n_vlans = 0;
	fc_icmp_error(p, f, &q, FC_ICMP_UNREACH, FC_ICMP_PORT_UNREACH);
}

/* IPv4 does not walk AH: the frame hashes on addresses and protocol 51. */
static void fc_ah_v4(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec s;

	fc_base(p, &s);
	s.proto = IPPROTO_AH;
	fc_finish(f, &s);
}

static const int fc_tunnel_kind[PKT_TUNNEL__COUNT] = {
	[PKT_GRE] = XDPLB_TUNNEL_gre, [PKT_GRE_TEB] = XDPLB_TUNNEL_gre,
	[PKT_ERSPAN1] = XDPLB_TUNNEL_erspan, [PKT_ERSPAN2] = XDPLB_TUNNEL_erspan,
	[PKT_ERSPAN3] = XDPLB_TUNNEL_erspan, [PKT_ERSPAN3_SUB] = XDPLB_TUNNEL_erspan,
	[PKT_IPIP] = XDPLB_TUNNEL_ipip, [PKT_VXLAN] = XDPLB_TUNNEL_vxlan,
};

/* outer (random flow of the case's version and tags) carrying f's inner frame, already in
 * f->buf with its layout in f->l. */
static void fc_encap(const struct fcase_params *p, struct fcase_frame *f, enum pkt_tunnel kind,
		     int inner_v6)
{
	__u8 inner[FCASE_FRAME_MAX];
	size_t inner_len = f->l.len, inner_needed = f->l.needed;
	struct pkt_spec o;

	memcpy(inner, f->buf, inner_len);
	fc_base(p, &o);
	pkt_build_tunnel(&o, kind, inner_v6, inner, inner_len, inner_needed, f->buf,
			 sizeof(f->buf), &f->l);
	pkt_flow(&o, &f->outer);
	f->tunnel = fc_tunnel_kind[kind];
}

/* A random TCP or UDP flow of either version inside a tunnel of this kind, with up to two
 * tags of its own when the tunnel carries Ethernet. */
static void fc_tunnel(const struct fcase_params *p, struct fcase_frame *f, enum pkt_tunnel kind)
{
	struct fcase_params ip = *p;
	struct pkt_spec in;

	ip.v6 = pkt_rand(p->rng) & 1;
	ip.n_vlans = pkt_tunnel_has_eth(kind) ? pkt_rand(p->rng) % 3 : 0;
	ip.no_eth = !pkt_tunnel_has_eth(kind);
	fc_base(&ip, &in);
	pkt_build_layout(&in, f->buf, sizeof(f->buf), &f->l);
	pkt_flow(&in, &f->flow);
	fc_encap(p, f, kind, ip.v6);
	f->peer = in;
	f->peer.no_eth = 0;
	f->peer.n_vlans = 0;
	f->peer_when = FCASE_PEER_INNER;
}

#define FC_TUNNEL(fn, kind)							\
static void fn(const struct fcase_params *p, struct fcase_frame *f)		\
{										\
	fc_tunnel(p, f, kind);							\
}
FC_TUNNEL(fc_gre, PKT_GRE)
FC_TUNNEL(fc_gre_teb, PKT_GRE_TEB)
FC_TUNNEL(fc_erspan1, PKT_ERSPAN1)
FC_TUNNEL(fc_erspan2, PKT_ERSPAN2)
FC_TUNNEL(fc_erspan3, PKT_ERSPAN3)
FC_TUNNEL(fc_erspan3_sub, PKT_ERSPAN3_SUB)
FC_TUNNEL(fc_ipip, PKT_IPIP)
FC_TUNNEL(fc_vxlan, PKT_VXLAN)

/* --inner follows the inner packet through its own ICMP error handling. */
static void fc_vxlan_icmp_error(const struct fcase_params *p, struct fcase_frame *f)
{
	struct fcase_params ip = *p;

	ip.v6 = pkt_rand(p->rng) & 1;
	ip.n_vlans = 0;
	fc_unreach(&ip, f);
	fc_encap(p, f, PKT_VXLAN, ip.v6);
	f->peer_when = FCASE_PEER_INNER;
}

static void fc_ipip_fragment(const struct fcase_params *p, struct fcase_frame *f)
{
	struct fcase_params ip = *p;

	ip.v6 = pkt_rand(p->rng) & 1;
	ip.n_vlans = 0;
	ip.no_eth = 1;
	fc_fragment_middle(&ip, f);
	fc_encap(p, f, PKT_IPIP, ip.v6);
	f->peer.no_eth = 0;
	f->peer_when = FCASE_PEER_INNER;
}

/* Not IP inside: the outer flow, with or without --inner. */
static void fc_vxlan_arp(const struct fcase_params *p, struct fcase_frame *f)
{
	struct pkt_spec in = { .arp = 1 };

	pkt_build_layout(&in, f->buf, sizeof(f->buf), &f->l);
	fc_encap(p, f, PKT_VXLAN, 0);
	f->flow = f->outer;
	f->l.inner_needed = SIZE_MAX;
}

const struct fcase fcases[] = {
	{ "tcp", FCASE_BOTH, fc_tcp },
	{ "udp", FCASE_BOTH, fc_udp },
	{ "sctp", FCASE_BOTH, fc_sctp },
	{ "esp", FCASE_BOTH, fc_esp },
	{ "icmp echo request", FCASE_BOTH, fc_echo },
	{ "icmp echo reply", FCASE_BOTH, fc_echo_reply },
	{ "icmp other", FCASE_BOTH, fc_icmp_other },
	{ "icmp unreachable", FCASE_BOTH, fc_unreach },
	{ "icmp packet too big", FCASE_BOTH, fc_too_big },
	{ "icmp time exceeded", FCASE_BOTH, fc_time_exceeded },
	{ "icmp parameter problem", FCASE_BOTH, fc_param_problem },
	{ "icmp error quoting echo", FCASE_BOTH, fc_error_quoting_echo },
	{ "icmp error quoting ext headers", FCASE_V6, fc_error_quoting_ext },
	{ "icmp error quoting a fragment", FCASE_BOTH, fc_error_quoting_fragment },
	{ "icmp error quoting the other version", FCASE_BOTH, fc_error_quoting_other_version },
	{ "fragment first", FCASE_BOTH, fc_fragment_first },
	{ "fragment middle", FCASE_BOTH, fc_fragment_middle },
	{ "fragment last", FCASE_BOTH, fc_fragment_last },
	{ "fragment between ext headers", FCASE_V6, fc_fragment_ext },
	{ "ext hop-by-hop", FCASE_V6, fc_ext_hbh },
	{ "ext hop-by-hop routing dstopts", FCASE_V6, fc_ext_three },
	{ "ext dstopts ah", FCASE_V6, fc_ext_ah },
	{ "ext then esp", FCASE_V6, fc_ext_esp },
	{ "ext then no next header", FCASE_V6, fc_ext_none },
	{ "ext at the bound", FCASE_V6, fc_ext_at_bound },
	{ "ext past the bound", FCASE_V6, fc_ext_past_bound },
	{ "ah in ipv4", FCASE_V4, fc_ah_v4 },
	{ "ipv4 options", FCASE_V4, fc_ipv4_options },
	{ "icmp error quoting ipv4 options", FCASE_V4, fc_error_quoting_options },
	{ "gre", FCASE_BOTH, fc_gre },
	{ "gre ethernet", FCASE_BOTH, fc_gre_teb },
	{ "erspan type I", FCASE_BOTH, fc_erspan1 },
	{ "erspan type II", FCASE_BOTH, fc_erspan2 },
	{ "erspan type III", FCASE_BOTH, fc_erspan3 },
	{ "erspan type III subheader", FCASE_BOTH, fc_erspan3_sub },
	{ "ip in ip", FCASE_BOTH, fc_ipip },
	{ "vxlan", FCASE_BOTH, fc_vxlan },
	{ "vxlan carrying an icmp error", FCASE_BOTH, fc_vxlan_icmp_error },
	{ "ip in ip carrying a fragment", FCASE_BOTH, fc_ipip_fragment },
	{ "vxlan carrying arp", FCASE_BOTH, fc_vxlan_arp },
};

const size_t fcases_count = sizeof(fcases) / sizeof(fcases[0]);

int fcase_build(const struct fcase *c, int v6, int n_vlans, __u64 *rng, struct fcase_frame *f)
{
	struct fcase_params p = { .v6 = v6, .n_vlans = n_vlans, .rng = rng };

	if (!(c->versions & (v6 ? FCASE_V6 : FCASE_V4)))
		return -1;
	memset(f, 0, sizeof(*f));
	f->expect = REDIRECT;
	f->tunnel = XDPLB_TUNNEL__COUNT;
	c->build(&p, f);
	return 0;
}
