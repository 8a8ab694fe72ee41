// SPDX-License-Identifier: GPL-2.0
/* guard.c: finds the interfaces the operator's access depends on. Default routes are read
 * from every routing table (policy routing and VRFs may keep them outside main), through
 * multipath and nexthop objects. The SSH connection comes from SSH_CONNECTION, of this
 * process or an ancestor (sudo usually drops it from the environment): the interface
 * holding its local address and the one routing back to the client are both guarded,
 * and only when that address belongs to this network namespace. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/nexthop.h>

#include "core/guard.h"
#include "sys/log.h"
#include "sys/netlink.h"

#define XDPLB_GUARD_MAX_NH	64

struct xdplb_route_scan {
	int ifindex;		/* the interface asked about */
	int depth;		/* nexthop group nesting being read */
	bool hit;		/* a default route leaves through it */
	bool nh_hit;		/* the nexthop object being read does */
	char gateway[INET6_ADDRSTRLEN];
};

static void xdplb_scan_nexthop(struct xdplb_route_scan *s, __u32 id);

static int xdplb_nexthop_cb(const struct nlmsghdr *nh, void *arg)
{
	struct xdplb_route_scan *s = arg;
	const struct rtattr *tb[NHA_MAX + 1];
	const struct nexthop_grp *grp;
	int i, n;

	xdplb_nl_parse_msg(tb, NHA_MAX, nh, sizeof(struct nhmsg));
	if (tb[NHA_OIF] && *(const __u32 *)RTA_DATA(tb[NHA_OIF]) == (__u32)s->ifindex)
		s->nh_hit = true;
	/* Groups hold plain nexthops only; the depth bound is for a confused kernel reply. */
	if (tb[NHA_GROUP] && s->depth < 2) {
		grp = RTA_DATA(tb[NHA_GROUP]);
		n = RTA_PAYLOAD(tb[NHA_GROUP]) / sizeof(*grp);
		for (i = 0; i < n && i < XDPLB_GUARD_MAX_NH; i++)
			xdplb_scan_nexthop(s, grp[i].id);
	}
	return 0;
}

/* A route may name a nexthop object (or a group of them) instead of an interface. */
static void xdplb_scan_nexthop(struct xdplb_route_scan *s, __u32 id)
{
	struct nhmsg m = {};
	struct xdplb_nl_req req = {
		.protocol = NETLINK_ROUTE, .type = RTM_GETNEXTHOP, .hdr = &m, .hdr_len = sizeof(m),
		.attr = NHA_ID, .data = &id, .data_len = sizeof(id),
	};

	s->depth++;
	xdplb_nl_request(&req, xdplb_nexthop_cb, s);
	s->depth--;
}

static int xdplb_route_cb(const struct nlmsghdr *nh, void *arg)
{
	struct xdplb_route_scan *s = arg;
	const struct rtmsg *rtm = NLMSG_DATA(nh);
	const struct rtattr *tb[RTA_MAX + 1];
	const struct rtnexthop *rtnh;
	bool hit = false;
	int len;

	if (nh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_dst_len || rtm->rtm_type != RTN_UNICAST ||
	    s->hit)
		return 0;
	xdplb_nl_parse_msg(tb, RTA_MAX, nh, sizeof(*rtm));
	if (tb[RTA_OIF] && *(const int *)RTA_DATA(tb[RTA_OIF]) == s->ifindex)
		hit = true;
	if (tb[RTA_MULTIPATH]) {
		rtnh = RTA_DATA(tb[RTA_MULTIPATH]);
		len = RTA_PAYLOAD(tb[RTA_MULTIPATH]);
		for (; RTNH_OK(rtnh, len); len -= NLMSG_ALIGN(rtnh->rtnh_len), rtnh = RTNH_NEXT(rtnh))
			if (rtnh->rtnh_ifindex == s->ifindex)
				hit = true;
	}
	if (tb[RTA_NH_ID] && !hit) {
		s->nh_hit = false;
		xdplb_scan_nexthop(s, *(const __u32 *)RTA_DATA(tb[RTA_NH_ID]));
		hit = s->nh_hit;
	}
	if (hit) {
		s->hit = true;
		if (tb[RTA_GATEWAY])
			inet_ntop(rtm->rtm_family, RTA_DATA(tb[RTA_GATEWAY]), s->gateway,
				  sizeof(s->gateway));
	}
	return 0;
}

static bool xdplb_has_default_route(int ifindex, char *gateway, size_t len)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct xdplb_route_scan s = { .ifindex = ifindex };
	struct rtmsg rtm = {};
	struct xdplb_nl_req req = {
		.protocol = NETLINK_ROUTE, .type = RTM_GETROUTE, .flags = NLM_F_DUMP,
		.hdr = &rtm, .hdr_len = sizeof(rtm),
	};
	size_t i;

	for (i = 0; i < 2 && !s.hit; i++) {
		rtm.rtm_family = families[i];
		xdplb_nl_request(&req, xdplb_route_cb, &s);
	}
	snprintf(gateway, len, "%s", s.gateway);
	return s.hit;
}

/* Reads /proc/<pid>/<file> into buf, NUL-terminated; returns the bytes read. */
static size_t xdplb_read_proc(pid_t pid, const char *file, char *buf, size_t len)
{
	char path[64];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return n;
}

/* SSH_CONNECTION of this process, else of the nearest ancestor that has it. */
static bool xdplb_ssh_connection(char *buf, size_t len)
{
	const char *env = getenv("SSH_CONNECTION");
	char data[65536], stat[512], *p;
	pid_t pid = getppid();
	int hops;
	size_t n;

	if (env) {
		snprintf(buf, len, "%s", env);
		return true;
	}
	for (hops = 0; pid > 1 && hops < 32; hops++) {
		n = xdplb_read_proc(pid, "environ", data, sizeof(data));
		for (p = data; p < data + n; p += strlen(p) + 1) {
			if (!strncmp(p, "SSH_CONNECTION=", 15)) {
				snprintf(buf, len, "%s", p + 15);
				return true;
			}
		}
		xdplb_read_proc(pid, "stat", stat, sizeof(stat));
		/* "pid (comm) state ppid ...": comm may hold spaces, so parse after ')'. */
		p = strrchr(stat, ')');
		if (!p || sscanf(p + 1, " %*c %d", &pid) != 1)
			break;
	}
	return false;
}

struct xdplb_addr {
	int family;
	unsigned char a[16];
};

static bool xdplb_parse_addr(const char *s, struct xdplb_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->a) == 1)
		a->family = AF_INET6;
	/* An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d. */
	if (a->family == AF_INET6 && !memcmp(a->a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12)) {
		memmove(a->a, a->a + 12, 4);
		a->family = AF_INET;
	}
	return a->family != 0;
}

/* The interface holding a local address; 0 when it is not an address of this namespace. */
static int xdplb_addr_ifindex(const struct xdplb_addr *a)
{
	struct ifaddrs *ifa, *i;
	int ifindex = 0;

	if (getifaddrs(&ifa))
		return 0;
	for (i = ifa; i && !ifindex; i = i->ifa_next) {
		const void *mine;

		if (!i->ifa_addr || i->ifa_addr->sa_family != a->family)
			continue;
		mine = a->family == AF_INET ?
			(const void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr :
			(const void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		if (!memcmp(mine, a->a, a->family == AF_INET ? 4 : 16))
			ifindex = if_nametoindex(i->ifa_name);
	}
	freeifaddrs(ifa);
	return ifindex;
}

static int xdplb_route_get_cb(const struct nlmsghdr *nh, void *arg)
{
	const struct rtmsg *rtm = NLMSG_DATA(nh);
	const struct rtattr *tb[RTA_MAX + 1];

	xdplb_nl_parse_msg(tb, RTA_MAX, nh, sizeof(*rtm));
	if (tb[RTA_OIF])
		*(int *)arg = *(const int *)RTA_DATA(tb[RTA_OIF]);
	return 0;
}

/* The interface the kernel would send to dst through (a lookup: nothing is sent). */
static int xdplb_route_ifindex(const struct xdplb_addr *dst)
{
	struct rtmsg rtm = {
		.rtm_family = dst->family,
		.rtm_dst_len = dst->family == AF_INET ? 32 : 128,
	};
	struct xdplb_nl_req req = {
		.protocol = NETLINK_ROUTE, .type = RTM_GETROUTE, .hdr = &rtm, .hdr_len = sizeof(rtm),
		.attr = RTA_DST, .data = dst->a, .data_len = dst->family == AF_INET ? 4 : 16,
	};
	int ifindex = 0;

	xdplb_nl_request(&req, xdplb_route_get_cb, &ifindex);
	return ifindex;
}

static bool xdplb_carries_ssh(int ifindex, char *client, size_t len)
{
	char conn[256], cip[INET6_ADDRSTRLEN + 8], sip[INET6_ADDRSTRLEN + 8];
	struct xdplb_addr c, s;
	int local;

	if (!xdplb_ssh_connection(conn, sizeof(conn)) ||
	    sscanf(conn, "%63s %*s %63s", cip, sip) != 2 ||
	    !xdplb_parse_addr(cip, &c) || !xdplb_parse_addr(sip, &s))
		return false;
	local = xdplb_addr_ifindex(&s);
	if (!local)
		return false;
	snprintf(client, len, "%s", cip);
	return local == ifindex || xdplb_route_ifindex(&c) == ifindex;
}

unsigned int xdplb_guard_reasons(int ifindex, char *why, size_t len)
{
	char gateway[INET6_ADDRSTRLEN] = "", client[INET6_ADDRSTRLEN + 8] = "";
	unsigned int reasons = 0;

	if (xdplb_has_default_route(ifindex, gateway, sizeof(gateway)))
		reasons |= XDPLB_GUARD_DEFAULT_ROUTE;
	if (xdplb_carries_ssh(ifindex, client, sizeof(client)))
		reasons |= XDPLB_GUARD_SSH;
	snprintf(why, len, "%s%s%s%s%s%s",
		 reasons & XDPLB_GUARD_DEFAULT_ROUTE ? "the default route" : "",
		 gateway[0] ? " via " : "", gateway,
		 reasons == (XDPLB_GUARD_DEFAULT_ROUTE | XDPLB_GUARD_SSH) ? " and " : "",
		 reasons & XDPLB_GUARD_SSH ? "the SSH connection from " : "", client);
	return reasons;
}

bool xdplb_settings_can_drop(const struct xdplb_settings *s)
{
	return s->remote == XDPLB_REMOTE_DROP || s->remote == XDPLB_REMOTE_REDIRECT ||
	       s->target_kind == XDPLB_TARGET_PORT;
}

int xdplb_guard_check(const char *ifname, int ifindex, const struct xdplb_settings *old,
		      const struct xdplb_settings *new, bool force)
{
	char why[160];

	if (force || !xdplb_settings_can_drop(new) || (old && xdplb_settings_can_drop(old)))
		return 0;
	if (!xdplb_guard_reasons(ifindex, why, sizeof(why)))
		return 0;
	if (new->remote == XDPLB_REMOTE_DROP)
		return usage_err("--remote", "drop",
				 "refused on %s, which carries %s: dropping there can cut this machine off; add --force if that is intended",
				 ifname, why);
	return usage_err("--redirect", ifname,
			 "refused: %s carries %s and a redirect takes its frames away from the local stack; add --force if that is intended",
			 ifname, why);
}
