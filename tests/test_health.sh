#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_health.sh: `--status --iface IF --health`, the verdict a router's health check reads:
# exit 0 and one "healthy:" line for a live instance whose targets are all there and whose
# queues keep up (idle, and under a flood its queues take); exit 1 and one "unhealthy:" line
# naming the cause for no instance, a port gone or down, a detached program, and queues
# dropping beyond --max-drop-pct under a UDP flood into --qsize 8. Bad combinations are
# usage errors that change nothing.
SUITE=test_health
. "$(dirname "$0")/lib.sh"
netns_suite ip nsenter jq ethtool iperf3 ping
PORT=5299
BG=()
trap 'for p in "${BG[@]}"; do kill -TERM "$p" 2>/dev/null; done; wait 2>/dev/null; topo_down; rm -rf "$T_TMP"' EXIT INT TERM

# health NAME CODE PATTERN [ARGS...]: --health on IF_B (or ARGS) exits CODE with one stdout
# line matching PATTERN and nothing on stderr.
health() {
	local name=$1 code=$2 pattern=$3 out err rc
	shift 3
	[ $# -gt 0 ] || set -- --iface "$IF_B"
	out=$(xdplb_b --status --health "$@" 2>"$T_TMP/err"); rc=$?
	err=$(cat "$T_TMP/err")
	if [ "$rc" = "$code" ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -qE -- "$pattern" <<<"$out" &&
	   [ -z "$err" ]; then
		ok "$name: $out"
	else
		fail "$name" "exit $rc (want $code), stdout [$out], stderr [$err]"
	fi
}
machine_state() { ls "$XDPLB_PIN_ROOT" 2>/dev/null | tr '\n' ' '; xdp_prog_id "$NS_B" "$IF_B"; }

health "no instance" 1 "^unhealthy: $IF_B: no xdplb instance$"
expect "--health without --iface" 2 "^xdplb: --health: conflicts: goes with --status --iface IF" -- --status --health
expect "--health with --json" 2 "^xdplb: --health: conflicts" -- --status --iface "$IF_B" --health --json
expect "--max-drop-pct without --health" 2 "^xdplb: --max-drop-pct: conflicts: it goes with --health only" -- \
	--status --iface "$IF_B" --max-drop-pct 5
expect "--max-drop-pct 101" 2 "^xdplb: --max-drop-pct: 101: an integer 0..100" -- \
	--status --iface "$IF_B" --health --max-drop-pct 101
expect "--max-drop-pct 1x" 2 "^xdplb: --max-drop-pct: 1x: an integer 0..100" -- \
	--status --iface "$IF_B" --health --max-drop-pct 1x
expect "--health with --cpus" 2 "^xdplb: --status: conflicts" -- --status --iface "$IF_B" --health --cpus 0

xdplb_b --iface "$IF_B" --cpus 0-1 || { fail "$SUITE" "cannot attach"; exit 0; }
health "live, idle" 0 "^healthy: $IF_B: live, 2 targets present, drops at most 0.0% in 1000 ms \(--max-drop-pct 1\)$"

# A flood into queues of 8 frames: they overflow, beyond 1% and beyond 0%, and the verdict
# says which target and by how much. With room to spare (--qsize 16384, --max-drop-pct 100)
# the same flood is healthy.
in_b iperf3 -s -p $PORT >/dev/null 2>&1 &
BG+=($!)
wait_for 5 bash -c "ip netns exec $NS_B ss -ltnu | grep -q :$PORT" || fail "$SUITE" "no iperf3 server"
flood() { in_a timeout 20 iperf3 -c $IP_B -p $PORT -u -b 0 -l 64 -P 4 -t "$1" >/dev/null 2>&1 & BG+=($!); }
xdplb_b --iface "$IF_B" --cpus 0-1 --qsize 8
# Longer than the wait for a first drop (up to 5 s) and both verdicts after it: a flood
# that had ended left a 1 s window without drops (one clean-clone CI run).
flood 10
wait_for 5 bash -c "[ \$(nsenter --net=/run/netns/$NS_B $XDPLB --status --json | jq '[.instances[0].targets[].enqueue_drops] | add') -gt 0 ]"
health "queues dropping" 1 "^unhealthy: $IF_B: cpu [01] dropped [0-9.]+% of its frames in 1000 ms \(--max-drop-pct 1\)$"
health "queues dropping, --max-drop-pct 100" 0 "^healthy: $IF_B: live, 2 targets present" --iface "$IF_B" --max-drop-pct 100
wait "${BG[-1]}" 2>/dev/null

# Redirect mode, from P2 out of IF_B and Q1: a port that goes down, then away, is a
# target not there; the receiving interface gone leaves a stale instance.
P1=xlt${T_ID}r P2=xlt${T_ID}s Q1=xlt${T_ID}q Q2=xlt${T_ID}t
for pair in "$P1 $P2" "$Q1 $Q2"; do
	set -- $pair
	ip -n "$NS_B" link add "$1" type veth peer name "$2" && ip -n "$NS_B" link set "$1" up &&
		ip -n "$NS_B" link set "$2" up || fail "$SUITE" "cannot add the veth pair $1-$2"
done
xdplb_b --redirect "$P2:$IF_B,$Q1" 2>/dev/null || fail "$SUITE" "cannot attach in redirect mode"
health "redirect mode, ports up" 0 "^healthy: $P2: live, 2 targets present" --iface "$P2"
ip -n "$NS_B" link set "$Q1" down
health "a port down" 1 "^unhealthy: $P2: target port $Q1 is down$" --iface "$P2"
ip -n "$NS_B" link del "$Q1"
health "a port missing" 1 "^unhealthy: $P2: target port $Q1 is missing$" --iface "$P2"
ip -n "$NS_B" link del "$P1"
health "the receiving interface gone" 1 "^unhealthy: $P2: instance is stale, not live$" --iface "$P2"
xdplb_b --detach --iface "$P2" >/dev/null 2>&1

# The program taken off behind xdplb's back: pins remain, the instance is not live.
ip -n "$NS_B" link set dev "$IF_B" xdp off 2>/dev/null || ip -n "$NS_B" link set dev "$IF_B" xdpgeneric off
health "program detached behind its back" 1 "^unhealthy: $IF_B: instance is stale, not live$"
exit 0
