// SPDX-License-Identifier: GPL-2.0
/* netlink.c: request/reply over netlink and attribute indexing. Every request gets its own
 * socket, so replies are matched by sequence number alone and a callback may start an
 * exchange of its own (a route naming a nexthop object) while its dump is being read. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "sys/netlink.h"

#define XDPLB_NL_BUF	32768
#define XDPLB_NL_SEQ	1

static int xdplb_nl_open(int protocol)
{
	struct timeval tv = { .tv_sec = 5 };
	int one = 1;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);

	if (fd < 0)
		return -errno;
	/* Strict checking makes the kernel honour filters in dump requests where it can;
	 * older kernels reject the option, which is harmless. A receive timeout keeps a
	 * lost reply from hanging the tool. */
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Handles one datagram; returns 1 when the exchange is over, 0 to read on, or -errno. */
static int xdplb_nl_dispatch(const char *buf, int len, xdplb_nl_cb cb, void *arg)
{
	const struct nlmsghdr *nh;
	int err;

	for (nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, (unsigned int)len);
	     nh = NLMSG_NEXT(nh, len)) {
		if (nh->nlmsg_seq != XDPLB_NL_SEQ)
			continue;
		if (nh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			return e->error ? e->error : 1;
		}
		err = cb ? cb(nh, arg) : 0;
		if (err < 0)
			return err;
		/* A single reply is followed by an ACK nobody needs to wait for. */
		if (!(nh->nlmsg_flags & NLM_F_MULTI))
			return 1;
	}
	return 0;
}

int xdplb_nl_request(const struct xdplb_nl_req *r, xdplb_nl_cb cb, void *arg)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[XDPLB_NL_BUF] __attribute__((aligned(4)));
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct rtattr *rta;
	int fd, len, ret;

	if (NLMSG_SPACE(r->hdr_len) + RTA_SPACE(r->data_len) > sizeof(buf))
		return -E2BIG;
	memset(buf, 0, NLMSG_SPACE(r->hdr_len) + RTA_SPACE(r->data_len));
	nh->nlmsg_len = NLMSG_LENGTH(r->hdr_len);
	nh->nlmsg_type = r->type;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | r->flags;
	nh->nlmsg_seq = XDPLB_NL_SEQ;
	memcpy(NLMSG_DATA(nh), r->hdr, r->hdr_len);
	if (r->attr) {
		rta = (struct rtattr *)(buf + NLMSG_ALIGN(nh->nlmsg_len));
		rta->rta_type = r->attr;
		rta->rta_len = RTA_LENGTH(r->data_len);
		memcpy(RTA_DATA(rta), r->data, r->data_len);
		nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_SPACE(r->data_len);
	}
	fd = xdplb_nl_open(r->protocol);
	if (fd < 0)
		return fd;
	if (sendto(fd, buf, nh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	do {
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0) {
			ret = errno == EAGAIN ? -ETIMEDOUT : -errno;
			goto out;
		}
		ret = xdplb_nl_dispatch(buf, len, cb, arg);
	} while (!ret);
out:
	close(fd);
	return ret < 0 ? ret : 0;
}

void xdplb_nl_parse(const struct rtattr **tb, int max, const void *attrs, int len)
{
	const struct rtattr *rta = attrs;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		int type = rta->rta_type & NLA_TYPE_MASK;

		if (type <= max)
			tb[type] = rta;
	}
}

void xdplb_nl_parse_msg(const struct rtattr **tb, int max, const struct nlmsghdr *nh,
			size_t hdr_len)
{
	xdplb_nl_parse(tb, max, (const char *)NLMSG_DATA(nh) + NLMSG_ALIGN(hdr_len),
		       (int)nh->nlmsg_len - (int)NLMSG_LENGTH(hdr_len));
}

static int xdplb_genl_family_cb(const struct nlmsghdr *nh, void *arg)
{
	const struct rtattr *tb[CTRL_ATTR_MAX + 1];

	xdplb_nl_parse_msg(tb, CTRL_ATTR_MAX, nh, GENL_HDRLEN);
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return -ENOENT;
	*(__u16 *)arg = *(const __u16 *)RTA_DATA(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

int xdplb_genl_family(const char *name, __u16 *id)
{
	struct genlmsghdr g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 };
	struct xdplb_nl_req req = {
		.protocol = NETLINK_GENERIC, .type = GENL_ID_CTRL, .hdr = &g, .hdr_len = sizeof(g),
		.attr = CTRL_ATTR_FAMILY_NAME, .data = name, .data_len = strlen(name) + 1,
	};
	int err;

	*id = 0;
	err = xdplb_nl_request(&req, xdplb_genl_family_cb, id);
	if (!err && !*id)
		err = -ENOENT;
	return err;
}
