#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# decision.sh: the cost of xdplb_rx's decision per packet on each parse path (IPv4 TCP,
# IPv6 TCP with two extension headers, VLAN, and the rarer kinds), next to an XDP_PASS-only
# program timed in the same run, as ratios. BPF_PROG_TEST_RUN, no traffic, no interface.
# Usage: bench/decision.sh [ROUNDS [REPEAT]]   (as root; defaults 9 rounds of 2000000 runs)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "decision.sh: needs root (BPF_PROG_TEST_RUN loads programs)" >&2; exit 1; }
make -C "$ROOT" -s build/bench/decision_cost || exit 1
echo "# kernel $(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
exec "$ROOT/build/bench/decision_cost" "$@"
