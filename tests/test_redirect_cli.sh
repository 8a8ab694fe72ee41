#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_redirect_cli.sh: every bad --redirect and --remote redirect:IF input gets one line
# on stderr, exit 2 (usage) or 1 (runtime), and changes nothing: no program, no pin, no GRO
# turned on at a port's peer, and a running instance (redirect or CPU) left as it was.
SUITE=test_redirect_cli
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd jq ip ethtool nsenter mount
MNT=/tmp/xdplb-ns-$T_ID
cleanup() {
	umount "$MNT" 2>/dev/null
	rm -f "$MNT"
	topo_down
}
trap cleanup EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }

# Ports for IF_B: P1 and P2 are veths whose peers (Q1, Q2) are in namespace A, without GRO.
P1=${IF_B}p; Q1=${IF_A}p; P2=${IF_B}r; Q2=${IF_A}r
for i in p r; do
	ip link add "${IF_B}$i" netns "$NS_B" type veth peer name "${IF_A}$i" netns "$NS_A"
	ip -n "$NS_B" link set "${IF_B}$i" up
	ip -n "$NS_A" link set "${IF_A}$i" up
	in_a ethtool -K "${IF_A}$i" gro off
done

peer_gro() { in_a ethtool -k "$1" | awk '/generic-receive-offload:/ {print $2}'; }

machine_state() {
	xdp_prog_id "$NS_B" "$IF_B"
	find "$XDPLB_PIN_ROOT" 2>/dev/null | sort
	echo "gro $(peer_gro "$Q1") $(peer_gro "$Q2")"
	[ -d "$XDPLB_PIN_ROOT/$IF_B" ] && xdplb_b --status --json |
		jq -c '.instances[] | [.prog_id, .hash, .seed, .table_size, .remote, .pass_non_ip,
			.remote_port.ifname, [.targets[] | [.cpu, .qsize, .ifname, .slot, .weight]]]'
}

many_ports() {
	local i spec=$IF_B:
	for i in $(seq 1 65); do spec+="x$i,"; done
	echo "${spec%,}"
}

redirect_matrix() {
	local p=$1
	expect "$p no colon" 2 "^xdplb: --redirect: $IF_B: no ':' after the receiving interface" -- --redirect "$IF_B"
	expect "$p no IN" 2 "^xdplb: --redirect: :$P1: no receiving interface before ':'" -- --redirect ":$P1"
	expect "$p no port" 2 "^xdplb: --redirect: $IF_B:: no port after '$IF_B:'" -- --redirect "$IF_B:"
	expect "$p IN as port" 2 "^xdplb: --redirect: $IF_B:$IF_B: $IF_B is the receiving interface" -- --redirect "$IF_B:$IF_B"
	expect "$p IN as second port" 2 "$IF_B is the receiving interface" -- --redirect "$IF_B:$P1,$IF_B"
	expect "$p unknown port" 2 "^xdplb: --redirect: nosuch0: no such interface in this network namespace" -- --redirect "$IF_B:$P1,nosuch0"
	expect "$p unknown IN" 2 "^xdplb: --redirect: nosuch0: no such interface" -- --redirect "nosuch0:$P1"
	expect "$p port twice" 2 "port $P1 is listed twice" -- --redirect "$IF_B:$P1,$P2,$P1"
	expect "$p port twice with weights" 2 "port $P1 is listed twice" -- --redirect "$IF_B:$P1:2,$P1:3"
	expect "$p too many ports" 2 "^xdplb: --redirect: .*: at most 64 ports$" -- --redirect "$(many_ports)"
	expect "$p empty port" 2 "an empty port name" -- --redirect "$IF_B:$P1,,$P2"
	expect "$p trailing comma" 2 "an empty port name" -- --redirect "$IF_B:$P1,"
	expect "$p weight 0" 2 "the weight of port $P1 is an integer 1..100" -- --redirect "$IF_B:$P1:0"
	expect "$p weight 101" 2 "the weight of port $P1 is an integer 1..100" -- --redirect "$IF_B:$P1:101"
	expect "$p weight empty" 2 "the weight of port $P1 is an integer 1..100" -- --redirect "$IF_B:$P1:"
	expect "$p weight 2x" 2 "the weight of port $P1 is an integer 1..100" -- --redirect "$IF_B:$P1:2x"
	expect "$p long name" 2 "'abcdefghijklmnop' is not an interface name" -- --redirect "$IF_B:abcdefghijklmnop"
	expect "$p redirect=form" 2 "^xdplb: --redirect: $IF_B:: no port" -- --redirect="$IF_B:"
	expect "$p with --iface" 2 "^xdplb: --iface: conflicts: with --redirect" -- --redirect "$IF_B:$P1" --iface "$IF_B"
	expect "$p with --cpus" 2 "^xdplb: --cpus: conflicts: with --redirect" -- --redirect "$IF_B:$P1" --cpus 0
	expect "$p with --qsize" 2 "^xdplb: --qsize: conflicts: with --redirect" -- --redirect "$IF_B:$P1" --qsize 64
	expect "$p with --remote" 2 "^xdplb: --remote: conflicts: with --redirect" -- --redirect "$IF_B:$P1" --remote drop
	expect "$p --pass-non-ip alone" 2 "^xdplb: --pass-non-ip: conflicts: goes with --redirect" -- --iface "$IF_B" --cpus 0 --pass-non-ip
	expect "$p detach with --redirect" 2 "^xdplb: --detach: conflicts: with --cpus, --redirect" -- --detach --redirect "$IF_B:$P1"
	expect "$p remote redirect no port" 2 "^xdplb: --remote: redirect:: redirect:IF names the port" -- --iface "$IF_B" --cpus 0 --remote redirect:
	expect "$p remote redirect unknown" 2 "^xdplb: --remote: nosuch0: no such interface" -- --iface "$IF_B" --cpus 0 --remote redirect:nosuch0
	expect "$p remote redirect to IN" 2 "^xdplb: --remote: $IF_B: $IF_B is the receiving interface" -- --iface "$IF_B" --cpus 0 --remote redirect:"$IF_B"
	expect "$p remote bogus" 2 "^xdplb: --remote: bounce: one of none, pass, drop, redirect:IF" -- --iface "$IF_B" --cpus 0 --remote bounce
}

redirect_matrix bare

# A veth port whose peer sits in a namespace xdplb cannot enter (held only by a bind mount
# elsewhere) and has no GRO: refused with the reason, nothing attached, GRO untouched.
NS_H=xlt${T_ID}h
EXTRA_NS+=("$NS_H")
ip netns add "$NS_H"
ip link add "${IF_B}h" netns "$NS_B" type veth peer name "${IF_A}h" netns "$NS_H"
ip -n "$NS_H" link set "${IF_A}h" up && ip netns exec "$NS_H" ethtool -K "${IF_A}h" gro off
ip -n "$NS_B" link set "${IF_B}h" up
touch "$MNT" && mount --bind /run/netns/"$NS_H" "$MNT" && ip netns del "$NS_H"
expect "peer namespace unreachable" 1 "^xdplb: --redirect: ${IF_B}h: its veth peer .* is in a network namespace xdplb cannot find.*ethtool -K PEER gro on" -- \
	--redirect "$IF_B:$P1,${IF_B}h"
[ "$(nsenter --net="$MNT" ethtool -k "${IF_A}h" | awk '/generic-receive-offload:/ {print $2}')" = off ] &&
	ok "unreachable peer left as it was" || fail "unreachable peer left as it was" "GRO changed"
ip -n "$NS_B" link del "${IF_B}h"

# An attach that fails after its ports were made ready (veth has no XDP offload) turns
# their peers' GRO off again, and says one line.
expect "hw mode leaves GRO" 1 "^xdplb: --iface: $IF_B: attach in hw mode failed" -- --redirect "$IF_B:$P1,$P2" --mode hw
expect "hw mode remote port leaves GRO" 1 "^xdplb: --iface: $IF_B: attach in hw mode failed" -- \
	--iface "$IF_B" --cpus 0 --remote redirect:"$P1" --mode hw

# Against a running redirect instance: the same inputs change nothing, nor does a switch
# to CPUs without a detach.
if xdplb_b --redirect "$IF_B:$P1:3,$P2" --pass-non-ip --seed 0x5eed 2>/dev/null; then
	[ "$(peer_gro "$Q1") $(peer_gro "$Q2")" = "on on" ] && ok "attach turned GRO on at the peers" ||
		fail "attach turned GRO on at the peers" "GRO $(peer_gro "$Q1") $(peer_gro "$Q2")"
	in_a ethtool -K "$Q1" gro off; in_a ethtool -K "$Q2" gro off
	redirect_matrix live
	expect "live switch to CPUs" 2 "^xdplb: --cpus: $IF_B: $IF_B steers to ports; --detach first to steer to CPUs" -- \
		--iface "$IF_B" --cpus 0
	expect "live mode change" 2 "^xdplb: --mode: skb: $IF_B runs in native mode" -- --redirect "$IF_B:$P1" --mode skb
	xdplb_b --detach --iface "$IF_B" || fail "detach redirect" "exit $?"
else
	fail "live redirect instance" "could not attach"
fi

# Against a running CPU instance: no switch to ports without a detach.
if xdplb_b --iface "$IF_B" --cpus 0 2>/dev/null; then
	expect "live switch to ports" 2 "^xdplb: --redirect: $IF_B: $IF_B steers to CPUs; --detach first to steer to ports" -- \
		--redirect "$IF_B:$P1"
	expect "live remote redirect unknown" 2 "^xdplb: --remote: nosuch0: no such interface" -- \
		--iface "$IF_B" --cpus 0 --remote redirect:nosuch0
else
	fail "live CPU instance" "could not attach"
fi
exit 0
