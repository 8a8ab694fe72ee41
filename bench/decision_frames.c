// SPDX-License-Identifier: GPL-2.0
/* decision_frames.c: the frames of each parse path (see decision_frames.h). */
#include <string.h>
#include <arpa/inet.h>
#include <linux/in.h>
#include <linux/in6.h>

#include "bench/decision_frames.h"
#include "maps/xdplb_config.h"
#include "tests/pkt.h"

static void base_tcp(struct pkt_spec *s, int v6)
{
	memset(s, 0, sizeof(*s));
	s->v6 = v6;
	s->proto = IPPROTO_TCP;
	s->saddr4 = inet_addr("198.18.0.1");
	s->daddr4 = inet_addr("198.18.1.1");
	inet_pton(AF_INET6, "fd00::1", s->saddr6);
	inet_pton(AF_INET6, "fd00::2", s->daddr6);
	s->sport = htons(40000);
	s->dport = htons(80);
	s->payload = 6;
}

static struct cost_frame *cost_add(struct cost_frame *frames, size_t *n, const char *name,
				   __u32 flags)
{
	struct cost_frame *c = &frames[(*n)++];

	c->name = name;
	c->flags = flags;
	return c;
}

/* One frame of base_tcp(v6) with proto and n_vlans tags. */
static void cost_plain_flags(struct cost_frame *frames, size_t *n, const char *name, int v6,
			     __u8 proto, int n_vlans, __u32 flags)
{
	struct cost_frame *c = cost_add(frames, n, name, flags);
	struct pkt_spec s;
	size_t needed;

	base_tcp(&s, v6);
	s.proto = proto;
	s.n_vlans = n_vlans;
	c->len = pkt_build(&s, c->frame, COST_FRAME_MAX, &needed);
}

static void cost_plain(struct cost_frame *frames, size_t *n, const char *name, int v6,
		       __u8 proto, int n_vlans)
{
	cost_plain_flags(frames, n, name, v6, proto, n_vlans, 0);
}

size_t cost_build_frames(struct cost_frame *frames)
{
	size_t inner_len, inner_needed, n = 0;
	struct pkt_spec s, q, o;
	__u8 inner[COST_FRAME_MAX];
	struct pkt_layout l;
	struct cost_frame *c;

	cost_plain(frames, &n, "ipv4 tcp", 0, IPPROTO_TCP, 0);
	cost_plain(frames, &n, "ipv4 udp", 0, IPPROTO_UDP, 0);
	cost_plain(frames, &n, "ipv6 tcp", 1, IPPROTO_TCP, 0);
	cost_plain(frames, &n, "ipv6 udp", 1, IPPROTO_UDP, 0);
	cost_plain(frames, &n, "ipv4 tcp, vlan", 0, IPPROTO_TCP, 1);
	cost_plain(frames, &n, "ipv4 udp, vlan", 0, IPPROTO_UDP, 1);
	cost_plain(frames, &n, "ipv6 tcp, vlan", 1, IPPROTO_TCP, 1);
	cost_plain(frames, &n, "ipv6 udp, vlan", 1, IPPROTO_UDP, 1);
	/* A half whose every slot holds CPU 0: no hash, no table (one port, one CPU). */
	cost_plain_flags(frames, &n, "ipv4 udp, one target", 0, IPPROTO_UDP, 0,
			 XDPLB_HASH_F_ONE_TARGET);
	base_tcp(&s, 1);
	s.ext[0] = IPPROTO_HOPOPTS;
	s.ext[1] = IPPROTO_DSTOPTS;
	s.n_ext = 2;
	c = cost_add(frames, &n, "ipv6 tcp, 2 ext headers", 0);
	c->len = pkt_build(&s, c->frame, COST_FRAME_MAX, &l.needed);
	base_tcp(&s, 0);
	s.proto = IPPROTO_UDP;
	s.frag_off = 0x00b9;
	c = cost_add(frames, &n, "ipv4 udp fragment", 0);
	c->len = pkt_build(&s, c->frame, COST_FRAME_MAX, &l.needed);
	base_tcp(&q, 0);
	base_tcp(&o, 0);
	o.saddr4 = inet_addr("198.18.9.9");
	c = cost_add(frames, &n, "ipv4 icmp error", 0);
	pkt_build_icmp_error(&o, 3, &q, c->frame, COST_FRAME_MAX, &l);
	c->len = l.len;
	inner_len = pkt_build(&q, inner, sizeof(inner), &inner_needed);
	c = cost_add(frames, &n, "vxlan, --inner", XDPLB_HASH_F_INNER);
	pkt_build_tunnel(&o, PKT_VXLAN, 0, inner, inner_len, inner_needed, c->frame,
			 COST_FRAME_MAX, &l);
	c->len = l.len;
	base_tcp(&o, 0);
	c = cost_add(frames, &n, "erspan III, --inner", XDPLB_HASH_F_INNER);
	pkt_build_tunnel(&o, PKT_ERSPAN3, 0, inner, inner_len, inner_needed, c->frame,
			 COST_FRAME_MAX, &l);
	c->len = l.len;
	return n;
}
