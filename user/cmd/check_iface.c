// SPDX-License-Identifier: GPL-2.0
/* check_iface.c: the --check lines about one interface: what it is, which XDP modes it
 * offers, what runs on it already, the veth traps, and whether the guard protects it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xdp/libxdp.h>

#include "cmd/check_iface.h"
#include "cmd/options.h"
#include "core/guard.h"
#include "core/instance.h"
#include "core/names.h"
#include "core/pins.h"
#include "sys/dispatcher.h"

static void xdplb_line_basics(struct xdplb_report *r, const struct xdplb_ifinfo *fi, bool named)
{
	char queues[96], fix[64];
	bool warn = named && !fi->up;

	/* ethtool -l tells the queues in use; netlink only how many were allocated. */
	if (fi->channels_known)
		snprintf(queues, sizeof(queues), "queues rx %u, tx %u, combined %u (ethtool -l)",
			 fi->ch_rx, fi->ch_tx, fi->ch_combined);
	else
		snprintf(queues, sizeof(queues), "%u rx / %u tx queues allocated", fi->rx_queues,
			 fi->tx_queues);
	snprintf(fix, sizeof(fix), "ip link set dev %s up", fi->name);
	xdplb_report_add(r, warn ? XDPLB_CHECK_WARN : XDPLB_CHECK_OK, fi->name, warn ? fix : NULL,
			 "driver %s%s%s, %s, mtu %u, %s", fi->driver[0] ? fi->driver : "none",
			 fi->kind[0] ? ", kind " : "", fi->kind, queues, fi->mtu,
			 fi->up ? "up" : "down: no frames reach XDP until it is up");
}

static void xdplb_line_modes(struct xdplb_report *r, const struct xdplb_ifinfo *fi, bool named)
{
	char name[64], feats[128], fix[96];
	bool native = fi->xdp_features & XDPLB_XDP_ACT_BASIC;
	bool redirect = fi->xdp_features & XDPLB_XDP_ACT_REDIRECT;

	snprintf(name, sizeof(name), "%s xdp modes", fi->name);
	if (!fi->features_known) {
		xdplb_report_add(r, XDPLB_CHECK_WARN, name, "xdplb --mode auto (native, else skb)",
				 "native: unknown (the kernel reports XDP features from 6.3 on); skb: yes");
		return;
	}
	xdplb_xdp_features_str(fi->xdp_features, feats, sizeof(feats));
	if (native && redirect) {
		xdplb_report_add(r, XDPLB_CHECK_OK, name, NULL, "native, skb%s (xdp_features: %s)",
				 fi->xdp_features & XDPLB_XDP_ACT_HW_OFFLOAD ? ", hw" : "", feats);
	} else {
		snprintf(fix, sizeof(fix), "xdplb --iface %s --mode skb ...", fi->name);
		xdplb_report_add(r, named ? XDPLB_CHECK_WARN : XDPLB_CHECK_OK, name, named ? fix : NULL,
				 "skb only: the driver has no native XDP%s (xdp_features: %s)",
				 native ? " redirect" : "", feats);
	}
}

/* The largest MTU native XDP takes here, and whether the current one fits. */
static void xdplb_line_mtu(struct xdplb_report *r, const struct xdplb_ifinfo *fi)
{
	__u32 limit = xdplb_ifinfo_native_mtu(fi);
	char name[64], fix[96];

	if (!limit)
		return;
	snprintf(name, sizeof(name), "%s mtu", fi->name);
	if (fi->xdp_features & XDPLB_XDP_ACT_RX_SG) {
		xdplb_report_add(r, fi->mtu <= limit ? XDPLB_CHECK_OK : XDPLB_CHECK_WARN, name, NULL,
				 "%u: multi-buffer XDP (rx-sg): native mode at any MTU up to %u (xdplb loads multi-buffer programs above %u; raise the MTU past that before attaching)",
				 fi->mtu, limit, XDPLB_MTU_ONE_PAGE);
	} else if (fi->mtu <= limit) {
		xdplb_report_add(r, XDPLB_CHECK_OK, name, NULL,
				 "%u: no multi-buffer XDP (rx-sg) in the driver: native mode up to mtu %u",
				 fi->mtu, limit);
	} else {
		snprintf(fix, sizeof(fix), "ip link set dev %s mtu %u, or --mode skb", fi->name,
			 limit);
		xdplb_report_add(r, XDPLB_CHECK_WARN, name, fix,
				 "%u: the driver has no multi-buffer XDP (rx-sg): native mode is refused above mtu %u",
				 fi->mtu, limit);
	}
}

/* Whether the program on the interface is a live xdplb instance of this namespace. */
static bool xdplb_is_ours(const struct xdplb_ifinfo *fi)
{
	struct xdplb_instance in;
	bool ours;

	if (xdplb_pins_open(fi->name, &in))
		return false;
	ours = in.state == XDPLB_STATE_LIVE;
	xdplb_instance_close(&in);
	return ours;
}

/* A port that cannot send what the interface receives: the kernel drops (xmit_errors) every
 * frame over the port's MTU that xdplb steers there. */
static void xdplb_line_port_mtus(struct xdplb_report *r, const struct xdplb_ifinfo *fi)
{
	struct xdplb_settings *s = calloc(1, sizeof(*s));
	struct xdplb_instance in;
	char name[64], fix[96];
	__u32 i, mtu;

	if (!s || xdplb_pins_open(fi->name, &in)) {
		free(s);
		return;
	}
	if (in.state == XDPLB_STATE_LIVE && !xdplb_instance_settings(&in, s) &&
	    s->target_kind == XDPLB_TARGET_PORT)
		for (i = 0; i < s->n_targets; i++) {
			mtu = xdplb_link_mtu(s->targets[i].id);
			if (!mtu || mtu >= fi->mtu)
				continue;
			snprintf(name, sizeof(name), "%s port %s", fi->name, s->targets[i].ifname);
			snprintf(fix, sizeof(fix), "ip link set dev %s mtu %u", s->targets[i].ifname,
				 fi->mtu);
			xdplb_report_add(r, XDPLB_CHECK_WARN, name, fix,
					 "mtu %u is below %s's %u: frames over %u bytes steered to it are dropped",
					 mtu, fi->name, fi->mtu, mtu + 14);
		}
	xdplb_instance_close(&in);
	free(s);
}

static void xdplb_line_program(struct xdplb_report *r, const struct xdplb_ifinfo *fi, bool named)
{
	const struct xdplb_xdp_state *st = &fi->xdp;
	const char *mode = xdplb_mode_name(st->attach_mode);
	char name[64], fix[96];

	snprintf(name, sizeof(name), "%s xdp program", fi->name);
	if (!st->attached_id) {
		xdplb_report_add(r, XDPLB_CHECK_OK, name, NULL, "none");
	} else if (xdplb_is_ours(fi)) {
		xdplb_report_add(r, XDPLB_CHECK_OK, name, NULL,
				 "xdplb (id %u, %s mode): xdplb --status --iface %s shows it",
				 st->attached_id, mode, fi->name);
	} else if (st->is_dispatcher) {
		xdplb_report_add(r, XDPLB_CHECK_OK, name, NULL,
				 "libxdp dispatcher (id %u, %s mode): xdplb joins it at run priority %d",
				 st->attached_id, mode, XDPLB_RUN_PRIO);
	} else {
		snprintf(fix, sizeof(fix), "ip link set dev %s xdp off (only if nothing needs it)", fi->name);
		xdplb_report_add(r, named ? XDPLB_CHECK_FAIL : XDPLB_CHECK_WARN, name, fix,
				 "'%s' (id %u, %s mode), not xdplb's: xdplb leaves it alone and will not attach here",
				 fi->xdp_named ? st->name : "unknown: run as root to name it", st->attached_id,
				 mode);
	}
}

/* A veth hands a frame redirected to it (ndo_xdp_xmit) to its peer's receive path, which
 * only takes it from an XDP program or with GRO on; the kernel drops it otherwise. */
static void xdplb_line_veth(struct xdplb_report *r, const struct xdplb_ifinfo *fi)
{
	const struct xdplb_peer *p = &fi->peer;
	char name[64], fix[400];

	snprintf(name, sizeof(name), "%s veth peer", fi->name);
	if (!p->known) {
		xdplb_report_add(r, XDPLB_CHECK_WARN, name, NULL,
				 "unknown: its peer (ifindex %d) is in a namespace xdplb could not enter",
				 p->ifindex);
		return;
	}
	snprintf(name, sizeof(name), "%s redirect target", fi->name);
	snprintf(fix, sizeof(fix), "%sethtool -K %s gro on", p->enter, p->name);
	if (p->gro || p->xdp_prog_id)
		xdplb_report_add(r, XDPLB_CHECK_OK, name, NULL,
				 "takes XDP-redirected frames: its peer %s has %s", p->name,
				 p->xdp_prog_id ? "an XDP program" : "GRO on");
	else
		xdplb_report_add(r, XDPLB_CHECK_WARN, name, fix,
				 "frames XDP-redirected to it are dropped: its peer %s has neither an XDP program nor GRO on%s",
				 p->name, fi->features_known && !(fi->xdp_features & XDPLB_XDP_ACT_NDO_XMIT) ?
				 " (the kernel agrees: no ndo-xmit in its xdp_features)" : "");

	snprintf(name, sizeof(name), "%s peer checksum", fi->name);
	snprintf(fix, sizeof(fix), "%sethtool -K %s tx off", p->enter, p->name);
	if (p->tx_csum)
		xdplb_report_add(r, XDPLB_CHECK_WARN, name, fix,
				 "its peer %s sends with checksum offload: TCP and UDP that xdplb redirects to another CPU arrive with partial checksums and are dropped",
				 p->name);
	else
		xdplb_report_add(r, XDPLB_CHECK_OK, name, NULL,
				 "its peer %s sends full checksums (tx checksum offload off)", p->name);
}

void xdplb_check_iface(struct xdplb_report *r, int ifindex, bool named)
{
	struct xdplb_ifinfo fi;
	unsigned int guard;
	char why[160], name[64];
	int err = xdplb_ifinfo_read(ifindex, &fi);

	if (err) {
		snprintf(name, sizeof(name), "ifindex %d", ifindex);
		xdplb_report_add(r, named ? XDPLB_CHECK_FAIL : XDPLB_CHECK_WARN, name, NULL,
				 "cannot be read: %s", strerror(-err));
		return;
	}
	/* The loopback device has nothing to spread; leave it out unless asked about. */
	if (!named && !strcmp(fi.name, "lo"))
		return;
	xdplb_line_basics(r, &fi, named);
	xdplb_line_modes(r, &fi, named);
	xdplb_line_mtu(r, &fi);
	xdplb_line_program(r, &fi, named);
	xdplb_line_port_mtus(r, &fi);
	if (fi.peer.present)
		xdplb_line_veth(r, &fi);
	guard = xdplb_guard_reasons(ifindex, why, sizeof(why));
	if (guard) {
		snprintf(name, sizeof(name), "%s guard", fi.name);
		xdplb_report_add(r, XDPLB_CHECK_OK, name, NULL,
				 "carries %s: xdplb refuses to drop traffic here (--remote drop) without --force",
				 why);
	}
	xdplb_report_iface(r, &fi, guard);
}
