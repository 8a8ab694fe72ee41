/* SPDX-License-Identifier: GPL-2.0 */
/* log.h: messages to stderr in one format, and the libbpf/libxdp print hooks. */
#ifndef XDPLB_LOG_H
#define XDPLB_LOG_H

/* Exit codes, decided in main: usage errors are the caller's to fix, runtime ones the
 * machine's. */
#define XDPLB_EXIT_OK		0
#define XDPLB_EXIT_RUNTIME	1
#define XDPLB_EXIT_USAGE	2

/* Returned by functions that found a usage error and already said so. */
#define XDPLB_EUSAGE		1000

void xdplb_log_init(int verbose);
int xdplb_log_verbose(void);

void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "xdplb: <what>: <value>: <allowed>", returns -XDPLB_EUSAGE. */
int usage_err(const char *what, const char *value, const char *allowed_fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
