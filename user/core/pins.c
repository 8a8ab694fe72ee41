// SPDX-License-Identifier: GPL-2.0
/* pins.c: the pinned state of instances under <root>/<ifname>/. Pins are host-wide and
 * outlive the namespace whose interface they served, so every open classifies what it
 * finds: live here, live in another namespace, or stale. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include <bpf/bpf.h>

#include "core/instance.h"
#include "core/pins.h"
#include "core/portlist.h"
#include "sys/iface.h"
#include "sys/log.h"

const char *xdplb_pin_root(void)
{
	const char *root = getenv("XDPLB_PIN_ROOT");

	return root && *root ? root : XDPLB_PIN_ROOT_DEFAULT;
}

bool xdplb_is_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

int xdplb_pins_prepare(void)
{
	const char *root = xdplb_pin_root();
	char parent[PATH_MAX];

	snprintf(parent, sizeof(parent), "%s", root);
	dirname(parent);
	if (!xdplb_is_bpffs(parent)) {
		if (strcmp(parent, XDPLB_BPFFS_MOUNT)) {
			pr_err("pin root: %s: not on a bpffs (mount -t bpf bpf %s)", root, parent);
			return -ENOTDIR;
		}
		if (mount("bpf", XDPLB_BPFFS_MOUNT, "bpf", 0, "mode=0700")) {
			pr_err("bpffs: not mounted at %s and mounting it failed: %s (mount -t bpf bpf %s)",
			       XDPLB_BPFFS_MOUNT, strerror(errno), XDPLB_BPFFS_MOUNT);
			return -errno;
		}
		pr_debug("mounted bpffs at %s", XDPLB_BPFFS_MOUNT);
	}
	if (mkdir(root, 0700) && errno != EEXIST) {
		pr_err("pin root: %s: %s", root, strerror(errno));
		return -errno;
	}
	return 0;
}

int xdplb_pins_lock(void)
{
	int fd = open(xdplb_pin_root(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		pr_err("pin root: %s: %s", xdplb_pin_root(), strerror(errno));
		return -errno;
	}
	if (flock(fd, LOCK_EX)) {
		pr_err("pin root: %s: lock: %s", xdplb_pin_root(), strerror(errno));
		close(fd);
		return -errno;
	}
	return fd;
}

void xdplb_pins_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

static void xdplb_classify(struct xdplb_instance *in)
{
	const struct xdplb_meta *m = &in->meta;
	int ifindex;

	ifindex = if_nametoindex(in->ifname);
	if (m->abi_version != XDPLB_ABI_VERSION) {
		/* The meta's head is the same in every version (maps/xdplb_config.h), so the
		 * program of another version can still be found, and detached. */
		in->state = XDPLB_STATE_BROKEN;
		in->other_abi = m->netns_ino == xdplb_netns_ino() && ifindex &&
				(__u32)ifindex == m->ifindex && xdplb_xdp_runs(ifindex, m->prog_id);
		return;
	}
	if (m->netns_ino != xdplb_netns_ino()) {
		in->state = xdplb_netns_alive(m->netns_ino) ? XDPLB_STATE_ELSEWHERE
							    : XDPLB_STATE_STALE;
		return;
	}
	if (ifindex && (__u32)ifindex == m->ifindex && xdplb_xdp_runs(ifindex, m->prog_id))
		in->state = XDPLB_STATE_LIVE;
	else
		in->state = XDPLB_STATE_STALE;
}

static const char *const xdplb_remote_pins[XDPLB_REMOTE__COUNT] = {
	[XDPLB_REMOTE_PASS] = XDPLB_PIN_REMOTE_PASS,
	[XDPLB_REMOTE_DROP] = XDPLB_PIN_REMOTE_DROP,
	[XDPLB_REMOTE_REDIRECT] = XDPLB_PIN_REMOTE_REDIRECT,
};

int xdplb_pins_open(const char *ifname, struct xdplb_instance *in)
{
	char path[PATH_MAX + 32];
	struct stat st;
	__u32 key = 0;
	int i;

	xdplb_instance_init(in);
	/* Every caller checked the name already; this keeps a path out of the root whatever
	 * a future caller passes. */
	if (!xdplb_ifname_valid(ifname, strlen(ifname)))
		return -EINVAL;
	snprintf(in->ifname, sizeof(in->ifname), "%s", ifname);
	snprintf(in->dir, sizeof(in->dir), "%s/%s", xdplb_pin_root(), ifname);
	if (stat(in->dir, &st))
		return -ENOENT;
	in->state = XDPLB_STATE_BROKEN;
	for (i = 0; i < XDPLB_M__COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", in->dir, xdplb_map_pin_names[i]);
		in->map_fd[i] = bpf_obj_get(path);
		if (in->map_fd[i] < 0) {
			pr_debug("%s: %s", path, strerror(errno));
			return 0;
		}
	}
	for (i = XDPLB_REMOTE_PASS; i < XDPLB_REMOTE__COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", in->dir, xdplb_remote_pins[i]);
		in->remote_fd[i] = bpf_obj_get(path);
		if (in->remote_fd[i] < 0)
			return 0;
	}
	if (bpf_map_lookup_elem(in->map_fd[XDPLB_M_meta], &key, &in->meta))
		return 0;
	xdplb_classify(in);
	return 0;
}

int xdplb_pins_open_live(const char *flag, const char *ifname, struct xdplb_instance *in,
			 struct xdplb_settings *s, int *lock_fd)
{
	struct stat st;
	int err = -ENOENT;

	xdplb_instance_init(in);
	*lock_fd = -1;
	/* No root, no instance: and nothing is created just to look. */
	if (!stat(xdplb_pin_root(), &st)) {
		*lock_fd = xdplb_pins_lock();
		if (*lock_fd < 0)
			return *lock_fd;
		err = xdplb_pins_open(ifname, in);
	}
	if (err == -ENOENT) {
		pr_err("%s: %s: no xdplb instance on it (see xdplb --status)", flag, ifname);
	} else if (!err && in->state != XDPLB_STATE_LIVE) {
		pr_err("%s: %s: its instance is not running here (%s): see xdplb --status", flag,
		       ifname, in->state == XDPLB_STATE_ELSEWHERE ? "it belongs to another network namespace" :
		       in->state == XDPLB_STATE_STALE ? "its interface or namespace is gone" :
		       "its pins are unreadable");
		err = -ESRCH;
	} else if (!err) {
		err = xdplb_instance_settings(in, s);
		if (err)
			pr_err("%s: %s: cannot read its settings: %s", flag, ifname, strerror(-err));
	}
	if (err) {
		xdplb_instance_close(in);
		xdplb_pins_unlock(*lock_fd);
		*lock_fd = -1;
	}
	return err;
}

static int xdplb_cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

int xdplb_pins_list(char names[][IF_NAMESIZE], int max)
{
	DIR *d = opendir(xdplb_pin_root());
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR ||
		    strlen(de->d_name) >= IF_NAMESIZE)
			continue;
		snprintf(names[n++], IF_NAMESIZE, "%s", de->d_name);
	}
	closedir(d);
	qsort(names, n, IF_NAMESIZE, xdplb_cmp_names);
	return n;
}

int xdplb_pins_write(struct xdplb_instance *in, const char *tmpdir)
{
	char path[PATH_MAX + 32];
	int i;

	for (i = 0; i < XDPLB_M__COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, xdplb_map_pin_names[i]);
		if (bpf_obj_pin(in->map_fd[i], path)) {
			pr_err("pin: %s: %s", path, strerror(errno));
			return -errno;
		}
	}
	for (i = XDPLB_REMOTE_PASS; i < XDPLB_REMOTE__COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, xdplb_remote_pins[i]);
		if (bpf_obj_pin(in->remote_fd[i], path)) {
			pr_err("pin: %s: %s", path, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

int xdplb_pins_publish(const char *tmpdir, const char *ifname)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", xdplb_pin_root(), ifname);
	if (rename(tmpdir, path)) {
		pr_err("pin: %s -> %s: %s", tmpdir, path, strerror(errno));
		return -errno;
	}
	return 0;
}

/* Whether dir is one entry directly below the pin root: an instance or a pending-* one.
 * Nothing else is ever removed, so no name can turn a removal on the root, its parent or
 * another program's pins. */
static bool xdplb_pins_dir_ours(const char *dir)
{
	const char *root = xdplb_pin_root();
	size_t len = strlen(root);
	const char *name = dir + len + 1;

	return !strncmp(dir, root, len) && dir[len] == '/' && *name && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..");
}

int xdplb_pins_remove_dir(const char *dir)
{
	char path[PATH_MAX + 256];
	struct dirent *de;
	DIR *d;
	int err = 0;

	if (!xdplb_pins_dir_ours(dir)) {
		pr_err("unpin: %s: not an instance directory under %s: left alone", dir,
		       xdplb_pin_root());
		return -EINVAL;
	}
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		/* xdplb pins only files; a directory inside is not its own. */
		if (de->d_type == DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) && !err)
			err = -errno;
	}
	closedir(d);
	if (rmdir(dir) && !err)
		err = -errno;
	if (err)
		pr_err("unpin: %s: %s", dir, strerror(-err));
	return err;
}
