// SPDX-License-Identifier: GPL-2.0
/* config_file.c: --config FILE and --config-out. A line is "key value", the key a long
 * option's name and the value what that option takes, so a file is read by the command
 * line's own parsers and checked by the same rules, with the same messages, prefixed by
 * FILE:LINE. Writing goes the other way, from the running instance's settings. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "cmd/config_file.h"
#include "cmd/which.h"
#include "core/cpulist.h"
#include "core/names.h"
#include "core/pins.h"
#include "core/reconfig.h"
#include "core/table.h"

/* Each key's value in a running instance, or "" when it has none to write. */
typedef void (*xdplb_config_value_fn)(const struct xdplb_instance *in,
				      const struct xdplb_settings *s, char *buf, size_t len);

/* Port instances name their interface in redirect. */
static void xdplb_value_iface(const struct xdplb_instance *in, const struct xdplb_settings *s,
			      char *buf, size_t len)
{
	snprintf(buf, len, "%s", s->target_kind == XDPLB_TARGET_CPU ? in->ifname : "");
}

/* IN:OUT[:W],OUT...: in the configured order, which the first-port rule depends on. */
static void xdplb_value_redirect(const struct xdplb_instance *in, const struct xdplb_settings *s,
				 char *buf, size_t len)
{
	size_t used = 0;
	__u32 i;

	buf[0] = '\0';
	if (s->target_kind != XDPLB_TARGET_PORT)
		return;
	used = snprintf(buf, len, "%s:", in->ifname);
	for (i = 0; i < s->n_targets && used < len; i++) {
		used += snprintf(buf + used, len - used, "%s%s", i ? "," : "", s->targets[i].ifname);
		if (s->targets[i].weight != 1 && used < len)
			used += snprintf(buf + used, len - used, ":%u", s->targets[i].weight);
	}
	if (used >= len)
		buf[0] = '\0';
}

static void xdplb_value_pass_non_ip(const struct xdplb_instance *in,
				    const struct xdplb_settings *s, char *buf, size_t len)
{
	(void)in;
	snprintf(buf, len, "%s", s->target_kind == XDPLB_TARGET_PORT && s->pass_non_ip ? "yes" : "");
}

static void xdplb_value_inner(const struct xdplb_instance *in, const struct xdplb_settings *s,
			      char *buf, size_t len)
{
	(void)in;
	snprintf(buf, len, "%s", s->hash_mode & XDPLB_HASH_F_INNER ? "yes" : "");
}

/* Only the spelled-out default: a file may say no-inner, --config-out never needs to. */
static void xdplb_value_none(const struct xdplb_instance *in, const struct xdplb_settings *s,
			     char *buf, size_t len)
{
	(void)in;
	(void)s;
	(void)len;
	buf[0] = '\0';
}

static void xdplb_value_cpus(const struct xdplb_instance *in, const struct xdplb_settings *s,
			     char *buf, size_t len)
{
	struct xdplb_cpu_weight cpus[XDPLB_MAX_TARGETS];
	__u32 i;

	(void)in;
	buf[0] = '\0';
	if (s->target_kind != XDPLB_TARGET_CPU)
		return;
	for (i = 0; i < s->n_targets; i++)
		cpus[i] = (struct xdplb_cpu_weight){ s->targets[i].id, s->targets[i].weight };
	if (xdplb_format_cpulist(cpus, s->n_targets, buf, len))
		buf[0] = '\0';
}

/* One queue size for every CPU: the command line sets them all alike. */
static void xdplb_value_qsize(const struct xdplb_instance *in, const struct xdplb_settings *s,
			      char *buf, size_t len)
{
	(void)in;
	buf[0] = '\0';
	if (s->target_kind == XDPLB_TARGET_CPU && s->n_targets)
		snprintf(buf, len, "%u", s->targets[0].qsize);
}

static void xdplb_value_hash(const struct xdplb_instance *in, const struct xdplb_settings *s,
			     char *buf, size_t len)
{
	(void)in;
	snprintf(buf, len, "%s", xdplb_hash_name(s->hash_mode));
}

static void xdplb_value_seed(const struct xdplb_instance *in, const struct xdplb_settings *s,
			     char *buf, size_t len)
{
	(void)in;
	snprintf(buf, len, "0x%llx", (unsigned long long)s->seed);
}

static void xdplb_value_mode(const struct xdplb_instance *in, const struct xdplb_settings *s,
			     char *buf, size_t len)
{
	(void)in;
	snprintf(buf, len, "%s", xdplb_mode_name(s->attach_mode));
}

/* A CPU instance's remote program; port instances have none. */
static void xdplb_value_remote(const struct xdplb_instance *in, const struct xdplb_settings *s,
			       char *buf, size_t len)
{
	(void)in;
	buf[0] = '\0';
	if (s->target_kind != XDPLB_TARGET_CPU)
		return;
	if (s->remote == XDPLB_REMOTE_REDIRECT)
		snprintf(buf, len, "redirect:%s", s->remote_ifname);
	else
		snprintf(buf, len, "%s", xdplb_remote_name(s->remote));
}

static void xdplb_value_table_size(const struct xdplb_instance *in,
				   const struct xdplb_settings *s, char *buf, size_t len)
{
	(void)in;
	snprintf(buf, len, "%u", s->table_size);
}

/* The value of each key in a running instance. The keys are the options with
 * XDPLB_OF_KEY, in the order of the option table, which --config-out writes; a key that
 * is a flag stands alone on its line, and its value function says "yes" when it is on. */
static const xdplb_config_value_fn xdplb_config_values[XDPLB_OPT__COUNT] = {
	[XDPLB_OPT_IFACE] = xdplb_value_iface,
	[XDPLB_OPT_CPUS] = xdplb_value_cpus,
	[XDPLB_OPT_REDIRECT] = xdplb_value_redirect,
	[XDPLB_OPT_PASS_NON_IP] = xdplb_value_pass_non_ip,
	[XDPLB_OPT_QSIZE] = xdplb_value_qsize,
	[XDPLB_OPT_HASH] = xdplb_value_hash,
	[XDPLB_OPT_INNER] = xdplb_value_inner,
	[XDPLB_OPT_NO_INNER] = xdplb_value_none,
	[XDPLB_OPT_SEED] = xdplb_value_seed,
	[XDPLB_OPT_MODE] = xdplb_value_mode,
	[XDPLB_OPT_REMOTE] = xdplb_value_remote,
	[XDPLB_OPT_TABLE_SIZE] = xdplb_value_table_size,
};

static bool xdplb_config_key_known(const char *key)
{
	int id;

	for (id = 0; id < XDPLB_OPT__COUNT; id++)
		if ((xdplb_options[id].flags & XDPLB_OF_KEY) && !strcmp(xdplb_options[id].name, key))
			return true;
	return false;
}

static void xdplb_config_key_list(char *list, size_t len)
{
	size_t used = 0;
	int id;

	for (id = 0; id < XDPLB_OPT__COUNT && used < len; id++)
		if (xdplb_options[id].flags & XDPLB_OF_KEY)
			used += snprintf(list + used, len - used, "%s%s", used ? ", " : "",
					 xdplb_options[id].name);
}

/* Reads the whole file into cf->buf, refusing what cannot be a configuration. */
static int xdplb_config_slurp(const char *path, struct xdplb_config_file *cf)
{
	struct stat st;
	size_t n;
	FILE *f;
	int fd;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer before fstat refuses it. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return usage_err("--config", path, "cannot read it: %s", strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return usage_err("--config", path, "not a regular file");
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return usage_err("--config", path, "cannot read it: %s", strerror(errno));
	}
	cf->buf = malloc(XDPLB_CONFIG_MAX_BYTES + 1);
	if (!cf->buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(cf->buf, 1, XDPLB_CONFIG_MAX_BYTES + 1, f);
	fclose(f);
	if (n > XDPLB_CONFIG_MAX_BYTES)
		return usage_err("--config", path, "larger than %d bytes: a configuration is a few lines",
				 XDPLB_CONFIG_MAX_BYTES);
	if (memchr(cf->buf, '\0', n))
		return usage_err("--config", path, "not a text file (it holds NUL bytes)");
	cf->buf[n] = '\0';
	return 0;
}

static char *xdplb_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Notes the line of key, so messages about it name that line; refuses a key given twice.
 * The latest note of a key wins, so the second occurrence is the line named. */
static int xdplb_config_note(struct xdplb_config_file *cf, const char *key, unsigned int line)
{
	struct xdplb_origin *o = &cf->origin;
	char flag[64], keys[256];
	unsigned int i, first = 0;

	for (i = o->n; i-- > 0;)
		if (!strcmp(o->keys[i].key, key))
			first = o->keys[i].line;
	if (o->n == XDPLB_ORIGIN_MAX)	/* each known key once, then one more: never here */
		return usage_err("--config", cf->origin.file, "more than %d settings", XDPLB_ORIGIN_MAX);
	o->keys[o->n].key = key;
	o->keys[o->n].line = line;
	o->n++;
	snprintf(flag, sizeof(flag), "--%s", key);
	if (first)
		return usage_err(flag, "given twice", "first on line %u; one line per key", first);
	if (xdplb_config_key_known(key))
		return 0;
	xdplb_config_key_list(keys, sizeof(keys));
	return usage_err(flag, "unknown key", "one of %s (lines are: key value)", keys);
}

/* "key value  # comment": the value is one word, as on the command line. */
static int xdplb_config_line(struct xdplb_config_file *cf, struct xdplb_opts *o, char *line,
			     unsigned int lineno)
{
	char *hash = strchr(line, '#'), *key, *value;
	char flag[64];
	int err;

	if (hash)
		*hash = '\0';
	key = xdplb_trim(line);
	if (!*key)
		return 0;
	value = key + strcspn(key, " \t");
	if (*value) {
		*value++ = '\0';
		value = xdplb_trim(value);
	}
	err = xdplb_config_note(cf, key, lineno);
	if (err)
		return err;
	snprintf(flag, sizeof(flag), "--%s", key);
	if (value[strcspn(value, " \t")])
		return usage_err(flag, value, "one value, without spaces");
	err = xdplb_parse_option(o, key, *value ? value : NULL);
	return err == -ENOENT ? usage_err(flag, "unknown key", "not an option of xdplb") : err;
}

int xdplb_config_load(const char *path, struct xdplb_opts *o, struct xdplb_config_file *cf)
{
	struct xdplb_opts how = *o;
	int err;
	unsigned int lineno = 1;
	char *line, *next;

	memset(cf, 0, sizeof(*cf));
	err = xdplb_config_slurp(path, cf);
	if (err)
		return err;
	/* What the command line may add: how to apply the file, not what it says. */
	xdplb_opts_init(o);
	o->verbose = how.verbose;
	o->confirm_s = how.confirm_s;
	o->force = how.force;
	cf->origin.file = path;
	xdplb_log_origin(&cf->origin);
	for (line = cf->buf; line; line = next, lineno++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		err = xdplb_config_line(cf, o, line, lineno);
		if (err)
			return err;
	}
	if (!cf->origin.n) {
		xdplb_log_origin(NULL);
		return usage_err("--config", path, "no settings in it: a configuration names at least "
				 "iface and cpus (see README)");
	}
	err = xdplb_check_combination(o);
	if (err)
		return err;
	/* The whole configuration: what the file leaves out is the default, not whatever the
	 * instance ran with before, so one file gives one state on every node. The seed is
	 * left to the rule of the command line: kept by a running instance, drawn at attach. */
	o->qsize_set = o->hash_set = o->mode_set = o->remote_set = o->table_size_set = true;
	o->inner_set = true;
	return 0;
}

void xdplb_config_close(struct xdplb_config_file *cf)
{
	xdplb_log_origin(NULL);
	free(cf->buf);
	cf->buf = NULL;
}

static __u64 xdplb_fnv1a_bytes(__u64 h, const void *p, size_t n)
{
	const __u8 *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

__u64 xdplb_table_digest_of(const __u32 *table, __u32 size, const struct xdplb_settings *s,
			    __u32 hash_version)
{
	__u64 h = xdplb_fnv1a_bytes(0xcbf29ce484222325ULL, &hash_version, sizeof(hash_version));
	const struct xdplb_target *t;
	__u32 i, value;

	for (i = 0; i < size; i++) {
		/* Hashed as the 4-byte values they were before slots shrank to 2 bytes: the
		 * digest is the same for the same placement. */
		value = table[i];
		t = s->target_kind == XDPLB_TARGET_PORT ? xdplb_table_target(s, value) : NULL;
		if (t)
			h = xdplb_fnv1a_bytes(h, t->ifname, strnlen(t->ifname, sizeof(t->ifname)));
		else
			h = xdplb_fnv1a_bytes(h, &value, sizeof(value));
	}
	return h;
}

int xdplb_table_digest(const struct xdplb_instance *in, const struct xdplb_settings *s,
		       __u32 *size, __u64 *digest)
{
	struct xdplb_config cfg;
	__u32 key = 0, *table;
	int err;

	if (bpf_map_lookup_elem(in->map_fd[XDPLB_M_config], &key, &cfg))
		return -errno;
	*size = cfg.half[cfg.active & 1].table_mask + 1;
	table = calloc(XDPLB_TABLE_MAX, sizeof(*table));
	if (!table)
		return -ENOMEM;
	err = xdplb_table_read_half(in->map_fd[XDPLB_M_table], cfg.active & 1, table, *size);
	if (!err)
		*digest = xdplb_table_digest_of(table, *size, s, xdplb_instance_hash_version(in));
	free(table);
	return err;
}

int xdplb_table_digest_hex(const struct xdplb_instance *in, const struct xdplb_settings *s,
			   char *buf, size_t len)
{
	__u64 digest = 0;
	__u32 size;
	int err = xdplb_table_digest(in, s, &size, &digest);

	snprintf(buf, len, err ? "" : XDPLB_DIGEST_FMT, (unsigned long long)digest);
	return err;
}

int xdplb_config_write(const char *ifname, FILE *f)
{
	struct xdplb_settings *s = calloc(1, sizeof(*s));
	struct xdplb_instance in;
	char value[4096];
	__u64 digest = 0;
	__u32 table_size = 0;
	int lock_fd, err, id;

	if (!s)
		return -ENOMEM;
	err = xdplb_pins_open_live("--config-out", ifname, &in, s, &lock_fd);
	if (err)
		goto out;
	err = xdplb_table_digest(&in, s, &table_size, &digest);
	if (err) {
		pr_err("--config-out: %s: cannot read its table: %s", ifname, strerror(-err));
		goto close;
	}
	fprintf(f, "# xdplb configuration of %s, written by xdplb --config-out.\n"
		"# xdplb --config FILE applies it; the same file and seed give the same placement of\n"
		"# flows on every node. Edit iface (or redirect's IN) for another interface.\n"
		"# live table: %u slots, digest 0x%016llx (equal on nodes that place flows alike)\n",
		ifname, table_size, (unsigned long long)digest);
	for (id = 0; id < XDPLB_OPT__COUNT; id++) {
		if (!(xdplb_options[id].flags & XDPLB_OF_KEY) || !xdplb_config_values[id])
			continue;
		xdplb_config_values[id](&in, s, value, sizeof(value));
		if (value[0] && !xdplb_options[id].arg)
			fprintf(f, "%s\n", xdplb_options[id].name);
		else if (value[0])
			fprintf(f, "%s %s\n", xdplb_options[id].name, value);
	}
	if (fflush(f)) {
		pr_err("--config-out: write: %s", strerror(errno));
		err = -errno;
	}
close:
	xdplb_instance_close(&in);
	xdplb_pins_unlock(lock_fd);
out:
	free(s);
	return err;
}
