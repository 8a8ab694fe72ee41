// SPDX-License-Identifier: GPL-2.0
/* watch.c: --watch. Every interval it re-reads the pin root, pairs each running instance
 * with its own snapshot of the interval before, and prints the rates: a terminal view that
 * fits 100 columns, or one JSON object per line (status.c's writer, with rates). The pins
 * are re-read every time because instances come and go under a watch that may run for
 * days; one that vanishes or is replaced is reported, never fatal. Nothing is loaded or
 * changed: the kernel-event counters live with each instance from attach to detach. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/select.h>

#include <xdp/libxdp.h>

#include "cmd/prometheus.h"
#include "cmd/status.h"
#include "cmd/watch.h"
#include "core/names.h"
#include "core/pins.h"
#include "core/stats.h"
#include "sys/json.h"

/* The terminal view stays within this many columns. */
#define XDPLB_WATCH_COLS	100
/* Below this many redirected frames in an interval a skewed share says nothing. */
#define XDPLB_WATCH_MIN_FRAMES	100
/* One target "carries most of the load" above this share, when its weight asks for less
 * than the share minus the margin. */
#define XDPLB_WATCH_SKEW	0.70
#define XDPLB_WATCH_SKEW_MARGIN	0.10

/* Set by SIGINT/SIGTERM: the one global the tool allows itself besides its context. */
static volatile sig_atomic_t xdplb_watch_stop;

/* One instance being watched, identified by its attach (a detach and a new attach under
 * the same name is another instance, whose counters restart from zero). */
struct xdplb_watched {
	char ifname[IF_NAMESIZE];
	__u32 prog_id;
	__u64 attach_time_ns;
	bool seen;			/* found in the current round */
	struct xdplb_snapshot prev;
};

/* News of one round: an instance appeared, or vanished and why. */
struct xdplb_watch_news {
	char ifname[IF_NAMESIZE];
	const char *reason;		/* NULL: appeared */
};

/* A target's rates over one interval. known is false for a target the previous snapshot
 * lacks (a reconfiguration added it meanwhile): it has no rate yet. */
struct xdplb_tgt_rates {
	bool known;
	double pps, share, drops_ps, kthread_ps, kthread_drops_ps, sched_ps;
	double sent_ps, xmit_drops_ps, xmit_errors_ps;
};

struct xdplb_watch {
	const struct xdplb_opts *o;
	FILE *out;
	bool color;
	struct xdplb_settings *s;		/* scratch, one instance's settings */
	struct xdplb_watched *w;		/* [XDPLB_MAX_INSTANCES] */
	int n_watched;
	struct xdplb_watch_news *news;		/* [2 * XDPLB_MAX_INSTANCES] */
	int n_news;
	struct xdplb_tgt_rates *rates;		/* [XDPLB_MAX_TARGETS] */
	char (*names)[IF_NAMESIZE];		/* [XDPLB_MAX_INSTANCES] */
	int n_shown;				/* instances printed in this round */
	struct xdplb_prom *prom;		/* --prometheus-file: this round's metrics */
	struct xdplb_json json;			/* --json: this round's object */
};

static void xdplb_watch_on_signal(int sig)
{
	(void)sig;
	xdplb_watch_stop = 1;
}

static __u64 xdplb_clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Sleeps until the CLOCK_MONOTONIC deadline or a stop signal. The signals stay blocked
 * except inside pselect(), which unblocks them atomically: one that arrives while a round is
 * printed ends the next sleep at once, instead of being missed for a whole interval. */
static void xdplb_watch_sleep(__u64 deadline_ns, const sigset_t *waitmask)
{
	__u64 now;

	while (!xdplb_watch_stop && (now = xdplb_clock_ns(CLOCK_MONOTONIC)) < deadline_ns) {
		struct timespec ts = {
			.tv_sec = (deadline_ns - now) / 1000000000ULL,
			.tv_nsec = (deadline_ns - now) % 1000000000ULL,
		};

		pselect(0, NULL, NULL, NULL, &ts, waitmask);
	}
}

/* 1234.5 -> "1.2K", 9.64e9 -> "9.6G": rates that span nine orders of magnitude fit one
 * narrow column, with the unit beside the number. */
static const char *xdplb_human(char *buf, size_t len, double v)
{
	static const char units[] = " KMGT";
	int u = 0;

	if (v <= 0)
		return "0";
	while (v >= 999.95 && u < 4) {
		v /= 1000;
		u++;
	}
	if (u)
		snprintf(buf, len, "%.1f%c", v, units[u]);
	else
		snprintf(buf, len, v < 10 && v != (double)(long long)v ? "%.1f" : "%.0f", v);
	return buf;
}

/* A right-aligned rate in width columns; bold red on a terminal when alarm is set. The
 * escape codes go around the padded cell, so the columns stay aligned. */
static void xdplb_cell(struct xdplb_watch *wt, int width, double v, bool alarm)
{
	char buf[16];

	if (alarm && wt->color)
		fprintf(wt->out, " \033[1;31m%*s\033[0m", width, xdplb_human(buf, sizeof(buf), v));
	else
		fprintf(wt->out, " %*s", width, xdplb_human(buf, sizeof(buf), v));
}

/* A rate cell, or "-" for a target without a rate yet. */
static void xdplb_rate_cell(struct xdplb_watch *wt, int width, const struct xdplb_tgt_rates *r,
			    double v, bool alarm)
{
	if (r->known)
		xdplb_cell(wt, width, v, alarm);
	else
		fprintf(wt->out, " %*s", width, "-");
}

/* Appends "name rate" to a line of labelled rates, wrapping before the last column. */
static void xdplb_text_item(struct xdplb_watch *wt, int *col, const char *name, double v)
{
	char buf[16];
	const char *num = xdplb_human(buf, sizeof(buf), v);

	if (*col + 2 + (int)strlen(name) + 1 + (int)strlen(num) > XDPLB_WATCH_COLS) {
		fprintf(wt->out, "\n%12s", "");
		*col = 12;
	}
	*col += fprintf(wt->out, "  %s %s", name, num);
}

static void xdplb_target_rates(struct xdplb_watch *wt, const struct xdplb_snapshot *now,
			       const struct xdplb_snapshot *prev, double dt)
{
	__u32 i;

	for (i = 0; i < now->n_targets; i++) {
		struct xdplb_tgt_rates *r = &wt->rates[i];
		int j = xdplb_snapshot_find(prev, &now->ref[i]);
		const struct xdplb_event_target_stats *e = &now->ev_tgt[i], *pe;

		memset(r, 0, sizeof(*r));
		if (j < 0)
			continue;
		pe = &prev->ev_tgt[j];
		r->known = true;
		r->pps = xdplb_rate_ps(now->tgt[i].packets, prev->tgt[j].packets, dt);
		r->share = xdplb_snapshot_share(now, prev, i);
		r->drops_ps = xdplb_rate_ps(e->enqueue_drops, pe->enqueue_drops, dt);
		r->kthread_ps = xdplb_rate_ps(e->kthread_processed, pe->kthread_processed, dt);
		r->kthread_drops_ps = xdplb_rate_ps(e->kthread_drops, pe->kthread_drops, dt);
		r->sched_ps = xdplb_rate_ps(e->kthread_sched, pe->kthread_sched, dt);
		r->sent_ps = xdplb_rate_ps(e->xmit_sent, pe->xmit_sent, dt);
		r->xmit_drops_ps = xdplb_rate_ps(e->xmit_drops, pe->xmit_drops, dt);
		r->xmit_errors_ps = xdplb_rate_ps(e->xmit_errors, pe->xmit_errors, dt);
	}
}

static void xdplb_text_rx(struct xdplb_watch *wt, const struct xdplb_snapshot *now,
			  const struct xdplb_snapshot *prev, double dt)
{
	FILE *f = wt->out;
	int cpu, shown = 0;

	fprintf(f, "  %-10s %11s %11s %13s %11s\n", "receiving", "packets/s", "bits/s",
		"redirected/s", "passed/s");
	for (cpu = 0; cpu < now->ncpus; cpu++) {
		const struct xdplb_rx_stats *r = &now->rx_cpu[cpu], *p = &prev->rx_cpu[cpu];
		char name[16];

		/* Only CPUs that ever received: a host has hundreds of possible CPUs. */
		if (!r->rx_packets)
			continue;
		snprintf(name, sizeof(name), "cpu %d", cpu);
		fprintf(f, "  %-10s", name);
		xdplb_cell(wt, 11, xdplb_rate_ps(r->rx_packets, p->rx_packets, dt), false);
		xdplb_cell(wt, 11, 8 * xdplb_rate_ps(r->rx_bytes, p->rx_bytes, dt), false);
		xdplb_cell(wt, 13, xdplb_rate_ps(r->redirected, p->redirected, dt), false);
		xdplb_cell(wt, 11, xdplb_rate_ps(xdplb_passed(r), xdplb_passed(p), dt), false);
		fprintf(f, "\n");
		shown++;
	}
	if (!shown)
		fprintf(f, "  %-10s nothing received yet\n", "");
}

static const char *xdplb_target_name(char *buf, size_t len, const struct xdplb_target *t)
{
	if (t->kind == XDPLB_TARGET_CPU)
		snprintf(buf, len, "cpu %u", t->id);
	else
		snprintf(buf, len, "port %s", t->ifname);
	return buf;
}

static void xdplb_text_targets(struct xdplb_watch *wt, const struct xdplb_settings *s)
{
	FILE *f = wt->out;
	__u32 i;

	if (s->target_kind == XDPLB_TARGET_CPU)
		fprintf(f, "  %-10s %6s %6s %11s %7s %11s %11s %10s %9s\n", "target", "weight",
			"qsize", "packets/s", "share", "drops/s", "kthread/s", "k.drops/s",
			"sched/s");
	else
		fprintf(f, "  %-20s %6s %11s %7s %11s %11s %11s\n", "target", "weight", "packets/s",
			"share", "drops/s", "sent/s", "errors/s");
	for (i = 0; i < s->n_targets; i++) {
		const struct xdplb_target *t = &s->targets[i];
		const struct xdplb_tgt_rates *r = &wt->rates[i];
		char name[32], share[16] = "-";

		xdplb_target_name(name, sizeof(name), t);
		if (r->known)
			snprintf(share, sizeof(share), "%.1f%%", 100 * r->share);
		if (t->kind == XDPLB_TARGET_CPU) {
			fprintf(f, "  %-10s %6u %6u", name, t->weight, t->qsize);
			xdplb_rate_cell(wt, 11, r, r->pps, false);
			fprintf(f, " %7s", share);
			xdplb_rate_cell(wt, 11, r, r->drops_ps, r->drops_ps > 0);
			xdplb_rate_cell(wt, 11, r, r->kthread_ps, false);
			xdplb_rate_cell(wt, 10, r, r->kthread_drops_ps, r->kthread_drops_ps > 0);
			xdplb_rate_cell(wt, 9, r, r->sched_ps, false);
		} else {
			fprintf(f, "  %-20s %6u", name, t->weight);
			xdplb_rate_cell(wt, 11, r, r->pps, false);
			fprintf(f, " %7s", share);
			xdplb_rate_cell(wt, 11, r, r->xmit_drops_ps, r->xmit_drops_ps > 0);
			xdplb_rate_cell(wt, 11, r, r->sent_ps, false);
			xdplb_rate_cell(wt, 11, r, r->xmit_errors_ps, r->xmit_errors_ps > 0);
		}
		fprintf(f, "\n");
	}
}

static void xdplb_text_counts(struct xdplb_watch *wt, const struct xdplb_snapshot *now,
			      const struct xdplb_snapshot *prev, double dt)
{
	int col, i;

	col = fprintf(wt->out, "  %-10s", "passed/s");
	for (i = 0; i < XDPLB_PASS__COUNT; i++)
		xdplb_text_item(wt, &col, xdplb_pass_names[i],
				xdplb_rate_ps(now->rx.pass[i], prev->rx.pass[i], dt));
	col = fprintf(wt->out, "\n  %-10s", "kernel/s");
	xdplb_text_item(wt, &col, "redirect_errors",
			xdplb_rate_ps(now->ev.redirect_errors, prev->ev.redirect_errors, dt));
	xdplb_text_item(wt, &col, "exceptions",
			xdplb_rate_ps(now->ev.exceptions, prev->ev.exceptions, dt));
	fprintf(wt->out, "\n");
}

/* What one target's interval asks the user to do, in words. */
static void xdplb_text_target_notes(struct xdplb_watch *wt, const struct xdplb_target *t,
				    const struct xdplb_tgt_rates *r)
{
	FILE *f = wt->out;
	char name[32], num[16];
	double lost;

	xdplb_target_name(name, sizeof(name), t);
	if (r->drops_ps > 0 && t->qsize < XDPLB_QSIZE_MAX)
		fprintf(f, "  ! %s: queue full, %s frames/s dropped (%.1f%%): qsize %u looks too "
			"small\n    raise it with --qsize (up to %d), or spread the load over more "
			"CPUs\n", name, xdplb_human(num, sizeof(num), r->drops_ps),
			r->pps > 0 ? 100 * r->drops_ps / r->pps : 100.0, t->qsize, XDPLB_QSIZE_MAX);
	else if (r->drops_ps > 0)
		fprintf(f, "  ! %s: queue full, %s frames/s dropped even at the largest qsize\n"
			"    the CPU cannot keep up: add CPUs or lower its weight\n", name,
			xdplb_human(num, sizeof(num), r->drops_ps));
	if (r->kthread_drops_ps > 0)
		fprintf(f, "  ! %s: its cpumap kthread dropped %s frames/s (no memory for socket "
			"buffers)\n", name, xdplb_human(num, sizeof(num), r->kthread_drops_ps));
	lost = r->xmit_drops_ps + r->xmit_errors_ps;
	if (lost > 0)
		fprintf(f, "  ! %s: %s frames/s not sent: its TX queue is full or the link is "
			"down\n", name, xdplb_human(num, sizeof(num), lost));
}

/* One target carrying most of the frames: above XDPLB_WATCH_SKEW, and well above what
 * its weight asks for (weights 1:3 mean 75% on purpose). Said only with enough frames in
 * the interval for a share to mean something. */
static void xdplb_text_skew_note(struct xdplb_watch *wt, const struct xdplb_settings *s,
				 double dt)
{
	double total_pps = 0, weights = 0, want, got;
	char name[32];
	int top = -1;
	__u32 i;

	for (i = 0; i < s->n_targets; i++) {
		weights += s->targets[i].weight;
		if (!wt->rates[i].known)
			continue;
		total_pps += wt->rates[i].pps;
		if (top < 0 || wt->rates[i].share > wt->rates[top].share)
			top = (int)i;
	}
	if (s->n_targets < 2 || top < 0 || weights <= 0 ||
	    total_pps * dt < XDPLB_WATCH_MIN_FRAMES)
		return;
	want = s->targets[top].weight / weights;
	got = wt->rates[top].share;
	if (got > XDPLB_WATCH_SKEW && got > want + XDPLB_WATCH_SKEW_MARGIN)
		fprintf(wt->out, "  ! %s carries %.1f%% of the frames (its weight asks for %.1f%%)\n"
			"    a few heavy flows dominate: xdplb spreads flows, not packets\n",
			xdplb_target_name(name, sizeof(name), &s->targets[top]), 100 * got,
			100 * want);
}

/* What a user should act on, in words: a queue too small, a CPU that cannot keep up, one
 * target taking most of the load, the kernel refusing frames. */
static void xdplb_text_notes(struct xdplb_watch *wt, const struct xdplb_instance *in,
			     const struct xdplb_settings *s, const struct xdplb_snapshot *now,
			     const struct xdplb_snapshot *prev, double dt)
{
	double err_ps = xdplb_rate_ps(now->ev.redirect_errors, prev->ev.redirect_errors, dt);
	double exc_ps = xdplb_rate_ps(now->ev.exceptions, prev->ev.exceptions, dt);
	bool skb_cpumap = in->meta.attach_mode == XDP_MODE_SKB &&
			  s->target_kind == XDPLB_TARGET_CPU;
	char num[16];
	__u32 i;

	for (i = 0; i < s->n_targets; i++)
		if (wt->rates[i].known)
			xdplb_text_target_notes(wt, &s->targets[i], &wt->rates[i]);
	xdplb_text_skew_note(wt, s, dt);
	if (err_ps > 0)
		fprintf(wt->out, "  ! %s redirect errors/s: the kernel refused frames for a target\n%s",
			xdplb_human(num, sizeof(num), err_ps), skb_cpumap ?
			"    in skb mode a full cpumap queue counts here: raise --qsize\n" : "");
	if (exc_ps > 0)
		fprintf(wt->out, "  ! %s XDP exceptions/s on %s: a program aborted or a frame could "
			"not be sent on\n", xdplb_human(num, sizeof(num), exc_ps), in->ifname);
}

static void xdplb_text_instance_rates(struct xdplb_watch *wt, const struct xdplb_instance *in,
				      const struct xdplb_settings *s,
				      const struct xdplb_snapshot *now,
				      const struct xdplb_snapshot *prev)
{
	double dt = xdplb_snapshot_dt_s(now, prev);

	xdplb_target_rates(wt, now, prev, dt);
	fprintf(wt->out, "%s: %s, %s mode, prog %u, hash %s, remote %s, %u %s\n", in->ifname,
		xdplb_state_name(in->state), xdplb_mode_name(in->meta.attach_mode),
		in->meta.prog_id, xdplb_hash_name(s->hash_mode), xdplb_remote_name(s->remote),
		s->n_targets, s->target_kind == XDPLB_TARGET_CPU ? "CPUs" : "ports");
	xdplb_text_rx(wt, now, prev, dt);
	xdplb_text_targets(wt, s);
	xdplb_text_balance(wt->out, in);
	xdplb_text_counts(wt, now, prev, dt);
	xdplb_text_notes(wt, in, s, now, prev, dt);
}

static void xdplb_watch_show(struct xdplb_watch *wt, const struct xdplb_instance *in,
			     const struct xdplb_snapshot *now, const struct xdplb_snapshot *prev)
{
	if (wt->o->json) {
		xdplb_json_instance(&wt->json, in, wt->s, now, prev);
	} else {
		xdplb_text_instance_rates(wt, in, wt->s, now, prev);
	}
	wt->n_shown++;
}

static void xdplb_watch_news(struct xdplb_watch *wt, const char *ifname, const char *reason)
{
	struct xdplb_watch_news *n;

	if (wt->n_news >= 2 * XDPLB_MAX_INSTANCES)
		return;
	n = &wt->news[wt->n_news++];
	snprintf(n->ifname, sizeof(n->ifname), "%s", ifname);
	n->reason = reason;
}

static struct xdplb_watched *xdplb_watch_find(struct xdplb_watch *wt, const char *ifname)
{
	int i;

	for (i = 0; i < wt->n_watched; i++)
		if (!strcmp(wt->w[i].ifname, ifname))
			return &wt->w[i];
	return NULL;
}

static void xdplb_watch_forget(struct xdplb_watch *wt, struct xdplb_watched *w,
			       const char *reason)
{
	xdplb_watch_news(wt, w->ifname, reason);
	xdplb_snapshot_free(&w->prev);
	*w = wt->w[--wt->n_watched];
}

/* One instance in one round: reported, started on, or shown against its last snapshot. */
static void xdplb_watch_one(struct xdplb_watch *wt, const char *ifname, bool show)
{
	struct xdplb_watched *w = xdplb_watch_find(wt, ifname);
	struct xdplb_snapshot now;
	struct xdplb_instance in;

	/* Gone between the listing and the open: reported below as not seen. */
	if (xdplb_pins_open(ifname, &in))
		return;
	if (in.state != XDPLB_STATE_LIVE && in.state != XDPLB_STATE_ELSEWHERE) {
		if (w)
			xdplb_watch_forget(wt, w, xdplb_state_name(in.state));
		goto close;
	}
	if (xdplb_instance_settings(&in, wt->s) || xdplb_snapshot_read(&in, wt->s, &now)) {
		/* Half-removed by a detach running right now, most likely. */
		if (w)
			xdplb_watch_forget(wt, w, "broken");
		goto close;
	}
	/* Totals need no previous snapshot: a new instance is exported from its first round. */
	if (wt->prom)
		xdplb_prom_add(wt->prom, &in, wt->s, &now);
	if (w && (w->prog_id != in.meta.prog_id || w->attach_time_ns != in.meta.attach_time_ns)) {
		xdplb_watch_forget(wt, w, "replaced");
		w = NULL;
	}
	if (!w) {
		if (wt->n_watched >= XDPLB_MAX_INSTANCES) {
			xdplb_snapshot_free(&now);
			goto close;
		}
		w = &wt->w[wt->n_watched++];
		memset(w, 0, sizeof(*w));
		snprintf(w->ifname, sizeof(w->ifname), "%s", ifname);
		w->prog_id = in.meta.prog_id;
		w->attach_time_ns = in.meta.attach_time_ns;
		if (show)
			xdplb_watch_news(wt, ifname, NULL);
	} else if (show) {
		xdplb_watch_show(wt, &in, &now, &w->prev);
	}
	xdplb_snapshot_free(&w->prev);
	w->prev = now;
	w->seen = true;
close:
	xdplb_instance_close(&in);
}

static void xdplb_watch_time(char *buf, size_t len, __u64 real_ns, bool rfc3339)
{
	time_t sec = real_ns / 1000000000ULL;
	struct tm tm;

	if (rfc3339) {
		gmtime_r(&sec, &tm);
		strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(buf + strlen(buf), len - strlen(buf), ".%03lluZ",
			 (unsigned long long)(real_ns / 1000000ULL % 1000));
	} else {
		localtime_r(&sec, &tm);
		strftime(buf, len, "%H:%M:%S", &tm);
	}
}

/* The end of a round's JSON object: instances that appeared, and those that vanished with
 * the reason (detached, stale, broken, replaced). */
static void xdplb_json_news(struct xdplb_watch *wt)
{
	struct xdplb_json *j = &wt->json;
	const struct xdplb_watch_news *n;
	int i;

	xdplb_json_close(j, ']');
	xdplb_json_open(j, "appeared", '[');
	for (i = 0; i < wt->n_news; i++)
		if (!wt->news[i].reason)
			xdplb_json_str(j, NULL, wt->news[i].ifname);
	xdplb_json_close(j, ']');
	xdplb_json_open(j, "vanished", '[');
	for (i = 0; i < wt->n_news; i++) {
		n = &wt->news[i];
		if (!n->reason)
			continue;
		xdplb_json_open(j, NULL, '{');
		xdplb_json_str(j, "ifname", n->ifname);
		xdplb_json_str(j, "reason", n->reason);
		xdplb_json_close(j, '}');
	}
	xdplb_json_close(j, ']');
	xdplb_json_close(j, '}');
	fputc('\n', wt->out);
}

static void xdplb_text_news(struct xdplb_watch *wt, const char *when)
{
	const struct xdplb_watch_news *n;
	int i;

	for (i = 0; i < wt->n_news; i++) {
		n = &wt->news[i];
		if (n->reason)
			fprintf(wt->out, "%s  %s: instance gone (%s)\n", when, n->ifname, n->reason);
		else
			fprintf(wt->out, "%s  %s: instance appeared, rates from the next interval\n",
				when, n->ifname);
	}
	if (!wt->n_shown && !wt->n_news)
		fprintf(wt->out, "%s  no running xdplb instance%s%s; waiting\n", when,
			wt->o->ifname ? " on " : "", wt->o->ifname ? wt->o->ifname : "");
	fprintf(wt->out, "\n");
}

/* Lists the instances, shows (or, in the first round, only snapshots) each, and reports
 * the ones that vanished since the round before. With --prometheus-file, every round
 * rewrites the file; returns the error of that write. */
static int xdplb_watch_round(struct xdplb_watch *wt, bool show, double interval_s)
{
	__u64 real_ns = xdplb_clock_ns(CLOCK_REALTIME);
	char when[48];
	int i, n, err = 0;

	if (wt->o->prometheus_file && !(wt->prom = xdplb_prom_new()))
		err = -ENOMEM;

	wt->n_news = 0;
	wt->n_shown = 0;
	if (wt->o->ifname) {
		snprintf(wt->names[0], IF_NAMESIZE, "%s", wt->o->ifname);
		n = 1;
	} else {
		n = xdplb_pins_list(wt->names, XDPLB_MAX_INSTANCES);
	}
	xdplb_watch_time(when, sizeof(when), real_ns, wt->o->json);
	if (show && wt->o->json) {
		xdplb_json_start(&wt->json, wt->out);
		xdplb_json_open(&wt->json, NULL, '{');
		xdplb_json_str(&wt->json, "time", when);
		xdplb_json_fixed(&wt->json, "interval_s", 6, interval_s);
		xdplb_json_open(&wt->json, "instances", '[');
	} else if (show)
		fprintf(wt->out, "%s  interval %.2f s\n", when, interval_s);
	for (i = 0; i < wt->n_watched; i++)
		wt->w[i].seen = false;
	for (i = 0; i < n; i++)
		xdplb_watch_one(wt, wt->names[i], show);
	for (i = wt->n_watched - 1; i >= 0; i--)
		if (!wt->w[i].seen)
			xdplb_watch_forget(wt, &wt->w[i], "detached");
	if (show && wt->o->json)
		xdplb_json_news(wt);
	else if (show)
		xdplb_text_news(wt, when);
	fflush(wt->out);
	if (wt->prom)
		err = xdplb_prom_write_file(wt->prom, wt->o->prometheus_file);
	xdplb_prom_free(wt->prom);
	wt->prom = NULL;
	return err;
}

static void xdplb_watch_free(struct xdplb_watch *wt)
{
	int i;

	for (i = 0; wt->w && i < wt->n_watched; i++)
		xdplb_snapshot_free(&wt->w[i].prev);
	free(wt->w);
	free(wt->news);
	free(wt->rates);
	free(wt->names);
	free(wt->s);
}

int xdplb_watch(const struct xdplb_opts *o)
{
	struct sigaction sa = { .sa_handler = xdplb_watch_on_signal }, old_int, old_term;
	struct xdplb_watch wt = { .o = o, .out = stdout };
	__u64 interval_ns = (__u64)(o->interval_s * 1e9), tick_ns, deadline_ns, now_ns;
	sigset_t stop_sigs, old_mask, waitmask;
	const char *term = getenv("TERM");
	__u32 shown;
	int err;

	wt.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && !(term && !strcmp(term, "dumb"));
	wt.s = calloc(1, sizeof(*wt.s));
	wt.w = calloc(XDPLB_MAX_INSTANCES, sizeof(*wt.w));
	wt.news = calloc(2 * XDPLB_MAX_INSTANCES, sizeof(*wt.news));
	wt.rates = calloc(XDPLB_MAX_TARGETS, sizeof(*wt.rates));
	wt.names = calloc(XDPLB_MAX_INSTANCES, sizeof(*wt.names));
	if (!wt.s || !wt.w || !wt.news || !wt.rates || !wt.names) {
		xdplb_watch_free(&wt);
		return -ENOMEM;
	}
	sigemptyset(&stop_sigs);
	sigaddset(&stop_sigs, SIGINT);
	sigaddset(&stop_sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop_sigs, &old_mask);
	waitmask = old_mask;
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	/* A textfile that cannot be written is a mistake to say at once; later failures (a
	 * full disk) are said each round and the watch goes on. */
	err = xdplb_watch_round(&wt, false, 0);
	if (err)
		goto out;
	tick_ns = xdplb_clock_ns(CLOCK_MONOTONIC);
	if (!o->json)
		printf("xdplb --watch: %d instance%s, every %.2f s; Ctrl-C stops\n\n", wt.n_watched,
		       wt.n_watched == 1 ? "" : "s", o->interval_s);
	fflush(stdout);
	/* Ticks on a fixed schedule, so a slow round does not push every later one back;
	 * the rates use the measured times anyway. */
	deadline_ns = tick_ns + interval_ns;
	for (shown = 0; !o->count || shown < o->count; shown++) {
		xdplb_watch_sleep(deadline_ns, &waitmask);
		if (xdplb_watch_stop)
			break;
		now_ns = xdplb_clock_ns(CLOCK_MONOTONIC);
		xdplb_watch_round(&wt, true, (double)(now_ns - tick_ns) / 1e9);
		tick_ns = now_ns;
		deadline_ns += interval_ns;
		if (deadline_ns <= now_ns)
			deadline_ns = now_ns + interval_ns;
	}

out:
	/* A stop signal still pending must reach our handler, not the default one that
	 * would turn a clean exit into death by signal: unblock first, then restore. */
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	xdplb_watch_free(&wt);
	return err;
}
