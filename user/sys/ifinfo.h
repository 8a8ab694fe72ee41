/* SPDX-License-Identifier: GPL-2.0 */
/* ifinfo.h: what the kernel reveals about one interface that matters to XDP: driver,
 * queues, MTU, XDP features, the program attached, and for a veth the facts of its peer
 * (which may live in another network namespace). Read only; nothing is changed. */
#ifndef XDPLB_IFINFO_H
#define XDPLB_IFINFO_H

#include <stdbool.h>
#include <net/if.h>
#include <linux/types.h>

#include "sys/iface.h"

/* The xdp_features bits of the kernel's netdev netlink family (linux/netdev.h, 6.3+),
 * spelled out because Debian 12's UAPI headers predate them. */
#define XDPLB_XDP_ACT_BASIC		(1ULL << 0)
#define XDPLB_XDP_ACT_REDIRECT		(1ULL << 1)
#define XDPLB_XDP_ACT_NDO_XMIT		(1ULL << 2)
#define XDPLB_XDP_ACT_XSK_ZEROCOPY	(1ULL << 3)
#define XDPLB_XDP_ACT_HW_OFFLOAD	(1ULL << 4)
#define XDPLB_XDP_ACT_RX_SG		(1ULL << 5)
#define XDPLB_XDP_ACT_NDO_XMIT_SG	(1ULL << 6)

/* The other end of a veth. */
struct xdplb_peer {
	bool present;		/* the interface is a veth with a peer */
	bool known;		/* the facts below could be read */
	int ifindex;		/* in the peer's namespace */
	char name[IF_NAMESIZE];
	char enter[320];	/* command prefix to act in the peer's namespace; "" if ours */
	bool gro;		/* GRO on: the peer takes XDP-redirected frames */
	bool tx_csum;		/* sends with checksum offload (CHECKSUM_PARTIAL) */
	__u32 xdp_prog_id;	/* an XDP program on the peer also takes redirected frames */
};

struct xdplb_ifinfo {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];		/* rtnetlink link kind (veth, bond, ...); "" for a plain device */
	char driver[32];	/* ethtool's driver name; "" when the device has none */
	bool up;
	__u32 mtu;
	__u32 max_mtu;
	__u32 rx_queues, tx_queues;	/* real queue counts (netlink) */
	bool channels_known;		/* ethtool -l answered */
	__u32 ch_rx, ch_tx, ch_combined;
	bool features_known;		/* the netdev family answered (kernel 6.3+) */
	__u64 xdp_features;		/* XDPLB_XDP_ACT_* */
	struct xdplb_xdp_state xdp;	/* the attached program, if any */
	bool xdp_named;			/* xdp.name could be read (needs privileges) */
	struct xdplb_peer peer;
};

int xdplb_ifinfo_read(int ifindex, struct xdplb_ifinfo *fi);

/* The rtnetlink part alone, one request: name, kind, up, MTUs, queues and the peer's
 * ifindex (the rest of fi zeroed). *link_netnsid gets the id of the namespace the peer
 * is in, -1 when it is this one. */
int xdplb_ifinfo_read_link(int ifindex, struct xdplb_ifinfo *fi, int *link_netnsid);

/* A frame plus the headroom and skb_shared_info XDP keeps around it in one 4 KiB page: the
 * largest MTU a driver without multi-buffer XDP (rx-sg) takes in native mode (ice, i40e,
 * mlx5 and veth all land near 3500). With rx-sg the rest of a frame goes to fragments, which
 * xdplb's frags-aware programs accept, up to the device's own maximum. */
#define XDPLB_MTU_ONE_PAGE	3498

/* The largest MTU native XDP takes on the interface; 0 when it has no native XDP or the
 * kernel does not say (no xdp_features before 6.3). */
__u32 xdplb_ifinfo_native_mtu(const struct xdplb_ifinfo *fi);

/* Human-readable list of the set XDPLB_XDP_ACT_* bits ("basic redirect rx-sg"). */
void xdplb_xdp_features_str(__u64 features, char *buf, size_t len);

#endif
