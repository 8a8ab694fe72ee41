/* SPDX-License-Identifier: GPL-2.0 */
/* netlink.h: a small rtnetlink / generic netlink client. Interface, route and XDP facts
 * come from the kernel of the caller's network namespace this way (not /sys/class/net,
 * which shows whichever namespace mounted /sys). */
#ifndef XDPLB_NETLINK_H
#define XDPLB_NETLINK_H

#include <stddef.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/types.h>

/* Called for each reply message; a negative return stops the exchange with that error. */
typedef int (*xdplb_nl_cb)(const struct nlmsghdr *nh, void *arg);

/* One request: a message type with its fixed header and at most one attribute. */
struct xdplb_nl_req {
	int protocol;		/* NETLINK_ROUTE, NETLINK_GENERIC */
	__u16 type;		/* RTM_GETLINK, a generic netlink family id, ... */
	__u16 flags;		/* NLM_F_DUMP or 0 */
	const void *hdr;	/* ifinfomsg, rtmsg, genlmsghdr, ... */
	size_t hdr_len;
	__u16 attr;		/* 0: none */
	const void *data;
	size_t data_len;
};

/* Sends the request on a socket of its own and hands every reply to cb, until the dump
 * ends or the kernel acknowledges. Returns 0, the kernel's -errno, or cb's error. */
int xdplb_nl_request(const struct xdplb_nl_req *req, xdplb_nl_cb cb, void *arg);

/* Indexes the attributes in [attrs, attrs + len) by type into tb[0..max]; unknown types are
 * skipped. Works for nested attributes and for generic netlink's nlattr (same layout). */
void xdplb_nl_parse(const struct rtattr **tb, int max, const void *attrs, int len);

/* Indexes the attributes of a reply whose fixed header is hdr_len bytes. */
void xdplb_nl_parse_msg(const struct rtattr **tb, int max, const struct nlmsghdr *nh,
			size_t hdr_len);

/* Resolves a generic netlink family name to its id; -ENOENT on kernels without it. */
int xdplb_genl_family(const char *name, __u16 *id);

#endif
