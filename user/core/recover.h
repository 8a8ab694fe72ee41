/* SPDX-License-Identifier: GPL-2.0 */
/* recover.h: what an xdplb run cut short left behind, finished or removed by the next. */
#ifndef XDPLB_RECOVER_H
#define XDPLB_RECOVER_H

#include "core/instance.h"

/* Under the pin root's lock, before a command looks at any instance: an interrupted
 * attach (a pending-* directory) is undone, program included; an interrupted change
 * (a pending journal) is finished; the directory of a renamed interface takes its new
 * name. Says nothing unless something was repaired. */
void xdplb_recover(void);

/* For commands that read an instance (--which, --config-out): repairs as every run does,
 * opens the live one on ifname and reads its settings into *s, holding the lock so that
 * no reconfiguration runs between the reads; *lock_fd is to be released with xdplb_pins_unlock() after the last read. Says
 * why not under flag's name. */
int xdplb_pins_open_live(const char *flag, const char *ifname, struct xdplb_instance *in,
			 struct xdplb_settings *s, int *lock_fd);

#endif
