// SPDX-License-Identifier: GPL-2.0
/* which.c: --which. The flow is built from the words as kern/parse.h fills it from a
 * packet, hashed by kern/flow_hash.h, and looked up in the live table as xdplb_rx does, so
 * the answer is the data path's own, not a model of it. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bpf/bpf.h>

#include "cmd/options.h"
#include "cmd/which.h"
#include "core/pins.h"
#include "core/recover.h"
#include "core/reconfig.h"
#include "core/table.h"
#include "sys/log.h"

#define XDPLB_WHICH_ADDR_FORM "an IPv4 address (198.18.0.1:80), or IPv6 in brackets ([fd00::1]:80)"

static const struct {
	const char *name;
	__u8 proto;
} xdplb_which_protos[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "sctp", IPPROTO_SCTP },
	{ "icmp", IPPROTO_ICMP }, { "icmpv6", IPPROTO_ICMPV6 }, { "esp", IPPROTO_ESP },
};

static int xdplb_which_proto(const char *s, __u8 *proto)
{
	size_t i;
	__u32 v;
	int err;

	for (i = 0; i < sizeof(xdplb_which_protos) / sizeof(xdplb_which_protos[0]); i++) {
		if (!strcmp(s, xdplb_which_protos[i].name)) {
			*proto = xdplb_which_protos[i].proto;
			return 0;
		}
	}
	if (!isdigit((unsigned char)*s))
		return usage_err("--which", s, "a protocol: tcp, udp, sctp, icmp, icmpv6, esp or a number 0..255");
	err = xdplb_parse_u32("--which", s, 0, 255, &v);
	*proto = (__u8)v;
	return err;
}

/* One side of the flow: ADDR4[:N], [ADDR6][:N] or a bare ADDR6. */
struct xdplb_which_end {
	const char *arg;
	bool v6;
	const char *num;	/* after the colon; NULL when not given */
};

/* addr is left in network order, as the packet carries it. */
static int xdplb_which_endpoint(const char *arg, __u32 *addr, struct xdplb_which_end *e)
{
	const char *s = arg, *colon = strrchr(s, ':');
	char host[INET6_ADDRSTRLEN + 1];
	size_t len;

	e->arg = arg;
	e->num = NULL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || (close[1] && close[1] != ':'))
			return usage_err("--which", arg, XDPLB_WHICH_ADDR_FORM);
		len = (size_t)(close - s - 1);
		e->num = close[1] ? close + 2 : NULL;
		s++;
		e->v6 = true;
	} else if (colon && colon != strchr(s, ':')) {
		len = strlen(s);
		e->v6 = true;
	} else {
		len = colon ? (size_t)(colon - s) : strlen(s);
		e->num = colon ? colon + 1 : NULL;
		e->v6 = false;
	}
	if (len >= sizeof(host))
		return usage_err("--which", arg, XDPLB_WHICH_ADDR_FORM);
	memcpy(host, s, len);
	host[len] = '\0';
	if (inet_pton(e->v6 ? AF_INET6 : AF_INET, host, addr) != 1)
		return usage_err("--which", arg, XDPLB_WHICH_ADDR_FORM);
	return 0;
}

static int xdplb_which_number(const struct xdplb_which_end *e, __u32 max, __u32 *v)
{
	if (!*e->num)
		return usage_err("--which", e->arg, "a number after the colon");
	return xdplb_parse_u32("--which", e->num, 0, max, v);
}

/* What kern/parse.h reads as ports: TCP, UDP and SCTP ports; ESP's SPI, its halves; an
 * ICMP or ICMPv6 echo's identifier, as both ports (request and reply are one flow). Every
 * other packet hashes on its addresses, so a number given for one would mean nothing. */
static int xdplb_which_ports(struct xdplb_flow *f, const struct xdplb_which_end *src,
			     const struct xdplb_which_end *dst)
{
	bool icmp = f->proto == (f->is_v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	__u32 sp = 0, dp = 0;
	int err = 0;

	if (f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP || f->proto == IPPROTO_SCTP) {
		if (!src->num || !dst->num)
			return usage_err("--which", src->num ? dst->arg : src->arg,
					 "TCP, UDP and SCTP need a port: ADDR:PORT or [ADDR6]:PORT");
		err = xdplb_which_number(src, 65535, &sp) ?: xdplb_which_number(dst, 65535, &dp);
	} else if (f->proto == IPPROTO_ESP) {
		if (src->num || !dst->num)
			return usage_err("--which", src->num ? src->arg : dst->arg,
					 "ESP: give the SPI after the destination (ADDR:SPI), none after the source");
		err = xdplb_which_number(dst, 0xffffffffU, &dp);
		sp = dp >> 16;
		dp &= 0xffff;
	} else if (icmp) {
		if (src->num)
			err = xdplb_which_number(src, 65535, &sp);
		if (!err && dst->num)
			err = xdplb_which_number(dst, 65535, &dp);
		if (!err && src->num && dst->num && sp != dp)
			return usage_err("--which", dst->arg, "an echo has one identifier: give it once, "
					 "or the same on both sides");
		sp = dp = src->num ? sp : dp;
	} else if (src->num || dst->num) {
		return usage_err("--which", src->num ? src->arg : dst->arg,
				 "this protocol has no ports: give the address alone");
	}
	f->sport = htons((__u16)sp);
	f->dport = htons((__u16)dp);
	return err;
}

int xdplb_which_parse(char *const *args, int n, struct xdplb_flow *f)
{
	struct xdplb_which_end src, dst;
	int err;

	memset(f, 0, sizeof(*f));
	if (n != 3)
		return usage_err("--which", n < 3 ? "too few arguments" : "too many arguments",
				 "give PROTO SRC DST, like tcp 198.18.0.1:4000 198.18.1.1:80");
	err = xdplb_which_proto(args[0], &f->proto);
	if (!err)
		err = xdplb_which_endpoint(args[1], f->src, &src);
	if (!err)
		err = xdplb_which_endpoint(args[2], f->dst, &dst);
	if (err)
		return err;
	if (src.v6 != dst.v6)
		return usage_err("--which", args[2], "the source is IPv%d: give both of one family",
				 src.v6 ? 6 : 4);
	f->is_v6 = src.v6;
	return xdplb_which_ports(f, &src, &dst);
}

int xdplb_which_lookup(int config_fd, int table_fd, const struct xdplb_flow *f,
		       struct xdplb_which *w)
{
	const struct xdplb_half *half;
	struct xdplb_config cfg;
	__u32 key = 0;

	if (bpf_map_lookup_elem(config_fd, &key, &cfg))
		return -errno;
	w->half = cfg.active & 1;
	half = &cfg.half[w->half];
	w->hash = xdplb_flow_hash(f, half->seed, half->hash_mode);
	/* The same two masks as xdplb_rx: the table size, then the half. */
	w->slot = (__u32)(w->hash & half->table_mask) & (XDPLB_TABLE_MAX - 1);
	w->table_size = half->table_mask + 1;
	return xdplb_table_read_slot(table_fd, w->half, w->slot, &w->value);
}

const struct xdplb_target *xdplb_table_target(const struct xdplb_settings *s, __u32 value)
{
	__u32 i;

	for (i = 0; i < s->n_targets; i++)
		if (xdplb_target_key(&s->targets[i]) == value)
			return &s->targets[i];
	return NULL;
}

int xdplb_which(const char *ifname, const struct xdplb_flow *f)
{
	struct xdplb_settings *s = calloc(1, sizeof(*s));
	const struct xdplb_target *t;
	struct xdplb_instance in;
	struct xdplb_which w;
	int lock_fd, err;

	if (!s)
		return -ENOMEM;
	err = xdplb_pins_open_live("--which", ifname, &in, s, &lock_fd);
	if (err)
		goto out;
	err = xdplb_which_lookup(in.map_fd[XDPLB_M_config], in.map_fd[XDPLB_M_table], f, &w);
	xdplb_instance_close(&in);
	xdplb_pins_unlock(lock_fd);
	if (err) {
		pr_err("--which: %s: cannot read its table: %s", ifname, strerror(-err));
		goto out;
	}
	pr_debug("hash 0x%016llx, slot %u of %u in half %u", (unsigned long long)w.hash, w.slot,
		 w.table_size, w.half);
	/* A slot holds a CPU number, or a port's devmap slot: named by its interface. */
	t = xdplb_table_target(s, w.value);
	if (s->target_kind == XDPLB_TARGET_CPU)
		printf("cpu %u\n", w.value);
	else if (t)
		printf("port %s\n", t->ifname);
	else
		printf("port slot %u\n", w.value);
out:
	free(s);
	return err;
}
