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

void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "xdplb: <what>: <value>: <allowed>", returns -XDPLB_EUSAGE. */
int usage_err(const char *what, const char *value, const char *allowed_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Where values came from when a file gave them (--config): the file and the line of each
 * option's key. */
#define XDPLB_ORIGIN_MAX	32
struct xdplb_origin {
	const char *file;
	unsigned int n;
	struct {
		const char *key;	/* the option's long name, without "--" */
		unsigned int line;
	} keys[XDPLB_ORIGIN_MAX];
};

/* From now on usage errors about "--KEY" say "FILE:LINE: KEY" (or "FILE: KEY" for a key
 * the file lacks), so every check names the line it refuses. NULL: the command line again. */
void xdplb_log_origin(const struct xdplb_origin *origin);

#endif
