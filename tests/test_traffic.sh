#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_traffic.sh: real traffic through xdplb on a veth pair between two namespaces:
# ping before, during and after; iperf3 -P 16 spread over both CPUs; a live
# reconfiguration under load that loses no connection; counters that match the kernel's
# own; --remote pass and drop; detach leaving nothing behind; stale pins recognised.
SUITE=test_traffic
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd jq ip ethtool nsenter iperf3 ping
trap topo_down EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }
NCPUS=$(nproc)
[ "$NCPUS" -ge 2 ] || { skip "$SUITE" "needs 2 CPUs, this machine has $NCPUS"; exit 0; }
PORT=$(( 5201 + RANDOM % 1000 ))

ping_ok() { in_a ping -c 3 -i 0.2 -W 1 -q "$1" >/dev/null 2>&1; }

ping_ok $IP_B && ok "ping before attach" || fail "ping before attach" "no reply"

if ! xdplb_b --iface "$IF_B" --cpus 0-1; then
	fail "attach" "xdplb exited $?"
	exit 1
fi
[ -n "$(xdp_prog_id "$NS_B" "$IF_B")" ] && [ -d "$XDPLB_PIN_ROOT/$IF_B" ] && ok "attach" ||
	fail "attach" "no program or no pins"
ping_ok $IP_B && ok "ping with xdplb" || fail "ping with xdplb" "no reply"
ping_ok $IP6_B && ok "ping6 with xdplb" || fail "ping6 with xdplb" "no reply"

# iperf3 with 16 streams: with a correct hash all land on one CPU once in 2^15 runs.
in_b iperf3 -s -1 -p $PORT >/dev/null 2>&1 &
wait_for 5 bash -c "ip netns exec $NS_B ss -ltn | grep -q :$PORT"
in_a ping -c 20 -i 0.25 -W 1 -q $IP_B >/tmp/xlt-ping-$T_ID 2>&1 &
ping_pid=$!
if in_a timeout 30 iperf3 -c $IP_B -p $PORT -P 16 -t 5 -J >/tmp/xlt-iperf-$T_ID 2>&1; then
	ok "iperf3 -P 16 through xdplb"
else
	fail "iperf3 -P 16 through xdplb" "$(jq -r .error /tmp/xlt-iperf-$T_ID 2>/dev/null)"
fi
wait $ping_pid && ok "ping during iperf3" || fail "ping during iperf3" "$(tail -2 /tmp/xlt-ping-$T_ID)"
rm -f /tmp/xlt-ping-$T_ID /tmp/xlt-iperf-$T_ID

json=$(xdplb_b --status --json)
c0=$(jq '.instances[0].targets[] | select(.cpu == 0) | .packets' <<<"$json")
c1=$(jq '.instances[0].targets[] | select(.cpu == 1) | .packets' <<<"$json")
[ "${c0:-0}" -gt 1000 ] && [ "${c1:-0}" -gt 1000 ] && ok "flows fan out to both CPUs" ||
	fail "flows fan out to both CPUs" "CPU 0: $c0 packets, CPU 1: $c1 packets"
sum=$(jq '.instances[0] | .rx.packets - .redirected - ([.pass[]] | add)' <<<"$json")
[ "$sum" = 0 ] && ok "rx = redirected + passed" || fail "rx = redirected + passed" "off by $sum"
# A frame for the CPU it arrived on goes to its stack there (pass.local), not redirected.
per_target=$(jq '.instances[0] | ([.targets[].packets] | add) - .redirected - .pass.local' <<<"$json")
[ "$per_target" = 0 ] && ok "targets add up to redirected + local" ||
	fail "targets add up to redirected + local" "off by $per_target"
# The kernel's own count of XDP redirects on this veth must equal ours (read until two
# reads agree: a stray frame may land between them).
redirects_agree() {
	kernel=$(in_b ethtool -S "$IF_B" | awk '/rx_queue_0_xdp_redirect:/ {print $2}')
	ours=$(status_q '.instances[0].redirected')
	[ "$kernel" = "$ours" ]
}
wait_for 5 redirects_agree && ok "redirects match ethtool -S" ||
	fail "redirects match ethtool -S" "kernel $kernel, xdplb $ours"
# Once the queues drain, every redirected frame was processed by a cpumap kthread or
# counted as a queue-full drop (the kernel's tp_btf events, filtered to this instance).
# The counters are read one after another while stray frames (TCP teardown, ND) may still
# arrive: up to 64 frames may be in flight between the reads. And on this kernel
# xdp_cpumap_enqueue misses a few queue flushes under load (an independent probe counts
# the same events xdplb does, fewer than the kthreads dequeue), and the drops of a missed
# flush go unreported: allow 0.2% of the frames (measured: up to 0.06%).
drained() {
	status_q '.instances[0] | ([.targets[] | .kthread_processed + .enqueue_drops] | add) as $k |
		.redirected as $r | (($r - $k) | fabs) <= 64 + $r / 500' | grep -q true
}
if wait_for 5 drained; then
	ok "cpumap kthreads processed what was not dropped"
else
	fail "cpumap kthreads processed what was not dropped" \
		"$(status_q '.instances[0] | {redirected, t: [.targets[] | {kthread_processed, enqueue_drops}]}' | tr -d '\n ')"
fi

# Live reconfiguration under load: one CPU, then two; no connection may break.
xdplb_b --iface "$IF_B" --cpus 0 || fail "reconfigure to one CPU" "exit $?"
[ "$(status_q '[.instances[0].targets[].cpu] | join(",")')" = 0 ] && ok "reconfigure to one CPU" ||
	fail "reconfigure to one CPU" "targets $(status_q '[.instances[0].targets[].cpu]')"
prog=$(xdp_prog_id "$NS_B" "$IF_B")
before1=$(status_q '.instances[0].targets[] | select(.cpu == 0) | .packets')
in_b iperf3 -s -1 -p $PORT >/dev/null 2>&1 &
wait_for 5 bash -c "ip netns exec $NS_B ss -ltn | grep -q :$PORT"
in_a timeout 30 iperf3 -c $IP_B -p $PORT -P 16 -t 6 -J >/tmp/xlt-iperf-$T_ID 2>&1 &
iperf_pid=$!
sleep 2
xdplb_b --iface "$IF_B" --cpus 0-1 --qsize 4096; rc=$?
if wait $iperf_pid && [ $rc = 0 ]; then
	ok "reconfigure 0 -> 0-1 under iperf3 keeps every connection"
else
	fail "reconfigure 0 -> 0-1 under iperf3 keeps every connection" \
		"xdplb exit $rc; iperf3: $(jq -r .error /tmp/xlt-iperf-$T_ID 2>/dev/null)"
fi
rm -f /tmp/xlt-iperf-$T_ID
json=$(xdplb_b --status --json)
[ "$(xdp_prog_id "$NS_B" "$IF_B")" = "$prog" ] && ok "reconfiguration kept the program" ||
	fail "reconfiguration kept the program" "prog id changed"
c1=$(jq '.instances[0].targets[] | select(.cpu == 1) | .packets' <<<"$json")
q=$(jq '[.instances[0].targets[].qsize] | unique | join(",")' -r <<<"$json")
[ "$c1" -gt 0 ] && [ "$q" = 4096 ] && ok "new CPU takes flows after reconfiguration" ||
	fail "new CPU takes flows after reconfiguration" "CPU 1 packets $c1, qsize $q"
[ "$(jq '.instances[0].redirect_errors' <<<"$json")" = 0 ] && ok "no redirect errors" ||
	fail "no redirect errors" "$(jq '.instances[0].redirect_errors' <<<"$json")"

# --remote drop: frames reach the remote CPU's program and die there; pass: they live.
xdplb_b --iface "$IF_B" --cpus 0-1 --remote drop
if ! ping_ok $IP_B && [ "$(status_q '[.instances[0].per_cpu[].remote_processed] | add')" -gt 0 ]; then
	ok "--remote drop drops on the remote CPU"
else
	fail "--remote drop drops on the remote CPU" "ping answered or nothing counted"
fi
xdplb_b --iface "$IF_B" --cpus 0-1 --remote pass
ping_ok $IP_B && ok "--remote pass delivers" || fail "--remote pass delivers" "no reply"
xdplb_b --iface "$IF_B" --cpus 0-1 --remote none

# Without CAP_SYS_ADMIN (CAP_BPF and CAP_NET_ADMIN kept) the instance is still seen live,
# and a detach that cannot open the program by id leaves program and pins both in place.
nosysadmin() { nsenter --net=/run/netns/"$NS_B" setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin "$XDPLB" "$@"; }
prog=$(xdp_prog_id "$NS_B" "$IF_B")
state=$(nosysadmin --status --json | jq -r '.instances[0].state')
nosysadmin --detach --iface "$IF_B" 2>/dev/null
if [ "$state" = live ] && [ "$(xdp_prog_id "$NS_B" "$IF_B")" = "$prog" ] && [ -d "$XDPLB_PIN_ROOT/$IF_B" ]; then
	ok "without CAP_SYS_ADMIN: live, and a failed detach leaves both program and pins"
else
	fail "without CAP_SYS_ADMIN: live, and a failed detach leaves both program and pins" \
		"state $state, prog $(xdp_prog_id "$NS_B" "$IF_B") (was $prog), pins $(ls "$XDPLB_PIN_ROOT")"
fi

# Detach: no program, no pins; traffic still flows.
xdplb_b --detach --iface "$IF_B" && [ -z "$(xdp_prog_id "$NS_B" "$IF_B")" ] &&
	[ ! -e "$XDPLB_PIN_ROOT/$IF_B" ] && ok "detach leaves no program and no pin" ||
	fail "detach leaves no program and no pin" "prog $(xdp_prog_id "$NS_B" "$IF_B"), pins: $(ls "$XDPLB_PIN_ROOT" 2>&1)"
ping_ok $IP_B && ok "ping after detach" || fail "ping after detach" "no reply"

# Stale pins: the namespace of an instance disappears, its pins stay and must be seen as
# stale, then replaced by a new instance of the same interface name elsewhere.
NS_C=xlt${T_ID}c
EXTRA_NS+=("$NS_C")
ip netns add $NS_C && ip link add "$IF_B"x netns $NS_C type veth peer name "$IF_B"y netns $NS_C
ip -n $NS_C link set "$IF_B"x up && ip -n $NS_C link set "$IF_B"y up
nsenter --net=/run/netns/$NS_C "$XDPLB" --iface "$IF_B"x --cpus 0 || fail "stale setup" "attach failed"
ip netns del $NS_C
state=$(status_q ".instances[] | select(.ifname == \"${IF_B}x\") | .state")
[ "$state" = stale ] && ok "instance of a deleted namespace shown as stale" ||
	fail "instance of a deleted namespace shown as stale" "state '$state'"
ip -n "$NS_B" link add "$IF_B"x type veth peer name "$IF_B"y
ip -n "$NS_B" link set "$IF_B"x up && ip -n "$NS_B" link set "$IF_B"y up
if xdplb_b --iface "$IF_B"x --cpus 1 2>/dev/null &&
   [ "$(status_q ".instances[] | select(.ifname == \"${IF_B}x\") | .state")" = live ]; then
	ok "stale pins replaced by a new attach"
else
	fail "stale pins replaced by a new attach" "$(xdplb_b --status 2>&1 | head -3)"
fi
xdplb_b --detach --iface "$IF_B"x

# An interface name with a quote and a backslash still gives valid JSON.
odd='xl"q\'"${T_ID:0:4}"
ip -n "$NS_B" link add "$odd" type veth peer name "$IF_B"q && ip -n "$NS_B" link set "$odd" up
if xdplb_b --iface "$odd" --cpus 0 && [ "$(status_q '.instances[] | select(.ifname | startswith("xl\"q")) | .ifname')" = "$odd" ]; then
	ok "odd interface names escaped in JSON"
else
	fail "odd interface names escaped in JSON" "$(xdplb_b --status --json 2>&1 | head -c 300)"
fi
xdplb_b --detach --iface "$odd"
exit 0
