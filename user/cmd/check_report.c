// SPDX-License-Identifier: GPL-2.0
/* check_report.c: the lines --check collects, and the report they make, as text or JSON. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/check_report.h"
#include "sys/json.h"
#include "core/guard.h"
#include "core/names.h"

static const char *const xdplb_level_names[] = { "ok", "warn", "fail" };

/* Room for one more element in *v (n used of *cap); false when memory ran out. */
static bool xdplb_grow(void **v, size_t n, size_t *cap, size_t size)
{
	size_t want = *cap ? 2 * *cap : 16;
	void *p;

	if (n < *cap)
		return true;
	p = realloc(*v, want * size);
	if (!p)
		return false;
	*v = p;
	*cap = want;
	return true;
}

void xdplb_report_add(struct xdplb_report *r, enum xdplb_level level, const char *name,
		      const char *fix, const char *fmt, ...)
{
	struct xdplb_check_line *l;
	va_list ap;

	if (!xdplb_grow((void **)&r->lines, r->n, &r->cap, sizeof(*r->lines)))
		return;
	l = &r->lines[r->n++];
	l->level = level;
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->fix, sizeof(l->fix), "%s", fix ? fix : "");
	va_start(ap, fmt);
	vsnprintf(l->detail, sizeof(l->detail), fmt, ap);
	va_end(ap);
}

void xdplb_report_iface(struct xdplb_report *r, const struct xdplb_ifinfo *fi,
			unsigned int guard_reasons)
{
	if (!xdplb_grow((void **)&r->ifaces, r->n_ifaces, &r->cap_ifaces, sizeof(*r->ifaces)))
		return;
	r->ifaces[r->n_ifaces].fi = *fi;
	r->ifaces[r->n_ifaces++].guard = guard_reasons;
}

static void xdplb_json_iface(struct xdplb_json *j, const struct xdplb_report_iface *ri)
{
	const struct xdplb_ifinfo *fi = &ri->fi;
	char feats[128];

	xdplb_json_open(j, NULL, '{');
	xdplb_json_str(j, "ifname", fi->name);
	xdplb_json_int(j, "ifindex", fi->ifindex);
	xdplb_json_str(j, "driver", fi->driver);
	xdplb_json_str(j, "kind", fi->kind);
	xdplb_json_bool(j, "up", fi->up);
	xdplb_json_u64(j, "mtu", fi->mtu);
	xdplb_json_u64(j, "rx_queues", fi->rx_queues);
	xdplb_json_u64(j, "tx_queues", fi->tx_queues);
	if (fi->features_known) {
		xdplb_xdp_features_str(fi->xdp_features, feats, sizeof(feats));
		xdplb_json_str(j, "xdp_features", feats);
		xdplb_json_bool(j, "native", fi->xdp_features & XDPLB_XDP_ACT_BASIC);
		xdplb_json_bool(j, "rx_sg", fi->xdp_features & XDPLB_XDP_ACT_RX_SG);
		xdplb_json_u64(j, "native_max_mtu", xdplb_ifinfo_native_mtu(fi));
	} else {
		xdplb_json_null(j, "xdp_features");
		xdplb_json_null(j, "native");
		xdplb_json_null(j, "rx_sg");
		xdplb_json_null(j, "native_max_mtu");
	}
	xdplb_json_u64(j, "xdp_prog_id", fi->xdp.attached_id);
	xdplb_json_str(j, "xdp_prog", fi->xdp_named ? fi->xdp.name : "");
	xdplb_json_str(j, "xdp_mode",
		       fi->xdp.attached_id ? xdplb_mode_name(fi->xdp.attach_mode) : "none");
	xdplb_json_bool(j, "default_route", ri->guard & XDPLB_GUARD_DEFAULT_ROUTE);
	xdplb_json_bool(j, "ssh", ri->guard & XDPLB_GUARD_SSH);
	xdplb_json_close(j, '}');
}

static void xdplb_report_text(const struct xdplb_report *r, bool can_run)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct xdplb_check_line *l = &r->lines[i];

		printf("%-4s %s: %s%s%s\n", xdplb_level_names[l->level], l->name, l->detail,
		       l->fix[0] ? "; fix: " : "", l->fix);
	}
	printf("%s\n", can_run ? "xdplb can run here" : "xdplb cannot run here until the failures are fixed");
}

void xdplb_report_print(const struct xdplb_report *r, bool json, bool can_run)
{
	struct xdplb_json j;
	size_t i;

	if (!json) {
		xdplb_report_text(r, can_run);
		return;
	}
	xdplb_json_start(&j, stdout);
	xdplb_json_open(&j, NULL, '{');
	xdplb_json_bool(&j, "can_run", can_run);
	xdplb_json_open(&j, "checks", '[');
	for (i = 0; i < r->n; i++) {
		const struct xdplb_check_line *l = &r->lines[i];

		xdplb_json_open(&j, NULL, '{');
		xdplb_json_str(&j, "check", l->name);
		xdplb_json_str(&j, "level", xdplb_level_names[l->level]);
		xdplb_json_str(&j, "detail", l->detail);
		if (l->fix[0])
			xdplb_json_str(&j, "fix", l->fix);
		else
			xdplb_json_null(&j, "fix");
		xdplb_json_close(&j, '}');
	}
	xdplb_json_close(&j, ']');
	xdplb_json_open(&j, "interfaces", '[');
	for (i = 0; i < r->n_ifaces; i++)
		xdplb_json_iface(&j, &r->ifaces[i]);
	xdplb_json_close(&j, ']');
	xdplb_json_close(&j, '}');
	putchar('\n');
}

void xdplb_report_free(struct xdplb_report *r)
{
	free(r->lines);
	free(r->ifaces);
}
