/* SPDX-License-Identifier: GPL-2.0 */
/* config_file.h: an instance's whole configuration as a small text file, read by --config
 * and written by --status --iface IF --config-out. One "key value" line per setting, the
 * keys being the long options of the same name. */
#ifndef XDPLB_CONFIG_FILE_H
#define XDPLB_CONFIG_FILE_H

#include <stdio.h>

#include "cmd/options.h"
#include "core/instance.h"
#include "sys/log.h"

/* A configuration is a few lines; anything much larger is not one. */
#define XDPLB_CONFIG_MAX_BYTES	65536

/* A file read into options: the values point into buf, so it lives as long as they do. */
struct xdplb_config_file {
	char *buf;
	struct xdplb_origin origin;	/* the line of each key, for error messages */
};

/* Replaces *o with the settings of the file at path (-v is kept). Every line is parsed by
 * the command line's own parser; the file is the whole configuration, so a key left out
 * takes its default, except seed: without it a running instance keeps its seed. On
 * success usage errors of later checks (CPUs online, interface present) keep naming the
 * file's lines until xdplb_config_close(). Returns 0 or -XDPLB_EUSAGE after one line. */
int xdplb_config_load(const char *path, struct xdplb_opts *o, struct xdplb_config_file *cf);
void xdplb_config_close(struct xdplb_config_file *cf);

/* FNV-1a 64 over the flow hash version, then over what each of the size slots of table
 * sends to: a CPU number, or a port's name (ports are known by name across nodes; their
 * devmap slots depend on each node's history). Nodes whose digests agree place flows
 * alike, given the same seed and hash mode: the same slots and the same hash. */
__u64 xdplb_table_digest_of(const __u32 *table, __u32 size, const struct xdplb_settings *s,
			    __u32 hash_version);
struct xdplb_instance;

/* The digest of the live table half, written as --config-out writes it ("0x" and 16 hex
 * digits); --status and --prometheus show the same string. */
#define XDPLB_DIGEST_FMT	"0x%016llx"
/* Reads the live half of in's table (its slot count into *size) and digests where each
 * slot sends to; nodes whose digests agree place flows alike. Returns 0 or -errno. */
int xdplb_table_digest(const struct xdplb_instance *in, const struct xdplb_settings *s,
		       __u32 *size, __u64 *digest);
/* The same, formatted with XDPLB_DIGEST_FMT into buf ("" when the table cannot be read). */
int xdplb_table_digest_hex(const struct xdplb_instance *in, const struct xdplb_settings *s,
			   char *buf, size_t len);

/* --config-out: prints the running instance on ifname as a file --config applies. */
int xdplb_config_write(const char *ifname, FILE *f);

#endif
