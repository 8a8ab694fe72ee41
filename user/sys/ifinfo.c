// SPDX-License-Identifier: GPL-2.0
/* ifinfo.c: interface facts from rtnetlink, the netdev generic netlink family and the
 * ethtool ioctl. A veth's peer may sit in another namespace: its facts are read there by
 * xdplb_netns_run(), so this process never leaves its own. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "sys/ethtool.h"
#include "sys/ifinfo.h"
#include "sys/netlink.h"
#include "sys/netns.h"

/* The netdev family's command and attributes (linux/netdev.h, 6.3+). */
#define XDPLB_NETDEV_CMD_DEV_GET	1
#define XDPLB_NETDEV_A_DEV_IFINDEX	1
#define XDPLB_NETDEV_A_DEV_XDP_FEATURES	3

static bool xdplb_ethtool_flag(const char *ifname, __u32 cmd)
{
	__u32 v;

	return !xdplb_ethtool_get(ifname, cmd, &v) && v;
}

struct xdplb_link_reply {
	struct xdplb_ifinfo *fi;
	int link_netnsid;	/* -1: the peer is in this namespace */
};

static int xdplb_link_cb(const struct nlmsghdr *nh, void *arg)
{
	struct xdplb_link_reply *r = arg;
	struct xdplb_ifinfo *fi = r->fi;
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	const struct rtattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];

	if (nh->nlmsg_type != RTM_NEWLINK)
		return 0;
	xdplb_nl_parse_msg(tb, IFLA_MAX, nh, sizeof(*ifi));
	fi->up = ifi->ifi_flags & IFF_UP;
	if (tb[IFLA_IFNAME])
		snprintf(fi->name, sizeof(fi->name), "%s", (const char *)RTA_DATA(tb[IFLA_IFNAME]));
	if (tb[IFLA_MTU])
		fi->mtu = *(const __u32 *)RTA_DATA(tb[IFLA_MTU]);
	if (tb[IFLA_MAX_MTU])
		fi->max_mtu = *(const __u32 *)RTA_DATA(tb[IFLA_MAX_MTU]);
	if (tb[IFLA_NUM_RX_QUEUES])
		fi->rx_queues = *(const __u32 *)RTA_DATA(tb[IFLA_NUM_RX_QUEUES]);
	if (tb[IFLA_NUM_TX_QUEUES])
		fi->tx_queues = *(const __u32 *)RTA_DATA(tb[IFLA_NUM_TX_QUEUES]);
	if (tb[IFLA_LINKINFO]) {
		xdplb_nl_parse(li, IFLA_INFO_MAX, RTA_DATA(tb[IFLA_LINKINFO]),
			       RTA_PAYLOAD(tb[IFLA_LINKINFO]));
		if (li[IFLA_INFO_KIND])
			snprintf(fi->kind, sizeof(fi->kind), "%s",
				 (const char *)RTA_DATA(li[IFLA_INFO_KIND]));
	}
	if (tb[IFLA_LINK])
		fi->peer.ifindex = *(const int *)RTA_DATA(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		r->link_netnsid = *(const int *)RTA_DATA(tb[IFLA_LINK_NETNSID]);
	return 0;
}

int xdplb_ifinfo_read_link(int ifindex, struct xdplb_ifinfo *fi, int *link_netnsid)
{
	struct ifinfomsg ifi = { .ifi_index = ifindex };
	struct xdplb_nl_req req = {
		.protocol = NETLINK_ROUTE, .type = RTM_GETLINK, .hdr = &ifi, .hdr_len = sizeof(ifi),
	};
	struct xdplb_link_reply r = { fi, -1 };
	int err;

	memset(fi, 0, sizeof(*fi));
	fi->ifindex = ifindex;
	err = xdplb_nl_request(&req, xdplb_link_cb, &r);
	*link_netnsid = r.link_netnsid;
	return err;
}

static int xdplb_features_cb(const struct nlmsghdr *nh, void *arg)
{
	const struct rtattr *tb[XDPLB_NETDEV_A_DEV_XDP_FEATURES + 1];
	struct xdplb_ifinfo *fi = arg;

	xdplb_nl_parse_msg(tb, XDPLB_NETDEV_A_DEV_XDP_FEATURES, nh, GENL_HDRLEN);
	if (tb[XDPLB_NETDEV_A_DEV_XDP_FEATURES]) {
		memcpy(&fi->xdp_features, RTA_DATA(tb[XDPLB_NETDEV_A_DEV_XDP_FEATURES]),
		       sizeof(fi->xdp_features));
		fi->features_known = true;
	}
	return 0;
}

/* Kernels before 6.3 have no netdev family: the features stay unknown. */
static void xdplb_read_features(struct xdplb_ifinfo *fi)
{
	struct genlmsghdr g = { .cmd = XDPLB_NETDEV_CMD_DEV_GET, .version = 1 };
	__u32 ifindex = fi->ifindex;
	struct xdplb_nl_req req = {
		.protocol = NETLINK_GENERIC, .hdr = &g, .hdr_len = sizeof(g),
		.attr = XDPLB_NETDEV_A_DEV_IFINDEX, .data = &ifindex, .data_len = sizeof(ifindex),
	};

	if (!xdplb_genl_family("netdev", &req.type))
		xdplb_nl_request(&req, xdplb_features_cb, fi);
}

static void xdplb_read_xdp(struct xdplb_ifinfo *fi)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	/* The netlink answer needs no privileges; libxdp's, which names the program and
	 * sees through a dispatcher, needs to open the program. */
	if (bpf_xdp_query(fi->ifindex, 0, &q))
		return;
	fi->xdp.attached_id = q.prog_id ? q.prog_id : q.skb_prog_id ? q.skb_prog_id : q.hw_prog_id;
	fi->xdp.attach_mode = q.attach_mode == XDP_ATTACHED_SKB ? XDP_MODE_SKB :
			      q.attach_mode == XDP_ATTACHED_HW ? XDP_MODE_HW :
			      q.attach_mode ? XDP_MODE_NATIVE : XDP_MODE_UNSPEC;
	if (fi->xdp.attached_id && !xdplb_xdp_query(fi->ifindex, &fi->xdp) && fi->xdp.name[0])
		fi->xdp_named = true;
}

/* Runs in the peer's namespace (or ours): facts about the peer by its ifindex. */
static int xdplb_peer_facts(void *peer)
{
	struct xdplb_peer *p = peer;

	if (!if_indextoname(p->ifindex, p->name))
		return 0;
	p->gro = xdplb_ethtool_flag(p->name, ETHTOOL_GGRO);
	p->tx_csum = xdplb_ethtool_flag(p->name, ETHTOOL_GTXCSUM);
	if (bpf_xdp_query_id(p->ifindex, 0, &p->xdp_prog_id))
		p->xdp_prog_id = 0;
	p->known = true;
	return 0;
}

static void xdplb_read_peer(struct xdplb_ifinfo *fi, int link_netnsid)
{
	struct xdplb_peer *p = &fi->peer;
	int nsfd;

	/* Both ends of a veth may have the same ifindex, each in its own namespace. */
	if (strcmp(fi->kind, "veth") || !p->ifindex ||
	    (link_netnsid < 0 && p->ifindex == fi->ifindex))
		return;
	p->present = true;
	if (link_netnsid < 0) {
		xdplb_peer_facts(p);
		return;
	}
	nsfd = xdplb_netns_open(link_netnsid, p->enter, sizeof(p->enter));
	if (nsfd < 0)
		return;
	xdplb_netns_run(nsfd, xdplb_peer_facts, p, sizeof(*p));
	close(nsfd);
}

int xdplb_ifinfo_read(int ifindex, struct xdplb_ifinfo *fi)
{
	struct ethtool_drvinfo drv = { .cmd = ETHTOOL_GDRVINFO };
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	int link_netnsid, err;

	err = xdplb_ifinfo_read_link(ifindex, fi, &link_netnsid);
	if (err)
		return err;
	if (!xdplb_ethtool(fi->name, &drv))
		snprintf(fi->driver, sizeof(fi->driver), "%s", drv.driver);
	if (!xdplb_ethtool(fi->name, &ch)) {
		fi->channels_known = true;
		fi->ch_rx = ch.rx_count;
		fi->ch_tx = ch.tx_count;
		fi->ch_combined = ch.combined_count;
	}
	xdplb_read_features(fi);
	xdplb_read_xdp(fi);
	xdplb_read_peer(fi, link_netnsid);
	return 0;
}

void xdplb_xdp_features_str(__u64 features, char *buf, size_t len)
{
	static const char *const names[] = {
		"basic", "redirect", "ndo-xmit", "xsk-zerocopy", "hw-offload", "rx-sg", "ndo-xmit-sg",
	};
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && off < len; i++)
		if (features & (1ULL << i))
			off += snprintf(buf + off, len - off, "%s%s", off ? " " : "", names[i]);
	if (!off)
		snprintf(buf, len, "none");
}

__u32 xdplb_ifinfo_native_mtu(const struct xdplb_ifinfo *fi)
{
	if (!fi->features_known || !(fi->xdp_features & XDPLB_XDP_ACT_BASIC))
		return 0;
	return fi->xdp_features & XDPLB_XDP_ACT_RX_SG ? fi->max_mtu : XDPLB_MTU_ONE_PAGE;
}
