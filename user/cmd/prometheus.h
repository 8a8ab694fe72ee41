/* SPDX-License-Identifier: GPL-2.0 */
/* prometheus.h: instances' counters in Prometheus' text exposition format, for
 * `--status --prometheus` and for node-exporter textfiles (`--prometheus-file`). */
#ifndef XDPLB_PROMETHEUS_H
#define XDPLB_PROMETHEUS_H

#include <stdio.h>

#include "core/instance.h"
#include "core/stats.h"

/* One exposition being built. The format wants every sample of a metric together under its
 * HELP and TYPE lines, while callers meet instances one at a time: each add appends the
 * instance's samples to every metric's own buffer, the write puts the metrics together. */
struct xdplb_prom;

struct xdplb_prom *xdplb_prom_new(void);
void xdplb_prom_free(struct xdplb_prom *p);

/* Adds one instance (the settings it runs with and a snapshot of its counters). */
void xdplb_prom_add(struct xdplb_prom *p, const struct xdplb_instance *in,
		    const struct xdplb_settings *s, const struct xdplb_snapshot *snap);

/* Writes the exposition. Returns 0 or -errno. */
int xdplb_prom_write(const struct xdplb_prom *p, FILE *f);

/* Replaces path atomically, as node exporter's textfile collector needs (it may read at any
 * moment): a temporary file in the same directory, written, synced, renamed over path.
 * Prints the reason and returns -errno on failure, leaving path as it was. The watch loop
 * calls new, add for each instance of a round, write_file, free. */
int xdplb_prom_write_file(const struct xdplb_prom *p, const char *path);

#endif
