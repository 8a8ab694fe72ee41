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

#include "log.h"
#include "options.h"
#include "pins.h"
#include "which.h"

#define XDPLB_WHICH_ADDR_FORM "an IPv4 address (198.18.0.1:80), or IPv6 in brackets ([fd00::1]:80)"

static const struct {
	const char *name;
	__u8 proto;
} xdplb_which_protos[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "sctp", IPPROTO_SCTP },
	{ "icmp", IPPROTO_ICMP }, { "icmpv6", IPPROTO_ICMPV6 },
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
		return usage_err("--which", s, "a protocol: tcp, udp, sctp, icmp, icmpv6 or a number 0..255");
	err = xdplb_parse_u32("--which", s, 0, 255, &v);
	*proto = (__u8)v;
	return err;
}

/* The parser reads ports from these only (kern/parse.h); every other protocol hashes on
 * the addresses, so a port given for one would mean nothing. */
static bool xdplb_which_has_ports(__u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP;
}

/* ADDR4[:PORT], [ADDR6][:PORT] or a bare ADDR6 (no port). addr is left in network order,
 * as the packet carries it; *v6 says which family. */
static int xdplb_which_endpoint(const char *arg, __u8 proto, __u32 *addr, __u16 *port, bool *v6)
{
	const char *s = arg, *colon = strrchr(s, ':'), *port_s = NULL;
	char host[INET6_ADDRSTRLEN + 1];
	size_t len;
	__u32 p;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || (close[1] && close[1] != ':'))
			return usage_err("--which", arg, XDPLB_WHICH_ADDR_FORM);
		len = (size_t)(close - s - 1);
		port_s = close[1] ? close + 2 : NULL;
		s++;
		*v6 = true;
	} else if (colon && colon != strchr(s, ':')) {
		len = strlen(s);
		*v6 = true;
	} else {
		len = colon ? (size_t)(colon - s) : strlen(s);
		port_s = colon ? colon + 1 : NULL;
		*v6 = false;
	}
	if (len >= sizeof(host))
		return usage_err("--which", arg, XDPLB_WHICH_ADDR_FORM);
	memcpy(host, s, len);
	host[len] = '\0';
	if (inet_pton(*v6 ? AF_INET6 : AF_INET, host, addr) != 1)
		return usage_err("--which", arg, XDPLB_WHICH_ADDR_FORM);
	*port = 0;
	if (!xdplb_which_has_ports(proto)) {
		if (port_s)
			return usage_err("--which", arg, "this protocol has no ports: give the address alone");
		return 0;
	}
	if (!port_s || !*port_s)
		return usage_err("--which", arg, "TCP, UDP and SCTP need a port: ADDR:PORT or [ADDR6]:PORT");
	if (xdplb_parse_u32("--which", port_s, 0, 65535, &p))
		return -XDPLB_EUSAGE;
	*port = htons((__u16)p);
	return 0;
}

int xdplb_which_parse(char *const *args, int n, struct xdplb_flow *f)
{
	bool src_v6, dst_v6;
	int err;

	memset(f, 0, sizeof(*f));
	if (n != 3)
		return usage_err("--which", n < 3 ? "too few arguments" : "too many arguments",
				 "give PROTO SRC DST, like tcp 198.18.0.1:4000 198.18.1.1:80");
	err = xdplb_which_proto(args[0], &f->proto);
	if (!err)
		err = xdplb_which_endpoint(args[1], f->proto, f->src, &f->sport, &src_v6);
	if (!err)
		err = xdplb_which_endpoint(args[2], f->proto, f->dst, &f->dport, &dst_v6);
	if (err)
		return err;
	if (src_v6 != dst_v6)
		return usage_err("--which", args[2], "the source is IPv%d: give both of one family",
				 src_v6 ? 6 : 4);
	f->is_v6 = src_v6;
	return 0;
}

int xdplb_which_lookup(int config_fd, int table_fd, const struct xdplb_flow *f,
		       struct xdplb_which *w)
{
	const struct xdplb_half *half;
	struct xdplb_config cfg;
	__u32 key = 0, slot;

	if (bpf_map_lookup_elem(config_fd, &key, &cfg))
		return -errno;
	w->half = cfg.active & 1;
	half = &cfg.half[w->half];
	w->hash = xdplb_flow_hash(f, half->seed, half->hash_mode);
	/* The same two masks as xdplb_rx: the table size, then the half. */
	w->slot = (__u32)(w->hash & half->table_mask) & (XDPLB_TABLE_MAX - 1);
	w->table_size = half->table_mask + 1;
	slot = w->slot + w->half * XDPLB_TABLE_MAX;
	if (bpf_map_lookup_elem(table_fd, &slot, &w->value))
		return -errno;
	return 0;
}

int xdplb_which(const char *ifname, const struct xdplb_flow *f)
{
	struct xdplb_settings *s = calloc(1, sizeof(*s));
	struct xdplb_instance in;
	struct xdplb_which w;
	int lock_fd, err;

	if (!s)
		return -ENOMEM;
	err = xdplb_pins_open_live("--which", ifname, &in, &lock_fd);
	if (err)
		goto out;
	err = xdplb_which_lookup(in.map_fd[XDPLB_M_config], in.map_fd[XDPLB_M_table], f, &w);
	if (!err)
		err = xdplb_instance_settings(&in, s);
	xdplb_instance_close(&in);
	xdplb_pins_unlock(lock_fd);
	if (err) {
		pr_err("--which: %s: cannot read its table: %s", ifname, strerror(-err));
		goto out;
	}
	pr_debug("hash 0x%016llx, slot %u of %u in half %u", (unsigned long long)w.hash, w.slot,
		 w.table_size, w.half);
	/* A CPU slot holds the CPU number; a port slot the port's index among the targets. */
	if (s->target_kind == XDPLB_TARGET_PORT && w.value < s->n_targets)
		printf("port %s\n", s->targets[w.value].ifname);
	else
		printf("%s %u\n", s->target_kind == XDPLB_TARGET_PORT ? "port" : "cpu", w.value);
out:
	free(s);
	return err;
}
