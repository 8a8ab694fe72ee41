#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh: xdplb's main job on a throwaway topology: two namespaces joined by a veth pair,
# xdplb on the receiving side fanning flows out to every CPU, iperf3 with 16 streams
# through it for a few seconds, the per-CPU fan-out printed, everything removed after.
set -u
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "make demo: run as root (it creates namespaces and loads BPF)"; exit 1; }
trap topo_down EXIT INT TERM
echo "== building namespaces $NS_A ($IP_A) and $NS_B ($IP_B), veth $IF_A <-> $IF_B"
topo_up || { echo "cannot build the topology"; exit 1; }
last=$(( $(nproc) - 1 ))
echo "== xdplb --iface $IF_B --cpus 0-$last   (inside $NS_B)"
xdplb_b --iface "$IF_B" --cpus "0-$last" || exit 1
in_b iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
wait_for 5 bash -c "ip netns exec $NS_B ss -ltn | grep -q :5201"
echo "== iperf3 -P 16 -t 5 from $NS_A to $NS_B"
in_a iperf3 -c $IP_B -p 5201 -P 16 -t 5 | grep -E 'SUM.*(sender|receiver)'
echo "== xdplb --status"
xdplb_b --status
echo "== removing everything"
xdplb_b --detach --iface "$IF_B"
