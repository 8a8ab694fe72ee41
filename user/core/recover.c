// SPDX-License-Identifier: GPL-2.0
/* recover.c: every command holds the pin root's lock while it changes pins, so a
 * pending-* directory or a pending journal seen under the lock belongs to a run that
 * died: nobody else is working on it. An attach that died is undone (the state before
 * it had no instance); a change that died is finished from its journal, which holds the
 * whole target, over "unknown" settings that make every entry be written again. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/journal.h"
#include "core/lifecycle.h"
#include "core/pins.h"
#include "core/portlist.h"
#include "core/reconfig.h"
#include "core/recover.h"
#include "sys/log.h"

#define XDPLB_PENDING_PREFIX	"pending-"

/* "pending-%08d-IFNAME": the interface's name is after the second '-'. */
static void xdplb_undo_attach(const char *name)
{
	const char *ifname = strchr(name + strlen(XDPLB_PENDING_PREFIX), '-');
	char dir[2 * PATH_MAX];
	struct xdplb_instance in;

	if (!ifname || !xdplb_ifname_valid(ifname + 1, strlen(ifname + 1)))
		return;
	snprintf(dir, sizeof(dir), "%s/%s", xdplb_pin_root(), name);
	xdplb_pins_open_at(dir, ifname + 1, &in);
	/* Its namespace's own runs undo it there, where its program can be reached. */
	if (in.state != XDPLB_STATE_ELSEWHERE && !xdplb_detach(&in))
		pr_info("%s: undid an attach that was cut short%s", ifname + 1,
			in.run_id ? " (its program detached)" : "");
	xdplb_instance_close(&in);
}

static void xdplb_undo_attaches(void)
{
	DIR *d = opendir(xdplb_pin_root());
	char names[16][NAME_MAX + 1];
	struct dirent *de;
	int n = 0, i;

	if (!d)
		return;
	while ((de = readdir(d)) && n < 16)
		if (de->d_type == DT_DIR && !strncmp(de->d_name, XDPLB_PENDING_PREFIX,
						     strlen(XDPLB_PENDING_PREFIX)))
			snprintf(names[n++], sizeof(names[0]), "%s", de->d_name);
	closedir(d);
	for (i = 0; i < n; i++)
		xdplb_undo_attach(names[i]);
}

/* Finishes the change the journal holds; when that cannot be made (a port gone since),
 * the settings the instance records are made whole again instead. */
static int xdplb_finish_change(struct xdplb_instance *in, struct xdplb_settings *target)
{
	struct xdplb_settings *cur = calloc(1, sizeof(*cur));
	int err = cur ? xdplb_instance_map_config(in) : -ENOMEM;

	if (!err) {
		xdplb_settings_unknown(in, cur, target);
		err = xdplb_apply(in, cur, target);
	}
	if (err && !xdplb_instance_settings(in, target)) {
		xdplb_settings_unknown(in, cur, target);
		err = xdplb_apply(in, cur, target);
	}
	if (!err)
		xdplb_journal_end(in);
	free(cur);
	return err;
}

/* The directory follows its interface's new name, unless that name has one already. */
static void xdplb_follow_rename(struct xdplb_instance *in)
{
	char to[2 * PATH_MAX];
	struct stat st;

	snprintf(to, sizeof(to), "%s/%s", xdplb_pin_root(), in->renamed_to);
	if (!stat(to, &st) || rename(in->dir, to))
		return;
	/* meta.ifname keeps the name it was attached under: --detach of that name still
	 * finds it while no interface has the name (xdplb_pins_open()). */
	pr_info("%s: its interface is %s now: instance moved to %s", in->ifname, in->renamed_to, to);
}

static void xdplb_recover_instance(const char *ifname, struct xdplb_settings *target)
{
	struct xdplb_instance in;
	int pending;

	if (xdplb_pins_open(ifname, &in) || !in.dir[0] || strcmp(in.ifname, ifname) ||
	    in.state == XDPLB_STATE_ELSEWHERE) {
		xdplb_instance_close(&in);
		return;
	}
	pending = xdplb_journal_pending(&in, target);
	if (pending == XDPLB_JOURNAL_DETACH) {
		if (!xdplb_detach(&in))
			pr_info("%s: finished a detach that was cut short", ifname);
		xdplb_instance_close(&in);
		return;
	}
	if (in.state != XDPLB_STATE_LIVE) {
		xdplb_instance_close(&in);
		return;
	}
	if (pending == XDPLB_JOURNAL_CHANGE) {
		if (xdplb_finish_change(&in, target))
			pr_err("%s: a change cut short cannot be finished: xdplb --detach --iface %s and attach again",
			       ifname, ifname);
		else
			pr_info("%s: finished a change that was cut short", ifname);
	}
	if (in.renamed_to[0])
		xdplb_follow_rename(&in);
	xdplb_instance_close(&in);
}

void xdplb_recover(void)
{
	static char names[XDPLB_MAX_INSTANCES][IF_NAMESIZE];
	struct xdplb_settings *target = calloc(1, sizeof(*target));
	int n, i;

	if (!target)
		return;
	xdplb_undo_attaches();
	n = xdplb_pins_list(names, XDPLB_MAX_INSTANCES);
	for (i = 0; i < n; i++)
		xdplb_recover_instance(names[i], target);
	free(target);
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
		xdplb_recover();
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
