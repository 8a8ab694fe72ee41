// SPDX-License-Identifier: GPL-2.0
/* adopt.c: a program is xdplb's by its name and by the maps it uses, never by its name
 * alone: anybody may call a program xdplb_rx, and a detach removes what it finds. A
 * program of ours that no pin directory claims (a kill -9 between the attach and the
 * pins, pins removed by hand) is an orphan: shown by --status, removed by --detach and
 * replaced by an attach, as a broken instance is. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "core/adopt.h"
#include "sys/iface.h"
#include "sys/xdp_progs.h"
#include "xdplb.skel.h"

#define XDPLB_RX_NAME	"xdplb_rx"
/* libbpf names an object's read-only data map after the object. */
#define XDPLB_RODATA_NAME	"xdplb.rodata"

/* The maps every xdplb_rx uses, by name and type (0: any type). */
static const struct {
	const char *name;
	__u32 type;
	enum xdplb_map_slot slot;
} xdplb_rx_maps[] = {
	{ XDPLB_MAP_CONFIG, BPF_MAP_TYPE_ARRAY, XDPLB_M_config },
	{ XDPLB_MAP_TABLE, 0, XDPLB_M_table },
	{ XDPLB_MAP_CPUS, BPF_MAP_TYPE_CPUMAP, XDPLB_M_cpus },
	{ XDPLB_MAP_PORTS, 0, XDPLB_M_ports },
	{ XDPLB_MAP_RX_STATS, 0, XDPLB_M_rx_stats },
	{ XDPLB_MAP_TGT_STATS, 0, XDPLB_M_tgt_stats },
};
#define XDPLB_RX_MAPS	(sizeof(xdplb_rx_maps) / sizeof(xdplb_rx_maps[0]))
/* Found without which a program is not ours: config, table, cpumap, devmap. */
#define XDPLB_RX_MAPS_NEEDED	4

/* Opens the program's maps by name into fds[] (by xdplb_rx_maps order); returns how many
 * of the needed ones are there with the right type, and the config map's id. */
static int xdplb_rx_map_fds(const struct xdplb_prog_facts *f, int fds[XDPLB_RX_MAPS],
			    __u32 *config_id)
{
	int found = 0;
	__u32 i, k;

	for (k = 0; k < XDPLB_RX_MAPS; k++)
		fds[k] = -1;
	for (i = 0; i < f->n_maps; i++) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_map_get_fd_by_id(f->map_ids[i]);

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len))
			info.name[0] = '\0';
		for (k = 0; k < XDPLB_RX_MAPS; k++) {
			if (fds[k] >= 0 || strcmp(info.name, xdplb_rx_maps[k].name) ||
			    (xdplb_rx_maps[k].type && info.type != xdplb_rx_maps[k].type))
				continue;
			if (k == 0 && info.value_size != sizeof(struct xdplb_config))
				continue;
			if (k == 0)
				*config_id = info.id;
			if (k < XDPLB_RX_MAPS_NEEDED)
				found++;
			fds[k] = fd;
			fd = -1;
			break;
		}
		if (fd >= 0)
			close(fd);
	}
	return found;
}

static void xdplb_close_fds(int *fds, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (fds[k] >= 0)
			close(fds[k]);
}

/* The pin root the program was loaded for, from its read-only data (0: unknown, as in a
 * program of another build, whose data has another layout). */
static __u64 xdplb_prog_root_id(const struct xdplb_prog_facts *f)
{
	struct xdplb__rodata ro = {};
	__u32 i, key = 0;
	__u64 id = 0;

	for (i = 0; i < f->n_maps && !id; i++) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_map_get_fd_by_id(f->map_ids[i]);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && !strcmp(info.name, XDPLB_RODATA_NAME) &&
		    /* The section can be shorter than the struct by its tail padding. */
		    info.value_size <= sizeof(ro) &&
		    info.value_size >= offsetof(struct xdplb__rodata, xdplb_pin_root_id) + sizeof(__u64) &&
		    !bpf_map_lookup_elem(fd, &key, &ro))
			id = ro.xdplb_pin_root_id;
		close(fd);
	}
	return id;
}

bool xdplb_prog_ours(__u32 prog_id, __u64 root_id, __u32 *config_id)
{
	struct xdplb_prog_facts f;
	int fds[XDPLB_RX_MAPS], found;

	*config_id = 0;
	if (xdplb_prog_facts(prog_id, &f) || strcmp(f.name, XDPLB_RX_NAME))
		return false;
	found = xdplb_rx_map_fds(&f, fds, config_id);
	xdplb_close_fds(fds, XDPLB_RX_MAPS);
	return found == XDPLB_RX_MAPS_NEEDED && xdplb_prog_root_id(&f) == root_id;
}

int xdplb_find_ours(int ifindex, __u64 root_id, struct xdplb_ours *out, int max)
{
	struct xdplb_xdp_prog progs[XDPLB_XDP_PROGS_MAX];
	int n = xdplb_xdp_progs(ifindex, progs, XDPLB_XDP_PROGS_MAX), i, k = 0;

	for (i = 0; i < n && k < max; i++) {
		__u32 config_id;

		if (!xdplb_prog_ours(progs[i].id, root_id, &config_id))
			continue;
		out[k++] = (struct xdplb_ours){ .prog_id = progs[i].id,
						.attach_mode = progs[i].attach_mode,
						.config_id = config_id };
	}
	return k;
}

int xdplb_adopt_orphan(const char *ifname, int ifindex, const struct xdplb_ours *o,
		       struct xdplb_instance *in)
{
	struct xdplb_prog_facts f;
	int fds[XDPLB_RX_MAPS];
	__u32 config_id = 0, k;

	xdplb_instance_init(in);
	if (xdplb_prog_facts(o->prog_id, &f))
		return -ENOENT;
	xdplb_rx_map_fds(&f, fds, &config_id);
	for (k = 0; k < XDPLB_RX_MAPS; k++)
		in->map_fd[xdplb_rx_maps[k].slot] = fds[k];
	snprintf(in->ifname, sizeof(in->ifname), "%s", ifname);
	in->meta = (struct xdplb_meta){
		.abi_version = XDPLB_ABI_VERSION, .ifindex = ifindex,
		.netns_ino = xdplb_netns_ino(), .prog_id = o->prog_id,
		.attach_mode = o->attach_mode,
	};
	snprintf(in->meta.ifname, sizeof(in->meta.ifname), "%s", ifname);
	in->state = XDPLB_STATE_ORPHANED;
	in->run_id = o->prog_id;
	in->run_mode = o->attach_mode;
	return 0;
}
