#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_jumbo.sh: xdplb in native mode on MTU 9000 veths (multi-buffer XDP). --check names
# rx-sg and the MTU limit; TCP of 9000-byte frames fans out over two CPUs with each
# --remote action; a live change under jumbo load; the MTU raised past one page under an
# instance attached at 1500 (refused by the kernel, instance untouched); redirect mode forwards 8972-byte pings and iperf3 with IP forwarding off; a port
# whose MTU is below the receiving interface's is named by --check and --status.
SUITE=test_jumbo
. "$(dirname "$0")/lib.sh"
netns_suite jq ip ethtool nsenter iperf3 ping
in_a ethtool -K "$IF_A" gro off >/dev/null

# A third namespace behind B: the --remote redirect:IF port, then a redirect-mode sink.
NS_C=xlt${T_ID}c; IF_C=xlt${T_ID}c; IF_K=xlt${T_ID}k; IP_K=198.18.0.3
EXTRA_NS+=("$NS_C")
in_c() { ip netns exec "$NS_C" "$@"; }
ip netns add "$NS_C" && ip -n "$NS_C" link set lo up &&
	ip link add "$IF_C" netns "$NS_B" type veth peer name "$IF_K" netns "$NS_C" &&
	ip -n "$NS_B" link set "$IF_C" up && ip -n "$NS_C" link set "$IF_K" up &&
	in_c ethtool -K "$IF_K" tx off >/dev/null ||
	{ fail "$SUITE" "cannot build the third namespace"; exit 1; }
set_mtu() {
	ip -n "$NS_A" link set "$IF_A" mtu "$1" && ip -n "$NS_B" link set "$IF_B" mtu "$1" &&
	ip -n "$NS_B" link set "$IF_C" mtu "$1" && ip -n "$NS_C" link set "$IF_K" mtu "$1"
}
set_mtu 9000 || { fail "$SUITE" "cannot set MTU 9000"; exit 1; }
PORT=$(( 5201 + RANDOM % 1000 ))

q() { status_q ".instances[] | select(.ifname == \"$IF_B\") | $1"; }
# iperf3 TCP from A to B for $1 s with 16 streams (all on one of two CPUs: 1 in 32768);
# 0 when every stream completed.
tcp_run() {
	in_b iperf3 -s -1 -p $PORT >/dev/null 2>&1 &
	wait_for 5 bash -c "ip netns exec $NS_B ss -ltn | grep -q :$PORT" || return 1
	in_a timeout $(( $1 + 20 )) iperf3 -c $IP_B -p $PORT -P 16 -t "$1" -J >"$T_TMP/iperf.json" 2>&1 &&
		[ "$(jq '.end.sum_received.bytes > 0' "$T_TMP/iperf.json")" = true ]
}
# Whether every CPU target carried frames averaging over 8000 bytes (jumbo, not GSO pieces
# cut at 1500) and the receive counters agree with the targets'.
jumbo_fanout() {
	local j
	j=$(xdplb_b --status --json | jq -c ".instances[] | select(.ifname == \"$IF_B\")")
	jq -e '(.targets | length) == 2 and all(.targets[]; .packets > 0 and .bytes / .packets > 8000)
		and .rx.bytes >= ([.targets[].bytes] | add)' <<<"$j" >/dev/null ||
		{ echo "$j" | jq -c '{rx, targets: [.targets[] | {cpu, packets, bytes}]}'; return 1; }
}

# --check: the driver's multi-buffer XDP and the MTU xdplb runs at.
line=$(xdplb_b --check --iface "$IF_B" | grep " $IF_B mtu:")
if [[ $line == "ok   $IF_B mtu: 9000: multi-buffer XDP (rx-sg): native mode at any MTU up to "* ]] &&
   [ "$(xdplb_b --check --iface "$IF_B" --json | jq '.interfaces[0] | .rx_sg and .native_max_mtu >= 9000')" = true ]; then
	ok "--check: rx-sg and the native MTU limit"
else
	fail "--check: rx-sg and the native MTU limit" "line: $line"
fi

# CPU mode, native, MTU 9000, each --remote action.
# skb mode loads the programs without the multi-buffer flag (generic XDP linearizes).
for remote in none pass skb; do
	name="cpus 0-1, --remote $remote, MTU 9000: TCP of 9000-byte frames over both CPUs"
	args=(--iface "$IF_B" --cpus 0-1 --mode native)
	case $remote in
	pass) args+=(--remote pass) ;;
	skb) args=(--iface "$IF_B" --cpus 0-1 --mode skb); name="--mode skb, MTU 9000: TCP of 9000-byte frames over both CPUs" ;;
	esac
	if ! err=$(xdplb_b "${args[@]}" 2>&1); then
		fail "$name" "attach: $err"
	elif ! tcp_run 3; then
		fail "$name" "iperf3: $(tail -c 300 "$T_TMP/iperf.json")"
	elif ! why=$(jumbo_fanout); then
		fail "$name" "counters: $why"
	elif [ $remote = pass ] && [ "$(q '[.per_cpu[].remote_processed] | add')" = 0 ]; then
		fail "$name" "the remote program saw nothing"
	else
		ok "$name"
	fi
	xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1
done

# --remote drop: 8928-byte echo requests of 16 pings (16 flows: an echo hashes on its id),
# dropped on the remote CPUs by the frags-aware cpumap program; --remote redirect:IF: the
# same forwarded out of IF_C whole. No answer comes back, so no TCP or iperf3 here.
udp_burst() {
	local i
	for i in $(seq 16); do
		in_a ping -q -c 20 -i 0.01 -W 0.1 -s 8900 $IP_B >/dev/null 2>&1 &
	done
	wait
}
xdplb_b --iface "$IF_B" --cpus 0-1 --remote drop >/dev/null 2>&1
udp_burst
dropped=$(q '[.per_cpu[].remote_processed] | add')
if why=$(jumbo_fanout) && [ "${dropped:-0}" -ge 300 ]; then
	ok "--remote drop, MTU 9000: 8942-byte frames dropped on both CPUs ($dropped)"
else
	fail "--remote drop, MTU 9000" "dropped ${dropped:-none}; $why"
fi
xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1
# The port's peer takes redirected frames with GRO on.
in_c ethtool -K "$IF_K" gro on >/dev/null
k0=$(in_c cat /sys/class/net/"$IF_K"/statistics/rx_bytes)
xdplb_b --iface "$IF_B" --cpus 0-1 --remote redirect:"$IF_C" >/dev/null 2>&1
udp_burst
k1=$(in_c cat /sys/class/net/"$IF_K"/statistics/rx_bytes)
sent=$(q '[.targets[].bytes] | add')
if why=$(jumbo_fanout) && [ $(( k1 - k0 )) -ge "${sent:-0}" ] && [ "${sent:-0}" -ge $(( 300 * 8942 )) ]; then
	ok "--remote redirect:IF, MTU 9000: jumbo frames forwarded whole ($(( k1 - k0 )) of $sent bytes)"
else
	fail "--remote redirect:IF, MTU 9000" "port peer got $(( k1 - k0 )) of $sent bytes; $why"
fi
xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1
in_c ethtool -K "$IF_K" gro off >/dev/null

# A live change under jumbo TCP load: 0-1, 1, 0-1, weights; every stream completes.
xdplb_b --iface "$IF_B" --cpus 0-1 >/dev/null 2>&1
tcp_run 5 &
load=$!
sleep 1
changes=0
for spec in 1 0-1 0:1,1:3 0-1; do
	xdplb_b --iface "$IF_B" --cpus "$spec" >/dev/null 2>&1 && changes=$((changes + 1))
	sleep 0.7
done
if wait $load && [ $changes = 4 ] && [ "$(q '.redirect_errors')" = 0 ]; then
	ok "live change under jumbo load: 4 changes, every stream completed"
else
	fail "live change under jumbo load" "changes $changes, iperf3: $(tail -c 200 "$T_TMP/iperf.json"), redirect errors $(q '.redirect_errors')"
fi
xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1

# The MTU raised past one page under an instance attached at 1500 (loaded without the
# multi-buffer flag): the kernel refuses the raise, the instance runs on untouched; after a
# detach and an attach at MTU 9000, jumbo frames are steered.
set_mtu 1500
xdplb_b --iface "$IF_B" --cpus 0-1 >/dev/null 2>&1
prog=$(xdp_prog_id "$NS_B" "$IF_B")
name="MTU 1500 -> 9000 under an instance attached at 1500"
if err=$(set_mtu 9000 2>&1); then
	fail "$name" "the kernel took the raise"
elif [ "$(xdp_prog_id "$NS_B" "$IF_B")" != "$prog" ] || [ "$(q .state)" != live ] || ! tcp_run 1; then
	fail "$name" "the instance changed or stopped: prog $prog -> $(xdp_prog_id "$NS_B" "$IF_B"), $(q .state)"
else
	ok "$name: refused by the kernel ($err), instance untouched"
fi
xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1
if set_mtu 9000 && xdplb_b --iface "$IF_B" --cpus 0-1 >/dev/null 2>&1 && tcp_run 2 && why=$(jumbo_fanout); then
	ok "detach, MTU 9000, attach: jumbo frames steered"
else
	fail "detach, MTU 9000, attach" "$why"
fi
xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1

# Redirect mode between MTU 9000 ports, forwarding off, no address on B: A and C talk only
# through xdplb. IF_B's address goes so that B cannot answer for itself.
in_b ip addr flush dev "$IF_B"
in_b sysctl -qw net.ipv4.ip_forward=0
in_c ip addr add $IP_K/24 dev "$IF_K"
xdplb_b --redirect "$IF_B:$IF_C" >/dev/null 2>&1 && xdplb_b --redirect "$IF_C:$IF_B" >/dev/null 2>&1
name="redirect mode, MTU 9000: 8972-byte pings with DF"
if in_a ping -c 3 -i 0.2 -W 2 -M do -s 8972 -q $IP_K >/dev/null 2>&1; then
	ok "$name"
else
	fail "$name" "no answer through the forwarder"
fi
in_c iperf3 -s -1 -p $PORT >/dev/null 2>&1 &
wait_for 5 bash -c "ip netns exec $NS_C ss -ltn | grep -q :$PORT"
sent=$(status_q ".instances[] | select(.ifname == \"$IF_B\") | .targets[0].bytes")
if in_a timeout 25 iperf3 -c $IP_K -p $PORT -P 4 -t 2 -J >"$T_TMP/fwd.json" 2>&1 &&
   j=$(status_q ".instances[] | select(.ifname == \"$IF_B\") | .targets[0]") &&
   [ "$(jq '.bytes / (.packets + 1) > 5000' <<<"$j")" = true ]; then
	ok "redirect mode, MTU 9000: iperf3 through the forwarder in jumbo frames ($(jq -r '.end.sum_received.bits_per_second / 1e9 * 100 | floor / 100' "$T_TMP/fwd.json") Gbit/s)"
else
	fail "redirect mode, MTU 9000: iperf3" "$(tail -c 200 "$T_TMP/fwd.json"); port: $j"
fi

# A port with a smaller MTU than the receiving interface: named by --check and --status.
ip -n "$NS_B" link set "$IF_C" mtu 1500
chk=$(xdplb_b --check --iface "$IF_B" | grep "port $IF_C")
st=$(xdplb_b --status --iface "$IF_B")
mtu=$(status_q ".instances[] | select(.ifname == \"$IF_B\") | .targets[0].mtu")
if [[ $chk == "warn $IF_B port $IF_C: mtu 1500 is below $IF_B's 9000"* ]] &&
   grep -q "port $IF_C: mtu 1500 is below $IF_B's 9000" <<<"$st" && [ "$mtu" = 1500 ]; then
	ok "a port's MTU below the receiving interface's: --check and --status name it"
else
	fail "a port's MTU below the receiving interface's" "check [$chk] status mtu [$mtu]: $st"
fi
