// SPDX-License-Identifier: GPL-2.0
/* netlink.c: request/reply over a netlink socket, attribute building and indexing. One
 * request at a time, so replies are matched by sequence number and nothing is queued. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "netlink.h"

#define XDPLB_NL_BUF 32768

int xdplb_nl_open(struct xdplb_nl *nl, int protocol)
{
	struct timeval tv = { .tv_sec = 5 };
	int one = 1;

	nl->seq = 0;
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (nl->fd < 0)
		return -errno;
	/* Strict checking makes the kernel honour filters in dump requests where it can;
	 * older kernels reject the option, which is harmless. A receive timeout keeps a
	 * lost reply from hanging the tool. */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

void xdplb_nl_close(struct xdplb_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

/* Handles one datagram; returns 1 when the exchange is over, 0 to read on, or -errno. */
static int xdplb_nl_dispatch(const char *buf, int len, __u32 seq, xdplb_nl_cb cb, void *arg)
{
	const struct nlmsghdr *nh;
	int err;

	for (nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, (unsigned int)len);
	     nh = NLMSG_NEXT(nh, len)) {
		if (nh->nlmsg_seq != seq)
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
		if (!(nh->nlmsg_flags & NLM_F_MULTI))
			return 1;
	}
	return 0;
}

int xdplb_nl_talk(struct xdplb_nl *nl, struct nlmsghdr *req, xdplb_nl_cb cb, void *arg)
{
	static char buf[XDPLB_NL_BUF] __attribute__((aligned(4)));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int len, ret;

	req->nlmsg_seq = ++nl->seq;
	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (sendto(nl->fd, req, req->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	do {
		len = recv(nl->fd, buf, sizeof(buf), 0);
		if (len < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		ret = xdplb_nl_dispatch(buf, len, req->nlmsg_seq, cb, arg);
	} while (!ret);
	/* The ACK that follows a single reply stays queued: the next exchange skips it by
	 * its sequence number. */
	return ret < 0 ? ret : 0;
}

int xdplb_nl_put(struct nlmsghdr *req, size_t cap, __u16 type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)req + NLMSG_ALIGN(req->nlmsg_len));

	if (NLMSG_ALIGN(req->nlmsg_len) + RTA_SPACE(len) > cap)
		return -E2BIG;
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	req->nlmsg_len = NLMSG_ALIGN(req->nlmsg_len) + RTA_SPACE(len);
	return 0;
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

static int xdplb_genl_family_cb(const struct nlmsghdr *nh, void *arg)
{
	const struct rtattr *tb[CTRL_ATTR_MAX + 1];

	xdplb_nl_parse(tb, CTRL_ATTR_MAX, XDPLB_NL_ATTRS(nh, GENL_HDRLEN),
		       XDPLB_NL_ATTRLEN(nh, GENL_HDRLEN));
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return -ENOENT;
	*(__u16 *)arg = *(const __u16 *)RTA_DATA(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

int xdplb_genl_family(struct xdplb_nl *nl, const char *name, __u16 *id)
{
	struct {
		struct nlmsghdr nh;
		struct genlmsghdr g;
		char attrs[64];
	} req = {
		.nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN),
		.nh.nlmsg_type = GENL_ID_CTRL,
		.g.cmd = CTRL_CMD_GETFAMILY,
		.g.version = 1,
	};
	int err;

	*id = 0;
	err = xdplb_nl_put(&req.nh, sizeof(req), CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	if (!err)
		err = xdplb_nl_talk(nl, &req.nh, xdplb_genl_family_cb, id);
	if (!err && !*id)
		err = -ENOENT;
	return err;
}
