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

#include "sys/log.h"

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

/* Writes one message as one line: a control character in a value (a newline in an
 * interface name, say) is shown escaped, so every error stays the one line scripts read. */
static void xdplb_put_line(const char *line)
{
	const unsigned char *c;

	for (c = (const unsigned char *)line; *c; c++) {
		if (*c == '\n')
			fputs("\\n", stderr);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(stderr, "\\x%02x", *c);
		else
			fputc(*c, stderr);
	}
	fputc('\n', stderr);
}

static void xdplb_vlog(const char *prefix, const char *fmt, va_list ap)
{
	char line[4096];
	int n = snprintf(line, sizeof(line), "%s", prefix);

	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	xdplb_put_line(line);
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
static int xdplb_format_what(char *buf, size_t len, const char *what)
{
	const char *key = strncmp(what, "--", 2) ? what : what + 2;
	unsigned int i;

	if (!log_origin)
		return snprintf(buf, len, "xdplb: %s: ", what);
	/* The latest line of a key: a key given twice is refused at its second line. */
	for (i = log_origin->n; i-- > 0;)
		if (!strcmp(log_origin->keys[i].key, key))
			return snprintf(buf, len, "xdplb: %s:%u: %s: ", log_origin->file,
					log_origin->keys[i].line, key);
	return snprintf(buf, len, "xdplb: %s: %s: ", log_origin->file, key);
}

int usage_err(const char *what, const char *value, const char *allowed_fmt, ...)
{
	char line[4096];
	size_t n;
	va_list ap;

	n = xdplb_format_what(line, sizeof(line), what);
	if (n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, "%s: ", value);
	if (n < sizeof(line)) {
		va_start(ap, allowed_fmt);
		vsnprintf(line + n, sizeof(line) - n, allowed_fmt, ap);
		va_end(ap);
	}
	xdplb_put_line(line);
	return -XDPLB_EUSAGE;
}
