// SPDX-License-Identifier: GPL-2.0
/* udp_seq.c: a UDP sender that numbers each flow's datagrams and a receiver that counts,
 * per flow, the datagrams that arrive after a later one of theirs (inversions): what a
 * reorder-safe move must keep at zero.
 *   udp_seq send DST_IP BASE_PORT DST_PORT FLOWS SECONDS PPS BURST [HEAVY_PPS [ROTATE_S]]
 *     FLOWS flows, source ports BASE_PORT..; each sends PPS datagrams a second in bursts
 *     of BURST (flow 0 at HEAVY_PPS when given), so flows pause between bursts; BURST 1
 *     is a steady stream that never pauses longer than the 100 us loop. With ROTATE_S the
 *     heavy flow is flow k for the k-th ROTATE_S seconds (mod FLOWS): the load moves.
 *   udp_seq recv PORT SECONDS
 *     prints "flows N received N inversions N" and one "flow SPORT received N inversions N"
 *     line per flow. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_FLOWS 64

struct seq_msg {
	uint32_t flow;
	uint32_t pad;
	uint64_t seq;
	char fill[48];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int do_send(char **a)
{
	int flows = atoi(a[3]), burst = atoi(a[6]), fd[MAX_FLOWS], i, b;
	double secs = atof(a[4]), pps = atof(a[5]), heavy = a[7] ? atof(a[7]) : pps;
	double rotate = a[7] && a[8] ? atof(a[8]) : 0, start = now_s(), end = start + secs;
	double next[MAX_FLOWS], t;
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(atoi(a[2])) };
	uint64_t seq[MAX_FLOWS] = { 0 };
	struct seq_msg m;

	if (flows < 1 || flows > MAX_FLOWS || burst < 1 || pps <= 0 || heavy <= 0 || rotate < 0 ||
	    inet_pton(AF_INET, a[0], &dst.sin_addr) != 1)
		return 2;
	memset(&m, 0, sizeof(m));
	for (i = 0; i < flows; i++) {
		struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(atoi(a[1]) + i) };

		fd[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd[i] < 0 || bind(fd[i], (void *)&src, sizeof(src)) ||
		    connect(fd[i], (void *)&dst, sizeof(dst)))
			return 1;
		next[i] = now_s();
	}
	while ((t = now_s()) < end) {
		int hot = rotate > 0 ? (int)((t - start) / rotate) % flows : 0;

		for (i = 0; i < flows; i++) {
			/* Catch up on what the sleep let pass: the rate holds at the ms scale. */
			while (t >= next[i]) {
				for (b = 0; b < burst; b++) {
					m.flow = i;
					m.seq = seq[i]++;
					send(fd[i], &m, sizeof(m), 0);
				}
				next[i] += burst / (i == hot ? heavy : pps);
			}
		}
		usleep(100);
	}
	return 0;
}

static int do_recv(char **a)
{
	uint64_t got[MAX_FLOWS] = { 0 }, inv[MAX_FLOWS] = { 0 }, max[MAX_FLOWS] = { 0 };
	uint64_t total = 0, total_inv = 0;
	uint16_t sport[MAX_FLOWS] = { 0 };
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(atoi(a[0])) };
	struct timeval tv = { 0, 200000 };
	double end = now_s() + atof(a[1]);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rcvbuf = 8 << 20, i, flows = 0;
	struct seq_msg m;

	if (fd < 0 || bind(fd, (void *)&addr, sizeof(addr)))
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (now_s() < end) {
		struct sockaddr_in src;
		socklen_t sl = sizeof(src);

		if (recvfrom(fd, &m, sizeof(m), 0, (void *)&src, &sl) != sizeof(m) ||
		    m.flow >= MAX_FLOWS)
			continue;
		if (m.flow >= (uint32_t)flows)
			flows = m.flow + 1;
		sport[m.flow] = ntohs(src.sin_port);
		if (got[m.flow]++ && m.seq < max[m.flow])
			inv[m.flow]++;
		else
			max[m.flow] = m.seq;
	}
	for (i = 0; i < flows; i++) {
		total += got[i];
		total_inv += inv[i];
	}
	printf("flows %d received %llu inversions %llu\n", flows, (unsigned long long)total,
	       (unsigned long long)total_inv);
	for (i = 0; i < flows; i++)
		printf("flow %u received %llu inversions %llu\n", sport[i],
		       (unsigned long long)got[i], (unsigned long long)inv[i]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 9 && argc <= 11 && !strcmp(argv[1], "send"))
		return do_send(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "recv"))
		return do_recv(argv + 2);
	fprintf(stderr, "usage: udp_seq send DST BASE_PORT DST_PORT FLOWS SECS PPS BURST [HEAVY_PPS [ROTATE_S]] | recv PORT SECS\n");
	return 2;
}
