// SPDX-License-Identifier: GPL-2.0
/* balance_state.c: the balancer state map, read for display. A balancer that was killed
 * leaves its pid behind, so running is decided by the process, not the map. */
#include <errno.h>
#include <signal.h>

#include <bpf/bpf.h>

#include "core/balance_state.h"

bool xdplb_balance_read(const struct xdplb_instance *in, struct xdplb_bal *bal, bool *running)
{
	__u32 key = 0;

	if (in->map_fd[XDPLB_M_bal] < 0 || bpf_map_lookup_elem(in->map_fd[XDPLB_M_bal], &key, bal))
		return false;
	*running = bal->pid && (!kill((pid_t)bal->pid, 0) || errno == EPERM);
	return bal->rounds || *running;
}
