// SPDX-License-Identifier: GPL-2.0
/* target.c: naming a table slot's value by the target it stands for. */
#include <stdio.h>

#include "cmd/target.h"
#include "core/reconfig.h"

const struct xdplb_target *xdplb_table_target(const struct xdplb_settings *s, __u32 value)
{
	__u32 i;

	for (i = 0; i < s->n_targets; i++)
		if (xdplb_target_key(&s->targets[i]) == value)
			return &s->targets[i];
	return NULL;
}

void xdplb_print_target(const struct xdplb_settings *s, __u32 value)
{
	const struct xdplb_target *t = xdplb_table_target(s, value);

	if (s->target_kind == XDPLB_TARGET_CPU)
		printf("cpu %u", value);
	else if (t)
		printf("port %s", t->ifname);
	else
		printf("port slot %u", value);
}
