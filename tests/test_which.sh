#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_which.sh: `xdplb --which` against the data path. Real UDP (IPv4, IPv6), TCP and ICMP
# flows with known ports go from namespace A through the instance on B's interface, one
# flow at a time; the per-target counters must move on the CPU --which named, and only
# there. Then the same after a live change of hash mode, table size and weights, and
# --which's bad inputs.
SUITE=test_which
. "$(dirname "$0")/lib.sh"
netns_suite jq ip ethtool nsenter python3
TCP_PORT=$(( 6201 + RANDOM % 1000 ))

# Packets counted per CPU target 0 and 1 of the instance on B, as "N0 N1".
counts() {
	xdplb_b --status --json | jq -r --arg ifn "$IF_B" '.instances[] | select(.ifname == $ifn) |
		[(.targets[] | select(.cpu == 0) | .packets) // 0,
		 (.targets[] | select(.cpu == 1) | .packets) // 0] | join(" ")'
}

# send_udp SRC SPORT DST DPORT N: N datagrams of one flow from namespace A.
send_udp() {
	in_a python3 - "$@" <<'EOF'
import socket, sys
src, sport, dst, dport, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
fam = socket.AF_INET6 if ":" in src else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((src, sport))
for _ in range(n):
    s.sendto(b"x" * 64, (dst, dport))
EOF
}

# send_tcp SRC SPORT DST DPORT N: one connection from a fixed source port, N small
# segments (no Nagle, a pause between), then close.
send_tcp() {
	in_a python3 - "$@" <<'EOF'
import socket, sys, time
src, sport, dst, dport, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.bind((src, sport))
s.connect((dst, dport))
for _ in range(n):
    s.sendall(b"y" * 100)
    time.sleep(0.005)
s.close()
EOF
}

# check_flows NAME N_MIN WHICH_PROTO SEND_FN SRC DST DPORT SPORT...: for each source port,
# asks --which, sends the flow and waits until the named CPU counted at least N_MIN more;
# the other CPU may count a few strays meanwhile (IPv6 neighbour discovery, MLD and router
# solicitations of a namespace just made: 3 were seen), at most N_MIN / 4, far below the
# N_MIN + 5 frames a wrong prediction would put there.
check_flows() {
	local name=$1 n_min=$2 proto=$3 send=$4 src=$5 dst=$6 dport=$7 bad="" seen="" sp
	shift 7
	for sp in "$@"; do
		local s_a=$src d_a=$dst s_ep d_ep pred cpu other b0 b1 a0 a1
		[[ "$src" == *:* ]] && s_a="[$src]" && d_a="[$dst]"
		case $proto in
		icmp*) s_ep=$s_a:$sp d_ep=$d_a ;;	# an echo's identifier
		esp) s_ep=$s_a d_ep=$d_a:$sp ;;		# the SPI the destination chose
		*) s_ep=$s_a:$sp d_ep=$d_a:$dport ;;
		esac
		[ "$sp" = - ] && s_ep=$s_a			# an ICMP message that is no echo
		pred=$(xdplb_b --which --iface "$IF_B" "$proto" "$s_ep" "$d_ep")
		cpu=${pred#cpu }
		[[ "$cpu" =~ ^[01]$ ]] || { bad="$bad $sp:'$pred'"; continue; }
		other=$(( 1 - cpu ))
		read -r b0 b1 < <(counts)
		local before=($b0 $b1)
		"$send" "$src" "$sp" "$dst" "$dport" $(( n_min + 5 ))
		arrived() { read -r a0 a1 < <(counts); local now=($a0 $a1); [ $(( now[cpu] - before[cpu] )) -ge "$n_min" ]; }
		if ! wait_for 5 arrived; then
			bad="$bad $sp:$pred-got-$((a0 - b0))/$((a1 - b1))"
			continue
		fi
		local after=($a0 $a1)
		[ $(( after[other] - before[other] )) -le $(( n_min / 4 )) ] ||
			bad="$bad $sp:$pred-also-cpu$other+$(( after[other] - before[other] ))"
		seen="$seen $cpu"
	done
	if [ -n "$bad" ]; then
		fail "$name" "flows (sport:prediction) not where --which said:$bad"
	elif [ "$(tr ' ' '\n' <<<"$seen" | sort -u | grep -c .)" -lt 2 ] && [ $# -gt 1 ]; then
		fail "$name" "every flow on one CPU ($seen): the test proves nothing"
	else
		ok "$name"
	fi
}

# send_raw PROTO SRC NUM DST _ N: N raw IP packets from namespace A. icmp/icmpv6: echo
# requests with identifier NUM, or with NUM "-" timestamp requests (ICMPv6: an unassigned
# informational type), which carry no identifier; esp: packets of SPI NUM.
send_raw() {
	in_a python3 - "$proto" "$@" <<'EOF'
import socket, struct, sys
proto, src, num, dst, _, n = sys.argv[1:7]
v6 = ":" in src
fam = socket.AF_INET6 if v6 else socket.AF_INET
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
s = socket.socket(fam, socket.SOCK_RAW, 50 if proto == "esp" else 58 if v6 else 1)
s.bind((src, 0))
for i in range(int(n)):
    if proto == "esp":
        pkt = struct.pack("!II", int(num), i + 1) + b"z" * 32
    else:
        kind = (128 if v6 else 8) if num != "-" else (200 if v6 else 13)
        ident = int(num) if num != "-" else 0
        pkt = struct.pack("!BBHHH", kind, 0, 0, ident, i) + b"p" * 32
        if not v6:  # the kernel sums ICMPv6 itself
            pkt = pkt[:2] + struct.pack("!H", csum(pkt)) + pkt[4:]
    s.sendto(pkt, (dst, 0))
EOF
}

# Bad input first: one line, exit 2 (form) or 1 (no instance), nothing running changes.
expect_which() {
	local name=$1 code=$2 pattern=$3 err rc
	shift 3
	err=$(xdplb_b --which "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = "$code" ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && grep -qE -- "$pattern" <<<"$err"; then
		ok "$name"
	else
		fail "$name" "exit $rc (expected $code), stderr: $err"
	fi
}
expect_which "which: no instance" 1 "^xdplb: --which: $IF_B: no xdplb instance on it" \
	--iface "$IF_B" tcp $IP_A:1 $IP_B:2

xdplb_b --iface "$IF_B" --cpus 0-1 || { fail "$SUITE" "attach failed"; exit 1; }
# A TCP sink in B; a subshell so that its end at teardown is not reported as a job.
(in_b python3 - "$IP_B" "$TCP_PORT" <<'EOF' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(64)
while True:
    c, _ = s.accept()
    while c.recv(65536):
        pass
    c.close()
EOF
) 2>/dev/null
wait_for 5 bash -c "ip netns exec $NS_B ss -ltn | grep -q :$TCP_PORT"

expect_which "which: unknown protocol" 2 "^xdplb: --which: tcpx: a protocol: tcp, udp" \
	--iface "$IF_B" tcpx $IP_A:1 $IP_B:2
expect_which "which: port missing" 2 "^xdplb: --which: $IP_A: TCP, UDP and SCTP need a port" \
	--iface "$IF_B" tcp $IP_A $IP_B:2
expect_which "which: port out of range" 2 "^xdplb: --which: 65536: an integer 0..65535" \
	--iface "$IF_B" udp $IP_A:65536 $IP_B:2
expect_which "which: port for gre" 2 "^xdplb: --which: $IP_A:7: this protocol has no ports" \
	--iface "$IF_B" 47 $IP_A:7 $IP_B
expect_which "which: two echo identifiers" 2 "^xdplb: --which: $IP_B:8: an echo has one identifier" \
	--iface "$IF_B" icmp $IP_A:7 $IP_B:8
expect_which "which: esp without spi" 2 "^xdplb: --which: $IP_B: ESP: give the SPI after the destination" \
	--iface "$IF_B" esp $IP_A $IP_B
expect_which "which: bad address" 2 "^xdplb: --which: 198.18.0.300:1: an IPv4 address" \
	--iface "$IF_B" udp 198.18.0.300:1 $IP_B:2
expect_which "which: unbracketed IPv6 with port" 2 "^xdplb: --which: fd00::1: TCP, UDP and SCTP need a port" \
	--iface "$IF_B" udp fd00::1 "[fd00::2]:2"
expect_which "which: families mixed" 2 "^xdplb: --which: \[fd00::2\]:2: the source is IPv4" \
	--iface "$IF_B" udp $IP_A:1 "[fd00::2]:2"
expect_which "which: too few words" 2 "^xdplb: --which: too few arguments: give PROTO SRC DST" \
	--iface "$IF_B" udp $IP_A:1
expect_which "which: no --iface" 2 "^xdplb: --which: missing --iface" udp $IP_A:1 $IP_B:2
expect_which "which: with --cpus" 2 "^xdplb: --which: conflicts: with --cpus" \
	--iface "$IF_B" --cpus 0 udp $IP_A:1 $IP_B:2

# 16 flows: with a working hash, all of them on one of two CPUs once in 2^15 runs.
check_flows "which: udp flows land where it says" 40 udp send_udp $IP_A $IP_B 9 $(seq 41001 41016)
check_flows "which: udp over IPv6 lands where it says" 40 udp send_udp $IP6_A $IP6_B 9 $(seq 42001 42012)
check_flows "which: tcp connections land where it says" 20 tcp send_tcp $IP_A $IP_B $TCP_PORT $(seq 43001 43010)
check_flows "which: icmp echo lands where it says" 20 icmp send_raw $IP_A $IP_B 0 $(seq 7001 7012)
check_flows "which: icmpv6 echo lands where it says" 20 icmpv6 send_raw $IP6_A $IP6_B 0 $(seq 7101 7112)
check_flows "which: icmp without identifier lands where it says" 20 icmp send_raw $IP_A $IP_B 0 -
check_flows "which: esp lands where it says" 20 esp send_raw $IP_A $IP_B 0 $(seq 100001 100012)

# A live change of hash mode, table size, weights and seed: --which reads the new half.
if xdplb_b --iface "$IF_B" --cpus 0:2,1:3 --hash l4 --table-size 256 --seed 0x77; then
	check_flows "which: follows a live change of hash, table and weights" 40 udp send_udp \
		$IP_A $IP_B 9 $(seq 44001 44024)
else
	fail "which: follows a live change of hash, table and weights" "reconfiguration failed"
fi
# Settings to try decide as the instance that runs them, also for frames --which builds
# (a later fragment, an ICMP error, a tunnel), and the words change the answer where the
# data path does: a later fragment goes by its addresses alone.
try_same=0 try_diff="" frag_moved=0
for sp in $(seq 45001 45016); do
	for how in "" frag icmp-error "vlan:5 vlan:6" "gre:198.18.9.1,198.18.9.2"; do
		live=$(xdplb_b --which --iface "$IF_B" udp $IP_A:$sp $IP_B:53 $how)
		tried=$(xdplb_b --which --cpus 0:2,1:3 --hash l4 --table-size 256 --seed 0x77 udp $IP_A:$sp $IP_B:53 $how)
		if [ -n "$live" ] && [ "$live" = "$tried" ]; then try_same=$((try_same + 1)); else try_diff="$try_diff $sp/$how:$live/$tried"; fi
	done
	[ "$(xdplb_b --which --iface "$IF_B" udp $IP_A:$sp $IP_B:53 frag)" = "$(xdplb_b --which --iface "$IF_B" udp $IP_A:1 $IP_B:2 frag)" ] &&
		frag_moved=$((frag_moved + 1))
done
[ -z "$try_diff" ] && ok "which --cpus --seed: decides as the live instance ($try_same answers)" ||
	fail "which --cpus --seed: decides as the live instance" "differ:$try_diff"
[ "$frag_moved" = 16 ] && ok "which frag: a later fragment goes by its addresses alone" ||
	fail "which frag: a later fragment goes by its addresses alone" "$frag_moved of 16 flows' fragments together"
expect_which "which: unknown word" 2 "^xdplb: --which: fragg: after PROTO SRC DST: vlan:N, hbh" \
	--iface "$IF_B" udp $IP_A:1 $IP_B:2 fragg
expect_which "which: extension header on IPv4" 2 "^xdplb: --which: hbh: IPv6 extension headers" \
	--iface "$IF_B" udp $IP_A:1 $IP_B:2 hbh
expect_which "which: tunnel without addresses" 2 "^xdplb: --which: gre:198.18.9.1: the outer addresses" \
	--iface "$IF_B" udp $IP_A:1 $IP_B:2 gre:198.18.9.1
expect_which "which: iface and settings" 2 "^xdplb: --which: conflicts: with --cpus" \
	--iface "$IF_B" --seed 1 udp $IP_A:1 $IP_B:2
expect_which "which: settings without seed" 2 "^xdplb: --which: missing --seed" \
	--cpus 0-1 udp $IP_A:1 $IP_B:2

# -v tells the slot and table size the answer came from.
dbg=$(xdplb_b --which -v --iface "$IF_B" udp $IP_A:1 $IP_B:2 2>&1 >/dev/null)
grep -qE "^xdplb: debug: hash 0x[0-9a-f]{16}, slot [0-9]+ of 256 in half [01]$" <<<"$dbg" &&
	ok "which -v names the slot" || fail "which -v names the slot" "$dbg"
xdplb_b --detach --iface "$IF_B"
exit 0
