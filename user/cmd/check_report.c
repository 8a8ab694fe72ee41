// SPDX-License-Identifier: GPL-2.0
/* check_report.c: the lines --check collects, and the report they make, as text or JSON. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/check_report.h"
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

static void xdplb_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void xdplb_json_iface(const struct xdplb_report_iface *ri)
{
	const struct xdplb_ifinfo *fi = &ri->fi;
	char feats[128];

	printf("{\"ifname\": ");
	xdplb_json_str(fi->name);
	printf(", \"ifindex\": %d, \"driver\": ", fi->ifindex);
	xdplb_json_str(fi->driver);
	printf(", \"kind\": ");
	xdplb_json_str(fi->kind);
	printf(", \"up\": %s, \"mtu\": %u, \"rx_queues\": %u, \"tx_queues\": %u, ",
	       fi->up ? "true" : "false", fi->mtu, fi->rx_queues, fi->tx_queues);
	if (fi->features_known) {
		xdplb_xdp_features_str(fi->xdp_features, feats, sizeof(feats));
		printf("\"xdp_features\": ");
		xdplb_json_str(feats);
		printf(", \"native\": %s, \"rx_sg\": %s, \"native_max_mtu\": %u, ",
		       (fi->xdp_features & XDPLB_XDP_ACT_BASIC) ? "true" : "false",
		       (fi->xdp_features & XDPLB_XDP_ACT_RX_SG) ? "true" : "false",
		       xdplb_ifinfo_native_mtu(fi));
	} else {
		printf("\"xdp_features\": null, \"native\": null, \"rx_sg\": null, "
		       "\"native_max_mtu\": null, ");
	}
	printf("\"xdp_prog_id\": %u, \"xdp_prog\": ", fi->xdp.attached_id);
	xdplb_json_str(fi->xdp_named ? fi->xdp.name : "");
	printf(", \"xdp_mode\": \"%s\", \"default_route\": %s, \"ssh\": %s}",
	       fi->xdp.attached_id ? xdplb_mode_name(fi->xdp.attach_mode) : "none",
	       ri->guard & XDPLB_GUARD_DEFAULT_ROUTE ? "true" : "false",
	       ri->guard & XDPLB_GUARD_SSH ? "true" : "false");
}

void xdplb_report_print(const struct xdplb_report *r, bool json, bool can_run)
{
	size_t i;

	if (!json) {
		for (i = 0; i < r->n; i++) {
			const struct xdplb_check_line *l = &r->lines[i];

			printf("%-4s %s: %s%s%s\n", xdplb_level_names[l->level], l->name, l->detail,
			       l->fix[0] ? "; fix: " : "", l->fix);
		}
		printf("%s\n", can_run ? "xdplb can run here" : "xdplb cannot run here until the failures are fixed");
		return;
	}
	printf("{\"can_run\": %s, \"checks\": [", can_run ? "true" : "false");
	for (i = 0; i < r->n; i++) {
		const struct xdplb_check_line *l = &r->lines[i];

		printf("%s{\"check\": ", i ? ", " : "");
		xdplb_json_str(l->name);
		printf(", \"level\": \"%s\", \"detail\": ", xdplb_level_names[l->level]);
		xdplb_json_str(l->detail);
		printf(", \"fix\": ");
		if (l->fix[0])
			xdplb_json_str(l->fix);
		else
			printf("null");
		printf("}");
	}
	printf("], \"interfaces\": [");
	for (i = 0; i < r->n_ifaces; i++) {
		printf("%s", i ? ", " : "");
		xdplb_json_iface(&r->ifaces[i]);
	}
	printf("]}\n");
}

void xdplb_report_free(struct xdplb_report *r)
{
	free(r->lines);
	free(r->ifaces);
}
