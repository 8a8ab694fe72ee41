/* SPDX-License-Identifier: GPL-2.0 */
/* ask.h: the data path's own decision engine (core/explain_prog.h) for --explain and
 * --which, over the live instance (--iface IF) or settings to try (--cpus ..., --config). */
#ifndef XDPLB_ASK_H
#define XDPLB_ASK_H

#include "cmd/config_file.h"
#include "cmd/options.h"
#include "core/explain_prog.h"

/* --config FILE with --explain or --which: the file's settings to try, not its interface.
 * 0 or -XDPLB_EUSAGE after one line. */
int xdplb_ask_config_load(struct xdplb_opts *o, struct xdplb_config_file *cf);

/* The engine for these options; *s gets the settings it decides with. flag names the mode
 * in errors. */
int xdplb_ask_open(const struct xdplb_opts *o, const char *flag, struct xdplb_explainer *e,
		   struct xdplb_settings *s);

#endif
