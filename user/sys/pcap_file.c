// SPDX-License-Identifier: GPL-2.0
/* pcap_file.c: libpcap's offline reader, which takes pcap and pcapng alike. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "sys/log.h"
#include "sys/pcap_file.h"

int xdplb_pcap_open(const char *flag, const char *path, struct xdplb_pcap *f)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct stat st;
	pcap_t *p;
	int dlt;

	memset(f, 0, sizeof(*f));
	f->path = path;
	if (stat(path, &st))
		return usage_err(flag, path, "a readable pcap or pcapng file (%s)", strerror(errno));
	if (S_ISREG(st.st_mode) && st.st_size == 0)
		return usage_err(flag, path, "empty: a pcap or pcapng file (tcpdump -w, dumpcap)");
	p = pcap_open_offline(path, errbuf);
	if (!p)
		return usage_err(flag, path, "not a pcap or pcapng capture (%s)", errbuf);
	dlt = pcap_datalink(p);
	if (dlt != DLT_EN10MB) {
		pcap_close(p);
		return usage_err(flag, path, "link type %s (%d): only Ethernet (EN10MB) captures, "
				 "as an XDP program sees them", pcap_datalink_val_to_name(dlt) ?: "?", dlt);
	}
	f->p = p;
	f->snaplen = (__u32)pcap_snapshot(p);
	return 0;
}

int xdplb_pcap_next(struct xdplb_pcap *f, struct xdplb_pcap_frame *fr)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int ret = pcap_next_ex((pcap_t *)f->p, &h, &data);

	if (ret == PCAP_ERROR_BREAK)
		return 0;
	if (ret != 1) {
		pr_err("%s: %s", f->path, pcap_geterr((pcap_t *)f->p));
		return -EIO;
	}
	fr->data = data;
	fr->caplen = h->caplen;
	fr->len = h->len > h->caplen ? h->len : h->caplen;
	return 1;
}

void xdplb_pcap_close(struct xdplb_pcap *f)
{
	if (f->p)
		pcap_close((pcap_t *)f->p);
	f->p = NULL;
}
