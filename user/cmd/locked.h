/* SPDX-License-Identifier: GPL-2.0 */
/* locked.h: the commands that change pins (attach, detach) run under the pin root's lock. */
#ifndef XDPLB_CMD_LOCKED_H
#define XDPLB_CMD_LOCKED_H

#include <stdbool.h>

/* Makes the pin root if needed, takes its lock, runs fn(arg), releases the lock. The root
 * is removed when empty if fn made it (a failed first attach) or if remove_root (after a
 * detach). Returns what fn returns, or the error of the root or the lock. */
int xdplb_run_locked(int (*fn)(void *arg), void *arg, bool remove_root);

#endif
