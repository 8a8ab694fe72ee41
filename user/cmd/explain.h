/* SPDX-License-Identifier: GPL-2.0 */
/* explain.h: --explain FILE, every frame of a capture through the data path's own decision
 * (core/explain_prog.h), against a live instance (--iface) or settings not yet applied
 * (--cpus ... or --config FILE). */
#ifndef XDPLB_EXPLAIN_H
#define XDPLB_EXPLAIN_H

#include "cmd/config_file.h"
#include "cmd/options.h"
#include "core/explain_prog.h"

/* --explain --config FILE: the file's settings to try, not its interface. 0 or
 * -XDPLB_EUSAGE after one line. */
int xdplb_explain_config_load(struct xdplb_opts *o, struct xdplb_config_file *cf);

/* The engine for these options: the live instance on o->ifname, or o's settings (--cpus
 * ...) built as an attach would build them; *s gets the settings. flag names the mode. */
int xdplb_explainer_open_opts(const struct xdplb_opts *o, const char *flag,
			      struct xdplb_explainer *e, struct xdplb_settings *s);

/* Runs it; 0, -XDPLB_EUSAGE or a negative errno. */
int xdplb_explain(const struct xdplb_opts *o);

#endif
