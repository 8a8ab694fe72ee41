// SPDX-License-Identifier: GPL-2.0
/* decision_xdpbench.c: loads xdp-bench's cpumap_l4_dport as xdp-bench itself would (its
 * xdp_redirect_cpumap.c and lib/util/xdp_sample.c, v1.6.3): the same object, the same map
 * sizes, the same rodata, the same entries. Only the XDP program is loaded: its statistics
 * tracepoints do not run in BPF_PROG_TEST_RUN. */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <linux/bpf.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bench/decision_xdpbench.h"

#define XB_PROG		"cpumap_l4_dport"
#define XB_QSIZE	2048	/* xdp-bench's default -q */
#define XB_REDIRECT_ERR_MAX	7	/* lib/util/xdp_sample.c */
#define XB_ACTION_MAX		(XDP_REDIRECT + 1)

/* max_entries as sample_setup_maps() and xdp_redirect_cpumap.c set them. */
static __u32 xb_map_size(const char *name, __u32 ncpus)
{
	static const struct { const char *name; int mult; } sizes[] = {
		{ "rx_cnt", 1 }, { "cpumap_kthread_cnt", 1 }, { "devmap_xmit_cnt", 1 },
		{ "cpu_map", 1 }, { "cpus_available", 1 }, { "rxq_cnt", 0 },
		{ "redir_err_cnt", XB_REDIRECT_ERR_MAX }, { "exception_cnt", XB_ACTION_MAX },
		{ "cpumap_enqueue_cnt", -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (strcmp(name, sizes[i].name))
			continue;
		if (sizes[i].mult < 0)
			return ncpus * ncpus;
		return sizes[i].mult ? sizes[i].mult * ncpus : 1;
	}
	return 0;
}

int xb_set_rodata_u32(struct bpf_object *obj, const char *name, __u32 value)
{
	struct bpf_map *rodata = bpf_object__find_map_by_name(obj, ".rodata");
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	size_t size;
	void *copy;
	int id, i, err = -ENOENT;

	if (!rodata || !btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0)
		return -ENOENT;
	sec = btf__type_by_id(btf, id);
	copy = malloc(bpf_map__value_size(rodata));
	if (!copy)
		return -ENOMEM;
	memcpy(copy, bpf_map__initial_value(rodata, &size), bpf_map__value_size(rodata));
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, var->name_off), name) || vs->size != 4)
			continue;
		memcpy((char *)copy + vs->offset, &value, sizeof(value));
		err = bpf_map__set_initial_value(rodata, copy, size);
		break;
	}
	free(copy);
	return err;
}

/* The entries: every CPU marked unavailable, then CPU i at index i with qsize 2048. */
static int xb_fill(struct bpf_object *obj, __u32 ncpus)
{
	int avail = bpf_object__find_map_fd_by_name(obj, "cpus_available");
	int count = bpf_object__find_map_fd_by_name(obj, "cpus_count");
	int cpumap = bpf_object__find_map_fd_by_name(obj, "cpu_map");
	struct bpf_cpumap_val v = { .qsize = XB_QSIZE, .bpf_prog.fd = -1 };
	__u32 i, key0 = 0;

	if (avail < 0 || count < 0 || cpumap < 0)
		return -ENOENT;
	for (i = 0; i < ncpus; i++)
		if (bpf_map_update_elem(avail, &i, &ncpus, 0))
			return -errno;
	for (i = 0; i < ncpus; i++)
		if (bpf_map_update_elem(cpumap, &i, &v, 0) || bpf_map_update_elem(avail, &i, &i, 0))
			return -errno;
	return bpf_map_update_elem(count, &key0, &ncpus, 0) ? -errno : 0;
}

int xb_load(const char *path, int ncpus, struct bpf_object **objp)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog, *want = NULL;
	struct bpf_map *map;
	int err;

	if (!obj)
		return -errno;
	bpf_object__for_each_program(prog, obj) {
		int it = !strcmp(bpf_program__name(prog), XB_PROG);

		bpf_program__set_autoload(prog, it);
		if (it)
			want = prog;
	}
	err = want ? 0 : -ENOENT;
	bpf_object__for_each_map(map, obj) {
		__u32 n = xb_map_size(bpf_map__name(map), ncpus);

		if (!err && n)
			err = bpf_map__set_max_entries(map, n);
	}
	/* As xdp-bench loads it: with the frags flag, like xdplb in native mode. */
	if (!err)
		err = bpf_program__set_flags(want, bpf_program__flags(want) | BPF_F_XDP_HAS_FRAGS);
	/* nr_cpus = the possible CPUs, as sample_init_pre_load() sets it. */
	if (!err)
		err = xb_set_rodata_u32(obj, "nr_cpus", ncpus);
	if (!err)
		err = bpf_object__load(obj);
	if (!err)
		err = xb_fill(obj, ncpus);
	if (err) {
		bpf_object__close(obj);
		return err < 0 ? err : -EINVAL;
	}
	*objp = obj;
	return bpf_program__fd(want);
}
