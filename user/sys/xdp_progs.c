// SPDX-License-Identifier: GPL-2.0
/* xdp_progs.c: finds programs by what the kernel says of an interface, not by what any
 * file says of it: pins can be lost (a kill during an attach, a hand-removed file) while
 * the program keeps running, and it must still be found to be shown and removed. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "sys/xdp_progs.h"

/* libxdp's dispatcher program, as the kernel names it (15 characters kept). */
#define XDPLB_DISPATCHER_NAME	"xdp_dispatcher"

static int xdplb_add_prog(struct xdplb_xdp_prog *out, int n, int max, __u32 id, __u32 mode,
			  bool in_dispatcher)
{
	if (!id || n >= max)
		return n;
	out[n] = (struct xdplb_xdp_prog){ .id = id, .attach_mode = mode,
					  .in_dispatcher = in_dispatcher };
	return n + 1;
}

/* A dispatcher's components, as libxdp reads them from the dispatcher's BTF and pins. */
static int xdplb_add_components(int ifindex, struct xdplb_xdp_prog *out, int n, int max)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *p = NULL;

	if (!mp || libxdp_get_error(mp))
		return n;
	if (!xdp_multiprog__is_legacy(mp))
		while ((p = xdp_multiprog__next_prog(p, mp)))
			n = xdplb_add_prog(out, n, max, xdp_program__id(p),
					   xdp_multiprog__attach_mode(mp), true);
	xdp_multiprog__close(mp);
	return n;
}

int xdplb_xdp_progs(int ifindex, struct xdplb_xdp_prog *out, int max)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct xdplb_prog_facts f;
	__u32 slot_ids[3], modes[3] = { XDP_MODE_NATIVE, XDP_MODE_SKB, XDP_MODE_HW };
	int n = 0, i;
	bool dispatcher = false;

	if (bpf_xdp_query(ifindex, 0, &q))
		return 0;
	slot_ids[0] = q.drv_prog_id;
	slot_ids[1] = q.skb_prog_id;
	slot_ids[2] = q.hw_prog_id;
	for (i = 0; i < 3; i++) {
		n = xdplb_add_prog(out, n, max, slot_ids[i], modes[i], false);
		if (slot_ids[i] && !xdplb_prog_facts(slot_ids[i], &f) &&
		    !strncmp(f.name, XDPLB_DISPATCHER_NAME, sizeof(f.name) - 1))
			dispatcher = true;
	}
	return dispatcher ? xdplb_add_components(ifindex, out, n, max) : n;
}

int xdplb_prog_facts(__u32 prog_id, struct xdplb_prog_facts *f)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd, err = 0;

	memset(f, 0, sizeof(*f));
	fd = bpf_prog_get_fd_by_id(prog_id);
	if (fd < 0)
		return -errno;
	info.nr_map_ids = sizeof(f->map_ids) / sizeof(f->map_ids[0]);
	info.map_ids = (__u64)(unsigned long)f->map_ids;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		err = -errno;
	close(fd);
	if (err)
		return err;
	memcpy(f->name, info.name, sizeof(f->name) - 1);
	memcpy(f->tag, info.tag, sizeof(f->tag));
	f->n_maps = info.nr_map_ids < 16 ? info.nr_map_ids : 16;
	return 0;
}

__u32 xdplb_fd_map_id(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len) ? info.id : 0;
}

__u32 xdplb_fd_prog_id(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	return fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len) ? info.id : 0;
}
