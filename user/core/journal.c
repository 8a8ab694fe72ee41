// SPDX-License-Identifier: GPL-2.0
/* journal.c: one array element holds the whole record, written by one map update: a kill
 * comes before or after the update, never inside it, so a reader sees the old record or
 * the new, whole. A record of another build (another layout) is never read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "core/journal.h"
#include "sys/log.h"

#define XDPLB_JOURNAL_MAGIC	0x78646a31	/* "xdj1" */
#define XDPLB_JOURNAL_MAP	"xdplb_journal"

struct xdplb_journal {
	__u32 magic;
	__u32 size;		/* sizeof(struct xdplb_journal) of the build that wrote it */
	__u32 pending;
	__u32 pad;
	struct xdplb_settings target;
};

static int xdplb_journal_write(int fd, __u32 pending, const struct xdplb_settings *target)
{
	struct xdplb_journal *j = calloc(1, sizeof(*j));
	__u32 key = 0;
	int err = 0;

	if (!j)
		return -ENOMEM;
	j->magic = XDPLB_JOURNAL_MAGIC;
	j->size = sizeof(*j);
	j->pending = pending;
	if (target)
		j->target = *target;
	if (bpf_map_update_elem(fd, &key, j, 0))
		err = -errno;
	free(j);
	return err;
}

int xdplb_journal_create(struct xdplb_instance *in, const char *dir)
{
	char path[PATH_MAX + 32];
	int fd, err;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, XDPLB_JOURNAL_MAP, sizeof(__u32),
			    sizeof(struct xdplb_journal), 1, NULL);
	if (fd < 0) {
		pr_err("journal: create: %s", strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, XDPLB_PIN_JOURNAL);
	err = xdplb_journal_write(fd, XDPLB_JOURNAL_NONE, NULL);
	if (!err && bpf_obj_pin(fd, path))
		err = -errno;
	if (err) {
		pr_err("journal: %s: %s", path, strerror(-err));
		close(fd);
		return err;
	}
	if (in->journal_fd >= 0)
		close(in->journal_fd);
	in->journal_fd = fd;
	return 0;
}

int xdplb_journal_begin(struct xdplb_instance *in, const struct xdplb_settings *target)
{
	int err = 0;

	if (in->journal_fd < 0)
		err = xdplb_journal_create(in, in->dir);
	if (!err)
		err = xdplb_journal_write(in->journal_fd, target ? XDPLB_JOURNAL_CHANGE :
					  XDPLB_JOURNAL_DETACH, target);
	if (err)
		pr_err("journal: %s: cannot record the change: %s", in->ifname, strerror(-err));
	return err;
}

int xdplb_journal_end(struct xdplb_instance *in)
{
	return in->journal_fd < 0 ? 0 : xdplb_journal_write(in->journal_fd, XDPLB_JOURNAL_NONE, NULL);
}

int xdplb_journal_pending(const struct xdplb_instance *in, struct xdplb_settings *target)
{
	struct xdplb_journal *j;
	__u32 key = 0;
	int pending = 0;
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	/* Read only a record of this layout: another's may be larger than ours. */
	if (in->journal_fd < 0 || bpf_obj_get_info_by_fd(in->journal_fd, &info, &len) ||
	    info.value_size != sizeof(*j))
		return 0;
	j = calloc(1, sizeof(*j));
	if (!j)
		return 0;
	if (!bpf_map_lookup_elem(in->journal_fd, &key, j) && j->magic == XDPLB_JOURNAL_MAGIC &&
	    j->size == sizeof(*j) && j->pending <= XDPLB_JOURNAL_DETACH) {
		*target = j->target;
		pending = j->pending;
	}
	free(j);
	return pending;
}
