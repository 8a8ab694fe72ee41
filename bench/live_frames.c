// SPDX-License-Identifier: GPL-2.0
/* live_frames.c: benchmark traffic source. Crafts Ethernet/IPv4|IPv6/UDP|TCP frames over
 * many flows and replays them with BPF_PROG_RUN in live-frame mode (BPF_F_TEST_XDP_LIVE_FRAMES)
 * through an XDP program returning XDP_TX, so they leave --ifname at kernel speed, as the
 * selftests' xdp_do_redirect and xdp-trafficgen do.
 *
 * One BPF_PROG_RUN call replays one data buffer, so the program stamps flow i's port,
 * address and checksums on packet i and consecutive packets walk all flows. A call per
 * flow template would cost more than it sends: every XDP BPF_PROG_RUN with repeat > 1
 * adds the program to the XDP dispatcher and removes it again, each a text patch and a
 * synchronize_rcu() (24 ms a call on a 2-vCPU VM; bench/README.md has more).
 * So calls are long (LF_CALL_NS) and the last one is sized to end on --duration.
 * Signals are blocked while the calls run and polled between them: a signal would abort a
 * call at an unknown repetition, and sent_packets must be exactly the repeats that ran.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench/live_frames.h"
#include "bench/live_frames.skel.h"

#define LF_NAME			"live_frames"
#define LF_SIZE_MIN		64
#define LF_SIZE_MAX		1500	/* frame without FCS; a 1500-MTU veth takes 1514 */
#define LF_DURATION_MAX_S	600
#define LF_BATCH_MAX		256	/* TEST_XDP_MAX_BATCH in net/bpf/test_run.c */
#define LF_REPEAT_MAX		(1u << 30)	/* libbpf's repeat is an int */
#define LF_COUNT_MAX		1000000000000ull
#define LF_NSEC_PER_SEC		1000000000ull
/* Calls this long keep the per-call dispatcher update near 2% of the time; a signal
 * waits for the call to end.
 */
#define LF_CALL_NS		LF_NSEC_PER_SEC
#define LF_FIRST_REPEAT		4096	/* measures the cost per packet */

enum lf_vary { LF_VARY_SPORT, LF_VARY_SADDR, LF_VARY_BOTH, LF_VARY_PORTS };
static const char *const lf_vary_name[] = { "sport", "saddr", "both", "ports" };

struct lf_ctx {
	const char *ifname;
	const char *src_str;
	const char *dst_str;
	const char *size_str;
	__u8 src_mac[ETH_ALEN];
	__u8 dst_mac[ETH_ALEN];
	bool have_src_mac;
	bool have_dst_mac;
	bool ipv6;
	bool tcp;
	bool json;
	bool verbose;
	__u32 flows;
	__u32 size;
	__u32 duration_s;
	__u32 batch;
	__u32 sport;
	__u32 dport;
	__u64 count;		/* 0: no cap */
	enum lf_vary vary;

	int ifindex;
	__u8 src_addr[16];	/* IPv4 in the first 4 bytes */
	__u8 dst_addr[16];
	__u8 *frame;		/* flow 0's; the program stamps the others */
	struct live_frames *skel;

	__u64 sent_packets;
	__u64 elapsed_ns;
	double pkt_ns;		/* wall time per packet, last call */
	__u64 call_ns;		/* fixed cost of a call, the least seen */
	bool have_xmit;
	__u64 xmit_packets;
	__u64 xmit_errors;
};

/* Signals that end the run early: blocked all along, polled between calls. */
static sigset_t lf_stop_signals;

enum {
	OPT_IFNAME = 256, OPT_DST_MAC, OPT_SRC_MAC, OPT_IPV6, OPT_TCP, OPT_SRC, OPT_DST,
	OPT_SPORT, OPT_DPORT, OPT_FLOWS, OPT_VARY, OPT_SIZE, OPT_DURATION, OPT_BATCH,
	OPT_COUNT, OPT_JSON, OPT_VERBOSE, OPT_HELP,
};

struct lf_opt {
	const char *name;
	int has_arg;
	int id;
	const char *arg;
	const char *help;
};

static const struct lf_opt lf_opts[] = {
	{ "ifname", 1, OPT_IFNAME, "IF", "interface the frames leave by, in this netns (required)" },
	{ "dst-mac", 1, OPT_DST_MAC, "MAC", "destination MAC: the peer's (required)" },
	{ "src-mac", 1, OPT_SRC_MAC, "MAC", "source MAC (default: --ifname's own)" },
	{ "ipv6", 0, OPT_IPV6, NULL, "IPv6 frames (default IPv4)" },
	{ "tcp", 0, OPT_TCP, NULL, "TCP ACK segments (default UDP)" },
	{ "src", 1, OPT_SRC, "ADDR", "first source address (198.18.0.1 or fd00::1)" },
	{ "dst", 1, OPT_DST, "ADDR", "destination address (198.18.0.2 or fd00::2)" },
	{ "sport", 1, OPT_SPORT, "PORT", "first source port, 0..65535 (1024)" },
	{ "dport", 1, OPT_DPORT, "PORT", "destination port, 0..65535 (9)" },
	{ "flows", 1, OPT_FLOWS, "N", "flows, 1..65536 (1024)" },
	{ "vary", 1, OPT_VARY, "WHAT", "flow i adds i to: sport, saddr, both (sport and saddr) or ports (sport and dport) (sport)" },
	{ "size", 1, OPT_SIZE, "BYTES", "frame size without FCS, 64..1500 (64, or the headers)" },
	{ "duration", 1, OPT_DURATION, "SECONDS", "run time, 1..600 (5)" },
	{ "batch", 1, OPT_BATCH, "N", "live-frame batch size, 1..256 (64)" },
	{ "count", 1, OPT_COUNT, "N", "stop after N packets, 1..10^12 (or at --duration)" },
	{ "json", 0, OPT_JSON, NULL, "print the result as one JSON object" },
	{ "verbose", 0, OPT_VERBOSE, NULL, "show libbpf messages (also -v)" },
	{ "help", 0, OPT_HELP, NULL, "this text (also -h)" },
};
#define LF_NR_OPTS (sizeof(lf_opts) / sizeof(lf_opts[0]))

static void lf_usage(FILE *out)
{
	char left[40];
	size_t i;

	fprintf(out, "Usage: %s --ifname IF --dst-mac MAC [options]\n"
		"Sends crafted frames out of IF with BPF_PROG_RUN live frames (XDP_TX).\n\n",
		LF_NAME);
	for (i = 0; i < LF_NR_OPTS; i++) {
		snprintf(left, sizeof(left), "--%s%s%s", lf_opts[i].name,
			 lf_opts[i].arg ? " " : "", lf_opts[i].arg ? lf_opts[i].arg : "");
		fprintf(out, "  %-20s %s\n", left, lf_opts[i].help);
	}
	fprintf(out, "\nPrints: sent_packets=N duration_s=X.XXX rate_pps=N flows=N size=N\n"
		"Exit: 0 done, 1 runtime error, 2 bad usage.\n\n"
		"EXAMPLES\n"
		"  ip netns exec lfgen-src %s --ifname lfg0 --dst-mac 02:00:00:00:00:02 \\\n"
		"      --duration 3 --flows 1024\n"
		"  %s --ifname lfg0 --dst-mac 02:00:00:00:00:02 --ipv6 --tcp --size 128 --json\n",
		LF_NAME, LF_NAME);
}

static int lf_usage_err(const char *flag, const char *value, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: %s: ", LF_NAME, flag, value);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

static int lf_parse_u64(const char *flag, const char *s, __u64 lo, __u64 hi, __u64 *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v < lo || v > hi)
		return lf_usage_err(flag, s, "an integer %llu..%llu",
				    (unsigned long long)lo, (unsigned long long)hi);
	*out = v;
	return 0;
}

static int lf_parse_u32(const char *flag, const char *s, __u32 lo, __u32 hi, __u32 *out)
{
	__u64 v;
	int err;

	err = lf_parse_u64(flag, s, lo, hi, &v);
	if (!err)
		*out = v;
	return err;
}

static int lf_parse_mac(const char *flag, const char *s, __u8 *mac)
{
	int i;

	for (i = 0; i < ETH_ALEN; i++) {
		const char *p = s + 3 * i;

		if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) ||
		    p[2] != (i == ETH_ALEN - 1 ? '\0' : ':'))
			return lf_usage_err(flag, s, "a MAC address like 02:00:00:00:00:02");
		mac[i] = strtoul((char[3]){ p[0], p[1], 0 }, NULL, 16);
	}
	return 0;
}

static int lf_parse_vary(const char *s, enum lf_vary *out)
{
	int i;

	for (i = 0; i <= LF_VARY_PORTS; i++) {
		if (!strcmp(s, lf_vary_name[i])) {
			*out = i;
			return 0;
		}
	}
	return lf_usage_err("--vary", s, "sport, saddr, both or ports");
}

static int lf_parse_addr(struct lf_ctx *ctx, const char *flag, const char *s, __u8 *addr)
{
	if (inet_pton(ctx->ipv6 ? AF_INET6 : AF_INET, s, addr) == 1)
		return 0;
	return ctx->ipv6 ? lf_usage_err(flag, s, "an IPv6 address (--ipv6 is set)")
			 : lf_usage_err(flag, s, "an IPv4 address (add --ipv6 for IPv6)");
}

static __u32 lf_hdr_len(const struct lf_ctx *ctx)
{
	return LF_ETH_LEN + (ctx->ipv6 ? LF_IP6_LEN : LF_IP4_LEN) +
	       (ctx->tcp ? LF_TCP_LEN : LF_UDP_LEN);
}

/* Options that need others (addresses need --ipv6, sizes the headers) are checked here,
 * after the whole command line was read, so their order does not matter.
 */
static int lf_check_opts(struct lf_ctx *ctx)
{
	__u32 min = lf_hdr_len(ctx);
	int err;

	if (!ctx->ifname) {
		fprintf(stderr, "%s: --ifname: missing: the interface to send from\n", LF_NAME);
		return -EINVAL;
	}
	if (!ctx->have_dst_mac) {
		fprintf(stderr, "%s: --dst-mac: missing: the peer's MAC address\n", LF_NAME);
		return -EINVAL;
	}
	err = lf_parse_addr(ctx, "--src", ctx->src_str ? ctx->src_str :
			    ctx->ipv6 ? "fd00::1" : "198.18.0.1", ctx->src_addr);
	if (!err)
		err = lf_parse_addr(ctx, "--dst", ctx->dst_str ? ctx->dst_str :
				    ctx->ipv6 ? "fd00::2" : "198.18.0.2", ctx->dst_addr);
	if (err)
		return err;
	if (!ctx->size_str)
		ctx->size = min > LF_SIZE_MIN ? min : LF_SIZE_MIN;
	else if (ctx->size < min)
		return lf_usage_err("--size", ctx->size_str, "an integer %u..%u for %s %s headers",
				    min, LF_SIZE_MAX, ctx->ipv6 ? "IPv6" : "IPv4",
				    ctx->tcp ? "TCP" : "UDP");
	ctx->ifindex = if_nametoindex(ctx->ifname);
	if (!ctx->ifindex)
		return lf_usage_err("--ifname", ctx->ifname,
				    "an interface in this network namespace");
	return 0;
}

static int lf_parse_args(struct lf_ctx *ctx, int argc, char **argv)
{
	struct option longopts[LF_NR_OPTS + 1] = {};
	const char *flag;
	int id, i, err = 0;

	for (i = 0; i < (int)LF_NR_OPTS; i++)
		longopts[i] = (struct option){ lf_opts[i].name,
			lf_opts[i].has_arg ? required_argument : no_argument, NULL, lf_opts[i].id };

	opterr = 0;
	while ((id = getopt_long(argc, argv, ":hv", longopts, NULL)) != -1) {
		flag = argv[optind - 1];
		switch (id) {
		case OPT_IFNAME:
			ctx->ifname = optarg;
			break;
		case OPT_DST_MAC:
			err = lf_parse_mac("--dst-mac", optarg, ctx->dst_mac);
			ctx->have_dst_mac = true;
			break;
		case OPT_SRC_MAC:
			err = lf_parse_mac("--src-mac", optarg, ctx->src_mac);
			ctx->have_src_mac = true;
			break;
		case OPT_IPV6:
			ctx->ipv6 = true;
			break;
		case OPT_TCP:
			ctx->tcp = true;
			break;
		case OPT_SRC:
			ctx->src_str = optarg;
			break;
		case OPT_DST:
			ctx->dst_str = optarg;
			break;
		case OPT_SPORT:
			err = lf_parse_u32("--sport", optarg, 0, 65535, &ctx->sport);
			break;
		case OPT_DPORT:
			err = lf_parse_u32("--dport", optarg, 0, 65535, &ctx->dport);
			break;
		case OPT_FLOWS:
			err = lf_parse_u32("--flows", optarg, 1, LF_FLOWS_MAX, &ctx->flows);
			break;
		case OPT_VARY:
			err = lf_parse_vary(optarg, &ctx->vary);
			break;
		case OPT_SIZE:
			err = lf_parse_u32("--size", optarg, LF_SIZE_MIN, LF_SIZE_MAX, &ctx->size);
			ctx->size_str = optarg;
			break;
		case OPT_DURATION:
			err = lf_parse_u32("--duration", optarg, 1, LF_DURATION_MAX_S,
					   &ctx->duration_s);
			break;
		case OPT_BATCH:
			err = lf_parse_u32("--batch", optarg, 1, LF_BATCH_MAX, &ctx->batch);
			break;
		case OPT_COUNT:
			err = lf_parse_u64("--count", optarg, 1, LF_COUNT_MAX, &ctx->count);
			break;
		case OPT_JSON:
			ctx->json = true;
			break;
		case 'v':
		case OPT_VERBOSE:
			ctx->verbose = true;
			break;
		case 'h':
		case OPT_HELP:
			lf_usage(stdout);
			return 1;
		case ':':
			fprintf(stderr, "%s: %s: needs a value (see --help)\n", LF_NAME, flag);
			return -EINVAL;
		default:
			if (optopt)
				fprintf(stderr, "%s: -%c: unknown option (see --help)\n", LF_NAME,
					optopt);
			else
				fprintf(stderr, "%s: %s: unknown option (see --help)\n", LF_NAME,
					flag);
			return -EINVAL;
		}
		if (err)
			return err;
	}
	if (optind < argc) {
		fprintf(stderr, "%s: %s: unexpected argument (see --help)\n", LF_NAME,
			argv[optind]);
		return -EINVAL;
	}
	return lf_check_opts(ctx);
}

static int lf_ifreq(int fd, unsigned long req, const char *ifname, struct ifreq *ifr,
		    void *data)
{
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
	ifr->ifr_data = data;
	return ioctl(fd, req, ifr) ? -errno : 0;
}

/* The interface must be up (veth refuses XDP frames with -ENETDOWN, silently for us), and
 * its MAC is the default source.
 */
static int lf_query_ifname(struct lf_ctx *ctx)
{
	struct ifreq ifr;
	int fd, err;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = lf_ifreq(fd, SIOCGIFFLAGS, ctx->ifname, &ifr, NULL);
	if (!err && !(ifr.ifr_flags & IFF_UP)) {
		fprintf(stderr, "%s: %s: interface is down (hint: ip link set %s up)\n",
			LF_NAME, ctx->ifname, ctx->ifname);
		err = -ENETDOWN;
		goto out;
	}
	if (!err && !ctx->have_src_mac) {
		err = lf_ifreq(fd, SIOCGIFHWADDR, ctx->ifname, &ifr, NULL);
		if (!err && ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
			err = -EPFNOSUPPORT;
		if (!err)
			memcpy(ctx->src_mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	}
	if (err)
		fprintf(stderr, "%s: %s: cannot read flags and MAC: %s (hint: pass --src-mac)\n",
			LF_NAME, ctx->ifname, strerror(-err));
out:
	close(fd);
	return err;
}

/* Sums of 16-bit big-endian words, RFC 1071. */
static __u32 lf_csum_add(__u32 sum, const __u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (__u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (__u32)p[len - 1] << 8;
	return sum;
}

static __u16 lf_csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static void lf_put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void lf_put32(__u8 *p, __u32 v)
{
	lf_put16(p, v >> 16);
	lf_put16(p + 2, v & 0xffff);
}

/* Writes flow i's frame: only the source port, the last 4 bytes of the source address
 * and the checksums differ between flows, which is what the BPF program stamps.
 */
static void lf_build_frame(const struct lf_ctx *ctx, __u32 i, __u8 *f)
{
	__u32 l3_len = ctx->ipv6 ? LF_IP6_LEN : LF_IP4_LEN;
	__u32 l4_len = ctx->size - LF_ETH_LEN - l3_len;
	__u8 proto = ctx->tcp ? IPPROTO_TCP : IPPROTO_UDP;
	__u32 alen = ctx->ipv6 ? 16 : 4;
	__u8 *ip = f + LF_ETH_LEN, *l4 = ip + l3_len, *saddr, *daddr;
	__u32 sport = ctx->sport, dport = ctx->dport, sum, lo;
	__u16 csum;

	memset(f, 0, ctx->size);
	memcpy(f, ctx->dst_mac, ETH_ALEN);
	memcpy(f + ETH_ALEN, ctx->src_mac, ETH_ALEN);
	lf_put16(f + 2 * ETH_ALEN, ctx->ipv6 ? ETH_P_IPV6 : ETH_P_IP);

	if (ctx->ipv6) {
		ip[0] = 0x60;
		lf_put16(ip + 4, l4_len);
		ip[6] = proto;
		ip[7] = 64;
		saddr = ip + 8;
	} else {
		ip[0] = 0x45;
		lf_put16(ip + 2, ctx->size - LF_ETH_LEN);
		lf_put16(ip + 6, 0x4000);	/* DF */
		ip[8] = 64;
		ip[9] = proto;
		saddr = ip + 12;
	}
	daddr = saddr + alen;
	memcpy(saddr, ctx->src_addr, alen);
	memcpy(daddr, ctx->dst_addr, alen);
	if (ctx->vary == LF_VARY_SADDR || ctx->vary == LF_VARY_BOTH) {
		lo = (__u32)saddr[alen - 4] << 24 | saddr[alen - 3] << 16 |
		     saddr[alen - 2] << 8 | saddr[alen - 1];
		lf_put32(saddr + alen - 4, lo + i);
	}
	if (ctx->vary != LF_VARY_SADDR)
		sport = (sport + i) & 0xffff;
	if (ctx->vary == LF_VARY_PORTS)
		dport = (dport + i) & 0xffff;
	if (!ctx->ipv6)
		lf_put16(ip + 10, lf_csum_fold(lf_csum_add(0, ip, LF_IP4_LEN)));

	lf_put16(l4, sport);
	lf_put16(l4 + 2, dport);
	if (ctx->tcp) {
		lf_put32(l4 + 4, 1);		/* seq */
		lf_put32(l4 + 8, 1);		/* ack */
		l4[12] = (LF_TCP_LEN / 4) << 4;
		l4[13] = 0x10;			/* ACK: no handshake state on the receiver */
		lf_put16(l4 + 14, 65535);
	} else {
		lf_put16(l4 + 4, l4_len);
	}

	sum = lf_csum_add(0, saddr, 2 * alen);
	sum += proto + l4_len;
	csum = lf_csum_fold(lf_csum_add(sum, l4, l4_len));
	if (!ctx->tcp && !csum)
		csum = 0xffff;		/* 0 would mean "no checksum" for UDP */
	lf_put16(l4 + (ctx->tcp ? LF_TCP_CSUM : LF_UDP_CSUM), csum);
}

/* Fills the program's flow table from frames built the same way as the template, so the
 * stamped frames are exactly lf_build_frame()'s.
 */
static int lf_fill_flows(struct lf_ctx *ctx)
{
	__u32 l3_len = ctx->ipv6 ? LF_IP6_LEN : LF_IP4_LEN;
	__u32 saddr_end = LF_ETH_LEN + (ctx->ipv6 ? 24 : 16);
	__u8 *l4, *f = malloc(ctx->size);
	int fd = bpf_map__fd(ctx->skel->maps.lf_flows), err = 0;
	struct lf_flow v = {};
	__u32 i;

	if (!f)
		return -ENOMEM;
	l4 = f + LF_ETH_LEN + l3_len;
	for (i = 0; i < ctx->flows && !err; i++) {
		lf_build_frame(ctx, i, f);
		memcpy(&v.sport, l4, 2);
		memcpy(&v.dport, l4 + 2, 2);
		memcpy(&v.l4_csum, l4 + (ctx->tcp ? LF_TCP_CSUM : LF_UDP_CSUM), 2);
		memcpy(&v.ip4_csum, f + LF_ETH_LEN + 10, 2);
		memcpy(v.saddr_lo, f + saddr_end - 4, 4);
		if (bpf_map_update_elem(fd, &i, &v, BPF_ANY))
			err = -errno;
	}
	free(f);
	return err;
}

static int lf_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

static int lf_load(struct lf_ctx *ctx)
{
	int err;

	ctx->skel = live_frames__open();
	if (!ctx->skel)
		return -errno;
	ctx->skel->rodata->lf_nr_flows = ctx->flows;
	ctx->skel->rodata->lf_ipv6 = ctx->ipv6;
	ctx->skel->rodata->lf_tcp = ctx->tcp;
	err = bpf_map__set_max_entries(ctx->skel->maps.lf_flows, ctx->flows);
	if (!err)
		err = live_frames__load(ctx->skel);
	if (!err)
		err = lf_fill_flows(ctx);
	if (err)
		fprintf(stderr, "%s: loading the XDP program: %s (hint: run as root; -v shows "
			"libbpf's log)\n", LF_NAME, strerror(-err));
	return err;
}

/* Sums the driver's ethtool counters named *xdp_xmit and *xdp_xmit_errors (veth names its
 * per-queue XDP transmit counters so); false when the driver has none.
 */
static bool lf_read_xmit(const struct lf_ctx *ctx, __u64 *xmit, __u64 *errors)
{
	struct {
		struct ethtool_sset_info hdr;
		__u32 len;
	} sset = { .hdr = { .cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ull << ETH_SS_STATS } };
	struct ethtool_gstrings *names = NULL;
	struct ethtool_stats *stats = NULL;
	bool found = false;
	struct ifreq ifr;
	__u32 n, i;
	int fd;

	*xmit = *errors = 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	if (lf_ifreq(fd, SIOCETHTOOL, ctx->ifname, &ifr, &sset) || !sset.hdr.sset_mask)
		goto out;
	n = sset.len;
	names = calloc(1, sizeof(*names) + (size_t)n * ETH_GSTRING_LEN);
	stats = calloc(1, sizeof(*stats) + (size_t)n * sizeof(__u64));
	if (!names || !stats)
		goto out;
	*names = (struct ethtool_gstrings){ .cmd = ETHTOOL_GSTRINGS, .string_set = ETH_SS_STATS,
					    .len = n };
	*stats = (struct ethtool_stats){ .cmd = ETHTOOL_GSTATS, .n_stats = n };
	if (lf_ifreq(fd, SIOCETHTOOL, ctx->ifname, &ifr, names) ||
	    lf_ifreq(fd, SIOCETHTOOL, ctx->ifname, &ifr, stats))
		goto out;
	for (i = 0; i < n && i < names->len && i < stats->n_stats; i++) {
		const char *name = (const char *)names->data + (size_t)i * ETH_GSTRING_LEN;
		size_t len = strnlen(name, ETH_GSTRING_LEN);

		if (len >= 8 && !strncmp(name + len - 8, "xdp_xmit", 8)) {
			*xmit += stats->data[i];
			found = true;
		} else if (len >= 15 && !strncmp(name + len - 15, "xdp_xmit_errors", 15)) {
			*errors += stats->data[i];
		}
	}
out:
	free(names);
	free(stats);
	close(fd);
	return found;
}

static __u64 lf_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * LF_NSEC_PER_SEC + ts.tv_nsec;
}

static bool lf_stop_requested(void)
{
	sigset_t pending;
	int i;

	if (sigpending(&pending))
		return false;
	for (i = 1; i < NSIG; i++)
		if (sigismember(&lf_stop_signals, i) == 1 && sigismember(&pending, i) == 1)
			return true;
	return false;
}

static const char *lf_run_hint(int err)
{
	switch (err) {
	case -EINVAL:
		return "kernel without BPF_F_TEST_XDP_LIVE_FRAMES (5.18+), or a bad frame size";
	case -E2BIG:
		return "--batch above the kernel's limit";
	case -ENODEV:
		return "the interface disappeared";
	case -EPERM:
		return "run as root (CAP_BPF and CAP_NET_ADMIN)";
	default:
		return "see -v";
	}
}

/* Sizes the next call: LF_CALL_NS of packets at the last call's pace, or what still fits
 * before the deadline after the fixed cost; 0 when nothing fits.
 */
static __u64 lf_next_repeat(const struct lf_ctx *ctx, __u64 now, __u64 deadline)
{
	__u64 left_ns = deadline - now, want;

	if (!ctx->sent_packets)
		want = LF_FIRST_REPEAT;
	else if (left_ns <= ctx->call_ns + ctx->pkt_ns)
		return 0;
	else if (left_ns < LF_CALL_NS + ctx->call_ns)
		want = (left_ns - ctx->call_ns) / ctx->pkt_ns;
	else
		want = LF_CALL_NS / ctx->pkt_ns;
	if (want > LF_REPEAT_MAX)
		want = LF_REPEAT_MAX;
	if (ctx->count && want > ctx->count - ctx->sent_packets)
		want = ctx->count - ctx->sent_packets;
	return want ? want : 1;
}

/* The kernel's time per packet (opts.duration) leaves out the call's fixed cost and any
 * time the task was preempted, so wall minus kernel time is the fixed cost plus preemption
 * and its minimum is the fixed cost. Preemption stays in the pace, as it will recur.
 */
static void lf_learn_pace(struct lf_ctx *ctx, __u64 repeat, __u32 kernel_pkt_ns,
			  __u64 wall_ns)
{
	__u64 kernel_ns = repeat * kernel_pkt_ns;
	__u64 fixed_ns = wall_ns > kernel_ns ? wall_ns - kernel_ns : 0;

	if (ctx->sent_packets == repeat || fixed_ns < ctx->call_ns)
		ctx->call_ns = fixed_ns;
	ctx->pkt_ns = wall_ns > ctx->call_ns ? (double)(wall_ns - ctx->call_ns) / repeat : 1;
}

static int lf_run(struct lf_ctx *ctx)
{
	struct xdp_md md = { .data_end = ctx->size, .ingress_ifindex = ctx->ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_size_in = ctx->size,
		.ctx_in = &md,
		.ctx_size_in = sizeof(md),
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		.batch_size = ctx->batch,
	);
	int fd = bpf_program__fd(ctx->skel->progs.lf_tx), err = 0;
	__u64 t0, start, now, deadline, xmit0 = 0, errors0 = 0;

	ctx->have_xmit = lf_read_xmit(ctx, &xmit0, &errors0);
	t0 = now = lf_now_ns();
	deadline = t0 + ctx->duration_s * LF_NSEC_PER_SEC;
	opts.data_in = ctx->frame;
	while (now < deadline && (!ctx->count || ctx->sent_packets < ctx->count)) {
		opts.repeat = lf_next_repeat(ctx, now, deadline);
		if (!opts.repeat)
			break;
		start = now;
		if (bpf_prog_test_run_opts(fd, &opts)) {
			err = -errno;
			fprintf(stderr, "%s: BPF_PROG_RUN on %s: %s (hint: %s)\n", LF_NAME,
				ctx->ifname, strerror(-err), lf_run_hint(err));
			break;
		}
		ctx->sent_packets += opts.repeat;
		now = lf_now_ns();
		lf_learn_pace(ctx, opts.repeat, opts.duration, now - start);
		if (lf_stop_requested())
			break;
	}
	ctx->elapsed_ns = now - t0;
	if (ctx->have_xmit) {
		ctx->have_xmit = lf_read_xmit(ctx, &ctx->xmit_packets, &ctx->xmit_errors);
		ctx->xmit_packets -= xmit0;
		ctx->xmit_errors -= errors0;
	}
	return err;
}

static void lf_report(const struct lf_ctx *ctx)
{
	double secs = (double)ctx->elapsed_ns / LF_NSEC_PER_SEC;
	__u64 pps = secs > 0 ? (__u64)(ctx->sent_packets / secs + 0.5) : 0;
	const char *proto = ctx->tcp ? "tcp" : "udp";

	if (ctx->json) {
		printf("{\"sent_packets\":%llu,\"duration_s\":%.3f,\"rate_pps\":%llu,"
		       "\"flows\":%u,\"size\":%u,\"ipv6\":%s,\"proto\":\"%s\","
		       "\"vary\":\"%s\",\"batch\":%u,\"ifname\":\"%s\"",
		       (unsigned long long)ctx->sent_packets, secs, (unsigned long long)pps,
		       ctx->flows, ctx->size, ctx->ipv6 ? "true" : "false", proto,
		       lf_vary_name[ctx->vary], ctx->batch, ctx->ifname);
		if (ctx->have_xmit)
			printf(",\"xmit_packets\":%llu,\"xmit_errors\":%llu",
			       (unsigned long long)ctx->xmit_packets,
			       (unsigned long long)ctx->xmit_errors);
		printf("}\n");
	} else {
		printf("sent_packets=%llu duration_s=%.3f rate_pps=%llu flows=%u size=%u\n",
		       (unsigned long long)ctx->sent_packets, secs, (unsigned long long)pps,
		       ctx->flows, ctx->size);
	}
	fprintf(stderr, "%s: %llu %s/%s frames of %u B over %u flows in %.3f s: %.2f Mpps "
		"(batch %u)", LF_NAME, (unsigned long long)ctx->sent_packets,
		ctx->ipv6 ? "IPv6" : "IPv4", ctx->tcp ? "TCP" : "UDP", ctx->size, ctx->flows,
		secs, pps / 1e6, ctx->batch);
	if (ctx->have_xmit)
		fprintf(stderr, "; %s XDP xmit %llu, errors %llu", ctx->ifname,
			(unsigned long long)ctx->xmit_packets,
			(unsigned long long)ctx->xmit_errors);
	fputc('\n', stderr);
	/* veth counts a full ring as an xmit error, a peer without NAPI as neither */
	if (ctx->have_xmit && ctx->xmit_errors)
		fprintf(stderr, "%s: warning: %s dropped %llu frames on a full ring (hint: a "
			"smaller --batch; veth's ring holds 256)\n", LF_NAME, ctx->ifname,
			(unsigned long long)ctx->xmit_errors);
	if (ctx->have_xmit && ctx->xmit_packets + ctx->xmit_errors < ctx->sent_packets)
		fprintf(stderr, "%s: warning: %s transmitted %llu of %llu frames (hint: the peer "
			"needs an XDP program or GRO: ethtool -K PEER gro on)\n", LF_NAME,
			ctx->ifname, (unsigned long long)ctx->xmit_packets,
			(unsigned long long)ctx->sent_packets);
}

int main(int argc, char **argv)
{
	struct lf_ctx ctx = {
		.flows = 1024, .duration_s = 5, .batch = 64,
		.sport = 1024, .dport = 9,
	};
	int err;

	err = lf_parse_args(&ctx, argc, argv);
	if (err)
		return err > 0 ? 0 : 2;
	if (!ctx.verbose)
		libbpf_set_print(NULL);
	else
		libbpf_set_print(lf_libbpf_print);

	sigemptyset(&lf_stop_signals);
	sigaddset(&lf_stop_signals, SIGINT);
	sigaddset(&lf_stop_signals, SIGTERM);
	sigaddset(&lf_stop_signals, SIGHUP);
	sigprocmask(SIG_BLOCK, &lf_stop_signals, NULL);

	err = lf_query_ifname(&ctx);
	if (!err) {
		ctx.frame = malloc(ctx.size);
		if (ctx.frame)
			lf_build_frame(&ctx, 0, ctx.frame);
		else
			err = -ENOMEM;
	}
	if (!err)
		err = lf_load(&ctx);
	if (!err) {
		err = lf_run(&ctx);
		if (!err || ctx.sent_packets)
			lf_report(&ctx);
	}
	live_frames__destroy(ctx.skel);
	free(ctx.frame);
	return err ? 1 : 0;
}
