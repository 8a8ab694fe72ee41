// SPDX-License-Identifier: GPL-2.0
/* log.c: stderr messages and the library print hooks. libbpf and libxdp print through
 * callbacks that take no user pointer, so the verbosity is a file-scope setting the tool
 * keeps outside its context struct; so is the origin of values read from a file, which
 * every parser's usage_err() must name without being handed it. Without -v their output is
 * dropped: libxdp in
 * particular prints several misleading lines when its dispatcher cannot load on kernels
 * without BPF trampolines, before it falls back to a plain attach that works. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "log.h"

static int log_verbose;
static const struct xdplb_origin *log_origin;

static int xdplb_print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!log_verbose || (level == LIBBPF_DEBUG && log_verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int xdplb_print_libxdp(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	if (!log_verbose || (level == LIBXDP_DEBUG && log_verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void xdplb_log_init(int verbose)
{
	log_verbose = verbose;
	libbpf_set_print(xdplb_print_libbpf);
	libxdp_set_print(xdplb_print_libxdp);
}

static void xdplb_vlog(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xdplb_vlog("xdplb: ", fmt, ap);
	va_end(ap);
}

void pr_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xdplb_vlog("xdplb: ", fmt, ap);
	va_end(ap);
}

void pr_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	xdplb_vlog("xdplb: debug: ", fmt, ap);
	va_end(ap);
}

void xdplb_log_origin(const struct xdplb_origin *origin)
{
	log_origin = origin;
}

/* "FILE:LINE: key" for an option a file gave, so the message points at the line. */
static void xdplb_print_what(const char *what)
{
	const char *key = strncmp(what, "--", 2) ? what : what + 2;
	unsigned int i;

	if (!log_origin) {
		fprintf(stderr, "xdplb: %s: ", what);
		return;
	}
	/* The latest line of a key: a key given twice is refused at its second line. */
	for (i = log_origin->n; i-- > 0;) {
		if (!strcmp(log_origin->keys[i].key, key)) {
			fprintf(stderr, "xdplb: %s:%u: %s: ", log_origin->file,
				log_origin->keys[i].line, key);
			return;
		}
	}
	fprintf(stderr, "xdplb: %s: %s: ", log_origin->file, key);
}

int usage_err(const char *what, const char *value, const char *allowed_fmt, ...)
{
	va_list ap;

	xdplb_print_what(what);
	fprintf(stderr, "%s: ", value);
	va_start(ap, allowed_fmt);
	vfprintf(stderr, allowed_fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -XDPLB_EUSAGE;
}
