/* SPDX-License-Identifier: GPL-2.0 */
/* xdplb_names.h: map and pin names. The kernel keeps 15 characters of a map name, and the
 * pinned file carries the same name, so every name here stays within that. */
#ifndef XDPLB_NAMES_H
#define XDPLB_NAMES_H

#define XDPLB_PIN_ROOT_DEFAULT	"/sys/fs/bpf/xdplb"

/* Files under <pin root>/<ifname>/ */
#define XDPLB_PIN_PROG		"prog_rx"
#define XDPLB_PIN_REMOTE_PASS	"prog_cpu_pass"
#define XDPLB_PIN_REMOTE_DROP	"prog_cpu_drop"
#define XDPLB_PIN_REMOTE_REDIRECT "prog_cpu_redir"
/* The change in progress (user/core/journal.h), kept until it is complete. */
#define XDPLB_PIN_JOURNAL	"journal"

/* Maps: the variable names in kern/ are these, so libbpf names the maps the same. */
#define XDPLB_MAP_CONFIG	"xdplb_config"
#define XDPLB_MAP_TABLE		"xdplb_table"
#define XDPLB_MAP_CPUS		"xdplb_cpus"
#define XDPLB_MAP_PORTS		"xdplb_ports"
#define XDPLB_MAP_RX_STATS	"xdplb_rx_stats"
#define XDPLB_MAP_TGT_STATS	"xdplb_tgt_stats"
#define XDPLB_MAP_REMOTE_STATS	"xdplb_rmt_stats"
#define XDPLB_MAP_META		"xdplb_meta"
#define XDPLB_MAP_TARGETS	"xdplb_targets"
#define XDPLB_MAP_EV_TGT	"xdplb_ev_tgt"
#define XDPLB_MAP_EV		"xdplb_ev"
#define XDPLB_MAP_PORT_IX	"xdplb_port_ix"
#define XDPLB_MAP_SLOTS		"xdplb_slots"
#define XDPLB_MAP_BAL		"xdplb_bal"
#define XDPLB_MAP_QDELAY	"xdplb_qdelay"

#endif
