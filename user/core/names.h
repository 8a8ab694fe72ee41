/* SPDX-License-Identifier: GPL-2.0 */
/* names.h: the words for hash modes, remote actions, attach modes and instance states. */
#ifndef XDPLB_CORE_NAMES_H
#define XDPLB_CORE_NAMES_H

#include <linux/types.h>

#include "core/instance.h"

#define XDPLB_HASH_NAMES	3	/* sym, l4, l3 */
#define XDPLB_MODE_NAMES	4	/* the libxdp modes: auto (unspecified), native, skb, hw */

extern const char *const xdplb_hash_names[XDPLB_HASH_NAMES];
extern const char *const xdplb_remote_names[XDPLB_REMOTE__COUNT];
extern const char *const xdplb_mode_names[XDPLB_MODE_NAMES];

const char *xdplb_hash_name(__u32 mode);
const char *xdplb_mode_name(__u32 attach_mode);
const char *xdplb_remote_name(__u32 remote);
const char *xdplb_state_name(enum xdplb_state st);

#endif
