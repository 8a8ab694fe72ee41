// SPDX-License-Identifier: GPL-2.0
/* check.c: --check. The machine-wide checks (kernel, its BPF configuration, BTF, bpffs,
 * JIT, privileges, libraries, dispatcher, toolchain, CPUs) and the report, as text or
 * JSON; the per-interface lines are check_iface.c. A check that cannot find out says
 * "unknown" and warns: it never guesses ok. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>
#include <linux/capability.h>

#include <bpf/libbpf.h>
#include <net/if.h>

#include "cmd/check.h"
#include "cmd/check_iface.h"
#include "cmd/check_report.h"
#include "cmd/options.h"
#include "core/cpulist.h"
#include "core/guard.h"
#include "core/pins.h"
#include "sys/dispatcher.h"

/* cpumap entries that run a program (what --remote needs) came with 5.9. */
#define XDPLB_KERNEL_MIN_MAJOR	5
#define XDPLB_KERNEL_MIN_MINOR	9

static void xdplb_check_kernel(struct xdplb_report *r)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u)) {
		xdplb_report_add(r, XDPLB_CHECK_WARN, "kernel", NULL, "unknown: uname: %s", strerror(errno));
		return;
	}
	sscanf(u.release, "%d.%d", &major, &minor);
	if (major < XDPLB_KERNEL_MIN_MAJOR ||
	    (major == XDPLB_KERNEL_MIN_MAJOR && minor < XDPLB_KERNEL_MIN_MINOR))
		xdplb_report_add(r, XDPLB_CHECK_FAIL, "kernel", "boot a kernel 5.9 or newer",
				 "%s (%s): cpumap programs need 5.9 or newer", u.release, u.machine);
	else
		xdplb_report_add(r, XDPLB_CHECK_OK, "kernel", NULL, "%s (%s)", u.release, u.machine);
}

/* The kernel's configuration as far as it is published; *always_on tells whether the JIT
 * cannot be switched off. Returns false when no configuration can be found. */
static bool xdplb_check_config(struct xdplb_report *r, bool *always_on)
{
	static const char *const wanted[] = { "CONFIG_BPF_SYSCALL", "CONFIG_BPF_JIT",
					       "CONFIG_DEBUG_INFO_BTF" };
	char path[300], line[256], found[3][64] = {};
	struct utsname u;
	gzFile f;
	size_t i;

	/* gzopen reads plain files as they are, so one reader serves both places. */
	f = gzopen("/proc/config.gz", "r");
	snprintf(path, sizeof(path), "/proc/config.gz");
	if (!f && !uname(&u)) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		f = gzopen(path, "r");
	}
	if (!f) {
		xdplb_report_add(r, XDPLB_CHECK_WARN, "kernel config",
				 "modprobe configs (publishes /proc/config.gz)",
				 "unknown: neither /proc/config.gz nor /boot/config-$(uname -r) exists");
		return false;
	}
	while (gzgets(f, line, sizeof(line))) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "CONFIG_BPF_JIT_ALWAYS_ON=y"))
			*always_on = true;
		for (i = 0; i < 3; i++) {
			size_t n = strlen(wanted[i]);

			if (!strncmp(line, wanted[i], n) && line[n] == '=')
				snprintf(found[i], sizeof(found[i]), "%s", line + n + 1);
		}
	}
	gzclose(f);
	if (strcmp(found[0], "y"))
		xdplb_report_add(r, XDPLB_CHECK_FAIL, "kernel config", "boot a kernel built with CONFIG_BPF_SYSCALL=y",
				 "CONFIG_BPF_SYSCALL=%s in %s: no BPF at all", found[0][0] ? found[0] : "(unset)", path);
	else if (strcmp(found[1], "y"))
		xdplb_report_add(r, XDPLB_CHECK_WARN, "kernel config", "boot a kernel built with CONFIG_BPF_JIT=y",
				 "CONFIG_BPF_JIT=%s in %s: programs run interpreted, slowly",
				 found[1][0] ? found[1] : "(unset)", path);
	else
		xdplb_report_add(r, XDPLB_CHECK_OK, "kernel config", NULL,
				 "CONFIG_BPF_SYSCALL=y, CONFIG_BPF_JIT=y%s, CONFIG_DEBUG_INFO_BTF=%s (%s)",
				 *always_on ? " (always on)" : "", found[2][0] ? found[2] : "(unset)", path);
	return true;
}

static void xdplb_check_btf(struct xdplb_report *r)
{
	struct stat st;

	if (!stat("/sys/kernel/btf/vmlinux", &st))
		xdplb_report_add(r, XDPLB_CHECK_OK, "btf", NULL, "/sys/kernel/btf/vmlinux");
	else
		xdplb_report_add(r, XDPLB_CHECK_FAIL, "btf", "boot a kernel built with CONFIG_DEBUG_INFO_BTF=y",
				 "/sys/kernel/btf/vmlinux: %s: the kernel-event counters (tp_btf) need it",
				 strerror(errno));
}

static void xdplb_check_bpffs(struct xdplb_report *r)
{
	const char *root = xdplb_pin_root();
	char parent[PATH_MAX], fix[PATH_MAX + 32];
	char *slash;

	snprintf(parent, sizeof(parent), "%s", root);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	snprintf(fix, sizeof(fix), "mount -t bpf bpf %s", parent);
	if (xdplb_is_bpffs(parent))
		xdplb_report_add(r, XDPLB_CHECK_OK, "bpffs", NULL, "mounted at %s (pins under %s)", parent, root);
	else if (!strcmp(parent, XDPLB_BPFFS_MOUNT))
		/* xdplb mounts it itself at the first attach, in its own mount namespace. */
		xdplb_report_add(r, XDPLB_CHECK_WARN, "bpffs", fix,
				 "not mounted at %s: xdplb mounts it when it attaches; mount it at boot (fstab: bpf %s bpf defaults 0 0)",
				 parent, parent);
	else
		xdplb_report_add(r, XDPLB_CHECK_FAIL, "bpffs", fix,
				 "%s (XDPLB_PIN_ROOT) is not on a bpffs: pins cannot be made there", parent);
}

static void xdplb_check_jit(struct xdplb_report *r, bool always_on)
{
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	if (v == 1)
		xdplb_report_add(r, XDPLB_CHECK_OK, "jit", NULL, "enabled (net.core.bpf_jit_enable=1%s)",
				 always_on ? ", always on" : "");
	else if (v == 2)
		xdplb_report_add(r, XDPLB_CHECK_WARN, "jit", "sysctl -w net.core.bpf_jit_enable=1",
				 "enabled with debug output to the kernel log (net.core.bpf_jit_enable=2)");
	else if (v == 0)
		xdplb_report_add(r, XDPLB_CHECK_WARN, "jit", "sysctl -w net.core.bpf_jit_enable=1",
				 "disabled: programs run interpreted, several times slower");
	else if (always_on)
		/* The sysctl exists in the initial network namespace only. */
		xdplb_report_add(r, XDPLB_CHECK_OK, "jit", NULL,
				 "always on (CONFIG_BPF_JIT_ALWAYS_ON)");
	else
		xdplb_report_add(r, XDPLB_CHECK_WARN, "jit", NULL,
				 "unknown: net.core.bpf_jit_enable cannot be read (it is visible in the initial network namespace only)");
}

bool xdplb_privileged(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};
	__u64 eff;

	/* Without capget there is nothing to go by: let the kernel decide later. */
	if (syscall(SYS_capget, &hdr, data))
		return true;
	eff = data[0].effective | ((__u64)data[1].effective << 32);
	return (eff & (1ULL << CAP_NET_ADMIN)) &&
	       (eff & ((1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_BPF)));
}

static void xdplb_check_privileges(struct xdplb_report *r)
{
	if (xdplb_privileged())
		xdplb_report_add(r, XDPLB_CHECK_OK, "privileges", NULL,
				 "CAP_BPF (or CAP_SYS_ADMIN) and CAP_NET_ADMIN");
	else
		xdplb_report_add(r, XDPLB_CHECK_FAIL, "privileges", "run xdplb as root",
				 "uid %u lacks CAP_BPF/CAP_SYS_ADMIN or CAP_NET_ADMIN", getuid());
}

struct xdplb_lib_path {
	const char *prefix;	/* "libxdp.so" */
	char path[PATH_MAX];
};

static int xdplb_find_lib(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct xdplb_lib_path *l = arg;
	const char *base = strrchr(info->dlpi_name, '/');

	(void)size;
	base = base ? base + 1 : info->dlpi_name;
	if (strncmp(base, l->prefix, strlen(l->prefix)))
		return 0;
	if (!realpath(info->dlpi_name, l->path))
		snprintf(l->path, sizeof(l->path), "%s", info->dlpi_name);
	return 1;
}

/* The library file actually loaded, resolved to its versioned name. */
static const char *xdplb_loaded_lib(const char *prefix, char *path, size_t len)
{
	struct xdplb_lib_path l = { .prefix = prefix };

	if (!dl_iterate_phdr(xdplb_find_lib, &l))
		return NULL;
	snprintf(path, len, "%s", l.path);
	return path;
}

static void xdplb_check_libs(struct xdplb_report *r)
{
	char path[PATH_MAX];

	if (libbpf_major_version() < LIBBPF_MAJOR_VERSION ||
	    (libbpf_major_version() == LIBBPF_MAJOR_VERSION &&
	     libbpf_minor_version() < LIBBPF_MINOR_VERSION))
		xdplb_report_add(r, XDPLB_CHECK_FAIL, "libbpf", "apt-get install libbpf1 (or rebuild xdplb)",
				 "%s at run time is older than the %d.%d xdplb was built with",
				 libbpf_version_string(), LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION);
	else
		xdplb_report_add(r, XDPLB_CHECK_OK, "libbpf", NULL, "%s (%s; built with %d.%d)",
				 libbpf_version_string(),
				 xdplb_loaded_lib("libbpf.so", path, sizeof(path)) ?: "statically linked",
				 LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION);
	/* libxdp has no version call: the loaded file's name carries its ABI version. */
	if (xdplb_loaded_lib("libxdp.so", path, sizeof(path)))
		xdplb_report_add(r, XDPLB_CHECK_OK, "libxdp", NULL, "%s", path);
	else
		xdplb_report_add(r, XDPLB_CHECK_WARN, "libxdp", NULL,
				 "version unknown: no libxdp.so among the loaded libraries");
}

/* The probes load programs and create maps (nothing is attached): they need the same
 * privileges as xdplb itself. */
static void xdplb_check_support(struct xdplb_report *r)
{
	char why[160];
	int xdp, cpumap, devmap;

	if (!xdplb_privileged()) {
		xdplb_report_add(r, XDPLB_CHECK_WARN, "bpf support", "run xdplb --check as root",
				 "unknown: probing XDP, cpumap and the libxdp dispatcher needs privileges");
		return;
	}
	xdp = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, NULL);
	cpumap = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_CPUMAP, NULL);
	devmap = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_DEVMAP, NULL);
	if (xdp < 0 || cpumap < 0 || devmap < 0)
		xdplb_report_add(r, XDPLB_CHECK_WARN, "bpf support", NULL, "unknown: probing failed: %s",
				 strerror(-(xdp < 0 ? xdp : cpumap < 0 ? cpumap : devmap)));
	else if (!xdp || !cpumap)
		xdplb_report_add(r, XDPLB_CHECK_FAIL, "bpf support", "boot a kernel 5.9 or newer with CONFIG_BPF_SYSCALL=y",
				 "XDP programs %s, cpumap %s", xdp ? "yes" : "no", cpumap ? "yes" : "no");
	else
		xdplb_report_add(r, XDPLB_CHECK_OK, "bpf support", NULL, "XDP programs, cpumap%s",
				 devmap ? ", devmap" : "");

	if (!xdplb_dispatcher_probe(why, sizeof(why)))
		xdplb_report_add(r, XDPLB_CHECK_OK, "libxdp dispatcher", NULL,
				 "available: xdplb shares an interface with other libxdp programs, at run priority %d",
				 XDPLB_RUN_PRIO);
	else
		xdplb_report_add(r, XDPLB_CHECK_WARN, "libxdp dispatcher", NULL,
				 "unavailable (%s): the dispatcher needs freplace (BPF trampolines), so xdplb "
				 "attaches alone and needs an interface whose XDP slot is free", why);
}

/* Whether a compiler on PATH lists the bpf target; fills its first version line. */
static bool xdplb_tool_has_bpf(const char *cmd, char *version, size_t len)
{
	char line[256];
	bool bpf = false;
	FILE *p = popen(cmd, "r");

	version[0] = '\0';
	if (!p)
		return false;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (!version[0] && strstr(line, "version"))
			snprintf(version, len, "%s", line + strspn(line, " "));
		if (strstr(line, " bpf ") || strstr(line, " bpf\t"))
			bpf = true;
	}
	pclose(p);
	return bpf;
}

static void xdplb_check_toolchain(struct xdplb_report *r)
{
	char cv[128], lv[128];
	bool clang_bpf, llc_bpf;

	clang_bpf = xdplb_tool_has_bpf("clang --version 2>/dev/null; clang -print-targets 2>/dev/null",
				       cv, sizeof(cv));
	llc_bpf = xdplb_tool_has_bpf("llc --version 2>/dev/null", lv, sizeof(lv));
	if (clang_bpf && llc_bpf)
		xdplb_report_add(r, XDPLB_CHECK_OK, "toolchain", NULL,
				 "%s and llc, both with the bpf target (needed only to build xdplb)", cv);
	else
		xdplb_report_add(r, XDPLB_CHECK_WARN, "toolchain", "apt-get install clang llvm",
				 "clang %s, llc %s with the bpf target: needed only to build xdplb",
				 clang_bpf ? "found" : "not found", llc_bpf ? "found" : "not found");
}

static void xdplb_check_cpus(struct xdplb_report *r)
{
	static bool online[XDPLB_MAX_CPUS], node[XDPLB_MAX_CPUS];
	char list[256], nodes[768] = "", path[300];
	struct dirent *de;
	size_t off = 0;
	int n = 0, i;
	DIR *d;

	if (xdplb_read_online_cpus(online, XDPLB_MAX_CPUS)) {
		xdplb_report_add(r, XDPLB_CHECK_FAIL, "cpus", NULL,
				 "/sys/devices/system/cpu/online cannot be read");
		return;
	}
	for (i = 0; i < XDPLB_MAX_CPUS; i++)
		n += online[i];
	xdplb_format_cpuset(online, XDPLB_MAX_CPUS, list, sizeof(list));
	d = opendir("/sys/devices/system/node");
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "node", 4) || !strspn(de->d_name + 4, "0123456789"))
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/node/%s/cpulist", de->d_name);
		if (xdplb_read_cpuset(path, node, XDPLB_MAX_CPUS))
			continue;
		for (i = 0; i < XDPLB_MAX_CPUS; i++)
			node[i] = node[i] && online[i];
		xdplb_format_cpuset(node, XDPLB_MAX_CPUS, path, sizeof(path));
		if (off < sizeof(nodes))
			off += snprintf(nodes + off, sizeof(nodes) - off, "; NUMA node %s: %s",
					de->d_name + 4, path[0] ? path : "no online CPU");
	}
	if (d)
		closedir(d);
	xdplb_report_add(r, n > 1 ? XDPLB_CHECK_OK : XDPLB_CHECK_WARN, "cpus",
			 n > 1 ? NULL : "bring more CPUs online (echo 1 > /sys/devices/system/cpu/cpuN/online)",
			 "%d online: %s%s%s", n, list, nodes[0] ? nodes : "; NUMA: no node information",
			 n > 1 ? "" : ": with one CPU there is nothing to spread flows over");
}

int xdplb_check(int ifindex, bool json)
{
	struct xdplb_report r = {};
	struct if_nameindex *ifs, *i;
	bool always_on = false, can_run = true;
	size_t k;

	xdplb_check_kernel(&r);
	xdplb_check_config(&r, &always_on);
	xdplb_check_btf(&r);
	xdplb_check_bpffs(&r);
	xdplb_check_jit(&r, always_on);
	xdplb_check_privileges(&r);
	xdplb_check_libs(&r);
	xdplb_check_support(&r);
	xdplb_check_toolchain(&r);
	xdplb_check_cpus(&r);
	if (ifindex) {
		xdplb_check_iface(&r, ifindex, true);
	} else {
		ifs = if_nameindex();
		for (i = ifs; i && i->if_index; i++)
			xdplb_check_iface(&r, i->if_index, false);
		if (ifs)
			if_freenameindex(ifs);
	}
	for (k = 0; k < r.n; k++)
		if (r.lines[k].level == XDPLB_CHECK_FAIL)
			can_run = false;
	xdplb_report_print(&r, json, can_run);
	xdplb_report_free(&r);
	return can_run ? 0 : -EAGAIN;
}
