// SPDX-License-Identifier: GPL-2.0
/* iface.c: interface facts for deciding whether an instance is live; interface ioctls. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <net/if.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "sys/iface.h"

int xdplb_xdp_query(int ifindex, struct xdplb_xdp_state *st)
{
	struct xdp_multiprog *mp;
	struct xdp_program *main_prog;
	int err;

	memset(st, 0, sizeof(*st));
	mp = xdp_multiprog__get_from_ifindex(ifindex);
	err = libxdp_get_error(mp);
	if (err == -ENOENT || !mp)
		return 0;
	if (err)
		return err;
	st->attach_mode = xdp_multiprog__attach_mode(mp);
	main_prog = xdp_multiprog__main_prog(mp);
	if (!main_prog)
		main_prog = xdp_multiprog__hw_prog(mp);
	if (main_prog) {
		st->attached_id = xdp_program__id(main_prog);
		snprintf(st->name, sizeof(st->name), "%s", xdp_program__name(main_prog));
	}
	st->is_dispatcher = !xdp_multiprog__is_legacy(mp);
	xdp_multiprog__close(mp);
	return 0;
}

/* Whether the interface's XDP slot (driver, generic or offload) holds prog_id directly. */
static bool xdplb_netlink_runs(int ifindex, __u32 prog_id)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	if (bpf_xdp_query(ifindex, 0, &q))
		return false;
	return q.prog_id == prog_id || q.drv_prog_id == prog_id || q.skb_prog_id == prog_id ||
	       q.hw_prog_id == prog_id;
}

bool xdplb_xdp_runs(int ifindex, __u32 prog_id)
{
	struct xdp_program *p = NULL;
	struct xdp_multiprog *mp;
	bool found = false;

	/* The kernel's own answer first: it needs only CAP_NET_ADMIN, where libxdp opens
	 * programs by id (CAP_SYS_ADMIN) and would fail, making a live instance look stale. */
	if (xdplb_netlink_runs(ifindex, prog_id))
		return true;
	mp = xdp_multiprog__get_from_ifindex(ifindex);
	if (!mp || libxdp_get_error(mp))
		return false;
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		found = p && xdp_program__id(p) == prog_id;
	} else {
		while (!found && (p = xdp_multiprog__next_prog(p, mp)))
			found = xdp_program__id(p) == prog_id;
	}
	p = xdp_multiprog__hw_prog(mp);
	if (!found && p)
		found = xdp_program__id(p) == prog_id;
	xdp_multiprog__close(mp);
	return found;
}

/* Interface ioctls go through an AF_UNIX socket: any family reaches dev_ioctl, and the
 * systemd unit allows only AF_UNIX and AF_NETLINK. */
int xdplb_if_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int fd, err = 0;

	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, req, ifr))
		err = -errno;
	close(fd);
	return err;
}

/* A device that is gone answers -ENODEV; any other failure says nothing about it. */
enum xdplb_link_state xdplb_link_state(__u32 ifindex)
{
	struct ifreq ifr = {};
	char name[IF_NAMESIZE];
	int err;

	if (!if_indextoname(ifindex, name))
		return XDPLB_LINK_MISSING;
	err = xdplb_if_ioctl(name, SIOCGIFFLAGS, &ifr);
	if (err == -ENODEV)
		return XDPLB_LINK_MISSING;
	if (err)
		return XDPLB_LINK_UP;
	if (!(ifr.ifr_flags & IFF_UP))
		return XDPLB_LINK_DOWN;
	return ifr.ifr_flags & IFF_RUNNING ? XDPLB_LINK_UP : XDPLB_LINK_NO_CARRIER;
}

__u32 xdplb_link_mtu(__u32 ifindex)
{
	struct ifreq ifr = {};
	char name[IF_NAMESIZE];

	if (!if_indextoname(ifindex, name) || xdplb_if_ioctl(name, SIOCGIFMTU, &ifr))
		return 0;
	return (__u32)ifr.ifr_mtu;
}
