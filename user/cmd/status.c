// SPDX-License-Identifier: GPL-2.0
/* status.c: --status. Reads every instance's pins (live, stale or in another namespace)
 * and prints them; never changes anything. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/config_file.h"
#include "cmd/options.h"
#include "cmd/prometheus.h"
#include "cmd/status.h"
#include "core/balance_state.h"
#include "core/names.h"
#include "core/pins.h"
#include "core/recover.h"
#include "core/revert.h"
#include "sys/iface.h"
#include "sys/json.h"
#include "sys/log.h"


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

/* Writes "key": total and, given the previous total, its rate over the measured interval
 * beside it, named rate_key, or key + "_ps" when rate_key is NULL. unit scales the rate
 * (8: bytes to bits/s). */
static void xdplb_json_counter(struct xdplb_json *j, const char *key, __u64 now,
			       const char *rate_key, const __u64 *prev, double dt_s, double unit)
{
	char name[64];

	xdplb_json_u64(j, key, now);
	if (!prev)
		return;
	snprintf(name, sizeof(name), "%s%s", rate_key ? rate_key : key, rate_key ? "" : "_ps");
	xdplb_json_fixed(j, name, 2, xdplb_rate_ps(now, *prev, dt_s) * unit);
}

#define PREV(rec, field) ((rec) ? &(rec)->field : NULL)

/* The kernel-event counters a target shows, by kind, each with its rate key (NULL:
 * the counter's name + "_ps"). */
struct xdplb_event_field {
	const char *key;
	const char *rate_key;
	size_t offset;
};

#define XDPLB_EVENT_FIELD(name, rate) \
	{ #name, rate, offsetof(struct xdplb_event_target_stats, name) }
#define XDPLB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct xdplb_event_field xdplb_cpu_events[] = {
	XDPLB_EVENT_FIELD(enqueue_drops, "drops_ps"),
	XDPLB_EVENT_FIELD(kthread_processed, NULL),
	XDPLB_EVENT_FIELD(kthread_drops, NULL),
	XDPLB_EVENT_FIELD(kthread_sched, NULL),
};

static const struct xdplb_event_field xdplb_port_events[] = {
	XDPLB_EVENT_FIELD(xmit_errors, NULL),
	XDPLB_EVENT_FIELD(xmit_sent, NULL),
	XDPLB_EVENT_FIELD(xmit_drops, NULL),
};

static const __u64 *xdplb_event_at(const struct xdplb_event_target_stats *ev, size_t offset)
{
	return ev ? (const __u64 *)((const char *)ev + offset) : NULL;
}

static void xdplb_json_events(struct xdplb_json *j, const struct xdplb_event_field *fields,
			      size_t n, const struct xdplb_event_target_stats *ev,
			      const struct xdplb_event_target_stats *pe, double dt)
{
	size_t i;

	for (i = 0; i < n; i++)
		xdplb_json_counter(j, fields[i].key, *xdplb_event_at(ev, fields[i].offset),
				   fields[i].rate_key, xdplb_event_at(pe, fields[i].offset), dt, 1);
}

static void xdplb_json_target(struct xdplb_json *j, const struct xdplb_instance *in,
			      const struct xdplb_settings *s, const struct xdplb_snapshot *now,
			      const struct xdplb_snapshot *prev, double dt, __u32 i)
{
	const struct xdplb_target *t = &s->targets[i];
	const struct xdplb_event_target_stats *ev = &now->ev_tgt[i];
	int k = xdplb_snapshot_find(prev, &now->ref[i]);
	const struct xdplb_target_stats *pt = k >= 0 ? &prev->tgt[k] : NULL;
	const struct xdplb_event_target_stats *pe = k >= 0 ? &prev->ev_tgt[k] : NULL;

	xdplb_json_open(j, NULL, '{');
	if (t->kind == XDPLB_TARGET_CPU) {
		xdplb_json_str(j, "type", "cpu");
		xdplb_json_u64(j, "cpu", t->id);
		xdplb_json_u64(j, "qsize", t->qsize);
	} else {
		xdplb_json_str(j, "type", "port");
		xdplb_json_str(j, "ifname", t->ifname);
		xdplb_json_u64(j, "ifindex", t->id);
	}
	xdplb_json_u64(j, "weight", t->weight);
	xdplb_json_fixed(j, "share", 4, xdplb_snapshot_share(now, prev, i));
	xdplb_json_counter(j, "packets", now->tgt[i].packets, "pps", PREV(pt, packets), dt, 1);
	xdplb_json_counter(j, "bytes", now->tgt[i].bytes, "bps", PREV(pt, bytes), dt, 8);
	if (t->kind == XDPLB_TARGET_CPU) {
		xdplb_json_counter(j, "local", now->tgt[i].local, NULL, PREV(pt, local), dt, 1);
		xdplb_json_events(j, xdplb_cpu_events, XDPLB_ARRAY_SIZE(xdplb_cpu_events), ev, pe, dt);
	} else {
		xdplb_json_events(j, xdplb_port_events, XDPLB_ARRAY_SIZE(xdplb_port_events), ev, pe,
				  dt);
		xdplb_json_counter(j, "unhashed", now->tgt[i].unhashed, NULL, PREV(pt, unhashed), dt,
				   1);
		xdplb_json_counter(j, "missing", now->tgt[i].missing, NULL, PREV(pt, missing), dt, 1);
		xdplb_json_u64(j, "slot", t->slot);
		xdplb_json_str(j, "state", xdplb_port_state(in, t->id));
		xdplb_json_u64(j, "mtu", in->state == XDPLB_STATE_LIVE ? xdplb_link_mtu(t->id) : 0);
	}
	xdplb_json_close(j, '}');
}

static void xdplb_json_per_cpu(struct xdplb_json *j, const struct xdplb_snapshot *now,
			       const struct xdplb_snapshot *prev, double dt)
{
	int cpu;

	xdplb_json_open(j, "per_cpu", '[');
	for (cpu = 0; cpu < now->ncpus; cpu++) {
		const struct xdplb_rx_stats *r = &now->rx_cpu[cpu];
		const struct xdplb_rx_stats *pr = prev ? &prev->rx_cpu[cpu] : NULL;
		__u64 passed_prev = pr ? xdplb_passed(pr) : 0;

		xdplb_json_open(j, NULL, '{');
		xdplb_json_int(j, "cpu", cpu);
		xdplb_json_counter(j, "rx_packets", r->rx_packets, "rx_pps", PREV(pr, rx_packets), dt,
				   1);
		xdplb_json_counter(j, "rx_bytes", r->rx_bytes, "rx_bps", PREV(pr, rx_bytes), dt, 8);
		xdplb_json_counter(j, "redirected", r->redirected, NULL, PREV(pr, redirected), dt, 1);
		xdplb_json_counter(j, "passed", xdplb_passed(r), NULL, pr ? &passed_prev : NULL, dt,
				   1);
		xdplb_json_counter(j, "remote_processed", now->rmt_cpu[cpu].remote_processed, NULL,
				   PREV(prev, rmt_cpu[cpu].remote_processed), dt, 1);
		xdplb_json_counter(j, "remote_redirected", now->rmt_cpu[cpu].remote_redirected, NULL,
				   PREV(prev, rmt_cpu[cpu].remote_redirected), dt, 1);
		xdplb_json_close(j, '}');
	}
	xdplb_json_close(j, ']');
}

/* The frame counters of the whole instance: received, redirected, passed by reason,
 * tunnels by kind, kernel events. */
static void xdplb_json_rx(struct xdplb_json *j, const struct xdplb_snapshot *now,
			  const struct xdplb_snapshot *prev, double dt)
{
	int i;

	xdplb_json_open(j, "rx", '{');
	xdplb_json_counter(j, "packets", now->rx.rx_packets, "pps", PREV(prev, rx.rx_packets), dt, 1);
	xdplb_json_counter(j, "bytes", now->rx.rx_bytes, "bps", PREV(prev, rx.rx_bytes), dt, 8);
	xdplb_json_close(j, '}');
	xdplb_json_counter(j, "redirected", now->rx.redirected, NULL, PREV(prev, rx.redirected), dt,
			   1);
	xdplb_json_open(j, "pass", '{');
	for (i = 0; i < XDPLB_PASS__COUNT; i++)
		xdplb_json_counter(j, xdplb_pass_names[i], now->rx.pass[i], NULL,
				   PREV(prev, rx.pass[i]), dt, 1);
	xdplb_json_close(j, '}');
	xdplb_json_open(j, "tunnels", '{');
	for (i = 0; i < XDPLB_TUNNEL__COUNT; i++)
		xdplb_json_counter(j, xdplb_tunnel_names[i], now->rx.tunnel[i], NULL,
				   PREV(prev, rx.tunnel[i]), dt, 1);
	xdplb_json_close(j, '}');
	xdplb_json_counter(j, "redirect_errors", now->ev.redirect_errors, NULL,
			   PREV(prev, ev.redirect_errors), dt, 1);
	xdplb_json_counter(j, "exceptions", now->ev.exceptions, NULL, PREV(prev, ev.exceptions), dt,
			   1);
}

static void xdplb_json_remote_port(struct xdplb_json *j, const struct xdplb_instance *in,
				   const struct xdplb_settings *s, const struct xdplb_snapshot *now)
{
	xdplb_json_open(j, "remote_port", '{');
	xdplb_json_str(j, "ifname", s->remote_ifname);
	xdplb_json_u64(j, "ifindex", s->remote_ifindex);
	xdplb_json_str(j, "state", xdplb_port_state(in, s->remote_ifindex));
	xdplb_json_u64(j, "xmit_sent", now->ev.remote_xmit_sent);
	xdplb_json_u64(j, "xmit_drops", now->ev.remote_xmit_drops);
	xdplb_json_u64(j, "xmit_errors", now->ev.remote_xmit_errors);
	xdplb_json_close(j, '}');
}

/* While or after a balancer ran: its state (design brief 3a). */
static void xdplb_json_balance(struct xdplb_json *j, const struct xdplb_instance *in)
{
	struct xdplb_bal b;
	bool running;

	if (!xdplb_balance_read(in, &b, &running))
		return;
	xdplb_json_open(j, "balance", '{');
	xdplb_json_bool(j, "running", running);
	xdplb_json_u64(j, "moves", b.moves);
	xdplb_json_u64(j, "pressure_moves", b.pressure_moves);
	xdplb_json_u64(j, "deferred", b.deferred);
	xdplb_json_u64(j, "held", b.held_now);
	xdplb_json_u64(j, "rounds", b.rounds);
	xdplb_json_u64(j, "rebases", b.rebases);
	xdplb_json_u64(j, "gap_us", b.gap_ns / 1000);
	xdplb_json_u64(j, "gap_releases", b.gap_releases);
	xdplb_json_close(j, '}');
}

void xdplb_text_balance(FILE *f, const struct xdplb_instance *in)
{
	struct xdplb_bal b;
	bool running;

	if (!xdplb_balance_read(in, &b, &running))
		return;
	fprintf(f, "  balance: %s (pid %u), %llu moves, %llu deferred, %u held, %llu rounds; "
		"the table is no longer the one config and seed give\n",
		running ? "running" : "stopped", running ? b.pid : 0, (unsigned long long)b.moves,
		(unsigned long long)b.deferred, b.held_now, (unsigned long long)b.rounds);
}

void xdplb_json_instance(struct xdplb_json *j, const struct xdplb_instance *in,
			 const struct xdplb_settings *s, const struct xdplb_snapshot *now,
			 const struct xdplb_snapshot *prev)
{
	double dt = xdplb_snapshot_dt_s(now, prev);
	char digest[24];
	__u32 i;

	xdplb_json_open(j, NULL, '{');
	xdplb_json_str(j, "ifname", in->ifname);
	xdplb_json_u64(j, "ifindex", in->meta.ifindex);
	xdplb_json_str(j, "state", xdplb_state_name(in->state));
	if (in->reason[0])
		xdplb_json_str(j, "reason", in->reason);
	xdplb_json_str(j, "mode", xdplb_mode_name(in->meta.attach_mode));
	xdplb_json_str(j, "hash", xdplb_hash_name(s->hash_mode));
	xdplb_json_bool(j, "inner", s->hash_mode & XDPLB_HASH_F_INNER);
	xdplb_json_u64(j, "hash_version", xdplb_instance_hash_version(in));
	xdplb_json_strf(j, "seed", "0x%llx", (unsigned long long)s->seed);
	xdplb_json_u64(j, "prog_id", in->meta.prog_id);
	xdplb_json_u64(j, "table_size", s->table_size);
	if (!xdplb_table_digest_hex(in, s, digest, sizeof(digest)))
		xdplb_json_str(j, "table_digest", digest);
	xdplb_json_str(j, "remote", xdplb_remote_name(s->remote));
	xdplb_json_u64(j, "netns_ino", in->meta.netns_ino);
	xdplb_json_rx(j, now, prev, dt);
	if (s->target_kind == XDPLB_TARGET_PORT)
		xdplb_json_bool(j, "pass_non_ip", s->pass_non_ip);
	if (s->remote == XDPLB_REMOTE_REDIRECT)
		xdplb_json_remote_port(j, in, s, now);
	xdplb_json_balance(j, in);
	xdplb_json_open(j, "targets", '[');
	for (i = 0; i < s->n_targets; i++)
		xdplb_json_target(j, in, s, now, prev, dt, i);
	xdplb_json_close(j, ']');
	xdplb_json_per_cpu(j, now, prev, dt);
	xdplb_json_close(j, '}');
}

/* Ports that cannot send the largest frame the interface takes in. */
static void xdplb_text_port_mtus(FILE *f, const struct xdplb_instance *in,
				 const struct xdplb_settings *s)
{
	__u32 i, mtu, own = in->state == XDPLB_STATE_LIVE ? xdplb_link_mtu(in->meta.ifindex) : 0;

	for (i = 0; own && i < s->n_targets; i++) {
		mtu = xdplb_link_mtu(s->targets[i].id);
		if (mtu && mtu < own)
			fprintf(f, "  port %s: mtu %u is below %s's %u: frames over %u bytes are dropped\n",
				s->targets[i].ifname, mtu, in->ifname, own, mtu + 14);
	}
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
	xdplb_text_port_mtus(f, in, s);
}

void xdplb_text_instance(FILE *f, const struct xdplb_instance *in, const struct xdplb_settings *s,
			 const struct xdplb_snapshot *now)
{
	__u64 redirected = now->rx.redirected;
	char digest[24];
	__u32 i;
	int r;

	fprintf(f, "%s: %s, %s mode, prog %u, hash %s%s v%u, seed 0x%llx, table %u, remote %s\n",
		in->ifname, xdplb_state_name(in->state), xdplb_mode_name(in->meta.attach_mode),
		in->meta.prog_id, xdplb_hash_name(s->hash_mode),
		s->hash_mode & XDPLB_HASH_F_INNER ? " (inner)" : "", xdplb_instance_hash_version(in),
		(unsigned long long)s->seed,
		s->table_size, xdplb_remote_name(s->remote));
	if (in->reason[0])
		fprintf(f, "  %s: %s\n", xdplb_state_name(in->state), in->reason);
	fprintf(f, "  rx %llu packets, %llu bytes; redirected %llu; passed",
		(unsigned long long)now->rx.rx_packets, (unsigned long long)now->rx.rx_bytes,
		(unsigned long long)redirected);
	for (r = 0; r < XDPLB_PASS__COUNT; r++)
		fprintf(f, " %s %llu", xdplb_pass_names[r], (unsigned long long)now->rx.pass[r]);
	fprintf(f, "; redirect errors %llu\n  tunnels", (unsigned long long)now->ev.redirect_errors);
	for (r = 0; r < XDPLB_TUNNEL__COUNT; r++)
		fprintf(f, " %s %llu", xdplb_tunnel_names[r], (unsigned long long)now->rx.tunnel[r]);
	fprintf(f, "\n");
	if (!xdplb_table_digest_hex(in, s, digest, sizeof(digest)))
		fprintf(f, "  table digest %s (equal on nodes that place flows alike)\n", digest);
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
	xdplb_text_balance(f, in);
	fprintf(f, "  %-14s %6s %6s %14s %7s %14s %14s\n", "target", "weight", "qsize", "packets",
		"share", "enqueue_drops", "kthread_pkts");
	for (i = 0; i < s->n_targets; i++) {
		const struct xdplb_target *t = &s->targets[i];
		char name[32];

		snprintf(name, sizeof(name), "cpu %u", t->id);
		fprintf(f, "  %-14s %6u %6u %14llu %6.1f%% %14llu %14llu\n", name, t->weight, t->qsize,
			(unsigned long long)now->tgt[i].packets,
			/* Of every target's frames: local ones are not in redirected. */
			100.0 * xdplb_snapshot_share(now, NULL, i),
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

/* No pin root, nothing to lock (and nothing is made just to look); orphans are still
 * found on the interfaces. */
static int xdplb_status_lock(void)
{
	struct stat st;
	int fd;

	if (stat(xdplb_pin_root(), &st))
		return -1;
	fd = xdplb_pins_lock();
	if (fd >= 0)
		xdplb_recover();
	return fd;
}

int xdplb_status(const struct xdplb_opts *o)
{
	static char names[XDPLB_MAX_INSTANCES][IF_NAMESIZE];
	struct xdplb_settings *s = calloc(1, sizeof(*s));
	struct xdplb_prom *prom = NULL;
	const char *ifname = o->ifname;
	struct xdplb_json j;
	int n, i, shown = 0, err = 0, lock_fd;

	if (s && (o->prometheus || o->prometheus_file)) {
		prom = xdplb_prom_new();
		if (!prom)
			err = -ENOMEM;
	}
	if (!s || err) {
		free(s);
		return XDPLB_EXIT_RUNTIME;
	}
	/* Under the lock that every change holds (and after repairing what a run cut short
	 * left), so that no read sees half of a change. */
	lock_fd = xdplb_status_lock();
	if (ifname) {
		snprintf(names[0], IF_NAMESIZE, "%s", ifname);
		n = 1;
	} else {
		n = xdplb_pins_list(names, XDPLB_MAX_INSTANCES);
	}
	xdplb_json_start(&j, stdout);
	if (o->json) {
		xdplb_json_open(&j, NULL, '{');
		xdplb_json_open(&j, "instances", '[');
	}
	for (i = 0; i < n; i++) {
		struct xdplb_instance in;
		struct xdplb_snapshot snap;

		if (xdplb_pins_open(names[i], &in))
			continue;
		if (xdplb_instance_settings(&in, s))
			memset(s, 0, sizeof(*s));
		xdplb_snapshot_read(&in, s, &snap);
		if (prom)
			xdplb_prom_add(prom, &in, s, &snap);
		if (o->json) {
			xdplb_json_instance(&j, &in, s, &snap, NULL);
		} else if (!o->prometheus) {
			xdplb_text_instance(stdout, &in, s, &snap);
			xdplb_text_pending(names[i]);
		}
		shown++;
		xdplb_snapshot_free(&snap);
		xdplb_instance_close(&in);
	}
	xdplb_pins_unlock(lock_fd);
	if (o->json) {
		xdplb_json_close(&j, ']');
		xdplb_json_close(&j, '}');
		putchar('\n');
	} else if (!shown && !o->prometheus)
		printf(ifname ? "no xdplb instance on %s\n" : "no xdplb instance\n", ifname);
	if (o->prometheus)
		err = xdplb_prom_write(prom, stdout);
	if (!err && o->prometheus_file)
		err = xdplb_prom_write_file(prom, o->prometheus_file);
	xdplb_prom_free(prom);
	free(s);
	return err ? XDPLB_EXIT_RUNTIME : XDPLB_EXIT_OK;
}
