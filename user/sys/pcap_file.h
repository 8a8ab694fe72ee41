/* SPDX-License-Identifier: GPL-2.0 */
/* pcap_file.h: a pcap or pcapng capture of Ethernet frames, read one frame at a time
 * (libpcap), so a file of any size takes constant memory. */
#ifndef XDPLB_PCAP_FILE_H
#define XDPLB_PCAP_FILE_H

#include <linux/types.h>

struct xdplb_pcap {
	void *p;		/* pcap_t */
	const char *path;
	__u32 snaplen;
};

struct xdplb_pcap_frame {
	const __u8 *data;
	__u32 caplen;		/* bytes in the file */
	__u32 len;		/* bytes on the wire: more than caplen when cut by the snaplen */
};

/* Opens path; flag names the option in errors. Not a capture, an empty or cut header, or a
 * link type other than Ethernet: -XDPLB_EUSAGE after one line. */
int xdplb_pcap_open(const char *flag, const char *path, struct xdplb_pcap *f);
/* 1 with the next frame (valid until the next call), 0 at the end, or -EIO after saying
 * why (a file cut inside a frame). */
int xdplb_pcap_next(struct xdplb_pcap *f, struct xdplb_pcap_frame *fr);
void xdplb_pcap_close(struct xdplb_pcap *f);

#endif
