// SPDX-License-Identifier: GPL-2.0
/* egress.c: prepares redirect ports. What a veth needs was measured on this project's
 * kernels: GRO on the egress veth itself does nothing for frames sent through it; GRO or
 * an XDP program on its peer makes them arrive. The peer usually lives in another network
 * namespace (the sink, a container), found by the netnsid rtnetlink reports for it, and
 * entered by xdplb_netns_run() so this process never leaves its own namespace. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/ethtool.h>

#include <bpf/libbpf.h>

#include "sys/egress.h"
#include "sys/ethtool.h"
#include "sys/ifinfo.h"
#include "sys/log.h"
#include "sys/netns.h"

struct xdplb_veth_peer {
	bool is_veth;
	__u32 ifindex;		/* in the peer's namespace */
	int netnsid;		/* -1: the peer is in this namespace */
	bool ns_missing;	/* its namespace could not be found (and that was said) */
};

static int xdplb_veth_peer(__u32 ifindex, struct xdplb_veth_peer *peer)
{
	struct xdplb_ifinfo fi;
	int err;

	memset(peer, 0, sizeof(*peer));
	err = xdplb_ifinfo_read_link((int)ifindex, &fi, &peer->netnsid);
	if (err)
		return err;
	peer->is_veth = !strcmp(fi.kind, "veth");
	peer->ifindex = (__u32)fi.peer.ifindex;
	return 0;
}

enum xdplb_peer_op {
	XDPLB_PEER_PROBE,	/* dry run: would GRO have to be turned on? */
	XDPLB_PEER_GRO_ON,	/* turn GRO on unless the peer can already receive */
	XDPLB_PEER_GRO_OFF,	/* a revert: turn off the GRO an earlier GRO_ON turned on */
};

struct xdplb_peer_gro_req {
	__u32 ifindex;
	enum xdplb_peer_op op;
};

/* In the peer's namespace: 1 when GRO was (or, probing, would be) turned on or off, 0 when
 * it was already as wanted. */
static int xdplb_peer_gro(void *data)
{
	const struct xdplb_peer_gro_req *r = data;
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char name[IF_NAMESIZE];
	__u32 gro = 0;
	int err;

	if (!if_indextoname(r->ifindex, name))
		return -ENODEV;
	if (r->op != XDPLB_PEER_GRO_OFF && !bpf_xdp_query((int)r->ifindex, 0, &q) &&
	    q.drv_prog_id)
		return 0;
	err = xdplb_ethtool_get(name, ETHTOOL_GGRO, &gro);
	if (err)
		return err;
	if (r->op == XDPLB_PEER_GRO_OFF ? !gro : gro)
		return 0;
	if (r->op == XDPLB_PEER_PROBE)
		return 1;
	return xdplb_ethtool_set(name, ETHTOOL_SGRO, r->op == XDPLB_PEER_GRO_ON) ?: 1;
}

/* Runs xdplb_peer_gro() on the veth peer of ifindex, in the peer's namespace if it has
 * one of its own; 0 for a port that is no veth. */
static int xdplb_veth_peer_gro(const char *flag, const char *ifname, __u32 ifindex,
			       enum xdplb_peer_op op, struct xdplb_veth_peer *peer)
{
	struct xdplb_peer_gro_req req;
	int ret, nsfd;

	ret = xdplb_veth_peer(ifindex, peer);
	if (ret || !peer->is_veth || !peer->ifindex)
		return 0;
	req = (struct xdplb_peer_gro_req){ peer->ifindex, op };
	if (peer->netnsid < 0)
		return xdplb_peer_gro(&req);
	nsfd = xdplb_netns_open(peer->netnsid, NULL, 0);
	if (nsfd < 0) {
		peer->ns_missing = true;
		pr_err("%s: %s: its veth peer (ifindex %u, netnsid %d) is in a network namespace "
		       "xdplb cannot find, and must have GRO or an XDP program to take "
		       "redirected frames: turn GRO on there (ethtool -K PEER gro on)",
		       flag, ifname, peer->ifindex, peer->netnsid);
		return -ENOENT;
	}
	ret = xdplb_netns_run(nsfd, xdplb_peer_gro, &req, sizeof(req));
	close(nsfd);
	return ret;
}

int xdplb_egress_prepare(const char *flag, const char *ifname, __u32 ifindex, bool dry_run)
{
	struct xdplb_veth_peer peer;
	int ret;

	ret = xdplb_veth_peer_gro(flag, ifname, ifindex,
				  dry_run ? XDPLB_PEER_PROBE : XDPLB_PEER_GRO_ON, &peer);
	if (ret < 0 && !peer.ns_missing)
		pr_err("%s: %s: cannot turn GRO on at its veth peer (ifindex %u): %s; without GRO or "
		       "an XDP program there it drops every redirected frame", flag, ifname,
		       peer.ifindex, strerror(-ret));
	/* The caller says that GRO was turned on once its change holds: a change that
	 * fails turns it off again, and its error stays one line. */
	return ret;
}

int xdplb_egress_restore(const char *ifname, __u32 ifindex)
{
	struct xdplb_veth_peer peer;
	char name[IF_NAMESIZE];

	/* Gone, or its ifindex now names another device: its peer went with it. */
	if (!if_indextoname(ifindex, name) || strcmp(name, ifname))
		return 0;
	return xdplb_veth_peer_gro("--confirm", ifname, ifindex, XDPLB_PEER_GRO_OFF, &peer);
}
