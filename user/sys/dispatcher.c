// SPDX-License-Identifier: GPL-2.0
/* dispatcher.c: the freplace probe. libxdp makes the same test before it builds a
 * dispatcher and silently falls back to a single program when it fails; xdplb runs it on
 * its own to be able to say which case a machine is in. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "sys/dispatcher.h"
#include "xdplb_probe.skel.h"

int xdplb_dispatcher_probe(char *why, size_t len)
{
	struct xdplb_probe *target = NULL, *ext = NULL;
	struct bpf_link *link = NULL;
	const char *step = "load the target program";
	int err, fd;

	target = xdplb_probe__open();
	err = target ? 0 : -errno;
	if (!err)
		err = bpf_program__set_autoload(target->progs.xdplb_probe_ext, false);
	if (!err)
		err = xdplb_probe__load(target);
	if (err)
		goto out;
	fd = bpf_program__fd(target->progs.xdplb_probe_main);

	step = "load an freplace program";
	ext = xdplb_probe__open();
	err = ext ? 0 : -errno;
	if (!err)
		err = bpf_program__set_autoload(ext->progs.xdplb_probe_main, false);
	if (!err)
		err = bpf_program__set_attach_target(ext->progs.xdplb_probe_ext, fd,
						     "xdplb_probe_slot");
	if (!err)
		err = xdplb_probe__load(ext);
	if (err)
		goto out;

	step = "attach an freplace program (BPF trampoline)";
	link = bpf_program__attach_freplace(ext->progs.xdplb_probe_ext, fd, "xdplb_probe_slot");
	err = libbpf_get_error(link);
	if (err)
		link = NULL;
out:
	if (err)
		snprintf(why, len, "cannot %s: %s", step, strerror(-err));
	bpf_link__destroy(link);
	xdplb_probe__destroy(ext);
	xdplb_probe__destroy(target);
	return err;
}
