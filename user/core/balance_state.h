/* SPDX-License-Identifier: GPL-2.0 */
/* balance_state.h: an instance's balancer state as --status, --watch and Prometheus show it. */
#ifndef XDPLB_BALANCE_STATE_H
#define XDPLB_BALANCE_STATE_H

#include <stdbool.h>

#include "core/instance.h"
#include "maps/xdplb_balance.h"

/* Reads the state map; *running: its balancer's process is alive. false when the instance
 * has no balancer state to show (never balanced, or unreadable). */
bool xdplb_balance_read(const struct xdplb_instance *in, struct xdplb_bal *bal, bool *running);

#endif
