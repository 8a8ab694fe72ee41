// SPDX-License-Identifier: GPL-2.0
/* which_frame.c: builds the frame of a --which query, innermost first: the L4 header of the
 * flow, its IP packet (extension headers, fragment), the ICMP error quoting it, the tunnel
 * carrying it, the Ethernet header with its tags. The data path then decides on it as on
 * any frame: nothing here says where it goes. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/options.h"
#include "cmd/which_frame.h"
#include "sys/log.h"

#define XDPLB_ETH_P_IP		0x0800
#define XDPLB_ETH_P_IPV6	0x86dd
#define XDPLB_ETH_P_8021Q	0x8100
#define XDPLB_ETH_P_8021AD	0x88a8
#define XDPLB_VXLAN_PORT	4789
/* A later fragment's offset (8-byte units): the second of a 1500-byte MTU. */
#define XDPLB_LATER_OFFSET	185
#define XDPLB_PAYLOAD		16

struct xdplb_bytes {
	__u8 b[XDPLB_WHICH_FRAME_MAX];
	size_t len;
};

static void xdplb_put(struct xdplb_bytes *o, const void *p, size_t n)
{
	if (o->len + n > sizeof(o->b))
		n = sizeof(o->b) - o->len;
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static void xdplb_put16(struct xdplb_bytes *o, __u16 v)
{
	__u16 be = htons(v);

	xdplb_put(o, &be, 2);
}

static void xdplb_put32(struct xdplb_bytes *o, __u32 v)
{
	__u32 be = htonl(v);

	xdplb_put(o, &be, 4);
}

static __u16 xdplb_csum(const __u8 *p, size_t n)
{
	__u32 s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (__u32)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

/* The L4 header the flow's ports come from, and a little payload. */
static void xdplb_l4(const struct xdplb_flow *f, struct xdplb_bytes *o)
{
	static const __u8 zeros[XDPLB_PAYLOAD];

	o->len = 0;
	if (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP || f->proto == IPPROTO_SCTP) {
		xdplb_put(o, &f->sport, 2);
		xdplb_put(o, &f->dport, 2);
	}
	if (f->proto == IPPROTO_TCP) {
		xdplb_put32(o, 1);
		xdplb_put32(o, 0);
		xdplb_put16(o, 0x5010);		/* 5 words, ACK */
		xdplb_put16(o, 1024);
		xdplb_put32(o, 0);
	} else if (f->proto == IPPROTO_UDP) {
		xdplb_put16(o, 8 + XDPLB_PAYLOAD);
		xdplb_put16(o, 0);
	} else if (f->proto == IPPROTO_SCTP) {
		xdplb_put32(o, 7);
		xdplb_put32(o, 0);
	} else if (f->proto == IPPROTO_ESP) {
		xdplb_put(o, &f->sport, 2);	/* the SPI's halves, as the parser reads them */
		xdplb_put(o, &f->dport, 2);
		xdplb_put32(o, 1);
	} else if (f->proto == (f->is_v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP)) {
		xdplb_put16(o, f->is_v6 ? 128 << 8 : 8 << 8);	/* echo request, code 0 */
		xdplb_put16(o, 0);
		xdplb_put(o, &f->sport, 2);	/* the identifier */
		xdplb_put16(o, 1);
	}
	xdplb_put(o, zeros, XDPLB_PAYLOAD);
}

static void xdplb_ip6_ext(struct xdplb_bytes *o, __u8 next, __u8 kind)
{
	static const __u8 padn[6] = { 1, 4 };	/* PadN over the 6 bytes left */
	static const __u8 route[6] = { 0, 0 };	/* type 0, no segment left */

	xdplb_put(o, &next, 1);
	xdplb_put(o, "", 1);			/* 8 bytes long */
	xdplb_put(o, kind == IPPROTO_ROUTING ? route : padn, 6);
}

static void xdplb_ip6(struct xdplb_bytes *o, const __u32 *src, const __u32 *dst, __u8 proto,
		      const struct xdplb_bytes *pl, const struct xdplb_which_wrap *w)
{
	int n_ext = w ? w->n_ext : 0, frag = w && w->frag != XDPLB_FRAG_NONE, i;
	__u8 first = n_ext ? w->ext[0] : frag ? IPPROTO_FRAGMENT : proto;

	xdplb_put32(o, 6u << 28);
	xdplb_put16(o, (__u16)(pl->len + 8 * (n_ext + frag)));
	xdplb_put(o, &first, 1);
	xdplb_put(o, "\x40", 1);
	xdplb_put(o, src, 16);
	xdplb_put(o, dst, 16);
	for (i = 0; i < n_ext; i++)
		xdplb_ip6_ext(o, i + 1 < n_ext ? w->ext[i + 1] : frag ? IPPROTO_FRAGMENT : proto,
			      w->ext[i]);
	if (frag) {
		xdplb_put(o, &proto, 1);
		xdplb_put(o, "", 1);
		xdplb_put16(o, w->frag == XDPLB_FRAG_FIRST ? 1 : XDPLB_LATER_OFFSET << 3);
		xdplb_put32(o, 0x1234);
	}
	xdplb_put(o, pl->b, pl->len);
}

static void xdplb_ip4(struct xdplb_bytes *o, const __u32 *src, const __u32 *dst, __u8 proto,
		      const struct xdplb_bytes *pl, const struct xdplb_which_wrap *w)
{
	enum xdplb_which_frag frag = w ? w->frag : XDPLB_FRAG_NONE;
	size_t start = o->len;
	__u16 sum;

	xdplb_put16(o, 0x4500);
	xdplb_put16(o, (__u16)(20 + pl->len));
	xdplb_put16(o, 0x1234);
	xdplb_put16(o, frag == XDPLB_FRAG_FIRST ? 0x2000 : frag == XDPLB_FRAG_LATER ? XDPLB_LATER_OFFSET : 0);
	xdplb_put(o, "\x40", 1);
	xdplb_put(o, &proto, 1);
	xdplb_put16(o, 0);
	xdplb_put(o, src, 4);
	xdplb_put(o, dst, 4);
	sum = htons(xdplb_csum(o->b + start, 20));
	memcpy(o->b + start + 10, &sum, 2);
	xdplb_put(o, pl->b, pl->len);
}

/* An IP packet of payload pl; w (extension headers, fragment) applies to the flow's own. */
static void xdplb_ip(struct xdplb_bytes *o, bool v6, const __u32 *src, const __u32 *dst,
		     __u8 proto, const struct xdplb_bytes *pl, const struct xdplb_which_wrap *w)
{
	o->len = 0;
	if (v6)
		xdplb_ip6(o, src, dst, proto, pl, w);
	else
		xdplb_ip4(o, src, dst, proto, pl, w);
}

/* The error the destination sends back (port unreachable), quoting the packet's headers
 * and 8 bytes beyond, as routers and hosts do. */
static void xdplb_icmp_error(const struct xdplb_flow *f, struct xdplb_bytes *pkt, size_t hdrs)
{
	struct xdplb_bytes err = { .len = 0 };
	size_t quote = hdrs + 8 < pkt->len ? hdrs + 8 : pkt->len;

	xdplb_put16(&err, f->is_v6 ? 1 << 8 | 4 : 3 << 8 | 3);
	xdplb_put16(&err, 0);
	xdplb_put32(&err, 0);
	xdplb_put(&err, pkt->b, quote);
	xdplb_ip(pkt, f->is_v6, f->dst, f->src, f->is_v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, &err, NULL);
}

static void xdplb_eth(struct xdplb_bytes *o, const __u16 *vlans, int n_vlans, bool v6)
{
	static const __u8 macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	int i;

	xdplb_put(o, macs, sizeof(macs));
	for (i = 0; i < n_vlans; i++) {
		xdplb_put16(o, n_vlans > 1 && !i ? XDPLB_ETH_P_8021AD : XDPLB_ETH_P_8021Q);
		xdplb_put16(o, vlans[i]);
	}
	xdplb_put16(o, v6 ? XDPLB_ETH_P_IPV6 : XDPLB_ETH_P_IP);
}

static void xdplb_tunnel(const struct xdplb_which_wrap *w, bool inner_v6, struct xdplb_bytes *pkt)
{
	struct xdplb_bytes in = { .len = 0 };
	__u8 proto = IPPROTO_GRE;

	if (w->tunnel == XDPLB_TUN_GRE) {
		xdplb_put16(&in, 0);
		xdplb_put16(&in, inner_v6 ? XDPLB_ETH_P_IPV6 : XDPLB_ETH_P_IP);
	} else if (w->tunnel == XDPLB_TUN_VXLAN) {
		proto = IPPROTO_UDP;
		xdplb_put16(&in, w->outer_sport);
		xdplb_put16(&in, XDPLB_VXLAN_PORT);
		xdplb_put16(&in, (__u16)(8 + 8 + 14 + pkt->len));
		xdplb_put16(&in, 0);
		xdplb_put32(&in, 0x08000000);	/* a VNI follows */
		xdplb_put32(&in, 1 << 8);
		xdplb_eth(&in, NULL, 0, inner_v6);
	} else {
		proto = inner_v6 ? IPPROTO_IPV6 : IPPROTO_IPIP;
	}
	xdplb_put(&in, pkt->b, pkt->len);
	xdplb_ip(pkt, w->outer_v6, w->outer_src, w->outer_dst, proto, &in, NULL);
}

size_t xdplb_which_frame(const struct xdplb_flow *f, const struct xdplb_which_wrap *w, __u8 *buf)
{
	struct xdplb_bytes l4, pkt, eth = { .len = 0 };
	bool v6 = f->is_v6;

	xdplb_l4(f, &l4);
	xdplb_ip(&pkt, f->is_v6, f->src, f->dst, f->proto, &l4, w);
	if (w->icmp_error)
		xdplb_icmp_error(f, &pkt, pkt.len - l4.len);
	if (w->tunnel != XDPLB_TUN_NONE) {
		xdplb_tunnel(w, f->is_v6, &pkt);
		v6 = w->outer_v6;
	}
	xdplb_eth(&eth, w->vlans, w->n_vlans, v6);
	xdplb_put(&eth, pkt.b, pkt.len);
	memcpy(buf, eth.b, eth.len);
	return eth.len;
}

#define XDPLB_WRAP_WORDS "after PROTO SRC DST: vlan:N, hbh, routing, dstopts, first-frag, frag, " \
			 "icmp-error, gre:OSRC,ODST, ipip:OSRC,ODST, vxlan:OSRC,ODST[,SPORT]"

/* gre:OSRC,ODST and the others: the outer addresses, one family, and VXLAN's source port. */
static int xdplb_parse_tunnel(const char *word, const char *spec, struct xdplb_which_wrap *w)
{
	char buf[2 * INET6_ADDRSTRLEN + 8], *dst, *port;
	__u32 sport = XDPLB_VXLAN_PORT;

	snprintf(buf, sizeof(buf), "%s", spec);
	dst = strchr(buf, ',');
	if (!dst)
		return usage_err("--which", word, "the outer addresses: KIND:OSRC,ODST");
	*dst++ = '\0';
	port = strchr(dst, ',');
	if (port) {
		*port++ = '\0';
		if (w->tunnel != XDPLB_TUN_VXLAN ||
		    xdplb_parse_u32("--which", port, 1, 65535, &sport))
			return usage_err("--which", word, "a source port goes with vxlan only, 1..65535");
	}
	w->outer_v6 = strchr(buf, ':') != NULL;
	if (inet_pton(w->outer_v6 ? AF_INET6 : AF_INET, buf, w->outer_src) != 1 ||
	    inet_pton(w->outer_v6 ? AF_INET6 : AF_INET, dst, w->outer_dst) != 1)
		return usage_err("--which", word, "outer addresses of one family: 198.18.9.1,198.18.9.2 "
				 "or fd00:9::1,fd00:9::2");
	w->outer_sport = (__u16)sport;
	return 0;
}

static int xdplb_parse_wrap_word(const char *word, const struct xdplb_flow *f,
				 struct xdplb_which_wrap *w)
{
	static const struct { const char *name; __u8 ext; } exts[] = {
		{ "hbh", IPPROTO_HOPOPTS }, { "routing", IPPROTO_ROUTING }, { "dstopts", IPPROTO_DSTOPTS },
	};
	static const char *const tunnels[] = { "gre:", "ipip:", "vxlan:" };
	__u32 vid;
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		if (strcmp(word, exts[i].name))
			continue;
		if (!f->is_v6 || w->n_ext == XDPLB_WHICH_EXTS)
			return usage_err("--which", word, "IPv6 extension headers, up to %d, with an IPv6 flow",
					 XDPLB_WHICH_EXTS);
		w->ext[w->n_ext++] = exts[i].ext;
		return 0;
	}
	for (i = 0; i < sizeof(tunnels) / sizeof(tunnels[0]); i++) {
		if (strncmp(word, tunnels[i], strlen(tunnels[i])))
			continue;
		if (w->tunnel != XDPLB_TUN_NONE)
			return usage_err("--which", word, "one tunnel per query");
		w->tunnel = (enum xdplb_which_tunnel)(XDPLB_TUN_GRE + i);
		return xdplb_parse_tunnel(word, word + strlen(tunnels[i]), w);
	}
	if (!strncmp(word, "vlan:", 5)) {
		if (w->n_vlans == XDPLB_WHICH_VLANS)
			return usage_err("--which", word, "up to %d VLAN tags", XDPLB_WHICH_VLANS);
		if (xdplb_parse_u32("--which", word + 5, 0, 4095, &vid))
			return -XDPLB_EUSAGE;
		w->vlans[w->n_vlans++] = (__u16)vid;
		return 0;
	}
	if (!strcmp(word, "frag") || !strcmp(word, "first-frag")) {
		if (w->frag != XDPLB_FRAG_NONE)
			return usage_err("--which", word, "one of first-frag or frag");
		w->frag = word[0] == 'f' && word[1] == 'i' ? XDPLB_FRAG_FIRST : XDPLB_FRAG_LATER;
		return 0;
	}
	if (!strcmp(word, "icmp-error")) {
		w->icmp_error = true;
		return 0;
	}
	return usage_err("--which", word, XDPLB_WRAP_WORDS);
}

int xdplb_which_parse_wrap(char *const *words, int n, const struct xdplb_flow *f,
			   struct xdplb_which_wrap *w)
{
	int i, err = 0;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < n && !err; i++)
		err = xdplb_parse_wrap_word(words[i], f, w);
	return err;
}
