// SPDX-License-Identifier: GPL-2.0
/* prometheus.c: the text exposition format (version 0.0.4) of every counter --status --json
 * shows. Counter metrics are named after the X-macro lists of maps/xdplb_counters.h, so a
 * counter added there reaches Prometheus without a line here. Counters are exported per CPU
 * and per target, never also as instance totals: sum() over a metric must not count twice.
 * The seed is left out on purpose: it is the secret that keeps flows from being aimed at
 * one CPU, and metrics travel to dashboards and other hosts. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/config_file.h"
#include "cmd/options.h"
#include "cmd/prometheus.h"
#include "core/balance_state.h"
#include "core/names.h"
#include "sys/iface.h"
#include "sys/log.h"

#define XDPLB_FAM_ENUM(list, n) XDPLB_F_##list##_##n,
#define XDPLB_FAM_RX(n) XDPLB_FAM_ENUM(rx, n)
#define XDPLB_FAM_RMT(n) XDPLB_FAM_ENUM(rmt, n)
#define XDPLB_FAM_EV(n) XDPLB_FAM_ENUM(ev, n)
#define XDPLB_FAM_TGT(n) XDPLB_FAM_ENUM(tgt, n)
#define XDPLB_FAM_EVT(n) XDPLB_FAM_ENUM(evt, n)

enum xdplb_prom_family {
	XDPLB_F_info,
	XDPLB_F_attach_time,
	XDPLB_F_table_size,
	XDPLB_F_balance_running,
	XDPLB_F_balance_moves,
	XDPLB_F_balance_deferred,
	XDPLB_F_table_info,
	XDPLB_RX_COUNTERS(XDPLB_FAM_RX)
	XDPLB_F_passed,
	XDPLB_F_tunnels,
	XDPLB_REMOTE_COUNTERS(XDPLB_FAM_RMT)
	XDPLB_EVENT_COUNTERS(XDPLB_FAM_EV)
	XDPLB_F_target_weight,
	XDPLB_F_target_qsize,
	XDPLB_F_target_mtu,
	XDPLB_TARGET_COUNTERS(XDPLB_FAM_TGT)
	XDPLB_EVENT_TARGET_COUNTERS(XDPLB_FAM_EVT)
	XDPLB_F__COUNT
};

struct xdplb_prom_meta {
	const char *name;
	const char *type;
	const char *key;	/* the counter's name in maps/xdplb_counters.h, for its help */
};

#define XDPLB_META(list, n, prefix) \
	[XDPLB_F_##list##_##n] = { "xdplb_" prefix #n "_total", "counter", #n },
#define XDPLB_META_RX(n) XDPLB_META(rx, n, "")
#define XDPLB_META_RMT(n) XDPLB_META(rmt, n, "")
#define XDPLB_META_EV(n) XDPLB_META(ev, n, "")
#define XDPLB_META_TGT(n) XDPLB_META(tgt, n, "target_")
#define XDPLB_META_EVT(n) XDPLB_META(evt, n, "target_")

static const struct xdplb_prom_meta xdplb_prom_meta[XDPLB_F__COUNT] = {
	[XDPLB_F_info] = { "xdplb_instance_info", "gauge", "info" },
	[XDPLB_F_attach_time] = { "xdplb_attach_time_seconds", "gauge", "attach_time" },
	[XDPLB_F_table_size] = { "xdplb_table_size", "gauge", "table_size" },
	[XDPLB_F_balance_running] = { "xdplb_balance_running", "gauge", "balance_running" },
	[XDPLB_F_balance_moves] = { "xdplb_balance_moves_total", "counter", "balance_moves" },
	[XDPLB_F_balance_deferred] = { "xdplb_balance_deferred_total", "counter", "balance_deferred" },
	[XDPLB_F_table_info] = { "xdplb_table_info", "gauge", "table_info" },
	XDPLB_RX_COUNTERS(XDPLB_META_RX)
	[XDPLB_F_passed] = { "xdplb_passed_total", "counter", "passed" },
	[XDPLB_F_tunnels] = { "xdplb_tunnels_total", "counter", "tunnels" },
	XDPLB_REMOTE_COUNTERS(XDPLB_META_RMT)
	XDPLB_EVENT_COUNTERS(XDPLB_META_EV)
	[XDPLB_F_target_weight] = { "xdplb_target_weight", "gauge", "weight" },
	[XDPLB_F_target_qsize] = { "xdplb_target_qsize", "gauge", "qsize" },
	[XDPLB_F_target_mtu] = { "xdplb_target_mtu", "gauge", "mtu" },
	XDPLB_TARGET_COUNTERS(XDPLB_META_TGT)
	XDPLB_EVENT_TARGET_COUNTERS(XDPLB_META_EVT)
};

/* HELP texts by counter name; a counter added to the lists without one here still gets a
 * line that points to the man page. */
static const struct {
	const char *key;
	const char *help;
} xdplb_prom_help[] = {
	{ "info", "An xdplb instance: its interface, state, attach mode, hash mode (and --inner), remote program (and port) and program id (value 1)." },
	{ "attach_time", "When the instance was attached, in seconds since the Unix epoch." },
	{ "table_size", "Slots of the indirection table." },
	{ "balance_running", "1 while a --balance balancer runs on the instance." },
	{ "balance_moves", "Table slots --balance moved since attach (the table no longer equals the one config and seed give)." },
	{ "balance_deferred", "--balance moves that waited for the old CPU's queue to drain." },
	{ "table_info", "The digest of the live indirection table, as --config-out writes it: equal on nodes that place flows alike (value 1)." },
	{ "rx_packets", "Frames xdplb_rx saw, by receiving CPU." },
	{ "rx_bytes", "Bytes of the frames xdplb_rx saw, by receiving CPU." },
	{ "redirected", "Frames handed to a target, by receiving CPU." },
	{ "passed", "Frames left to the stack of the receiving CPU, by CPU and reason." },
	{ "tunnels", "Tunnelled frames seen, by receiving CPU and kind, whether or not --inner hashes them on the inner flow." },
	{ "remote_processed", "Frames the --remote program saw, by the CPU it ran on." },
	{ "remote_dropped", "Frames the --remote program dropped, by the CPU it ran on." },
	{ "remote_redirected", "Frames the --remote redirect program sent to its port, by the CPU it ran on." },
	{ "remote_xmit_sent", "Frames the driver of the --remote redirect port took (xdp_devmap_xmit)." },
	{ "remote_xmit_drops", "Frames the driver of the --remote redirect port had no room for (xdp_devmap_xmit)." },
	{ "remote_xmit_errors", "Frames the --remote redirect port refused with an error (xdp_devmap_xmit)." },
	{ "redirect_errors", "xdp_redirect_err events of this instance's maps." },
	{ "exceptions", "xdp_exception events on this interface." },
	{ "weight", "Weight of the target in the indirection table." },
	{ "qsize", "cpumap queue size of the target CPU, in frames." },
	{ "mtu", "MTU of the target port (0: unknown): frames longer than it are dropped there." },
	{ "packets", "Frames redirected to the target." },
	{ "bytes", "Bytes of the frames redirected to the target." },
	{ "unhashed", "Frames without a flow sent to the target port by the first-port rule (also in packets)." },
	{ "missing", "Frames steered to the target while it had no map entry (a port gone), passed to the stack." },
	{ "local", "Frames for the target CPU that arrived on it, handed to its stack there without a queue (also in packets)." },
	{ "enqueue_processed", "Frames the cpumap queue of the target CPU took (xdp_cpumap_enqueue)." },
	{ "enqueue_drops", "Frames the cpumap queue of the target CPU had no room for (xdp_cpumap_enqueue): raise --qsize or add CPUs." },
	{ "kthread_processed", "Frames the cpumap kthread of the target CPU took off its queue (xdp_cpumap_kthread)." },
	{ "kthread_drops", "Frames the cpumap kthread of the target CPU dropped (xdp_cpumap_kthread)." },
	{ "kthread_sched", "Times the cpumap kthread of the target CPU yielded the CPU (xdp_cpumap_kthread)." },
	{ "xmit_sent", "Frames the driver of the target port took (xdp_devmap_xmit)." },
	{ "xmit_drops", "Frames the driver of the target port had no room for (xdp_devmap_xmit)." },
	{ "xmit_errors", "Frames the target port refused with an error (xdp_devmap_xmit)." },
};


struct xdplb_prom {
	FILE *f[XDPLB_F__COUNT];
	char *buf[XDPLB_F__COUNT];
	size_t len[XDPLB_F__COUNT];
	unsigned int samples[XDPLB_F__COUNT];
};

/* Room for the labels of one sample: interface and port names escaped (at most twice their
 * 15 characters), numbers and a few short words. */
#define XDPLB_PROM_LABELS 512

struct xdplb_prom *xdplb_prom_new(void)
{
	struct xdplb_prom *p = calloc(1, sizeof(*p));
	int i;

	if (!p)
		return NULL;
	for (i = 0; i < XDPLB_F__COUNT; i++) {
		p->f[i] = open_memstream(&p->buf[i], &p->len[i]);
		if (!p->f[i]) {
			xdplb_prom_free(p);
			return NULL;
		}
	}
	return p;
}

void xdplb_prom_free(struct xdplb_prom *p)
{
	int i;

	if (!p)
		return;
	for (i = 0; i < XDPLB_F__COUNT; i++) {
		if (p->f[i])
			fclose(p->f[i]);
		free(p->buf[i]);
	}
	free(p);
}

/* Appends name="value" to a label list, escaping what the format asks: backslash, double
 * quote and newline (an interface name may hold any of them but '/'). */
static void xdplb_prom_label(char *labels, const char *name, const char *value)
{
	size_t len = strlen(labels);
	char *out = labels + len;
	char *end = labels + XDPLB_PROM_LABELS - 4;

	out += snprintf(out, end - out, "%s%s=\"", len ? "," : "", name);
	for (; *value && out < end - 1; value++) {
		if (*value == '\\' || *value == '"' || *value == '\n')
			*out++ = '\\';
		*out++ = *value == '\n' ? 'n' : *value;
	}
	*out++ = '"';
	*out = '\0';
}

static void xdplb_prom_label_u(char *labels, const char *name, unsigned long long value)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", value);
	xdplb_prom_label(labels, name, num);
}

static void xdplb_prom_sample(struct xdplb_prom *p, enum xdplb_prom_family fam,
			      const char *labels, unsigned long long value)
{
	fprintf(p->f[fam], "%s{%s} %llu\n", xdplb_prom_meta[fam].name, labels, value);
	p->samples[fam]++;
}

/* Only for an instance that had a balancer, like the JSON's "balance". */
static void xdplb_prom_balance(struct xdplb_prom *p, const char *base,
			       const struct xdplb_instance *in)
{
	struct xdplb_bal b;
	bool running;

	if (!xdplb_balance_read(in, &b, &running))
		return;
	xdplb_prom_sample(p, XDPLB_F_balance_running, base, running);
	xdplb_prom_sample(p, XDPLB_F_balance_moves, base, b.moves);
	xdplb_prom_sample(p, XDPLB_F_balance_deferred, base, b.deferred);
}

static void xdplb_prom_instance_facts(struct xdplb_prom *p, const char *base,
				      const struct xdplb_instance *in,
				      const struct xdplb_settings *s)
{
	char labels[XDPLB_PROM_LABELS], digest[24];

	snprintf(labels, sizeof(labels), "%s", base);
	xdplb_prom_label_u(labels, "ifindex", in->meta.ifindex);
	xdplb_prom_label(labels, "state", xdplb_state_name(in->state));
	xdplb_prom_label(labels, "mode", xdplb_mode_name(in->meta.attach_mode));
	xdplb_prom_label(labels, "hash", xdplb_hash_name(s->hash_mode));
	xdplb_prom_label(labels, "inner", s->hash_mode & XDPLB_HASH_F_INNER ? "true" : "false");
	xdplb_prom_label(labels, "remote", xdplb_remote_name(s->remote));
	if (s->remote_ifname[0])
		xdplb_prom_label(labels, "remote_port", s->remote_ifname);
	xdplb_prom_label_u(labels, "prog_id", in->meta.prog_id);
	xdplb_prom_label_u(labels, "netns_ino", in->meta.netns_ino);
	xdplb_prom_label_u(labels, "hash_version", xdplb_instance_hash_version(in));
	xdplb_prom_sample(p, XDPLB_F_info, labels, 1);
	xdplb_prom_sample(p, XDPLB_F_attach_time, base, in->meta.attach_time_ns / 1000000000ULL);
	xdplb_prom_sample(p, XDPLB_F_table_size, base, s->table_size);
	xdplb_prom_balance(p, base, in);
	if (!xdplb_table_digest_hex(in, s, digest, sizeof(digest))) {
		snprintf(labels, sizeof(labels), "%s", base);
		xdplb_prom_label(labels, "digest", digest);
		xdplb_prom_label_u(labels, "hash_version", xdplb_instance_hash_version(in));
		xdplb_prom_sample(p, XDPLB_F_table_info, labels, 1);
	}
}

/* A counter array of one CPU, one series per name, the name as label key. */
static void xdplb_prom_by_name(struct xdplb_prom *p, enum xdplb_prom_family fam,
			       const char *labels, const char *key, const char *const *names,
			       const __u64 *values, int n)
{
	char named[XDPLB_PROM_LABELS];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(named, sizeof(named), "%s", labels);
		xdplb_prom_label(named, key, names[i]);
		xdplb_prom_sample(p, fam, named, values[i]);
	}
}

/* Per receiving CPU: the xdplb_rx counters, each pass reason and tunnel kind, and what the
 * remote program did on that CPU (it runs on the target CPUs, which are CPUs too). */
static void xdplb_prom_per_cpu(struct xdplb_prom *p, const char *base,
			       const struct xdplb_snapshot *snap)
{
	char labels[XDPLB_PROM_LABELS];
	int cpu;

	for (cpu = 0; cpu < snap->ncpus; cpu++) {
		const struct xdplb_rx_stats *rx = &snap->rx_cpu[cpu];
		const struct xdplb_remote_stats *rmt = &snap->rmt_cpu[cpu];

		snprintf(labels, sizeof(labels), "%s", base);
		xdplb_prom_label_u(labels, "cpu", cpu);
#define XDPLB_SAMPLE_RX(n) xdplb_prom_sample(p, XDPLB_F_rx_##n, labels, rx->n);
		XDPLB_RX_COUNTERS(XDPLB_SAMPLE_RX)
#undef XDPLB_SAMPLE_RX
		xdplb_prom_by_name(p, XDPLB_F_passed, labels, "reason", xdplb_pass_names,
				   rx->pass, XDPLB_PASS__COUNT);
		xdplb_prom_by_name(p, XDPLB_F_tunnels, labels, "kind", xdplb_tunnel_names,
				   rx->tunnel, XDPLB_TUNNEL__COUNT);
#define XDPLB_SAMPLE_RMT(n) xdplb_prom_sample(p, XDPLB_F_rmt_##n, labels, rmt->n);
		XDPLB_REMOTE_COUNTERS(XDPLB_SAMPLE_RMT)
#undef XDPLB_SAMPLE_RMT
	}
}

/* The devmap's events (xmit_*) belong to port targets, the cpumap's to CPU targets; the
 * other kind's are always zero and would only double the series. */
static bool xdplb_prom_event_applies(const struct xdplb_target *t, const char *counter)
{
	return (t->kind == XDPLB_TARGET_PORT) == !strncmp(counter, "xmit_", 5);
}

static void xdplb_prom_targets(struct xdplb_prom *p, const char *base,
			       const struct xdplb_instance *in, const struct xdplb_settings *s,
			       const struct xdplb_snapshot *snap)
{
	char labels[XDPLB_PROM_LABELS];
	__u32 i;

	for (i = 0; i < s->n_targets && i < snap->n_targets; i++) {
		const struct xdplb_target *t = &s->targets[i];
		const struct xdplb_target_stats *ts = &snap->tgt[i];
		const struct xdplb_event_target_stats *ev = &snap->ev_tgt[i];

		snprintf(labels, sizeof(labels), "%s", base);
		if (t->kind == XDPLB_TARGET_CPU) {
			xdplb_prom_label(labels, "type", "cpu");
			xdplb_prom_label_u(labels, "target", t->id);
		} else {
			xdplb_prom_label(labels, "type", "port");
			xdplb_prom_label(labels, "target", t->ifname);
		}
		xdplb_prom_sample(p, XDPLB_F_target_weight, labels, t->weight);
		if (t->kind == XDPLB_TARGET_CPU)
			xdplb_prom_sample(p, XDPLB_F_target_qsize, labels, t->qsize);
		else
			xdplb_prom_sample(p, XDPLB_F_target_mtu, labels,
					  in->state == XDPLB_STATE_LIVE ? xdplb_link_mtu(t->id) : 0);
#define XDPLB_SAMPLE_TGT(n) xdplb_prom_sample(p, XDPLB_F_tgt_##n, labels, ts->n);
		XDPLB_TARGET_COUNTERS(XDPLB_SAMPLE_TGT)
#undef XDPLB_SAMPLE_TGT
#define XDPLB_SAMPLE_EVT(n) \
		if (xdplb_prom_event_applies(t, #n)) \
			xdplb_prom_sample(p, XDPLB_F_evt_##n, labels, ev->n);
		XDPLB_EVENT_TARGET_COUNTERS(XDPLB_SAMPLE_EVT)
#undef XDPLB_SAMPLE_EVT
	}
}

void xdplb_prom_add(struct xdplb_prom *p, const struct xdplb_instance *in,
		    const struct xdplb_settings *s, const struct xdplb_snapshot *snap)
{
	char base[XDPLB_PROM_LABELS] = "";

	xdplb_prom_label(base, "ifname", in->ifname);
	xdplb_prom_instance_facts(p, base, in, s);
	xdplb_prom_per_cpu(p, base, snap);
#define XDPLB_SAMPLE_EV(n) xdplb_prom_sample(p, XDPLB_F_ev_##n, base, snap->ev.n);
	XDPLB_EVENT_COUNTERS(XDPLB_SAMPLE_EV)
#undef XDPLB_SAMPLE_EV
	xdplb_prom_targets(p, base, in, s, snap);
}

static const char *xdplb_prom_help_of(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(xdplb_prom_help) / sizeof(xdplb_prom_help[0]); i++)
		if (!strcmp(xdplb_prom_help[i].key, key))
			return xdplb_prom_help[i].help;
	return NULL;
}

int xdplb_prom_write(const struct xdplb_prom *p, FILE *f)
{
	int i;

	for (i = 0; i < XDPLB_F__COUNT; i++) {
		const struct xdplb_prom_meta *m = &xdplb_prom_meta[i];
		const char *help = xdplb_prom_help_of(m->key);

		if (!p->samples[i])
			continue;
		/* A memstream's buffer is complete only after a flush. */
		if (fflush(p->f[i]))
			return -errno;
		if (help)
			fprintf(f, "# HELP %s %s\n", m->name, help);
		else
			fprintf(f, "# HELP %s Counter %s, see xdplb(8).\n", m->name, m->key);
		fprintf(f, "# TYPE %s %s\n", m->name, m->type);
		fwrite(p->buf[i], 1, p->len[i], f);
	}
	if (fflush(f) || ferror(f))
		return -EIO;
	return 0;
}

static int xdplb_prom_fail(const char *path, const char *what, int err)
{
	pr_err("--prometheus-file: %s: %s: %s", path, what, strerror(err));
	return -err;
}

int xdplb_prom_write_file(const struct xdplb_prom *p, const char *path)
{
	char tmp[PATH_MAX], dir_buf[PATH_MAX], base_buf[PATH_MAX];
	const char *dir;
	int fd, err, dfd;
	FILE *f;

	snprintf(dir_buf, sizeof(dir_buf), "%s", path);
	snprintf(base_buf, sizeof(base_buf), "%s", path);
	dir = dirname(dir_buf);
	/* A dot name without .prom: the textfile collector reads only *.prom files. */
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, basename(base_buf)) >=
	    (int)sizeof(tmp))
		return xdplb_prom_fail(path, "path", ENAMETOOLONG);
	fd = mkstemp(tmp);
	if (fd < 0)
		return xdplb_prom_fail(path, "cannot create a temporary file beside it", errno);
	/* mkstemp makes it 0600; node exporter reads it as another user. */
	f = fchmod(fd, 0644) ? NULL : fdopen(fd, "w");
	if (!f) {
		err = errno;
		close(fd);
		unlink(tmp);
		return xdplb_prom_fail(path, tmp, err);
	}
	err = xdplb_prom_write(p, f);
	if (!err && fsync(fd))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return xdplb_prom_fail(path, "write", -err);
	}
	/* The rename itself survives a crash only once the directory is synced. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}
