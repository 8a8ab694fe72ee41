// SPDX-License-Identifier: GPL-2.0
/* cpulist.c: strict parser of CPU lists and weights; the CPU set format of sysfs. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpulist.h"
#include "sys/log.h"

#define XDPLB_CPULIST_FORM "a list of CPUs and ranges with optional weights, like 0,2-5 or 2-5:1,6:2"

/* Reads a decimal number at *p; no sign, no spaces, at most max. */
static int xdplb_take_number(const char **p, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	const char *s = *p;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	while (isdigit((unsigned char)*s)) {
		unsigned long digit = (unsigned long)(*s - '0');

		/* Checked before the step, so no value wraps past max. */
		if (v > (max - digit) / 10)
			return -ERANGE;
		v = v * 10 + digit;
		s++;
	}
	*p = s;
	*out = v;
	return 0;
}

void xdplb_format_cpuset(const bool *set, size_t n, char *buf, size_t len)
{
	size_t i = 0, used = 0;

	buf[0] = '\0';
	while (i < n) {
		size_t j;

		if (!set[i]) {
			i++;
			continue;
		}
		for (j = i; j + 1 < n && set[j + 1]; j++)
			;
		if (j == i)
			used += snprintf(buf + used, used < len ? len - used : 0, "%s%zu",
					 used ? "," : "", i);
		else
			used += snprintf(buf + used, used < len ? len - used : 0, "%s%zu-%zu",
					 used ? "," : "", i, j);
		i = j + 1;
	}
	if (!used)
		snprintf(buf, len, "none");
}

static int xdplb_cmp_cpu(const void *a, const void *b)
{
	const struct xdplb_cpu_weight *x = a, *y = b;

	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

int xdplb_format_cpulist(const struct xdplb_cpu_weight *cpus, size_t n, char *buf, size_t len)
{
	struct xdplb_cpu_weight *sorted = malloc(n * sizeof(*sorted) + 1);
	size_t i, j, used = 0;

	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, cpus, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), xdplb_cmp_cpu);
	buf[0] = '\0';
	for (i = 0; i < n; i = j + 1) {
		for (j = i; j + 1 < n && sorted[j + 1].cpu == sorted[j].cpu + 1 &&
			    sorted[j + 1].weight == sorted[i].weight; j++)
			;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%u", i ? "," : "",
				 sorted[i].cpu);
		if (j > i)
			used += snprintf(buf + used, used < len ? len - used : 0, "-%u", sorted[j].cpu);
		if (sorted[i].weight != 1)
			used += snprintf(buf + used, used < len ? len - used : 0, ":%u", sorted[i].weight);
	}
	free(sorted);
	return used < len ? 0 : -ENOSPC;
}

static int xdplb_cpu_err(const char *spec, const bool *online, size_t n_slots, const char *why,
			 unsigned long cpu)
{
	char set[256];

	xdplb_format_cpuset(online, n_slots, set, sizeof(set));
	return usage_err("--cpus", spec, "CPU %lu %s; online CPUs: %s", cpu, why, set);
}

int xdplb_parse_cpulist(const char *spec, const bool *online, size_t n_slots,
			struct xdplb_cpu_weight *out, size_t *n)
{
	bool seen[XDPLB_MAX_CPUS] = { false };
	const char *p = spec;
	size_t count = 0;

	if (!*spec)
		return usage_err("--cpus", "''", "empty; " XDPLB_CPULIST_FORM);
	for (;;) {
		unsigned long lo, hi, weight = 1, cpu;

		if (xdplb_take_number(&p, ~0UL / 10, &lo))
			return usage_err("--cpus", spec, XDPLB_CPULIST_FORM);
		hi = lo;
		if (*p == '-') {
			p++;
			if (xdplb_take_number(&p, ~0UL / 10, &hi))
				return usage_err("--cpus", spec, XDPLB_CPULIST_FORM);
			if (hi < lo)
				return usage_err("--cpus", spec, "reversed range %lu-%lu (write %lu-%lu)",
						 lo, hi, hi, lo);
		}
		if (*p == ':') {
			p++;
			if (xdplb_take_number(&p, ~0UL / 10, &weight) || weight < 1 ||
			    weight > XDPLB_WEIGHT_MAX)
				return usage_err("--cpus", spec, "a weight is an integer 1..%d after ':'",
						 XDPLB_WEIGHT_MAX);
		}
		if (*p != ',' && *p != '\0')
			return usage_err("--cpus", spec, XDPLB_CPULIST_FORM);
		for (cpu = lo; cpu <= hi; cpu++) {
			if (cpu >= n_slots || cpu >= XDPLB_MAX_CPUS)
				return xdplb_cpu_err(spec, online, n_slots, "does not exist", cpu);
			if (!online[cpu])
				return xdplb_cpu_err(spec, online, n_slots, "is offline", cpu);
			if (seen[cpu])
				return usage_err("--cpus", spec, "CPU %lu is listed twice", cpu);
			seen[cpu] = true;
			out[count].cpu = cpu;
			out[count].weight = weight;
			count++;
		}
		if (*p == '\0')
			break;
		p++;
	}
	*n = count;
	return 0;
}

int xdplb_read_online_cpus(bool *online, size_t max)
{
	return xdplb_read_cpuset("/sys/devices/system/cpu/online", online, max);
}

int xdplb_read_cpuset(const char *path, bool *online, size_t max)
{
	char buf[4096], *p;
	FILE *f;

	memset(online, 0, max * sizeof(*online));
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	p = buf;
	while (*p && *p != '\n') {
		unsigned long lo, hi, i;

		lo = strtoul(p, &p, 10);
		hi = lo;
		if (*p == '-')
			hi = strtoul(p + 1, &p, 10);
		for (i = lo; i <= hi && i < max; i++)
			online[i] = true;
		if (*p == ',')
			p++;
		else
			break;
	}
	return 0;
}
