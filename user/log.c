// SPDX-License-Identifier: GPL-2.0
/* log.c: stderr messages and the library print hooks. libbpf and libxdp print through
 * callbacks that take no user pointer, so the verbosity is the one file-scope setting the
 * tool keeps outside its context struct. Without -v their output is dropped: libxdp in
 * particular prints several misleading lines when its dispatcher cannot load on kernels
 * without BPF trampolines, before it falls back to a plain attach that works. */
#include <stdarg.h>
#include <stdio.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "log.h"

static int log_verbose;

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

int xdplb_log_verbose(void)
{
	return log_verbose;
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

int usage_err(const char *what, const char *value, const char *allowed_fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xdplb: %s: %s: ", what, value);
	va_start(ap, allowed_fmt);
	vfprintf(stderr, allowed_fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -XDPLB_EUSAGE;
}
