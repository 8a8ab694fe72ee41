// SPDX-License-Identifier: GPL-2.0
/* detach.c: --detach: a live instance is detached, a stale one's pins removed; one of
 * another network namespace is left to that namespace. */
#include <errno.h>

#include "cmd/detach.h"
#include "cmd/locked.h"
#include "core/lifecycle.h"
#include "core/names.h"
#include "core/pins.h"
#include "core/revert.h"
#include "sys/log.h"

struct xdplb_detaching {
	const char *ifname;
	struct xdplb_instance in;
};

static int xdplb_detach_locked(struct xdplb_detaching *d)
{
	int err = xdplb_pins_open(d->ifname, &d->in);

	if (err == -ENOENT) {
		pr_err("--detach: %s: no xdplb instance on it", d->ifname);
		return -ENOENT;
	}
	switch (d->in.state) {
	case XDPLB_STATE_LIVE:
		err = xdplb_detach(&d->in);
		if (!err)
			xdplb_revert_dismiss(d->ifname);
		return err;
	case XDPLB_STATE_ELSEWHERE:
		pr_err("--detach: %s: the instance belongs to another network namespace (netns inode %llu): "
		       "run the detach inside it", d->ifname, (unsigned long long)d->in.meta.netns_ino);
		return -EBUSY;
	default:
		if (d->in.other_abi) {
			pr_info("%s: detaching an instance of another xdplb version (ABI %u)",
				d->ifname, d->in.meta.abi_version);
			return xdplb_detach(&d->in);
		}
		/* Broken pins or none (an orphan): the program, found on the interface,
		 * goes as well. */
		if (d->in.run_id)
			pr_info("%s: removing the %s instance and its program %u", d->ifname,
				xdplb_state_name(d->in.state), d->in.run_id);
		else
			pr_info("%s: removing %s pins (no program of theirs is attached here)",
				d->ifname, xdplb_state_name(d->in.state));
		return xdplb_detach(&d->in);
	}
}

static int xdplb_detach_fn(void *arg)
{
	struct xdplb_detaching *d = arg;
	int err = xdplb_detach_locked(d);

	xdplb_instance_close(&d->in);
	return err;
}

int xdplb_detach_run(const char *ifname)
{
	struct xdplb_detaching d = { .ifname = ifname };

	xdplb_instance_init(&d.in);
	return xdplb_run_locked(xdplb_detach_fn, &d, true);
}
