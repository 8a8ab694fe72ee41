// SPDX-License-Identifier: GPL-2.0
/* pkt.c: test frame builder (see pkt.h). Checksums are not filled: the data path under
 * test never reads them. */
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>

#include "pkt.h"

#define PKT_ICMP_ECHOREPLY	0
#define PKT_ICMP_ECHO		8
#define PKT_ICMPV6_ECHO		128
#define PKT_ICMPV6_ECHOREPLY	129

__u64 pkt_rand(__u64 *state)
{
	/* splitmix64: deterministic across machines, good enough for test inputs. */
	__u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void pkt_random_spec(struct pkt_spec *spec, __u64 *rng, int v6)
{
	__u64 r = pkt_rand(rng);

	memset(spec, 0, sizeof(*spec));
	spec->v6 = v6;
	spec->proto = (r & 1) ? IPPROTO_TCP : IPPROTO_UDP;
	spec->sport = (__u16)(r >> 8);
	spec->dport = (__u16)(r >> 24);
	/* Addresses stay in the test ranges 198.18.0.0/15 and fd00::/8. */
	spec->saddr4 = htonl(0xc6120000 | (__u32)((r >> 40) & 0x1ffff));
	spec->daddr4 = htonl(0xc6120000 | (__u32)(pkt_rand(rng) & 0x1ffff));
	r = pkt_rand(rng);
	memcpy(spec->saddr6 + 8, &r, 8);
	r = pkt_rand(rng);
	memcpy(spec->daddr6 + 8, &r, 8);
	spec->saddr6[0] = spec->daddr6[0] = 0xfd;
}

void pkt_spec_reverse(const struct pkt_spec *s, struct pkt_spec *r)
{
	*r = *s;
	r->saddr4 = s->daddr4;
	r->daddr4 = s->saddr4;
	memcpy(r->saddr6, s->daddr6, 16);
	memcpy(r->daddr6, s->saddr6, 16);
	r->sport = s->dport;
	r->dport = s->sport;
}

void pkt_flow_reverse(const struct xdplb_flow *f, struct xdplb_flow *r)
{
	*r = *f;
	memcpy(r->src, f->dst, sizeof(r->src));
	memcpy(r->dst, f->src, sizeof(r->dst));
	r->sport = f->dport;
	r->dport = f->sport;
}

/* Protocols whose first four bytes the parser takes as ports (ESP: its SPI). */
static int pkt_has_ports(__u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_ESP;
}

static int pkt_is_icmp(const struct pkt_spec *s)
{
	return s->proto == (s->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
}

static int pkt_is_echo(const struct pkt_spec *s)
{
	if (!pkt_is_icmp(s))
		return 0;
	if (s->v6)
		return s->icmp_type == PKT_ICMPV6_ECHO || s->icmp_type == PKT_ICMPV6_ECHOREPLY;
	return s->icmp_type == PKT_ICMP_ECHO || s->icmp_type == PKT_ICMP_ECHOREPLY;
}

/* Index of the IPv6 fragment header in spec->ext, or -1. */
static int pkt_frag6_index(const struct pkt_spec *s)
{
	int i;

	for (i = 0; s->v6 && i < s->n_ext; i++)
		if (s->ext[i] == IPPROTO_FRAGMENT)
			return i;
	return -1;
}

static int pkt_is_fragment(const struct pkt_spec *s)
{
	return s->v6 ? pkt_frag6_index(s) >= 0 : (s->frag_off & 0x3fff) != 0;
}

void pkt_flow(const struct pkt_spec *s, struct xdplb_flow *f)
{
	int frag = pkt_frag6_index(s);

	memset(f, 0, sizeof(*f));
	f->proto = s->proto;
	f->is_v6 = !!s->v6;
	if (s->v6) {
		memcpy(f->src, s->saddr6, 16);
		memcpy(f->dst, s->daddr6, 16);
	} else {
		f->src[0] = s->saddr4;
		f->dst[0] = s->daddr4;
	}
	/* A fragment hashes on what every fragment carries: the fragment header's next
	 * header, the first one of the fragmentable part. */
	if (frag >= 0)
		f->proto = frag + 1 < s->n_ext ? s->ext[frag + 1] : s->proto;
	if (pkt_is_fragment(s))
		return;
	if (pkt_has_ports(s->proto)) {
		f->sport = s->sport;
		f->dport = s->dport;
	} else if (pkt_is_echo(s)) {
		f->sport = f->dport = s->sport;
	}
}

/* Bytes of one extension header of each kind as this builder writes it, and the value of
 * its length field. Lengths differ so that each kind's own length rule is exercised. */
static size_t pkt_ext_len(__u8 type, __u8 *len_field)
{
	switch (type) {
	case IPPROTO_ROUTING:
		*len_field = 2;
		return 24;
	case IPPROTO_DSTOPTS:
		*len_field = 1;
		return 16;
	case IPPROTO_FRAGMENT:
		*len_field = 0;
		return 8;
	case IPPROTO_AH:
		*len_field = 4;		/* in 4-byte words, minus 2: a 96-bit ICV */
		return 24;
	default:
		*len_field = 0;
		return 8;
	}
}

static size_t pkt_l4_len(__u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return 20;
	case IPPROTO_SCTP:
		return 12;
	case IPPROTO_UDP:
	case IPPROTO_ESP:
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return 8;
	default:
		return 0;	/* GRE, IP-in-IP, ...: data starts right after the IP header */
	}
}

static size_t pkt_write_eth(const struct pkt_spec *s, __u8 *buf)
{
	static const __u8 dmac[6] = { 0x02, 0, 0, 0, 0, 2 }, smac[6] = { 0x02, 0, 0, 0, 0, 1 };
	__u16 ethertype = s->arp ? ETH_P_ARP : s->v6 ? ETH_P_IPV6 : ETH_P_IP;
	size_t off = 12, i;

	memcpy(buf, dmac, 6);
	memcpy(buf + 6, smac, 6);
	for (i = 0; i < (size_t)s->n_vlans; i++) {
		__u16 tpid = (s->n_vlans >= 2 && i == 0) ? ETH_P_8021AD : ETH_P_8021Q;

		*(__u16 *)(buf + off) = htons(tpid);
		*(__u16 *)(buf + off + 2) = htons((__u16)(100 + i));
		off += 4;
	}
	*(__u16 *)(buf + off) = htons(ethertype);
	return off + 2;
}

/* IPv6 header and extension headers; returns their length, *frag_end the end of the
 * fragment header (where the parser stops) or 0. */
static size_t pkt_write_ipv6(const struct pkt_spec *s, __u8 *buf, size_t l4_total,
			     size_t *frag_end)
{
	struct ipv6hdr *ip6 = (struct ipv6hdr *)buf;
	size_t off = sizeof(*ip6), len;
	__u8 len_field;
	int i;

	*frag_end = 0;
	ip6->version = 6;
	ip6->nexthdr = s->n_ext ? s->ext[0] : s->proto;
	ip6->hop_limit = 64;
	memcpy(&ip6->saddr, s->saddr6, 16);
	memcpy(&ip6->daddr, s->daddr6, 16);
	for (i = 0; i < s->n_ext; i++) {
		len = pkt_ext_len(s->ext[i], &len_field);
		buf[off] = i + 1 < s->n_ext ? s->ext[i + 1] : s->proto;
		buf[off + 1] = len_field;
		if (s->ext[i] == IPPROTO_FRAGMENT) {
			*(__u16 *)(buf + off + 2) = htons(s->frag6);
			*(__u32 *)(buf + off + 4) = htonl(0x1d2e3f);
			if (!*frag_end)
				*frag_end = off + len;
		}
		off += len;
	}
	ip6->payload_len = htons((__u16)(off - sizeof(*ip6) + l4_total));
	return off;
}

/* Options as routers meet them: a Router Alert (RFC 2113, what IGMP and RSVP carry), then
 * no-operation padding and an end of list. The parser steps over them by IHL alone. */
static void pkt_write_ipv4_options(__u8 *opt, size_t len)
{
	static const __u8 router_alert[] = { 0x94, 0x04, 0x00, 0x00 };
	size_t i = 0;

	if (len >= sizeof(router_alert)) {
		memcpy(opt, router_alert, sizeof(router_alert));
		i = sizeof(router_alert);
	}
	for (; i < len; i++)
		opt[i] = i + 1 < len ? 0x01 : 0x00;
}

static size_t pkt_write_ipv4(const struct pkt_spec *s, __u8 *buf, size_t l4_total)
{
	struct iphdr *ip = (struct iphdr *)buf;
	int ihl = s->ihl ? s->ihl : 5;

	ip->version = 4;
	ip->ihl = ihl;
	ip->ttl = 64;
	ip->protocol = s->proto;
	ip->frag_off = htons(s->frag_off);
	ip->tot_len = htons((__u16)(ihl * 4 + l4_total));
	ip->saddr = s->saddr4;
	ip->daddr = s->daddr4;
	pkt_write_ipv4_options(buf + sizeof(*ip), (size_t)ihl * 4 - sizeof(*ip));
	return ihl * 4;
}

void pkt_build_layout(const struct pkt_spec *s, __u8 *buf, size_t cap, struct pkt_layout *l)
{
	static __u8 frame[8192];
	size_t off = 0, l4_len = pkt_l4_len(s->proto), frag_end = 0;
	size_t body = s->data ? s->data_len : s->payload;

	memset(frame, 0, sizeof(frame));
	memset(l, 0, sizeof(*l));
	if (!s->no_eth)
		off = pkt_write_eth(s, frame);
	if (s->arp) {
		memset(frame + off, 0x11, 28);
		l->needed = off;
		l->len = off + 28 < cap ? off + 28 : cap;
		memcpy(buf, frame, l->len);
		return;
	}
	if (s->v6) {
		size_t ip_off = off;

		off += pkt_write_ipv6(s, frame + off, l4_len + body, &frag_end);
		if (frag_end)
			frag_end += ip_off;
	} else {
		off += pkt_write_ipv4(s, frame + off, l4_len + body);
	}
	l->l4_off = off;
	if (pkt_is_fragment(s))
		l->needed = s->v6 ? frag_end : off;
	else if (pkt_has_ports(s->proto))
		l->needed = off + 4;
	else if (pkt_is_icmp(s))
		l->needed = off + 8 + (pkt_is_echo(s) ? 0 : s->data_needed);
	else
		l->needed = off;
	if (pkt_is_icmp(s)) {
		frame[off] = s->icmp_type;
		frame[off + 1] = s->icmp_code;
		*(__u16 *)(frame + off + 4) = s->sport;
		*(__u16 *)(frame + off + 6) = htons(1);
	} else if (l4_len) {
		*(__u16 *)(frame + off) = s->sport;
		*(__u16 *)(frame + off + 2) = s->dport;
		if (s->proto == IPPROTO_TCP)
			frame[off + 12] = 5 << 4;
	}
	off += l4_len;
	l->data_off = off;
	if (s->data && off + s->data_len <= sizeof(frame))
		memcpy(frame + off, s->data, s->data_len);
	off += body;
	l->len = off < cap ? off : cap;
	memset(buf, 0, cap);
	memcpy(buf, frame, l->len);
}

size_t pkt_build(const struct pkt_spec *s, __u8 *buf, size_t cap, size_t *needed)
{
	struct pkt_layout l;

	pkt_build_layout(s, buf, cap, &l);
	*needed = l.needed;
	return l.len;
}

#define PKT_GRE_CSUM	0x8000
#define PKT_GRE_KEY	0x2000
#define PKT_GRE_SEQ	0x1000

const char *const pkt_tunnel_names[PKT_TUNNEL__COUNT] = {
	"gre", "gre-teb", "erspan1", "erspan2", "erspan3", "erspan3+sub", "ipip", "vxlan",
};

static size_t pkt_gre(__u8 *buf, __u16 flags, __u16 proto)
{
	size_t off = 4;

	*(__u16 *)buf = htons(flags);
	*(__u16 *)(buf + 2) = htons(proto);
	if (flags & PKT_GRE_CSUM) {
		memset(buf + off, 0, 4);
		off += 4;
	}
	if (flags & PKT_GRE_KEY) {
		*(__u32 *)(buf + off) = htonl(0xabcd);
		off += 4;
	}
	if (flags & PKT_GRE_SEQ) {
		*(__u32 *)(buf + off) = htonl(77);
		off += 4;
	}
	return off;
}

/* ERSPAN type II: version 1, VLAN 0, session 1, index 0. */
static size_t pkt_erspan2(__u8 *buf)
{
	memset(buf, 0, 8);
	buf[0] = 1 << 4;
	buf[3] = 1;
	return 8;
}

/* ERSPAN type III: version 2, session 1, a timestamp; the O bit announces the 8-byte
 * platform-specific subheader. */
static size_t pkt_erspan3(__u8 *buf, int subheader)
{
	memset(buf, 0, 20);
	buf[0] = 2 << 4;
	buf[3] = 1;
	*(__u32 *)(buf + 4) = htonl(123456);
	if (!subheader)
		return 12;
	buf[11] = 1;
	memset(buf + 12, 0x5a, 8);
	return 20;
}

/* The UDP header's other half (length, checksum) stays in the outer builder's zeros; the
 * VXLAN header follows it. */
static size_t pkt_vxlan(__u8 *buf, __u32 vni)
{
	memset(buf, 0, 8);
	buf[0] = 0x08;		/* I: the VNI is valid */
	buf[4] = (__u8)(vni >> 16);
	buf[5] = (__u8)(vni >> 8);
	buf[6] = (__u8)vni;
	return 8;
}

int pkt_tunnel_has_eth(enum pkt_tunnel kind)
{
	return kind != PKT_GRE && kind != PKT_IPIP;
}

static size_t pkt_tunnel_hdr(enum pkt_tunnel kind, int inner_v6, __u8 *buf)
{
	size_t len;

	switch (kind) {
	case PKT_GRE:
		return pkt_gre(buf, PKT_GRE_CSUM | PKT_GRE_KEY | PKT_GRE_SEQ,
			       inner_v6 ? ETH_P_IPV6 : ETH_P_IP);
	case PKT_GRE_TEB:
		return pkt_gre(buf, PKT_GRE_KEY, ETH_P_TEB);
	case PKT_ERSPAN1:
		return pkt_gre(buf, 0, ETH_P_ERSPAN);
	case PKT_ERSPAN2:
		len = pkt_gre(buf, PKT_GRE_SEQ, ETH_P_ERSPAN);
		return len + pkt_erspan2(buf + len);
	case PKT_ERSPAN3:
	case PKT_ERSPAN3_SUB:
		len = pkt_gre(buf, PKT_GRE_SEQ, ETH_P_ERSPAN2);
		return len + pkt_erspan3(buf + len, kind == PKT_ERSPAN3_SUB);
	case PKT_VXLAN:
		return pkt_vxlan(buf, 42);
	default:
		return 0;
	}
}

void pkt_build_tunnel(struct pkt_spec *outer, enum pkt_tunnel kind, int inner_v6,
		      const __u8 *inner, size_t inner_len, size_t inner_needed,
		      __u8 *buf, size_t cap, struct pkt_layout *l)
{
	static __u8 data[4096];
	size_t hdr_len = pkt_tunnel_hdr(kind, inner_v6, data);

	if (hdr_len + inner_len > sizeof(data))
		inner_len = sizeof(data) - hdr_len;
	memcpy(data + hdr_len, inner, inner_len);
	if (kind == PKT_VXLAN) {
		outer->proto = IPPROTO_UDP;
		outer->dport = htons(4789);
	} else if (kind == PKT_IPIP) {
		outer->proto = inner_v6 ? IPPROTO_IPV6 : IPPROTO_IPIP;
	} else {
		outer->proto = IPPROTO_GRE;
	}
	outer->data = data;
	outer->data_len = hdr_len + inner_len;
	pkt_build_layout(outer, buf, cap, l);
	l->inner_needed = l->data_off + hdr_len + inner_needed;
}

void pkt_build_icmp_error(const struct pkt_spec *outer, __u8 type, const struct pkt_spec *quote,
			  __u8 *buf, size_t cap, struct pkt_layout *l)
{
	static __u8 data[4096];
	struct pkt_spec o = *outer, q = *quote;
	struct pkt_layout ql;

	q.no_eth = 1;
	pkt_build_layout(&q, data, sizeof(data), &ql);
	o.proto = outer->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	o.icmp_type = type;
	o.data = data;
	o.data_len = ql.len;
	o.data_needed = ql.needed;
	pkt_build_layout(&o, buf, cap, l);
}
