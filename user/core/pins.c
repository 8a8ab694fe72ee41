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

#include "core/adopt.h"
#include "core/events.h"
#include "core/instance.h"
#include "core/pins.h"
#include "core/portlist.h"
#include "core/reconfig.h"
#include "sys/iface.h"
#include "sys/log.h"
#include "sys/xdp_progs.h"

const char *xdplb_pin_root(void)
{
	const char *root = getenv("XDPLB_PIN_ROOT");

	return root && *root ? root : XDPLB_PIN_ROOT_DEFAULT;
}

__u64 xdplb_pin_root_id(void)
{
	char root[PATH_MAX];
	size_t len;

	snprintf(root, sizeof(root), "%s", xdplb_pin_root());
	for (len = strlen(root); len > 1 && root[len - 1] == '/'; len--)
		root[len - 1] = '\0';
	return xdplb_fnv1a(root) ?: 1;
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

/* The directories under the root that can be instances (interface names), sorted. */
static int xdplb_cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int xdplb_list_dirs(char names[][IF_NAMESIZE], int max)
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

static int xdplb_pin_get(const char *dir, const char *name)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return bpf_obj_get(path);
}

/* What ties a directory to its program, whichever pins are left: the config map the
 * program uses, the program id its meta records, the pinned program itself. */
static void xdplb_dir_ids(const char *dir, __u32 *config_id, __u32 *meta_prog, __u32 *pin_prog)
{
	struct xdplb_meta m = {};
	__u32 key = 0;
	int fd;

	fd = xdplb_pin_get(dir, XDPLB_MAP_CONFIG);
	*config_id = xdplb_fd_map_id(fd);
	if (fd >= 0)
		close(fd);
	fd = xdplb_pin_get(dir, XDPLB_MAP_META);
	*meta_prog = fd >= 0 && !bpf_map_lookup_elem(fd, &key, &m) ? m.prog_id : 0;
	if (fd >= 0)
		close(fd);
	fd = xdplb_pin_get(dir, XDPLB_PIN_PROG);
	*pin_prog = xdplb_fd_prog_id(fd);
	if (fd >= 0)
		close(fd);
}

static bool xdplb_ids_match(const struct xdplb_ours *o, __u32 config_id, __u32 meta_prog,
			    __u32 pin_prog)
{
	return (config_id && o->config_id == config_id) || (meta_prog && o->prog_id == meta_prog) ||
	       (pin_prog && o->prog_id == pin_prog);
}

bool xdplb_pins_claimed(const struct xdplb_ours *o, char *owner)
{
	static char names[XDPLB_MAX_INSTANCES][IF_NAMESIZE];
	char dir[2 * PATH_MAX];
	__u32 config_id, meta_prog, pin_prog;
	int n = xdplb_list_dirs(names, XDPLB_MAX_INSTANCES), i;

	for (i = 0; i < n; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", xdplb_pin_root(), names[i]);
		xdplb_dir_ids(dir, &config_id, &meta_prog, &pin_prog);
		if (xdplb_ids_match(o, config_id, meta_prog, pin_prog)) {
			if (owner)
				snprintf(owner, IF_NAMESIZE, "%.15s", names[i]);
			return true;
		}
	}
	return false;
}

/* The program of ours on ifindex that the directory's pins name; when no pin names one,
 * the one no other directory claims. */
static bool xdplb_dir_prog(const char *dir, int ifindex, struct xdplb_ours *found)
{
	struct xdplb_ours ours[XDPLB_XDP_PROGS_MAX];
	__u32 config_id, meta_prog, pin_prog;
	int n, i;

	if (ifindex <= 0)
		return false;
	n = xdplb_find_ours(ifindex, xdplb_pin_root_id(), ours, XDPLB_XDP_PROGS_MAX);
	xdplb_dir_ids(dir, &config_id, &meta_prog, &pin_prog);
	for (i = 0; i < n; i++) {
		if (config_id || meta_prog || pin_prog ?
		    !xdplb_ids_match(&ours[i], config_id, meta_prog, pin_prog) :
		    xdplb_pins_claimed(&ours[i], NULL))
			continue;
		*found = ours[i];
		return true;
	}
	return false;
}

static void xdplb_classify(struct xdplb_instance *in)
{
	const struct xdplb_meta *m = &in->meta;
	char now[IF_NAMESIZE] = "";
	bool runs;

	if (m->abi_version != XDPLB_ABI_VERSION) {
		/* The meta's head is the same in every version (maps/xdplb_config.h), so the
		 * program of another version can still be found, and detached. */
		in->state = XDPLB_STATE_BROKEN;
		in->other_abi = m->netns_ino == xdplb_netns_ino() && xdplb_xdp_runs(m->ifindex, m->prog_id);
		snprintf(in->reason, sizeof(in->reason), "made by another xdplb version (ABI %u)",
			 m->abi_version);
		return;
	}
	if (m->netns_ino != xdplb_netns_ino()) {
		in->state = xdplb_netns_alive(m->netns_ino) ? XDPLB_STATE_ELSEWHERE
							    : XDPLB_STATE_STALE;
		snprintf(in->reason, sizeof(in->reason), "%s", in->state == XDPLB_STATE_STALE ?
			 "its network namespace is gone" : "it belongs to another network namespace");
		return;
	}
	/* By ifindex, not by name: a renamed interface still runs its instance. */
	runs = if_indextoname(m->ifindex, now) && xdplb_xdp_runs(m->ifindex, m->prog_id);
	if (runs) {
		in->state = XDPLB_STATE_LIVE;
		if (strcmp(now, in->ifname))
			snprintf(in->renamed_to, sizeof(in->renamed_to), "%s", now);
		return;
	}
	in->state = XDPLB_STATE_STALE;
	if (!now[0])
		snprintf(in->reason, sizeof(in->reason), "its interface (ifindex %u) is gone",
			 m->ifindex);
	else
		snprintf(in->reason, sizeof(in->reason), "its program (prog %u) no longer runs on %s",
			 m->prog_id, now);
}

static const char *const xdplb_remote_pins[XDPLB_REMOTE__COUNT] = {
	[XDPLB_REMOTE_PASS] = XDPLB_PIN_REMOTE_PASS,
	[XDPLB_REMOTE_DROP] = XDPLB_PIN_REMOTE_DROP,
	[XDPLB_REMOTE_REDIRECT] = XDPLB_PIN_REMOTE_REDIRECT,
};

/* Opens every pin there is; returns the name of the first one missing (NULL: none). */
static const char *xdplb_open_pins(struct xdplb_instance *in)
{
	const char *missing = NULL;
	char path[PATH_MAX + 32];
	struct stat st;
	int i;

	for (i = 0; i < XDPLB_M__COUNT; i++) {
		in->map_fd[i] = xdplb_pin_get(in->dir, xdplb_map_pin_names[i]);
		if (in->map_fd[i] < 0 && !missing)
			missing = xdplb_map_pin_names[i];
	}
	for (i = XDPLB_REMOTE_PASS; i < XDPLB_REMOTE__COUNT; i++) {
		in->remote_fd[i] = xdplb_pin_get(in->dir, xdplb_remote_pins[i]);
		if (in->remote_fd[i] < 0 && !missing)
			missing = xdplb_remote_pins[i];
	}
	snprintf(path, sizeof(path), "%s/%s", in->dir, XDPLB_PIN_PROG);
	if (stat(path, &st) && !missing)
		missing = XDPLB_PIN_PROG;
	for (i = 0; i < XDPLB_EVENT_LINKS; i++) {
		snprintf(path, sizeof(path), "%s/%s", in->dir, xdplb_event_link_pins[i]);
		if (stat(path, &st) && !missing)
			missing = xdplb_event_link_pins[i];
	}
	/* Older instances have none: made at their first change. */
	in->journal_fd = xdplb_pin_get(in->dir, XDPLB_PIN_JOURNAL);
	return missing;
}

/* A directory with a pin missing: broken, and its program (if it still runs) found on
 * the interface so that a detach can remove it. */
static void xdplb_mark_broken(struct xdplb_instance *in, const char *missing, bool have_meta)
{
	struct xdplb_ours o;
	int ifindex = have_meta && in->meta.netns_ino == xdplb_netns_ino() ? (int)in->meta.ifindex :
		      (int)if_nametoindex(in->ifname);

	in->state = XDPLB_STATE_BROKEN;
	in->renamed_to[0] = '\0';
	if (xdplb_dir_prog(in->dir, ifindex, &o)) {
		in->meta.ifindex = ifindex;
		in->run_id = o.prog_id;
		in->run_mode = o.attach_mode;
	}
	snprintf(in->reason, sizeof(in->reason), "pin %s is missing%s%s: xdplb --detach --iface %s removes it",
		 missing, in->run_id ? " while its program runs" : "",
		 !strncmp(missing, "link_", 5) ? " (its kernel-event counters stopped)" : "",
		 in->ifname);
}

static void xdplb_open_dir(struct xdplb_instance *in)
{
	const char *missing = xdplb_open_pins(in);
	bool have_meta;
	__u32 key = 0;

	have_meta = in->map_fd[XDPLB_M_meta] >= 0 &&
		    !bpf_map_lookup_elem(in->map_fd[XDPLB_M_meta], &key, &in->meta);
	if (have_meta)
		xdplb_classify(in);
	if (in->state == XDPLB_STATE_LIVE || in->other_abi) {
		in->run_id = in->meta.prog_id;
		in->run_mode = in->meta.attach_mode;
	}
	if ((missing || !have_meta) && in->state != XDPLB_STATE_ELSEWHERE && !in->other_abi)
		xdplb_mark_broken(in, missing ? missing : XDPLB_MAP_META, have_meta);
}

/* No interface of that name: a live instance attached under it, whose interface was
 * renamed since (its meta keeps the first name). */
static int xdplb_open_first_name(const char *ifname, struct xdplb_instance *in)
{
	static char names[XDPLB_MAX_INSTANCES][IF_NAMESIZE];
	int n = xdplb_list_dirs(names, XDPLB_MAX_INSTANCES), i;

	for (i = 0; i < n; i++) {
		if (xdplb_pins_open(names[i], in))
			continue;
		if (in->state == XDPLB_STATE_LIVE && !strncmp(in->meta.ifname, ifname, IF_NAMESIZE))
			return 0;
		xdplb_instance_close(in);
	}
	return -ENOENT;
}

/* No directory: an unpinned program of ours on the interface is shown as an orphan; one
 * that another directory claims is that directory's (an interface renamed since). */
static int xdplb_open_unpinned(const char *ifname, struct xdplb_instance *in)
{
	struct xdplb_ours ours[XDPLB_XDP_PROGS_MAX];
	char owner[IF_NAMESIZE];
	int ifindex = if_nametoindex(ifname), n, i;

	if (!ifindex)
		return xdplb_open_first_name(ifname, in);
	n = xdplb_find_ours(ifindex, xdplb_pin_root_id(), ours, XDPLB_XDP_PROGS_MAX);
	for (i = 0; i < n; i++) {
		if (xdplb_pins_claimed(&ours[i], owner)) {
			if (!strcmp(owner, ifname))
				continue;
			return xdplb_pins_open(owner, in);
		}
		if (xdplb_adopt_orphan(ifname, ifindex, &ours[i], in))
			continue;
		snprintf(in->reason, sizeof(in->reason),
			 "xdplb_rx (prog %u) runs with no pins under %s (an interrupted attach, or pins removed by hand): xdplb --detach --iface %s removes it",
			 ours[i].prog_id, xdplb_pin_root(), ifname);
		return 0;
	}
	return -ENOENT;
}

int xdplb_pins_open(const char *ifname, struct xdplb_instance *in)
{
	struct stat st;

	xdplb_instance_init(in);
	/* Every caller checked the name already; this keeps a path out of the root whatever
	 * a future caller passes. */
	if (!xdplb_ifname_valid(ifname, strlen(ifname)))
		return -EINVAL;
	snprintf(in->ifname, sizeof(in->ifname), "%s", ifname);
	snprintf(in->dir, sizeof(in->dir), "%s/%s", xdplb_pin_root(), ifname);
	if (stat(in->dir, &st)) {
		in->dir[0] = '\0';
		return xdplb_open_unpinned(ifname, in);
	}
	xdplb_open_dir(in);
	return 0;
}

int xdplb_pins_open_at(const char *dir, const char *ifname, struct xdplb_instance *in)
{
	xdplb_instance_init(in);
	snprintf(in->ifname, sizeof(in->ifname), "%s", ifname);
	snprintf(in->dir, sizeof(in->dir), "%s", dir);
	xdplb_open_dir(in);
	return 0;
}

/* Interfaces of this namespace that run an unpinned program of ours. */
static int xdplb_list_orphans(char names[][IF_NAMESIZE], int n, int max)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	struct xdplb_ours ours[XDPLB_XDP_PROGS_MAX];
	int k, j, have = n;

	for (i = ifs; i && i->if_index && n < max; i++) {
		k = xdplb_find_ours(i->if_index, xdplb_pin_root_id(), ours, XDPLB_XDP_PROGS_MAX);
		for (j = 0; j < have && k; j++)
			if (!strcmp(names[j], i->if_name))
				k = 0;
		for (j = 0; j < k; j++)
			if (!xdplb_pins_claimed(&ours[j], NULL))
				break;
		if (j < k)
			snprintf(names[n++], IF_NAMESIZE, "%s", i->if_name);
	}
	if (ifs)
		if_freenameindex(ifs);
	return n;
}

int xdplb_pins_list(char names[][IF_NAMESIZE], int max)
{
	int n = xdplb_list_orphans(names, xdplb_list_dirs(names, max), max);

	qsort(names, n, IF_NAMESIZE, xdplb_cmp_names);
	return n;
}

int xdplb_pins_write(struct xdplb_instance *in, const char *tmpdir)
{
	char path[PATH_MAX + 32];
	int i;

	for (i = 0; i < XDPLB_M__COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, xdplb_map_pin_names[i]);
		/* The meta is pinned first of all, by the attach. */
		if (bpf_obj_pin(in->map_fd[i], path) && errno != EEXIST) {
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

	if (dir[0] && !xdplb_pins_dir_ours(dir)) {
		pr_err("unpin: %s: not an instance directory under %s: left alone", dir,
		       xdplb_pin_root());
		return -EINVAL;
	}
	if (!dir[0])
		return 0;	/* an orphan: no directory */
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		/* xdplb pins only files; a directory inside is not its own. The journal goes
		 * last: while it is there, a detach cut short is known to be one. */
		if (de->d_type == DT_DIR || !strcmp(de->d_name, XDPLB_PIN_JOURNAL))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) && !err)
			err = -errno;
	}
	closedir(d);
	snprintf(path, sizeof(path), "%s/%s", dir, XDPLB_PIN_JOURNAL);
	if (!err && unlink(path) && errno != ENOENT)
		err = -errno;
	if (rmdir(dir) && !err)
		err = -errno;
	if (err)
		pr_err("unpin: %s: %s", dir, strerror(-err));
	return err;
}
