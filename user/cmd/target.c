// SPDX-License-Identifier: GPL-2.0
/* target.c: naming a table slot's value by the target it stands for. */
#include <stdio.h>

#include "cmd/target.h"
#include "core/reconfig.h"
#include "sys/strbuf.h"

const struct xdplb_target *xdplb_table_target(const struct xdplb_settings *s, __u32 value)
{
	__u32 i;

	for (i = 0; i < s->n_targets; i++)
		if (xdplb_target_key(&s->targets[i]) == value)
			return &s->targets[i];
	return NULL;
}

void xdplb_target_name(const struct xdplb_settings *s, __u32 value, char *buf, size_t size)
{
	const struct xdplb_target *t = xdplb_table_target(s, value);
	struct xdplb_strbuf b;

	xdplb_strbuf_init(&b, buf, size);
	if (s->target_kind == XDPLB_TARGET_CPU)
		xdplb_strbuf_add(&b, "cpu %u", value);
	else if (t)
		xdplb_strbuf_add(&b, "port %s", t->ifname);
	else
		xdplb_strbuf_add(&b, "port slot %u", value);
}

void xdplb_print_target(const struct xdplb_settings *s, __u32 value)
{
	char name[XDPLB_TARGET_NAME_MAX];

	xdplb_target_name(s, value, name, sizeof(name));
	fputs(name, stdout);
}
