// SPDX-License-Identifier: GPL-2.0
/* revert.c: the revert process of --confirm and the --confirm-ok client.
 *
 * Why a double-forked process and not a timer in xdplb itself or a systemd unit: the
 * change is often made over the very connection it can cut, and the session that ran
 * xdplb dies with that connection (SIGHUP to its process group, or a kill). The revert
 * process is started before the change, in a session of its own (setsid), reparented to
 * init, with no terminal and no file descriptor of its parent, and it holds the previous
 * settings in its own memory, so it needs nothing from the applying process to do its
 * job: if that process dies at any point after the fork, the revert still happens. A
 * systemd-run timer would survive the revert process being killed as well, but needs
 * systemd as init and a way to hand it the saved settings; this works everywhere.
 *
 * It is reached through an abstract unix socket named after the pin directory. Abstract
 * names belong to a network namespace, as the interface does, so `--confirm-ok --iface
 * IF` run where IF lives finds it, and nothing is left on disk when it exits. Only root
 * (or the same user) may confirm. SIGTERM (a shutdown, an operator's kill) reverts at once:
 * a revert process asked to stop restores the known-good state rather than dropping it. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "core/adopt.h"
#include "core/lifecycle.h"
#include "core/pins.h"
#include "core/reconfig.h"
#include "core/revert.h"
#include "sys/egress.h"
#include "sys/iface.h"
#include "sys/log.h"

#define XDPLB_REVERT_PROG_NAME	"xdplb_rx"
#define XDPLB_REVERT_IO_S	5

static volatile sig_atomic_t xdplb_revert_now;

static __u64 xdplb_clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int xdplb_revert_addr(const char *ifname, struct sockaddr_un *sa, socklen_t *len)
{
	int n;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	n = snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, "xdplb-confirm:%s/%s",
		     xdplb_pin_root(), ifname);
	if (n < 0 || (size_t)n >= sizeof(sa->sun_path) - 1)
		return -ENAMETOOLONG;
	*len = offsetof(struct sockaddr_un, sun_path) + 1 + n;
	return 0;
}

static void xdplb_io_timeout(int fd)
{
	struct timeval tv = { .tv_sec = XDPLB_REVERT_IO_S };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Only root or our own user may confirm, or be believed when answering. */
static bool xdplb_peer_trusted(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) &&
	       (cred.uid == 0 || cred.uid == geteuid());
}

static void xdplb_send_line(int fd, const char *line)
{
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) < 0)
		syslog(LOG_WARNING, "reply: %m");
}

static int xdplb_read_line(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, 0);

	if (n <= 0)
		return n ? -errno : -EPIPE;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Detaches an xdplb program attached without pins (its applier died between attach and
 * pin), known as ours by its name and maps (core/adopt.h) and by not being what ran
 * there before. */
static void xdplb_revert_orphan(const struct xdplb_revert *rv)
{
	struct xdplb_xdp_state st;
	struct xdp_program *p;
	__u32 config_id;

	if (if_nametoindex(rv->ifname) != (unsigned int)rv->ifindex ||
	    xdplb_xdp_query(rv->ifindex, &st) || !st.attached_id || st.is_dispatcher ||
	    st.attached_id == rv->prev_xdp_id || strcmp(st.name, XDPLB_REVERT_PROG_NAME) ||
	    !xdplb_prog_ours(st.attached_id, xdplb_pin_root_id(), &config_id))
		return;
	p = xdp_program__from_id(st.attached_id);
	if (libxdp_get_error(p))
		return;
	if (xdp_program__detach(p, rv->ifindex, st.attach_mode, 0))
		syslog(LOG_ERR, "%s: detach program %u: failed", rv->ifname, st.attached_id);
	else
		syslog(LOG_NOTICE, "%s: detached unpinned program %u", rv->ifname, st.attached_id);
	xdp_program__close(p);
}

/* A fresh attach is undone by removing the instance that appeared since it was armed,
 * whatever state its applier left it in. 1 when it was undone, 0 when a live instance
 * older than the change holds the interface (nothing of the change to undo). */
static int xdplb_revert_attach(const struct xdplb_revert *rv)
{
	struct xdplb_instance in;
	char path[PATH_MAX + 64];
	bool other = false;
	int err = 0;

	if (!xdplb_pins_open(rv->ifname, &in)) {
		if (in.meta.attach_time_ns < rv->armed_ns)
			other = in.state == XDPLB_STATE_LIVE;
		else if (in.state == XDPLB_STATE_LIVE)
			err = xdplb_detach(&in);
		else if (in.state != XDPLB_STATE_ELSEWHERE)
			err = xdplb_pins_remove_dir(in.dir);
	}
	xdplb_instance_close(&in);
	snprintf(path, sizeof(path), "%s/pending-%08d-%s", xdplb_pin_root(), rv->applier, rv->ifname);
	xdplb_pins_remove_dir(path);
	/* A live instance older than the change owns the program there: not an orphan. */
	if (!other)
		xdplb_revert_orphan(rv);
	return err ?: !other;
}

/* 1 when the previous settings were restored, 0 when the instance was detached or replaced
 * meanwhile (nothing to restore). */
static int xdplb_revert_reconfig(const struct xdplb_revert *rv, bool applied)
{
	struct xdplb_settings *cur = calloc(1, sizeof(*cur));
	struct xdplb_instance in;
	int err;

	if (!cur)
		return -ENOMEM;
	err = xdplb_pins_open(rv->ifname, &in);
	if (err || in.state != XDPLB_STATE_LIVE || in.meta.prog_id != rv->prog_id) {
		syslog(LOG_NOTICE, "%s: the instance was detached or replaced meanwhile: nothing to revert",
		       rv->ifname);
		err = 0;
		goto out;
	}
	/* Ports are always claimed from the devmap's side, or the ports the change added
	 * would stay in it. */
	if (rv->prev.target_kind == XDPLB_TARGET_PORT || !applied ||
	    xdplb_instance_settings(&in, cur))
		xdplb_settings_unknown(&in, cur, &rv->prev);
	err = xdplb_instance_map_config(&in);
	if (!err)
		err = xdplb_change(&in, cur, &rv->prev);
	if (!err)
		err = 1;
out:
	xdplb_instance_close(&in);
	free(cur);
	return err;
}

/* Whether another live instance of this namespace sends to the port: its peer's GRO stays. */
static bool xdplb_port_used_elsewhere(const struct xdplb_revert *rv, __u32 ifindex)
{
	static char names[XDPLB_MAX_INSTANCES][IF_NAMESIZE];
	struct xdplb_settings *s = calloc(1, sizeof(*s));
	int n = xdplb_pins_list(names, XDPLB_MAX_INSTANCES), i;
	bool used = !s;
	__u32 j;

	for (i = 0; i < n && !used; i++) {
		struct xdplb_instance in;

		if (!strcmp(names[i], rv->ifname) || xdplb_pins_open(names[i], &in))
			continue;
		if (in.state == XDPLB_STATE_LIVE && !xdplb_instance_settings(&in, s)) {
			used = s->remote == XDPLB_REMOTE_REDIRECT && s->remote_ifindex == ifindex;
			for (j = 0; j < s->n_targets && !used; j++)
				used = s->targets[j].kind == XDPLB_TARGET_PORT &&
				       s->targets[j].id == ifindex;
		}
		xdplb_instance_close(&in);
	}
	free(s);
	return used;
}

/* Turns off the GRO the change turned on at its ports' veth peers. */
static void xdplb_revert_gro(const struct xdplb_revert *rv)
{
	__u32 i;
	int ret;

	for (i = 0; i < rv->n_gro; i++) {
		if (xdplb_port_used_elsewhere(rv, rv->gro[i].ifindex)) {
			syslog(LOG_NOTICE, "%s: port %s: GRO left on at its veth peer, which another "
			       "instance sends to", rv->ifname, rv->gro[i].ifname);
			continue;
		}
		ret = xdplb_egress_restore(rv->gro[i].ifname, rv->gro[i].ifindex);
		if (ret < 0)
			syslog(LOG_ERR, "%s: port %s: cannot turn GRO off again at its veth peer: %s",
			       rv->ifname, rv->gro[i].ifname, strerror(-ret));
		else if (ret)
			syslog(LOG_NOTICE, "%s: port %s: GRO turned off again at its veth peer",
			       rv->ifname, rv->gro[i].ifname);
	}
}

static void xdplb_revert_run(const struct xdplb_revert *rv, bool applied)
{
	int lock = xdplb_pins_lock();
	int err;

	/* No pin root at all: nothing pinned to restore, but an orphan may be attached. */
	if (lock < 0 && lock != -ENOENT) {
		syslog(LOG_ERR, "%s: cannot lock %s: %s", rv->ifname, xdplb_pin_root(), strerror(-lock));
		return;
	}
	err = rv->had_instance ? xdplb_revert_reconfig(rv, applied) : xdplb_revert_attach(rv);
	/* Only a change undone here gives up its GRO: a failed revert leaves the change's
	 * ports in use, and an instance detached meanwhile keeps GRO as --detach does. */
	if (err > 0)
		xdplb_revert_gro(rv);
	if (err < 0)
		syslog(LOG_ERR, "%s: revert failed: %s", rv->ifname, strerror(-err));
	else
		syslog(LOG_NOTICE, "%s: change not confirmed within %u s: reverted", rv->ifname, rv->secs);
	/* Leave no empty root behind, as a detach does. */
	rmdir(xdplb_pin_root());
	xdplb_pins_unlock(lock);
}

/* Answers one client; true when it confirmed. */
static bool xdplb_revert_serve(int lfd, __u64 deadline_ns)
{
	char buf[64];
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	bool confirmed = false;

	if (fd < 0)
		return false;
	xdplb_io_timeout(fd);
	if (xdplb_peer_trusted(fd) && !xdplb_read_line(fd, buf, sizeof(buf))) {
		if (!strcmp(buf, "confirm")) {
			xdplb_send_line(fd, "confirmed\n");
			confirmed = true;
		} else if (!strcmp(buf, "query")) {
			__u64 now = xdplb_clock_ns(CLOCK_MONOTONIC);

			snprintf(buf, sizeof(buf), "pending %llu %d\n",
				 (unsigned long long)(deadline_ns > now ? (deadline_ns - now) / 1000000 : 0),
				 getpid());
			xdplb_send_line(fd, buf);
		}
	}
	close(fd);
	return confirmed;
}

static void xdplb_on_term(int sig)
{
	(void)sig;
	xdplb_revert_now = 1;
}

/* Waits for the applier's report, confirmations and the deadline; then reverts. */
static void __attribute__((noreturn)) xdplb_revert_wait(const struct xdplb_revert *rv, int chan,
							 int lfd)
{
	__u64 secs_ns = (__u64)rv->secs * 1000000000ULL;
	__u64 deadline = xdplb_clock_ns(CLOCK_MONOTONIC) + secs_ns;
	struct sigaction sa = { .sa_handler = xdplb_on_term };
	sigset_t block, open_mask;
	bool applied = false;
	char buf[32];

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &open_mask);
	sigdelset(&open_mask, SIGTERM);
	sigaction(SIGTERM, &sa, NULL);

	while (!xdplb_revert_now) {
		struct pollfd p[2] = { { .fd = lfd, .events = POLLIN }, { .fd = chan, .events = POLLIN } };
		__u64 now = xdplb_clock_ns(CLOCK_MONOTONIC);
		struct timespec ts;

		if (now >= deadline)
			break;
		ts.tv_sec = (deadline - now) / 1000000000ULL;
		ts.tv_nsec = (deadline - now) % 1000000000ULL;
		if (ppoll(p, chan >= 0 ? 2 : 1, &ts, &open_mask) < 0)
			continue;
		if (chan >= 0 && p[1].revents) {
			if (xdplb_read_line(chan, buf, sizeof(buf))) {
				/* The applier is gone, reported or not: the revert stands. */
				close(chan);
				chan = -1;
			} else if (!strcmp(buf, "applied")) {
				applied = true;
				deadline = xdplb_clock_ns(CLOCK_MONOTONIC) + secs_ns;
			} else {
				syslog(LOG_INFO, "%s: the change failed and was rolled back", rv->ifname);
				_exit(0);
			}
		}
		if ((p[0].revents & POLLIN) && xdplb_revert_serve(lfd, deadline)) {
			syslog(LOG_NOTICE, "%s: change confirmed", rv->ifname);
			_exit(0);
		}
	}
	/* From here on a confirmation is refused: the name goes away with the socket. */
	close(lfd);
	xdplb_revert_run(rv, applied);
	_exit(0);
}

/* In the grandchild: cut every tie to the applier, then wait. */
static void __attribute__((noreturn)) xdplb_revert_daemon(const struct xdplb_revert *rv, int chan,
							   int lfd)
{
	int lo = chan < lfd ? chan : lfd, hi = chan < lfd ? lfd : chan;
	int null = open("/dev/null", O_RDWR);
	char ready[32];

	/* Its stdio may be a pipe someone waits on to close (a shell's $(...)). */
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	/* Every other descriptor: the pin lock, map and program fds of the applier. */
	close_range(3, lo - 1, 0);
	close_range(lo + 1, hi - 1, 0);
	close_range(hi + 1, ~0U, 0);
	if (chdir("/"))
		_exit(1);
	umask(077);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_NAME, "xdplb-revert");
	openlog("xdplb-revert", LOG_PID, LOG_DAEMON);
	snprintf(ready, sizeof(ready), "ready %d\n", getpid());
	xdplb_send_line(chan, ready);
	xdplb_revert_wait(rv, chan, lfd);
}

static int xdplb_revert_listen(const char *ifname)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, err = xdplb_revert_addr(ifname, &sa, &len);

	if (err) {
		pr_err("--confirm: %s/%s: pin path too long for the confirmation socket",
		       xdplb_pin_root(), ifname);
		return err;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, len) || listen(fd, 4)) {
		err = -errno;
		pr_err("--confirm: %s: %s", ifname, err == -EADDRINUSE ?
		       "another change on it is waiting for confirmation" : strerror(-err));
		close(fd);
		return err;
	}
	return fd;
}

int xdplb_revert_arm(struct xdplb_revert *rv)
{
	int sv[2], lfd, status, err = 0;
	char buf[32];
	pid_t pid;

	rv->chan = -1;
	rv->applier = getpid();
	rv->armed_ns = xdplb_clock_ns(CLOCK_REALTIME);
	lfd = xdplb_revert_listen(rv->ifname);
	if (lfd < 0)
		return lfd;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		err = -errno;
		close(lfd);
		return err;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		if (setsid() < 0)
			_exit(1);
		pid = fork();
		if (pid)
			_exit(pid < 0);
		xdplb_revert_daemon(rv, sv[1], lfd);
	}
	close(sv[1]);
	close(lfd);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		err = -ECHILD;
	xdplb_io_timeout(sv[0]);
	if (!err && (xdplb_read_line(sv[0], buf, sizeof(buf)) ||
		     sscanf(buf, "ready %d", &rv->pid) != 1))
		err = -ECHILD;
	if (err) {
		pr_err("--confirm: the revert process did not start: nothing was changed");
		close(sv[0]);
		return err;
	}
	rv->chan = sv[0];
	return 0;
}

void xdplb_revert_report(struct xdplb_revert *rv, int err)
{
	if (rv->chan < 0)
		return;
	/* Lost if the revert process is gone (confirmed early): nothing to do then. */
	send(rv->chan, err ? "failed\n" : "applied\n", err ? 7 : 8, MSG_NOSIGNAL);
	close(rv->chan);
	rv->chan = -1;
}

void xdplb_revert_announce(const struct xdplb_revert *rv)
{
	pr_info("%s: changed; reverts in %u s unless confirmed: xdplb --confirm-ok --iface %s "
		"(revert process %d)", rv->ifname, rv->secs, rv->ifname, rv->pid);
}

static int xdplb_revert_ask(const char *ifname, const char *cmd, char *reply, size_t len)
{
	struct sockaddr_un sa;
	socklen_t salen;
	int fd, err = xdplb_revert_addr(ifname, &sa, &salen);

	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	xdplb_io_timeout(fd);
	if (connect(fd, (struct sockaddr *)&sa, salen))
		err = -errno;
	else if (!xdplb_peer_trusted(fd))
		err = -EACCES;
	else if (send(fd, cmd, strlen(cmd), MSG_NOSIGNAL) < 0)
		err = -errno;
	else
		err = xdplb_read_line(fd, reply, len);
	close(fd);
	return err;
}

int xdplb_revert_confirm(const char *ifname)
{
	char reply[64];
	int err = xdplb_revert_ask(ifname, "confirm\n", reply, sizeof(reply));

	if (!err && !strcmp(reply, "confirmed")) {
		printf("%s: confirmed: the change stays\n", ifname);
		return 0;
	}
	if (err == -ECONNREFUSED || err == -ENOENT)
		pr_err("--confirm-ok: %s: no change is waiting for confirmation here "
		       "(confirmed or reverted already, or made without --confirm)", ifname);
	else if (err == -EPIPE || err == -ECONNRESET || !err)
		pr_err("--confirm-ok: %s: too late: the revert had begun", ifname);
	else
		pr_err("--confirm-ok: %s: %s", ifname, strerror(-err));
	return err ? err : -EPROTO;
}

void xdplb_revert_dismiss(const char *ifname)
{
	char reply[64];

	xdplb_revert_ask(ifname, "confirm\n", reply, sizeof(reply));
}

long long xdplb_revert_pending(const char *ifname, pid_t *pid)
{
	unsigned long long ms;
	char reply[64];
	int p;

	if (xdplb_revert_ask(ifname, "query\n", reply, sizeof(reply)) ||
	    sscanf(reply, "pending %llu %d", &ms, &p) != 2)
		return -1;
	if (pid)
		*pid = p;
	return (long long)ms;
}
