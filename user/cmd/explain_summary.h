/* SPDX-License-Identifier: GPL-2.0 */
/* explain_summary.h: one line that names a frame for a reader (protocols, addresses,
 * ports). Only for display: the decision is the BPF program's (core/explain_prog.h). */
#ifndef XDPLB_EXPLAIN_SUMMARY_H
#define XDPLB_EXPLAIN_SUMMARY_H

#include <stddef.h>
#include <linux/types.h>

void xdplb_frame_summary(const __u8 *p, __u32 len, char *buf, size_t size);

#endif
