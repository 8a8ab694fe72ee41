// SPDX-License-Identifier: GPL-2.0
/* ask.c: what --explain and --which ask: the live instance on --iface, or settings not
 * applied anywhere (--cpus ..., --config FILE), built as an attach would build them. */
#include <errno.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "cmd/ask.h"
#include "core/cpulist.h"
#include "core/maglev.h"
#include "core/pins.h"
#include "core/recover.h"
#include "sys/log.h"

int xdplb_ask_config_load(struct xdplb_opts *o, struct xdplb_config_file *cf)
{
	const char *flag = o->cmd == XDPLB_CMD_WHICH ? "--which" : "--explain";
	struct xdplb_opts keep = *o;
	int err = xdplb_config_load(o->config, o, cf);

	if (err)
		return err;
	if (o->redirect_set)
		return usage_err(flag, keep.config, "a configuration of CPU targets (to try ports, "
				 "attach and ask with --iface IF)");
	if (!o->seed_set)
		return usage_err(flag, keep.config, "no seed in it: the seed decides every "
				 "flow (add a seed line, as --config-out writes)");
	o->cmd = keep.cmd;
	o->explain = keep.explain;
	o->which_args = keep.which_args;
	o->n_which_args = keep.n_which_args;
	o->json = keep.json;
	o->config = keep.config;
	o->ifname = NULL;
	return 0;
}

/* Settings not applied anywhere, built as an attach would build a fresh instance's. */
static int xdplb_ask_settings(const struct xdplb_opts *o, struct xdplb_settings *s)
{
	static struct xdplb_cpu_weight cpus[XDPLB_MAX_CPUS];
	static bool online[XDPLB_MAX_CPUS];
	int ncpus = libbpf_num_possible_cpus();
	size_t n, i;
	int err;

	if (ncpus <= 0 || xdplb_read_online_cpus(online, XDPLB_MAX_CPUS)) {
		pr_err("CPUs: cannot read the online and possible CPUs");
		return -EIO;
	}
	err = xdplb_parse_cpulist(o->cpus, online, (size_t)ncpus, cpus, &n);
	if (err)
		return err;
	memset(s, 0, sizeof(*s));
	s->target_kind = XDPLB_TARGET_CPU;
	s->n_targets = (__u32)n;
	for (i = 0; i < n; i++)
		s->targets[i] = (struct xdplb_target){ .kind = XDPLB_TARGET_CPU, .id = cpus[i].cpu,
						       .weight = cpus[i].weight, .qsize = o->qsize };
	s->seed = o->seed;
	s->hash_mode = o->hash_mode | (o->inner ? XDPLB_HASH_F_INNER : 0);
	s->table_size = o->table_size ? o->table_size : xdplb_maglev_default_size((__u32)ncpus);
	return 0;
}

int xdplb_ask_open(const struct xdplb_opts *o, const char *flag,
			      struct xdplb_explainer *e, struct xdplb_settings *s)
{
	struct xdplb_instance in;
	int lock_fd, err;

	if (!o->ifname) {
		err = xdplb_ask_settings(o, s);
		return err ? err : xdplb_explainer_open_settings(e, s);
	}
	err = xdplb_pins_open_live(flag, o->ifname, &in, s, &lock_fd);
	if (err)
		return err;
	err = xdplb_explainer_open_live(e, &in, s);
	xdplb_instance_close(&in);
	xdplb_pins_unlock(lock_fd);
	return err;
}
