#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_watch.sh: xdplb --watch against real traffic on a veth pair between two
# namespaces: JSON lines whose rates add up and are taken over the measured interval; a
# tiny cpumap queue under a UDP flood whose queue-full drops match a count the kernel keeps
# without xdplb; the terminal view's columns, units, highlight and notes; redirect errors
# (skb mode) and XDP exceptions firing for this instance only; instances that vanish or
# appear while watched; SIGTERM and SIGINT ending with exit 0.
SUITE=test_watch
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd jq ip ethtool nsenter iperf3 ping script
TMP=$(mktemp -d)
BG=()
cleanup() {
	local p
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null; done
	topo_down
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }
NCPUS=$(nproc)
[ "$NCPUS" -ge 2 ] || { skip "$SUITE" "needs 2 CPUs, this machine has $NCPUS"; exit 0; }
PORT=$(( 5201 + RANDOM % 1000 ))

# xdplb --watch in namespace B, in the background, output to $1; sets WPID.
watch_bg() {
	local out=$1
	shift
	nsenter --net=/run/netns/"$NS_B" "$XDPLB" --watch "$@" >"$out" 2>"$out.err" &
	WPID=$!
	BG+=("$WPID")
}
lines_at_least() { [ "$(wc -l <"$1")" -ge "$2" ]; }
# Whether some line of $2 passes the jq filter $1. Not jq -e: jq 1.6 judges only the last
# line, and the line being written may be half there.
some_line() { jq -c "$1" "$2" 2>/dev/null | grep -q .; }
gone() { ! kill -0 "$1" 2>/dev/null; }
iperf_server() {
	in_b iperf3 -s -1 -p $PORT >/dev/null 2>&1 &
	BG+=($!)
	wait_for 5 bash -c "ip netns exec $NS_B ss -ltnu | grep -q :$PORT"
}
rx_above() { [ "$(status_q '.instances[0].rx.packets')" -gt "$1" ]; }

if ! xdplb_b --iface "$IF_B" --cpus 0-1; then
	fail "attach" "xdplb exited $?"
	exit 1
fi

# --- JSON lines under 16 TCP streams -------------------------------------------------
iperf_server
in_a timeout 40 iperf3 -c $IP_B -p $PORT -P 16 -t 14 >/dev/null 2>&1 &
iperf_pid=$!
BG+=("$iperf_pid")
wait_for 10 rx_above 5000 || fail "traffic starts" "no frames after 10 s"
xdplb_b --watch --json --interval 1 --count 3 >"$TMP/json" 2>"$TMP/json.err"
rc=$?
n=$(wc -l <"$TMP/json")
if [ $rc = 0 ] && [ "$n" = 3 ] && jq -e . "$TMP/json" >/dev/null 2>&1 &&
   [ "$(jq -s 'length' "$TMP/json")" = 3 ]; then
	ok "--json --count 3 prints 3 JSON lines"
else
	fail "--json --count 3 prints 3 JSON lines" "exit $rc, $n lines: $(head -c 300 "$TMP/json") $(cat "$TMP/json.err")"
fi
bad=$(jq -r 'select((.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$") | not)
	or (.interval_s | type) != "number" or .interval_s <= 0 or (.instances | length) != 1
	or .instances[0].ifname != "'"$IF_B"'") | .time' "$TMP/json")
first=$(head -1 "$TMP/json" | jq -r .time)
if [ -z "$bad" ] && date -d "$first" >/dev/null 2>&1; then
	ok "each line has an RFC 3339 time, interval_s and the instance"
else
	fail "each line has an RFC 3339 time, interval_s and the instance" "bad lines: $bad (first time '$first')"
fi
# Every frame xdplb sees is redirected (or passed, about never here), so the targets' rates
# must add up to the receive rate; both are read within microseconds of each other.
sums=$(jq -c '.instances[0] | [.rx.pps, ([.targets[].pps] | add)]' "$TMP/json" | tr '\n' ' ')
if jq -e -s 'all(.[].instances[0]; .rx.pps > 1000 and
	((([.targets[].pps] | add) - .rx.pps) | fabs) <= 0.05 * .rx.pps)' "$TMP/json" >/dev/null; then
	ok "per-target pps add up to rx pps within 5%"
else
	fail "per-target pps add up to rx pps within 5%" "[rx pps, sum of targets] per line: $sums"
fi
if jq -e -s 'all(.[].instances[0]; all(.targets[]; .pps > 0) and
	(.targets | map(.cpu) | sort) == [0, 1])' "$TMP/json" >/dev/null; then
	ok "both CPUs carry traffic in every interval"
else
	fail "both CPUs carry traffic in every interval" \
		"$(jq -c '[.instances[0].targets[] | {cpu, pps}]' "$TMP/json" | tr '\n' ' ')"
fi
# Every counter carries its rate: packets -> pps, bytes -> bps, rx_packets -> rx_pps,
# rx_bytes -> rx_bps, enqueue_drops -> drops_ps, anything else X -> X_ps.
missing=$(head -1 "$TMP/json" | jq -c '
	def rate($k): {"packets": "pps", "bytes": "bps", "rx_packets": "rx_pps",
		"rx_bytes": "rx_bps", "enqueue_drops": "drops_ps"}[$k] // ($k + "_ps");
	def not_counter($k): $k | IN("ifindex", "prog_id", "table_size", "netns_ino", "hash_version", "cpu",
		"qsize", "weight", "share", "pps", "bps", "rx_pps", "rx_bps", "drops_ps")
		or test("_ps$");
	[.instances[0] | .. | objects | . as $o | to_entries[]
	 | select((.value | type) == "number" and (not_counter(.key) | not)) | .key as $k
	 | select($o | has(rate($k)) | not) | $k]')
[ "$missing" = "[]" ] && ok "every counter has its rate beside it" ||
	fail "every counter has its rate beside it" "no rate for: $missing"

# Rates are deltas over the measured time: the watcher is stopped for 1.2 s inside a
# 0.5 s interval, so that interval measures at least 1.2 s, and its rates must be the
# counters' deltas over it (a rate over the nominal 0.5 s would be 2.4 times too high).
watch_bg "$TMP/stop" --json --interval 0.5 --count 3
wait_for 10 lines_at_least "$TMP/stop" 1
kill -STOP "$WPID"
sleep 1.2
kill -CONT "$WPID"
wait "$WPID"
check=$(jq -s -c '[range(1; length) as $i | .[$i] as $l | .[$i - 1] as $p
	| {interval_s: $l.interval_s,
	   delta_over_rate: (($l.instances[0].rx.packets - $p.instances[0].rx.packets) / $l.instances[0].rx.pps)}]
	| max_by(.interval_s)' "$TMP/stop")
if jq -e '.interval_s >= 1.2 and ((.delta_over_rate - .interval_s) | fabs) <= 0.05 * .interval_s' \
	<<<"$check" >/dev/null 2>&1; then
	ok "rates are over the measured interval"
else
	fail "rates are over the measured interval" "longest interval: $check"
fi
# The cpumap kthreads report what they took off the queues (xdp_cpumap_kthread).
jq -e -s 'all(.[].instances[0].targets[]; .kthread_processed_ps > 0)' "$TMP/json" >/dev/null &&
	ok "xdp_cpumap_kthread fires: every CPU's kthread processes frames" ||
	fail "xdp_cpumap_kthread fires: every CPU's kthread processes frames" \
		"$(jq -c '[.instances[0].targets[] | {cpu, kthread_processed_ps}]' "$TMP/json" | tr '\n' ' ')"

# A live reconfiguration under watch: rates pair each target with its own previous
# count, never with whatever target held its position before. A target new in an
# interval has no rate yet; a target that stays keeps a true one. Its own load, long
# enough that a slow machine cannot run out of traffic before the last line: a staying
# target with no frames would look like a wrong rate.
wait "$iperf_pid"
iperf_server
in_a timeout 40 iperf3 -c $IP_B -p $PORT -P 16 -t 15 >/dev/null 2>&1 &
iperf_pid=$!
BG+=("$iperf_pid")
rx_now=$(status_q '.instances[0].rx.packets')
wait_for 10 rx_above $((rx_now + 5000)) || fail "traffic starts again" "no frames after 10 s"
watch_bg "$TMP/reconf.json" --json --interval 0.5 --count 12
wait_for 10 lines_at_least "$TMP/reconf.json" 2
xdplb_b --iface "$IF_B" --cpus 1
n_one() { [ "$(jq -c 'select([.instances[0].targets[].cpu] == [1])' "$TMP/reconf.json" 2>/dev/null |
	wc -l)" -ge 3 ]; }
wait_for 10 n_one
xdplb_b --iface "$IF_B" --cpus 0-1
wait "$WPID"
bad=$(jq -s -c '[range(1; length) as $i | .[$i].instances[0] as $l | .[$i - 1].instances[0] as $p
	| ($p.targets | map(.cpu)) as $was | ($l.targets | map(.cpu)) as $now
	| if $was == $now then
		select($l.rx.pps > 1000 and ((([$l.targets[].pps] | add) - $l.rx.pps) | fabs) > 0.05 * $l.rx.pps)
	  else
		select(any($l.targets[]; (.cpu as $c | $was | index([$c])) == null and .pps != null)
		    or any($l.targets[]; (.cpu as $c | $was | index([$c])) != null and
			(.pps <= 0 or .pps > 1.05 * $l.rx.pps)))
	  end | {was: $was, now: $now, rx: $l.rx.pps, t: [$l.targets[] | {cpu, pps}]}]' "$TMP/reconf.json")
seen=$(jq -s -c '[.[].instances[0].targets | map(.cpu)] | unique' "$TMP/reconf.json")
if [ "$bad" = "[]" ] && [ "$seen" = "[[0,1],[1]]" ]; then
	ok "rates stay right across a live reconfiguration"
else
	fail "rates stay right across a live reconfiguration" "target sets $seen; wrong lines: $bad"
fi
wait "$iperf_pid"

# --- a tiny queue under a UDP flood --------------------------------------------------
# The kernel's own count of the frames the cpumap queues refused, without xdplb's
# counters: the veth driver counts every frame the XDP program handed to the cpumap
# (rx_queue_N_xdp_redirect), and the IP layer of namespace B counts every frame a cpumap
# kthread took off a queue and passed on (Ip InReceives + Ip6InReceives: no other IP
# traffic enters B, xdplb passes no IP frame here, and nothing is sent over B's lo). The
# difference is what never got into a queue.
xdp_redirects() {
	in_b ethtool -S "$IF_B" | awk '/rx_queue_[0-9]+_xdp_redirect:/ {s += $2} END {print s + 0}'
}
ip_in() {
	in_b awk '/^Ip: [0-9]/ {v4 = $4} /^Ip6InReceives/ {v6 = $2} END {print v4 + v6}' \
		/proc/net/snmp /proc/net/snmp6
}
link_rx() { ip -n "$NS_B" -s -j link show dev "$IF_B" | jq '.[0].stats64.rx.packets'; }
xdplb_drops() { status_q '[.instances[0].targets[].enqueue_drops] | add'; }
# Frames for the CPU they arrived on, passed to its stack there: in IP InReceives, never
# an XDP redirect.
xdplb_local() { status_q '.instances[0].pass.local'; }
# Waits until nothing moves: two reads 0.3 s apart agree. A queue holding frames would
# move, as its kthread takes them off. (Not "redirected = processed + dropped": on this
# kernel xdp_cpumap_enqueue misses a few flushes under load, see the README.)
settled_read() { echo "$(xdp_redirects) $(link_rx) $(ip_in) $(status_q '.instances[0] |
	[.redirected, ([.targets[] | .kthread_processed + .enqueue_drops] | add)] | join(" ")')"; }
settled() {
	local a b
	a=$(settled_read)
	sleep 0.3
	b=$(settled_read)
	[ "$a" = "$b" ]
}
udp_flood() { in_a timeout 30 iperf3 -c $IP_B -p $PORT -u -b 0 -l 64 -P 4 -t "$1" >/dev/null 2>&1; }

xdplb_b --iface "$IF_B" --cpus 0-1 --qsize 8 || fail "reconfigure to --qsize 8" "exit $?"
wait_for 10 settled
k_red0=$(xdp_redirects) k_ip0=$(ip_in) x_drops0=$(xdplb_drops) x_local0=$(xdplb_local)
iperf_server
watch_bg "$TMP/flood.json" --json --interval 1 --count 4
json_pid=$WPID
watch_bg "$TMP/flood.txt" --interval 1 --count 3
text_pid=$WPID
# The same view on a terminal (script gives it a pty), where a dropping queue is red.
script -qec "nsenter --net=/run/netns/$NS_B $XDPLB --watch --interval 1 --count 3" /dev/null \
	>"$TMP/flood.tty" 2>&1 &
tty_pid=$!
BG+=("$tty_pid")
udp_flood 5
wait "$json_pid" "$text_pid" "$tty_pid"
wait_for 10 settled || fail "queues drain after the flood" "$(settled_read)"
k_drops=$(( $(xdp_redirects) - k_red0 - ($(ip_in) - k_ip0 - ($(xdplb_local) - x_local0)) ))
x_drops=$(( $(xdplb_drops) - x_drops0 ))
if jq -e -s 'any(.[].instances[0].targets[]; .drops_ps > 0)' "$TMP/flood.json" >/dev/null; then
	ok "--qsize 8 under a UDP flood: --watch shows enqueue drops/s"
else
	fail "--qsize 8 under a UDP flood: --watch shows enqueue drops/s" \
		"$(jq -c '[.instances[0].targets[] | {cpu, pps, drops_ps}]' "$TMP/flood.json" | tr '\n' ' ')"
fi
if [ "$x_drops" -gt 0 ] && [ $(( x_drops - k_drops )) -le $(( 16 + k_drops / 500 )) ] &&
   [ $(( k_drops - x_drops )) -le $(( 16 + k_drops / 500 )) ]; then
	ok "enqueue drops match the kernel's count ($x_drops vs $k_drops)"
else
	fail "enqueue drops match the kernel's count" "xdplb $x_drops, kernel (xdp_redirect - IP InReceives) $k_drops"
fi

# --- the terminal view, captured ------------------------------------------------------
txt=$TMP/flood.txt
long=$(awk 'length > 100 {print length ": " $0}' "$txt")
[ -s "$txt" ] && [ -z "$long" ] && ok "terminal view fits 100 columns" ||
	fail "terminal view fits 100 columns" "${long:-no output}"
hdr_rx=$(grep -m1 -E '^  receiving +packets/s +bits/s +redirected/s +passed/s$' "$txt")
hdr_tg=$(grep -m1 -E '^  target +weight +qsize +packets/s +share +drops/s +kthread/s +k\.drops/s +sched/s$' "$txt")
if [ -n "$hdr_rx" ] && [ -n "$hdr_tg" ] && grep -q '^  passed/s  *non_ip ' "$txt" &&
   grep -q '^  kernel/s  *redirect_errors .* exceptions ' "$txt"; then
	ok "terminal view has its column headers"
else
	fail "terminal view has its column headers" "$(head -12 "$txt")"
fi
# Cells are fixed-width: each row is as long as its header, so numbers line up under it.
rows_tg=$(grep -E '^  cpu [01] +1 +8 ' "$txt")
if [ "$(wc -l <<<"$rows_tg")" -ge 4 ] &&
   awk -v w=${#hdr_tg} 'length != w {bad = 1} END {exit bad}' <<<"$rows_tg" &&
   grep -qE '^  cpu [01] +1 +8 +[0-9.]+[KM] +[0-9.]+% ' <<<"$rows_tg"; then
	ok "target rows align under the header, rates with K/M units"
else
	fail "target rows align under the header, rates with K/M units" "header ${#hdr_tg} wide; rows: $rows_tg"
fi
if grep -qE '^  ! cpu [01]: queue full, [0-9.]+[KM]? frames/s dropped .*qsize 8 looks too small$' "$txt"; then
	ok "terminal view says the qsize looks too small"
else
	fail "terminal view says the qsize looks too small" "$(grep '!' "$txt" | head -3)"
fi
! grep -q $'\e' "$txt" && ok "no escape codes when stdout is not a terminal" ||
	fail "no escape codes when stdout is not a terminal" "found ESC in the captured view"
grep -qE $'\e\\[1;31m +[0-9.]+[KM]?\e\\[0m' "$TMP/flood.tty" &&
	ok "a dropping queue is highlighted on a terminal" ||
	fail "a dropping queue is highlighted on a terminal" "$(grep -m2 'cpu [01] ' "$TMP/flood.tty" | cat -v)"

# One TCP stream is one flow: it lands on one CPU, which the view must say in words.
xdplb_b --iface "$IF_B" --cpus 0-1 --qsize 2048
iperf_server
in_a timeout 30 iperf3 -c $IP_B -p $PORT -P 1 -t 4 >/dev/null 2>&1 &
iperf_pid=$!
BG+=("$iperf_pid")
wait_for 10 rx_above "$(( $(status_q '.instances[0].rx.packets') + 2000 ))"
xdplb_b --watch --interval 1 --count 2 >"$TMP/skew.txt"
wait "$iperf_pid"
grep -qE '^  ! cpu [01] carries (9[0-9]|100)\.[0-9]% of the frames \(its weight asks for 50\.0%\)$' "$TMP/skew.txt" &&
	ok "terminal view says when one CPU carries most of the load" ||
	fail "terminal view says when one CPU carries most of the load" "$(grep -A12 interval "$TMP/skew.txt" | head -14)"

# --- xdp_redirect_err: in skb mode a full cpumap queue refuses the frame ---------------
# Generic XDP hands the cpumap an skb, which the queue takes or refuses on the spot: the
# kernel fires xdp_cpumap_enqueue with one drop and xdp_redirect_err for each refusal, so
# the two counts must be equal. The kernel's own count again: every frame that reached B
# (its link counters) minus those that reached B's IP layer.
xdplb_b --detach --iface "$IF_B"
xdplb_b --iface "$IF_B" --cpus 0-1 --qsize 8 --mode skb || fail "attach in skb mode" "exit $?"
wait_for 10 settled
k_rx0=$(link_rx) k_ip0=$(ip_in)
iperf_server
udp_flood 3
wait_for 10 settled || fail "queues drain after the skb-mode flood" "$(settled_read)"
xdplb_b --watch --json --interval 0.5 --count 1 >"$TMP/skb.json"
rerr=$(jq '.instances[0].redirect_errors' "$TMP/skb.json")
edrops=$(jq '[.instances[0].targets[].enqueue_drops] | add' "$TMP/skb.json")
k_drops=$(( $(link_rx) - k_rx0 - ($(ip_in) - k_ip0) ))
if [ "${rerr:-0}" -gt 0 ] && [ "$rerr" = "$edrops" ] &&
   [ $(( rerr - k_drops )) -le $(( 16 + k_drops / 500 )) ] &&
   [ $(( k_drops - rerr )) -le $(( 16 + k_drops / 500 )) ]; then
	ok "skb mode: queue-full redirect errors counted, match the kernel's ($rerr vs $k_drops)"
else
	fail "skb mode: queue-full redirect errors counted, match the kernel's" \
		"redirect_errors $rerr, enqueue_drops $edrops, kernel $k_drops"
fi
xdplb_b --detach --iface "$IF_B"

# --- xdp_exception: counted for the instance's own interface only ----------------------
# xdplb never aborts, so an aborting program stands in: first on the peer (A's side, another
# device in another namespace: not ours), then in place of xdplb on B.
xdplb_b --iface "$IF_B" --cpus 0-1 || fail "re-attach" "exit $?"
exc() { status_q '.instances[] | select(.ifname == "'"$IF_B"'") | .exceptions'; }
ip -n "$NS_A" link set dev "$IF_A" xdpdrv obj "$ROOT/build/tests/abort_xdp.bpf.o" sec xdp
in_a ping -c 3 -i 0.2 -W 1 -q $IP_B >/dev/null 2>&1 && fail "abort on the peer" "ping answered"
ip -n "$NS_A" link set dev "$IF_A" xdpdrv off
[ "$(exc)" = 0 ] && ok "exceptions on another interface are not counted" ||
	fail "exceptions on another interface are not counted" "exceptions $(exc)"
watch_bg "$TMP/stale.json" --json --interval 0.3
wait_for 10 lines_at_least "$TMP/stale.json" 1
ip -force -n "$NS_B" link set dev "$IF_B" xdpdrv obj "$ROOT/build/tests/abort_xdp.bpf.o" sec xdp
in_a ping -c 5 -i 0.2 -W 1 -q $IP_B >/dev/null 2>&1
[ "$(exc)" -ge 5 ] && ok "xdp_exception fires and is counted on the instance's interface" ||
	fail "xdp_exception fires and is counted on the instance's interface" "exceptions $(exc) after 5 aborted pings"
wait_for 10 some_line 'select(.vanished[] | .ifname == "'"$IF_B"'" and .reason == "stale")' \
	"$TMP/stale.json" && ! gone "$WPID" &&
	ok "--watch reports an instance whose program was replaced as stale, and goes on" ||
	fail "--watch reports an instance whose program was replaced as stale, and goes on" \
		"$(jq -c '[[.instances[].ifname], .vanished]' "$TMP/stale.json" | uniq -c | tr '\n' ' ')"
kill -TERM "$WPID"
wait "$WPID"
rc=$?
[ $rc = 0 ] && jq -e . "$TMP/stale.json" >/dev/null 2>&1 && ok "SIGTERM ends --watch --json with exit 0, whole lines" ||
	fail "SIGTERM ends --watch --json with exit 0, whole lines" "exit $rc; $(tail -c 200 "$TMP/stale.json")"
ip -n "$NS_B" link set dev "$IF_B" xdpdrv off
xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1

# --- instances that vanish and appear while watched ------------------------------------
xdplb_b --iface "$IF_B" --cpus 0-1 || fail "re-attach" "exit $?"
NS_C=xlt${T_ID}c
EXTRA_NS+=("$NS_C")
ip netns add "$NS_C" && ip link add "$IF_B"x netns "$NS_C" type veth peer name "$IF_B"y netns "$NS_C"
ip -n "$NS_C" link set "$IF_B"x up && ip -n "$NS_C" link set "$IF_B"y up
nsenter --net=/run/netns/"$NS_C" "$XDPLB" --iface "$IF_B"x --cpus 0 || fail "attach in a third namespace" "exit $?"
watch_bg "$TMP/life.json" --json --interval 0.3
has_line() { some_line "$1" "$TMP/life.json"; }
wait_for 10 has_line 'select([.instances[].ifname] | index("'"$IF_B"'") and index("'"$IF_B"'x"))'
xdplb_b --detach --iface "$IF_B"
ip netns del "$NS_C"
wait_for 10 has_line 'select(.vanished[] | .ifname == "'"$IF_B"'" and .reason == "detached")' &&
	ok "--watch reports a detached instance" ||
	fail "--watch reports a detached instance" "$(tail -3 "$TMP/life.json")"
wait_for 10 has_line 'select(.vanished[] | .ifname == "'"$IF_B"'x" and .reason == "stale")' &&
	ok "--watch reports an instance whose namespace was deleted" ||
	fail "--watch reports an instance whose namespace was deleted" "$(tail -3 "$TMP/life.json")"
xdplb_b --iface "$IF_B" --cpus 1
wait_for 10 has_line 'select(.appeared | index("'"$IF_B"'"))' &&
	wait_for 10 has_line 'select(.instances[] | .ifname == "'"$IF_B"'" and .rx.pps != null)' &&
	! gone "$WPID" && ok "--watch picks up a new instance and shows its rates" ||
	fail "--watch picks up a new instance and shows its rates" "$(tail -3 "$TMP/life.json")"
kill -INT "$WPID"
wait "$WPID"
rc=$?
[ $rc = 0 ] && ok "SIGINT ends --watch with exit 0" || fail "SIGINT ends --watch with exit 0" "exit $rc"

# --- edges ---------------------------------------------------------------------------
watch_bg "$TMP/term.txt" --interval 0.2
wait_for 10 grep -q 'interval' "$TMP/term.txt"
kill -TERM "$WPID"
wait_for 5 gone "$WPID"
wait "$WPID"
rc=$?
[ $rc = 0 ] && ok "SIGTERM ends the terminal view with exit 0" || fail "SIGTERM ends the terminal view with exit 0" "exit $rc"
out=$(XDPLB_PIN_ROOT=$XDPLB_PIN_ROOT-none xdplb_b --watch --json --interval 0.2 --count 2)
rc=$?
[ $rc = 0 ] && [ "$(jq -s -c 'map(.instances)' <<<"$out")" = "[[],[]]" ] &&
	ok "no instance: empty lines, exit 0" || fail "no instance: empty lines, exit 0" "exit $rc: $out"
out=$(xdplb_b --watch --iface nosuch0 --interval 0.2 --count 1)
rc=$?
[ $rc = 0 ] && grep -q 'no running xdplb instance on nosuch0; waiting' <<<"$out" &&
	ok "--iface without an instance waits, exit 0" || fail "--iface without an instance waits, exit 0" "exit $rc: $out"
err=$(xdplb_b --status --count 2 2>&1 >/dev/null)
rc=$?
[ $rc = 2 ] && grep -q '^xdplb: --count: conflicts: it goes with --watch only$' <<<"$err" &&
	ok "--count without --watch is a usage error" || fail "--count without --watch is a usage error" "exit $rc: $err"
xdplb_b --detach --iface "$IF_B"
exit 0
