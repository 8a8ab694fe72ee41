// SPDX-License-Identifier: GPL-2.0
/* status.c: --status. Reads every instance's pins (live, stale or in another namespace)
 * and prints them; never changes anything. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iface.h"
#include "log.h"
#include "options.h"
#include "pins.h"
#include "revert.h"
#include "status.h"

#define XDPLB_MAX_INSTANCES 256

static const char *const xdplb_pass_names[] = {
#define XDPLB_PASS_NAME(n) #n,
	XDPLB_PASS_REASONS(XDPLB_PASS_NAME)
#undef XDPLB_PASS_NAME
};

const char *xdplb_state_name(enum xdplb_state st)
{
	switch (st) {
	case XDPLB_STATE_LIVE:
		return "live";
	case XDPLB_STATE_STALE:
		return "stale";
	case XDPLB_STATE_ELSEWHERE:
		return "other-netns";
	default:
		return "broken";
	}
}

/* Only an instance of this namespace can have its ports looked at. */
static const char *xdplb_port_state(const struct xdplb_instance *in, __u32 ifindex)
{
	static const char *const names[] = {
		[XDPLB_LINK_MISSING] = "missing", [XDPLB_LINK_DOWN] = "down",
		[XDPLB_LINK_NO_CARRIER] = "no-carrier", [XDPLB_LINK_UP] = "up",
	};

	if (in->state != XDPLB_STATE_LIVE)
		return "unknown";
	return names[xdplb_link_state(ifindex)];
}

/* Writes "key": total and, with a previous snapshot, "rate_key": per second. */
static void xdplb_json_counter(FILE *f, const char *key, __u64 now, const char *rate_key,
			       const __u64 *prev, double dt_s, double unit)
{
	fprintf(f, "\"%s\": %llu", key, (unsigned long long)now);
	if (prev && rate_key) {
		double rate = dt_s > 0 && now >= *prev ? (double)(now - *prev) * unit / dt_s : 0;

		fprintf(f, ", \"%s\": %.1f", rate_key, rate);
	}
}

#define PREV(snap, expr) ((snap) ? &(snap)->expr : NULL)

static void xdplb_json_targets(FILE *f, const struct xdplb_instance *in, const struct xdplb_settings *s,
			       const struct xdplb_snapshot *now, const struct xdplb_snapshot *prev,
			       double dt)
{
	__u32 i;

	fprintf(f, "\"targets\": [");
	for (i = 0; i < s->n_targets; i++) {
		const struct xdplb_target *t = &s->targets[i];
		const struct xdplb_snapshot *p = prev && i < prev->n_targets ? prev : NULL;

		if (t->kind == XDPLB_TARGET_CPU)
			fprintf(f, "%s{\"type\": \"cpu\", \"cpu\": %u, \"qsize\": %u, ", i ? ", " : "",
				t->id, t->qsize);
		else
			fprintf(f, "%s{\"type\": \"port\", \"ifname\": \"%s\", \"ifindex\": %u, ",
				i ? ", " : "", t->ifname, t->id);
		fprintf(f, "\"weight\": %u, ", t->weight);
		xdplb_json_counter(f, "packets", now->tgt[i].packets, "pps", PREV(p, tgt[i].packets), dt, 1);
		fprintf(f, ", ");
		xdplb_json_counter(f, "bytes", now->tgt[i].bytes, "bps", PREV(p, tgt[i].bytes), dt, 8);
		fprintf(f, ", ");
		if (t->kind == XDPLB_TARGET_CPU) {
			xdplb_json_counter(f, "enqueue_drops", now->ev_tgt[i].enqueue_drops, "drops_ps",
					   PREV(p, ev_tgt[i].enqueue_drops), dt, 1);
			fprintf(f, ", ");
			xdplb_json_counter(f, "kthread_processed", now->ev_tgt[i].kthread_processed,
					   "kthread_pps", PREV(p, ev_tgt[i].kthread_processed), dt, 1);
			fprintf(f, ", \"kthread_drops\": %llu, \"kthread_sched\": %llu",
				(unsigned long long)now->ev_tgt[i].kthread_drops,
				(unsigned long long)now->ev_tgt[i].kthread_sched);
		} else {
			xdplb_json_counter(f, "xmit_errors", now->ev_tgt[i].xmit_errors, NULL, NULL, dt, 1);
			fprintf(f, ", \"xmit_sent\": %llu, \"xmit_drops\": %llu, \"unhashed\": %llu, "
				"\"missing\": %llu, \"slot\": %u, \"state\": \"%s\"",
				(unsigned long long)now->ev_tgt[i].xmit_sent,
				(unsigned long long)now->ev_tgt[i].xmit_drops,
				(unsigned long long)now->tgt[i].unhashed,
				(unsigned long long)now->tgt[i].missing, t->slot,
				xdplb_port_state(in, t->id));
		}
		fprintf(f, "}");
	}
	fprintf(f, "]");
}

static void xdplb_json_per_cpu(FILE *f, const struct xdplb_snapshot *now,
			       const struct xdplb_snapshot *prev, double dt)
{
	int cpu;

	fprintf(f, "\"per_cpu\": [");
	for (cpu = 0; cpu < now->ncpus; cpu++) {
		const struct xdplb_rx_stats *r = &now->rx_cpu[cpu];

		fprintf(f, "%s{\"cpu\": %d, ", cpu ? ", " : "", cpu);
		xdplb_json_counter(f, "rx_packets", r->rx_packets, "rx_pps",
				   PREV(prev, rx_cpu[cpu].rx_packets), dt, 1);
		fprintf(f, ", ");
		xdplb_json_counter(f, "rx_bytes", r->rx_bytes, "rx_bps",
				   PREV(prev, rx_cpu[cpu].rx_bytes), dt, 8);
		fprintf(f, ", \"redirected\": %llu, \"passed\": %llu, \"remote_processed\": %llu, "
			"\"remote_redirected\": %llu}",
			(unsigned long long)r->redirected, (unsigned long long)xdplb_passed(r),
			(unsigned long long)now->rmt_cpu[cpu].remote_processed,
			(unsigned long long)now->rmt_cpu[cpu].remote_redirected);
	}
	fprintf(f, "]");
}

void xdplb_json_instance(FILE *f, const struct xdplb_instance *in, const struct xdplb_settings *s,
			 const struct xdplb_snapshot *now, const struct xdplb_snapshot *prev)
{
	double dt = prev ? (double)(now->time_ns - prev->time_ns) / 1e9 : 0;
	int i;

	fprintf(f, "{\"ifname\": \"%s\", \"ifindex\": %u, \"state\": \"%s\", \"mode\": \"%s\", "
		"\"hash\": \"%s\", \"seed\": \"0x%llx\", \"prog_id\": %u, \"table_size\": %u, "
		"\"remote\": \"%s\", \"netns_ino\": %llu, ",
		in->ifname, in->meta.ifindex, xdplb_state_name(in->state),
		xdplb_mode_name(in->meta.attach_mode), xdplb_hash_name(s->hash_mode),
		(unsigned long long)s->seed, in->meta.prog_id, s->table_size,
		xdplb_remote_name(s->remote), (unsigned long long)in->meta.netns_ino);
	fprintf(f, "\"rx\": {");
	xdplb_json_counter(f, "packets", now->rx.rx_packets, "pps", PREV(prev, rx.rx_packets), dt, 1);
	fprintf(f, ", ");
	xdplb_json_counter(f, "bytes", now->rx.rx_bytes, "bps", PREV(prev, rx.rx_bytes), dt, 8);
	fprintf(f, "}, \"redirected\": %llu, \"pass\": {", (unsigned long long)now->rx.redirected);
	for (i = 0; i < XDPLB_PASS__COUNT; i++)
		fprintf(f, "%s\"%s\": %llu", i ? ", " : "", xdplb_pass_names[i],
			(unsigned long long)now->rx.pass[i]);
	fprintf(f, "}, \"redirect_errors\": %llu, \"exceptions\": %llu, ",
		(unsigned long long)now->ev.redirect_errors, (unsigned long long)now->ev.exceptions);
	if (s->target_kind == XDPLB_TARGET_PORT)
		fprintf(f, "\"pass_non_ip\": %s, ", s->pass_non_ip ? "true" : "false");
	if (s->remote == XDPLB_REMOTE_REDIRECT)
		fprintf(f, "\"remote_port\": {\"ifname\": \"%s\", \"ifindex\": %u, \"state\": \"%s\", "
			"\"xmit_sent\": %llu, \"xmit_drops\": %llu, \"xmit_errors\": %llu}, ",
			s->remote_ifname, s->remote_ifindex, xdplb_port_state(in, s->remote_ifindex),
			(unsigned long long)now->ev.remote_xmit_sent,
			(unsigned long long)now->ev.remote_xmit_drops,
			(unsigned long long)now->ev.remote_xmit_errors);
	xdplb_json_targets(f, in, s, now, prev, dt);
	fprintf(f, ", ");
	xdplb_json_per_cpu(f, now, prev, dt);
	fprintf(f, "}");
}

static void xdplb_text_ports(FILE *f, const struct xdplb_instance *in,
			     const struct xdplb_settings *s, const struct xdplb_snapshot *now)
{
	__u64 redirected = now->rx.redirected;
	__u32 i;

	fprintf(f, "  frames without a flow: %s\n", s->pass_non_ip ? "passed to the local stack" :
		"sent out of the first port");
	fprintf(f, "  %-20s %6s %-10s %12s %7s %12s %10s %11s %9s\n", "port", "weight", "state",
		"packets", "share", "xmit_sent", "xmit_drops", "xmit_errors", "missing");
	for (i = 0; i < s->n_targets; i++) {
		const struct xdplb_target *t = &s->targets[i];

		fprintf(f, "  %-20s %6u %-10s %12llu %6.1f%% %12llu %10llu %11llu %9llu\n", t->ifname,
			t->weight, xdplb_port_state(in, t->id), (unsigned long long)now->tgt[i].packets,
			redirected ? 100.0 * now->tgt[i].packets / redirected : 0.0,
			(unsigned long long)now->ev_tgt[i].xmit_sent,
			(unsigned long long)now->ev_tgt[i].xmit_drops,
			(unsigned long long)now->ev_tgt[i].xmit_errors,
			(unsigned long long)now->tgt[i].missing);
	}
}

void xdplb_text_instance(FILE *f, const struct xdplb_instance *in, const struct xdplb_settings *s,
			 const struct xdplb_snapshot *now)
{
	__u64 redirected = now->rx.redirected;
	__u32 i;
	int r;

	fprintf(f, "%s: %s, %s mode, prog %u, hash %s, seed 0x%llx, table %u, remote %s\n",
		in->ifname, xdplb_state_name(in->state), xdplb_mode_name(in->meta.attach_mode),
		in->meta.prog_id, xdplb_hash_name(s->hash_mode), (unsigned long long)s->seed,
		s->table_size, xdplb_remote_name(s->remote));
	fprintf(f, "  rx %llu packets, %llu bytes; redirected %llu; passed",
		(unsigned long long)now->rx.rx_packets, (unsigned long long)now->rx.rx_bytes,
		(unsigned long long)redirected);
	for (r = 0; r < XDPLB_PASS__COUNT; r++)
		fprintf(f, " %s %llu", xdplb_pass_names[r], (unsigned long long)now->rx.pass[r]);
	fprintf(f, "; redirect errors %llu\n", (unsigned long long)now->ev.redirect_errors);
	if (s->remote == XDPLB_REMOTE_REDIRECT)
		fprintf(f, "  remote port %s (%s): sent %llu, drops %llu, errors %llu\n", s->remote_ifname,
			xdplb_port_state(in, s->remote_ifindex),
			(unsigned long long)now->ev.remote_xmit_sent,
			(unsigned long long)now->ev.remote_xmit_drops,
			(unsigned long long)now->ev.remote_xmit_errors);
	if (s->target_kind == XDPLB_TARGET_PORT) {
		xdplb_text_ports(f, in, s, now);
		return;
	}
	fprintf(f, "  %-14s %6s %6s %14s %7s %14s %14s\n", "target", "weight", "qsize", "packets",
		"share", "enqueue_drops", "kthread_pkts");
	for (i = 0; i < s->n_targets; i++) {
		const struct xdplb_target *t = &s->targets[i];
		char name[32];

		snprintf(name, sizeof(name), "cpu %u", t->id);
		fprintf(f, "  %-14s %6u %6u %14llu %6.1f%% %14llu %14llu\n", name, t->weight, t->qsize,
			(unsigned long long)now->tgt[i].packets,
			redirected ? 100.0 * now->tgt[i].packets / redirected : 0.0,
			(unsigned long long)now->ev_tgt[i].enqueue_drops,
			(unsigned long long)now->ev_tgt[i].kthread_processed);
	}
}

/* A change made with --confirm that still waits (its revert process is in this namespace). */
static void xdplb_text_pending(const char *ifname)
{
	pid_t pid;
	long long ms = xdplb_revert_pending(ifname, &pid);

	if (ms >= 0)
		printf("  unconfirmed: reverts in %lld s unless xdplb --confirm-ok --iface %s "
		       "(revert process %d)\n", (ms + 999) / 1000, ifname, pid);
}

int xdplb_status(const char *ifname, int json)
{
	static char names[XDPLB_MAX_INSTANCES][IF_NAMESIZE];
	struct xdplb_settings *s = calloc(1, sizeof(*s));
	int n, i, shown = 0;

	if (!s)
		return XDPLB_EXIT_RUNTIME;
	if (ifname) {
		snprintf(names[0], IF_NAMESIZE, "%s", ifname);
		n = 1;
	} else {
		n = xdplb_pins_list(names, XDPLB_MAX_INSTANCES);
	}
	if (json)
		printf("{\"instances\": [");
	for (i = 0; i < n; i++) {
		struct xdplb_instance in;
		struct xdplb_snapshot snap;

		if (xdplb_pins_open(names[i], &in))
			continue;
		if (xdplb_instance_settings(&in, s))
			memset(s, 0, sizeof(*s));
		xdplb_snapshot_read(&in, s, &snap);
		if (json) {
			printf("%s", shown ? ", " : "");
			xdplb_json_instance(stdout, &in, s, &snap, NULL);
		} else {
			xdplb_text_instance(stdout, &in, s, &snap);
			xdplb_text_pending(names[i]);
		}
		shown++;
		xdplb_snapshot_free(&snap);
		xdplb_instance_close(&in);
	}
	if (json)
		printf("]}\n");
	else if (!shown)
		printf(ifname ? "no xdplb instance on %s\n" : "no xdplb instance\n", ifname);
	free(s);
	return XDPLB_EXIT_OK;
}
