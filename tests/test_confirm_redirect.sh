#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_confirm_redirect.sh: --confirm in redirect (devmap) mode. IF_B forwards out of veth
# ports P1, P2 whose peers Q1, Q2 (namespace A) start with GRO off. An unconfirmed fresh
# --redirect goes away whole (program, pins, the GRO it turned on, the revert process); an
# unconfirmed reconfiguration comes back to the previous ports, weights, hash, seed, table
# size, first-port rule, devmap and ifindex map, and GRO, on the same program, still
# forwarding; a confirmed one stays; SIGKILL of the applier and SIGTERM of the revert
# process still revert; a port deleted while a revert waits leaves a consistent instance;
# GRO stays on at a port another instance sends to.
SUITE=test_confirm_redirect
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd jq ip ethtool nsenter bpftool mkfifo
trap confirm_cleanup EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }

P1=${IF_B}p; Q1=${IF_A}p; P2=${IF_B}r; Q2=${IF_A}r
# A port Pn of IF_B whose veth peer Qn (namespace A) has GRO off.
add_port() {
	ip link add "${IF_B}$1" netns "$NS_B" type veth peer name "${IF_A}$1" netns "$NS_A" &&
	ip -n "$NS_B" link set "${IF_B}$1" up && ip -n "$NS_A" link set "${IF_A}$1" up &&
	in_a ethtool -K "${IF_A}$1" gro off
}
add_port p && add_port r || { fail "$SUITE" "cannot create the ports"; exit 1; }
# IP_B at IF_B's MAC: A's UDP reaches IF_B's program without ARP.
in_a ip neigh replace $IP_B lladdr "$(ip -n "$NS_B" -j link show "$IF_B" | jq -r '.[0].address')" \
	dev "$IF_A" nud permanent

check() { if eval "$2"; then ok "$1"; else fail "$1" "$3"; fi; }
prog_on_b() { xdp_prog_id "$NS_B" "$IF_B"; }
no_instance() { [ -z "$(prog_on_b)" ] && [ ! -e "$XDPLB_PIN_ROOT/$IF_B" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
revert_pid() { sed -n 's/.*(revert process \([0-9]*\))$/\1/p' <<<"$1"; }
revert_procs() {
	ip netns pids "$NS_B" | xargs -r ps -o pid=,comm= -p 2>/dev/null | awk '$2 == "xdplb-revert" {print $1}'
}
gro() { in_a ethtool -k "$1" | awk '/generic-receive-offload:/ {print $2}'; }
rx() { ip -n "$NS_A" -j -s link show "$1" | jq '.[0].stats64.rx.packets'; }
# 40 UDP flows from A to IF_B: spread over the ports by the table.
send() { in_a bash -c 'for p in $(seq 1 40); do echo x >/dev/udp/'$IP_B'/$((20000 + p)); done' 2>/dev/null; }
# True when the frames sent now arrive at the peer $1.
forwards_to() {
	local r0
	r0=$(rx "$1")
	send
	wait_for 3 bash -c "[ \$(ip -n $NS_A -j -s link show $1 | jq '.[0].stats64.rx.packets') -gt $r0 ]"
}
# Everything --status --json says of the settings, ports with their slots.
settings() {
	status_q '.instances[0] | "\(.prog_id) \(.hash) \(.seed) \(.table_size) \(.pass_non_ip) \([.targets[] | "\(.ifname):\(.weight):\(.slot)"] | join(","))"'
}
# The pinned devmap (slot:ifindex) and the ifindex -> slot map, as the kernel holds them.
devmap() {
	bpftool map dump pinned "$XDPLB_PIN_ROOT/$IF_B/xdplb_ports" -j 2>/dev/null |
		jq -r '.[] | select(.value | type == "array") | "\(.key[0]) \(.key[1]) \(.value[0]) \(.value[1])"' |
		while read -r a b c d; do echo "$(( a + 256 * b )):$(( c + 256 * d ))"; done | sort -n | paste -sd,
}
port_ix() {
	bpftool map dump pinned "$XDPLB_PIN_ROOT/$IF_B/xdplb_port_ix" -j 2>/dev/null |
		jq -r '[.[].formatted | "\(.key):\(.value)"] | sort | join(",")'
}
state() { echo "$(settings) | devmap $(devmap) | ix $(port_ix)"; }
ifindex() { ip -n "$NS_B" -j link show "$1" | jq '.[0].ifindex'; }

# --- 1. a fresh --redirect, unconfirmed ----------------------------------------------------
err=$(xdplb_b --redirect "$IF_B:$P1" --confirm 2 2>&1); rc=$?
pid=$(revert_pid "$err")
REVERT_PIDS+=("$pid")
check "fresh --redirect --confirm: attached, GRO on at the peer, says how to keep it" \
	'[ $rc = 0 ] && [ -n "$pid" ] && [ -n "$(prog_on_b)" ] && [ "$(gro "$Q1")" = on ] &&
	 grep -q "reverts in 2 s unless confirmed: xdplb --confirm-ok --iface $IF_B" <<<"$err"' "exit $rc: $err"
check "fresh --redirect --confirm: frames forwarded out of the port" 'forwards_to "$Q1"' \
	"peer rx $(rx "$Q1"), port $(status_q '.instances[0].targets[0] | [.packets, .xmit_sent, .xmit_errors]' | tr -d ' \n')"
check "--status shows the pending revert in redirect mode" \
	'xdplb_b --status | grep -q "unconfirmed: reverts in [12] s unless xdplb --confirm-ok --iface $IF_B (revert process $pid)"' \
	"$(xdplb_b --status 2>&1 | tail -2)"
wait_for 15 no_instance && wait_for 5 gone "$pid"
check "unconfirmed fresh --redirect reverted: no program, no pins, revert process gone" \
	'no_instance && [ ! -e "$XDPLB_PIN_ROOT" ] && gone "$pid"' \
	"prog '$(prog_on_b)', pins: $(ls -A "$XDPLB_PIN_ROOT" 2>&1), pid $pid $(gone "$pid" || echo alive)"
check "unconfirmed fresh --redirect reverted: GRO off again at the peer" '[ "$(gro "$Q1")" = off ]' "gro $(gro "$Q1")"

# --- 2. a reconfiguration, unconfirmed -----------------------------------------------------
# The base instance is attached without --confirm: the GRO it turns on at Q1 stays.
if xdplb_b --redirect "$IF_B:$P1" --hash l3 --seed 0x5eed --table-size 1024 2>/dev/null; then
	prog=$(prog_on_b)
	before=$(state)
	ix1=$(ifindex "$P1"); ix2=$(ifindex "$P2")
	check "base instance: one port in the devmap" \
		'[ "$(devmap)" = "0:$ix1" ] && [ "$(port_ix)" = "$ix1:0" ] && [ "$(gro "$Q1") $(gro "$Q2")" = "on off" ]' "$before"
	err=$(xdplb_b --redirect "$IF_B:$P2:3,$P1" --hash l4 --seed 0xabc --table-size 256 --pass-non-ip --confirm 2 2>&1); rc=$?
	pid=$(revert_pid "$err")
	REVERT_PIDS+=("$pid")
	check "--confirm reconfiguration applied: ports, weights, hash, seed, devmap, GRO at the new peer" \
		'[ $rc = 0 ] && [ "$(settings)" = "$prog l4 0xabc 256 true $P2:3:1,$P1:1:0" ] &&
		 [ "$(devmap)" = "0:$ix1,1:$ix2" ] && [ "$(gro "$Q2")" = on ]' "exit $rc: $err; $(state)"
	wait_for 15 gone "$pid"
	check "unconfirmed reconfiguration reverted: settings, devmap and ifindex map as before, same program" \
		'gone "$pid" && [ "$(state)" = "$before" ]' "now '$(state)', before '$before'"
	check "unconfirmed reconfiguration reverted: GRO off again at the new port's peer only" \
		'[ "$(gro "$Q1") $(gro "$Q2")" = "on off" ]' "Q1 $(gro "$Q1"), Q2 $(gro "$Q2")"
	check "the reverted instance keeps forwarding" 'forwards_to "$Q1"' "peer rx $(rx "$Q1")"

	# --- 3. the same reconfiguration, confirmed --------------------------------------------
	err=$(xdplb_b --redirect "$IF_B:$P2:3,$P1" --hash l4 --seed 0xabc --table-size 256 --confirm 2 2>&1)
	pid=$(revert_pid "$err")
	REVERT_PIDS+=("$pid")
	out=$(xdplb_b --confirm-ok --iface "$IF_B"); rc=$?
	check "--confirm-ok takes the confirmation" \
		'[ $rc = 0 ] && [ "$out" = "$IF_B: confirmed: the change stays" ] && wait_for 5 gone "$pid"' "exit $rc: $out"
	sleep 3
	check "a confirmed reconfiguration stays past its deadline" \
		'[ "$(settings)" = "$prog l4 0xabc 256 false $P2:3:1,$P1:1:0" ] && [ "$(devmap)" = "0:$ix1,1:$ix2" ] &&
		 [ "$(port_ix)" = "$(printf "%s\n" "$ix1:0" "$ix2:1" | sort | paste -sd,)" ] && [ "$(gro "$Q2")" = on ]' "$(state)"
	check "the confirmed instance forwards out of both ports" 'forwards_to "$Q1" && forwards_to "$Q2"' \
		"peer rx $(rx "$Q1") $(rx "$Q2")"
	xdplb_b --redirect "$IF_B:$P1" --hash l3 --seed 0x5eed --table-size 1024 2>/dev/null
	in_a ethtool -K "$Q2" gro off
	check "back to the base instance" '[ "$(state)" = "$before" ]' "now '$(state)', before '$before'"

	# --- 4. the applier killed; the revert process terminated --------------------------------
	# The applier's stderr is a full pipe: it blocks on the line saying it turned GRO on at
	# Q2 (after arming the revert, before the change) and gets SIGKILL there. The revert
	# process, never told the change was made, restores everything it may have touched.
	mkfifo "$FIFO"
	exec 3<>"$FIFO"
	head -c 65536 /dev/zero >&3
	nsenter --net=/run/netns/"$NS_B" "$XDPLB" --redirect "$IF_B:$P1,$P2" --hash sym --confirm 2 2>"$FIFO" &
	applier=$!
	armed() { [ -n "$(revert_procs)" ] && [ "$(gro "$Q2")" = on ]; }
	if wait_for 10 armed && kill -KILL "$applier" 2>/dev/null; then
		wait "$applier" 2>/dev/null
		pids=$(revert_procs)
		REVERT_PIDS+=($pids)
		wait_for 15 bash -c "! ps -o comm= -p ${pids// /,} >/dev/null"
		check "applier killed before its change: reverted, GRO off again, revert process gone" \
			'[ "$(state)" = "$before" ] && [ "$(gro "$Q2")" = off ] && [ -z "$(revert_procs)" ]' \
			"now '$(state)', before '$before', Q2 $(gro "$Q2"), revert $(revert_procs)"
	else
		fail "applier killed before its change" "no revert process, or the applier had exited"
		kill -KILL "$applier" 2>/dev/null
	fi
	# GRO already on at Q2 (no GRO line): the applier blocks on its last line, after the change.
	in_a ethtool -K "$Q2" gro on
	nsenter --net=/run/netns/"$NS_B" "$XDPLB" --redirect "$IF_B:$P2,$P1" --hash sym --confirm 2 2>"$FIFO" &
	applier=$!
	made() { [ "$(devmap)" = "0:$ix1,1:$ix2" ] && [ -n "$(revert_procs)" ]; }
	if wait_for 10 made && kill -KILL "$applier" 2>/dev/null; then
		wait "$applier" 2>/dev/null
		pids=$(revert_procs)
		REVERT_PIDS+=($pids)
		wait_for 15 bash -c "! ps -o comm= -p ${pids// /,} >/dev/null"
		check "applier killed after its change: reverted; GRO it found on stays on" \
			'[ "$(state)" = "$before" ] && [ "$(gro "$Q2")" = on ]' "now '$(state)', before '$before', Q2 $(gro "$Q2")"
	else
		fail "applier killed after its change" "the change never appeared, or the applier had exited"
		kill -KILL "$applier" 2>/dev/null
	fi
	exec 3<&-
	rm -f "$FIFO"
	in_a ethtool -K "$Q2" gro off
	err=$(xdplb_b --redirect "$IF_B:$P2" --confirm 600 2>&1)
	pid=$(revert_pid "$err")
	REVERT_PIDS+=("$pid")
	if [ -n "$pid" ] && [ "$(devmap)" = "1:$ix2" ]; then
		kill -TERM "$pid"
		wait_for 10 gone "$pid"
		check "SIGTERM to the revert process reverts at once" \
			'gone "$pid" && [ "$(state)" = "$before" ] && [ "$(gro "$Q2")" = off ]' \
			"now '$(state)', before '$before', Q2 $(gro "$Q2")"
	else
		fail "SIGTERM to the revert process reverts at once" "no change made: $err; $(state)"
	fi

	# --- 5. a port deleted while a revert waits ----------------------------------------------
	# A port the change added: it takes its devmap entry with it; the revert finds the rest.
	err=$(xdplb_b --redirect "$IF_B:$P1,$P2" --confirm 2 2>&1)
	pid=$(revert_pid "$err")
	REVERT_PIDS+=("$pid")
	ip -n "$NS_B" link del "$P2"
	wait_for 15 gone "$pid"
	check "added port deleted while pending: reverted to the previous settings, same program" \
		'[ -n "$pid" ] && gone "$pid" && [ "$(state)" = "$before" ]' "now '$(state)', before '$before'; $err"
	check "added port deleted while pending: still forwarding" 'forwards_to "$Q1"' "peer rx $(rx "$Q1")"
	# A port of the previous settings: it cannot be entered again. The revert restores the
	# rest, the port listed as missing (as if it had vanished without the change).
	add_port r
	ix2=$(ifindex "$P2")
	err=$(xdplb_b --redirect "$IF_B:$P2" --confirm 2 2>&1)
	pid=$(revert_pid "$err")
	REVERT_PIDS+=("$pid")
	ip -n "$NS_B" link del "$P1"
	wait_for 15 gone "$pid"
	check "previous port deleted while pending: previous settings back, the port missing, nothing of the change left" \
		'[ -n "$pid" ] && gone "$pid" && [ "$(settings)" = "$prog l3 0x5eed 1024 false $P1:1:0" ] &&
		 [ -z "$(devmap)" ] && [ -z "$(port_ix)" ] &&
		 [ "$(status_q ".instances[0].targets[0].state")" = missing ] && [ "$(gro "$Q2")" = off ]' \
		"now '$(state)', state $(status_q '.instances[0].targets[0].state'), Q2 $(gro "$Q2"); $err"
	check "--status names the missing port" 'xdplb_b --status | grep -q "$P1 .*missing"' "$(xdplb_b --status 2>&1 | tail -2)"
	xdplb_b --detach --iface "$IF_B"
else
	fail "--confirm reconfiguration" "base attach failed"
fi

# GRO the change turned on stays on at a peer that another instance sends to meanwhile.
add_port p
err=$(xdplb_b --redirect "$IF_B:$P1" --confirm 2 2>&1)
pid=$(revert_pid "$err")
REVERT_PIDS+=("$pid")
if [ "$(gro "$Q1")" = on ] && xdplb_b --redirect "$P2:$P1" 2>/dev/null; then
	wait_for 15 no_instance && wait_for 5 gone "$pid"
	check "revert leaves GRO on at a port another instance sends to" \
		'no_instance && gone "$pid" && [ "$(gro "$Q1")" = on ] && [ -n "$(xdp_prog_id "$NS_B" "$P2")" ]' \
		"prog '$(prog_on_b)', Q1 $(gro "$Q1")"
else
	fail "revert leaves GRO on at a port another instance sends to" "setup failed: $err"
fi
xdplb_b --detach --iface "$P2" >/dev/null 2>&1
in_a ethtool -K "$Q1" gro off

# A fresh attach whose only port is deleted while pending: the program and pins go.
err=$(xdplb_b --redirect "$IF_B:$P1" --confirm 2 2>&1)
pid=$(revert_pid "$err")
REVERT_PIDS+=("$pid")
ip -n "$NS_B" link del "$P1"
wait_for 15 no_instance && wait_for 5 gone "$pid"
check "fresh attach, port deleted while pending: no program, no pins" \
	'[ -n "$pid" ] && no_instance && [ ! -e "$XDPLB_PIN_ROOT" ] && gone "$pid"' \
	"prog '$(prog_on_b)', pins: $(ls -A "$XDPLB_PIN_ROOT" 2>&1); $err"
exit 0
