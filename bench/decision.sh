#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# decision.sh: the cost of xdplb_rx's decision per packet on each parse path (IPv4 and IPv6,
# TCP and UDP, VLAN-tagged, and the rarer kinds), next to an XDP_PASS-only program and
# xdp-bench's redirect-cpu l4-dport program timed on the same frames in the same run.
# BPF_PROG_TEST_RUN, no traffic, no interface.
# Usage: bench/decision.sh [ROUNDS [REPEAT]]   (as root; defaults 9 rounds of 2000000 runs)
#   XDP_BENCH_OBJ: xdp-bench's xdp_redirect_cpumap.bpf.o; else the one beside XDP_BENCH (or
#   the xdp-bench on PATH); without it the xdp-bench column says "-".
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "decision.sh: needs root (BPF_PROG_TEST_RUN loads programs)" >&2; exit 1; }
make -C "$ROOT" -s build/bench/decision_cost || exit 1
echo "# kernel $(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
if [ -z "${XDP_BENCH_OBJ:-}" ]; then
	XB=${XDP_BENCH:-$(command -v xdp-bench || true)}
	[ -n "$XB" ] && [ -f "$(dirname "$XB")/xdp_redirect_cpumap.bpf.o" ] &&
		XDP_BENCH_OBJ=$(dirname "$XB")/xdp_redirect_cpumap.bpf.o
fi
XDP_BENCH_OBJ=${XDP_BENCH_OBJ:-} exec "$ROOT/build/bench/decision_cost" "$@"
