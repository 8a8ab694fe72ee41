#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_explain.sh: `xdplb --explain` against the data path. A varied capture (VLAN, QinQ,
# IPv6 extension headers, fragments, ICMP echoes and errors, GRE/VXLAN/IP-in-IP with and
# without --inner, ARP, cut headers, garbage) is explained against the live instance on B,
# then every frame is sent from A into it and must be counted where --explain said. The
# same settings not applied (--cpus --seed, --config) must decide alike. Then bad input,
# memory and progress; last, a forwarder (--redirect): ports by name, where frames leave.
SUITE=test_explain
. "$(dirname "$0")/lib.sh"
netns_suite jq ip nsenter python3
SEED=0x5eed18
CAP=$T_TMP/varied.pcap
python3 "$ROOT/tests/explain_pcap.py" "$CAP" || { fail "$SUITE" "cannot write the capture"; exit 1; }
# No sender's IPv6 chatter in the counters.
in_a sysctl -qw net.ipv6.conf."$IF_A".disable_ipv6=1

# replay NAME: explains $CAP against B's instance, sends every frame, checks each.
replay() {
	local name=$1 out
	xdplb_b --explain "$CAP" --iface "$IF_B" --json > "$T_TMP/$name.json" ||
		{ fail "$name" "--explain failed"; return; }
	# nsenter, not ip netns exec: the status calls need the host's bpffs.
	out=$(nsenter --net=/run/netns/"$NS_A" python3 "$ROOT/tests/explain_replay.py" "$IF_A" "$CAP" "$T_TMP/$name.json" \
		"$IF_B" 6 nsenter --net=/run/netns/"$NS_B" "$XDPLB" 2>&1)
	if [ $? = 0 ]; then ok "$name (${out##*$'\n'})"; else fail "$name" "$out"; fi
}

xdplb_b --iface "$IF_B" --cpus 0-1 --seed $SEED || { fail "$SUITE" "attach failed"; exit 1; }
replay "explain: every frame where --explain said"
xdplb_b --iface "$IF_B" --cpus 0-1 --inner || { fail "$SUITE" "--inner failed"; exit 1; }
replay "explain --inner: every frame where --explain said"
# --inner must have changed some tunnel's decision, or the --inner run proved nothing.
diff_n=$(diff <(jq -c 'select(.frame) | .target' "$T_TMP/explain: every frame where --explain said.json") \
	<(jq -c 'select(.frame) | .target' "$T_TMP/explain --inner: every frame where --explain said.json") | grep -c '^<')
[ "$diff_n" -gt 0 ] && ok "explain: --inner moves tunnelled frames ($diff_n)" ||
	fail "explain: --inner moves tunnelled frames" "no decision changed"

# Settings not applied: the same as the live instance with them.
decisions() { jq -c 'select(.frame) | [.verdict, .reason, .target, .slot]'; }
live=$(decisions < "$T_TMP/explain --inner: every frame where --explain said.json")
tsize=$(status_q '.instances[0].table_size')
offline=$(xdplb_b --explain "$CAP" --cpus 0-1 --seed $SEED --inner --table-size "$tsize" --json | decisions)
[ -n "$live" ] && [ "$live" = "$offline" ] && ok "explain --cpus --seed: decides as the live instance" ||
	fail "explain --cpus --seed: decides as the live instance" "$(diff <(echo "$live") <(echo "$offline") | head -5)"
printf 'iface %s\ncpus 0-1\nseed %s\ninner\ntable-size %s\n' "$IF_B" $SEED "$tsize" > "$T_TMP/c.conf"
offline=$(xdplb_b --explain "$CAP" --config "$T_TMP/c.conf" --json | decisions)
[ "$live" = "$offline" ] && ok "explain --config: decides as the live instance" ||
	fail "explain --config: decides as the live instance" "$(diff <(echo "$live") <(echo "$offline") | head -5)"

# The summary adds up, and shares sit beside the weights.
sum=$(tail -1 "$T_TMP/explain: every frame where --explain said.json")
n=$(jq -c 'select(.frame)' "$T_TMP/explain: every frame where --explain said.json" | wc -l)
jq -e --argjson n "$n" '.summary | .frames == $n and .redirected + .passed == $n and
	([.targets[].frames] | add) == .redirected and ([.pass[]] | add) == .passed and
	.cut == 1 and (.targets | length) == 2 and .targets[0].weight_share == 0.5' <<<"$sum" >/dev/null &&
	ok "explain: JSON summary adds up" || fail "explain: JSON summary adds up" "$sum"
text=$(xdplb_b --explain "$CAP" --iface "$IF_B")
grep -qE '^1  eth udp 198\.18\.0\.2:[0-9]+ > 198\.18\.1\.1:53  redirect cpu [01] slot [0-9]+$' <<<"$text" &&
	grep -q 'pass non_ip' <<<"$text" && grep -q 'cut by the snaplen: 96 of' <<<"$text" &&
	grep -qE '^  cpu 0: [0-9]+ frames, .*% of redirected \(weight 1: 50\.0%\)$' <<<"$text" &&
	ok "explain: text lines and summary" || fail "explain: text lines and summary" "$(head -3 <<<"$text")"
# pcapng reads as pcap does.
python3 "$ROOT/tests/explain_pcap.py" "$T_TMP/varied.pcapng" --pcapng
[ "$(xdplb_b --explain "$T_TMP/varied.pcapng" --iface "$IF_B" --json | decisions)" = "$live" ] &&
	ok "explain: pcapng" || fail "explain: pcapng" "decisions differ from the pcap's"

# A frame longer than a batch holds runs alone, between batches, in its place: frame 6 of
# this capture is frame 1's flow in 5000 bytes; every other frame decides as without it.
python3 "$ROOT/tests/explain_pcap.py" "$T_TMP/jumbo.pcap" --jumbo
plain=$(xdplb_b --explain "$CAP" --cpus 0-1 --seed $SEED --json | decisions)
jumbo=$(xdplb_b --explain "$T_TMP/jumbo.pcap" --cpus 0-1 --seed $SEED --json | jq -c 'select(.frame)')
[ "$(jq -c 'select(.frame != 6) | [.verdict, .reason, .target, .slot]' <<<"$jumbo")" = "$plain" ] &&
	[ "$(jq -c 'select(.frame == 6) | [.verdict, .target, .slot]' <<<"$jumbo")" = \
	  "$(jq -c 'select(.frame == 1) | [.verdict, .target, .slot]' <<<"$jumbo")" ] &&
	[ "$(jq -s 'map(.frame) == [range(1; length + 1)]' <<<"$jumbo")" = true ] &&
	ok "explain: a frame longer than a batch, alone in its place" ||
	fail "explain: a frame longer than a batch, alone in its place" "$(sed -n 5,7p <<<"$jumbo")"

# Bad input: one line, exit 2 (the file or the options) or 1 (the machine).
expect_explain() {
	local name=$1 code=$2 pattern=$3 err rc
	shift 3
	err=$(xdplb_b --explain "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = "$code" ] && grep -qE -- "$pattern" <<<"$err"; then ok "$name"; else
		fail "$name" "exit $rc (expected $code), stderr: $err"; fi
}
: > "$T_TMP/empty.pcap"
head -c 100 /dev/urandom > "$T_TMP/garbage.pcap"
python3 "$ROOT/tests/explain_pcap.py" "$T_TMP/sll.pcap" --linktype 113
python3 "$ROOT/tests/explain_pcap.py" "$T_TMP/runt.pcap" --runt
head -c 2000 "$CAP" > "$T_TMP/cut.pcap"
expect_explain "explain: empty file" 2 "^xdplb: --explain: .*empty.pcap: empty" "$T_TMP/empty.pcap" --iface "$IF_B"
expect_explain "explain: not a capture" 2 "not a pcap or pcapng capture" "$T_TMP/garbage.pcap" --iface "$IF_B"
expect_explain "explain: no such file" 2 "no.such: a readable pcap" "$T_TMP/no.such" --iface "$IF_B"
expect_explain "explain: link type" 2 "link type LINUX_SLL \(113\): only Ethernet" "$T_TMP/sll.pcap" --iface "$IF_B"
expect_explain "explain: truncated file" 1 "then the file ends inside a frame" "$T_TMP/cut.pcap" --iface "$IF_B"
expect_explain "explain: no instance" 1 "no xdplb instance" "$CAP" --iface lo
expect_explain "explain: no seed" 2 "missing --seed" "$CAP" --cpus 0-1
expect_explain "explain: iface and cpus" 2 "conflicts" "$CAP" --iface "$IF_B" --cpus 0
expect_explain "explain: nothing to ask" 2 "missing --iface or --cpus" "$CAP"
expect_explain "explain: stray word" 2 "unexpected argument" "$CAP" --iface "$IF_B" extra
expect_explain "explain: --qsize" 2 "conflicts" "$CAP" --cpus 0 --seed 1 --qsize 4
n=$(xdplb_b --explain "$T_TMP/cut.pcap" --iface "$IF_B" --json 2>/dev/null | tail -1 | jq '.summary.frames')
[ "$n" -gt 0 ] 2>/dev/null && ok "explain: truncated file: the frames before the cut, summed ($n)" ||
	fail "explain: truncated file: the frames before the cut" "summary frames: $n"
tail1=$(xdplb_b --explain "$T_TMP/runt.pcap" --iface "$IF_B" | grep 'runt (8 bytes)  pass malformed')
[ -n "$tail1" ] && ok "explain: a runt is shown malformed" || fail "explain: a runt is shown malformed" "no line"

# Frames cut by the snaplen: said per frame, with what the data path would see.
python3 "$ROOT/tests/explain_pcap.py" "$T_TMP/cuth.pcap" --cut-headers
text=$(xdplb_b --explain "$T_TMP/cuth.pcap" --iface "$IF_B")
grep -qE '^60  .*redirect cpu [01] slot [0-9]+  \(cut by the snaplen: 96 of [0-9]+ bytes; headers all captured: the data path decides the whole frame alike\)$' <<<"$text" &&
	grep -qE '^61  .*pass malformed  \(cut by the snaplen: 30 of [0-9]+ bytes; headers cut: the data path sees the whole frame' <<<"$text" &&
	ok "explain: frames cut by the snaplen say what the data path sees" ||
	fail "explain: frames cut by the snaplen say what the data path sees" "$(grep snaplen <<<"$text")"
json=$(xdplb_b --explain "$T_TMP/cuth.pcap" --iface "$IF_B" --json | jq -c 'select(.frame == 61) | .cut')
jq -e '.caplen == 30 and .len > 30 and (.note | startswith("headers cut"))' <<<"$json" >/dev/null &&
	ok "explain --json: a cut frame's caplen, len and note" || fail "explain --json: a cut frame's caplen, len and note" "$json"

# Constant memory: five times the frames, the same peak (getrusage of the child); and the rate.
python3 "$ROOT/tests/explain_pcap.py" "$T_TMP/n1.pcap" --count 100000
python3 "$ROOT/tests/explain_pcap.py" "$T_TMP/n5.pcap" --count 500000
# usage PCAP: "peak_KiB wall_s cpu_s" of one --explain run.
usage() {
	python3 - "$NS_B" "$XDPLB" "$1" <<'EOF'
import resource, subprocess, sys, time
t = time.time()
subprocess.run(["nsenter", "--net=/run/netns/" + sys.argv[1], sys.argv[2], "--explain", sys.argv[3],
                "--cpus", "0-1", "--seed", "1"], stdout=subprocess.DEVNULL, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r.ru_maxrss, "%.2f" % (time.time() - t), "%.2f" % (r.ru_utime + r.ru_stime))
EOF
}
read -r rss1 wall1 cpu1 < <(usage "$T_TMP/n1.pcap")
read -r rss5 wall5 cpu5 < <(usage "$T_TMP/n5.pcap")
[ -n "$rss1" ] && [ -n "$rss5" ] && [ "$rss5" -le $(( rss1 + 1024 )) ] &&
	ok "explain: constant memory (peak $rss1 KiB for 100k frames, $rss5 KiB for 500k; 500k in $wall5 s, $cpu5 s of CPU)" ||
	fail "explain: constant memory" "peak $rss1 KiB for 100k frames, $rss5 KiB for 500k"

# Progress on a terminal only: stderr a tty (script), then a pipe.
if command -v script >/dev/null; then
	prog=$(script -qec "nsenter --net=/run/netns/$NS_B $XDPLB --explain $T_TMP/n1.pcap --cpus 0-1 --seed 1 >/dev/null" /dev/null |
		tr '\r' '\n' | grep -c '^[0-9]* frames, [0-9]* frames/s')
	quiet=$(xdplb_b --explain "$T_TMP/n1.pcap" --cpus 0-1 --seed 1 2>&1 >/dev/null | wc -c)
	[ "$prog" -ge 1 ] && [ "$quiet" = 0 ] && ok "explain: progress on a terminal only" ||
		fail "explain: progress on a terminal only" "$prog progress lines on a tty, $quiet bytes on a pipe"
else
	skip "explain: progress on a terminal only" "no script(1)"
fi

# A forwarder: against a devmap instance (--redirect) the targets are ports, named, and
# every frame leaves by the port --explain named: the instance's per-port counters (the
# replay) and the ports' own peers (the driver's count) agree with it, and --which names
# the same port for each TCP and UDP flow of the capture.
P1=${IF_B}1; P2=${IF_B}2
ports_up() {
	local p
	for p in "$P1" "$P2"; do
		ip -n "$NS_B" link add "$p" type veth peer name "${p}p" || return 1
		in_b sysctl -qw net.ipv6.conf."$p".disable_ipv6=1 net.ipv6.conf."${p}p".disable_ipv6=1
		ip -n "$NS_B" link set "$p" up && ip -n "$NS_B" link set "${p}p" up || return 1
	done
}
peer_rx() { ip -n "$NS_B" -s -j link show dev "${1}p" | jq '.[0].stats64.rx.packets'; }
# Frames without a flow the first-port rule sent out of port $1 (the instance's count).
unhashed() { status_q ".instances[0].targets[] | select(.ifname == \"$1\") | .unhashed"; }
if ! ports_up; then
	fail "explain --redirect" "cannot add the ports"
elif ! xdplb_b --detach --iface "$IF_B" >/dev/null ||
	! xdplb_b --redirect "$IF_B:$P1,$P2" --seed $SEED >/dev/null 2>&1; then
	fail "explain --redirect" "cannot attach the forwarder"
else
	rx1=$(peer_rx "$P1"); rx2=$(peer_rx "$P2"); un1=$(unhashed "$P1")
	name="explain --redirect: every frame out of the port --explain said"
	replay "$name"
	json="$T_TMP/$name.json"
	jq -e --arg p1 "$P1" --arg p2 "$P2" -s '[.[] | select(.frame) | .target | select(.)] |
		length > 40 and all(.type == "port" and (.ifname == $p1 or .ifname == $p2)) and
		any(.ifname == $p1) and any(.ifname == $p2)' "$json" >/dev/null &&
		ok "explain --redirect: targets are the ports, by name, both used" ||
		fail "explain --redirect: targets are the ports, by name, both used" "$(jq -c 'select(.frame) | .target' "$json" | sort | uniq -c)"
	# Each frame went out K=6 times; a peer counts what its port sent, nothing else.
	want1=$(( $(jq --arg p "$P1" 'select(.frame and .target.ifname == $p)' "$json" | jq -s length) * 6 ))
	want2=$(( $(jq --arg p "$P2" 'select(.frame and .target.ifname == $p)' "$json" | jq -s length) * 6 ))
	got1=$(( $(peer_rx "$P1") - rx1 )); got2=$(( $(peer_rx "$P2") - rx2 ))
	# The first port also carries what arrives without a flow from outside the replay (an
	# ARP of the other side: seen once in a CI run, 169 received, 168 said). Those are the
	# frames the instance sent out of it without a flow beyond the capture's own (slot null).
	stray=$(( $(unhashed "$P1") - un1 -
		$(jq --arg p "$P1" 'select(.frame and .target.ifname == $p and .slot == null)' "$json" | jq -s length) * 6 ))
	[ "$stray" -ge 0 ] && [ "$got1" = $(( want1 + stray )) ] && [ "$got2" = "$want2" ] &&
		ok "explain --redirect: the ports' peers received what --explain said ($got1, $got2)" ||
		fail "explain --redirect: the ports' peers received what --explain said" \
			"$P1: $got1 received, $want1 said, $stray sent without a flow from outside the capture; $P2: $got2 received, $want2 said"
	# --which, through the same engine, on the capture's own TCP and UDP flows.
	bad=0 n=0
	while read -r proto src dst port; do
		n=$((n + 1))
		w=$(xdplb_b --which --iface "$IF_B" "$proto" "$src" "$dst")
		[ "$w" = "port $port" ] || { bad=$((bad + 1)); echo "# which $proto $src $dst: $w, explain: port $port"; }
	done < <(jq -r 'select(.frame and .target and (.packet | test("^eth (tcp|udp) ")))
		| (.packet | split(" ")) as $w | "\($w[1]) \($w[2]) \($w[4]) \(.target.ifname)"' "$json")
	[ "$n" -ge 12 ] && [ "$bad" = 0 ] && ok "explain --redirect: --which names the same port ($n flows)" ||
		fail "explain --redirect: --which names the same port" "$bad of $n differ"
fi
