/* SPDX-License-Identifier: GPL-2.0 */
/* dispatcher.h: whether libxdp's multi-program dispatcher can run here, and where xdplb
 * sits in it. */
#ifndef XDPLB_DISPATCHER_H
#define XDPLB_DISPATCHER_H

#include <stddef.h>

/* libxdp runs a dispatcher's programs in ascending run priority (its default is 50) and
 * moves on to the next one only when a program returns XDP_PASS. xdplb redirects, which
 * ends the chain, so it runs after the usual filters and firewalls: they see every frame
 * first, and what xdplb passes (non-IP, configuration gaps) still reaches later ones. */
#define XDPLB_RUN_PRIO	100

/* Loads a tiny program and tries to replace one of its functions with another (freplace),
 * what the dispatcher is built on. 0 when that works; otherwise -errno, and why[] names
 * the step that failed. Attaches nothing to any interface. */
int xdplb_dispatcher_probe(char *why, size_t len);

#endif
