// SPDX-License-Identifier: GPL-2.0
/* health.c: the health verdict. Healthy is what a node must be to take its share of the
 * fleet's flows: its instance live (the program runs on IF, IF is up), every configured
 * target present (a CPU online with its cpumap entry, a port up with its devmap entry), and
 * no target's queue dropping more than --max-drop-pct of what was steered to it over a
 * short window. Anything else withdraws the node, which is the safe way round: ECMP sends
 * the flows elsewhere. It only reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>

#include "cmd/health.h"
#include "core/cpulist.h"
#include "core/names.h"
#include "core/pins.h"
#include "core/stats.h"
#include "sys/iface.h"

static int xdplb_unhealthy(const char *ifname, const char *why)
{
	printf("unhealthy: %s: %s\n", ifname, why);
	fflush(stdout);
	return -EIO;
}

/* Whether target t is there to take frames; fills why when not. */
static bool xdplb_target_present(const struct xdplb_instance *in, const struct xdplb_target *t,
				 const bool *online, char *why, size_t len)
{
	struct bpf_cpumap_val cv;
	struct bpf_devmap_val dv;
	__u32 key = t->kind == XDPLB_TARGET_CPU ? t->id : t->slot;

	if (t->kind == XDPLB_TARGET_CPU) {
		if (t->id >= XDPLB_MAX_CPUS || !online[t->id])
			snprintf(why, len, "target cpu %u is offline", t->id);
		else if (bpf_map_lookup_elem(in->map_fd[XDPLB_M_cpus], &key, &cv))
			snprintf(why, len, "target cpu %u has no cpumap entry", t->id);
		else
			return true;
		return false;
	}
	switch (xdplb_link_state(t->id)) {
	case XDPLB_LINK_UP:
		break;
	case XDPLB_LINK_MISSING:
		snprintf(why, len, "target port %s is missing", t->ifname);
		return false;
	case XDPLB_LINK_NO_CARRIER:
		snprintf(why, len, "target port %s has no carrier", t->ifname);
		return false;
	default:
		snprintf(why, len, "target port %s is down", t->ifname);
		return false;
	}
	if (!bpf_map_lookup_elem(in->map_fd[XDPLB_M_ports], &key, &dv))
		return true;
	snprintf(why, len, "target port %s has no devmap entry", t->ifname);
	return false;
}

/* Frames of target i that its queue (CPU) or driver (port) dropped. */
static __u64 xdplb_target_drops(const struct xdplb_snapshot *snap, __u32 kind, int i)
{
	const struct xdplb_event_target_stats *ev = &snap->ev_tgt[i];

	return kind == XDPLB_TARGET_CPU ? ev->enqueue_drops + ev->kthread_drops :
					  ev->xmit_drops + ev->xmit_errors;
}

/* The largest share of its frames a target dropped between two snapshots, in percent, and
 * which target that was. A target that was sent nothing but dropped counts as 100%. */
static double xdplb_worst_drop_pct(const struct xdplb_settings *s, const struct xdplb_snapshot *a,
				   const struct xdplb_snapshot *b, __u32 *worst)
{
	double pct, max = 0;
	__u64 sent, dropped;
	__u32 i;
	int k;

	*worst = 0;
	for (i = 0; i < b->n_targets; i++) {
		k = xdplb_snapshot_find(a, &b->ref[i]);
		if (k < 0)
			continue;
		sent = b->tgt[i].packets - a->tgt[k].packets;
		dropped = xdplb_target_drops(b, s->targets[i].kind, i) -
			  xdplb_target_drops(a, s->targets[i].kind, k);
		pct = sent ? 100.0 * dropped / sent : dropped ? 100.0 : 0.0;
		if (pct > max) {
			max = pct;
			*worst = i;
		}
	}
	return max;
}

static void xdplb_target_name(const struct xdplb_target *t, char *buf, size_t len)
{
	if (t->kind == XDPLB_TARGET_CPU)
		snprintf(buf, len, "cpu %u", t->id);
	else
		snprintf(buf, len, "port %s", t->ifname);
}

/* Watches the queues over the window; 0 and the verdict's line when they keep up. */
static int xdplb_health_drops(const struct xdplb_opts *o, const struct xdplb_instance *in,
			      const struct xdplb_settings *s)
{
	struct timespec ts = { XDPLB_HEALTH_WINDOW_MS / 1000,
			       (XDPLB_HEALTH_WINDOW_MS % 1000) * 1000000L };
	struct xdplb_snapshot a, b;
	char why[160], name[40];
	double pct;
	__u32 worst;

	if (xdplb_snapshot_read(in, s, &a))
		return xdplb_unhealthy(in->ifname, "cannot read its counters");
	nanosleep(&ts, NULL);
	if (xdplb_snapshot_read(in, s, &b)) {
		xdplb_snapshot_free(&a);
		return xdplb_unhealthy(in->ifname, "cannot read its counters");
	}
	pct = xdplb_worst_drop_pct(s, &a, &b, &worst);
	xdplb_snapshot_free(&a);
	xdplb_snapshot_free(&b);
	xdplb_target_name(&s->targets[worst], name, sizeof(name));
	if (pct > o->max_drop_pct) {
		snprintf(why, sizeof(why), "%s dropped %.1f%% of its frames in %d ms (--max-drop-pct %u)",
			 name, pct, XDPLB_HEALTH_WINDOW_MS, o->max_drop_pct);
		return xdplb_unhealthy(in->ifname, why);
	}
	printf("healthy: %s: live, %u target%s present, drops at most %.1f%% in %d ms "
	       "(--max-drop-pct %u)\n", in->ifname, s->n_targets, s->n_targets == 1 ? "" : "s", pct,
	       XDPLB_HEALTH_WINDOW_MS, o->max_drop_pct);
	return 0;
}

/* The instance and its targets as they are now: 0 when all are there. */
static int xdplb_health_presence(const struct xdplb_instance *in, const struct xdplb_settings *s)
{
	static bool online[XDPLB_MAX_CPUS];
	char why[160];
	__u32 i;

	if (in->state != XDPLB_STATE_LIVE) {
		snprintf(why, sizeof(why), "instance is %s, not live", xdplb_state_name(in->state));
		return xdplb_unhealthy(in->ifname, why);
	}
	if (xdplb_link_state(in->meta.ifindex) != XDPLB_LINK_UP)
		return xdplb_unhealthy(in->ifname, "the interface is not up");
	if (!s->n_targets)
		return xdplb_unhealthy(in->ifname, "no target configured");
	if (xdplb_read_online_cpus(online, XDPLB_MAX_CPUS) < 0)
		return xdplb_unhealthy(in->ifname, "cannot read the online CPUs");
	for (i = 0; i < s->n_targets; i++)
		if (!xdplb_target_present(in, &s->targets[i], online, why, sizeof(why)))
			return xdplb_unhealthy(in->ifname, why);
	return 0;
}

int xdplb_health(const struct xdplb_opts *o)
{
	struct xdplb_settings *s = calloc(1, sizeof(*s));
	struct xdplb_instance in;
	int err;

	if (!s)
		return -ENOMEM;
	err = xdplb_pins_open(o->ifname, &in);
	if (err) {
		free(s);
		return xdplb_unhealthy(o->ifname, err == -ENOENT ? "no xdplb instance" :
				       "its pins cannot be read");
	}
	/* Settings that cannot be read say nothing new about an instance that is not live. */
	if (xdplb_instance_settings(&in, s) && in.state == XDPLB_STATE_LIVE)
		err = xdplb_unhealthy(in.ifname, "cannot read its settings");
	else
		err = xdplb_health_presence(&in, s);
	if (!err)
		err = xdplb_health_drops(o, &in, s);
	xdplb_instance_close(&in);
	free(s);
	return err;
}
