// SPDX-License-Identifier: GPL-2.0
/* bpffs.c: tells a bpffs whose pins outlive this process from a private one. Mount
 * namespaces alone cannot decide: a Kubernetes DaemonSet runs in a mount namespace of its
 * own and still pins into the host's bpffs through a hostPath volume, while `ip netns exec`
 * gives its command a fresh /sys where xdplb would mount a bpffs of its own. So the bpffs
 * itself is compared: the pin root's nearest existing directory here and the same path as
 * seen by the nearest ancestor in another mount namespace (the shell that ran `ip netns
 * exec`, a container's runtime), or by PID 1. Ancestors are walked because PID 1 is often
 * out of reach: reading another process's namespace and root needs ptrace access, which a
 * process with fewer capabilities than PID 1 (a sandboxed service, some VMs) lacks. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "sys/bpffs.h"
#include "sys/log.h"

/* The nearest directory of path that exists (the pin root itself may not yet). */
static void xdplb_existing_dir(const char *path, char *out, size_t len)
{
	struct stat st;
	char *slash;

	snprintf(out, len, "%s", path);
	while (stat(out, &st) && (slash = strrchr(out, '/')) && slash != out)
		*slash = '\0';
	if (stat(out, &st))
		snprintf(out, len, "/");
}

static bool xdplb_on_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

static pid_t xdplb_parent_of(pid_t pid)
{
	char path[64], line[128];
	int ppid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && sscanf(line, "PPid: %d", &ppid) != 1)
		;
	fclose(f);
	return ppid;
}

/* The nearest ancestor (PID 1 the last) whose mount namespace is not ours and can be looked
 * at, or 0. */
static pid_t xdplb_other_mount_ns(void)
{
	struct stat self, st;
	char path[64];
	pid_t pid;

	if (stat("/proc/self/ns/mnt", &self))
		return 0;
	for (pid = getppid(); pid > 0; pid = pid == 1 ? 0 : xdplb_parent_of(pid)) {
		snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
		if (!stat(path, &st) && (st.st_ino != self.st_ino || st.st_dev != self.st_dev))
			return pid;
	}
	return 0;
}

/* Whether process pid sees at path the very directory this process sees there. */
static bool xdplb_same_dir_for(pid_t pid, const char *path)
{
	char seen[PATH_MAX + 32];
	struct stat here, there;

	snprintf(seen, sizeof(seen), "/proc/%d/root%s", (int)pid, path);
	return !stat(path, &here) && !stat(seen, &there) && here.st_dev == there.st_dev &&
	       here.st_ino == there.st_ino;
}

int xdplb_bpffs_check_shared(const char *root)
{
	pid_t other = xdplb_other_mount_ns();
	char dir[PATH_MAX];

	/* No ancestor to compare with: this is the mount namespace xdplb was started in, and
	 * the pin root's own checks (on a bpffs, or mounted at /sys/fs/bpf) decide. */
	if (!other)
		return 0;
	xdplb_existing_dir(root, dir, sizeof(dir));
	if (xdplb_on_bpffs(dir) && xdplb_same_dir_for(other, dir))
		return 0;
	pr_err("bpffs: %s: not the bpffs of the mount namespace xdplb was started from (a "
	       "private /sys or bpffs, as `ip netns exec` gives): its pins would vanish when xdplb exits; "
	       "enter only the network namespace: nsenter --net=/run/netns/NAME xdplb ...", dir);
	return -EXDEV;
}
