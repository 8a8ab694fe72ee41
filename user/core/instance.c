// SPDX-License-Identifier: GPL-2.0
/* instance.c: an instance's file descriptors, its mmap()ed config, and its settings read
 * back from the pinned maps. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "core/instance.h"
#include "sys/log.h"

#define XDPLB_MAP_NAME(id, name) [XDPLB_M_##id] = name,
const char *const xdplb_map_pin_names[XDPLB_M__COUNT] = { XDPLB_INSTANCE_MAPS(XDPLB_MAP_NAME) };
#undef XDPLB_MAP_NAME

void xdplb_instance_init(struct xdplb_instance *in)
{
	int i;

	memset(in, 0, sizeof(*in));
	for (i = 0; i < XDPLB_M__COUNT; i++)
		in->map_fd[i] = -1;
	for (i = 0; i < XDPLB_REMOTE__COUNT; i++)
		in->remote_fd[i] = -1;
	in->journal_fd = -1;
}

void xdplb_instance_close(struct xdplb_instance *in)
{
	int i;

	if (in->config)
		munmap(in->config, sizeof(*in->config));
	for (i = 0; i < XDPLB_M__COUNT; i++)
		if (in->map_fd[i] >= 0)
			close(in->map_fd[i]);
	for (i = 0; i < XDPLB_REMOTE__COUNT; i++)
		if (in->remote_fd[i] >= 0)
			close(in->remote_fd[i]);
	if (in->journal_fd >= 0)
		close(in->journal_fd);
	xdplb_instance_init(in);
}

int xdplb_instance_map_config(struct xdplb_instance *in)
{
	void *p = mmap(NULL, sizeof(*in->config), PROT_READ | PROT_WRITE, MAP_SHARED,
		       in->map_fd[XDPLB_M_config], 0);

	if (p == MAP_FAILED) {
		pr_err("config map: mmap: %s", strerror(errno));
		return -errno;
	}
	in->config = p;
	return 0;
}

int xdplb_instance_write_meta(struct xdplb_instance *in)
{
	__u32 key = 0;

	if (bpf_map_update_elem(in->map_fd[XDPLB_M_meta], &key, &in->meta, 0)) {
		pr_err("meta map: update: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

bool xdplb_instance_counts_slots(const struct xdplb_instance *in)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return in->map_fd[XDPLB_M_slots] >= 0 &&
	       !bpf_obj_get_info_by_fd(in->map_fd[XDPLB_M_slots], &info, &len) &&
	       info.max_entries >= XDPLB_TABLE_MAX;
}

__u32 xdplb_instance_hash_version(const struct xdplb_instance *in)
{
	return in->meta.hash_version ? in->meta.hash_version : 1;
}

int xdplb_instance_settings(const struct xdplb_instance *in, struct xdplb_settings *s)
{
	const struct xdplb_half *half;
	struct xdplb_config cfg;
	__u32 key = 0, i;

	memset(s, 0, sizeof(*s));
	if (bpf_map_lookup_elem(in->map_fd[XDPLB_M_config], &key, &cfg))
		return -errno;
	half = &cfg.half[cfg.active & 1];
	s->seed = half->seed;
	s->hash_mode = half->hash_mode & ~XDPLB_HASH_F_DERIVED;	/* not settings */
	s->table_size = half->table_mask + 1;
	s->target_kind = in->meta.target_kind;
	s->remote = in->meta.remote;
	s->attach_mode = in->meta.attach_mode;
	s->pass_non_ip = half->default_target == XDPLB_NO_TARGET;
	s->remote_ifindex = in->meta.remote_ifindex;
	memcpy(s->remote_ifname, in->meta.remote_ifname, sizeof(s->remote_ifname));
	s->balance = xdplb_instance_counts_slots(in);
	s->n_targets = in->meta.n_targets;
	if (s->n_targets > XDPLB_MAX_TARGETS)
		return -EINVAL;
	for (i = 0; i < s->n_targets; i++)
		if (bpf_map_lookup_elem(in->map_fd[XDPLB_M_targets], &i, &s->targets[i]))
			return -errno;
	return 0;
}
