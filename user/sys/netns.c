// SPDX-License-Identifier: GPL-2.0
/* netns.c: network namespaces. A namespace is found where something holds it: a bind
 * mount under /run/netns (named, what `ip netns` makes) or a process inside it. The id a
 * namespace has for another (a netnsid) is per observer, so it is asked of the kernel for
 * each candidate rather than read from anywhere. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/net_namespace.h>

#include "sys/netlink.h"
#include "sys/netns.h"

/* Called with each candidate namespace's path and the name of its directory entry (the
 * namespace's name or a pid); a nonzero return stops the walk with that value. */
typedef int (*xdplb_netns_cb)(const char *path, const char *name, bool named, void *arg);

static int xdplb_netns_each(xdplb_netns_cb cb, void *arg)
{
	static const char *const dirs[] = { "/run/netns", "/proc" };
	char path[300];
	struct dirent *de;
	int ret = 0;
	size_t i;

	for (i = 0; i < 2 && !ret; i++) {
		DIR *d = opendir(dirs[i]);

		while (d && !ret && (de = readdir(d))) {
			if (de->d_name[0] == '.' || (i == 1 && !strspn(de->d_name, "0123456789")))
				continue;
			snprintf(path, sizeof(path), i ? "%s/%s/ns/net" : "%s/%s", dirs[i], de->d_name);
			ret = cb(path, de->d_name, i == 0, arg);
		}
		if (d)
			closedir(d);
	}
	return ret;
}

__u64 xdplb_netns_ino(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return 0;
	return st.st_ino;
}

static int xdplb_netns_is_ino(const char *path, const char *name, bool named, void *arg)
{
	struct stat st;

	(void)name;
	(void)named;
	return !stat(path, &st) && st.st_ino == *(__u64 *)arg;
}

bool xdplb_netns_alive(__u64 ino)
{
	return xdplb_netns_each(xdplb_netns_is_ino, &ino) > 0;
}

static int xdplb_nsid_cb(const struct nlmsghdr *nh, void *arg)
{
	const struct rtattr *tb[NETNSA_MAX + 1];

	xdplb_nl_parse_msg(tb, NETNSA_MAX, nh, sizeof(struct rtgenmsg));
	if (tb[NETNSA_NSID])
		*(int *)arg = *(const int *)RTA_DATA(tb[NETNSA_NSID]);
	return 0;
}

/* The id this namespace gives the namespace behind fd, or -1. */
static int xdplb_netnsid_of(int fd)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	__u32 nsfd = fd;
	struct xdplb_nl_req req = {
		.protocol = NETLINK_ROUTE, .type = RTM_GETNSID, .hdr = &g, .hdr_len = sizeof(g),
		.attr = NETNSA_FD, .data = &nsfd, .data_len = sizeof(nsfd),
	};
	int nsid = -1;

	if (xdplb_nl_request(&req, xdplb_nsid_cb, &nsid))
		return -1;
	return nsid;
}

struct xdplb_netns_search {
	int netnsid;
	char *enter;
	size_t enter_len;
	int fd;
};

static int xdplb_netns_is_id(const char *path, const char *name, bool named, void *arg)
{
	struct xdplb_netns_search *s = arg;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (xdplb_netnsid_of(fd) != s->netnsid) {
		close(fd);
		return 0;
	}
	s->fd = fd;
	if (s->enter && named)
		snprintf(s->enter, s->enter_len, "ip netns exec %s ", name);
	else if (s->enter)
		snprintf(s->enter, s->enter_len, "nsenter --net=%s ", path);
	return 1;
}

int xdplb_netns_open(int netnsid, char *enter, size_t enter_len)
{
	struct xdplb_netns_search s = { netnsid, enter, enter_len, -1 };

	xdplb_netns_each(xdplb_netns_is_id, &s);
	return s.fd;
}

/* What the child sends back: fn's result, then its copy of the data. */
static void xdplb_netns_child(int nsfd, int (*fn)(void *), void *data, size_t len, int out)
{
	int ret = setns(nsfd, CLONE_NEWNET) ? -errno : fn(data);
	int ok = write(out, &ret, sizeof(ret)) == sizeof(ret) &&
		 write(out, data, len) == (ssize_t)len;

	_exit(ok ? 0 : 1);
}

int xdplb_netns_run(int nsfd, int (*fn)(void *data), void *data, size_t len)
{
	char copy[len ? len : 1];
	int pfd[2], status, ret = -ECHILD;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		xdplb_netns_child(nsfd, fn, data, len, pfd[1]);
	}
	close(pfd[1]);
	if (pid > 0 && (read(pfd[0], &ret, sizeof(ret)) != sizeof(ret) ||
			read(pfd[0], copy, len) != (ssize_t)len))
		ret = -ECHILD;
	else if (pid > 0)
		memcpy(data, copy, len);
	close(pfd[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return ret;
}
