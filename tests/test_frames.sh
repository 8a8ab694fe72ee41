#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_frames.sh: real frames of the awkward kinds through xdplb on a veth pair between two
# namespaces. Fragmented UDP datagrams (iperf3 -u -l 4000 over MTU 1500) and ping -s 3000,
# in IPv4 and IPv6, arrive whole; each source's fragments all reach one CPU (the first and
# the rest meet) while different sources fan out to both. An IPv6 TCP stream spreads over
# both CPUs. VXLAN with a fixed outer source port is one outer flow: on one CPU without
# --inner, over both with --inner switched on live; --inner is kept when left out.
SUITE=test_frames
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd jq ip ethtool nsenter iperf3 ping
[ "$(nproc)" -ge 2 ] || { skip "$SUITE" "needs 2 CPUs, this machine has $(nproc)"; exit 0; }
TMP=$(mktemp -d /tmp/xlt-frames-$T_ID.XXXX)
trap 'topo_down; rm -rf "$TMP"' EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }
PORT=$(( 5201 + RANDOM % 1000 ))
# Sources tried, one at a time, until both CPUs took some: with a correct hash all of them
# land on one CPU once in 2^15 runs.
N_SRC=16

xdplb_b --iface "$IF_B" --cpus 0-1 || { fail "$SUITE" "attach failed"; exit 1; }
for i in $(seq 1 $N_SRC); do
	in_a ip addr add 198.18.0.$((100 + i))/24 dev "$IF_A"
	in_a ip addr add fd00::$((100 + i))/64 dev "$IF_A" nodad
done
in_b iperf3 -s -p $PORT >/dev/null 2>&1 &
wait_for 5 bash -c "ip netns exec $NS_B ss -ltn | grep -q :$PORT" ||
	{ fail "$SUITE" "iperf3 server did not start"; exit 1; }

# Packets redirected to CPU 0 and CPU 1 so far.
targets() { status_q '[.instances[0].targets[] | .packets] | "\(.[0]) \(.[1])"'; }
# Datagrams reassembled in namespace B, IPv4 or IPv6 (/proc/net is per namespace).
reasm_oks() {
	if [ "$1" = 6 ]; then
		in_b awk '$1 == "Ip6ReasmOKs" { print $2 }' /proc/net/snmp6
	else
		in_b awk '$1 == "Ip:" && !c { for (i = 2; i <= NF; i++) if ($i == "ReasmOKs") c = i; next }
			  $1 == "Ip:" { print $c }' /proc/net/snmp
	fi
}

# phase NAME CMD...: runs CMD (one source), then checks that one CPU took at least
# MIN_FRAGS of the packets it caused and the other at most a few (a TCP control connection,
# stray neighbour traffic). Sets MAJ to the CPU that took them.
phase() {
	local name=$1 before after d0 d1
	shift
	before=($(targets))
	"$@" 2>"$TMP/err" || { fail "$name" "$(cat "$TMP/err")"; return 1; }
	after=($(targets))
	d0=$(( after[0] - before[0] ))
	d1=$(( after[1] - before[1] ))
	if [ $d0 -ge "$MIN_FRAGS" ] && [ $d1 -le 30 ]; then
		MAJ=0
	elif [ $d1 -ge "$MIN_FRAGS" ] && [ $d0 -le 30 ]; then
		MAJ=1
	else
		fail "$name" "fragments split or missing: CPU 0 +$d0, CPU 1 +$d1 (expected >= $MIN_FRAGS on one, <= 30 on the other)"
		return 1
	fi
}

# fragmented NAME FAMILY SENDER: SENDER SRC sends from SRC; runs it per source until both
# CPUs took a source's fragments (at least 4 sources).
fragmented() {
	local name=$1 fam=$2 sender=$3 i src seen0=0 seen1=0 n=0
	for i in $(seq 1 $N_SRC); do
		[ "$fam" = 6 ] && src=fd00::$((100 + i)) || src=198.18.0.$((100 + i))
		phase "$name from $src" "$sender" "$src" || return 1
		[ $MAJ = 0 ] && seen0=1 || seen1=1
		n=$((n + 1))
		[ $seen0 = 1 ] && [ $seen1 = 1 ] && [ $n -ge 4 ] && break
	done
	ok "$name: each source's fragments on one CPU ($n sources)"
	[ $seen0 = 1 ] && [ $seen1 = 1 ] && ok "$name: sources fan out to both CPUs" ||
		fail "$name: sources fan out to both CPUs" "$n sources, all on CPU $MAJ"
}

# A UDP stream of 4000-byte datagrams (3 fragments each over MTU 1500), bounded in time.
UDP_SENT=0 UDP_RECEIVED=0
udp_sender() {
	local fam=4 json
	case $1 in *:*) fam=6 ;; esac
	# stderr only warns that 4000 bytes exceed the MSS: that is the point.
	json=$(in_a timeout 20 iperf3 -$fam -c "$([ $fam = 6 ] && echo $IP6_B || echo $IP_B)" -p $PORT \
		-B "$1" -u -l 4000 -b 4M -t 1 -J 2>/dev/null)
	UDP_SENT=$(( UDP_SENT + $(jq '.end.sum.packets // 0' <<<"$json") ))
	UDP_RECEIVED=$(( UDP_RECEIVED + $(jq '(.end.sum.packets // 0) - (.end.sum.lost_packets // 0)' <<<"$json") ))
	[ "$(jq '.end.sum.packets // 0' <<<"$json")" -gt 0 ] || { echo "iperf3: $(jq -r .error <<<"$json")" >&2; return 1; }
}

ping_sender() {
	in_a ping -c 5 -i 0.2 -W 2 -q -s 3000 -I "$1" "$([ "${1#*:}" != "$1" ] && echo $IP6_B || echo $IP_B)" \
		>"$TMP/ping" 2>&1 || { echo "ping: $(tail -2 "$TMP/ping")" >&2; return 1; }
}

for fam in 4 6; do
	reasm_before=$(reasm_oks $fam)
	UDP_SENT=0 UDP_RECEIVED=0
	MIN_FRAGS=90	# 4 Mbit/s for 1 s: 125 datagrams of 3 fragments, minus what is lost
	fragmented "fragmented udp ipv$fam (iperf3 -u -l 4000)" $fam udp_sender
	# UDP may lose a datagram on a busy machine; whole ones must be nearly all of them.
	if [ $UDP_SENT -gt 0 ] && [ $(( UDP_RECEIVED * 100 )) -ge $(( UDP_SENT * 99 )) ]; then
		ok "fragmented udp ipv$fam: datagrams arrive whole"
	else
		fail "fragmented udp ipv$fam: datagrams arrive whole" "$UDP_RECEIVED of $UDP_SENT"
	fi
	reasm_after=$(reasm_oks $fam)
	[ $(( reasm_after - reasm_before )) -ge $UDP_RECEIVED ] && ok "ipv$fam reassembly counted every datagram" ||
		fail "ipv$fam reassembly counted every datagram" "reassembled +$(( reasm_after - reasm_before )), received $UDP_RECEIVED"
	MIN_FRAGS=15	# 5 echo requests of 3 fragments
	fragmented "ping -s 3000 ipv$fam" $fam ping_sender
done

# IPv6 TCP: 16 streams over both CPUs.
before=($(targets))
if in_a timeout 30 iperf3 -6 -c $IP6_B -p $PORT -P 16 -t 3 -J >"$TMP/iperf6" 2>&1; then
	ok "iperf3 -6 -P 16 through xdplb"
else
	fail "iperf3 -6 -P 16 through xdplb" "$(jq -r .error "$TMP/iperf6" 2>/dev/null)"
fi
after=($(targets))
[ $(( after[0] - before[0] )) -gt 1000 ] && [ $(( after[1] - before[1] )) -gt 1000 ] &&
	ok "ipv6 tcp fans out to both CPUs" ||
	fail "ipv6 tcp fans out to both CPUs" "CPU 0 +$(( after[0] - before[0] )), CPU 1 +$(( after[1] - before[1] ))"

# VXLAN whose outer source port is fixed: every frame is the same outer flow.
in_a ip link add vxa type vxlan id 42 dstport 4789 local $IP_A remote $IP_B srcport 40000 40001 dev "$IF_A"
in_b ip link add vxb type vxlan id 42 dstport 4789 local $IP_B remote $IP_A srcport 40000 40001 dev "$IF_B"
in_a ip addr add 198.19.42.1/24 dev vxa
in_b ip addr add 198.19.42.2/24 dev vxb
in_a ip link set vxa up
in_b ip link set vxb up
wait_for 5 in_a ping -c 1 -W 1 198.19.42.2 >/dev/null || fail "vxlan" "no ping through the tunnel"

vxlan_iperf() {
	in_a timeout 30 iperf3 -c 198.19.42.2 -p $PORT -P 16 -t 2 -J >"$TMP/iperfvx" 2>&1 ||
		{ fail "$1" "iperf3: $(jq -r .error "$TMP/iperfvx" 2>/dev/null)"; return 1; }
}

vx_before=$(status_q '.instances[0].tunnels.vxlan')
before=($(targets))
vxlan_iperf "vxlan without --inner" && {
	after=($(targets))
	d0=$(( after[0] - before[0] )) d1=$(( after[1] - before[1] ))
	# ARP and the like ride the same outer flow: no frame may go to the other CPU.
	[ $(( d0 < d1 ? d0 : d1 )) -le 10 ] && [ $(( d0 + d1 )) -gt 1000 ] &&
		ok "vxlan without --inner: one outer flow, one CPU" ||
		fail "vxlan without --inner: one outer flow, one CPU" "CPU 0 +$d0, CPU 1 +$d1"
}
vx=$(( $(status_q '.instances[0].tunnels.vxlan') - vx_before ))
[ $vx -gt 1000 ] && ok "vxlan frames counted" || fail "vxlan frames counted" "tunnels.vxlan +$vx"

prog=$(xdp_prog_id "$NS_B" "$IF_B")
xdplb_b --iface "$IF_B" --cpus 0-1 --inner || fail "--inner live" "exit $?"
[ "$(status_q '.instances[0].inner')" = true ] && [ "$(xdp_prog_id "$NS_B" "$IF_B")" = "$prog" ] &&
	ok "--inner switched on live" || fail "--inner switched on live" "inner $(status_q '.instances[0].inner')"
before=($(targets))
vxlan_iperf "vxlan with --inner" && {
	after=($(targets))
	d0=$(( after[0] - before[0] )) d1=$(( after[1] - before[1] ))
	[ $d0 -gt 1000 ] && [ $d1 -gt 1000 ] && ok "vxlan with --inner: inner flows fan out to both CPUs" ||
		fail "vxlan with --inner: inner flows fan out to both CPUs" "CPU 0 +$d0, CPU 1 +$d1"
}
xdplb_b --iface "$IF_B" --cpus 0-1 --qsize 1024
[ "$(status_q '.instances[0].inner')" = true ] && ok "--inner kept when left out" ||
	fail "--inner kept when left out" "inner $(status_q '.instances[0].inner')"
xdplb_b --iface "$IF_B" --cpus 0-1 --no-inner
[ "$(status_q '.instances[0].inner')" = false ] && ok "--no-inner switches it off" ||
	fail "--no-inner switches it off" "inner $(status_q '.instances[0].inner')"

json=$(xdplb_b --status --json)
sum=$(jq '.instances[0] | .rx.packets - .redirected - ([.pass[]] | add)' <<<"$json")
[ "$sum" = 0 ] && ok "frames: rx = redirected + passed" || fail "frames: rx = redirected + passed" "off by $sum"
exit 0
