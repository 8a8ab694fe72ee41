// SPDX-License-Identifier: GPL-2.0
/* egress.c: prepares redirect ports. What a veth needs was measured on this project's
 * kernels: GRO on the egress veth itself does nothing for frames sent through it; GRO or
 * an XDP program on its peer makes them arrive. The peer usually lives in another network
 * namespace (the sink, a container), found by the netnsid rtnetlink reports for it, and
 * entered in a child process so this one never leaves its own namespace. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include <bpf/libbpf.h>

#include "sys/egress.h"
#include "sys/log.h"

struct xdplb_veth_peer {
	bool is_veth;
	__u32 ifindex;		/* in the peer's namespace */
	int netnsid;		/* -1: the peer is in this namespace */
	bool ns_missing;	/* its namespace could not be found (and that was said) */
};

/* Sends one request and reads its one reply into buf. */
static int xdplb_rtnl_call(void *req, size_t len, char *buf, size_t size)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	int fd, n, err = 0;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (send(fd, req, len, 0) < 0 || (n = recv(fd, buf, size, 0)) < 0)
		err = -errno;
	else if (!NLMSG_OK(nh, (unsigned int)n))
		err = -EBADMSG;
	else if (nh->nlmsg_type == NLMSG_ERROR)
		err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error ?: -ENODATA;
	close(fd);
	return err;
}

static int xdplb_veth_peer(__u32 ifindex, struct xdplb_veth_peer *peer)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
			.nlmsg_flags = NLM_F_REQUEST },
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex },
	};
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct rtattr *rta, *info;
	int len, ilen, err;

	memset(peer, 0, sizeof(*peer));
	peer->netnsid = -1;
	err = xdplb_rtnl_call(&req, sizeof(req), buf, sizeof(buf));
	if (err)
		return err;
	len = IFLA_PAYLOAD(nh);
	for (rta = IFLA_RTA(NLMSG_DATA(nh)); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFLA_LINK)
			peer->ifindex = *(__u32 *)RTA_DATA(rta);
		else if (rta->rta_type == IFLA_LINK_NETNSID)
			peer->netnsid = *(__s32 *)RTA_DATA(rta);
		if (rta->rta_type != IFLA_LINKINFO)
			continue;
		ilen = RTA_PAYLOAD(rta);
		for (info = RTA_DATA(rta); RTA_OK(info, ilen); info = RTA_NEXT(info, ilen))
			if (info->rta_type == IFLA_INFO_KIND && !strcmp(RTA_DATA(info), "veth"))
				peer->is_veth = true;
	}
	return 0;
}

/* The id this namespace gives the namespace open at fd, or -1. */
static int xdplb_netnsid_of(int fd)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
		char pad[3];
		struct rtattr rta;
		__u32 fd;
	} req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETNSID,
			.nlmsg_flags = NLM_F_REQUEST },
		.g = { .rtgen_family = AF_UNSPEC },
		.rta = { .rta_len = RTA_LENGTH(sizeof(__u32)), .rta_type = NETNSA_FD },
		.fd = (__u32)fd,
	};
	char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct rtattr *rta;
	int len;

	if (xdplb_rtnl_call(&req, sizeof(req), buf, sizeof(buf)))
		return -1;
	len = nh->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct rtgenmsg)));
	rta = (struct rtattr *)((char *)NLMSG_DATA(nh) + NLMSG_ALIGN(sizeof(struct rtgenmsg)));
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == NETNSA_NSID)
			return *(__s32 *)RTA_DATA(rta);
	return -1;
}

/* Opens the namespace with that netnsid: a named one (/run/netns) or one a process is in. */
static int xdplb_open_netns(int netnsid)
{
	static const char *const dirs[] = { "/run/netns", "/proc" };
	char path[300];
	struct dirent *de;
	int fd = -1;
	size_t i;

	for (i = 0; i < 2 && fd < 0; i++) {
		DIR *d = opendir(dirs[i]);

		while (d && fd < 0 && (de = readdir(d))) {
			if (de->d_name[0] == '.' || (i == 1 && (de->d_name[0] < '1' || de->d_name[0] > '9')))
				continue;
			snprintf(path, sizeof(path), "%s/%s%s", dirs[i], de->d_name, i ? "/ns/net" : "");
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0 && xdplb_netnsid_of(fd) != netnsid) {
				close(fd);
				fd = -1;
			}
		}
		if (d)
			closedir(d);
	}
	return fd;
}

static int xdplb_ethtool(const char *ifname, __u32 cmd, __u32 *data)
{
	struct ethtool_value ev = { .cmd = cmd, .data = *data };
	struct ifreq ifr = {};
	int fd, err;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
	close(fd);
	*data = ev.data;
	return err;
}

enum xdplb_peer_op {
	XDPLB_PEER_PROBE,	/* dry run: would GRO have to be turned on? */
	XDPLB_PEER_GRO_ON,	/* turn GRO on unless the peer can already receive */
	XDPLB_PEER_GRO_OFF,	/* a revert: turn off the GRO an earlier GRO_ON turned on */
};

/* In the peer's namespace: 1 when GRO was (or, probing, would be) turned on or off, 0 when
 * it was already as wanted. */
static int xdplb_peer_gro(__u32 ifindex, enum xdplb_peer_op op)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char name[IF_NAMESIZE];
	__u32 gro = 0;
	int err;

	if (!if_indextoname(ifindex, name))
		return -ENODEV;
	if (op != XDPLB_PEER_GRO_OFF && !bpf_xdp_query((int)ifindex, 0, &q) && q.drv_prog_id)
		return 0;
	err = xdplb_ethtool(name, ETHTOOL_GGRO, &gro);
	if (err)
		return err;
	if (op == XDPLB_PEER_GRO_OFF ? !gro : gro)
		return 0;
	if (op == XDPLB_PEER_PROBE)
		return 1;
	gro = op == XDPLB_PEER_GRO_ON;
	return xdplb_ethtool(name, ETHTOOL_SGRO, &gro) ?: 1;
}

/* Runs xdplb_peer_gro() on the veth peer of ifindex, in the peer's namespace if it has
 * one of its own; 0 for a port that is no veth. */
static int xdplb_veth_peer_gro(const char *flag, const char *ifname, __u32 ifindex,
			       enum xdplb_peer_op op, struct xdplb_veth_peer *peer)
{
	int ret, status, nsfd;
	pid_t pid;

	ret = xdplb_veth_peer(ifindex, peer);
	if (ret || !peer->is_veth || !peer->ifindex)
		return 0;
	if (peer->netnsid < 0)
		return xdplb_peer_gro(peer->ifindex, op);
	nsfd = xdplb_open_netns(peer->netnsid);
	if (nsfd < 0) {
		peer->ns_missing = true;
		pr_err("%s: %s: its veth peer (ifindex %u, netnsid %d) is in a network namespace "
		       "xdplb cannot find, and must have GRO or an XDP program to take "
		       "redirected frames: turn GRO on there (ethtool -K PEER gro on)",
		       flag, ifname, peer->ifindex, peer->netnsid);
		return -ENOENT;
	}
	pid = fork();
	if (pid == 0) {
		ret = setns(nsfd, CLONE_NEWNET) ? -errno : xdplb_peer_gro(peer->ifindex, op);
		_exit(ret < 0 ? (-ret & 0x7f) | 0x80 : ret);
	}
	close(nsfd);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -ECHILD;
	return WEXITSTATUS(status) & 0x80 ? -(WEXITSTATUS(status) & 0x7f) : WEXITSTATUS(status);
}

int xdplb_egress_prepare(const char *flag, const char *ifname, __u32 ifindex, bool dry_run)
{
	struct xdplb_veth_peer peer;
	int ret;

	ret = xdplb_veth_peer_gro(flag, ifname, ifindex,
				  dry_run ? XDPLB_PEER_PROBE : XDPLB_PEER_GRO_ON, &peer);
	if (ret < 0 && !peer.ns_missing)
		pr_err("%s: %s: cannot turn GRO on at its veth peer (ifindex %u): %s; without GRO or "
		       "an XDP program there it drops every redirected frame", flag, ifname,
		       peer.ifindex, strerror(-ret));
	/* The caller says that GRO was turned on once its change holds: a change that
	 * fails turns it off again, and its error stays one line. */
	return ret;
}

int xdplb_egress_restore(const char *ifname, __u32 ifindex)
{
	struct xdplb_veth_peer peer;
	char name[IF_NAMESIZE];

	/* Gone, or its ifindex now names another device: its peer went with it. */
	if (!if_indextoname(ifindex, name) || strcmp(name, ifname))
		return 0;
	return xdplb_veth_peer_gro("--confirm", ifname, ifindex, XDPLB_PEER_GRO_OFF, &peer);
}
