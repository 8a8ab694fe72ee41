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

struct xdplb_nl {
	int fd;
	__u32 seq;
};

/* Called for each reply message; a negative return stops the exchange with that error. */
typedef int (*xdplb_nl_cb)(const struct nlmsghdr *nh, void *arg);

int xdplb_nl_open(struct xdplb_nl *nl, int protocol);
void xdplb_nl_close(struct xdplb_nl *nl);

/* Sends req and hands every reply to cb until the dump ends or the kernel acknowledges.
 * Returns 0, the kernel's -errno, or cb's error. */
int xdplb_nl_talk(struct xdplb_nl *nl, struct nlmsghdr *req, xdplb_nl_cb cb, void *arg);

/* Appends one attribute to req, whose buffer holds cap bytes. */
int xdplb_nl_put(struct nlmsghdr *req, size_t cap, __u16 type, const void *data, size_t len);

/* Indexes the attributes in [attrs, attrs + len) by type into tb[0..max]; unknown types are
 * skipped. Works for nested attributes and for generic netlink's nlattr (same layout). */
void xdplb_nl_parse(const struct rtattr **tb, int max, const void *attrs, int len);

/* The attributes after a fixed header of hdr_len bytes. */
#define XDPLB_NL_ATTRS(nh, hdr_len) ((const void *)((const char *)NLMSG_DATA(nh) + NLMSG_ALIGN(hdr_len)))
#define XDPLB_NL_ATTRLEN(nh, hdr_len) ((int)(nh)->nlmsg_len - (int)NLMSG_LENGTH(hdr_len))

/* Resolves a generic netlink family name to its id; -ENOENT on kernels without it. */
int xdplb_genl_family(struct xdplb_nl *nl, const char *name, __u16 *id);

#endif
