// SPDX-License-Identifier: GPL-2.0
/* explain_out.c: --explain's lines. Text for a reader, one frame a line; JSON through the
 * one writer (sys/json.h), one object a line, then {"summary": ...}. */
#include <stdio.h>

#include "cmd/explain_out.h"
#include "cmd/target.h"
#include "core/reconfig.h"
#include "sys/json.h"
#include "sys/strbuf.h"

static void xdplb_explain_json_target(struct xdplb_json *j, const char *key,
				      const struct xdplb_settings *s, __u32 value)
{
	const struct xdplb_target *t = xdplb_table_target(s, value);

	xdplb_json_open(j, key, '{');
	xdplb_json_str(j, "type", s->target_kind == XDPLB_TARGET_CPU ? "cpu" : "port");
	if (s->target_kind == XDPLB_TARGET_CPU)
		xdplb_json_u64(j, "cpu", value);
	else if (t)
		xdplb_json_str(j, "ifname", t->ifname);
	else
		xdplb_json_u64(j, "slot", value);
	xdplb_json_close(j, '}');
}

/* A frame cut by the snaplen was run on the bytes captured. When they hold every header
 * the decision reads, the data path decides the whole frame alike; when the cut falls in
 * the headers (malformed here), it sees headers this capture lacks. */
static const char *xdplb_explain_cut_note(const struct xdplb_decision *d)
{
	return !d->redirect && d->reason == XDPLB_PASS_malformed ?
	       "headers cut: the data path sees the whole frame and decides on headers not captured" :
	       "headers all captured: the data path decides the whole frame alike";
}

static void xdplb_explain_json_frame(const struct xdplb_settings *s,
				     const struct xdplb_explain_frame *f,
				     const struct xdplb_decision *d)
{
	struct xdplb_json j;

	xdplb_json_start(&j, stdout);
	xdplb_json_open(&j, NULL, '{');
	xdplb_json_u64(&j, "frame", f->number);
	xdplb_json_str(&j, "verdict", d->redirect ? "redirect" : "pass");
	if (d->redirect) {
		xdplb_json_null(&j, "reason");
		xdplb_explain_json_target(&j, "target", s, d->target);
	} else {
		xdplb_json_str(&j, "reason", d->reason < XDPLB_PASS__COUNT ?
			       xdplb_pass_names[d->reason] : "unknown");
		xdplb_json_null(&j, "target");
	}
	if (d->slot == XDPLB_DECISION_NONE)
		xdplb_json_null(&j, "slot");
	else
		xdplb_json_u64(&j, "slot", d->slot);
	xdplb_json_str(&j, "packet", f->what);
	if (f->caplen < f->len) {
		xdplb_json_open(&j, "cut", '{');
		xdplb_json_u64(&j, "caplen", f->caplen);
		xdplb_json_u64(&j, "len", f->len);
		xdplb_json_str(&j, "note", xdplb_explain_cut_note(d));
		xdplb_json_close(&j, '}');
	}
	xdplb_json_close(&j, '}');
	putchar('\n');
}

void xdplb_explain_print_frame(const struct xdplb_settings *s, const struct xdplb_explain_frame *f,
			       const struct xdplb_decision *d, bool json)
{
	char line[512], target[XDPLB_TARGET_NAME_MAX];
	struct xdplb_strbuf b;

	if (json) {
		xdplb_explain_json_frame(s, f, d);
		return;
	}
	/* One line built by hand and written once: this runs for every frame. */
	xdplb_strbuf_init(&b, line, sizeof(line));
	xdplb_strbuf_add(&b, "%llu  %s  ", f->number, f->what);
	if (d->redirect) {
		xdplb_target_name(s, d->target, target, sizeof(target));
		xdplb_strbuf_add(&b, "redirect %s", target);
	} else {
		xdplb_strbuf_add(&b, "pass %s", d->reason < XDPLB_PASS__COUNT ?
				 xdplb_pass_names[d->reason] : "unknown");
	}
	if (d->slot != XDPLB_DECISION_NONE)
		xdplb_strbuf_add(&b, " slot %u", d->slot);
	if (f->caplen < f->len)
		xdplb_strbuf_add(&b, "  (cut by the snaplen: %u of %u bytes; %s)", f->caplen, f->len,
				 xdplb_explain_cut_note(d));
	xdplb_strbuf_add(&b, "\n");
	fwrite_unlocked(line, 1, b.used, stdout);
}

static double xdplb_share(unsigned long long part, unsigned long long whole)
{
	return whole ? (double)part / (double)whole : 0.0;
}

static unsigned long long xdplb_weights(const struct xdplb_settings *s)
{
	unsigned long long w = 0;
	__u32 i;

	for (i = 0; i < s->n_targets; i++)
		w += s->targets[i].weight;
	return w;
}

static void xdplb_explain_summary_text(const struct xdplb_settings *s,
				       const struct xdplb_explain_tally *t)
{
	unsigned long long weights = xdplb_weights(s);
	__u32 i;

	printf("summary: %llu frames, %llu redirected, %llu passed\n", t->frames, t->redirected,
	       t->frames - t->redirected);
	for (i = 0; i < s->n_targets; i++) {
		printf("  ");
		xdplb_print_target(s, xdplb_target_key(&s->targets[i]));
		printf(": %llu frames, %.1f%% of redirected (weight %u: %.1f%%)\n", t->per_target[i],
		       100 * xdplb_share(t->per_target[i], t->redirected), s->targets[i].weight,
		       100 * xdplb_share(s->targets[i].weight, weights));
	}
	for (i = 0; i < XDPLB_PASS__COUNT; i++)
		if (t->pass[i])
			printf("  pass %s: %llu frames\n", xdplb_pass_names[i], t->pass[i]);
	if (t->cut)
		printf("  %llu frames cut by the capture's snaplen: decided on the bytes captured; "
		       "the data path sees whole frames, so a header past the cut decides there\n", t->cut);
	if (t->runts)
		printf("  %llu frames shorter than an Ethernet header: shown as malformed, not run "
		       "(no NIC delivers them)\n", t->runts);
}

static void xdplb_explain_summary_json(const struct xdplb_settings *s,
				       const struct xdplb_explain_tally *t)
{
	unsigned long long weights = xdplb_weights(s);
	struct xdplb_json j;
	__u32 i;

	xdplb_json_start(&j, stdout);
	xdplb_json_open(&j, NULL, '{');
	xdplb_json_open(&j, "summary", '{');
	xdplb_json_u64(&j, "frames", t->frames);
	xdplb_json_u64(&j, "redirected", t->redirected);
	xdplb_json_u64(&j, "passed", t->frames - t->redirected);
	xdplb_json_u64(&j, "cut", t->cut);
	xdplb_json_u64(&j, "runts", t->runts);
	xdplb_json_open(&j, "pass", '{');
	for (i = 0; i < XDPLB_PASS__COUNT; i++)
		xdplb_json_u64(&j, xdplb_pass_names[i], t->pass[i]);
	xdplb_json_close(&j, '}');
	xdplb_json_open(&j, "targets", '[');
	for (i = 0; i < s->n_targets; i++) {
		xdplb_json_open(&j, NULL, '{');
		xdplb_explain_json_target(&j, "target", s, xdplb_target_key(&s->targets[i]));
		xdplb_json_u64(&j, "weight", s->targets[i].weight);
		xdplb_json_u64(&j, "frames", t->per_target[i]);
		xdplb_json_fixed(&j, "share", 4, xdplb_share(t->per_target[i], t->redirected));
		xdplb_json_fixed(&j, "weight_share", 4, xdplb_share(s->targets[i].weight, weights));
		xdplb_json_close(&j, '}');
	}
	xdplb_json_close(&j, ']');
	xdplb_json_close(&j, '}');
	xdplb_json_close(&j, '}');
	putchar('\n');
}

void xdplb_explain_print_summary(const struct xdplb_settings *s,
				 const struct xdplb_explain_tally *t, bool json)
{
	if (json)
		xdplb_explain_summary_json(s, t);
	else
		xdplb_explain_summary_text(s, t);
}
