/* SPDX-License-Identifier: GPL-2.0 */
/* balance.h: --balance, the foreground balancer of one instance. */
#ifndef XDPLB_CMD_BALANCE_H
#define XDPLB_CMD_BALANCE_H

#include <stdbool.h>

#include "cmd/options.h"
#include "core/instance.h"

/* Takes the instance's balancer lock (an flock on its pin directory) and checks it counts
 * per slot. Returns the lock's fd, or a negative errno after saying why. */
int xdplb_balance_claim(const struct xdplb_instance *in);
/* The same on the instance just attached on ifname. */
int xdplb_balance_claim_new(const char *ifname);

/* Whether a running instance already has the settings asked for: a balancer started on it
 * then keeps the table it finds instead of rebuilding it from configuration and seed. */
bool xdplb_balance_keeps(const struct xdplb_settings *a, const struct xdplb_settings *b);

/* Balances ifname's instance until SIGTERM or SIGINT; lock_fd from xdplb_balance_claim. The
 * table stays as the last round left it. */
int xdplb_balance_run(const struct xdplb_opts *o, int lock_fd);

#endif
