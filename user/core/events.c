// SPDX-License-Identifier: GPL-2.0
/* events.c: loads kern/xdplb_events.bpf.c for one instance. Its links are pinned next to
 * the instance's maps, so the counters run from attach to detach whatever process is
 * around, and removing the pin directory detaches them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/events.h"
#include "sys/log.h"
#include "xdplb_events.skel.h"

static __u32 xdplb_map_id(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.id;
}

const char *const xdplb_event_link_pins[XDPLB_EVENT_LINKS] = {
	"link_enqueue", "link_kthread", "link_redirect_err", "link_exception", "link_xmit",
};

int xdplb_events_start(struct xdplb_instance *in, const char *dir)
{
	struct xdplb_events *skel;
	struct bpf_link *links[5];
	char path[PATH_MAX + 32];
	int err, i;

	skel = xdplb_events__open();
	if (!skel) {
		pr_err("events: open: %s", strerror(errno));
		return -errno;
	}
	skel->rodata->xdplb_cpumap_id = xdplb_map_id(in->map_fd[XDPLB_M_cpus]);
	skel->rodata->xdplb_devmap_id = xdplb_map_id(in->map_fd[XDPLB_M_ports]);
	skel->rodata->xdplb_ifindex = in->meta.ifindex;
	skel->rodata->xdplb_netns_ino = (__u32)in->meta.netns_ino;
	skel->rodata->xdplb_target_kind = in->meta.target_kind;
	err = xdplb_events__load(skel);
	if (err) {
		pr_err("events: load: %s (the kernel needs BTF and tp_btf support)", strerror(-err));
		goto out;
	}
	err = xdplb_events__attach(skel);
	if (err) {
		pr_err("events: attach: %s", strerror(-err));
		goto out;
	}
	links[0] = skel->links.xdplb_ev_enqueue;
	links[1] = skel->links.xdplb_ev_kthread;
	links[2] = skel->links.xdplb_ev_redirect_err;
	links[3] = skel->links.xdplb_ev_exception;
	links[4] = skel->links.xdplb_ev_devmap_xmit;
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, xdplb_event_link_pins[i]);
		err = bpf_link__pin(links[i], path);
		if (err) {
			pr_err("events: pin %s: %s", path, strerror(-err));
			goto out;
		}
	}
	in->map_fd[XDPLB_M_ev_tgt] = dup(bpf_map__fd(skel->maps.xdplb_ev_tgt));
	in->map_fd[XDPLB_M_ev] = dup(bpf_map__fd(skel->maps.xdplb_ev));
	in->map_fd[XDPLB_M_port_ix] = dup(bpf_map__fd(skel->maps.xdplb_port_ix));
	if (in->map_fd[XDPLB_M_ev_tgt] < 0 || in->map_fd[XDPLB_M_ev] < 0 ||
	    in->map_fd[XDPLB_M_port_ix] < 0)
		err = -errno;
out:
	xdplb_events__destroy(skel);
	return err;
}
