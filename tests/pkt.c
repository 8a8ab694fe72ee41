// SPDX-License-Identifier: GPL-2.0
/* pkt.c: test frame builder (see pkt.h). Checksums are not filled: the data path under
 * test never reads them. */
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>

#include "pkt.h"

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

static int pkt_has_ports(const struct pkt_spec *s)
{
	return (s->proto == IPPROTO_TCP || s->proto == IPPROTO_UDP || s->proto == 132) &&
	       !(!s->v6 && (s->frag_off & 0x3fff));
}

void pkt_flow(const struct pkt_spec *s, struct xdplb_flow *f)
{
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
	if (pkt_has_ports(s)) {
		f->sport = s->sport;
		f->dport = s->dport;
	}
}

size_t pkt_build(const struct pkt_spec *s, __u8 *buf, size_t cap, size_t *needed)
{
	static const __u8 dmac[6] = { 0x02, 0, 0, 0, 0, 2 }, smac[6] = { 0x02, 0, 0, 0, 0, 1 };
	size_t off = 0, l4_len, i;
	__u16 ethertype = s->arp ? ETH_P_ARP : s->v6 ? ETH_P_IPV6 : ETH_P_IP;

	memset(buf, 0, cap);
	memcpy(buf, dmac, 6);
	memcpy(buf + 6, smac, 6);
	off = 12;
	for (i = 0; i < (size_t)s->n_vlans; i++) {
		__u16 tpid = (s->n_vlans >= 2 && i == 0) ? ETH_P_8021AD : ETH_P_8021Q;

		*(__u16 *)(buf + off) = htons(tpid);
		*(__u16 *)(buf + off + 2) = htons((__u16)(100 + i));
		off += 4;
	}
	*(__u16 *)(buf + off) = htons(ethertype);
	off += 2;
	if (s->arp) {
		memset(buf + off, 0x11, 28);
		*needed = off;
		return off + 28;
	}
	l4_len = s->proto == IPPROTO_TCP ? 20 : 8;
	if (s->v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(buf + off);

		ip6->version = 6;
		ip6->nexthdr = s->proto;
		ip6->hop_limit = 64;
		ip6->payload_len = htons((__u16)(l4_len + s->payload));
		memcpy(&ip6->saddr, s->saddr6, 16);
		memcpy(&ip6->daddr, s->daddr6, 16);
		off += sizeof(*ip6);
	} else {
		struct iphdr *ip = (struct iphdr *)(buf + off);
		int ihl = s->ihl ? s->ihl : 5;

		ip->version = 4;
		ip->ihl = ihl;
		ip->ttl = 64;
		ip->protocol = s->proto;
		ip->frag_off = htons(s->frag_off);
		ip->tot_len = htons((__u16)(ihl * 4 + l4_len + s->payload));
		ip->saddr = s->saddr4;
		ip->daddr = s->daddr4;
		off += ihl * 4;
	}
	*needed = pkt_has_ports(s) ? off + 4 : off;
	*(__u16 *)(buf + off) = s->sport;
	*(__u16 *)(buf + off + 2) = s->dport;
	if (s->proto == IPPROTO_TCP)
		buf[off + 12] = 5 << 4;
	off += l4_len + s->payload;
	return off < cap ? off : cap;
}
