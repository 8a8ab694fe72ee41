/* SPDX-License-Identifier: GPL-2.0 */
/* revert.h: --confirm SECS, commit-confirm as routers do it. Before a change is made, a
 * detached process is started that holds the previous state; SECS after the change it
 * restores that state, unless `xdplb --confirm-ok --iface IF` reached it first. */
#ifndef XDPLB_REVERT_H
#define XDPLB_REVERT_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/instance.h"

struct xdplb_revert {
	char ifname[IF_NAMESIZE];
	int ifindex;
	__u32 secs;
	bool had_instance;	/* a reconfiguration: prev is restored into it */
	__u32 prog_id;		/* reconfiguration: the program that must still be running */
	__u32 prev_xdp_id;	/* fresh attach: what the interface ran before (0: nothing) */
	__u64 armed_ns;		/* CLOCK_REALTIME before the change: later instances are its */
	pid_t applier;		/* the applying process, whose pending pin directory may be left */
	struct xdplb_settings prev;
	/* Ports whose veth peer gets GRO from this change (redirect ports, --remote's port):
	 * the revert turns it off again. */
	__u32 n_gro;
	struct {
		__u32 ifindex;
		char ifname[IF_NAMESIZE];
	} gro[XDPLB_MAX_PORTS + 1];
	int chan;		/* applying side: channel to the revert process */
	pid_t pid;		/* the revert process */
};

/* Starts the revert process for the change described in rv, before that change is made:
 * from then on nothing this process does or suffers can leave the change in place. */
int xdplb_revert_arm(struct xdplb_revert *rv);

/* Tells the revert process how the change went: made (SECS count from now) or failed and
 * rolled back (it exits, nothing to revert). */
void xdplb_revert_report(struct xdplb_revert *rv, int err);

/* The line that follows a change made with --confirm: when it reverts, how to keep it. */
void xdplb_revert_announce(const struct xdplb_revert *rv);

/* --confirm-ok --iface IF: 0 when the revert process took the confirmation. */
int xdplb_revert_confirm(const char *ifname);

/* After a --detach: a pending revert has nothing left to restore and must not block the
 * next change. */
void xdplb_revert_dismiss(const char *ifname);

/* Milliseconds until a pending change on ifname reverts, or -1 when none is pending. */
long long xdplb_revert_pending(const char *ifname, pid_t *pid);

#endif
