/* SPDX-License-Identifier: GPL-2.0 */
/* pins.h: the bpffs layout, <root>/<ifname>/, its lock, and telling live pins from stale. */
#ifndef XDPLB_PINS_H
#define XDPLB_PINS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/instance.h"

/* Where bpffs is mounted by convention, and mounted by xdplb when nothing is. */
#define XDPLB_BPFFS_MOUNT "/sys/fs/bpf"

/* XDPLB_PIN_ROOT in the environment, else /sys/fs/bpf/xdplb. */
const char *xdplb_pin_root(void);

/* The root's identity, loaded with each instance's receive program (never 0). */
__u64 xdplb_pin_root_id(void);

/* Makes sure the root exists on a bpffs, mounting bpffs at /sys/fs/bpf if nothing is
 * mounted there. Prints the reason on failure. */
int xdplb_pins_prepare(void);

bool xdplb_is_bpffs(const char *path);

/* Exclusive lock over every instance's pins, held while changing any of them. */
int xdplb_pins_lock(void);
void xdplb_pins_unlock(int fd);

/* Opens <root>/<ifname> into *in and classifies it; without a directory, an unpinned
 * xdplb_rx of ours on the interface ifname as an orphan, or the instance of another
 * directory that runs there (a renamed interface). -ENOENT when there is none. */
int xdplb_pins_open(const char *ifname, struct xdplb_instance *in);

/* Opens the pins of dir (a pending-* directory of an interrupted attach) as ifname's. */
int xdplb_pins_open_at(const char *dir, const char *ifname, struct xdplb_instance *in);

/* Whether a directory under the root holds the pins of that program (by its config
 * map, its meta or its pinned program); owner gets the directory's name. */
struct xdplb_ours;
bool xdplb_pins_claimed(const struct xdplb_ours *o, char *owner);

/* How many instances --status and --watch look at; more directories are ignored. */
#define XDPLB_MAX_INSTANCES	256

/* Names of the instance directories under the root and of the interfaces that run an
 * orphan, sorted; returns the count. */
int xdplb_pins_list(char names[][IF_NAMESIZE], int max);

/* Pins the instance's maps and programs into a (temporary) directory. */
int xdplb_pins_write(struct xdplb_instance *in, const char *tmpdir);
/* Moves a filled temporary directory into place as <root>/<ifname>. */
int xdplb_pins_publish(const char *tmpdir, const char *ifname);
/* Removes a pin directory and everything in it. */
int xdplb_pins_remove_dir(const char *dir);

#endif
