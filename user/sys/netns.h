/* SPDX-License-Identifier: GPL-2.0 */
/* netns.h: network namespaces: which one this process is in, whether one still exists,
 * finding one by the id this namespace gives it, and running a function inside it. */
#ifndef XDPLB_NETNS_H
#define XDPLB_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* The current network namespace's inode (what /proc/self/ns/net points at). */
__u64 xdplb_netns_ino(void);

/* Whether some process or /run/netns entry still holds the namespace with that inode. */
bool xdplb_netns_alive(__u64 ino);

/* Opens (O_RDONLY) the namespace this one calls netnsid, as rtnetlink's IFLA_LINK_NETNSID
 * names a veth peer's: a named one (/run/netns) first, then one a process is in. When
 * enter is not NULL it gets the command prefix that acts there ("ip netns exec NAME ",
 * "nsenter --net=/proc/PID/ns/net "). Returns the fd, or -1 when none is found. */
int xdplb_netns_open(int netnsid, char *enter, size_t enter_len);

/* Runs fn(data) in the namespace open at nsfd, in a short-lived child, so this process
 * never leaves its own namespace (and cannot fail to come back). The child's data, len
 * bytes (under PIPE_BUF, so one pipe write carries it), is copied back. Returns fn's
 * result, a negative errno when the namespace could not be entered (data unchanged), or
 * -ECHILD when the child did not answer. */
int xdplb_netns_run(int nsfd, int (*fn)(void *data), void *data, size_t len);

#endif
