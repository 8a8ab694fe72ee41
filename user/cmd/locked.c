// SPDX-License-Identifier: GPL-2.0
/* locked.c: one lock for every change of pins, so two xdplb runs never interleave. */
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/locked.h"
#include "core/pins.h"
#include "core/recover.h"

int xdplb_run_locked(int (*fn)(void *arg), void *arg, bool remove_root)
{
	struct stat st;
	bool had_root = !stat(xdplb_pin_root(), &st);
	int lock_fd, err;

	err = xdplb_pins_prepare();
	if (err)
		return err;
	lock_fd = xdplb_pins_lock();
	if (lock_fd < 0)
		return lock_fd;
	xdplb_recover();
	err = fn(arg);
	/* Leave no empty root behind: a failed attach, or the last detach. */
	if (!had_root || remove_root)
		rmdir(xdplb_pin_root());
	xdplb_pins_unlock(lock_fd);
	return err;
}
