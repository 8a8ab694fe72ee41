#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_balance.sh: --balance on real traffic. Four numbered UDP flows, a seed that puts at
# least three on one CPU; the balancer must even the shares out while a receiver counts no
# sequence inversion in any flow. Then: a second balancer refused, a reconfiguration that
# wins and is re-based on, fail-static on SIGTERM and SIGKILL (the table and the traffic
# stay), and bad option values refused with nothing changed.
SUITE=test_balance
. "$(dirname "$0")/lib.sh"
netns_suite jq ip nsenter gcc bpftool taskset renice
SEQ=$T_TMP/udp_seq
gcc -O2 -o "$SEQ" "$ROOT/tests/tools/udp_seq.c" || { fail "$SUITE" "cannot build udp_seq"; exit 1; }
PORT=$(( 7301 + RANDOM % 500 ))
SPORT=$(( 20000 + RANDOM % 20000 ))
BAL_PID=

machine_state() { ls "$XDPLB_PIN_ROOT" 2>/dev/null; xdp_prog_id "$NS_B" "$IF_B"; digest; }
digest() { xdplb_b --status --iface "$IF_B" --config-out 2>/dev/null | grep -o 'digest 0x[0-9a-f]*'; }
bal_q() { status_q ".instances[] | select(.ifname == \"$IF_B\") | .balance.$1"; }
# Frames per CPU so far, as "cpu:packets ...".
per_cpu() { status_q ".instances[] | select(.ifname == \"$IF_B\") | [.targets[] | \"\(.cpu):\(.packets)\"] | join(\" \")"; }
bal_running() { [ "$(bal_q running)" = true ]; }
bal_rebased() { [ "$(bal_q rebases)" -ge 1 ]; }
stop_bal() { [ -n "$BAL_PID" ] && kill -"$1" "$BAL_PID" 2>/dev/null; wait "$BAL_PID" 2>/dev/null; BAL_PID=; }
HOG=
# Two busy loops on CPU $2 for at most $1 seconds: a CPU whose own work leaves its cpumap
# kthread little time (what pressure mode must see).
hog_start() {
	local i
	for i in 1 2; do
		timeout "$1" taskset -c "$2" sh -c 'while :; do :; done' &
		HOG="$HOG $!"
	done
}
hog_stop() { [ -n "$HOG" ] && kill -TERM $HOG 2>/dev/null; wait $HOG 2>/dev/null; HOG=; }
# The cpumap kthread of CPU $1 of this instance (comm cpumap/CPU/map:ID), to renice: behind
# the busy loops it then gets a sliver of its CPU, as behind a host's own heavy work. Only
# ours: other instances' kthreads carry other map ids.
kthread_of() {
	local id
	id=$(bpftool -j map show pinned "$XDPLB_PIN_ROOT/$IF_B/xdplb_cpus" | jq -r .id)
	pgrep -x "cpumap/$1/map:$id"
}
trap 'hog_stop; stop_bal TERM; topo_down; rm -rf "$T_TMP"' EXIT INT TERM

# The CPU each flow's source port goes to under the running instance.
flow_cpus() {
	local i
	for i in 0 1 2 3; do
		xdplb_b --which --iface "$IF_B" udp $IP_A:$(( SPORT + i )) $IP_B:$PORT | awk '{print $2}'
	done
}

# A seed that puts 3 or 4 of the 4 flows on one CPU (62% of seeds do).
SEED=
for s in 1 2 3 4 5 6 7 8 9 a b c d e f 10 11 12 13 14; do
	xdplb_b --iface "$IF_B" --cpus 0,1 --seed $s || break
	top=$(flow_cpus | sort | uniq -c | sort -rn | awk 'NR == 1 {print $1}')
	if [ "${top:-0}" -ge 3 ]; then SEED=$s; break; fi
done
xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1
[ -n "$SEED" ] || { fail seed "no seed of 20 puts 3 of 4 flows on one CPU"; exit 1; }
echo "# seed $SEED puts $top of 4 flows on one CPU"

# Bad values: refused, one line, nothing made.
expect bad_interval 2 "--balance-interval: 50: an integer 100..60000" -- --iface "$IF_B" --cpus 0,1 --balance --balance-interval 50
expect bad_interval_text 2 "--balance-interval: 1s: an integer" -- --iface "$IF_B" --cpus 0,1 --balance --balance-interval 1s
expect bad_max_moves 2 "--balance-max-moves: 0: an integer 1..1024" -- --iface "$IF_B" --cpus 0,1 --balance --balance-max-moves 0
expect interval_without_balance 2 "--balance-interval: conflicts: it goes with --balance" -- --iface "$IF_B" --cpus 0,1 --balance-interval 500
expect balance_with_status 2 "--status: conflicts: with .*--balance" -- --status --balance
expect balance_with_redirect 2 "--balance: conflicts: it goes with --iface IF --cpus LIST" -- --redirect "$IF_B:nosuch0" --balance
expect balance_with_confirm 2 "--balance: conflicts: with --confirm" -- --iface "$IF_B" --cpus 0,1 --balance --confirm 10

start_bal() {
	nsenter --net=/run/netns/"$NS_B" "$XDPLB" --iface "$IF_B" --cpus 0,1 --seed $SEED --balance \
		--balance-interval 300 -v "$@" 2>>"$T_TMP/bal.err" &
	BAL_PID=$!
	wait_for 5 bal_running
}
# The static phase: an instance that counts per slot, its balancer stopped at once.
start_bal || { fail start "the balancer did not come up: $(cat "$T_TMP/bal.err")"; exit 1; }
stop_bal TERM
STATIC_DIGEST=$(digest)
STATIC_FLOWS=$(flow_cpus | tr '\n' ' ')

# Evenness and order: 4 flows of 3000 datagrams/s in bursts of 15 (5 ms pauses), 12 s;
# 3 s on the static table, then a balancer, measured over the last 6 s.
in_b "$SEQ" recv $PORT 14 >"$T_TMP/recv.out" &
RECV=$!
sleep 0.5
in_a "$SEQ" send $IP_B $SPORT $PORT 4 12 3000 15 &
SEND=$!
sleep 0.5
p0=$(per_cpu)
sleep 2.5
p1=$(per_cpu)
start_bal || { fail start "the balancer did not come up: $(cat "$T_TMP/bal.err")"; exit 1; }
sleep 3
p2=$(per_cpu)
sleep 6
p3=$(per_cpu)
wait $SEND; wait $RECV
# share_of CPU A B: CPU's share of the frames between two per_cpu readings; CPU "max":
# the busiest CPU's.
share_of() {
	awk -v c="$1" -v a="$2" -v b="$3" 'BEGIN { n = split(a, x, " "); split(b, y, " "); t = 0; m = 0
		for (i = 1; i <= n; i++) { split(x[i], p, ":"); split(y[i], q, ":"); d = q[2] - p[2]; t += d
			if (c == "max" ? d > m : p[1] == c) m = d }
		printf "%.3f", t ? m / t : 0 }'
}
pm_even=$(bal_q pressure_moves)
first=$(share_of max "$p0" "$p1")
last=$(share_of max "$p2" "$p3")
moves=$(bal_q moves); deferred=$(bal_q deferred)
read -r _ flows _ received _ inversions < "$T_TMP/recv.out"
echo "# busiest CPU's share: static $first, balanced (last 6 s) $last; moves $moves, deferred $deferred"
echo "# receiver: $flows flows, $received datagrams, $inversions inversions"
if awk -v f="$first" -v l="$last" 'BEGIN { exit !(f >= 0.70 && l <= 0.62) }'; then
	ok evened_out
elif [ "${pm_even:-0}" -gt 0 ]; then
	skip evened_out "a CPU of this host was under pressure (queue delay): $pm_even moves went off it, not toward even shares"
else
	fail evened_out "busiest share $first before, $last after (want >= 0.70, then <= 0.62)"
fi
[ "${moves:-0}" -ge 1 ] && ok moves_counted || fail moves_counted "moves $moves"
if [ "$flows" = 4 ] && [ "$received" -gt 100000 ] && [ "$inversions" = 0 ]; then
	ok no_inversions
else
	fail no_inversions "$(cat "$T_TMP/recv.out")"
fi
# Moves there and back can give back the static table: a flow placed elsewhere than the
# static table puts it must show in the digest.
if [ "$(flow_cpus | tr '\n' ' ')" = "$STATIC_FLOWS" ]; then
	echo "# the flows are back where configuration and seed put them"
	ok digest_follows_table
else
	[ "$(digest)" != "$STATIC_DIGEST" ] && ok digest_follows_table || fail digest_follows_table "flows moved, digest still $STATIC_DIGEST"
fi

# Order while slots move under flows that never pause (an idle gap never comes): four
# steady streams, one of 40000 datagrams/s and three of 4000/s, the heavy one rotating
# every 2 s, so the balancer keeps moving slots off the CPU that carries it. Every move
# must wait until the old CPU ran the slot's last frame (inflight 0); the receiver counts
# inversions per flow.
m0=$(bal_q moves); d0=$(bal_q deferred)
in_b "$SEQ" recv $PORT 11 >"$T_TMP/recv3.out" &
RECV=$!
sleep 0.3
in_a "$SEQ" send $IP_B $SPORT $PORT 4 10 4000 1 40000 2
wait $RECV
read -r _ flows _ received _ inversions < "$T_TMP/recv3.out"
moves=$(( $(bal_q moves) - m0 )); deferred=$(( $(bal_q deferred) - d0 ))
echo "# steady flows: $received datagrams, $inversions inversions; $moves moves ($(bal_q pressure_moves) off pressure since attach), $deferred deferred, gap releases $(bal_q gap_releases)"
grep '^flow' "$T_TMP/recv3.out" | sed 's/^/#   /'
if [ "$flows" = 4 ] && [ "${received:-0}" -gt 300000 ] && [ "$inversions" = 0 ] && [ "$moves" -ge 2 ]; then
	ok steady_moves_no_inversions
else
	fail steady_moves_no_inversions "moves $moves; $(tr '\n' ' ' < "$T_TMP/recv3.out")"
fi

# Pressure, and order while the old CPU's queue holds frames: on the CPU that carries
# the most frames, busy loops and its cpumap kthread reniced to 19 leave that kthread
# little time; the balancer must move load off it. Four steady flows (no pause) come from
# a sender on the other CPU (the receiving CPU), so every move off the pressed CPU is made
# while its queue holds frames of the slot: without the hold they arrive out of order.
# pressure_phase SUFFIX MIN_RECEIVED MAX_AFTER FRACTION MIN_MOVES: the phase above, its
# checks named with SUFFIX; the receiver must count MIN_RECEIVED datagrams, the pressed CPU's
# share must end at MAX_AFTER or below and at most FRACTION of what it was, after MIN_MOVES
# moves or more.
pressure_phase() {
	local pid
	m0=$(bal_q moves); d0=$(bal_q deferred)
	X=$(flow_cpus | sort | uniq -c | sort -rn | awk 'NR == 1 {print $2}'); X=${X:-0}; Y=$(( 1 - X ))
	in_b "$SEQ" recv $PORT 11 >"$T_TMP/recv4.out" &
	RECV=$!
	sleep 0.3
	in_a taskset -c $Y "$SEQ" send $IP_B $SPORT $PORT 4 10 5000 1 &
	SEND=$!
	sleep 1
	p0=$(per_cpu)
	sleep 1
	p1=$(per_cpu)
	# The pressed CPU is the one that carried more in that second (the guess above, from the
	# table, may be off: a hold or a move since); the sender goes to the other one.
	awk -v s="$(share_of 0 "$p0" "$p1")" 'BEGIN { exit !(s >= 0.5) }' && X=0 || X=1
	Y=$(( 1 - X ))
	for pid in $(pgrep -f "$SEQ send $IP_B $SPORT $PORT"); do taskset -p -c $Y "$pid" >/dev/null; done
	hog_start 9 $X
	KT=$(kthread_of $X)
	[ -n "$KT" ] && renice -n 19 -p "$KT" >/dev/null
	sleep 3
	p2=$(per_cpu)
	sleep 4.5
	p3=$(per_cpu)
	hog_stop
	[ -n "$KT" ] && renice -n 0 -p "$KT" >/dev/null
	wait $SEND; wait $RECV
	before=$(share_of $X "$p0" "$p1"); after=$(share_of $X "$p2" "$p3")
	read -r _ flows _ received _ inversions < "$T_TMP/recv4.out"
	moves=$(( $(bal_q moves) - m0 )); deferred=$(( $(bal_q deferred) - d0 ))
	echo "# pressure$1 on CPU $X: its share $before before the busy loops, $after from 3 s into them (4.5 s); $moves moves, $deferred deferred"
	echo "# receiver: $received datagrams, $inversions inversions; gap releases $(bal_q gap_releases)"
	grep '^flow' "$T_TMP/recv4.out" | sed 's/^/#   /'
	# The load's move, on a shared machine, may get a second try; order never does: a
	# try with an inversion is the last.
	local moved=0 in_order=0
	[ "$flows" = 4 ] && [ "${received:-0}" -gt "$2" ] && [ "$inversions" = 0 ] && in_order=1
	awk -v b="$before" -v a="$after" -v m="$3" -v f="$4" 'BEGIN { exit !(b >= 0.25 && a <= m && a <= b * f) }' &&
		[ "$moves" -ge "$5" ] && moved=1
	if [ "$6" = first ] && [ $moved = 0 ] && [ $in_order = 1 ]; then
		echo "# pressure$1: CPU $X's share $before then $after, moves $moves (want $5): once more, the machine's other load may have taken the pressed CPU's place"
		return 1
	fi
	if [ $moved = 1 ]; then
		ok "pressure_moves_off_busy_cpu$1"
	else
		fail "pressure_moves_off_busy_cpu$1" "CPU $X's share $before then $after (want >= 0.25, then <= $3 and $4 of it), moves $moves (want $5)"
		grep -E 'pressure|slot' "$T_TMP/bal.err" | tail -20 | sed 's/^/#   /'
	fi
	if [ $in_order = 1 ]; then
		ok "pressure_moves_no_inversions$1"
	else
		fail "pressure_moves_no_inversions$1" "$(tr '\n' ' ' < "$T_TMP/recv4.out")"
	fi
	return 0
}
pressure_phase "" 150000 0.3 0.5 1 first || pressure_phase "" 150000 0.3 0.5 1

# Pressure with queue-full drops: a 16-frame queue drops frames on the pressed CPU, marked
# ones of held slots too, which never run, so a hold's in-flight count stays above 0 for
# good. A hold must end all the same (the last frame sent ran on the old CPU: every one
# before it ran or was dropped) and load must leave, in order.
stop_bal TERM
start_bal --qsize 16 || fail start "the balancer did not come up: $(tail -n1 "$T_TMP/bal.err")"
drops0=$(status_q "[.instances[] | select(.ifname == \"$IF_B\") | .targets[].enqueue_drops] | add")
# Both 16-frame queues drop (the receiving CPU's too, in bursts): the share falls less far.
# Holds that never end (inflight kept up by dropped marked frames) give 3 moves or fewer
# and a share that stays or grows.
pressure_phase _queue_drops 50000 0.45 0.9 4 first || pressure_phase _queue_drops 50000 0.45 0.9 4
drops=$(( $(status_q "[.instances[] | select(.ifname == \"$IF_B\") | .targets[].enqueue_drops] | add") - drops0 ))
echo "# queue-full drops during it: $drops"
[ "$drops" -gt 0 ] && ok queue_drops_seen || fail queue_drops_seen "no queue-full drop at qsize 16: the phase proved nothing"
stop_bal TERM
start_bal || fail start "the balancer did not come up: $(tail -n1 "$T_TMP/bal.err")"

# A second balancer: refused, nothing changed.
expect second_balancer 1 "--balance: $IF_B: a balancer runs already \(pid $BAL_PID\)" -- --iface "$IF_B" --cpus 0,1 --seed $SEED --balance

# A plain reconfiguration wins: the table is config + seed's again; the balancer re-bases.
xdplb_b --iface "$IF_B" --cpus 0,1 --seed $SEED
if [ "$(digest)" = "$STATIC_DIGEST" ] && wait_for 3 bal_rebased &&
   [ "$(bal_q running)" = true ]; then
	ok reconfig_wins_rebased
else
	fail reconfig_wins_rebased "digest $(digest) (static $STATIC_DIGEST), rebases $(bal_q rebases)"
fi

# Fail-static: a table the balancer made stays when it stops, and traffic flows on it.
fail_static() { # NAME SIGNAL
	local d1 d2 got
	in_b "$SEQ" recv $PORT 4 >"$T_TMP/recv2.out" &
	RECV=$!
	sleep 0.3
	in_a "$SEQ" send $IP_B $SPORT $PORT 4 3 3000 15 &
	sleep 1
	stop_bal "$2"
	d1=$(digest)
	sleep 1
	d2=$(digest)
	wait $RECV
	read -r _ _ _ got _ < "$T_TMP/recv2.out"
	if [ "$(bal_q running)" = false ] && [ -n "$d1" ] && [ "$d2" = "$d1" ] &&
	   [ -n "$(xdp_prog_id "$NS_B" "$IF_B")" ] && [ "${got:-0}" -gt 20000 ]; then
		ok "$1"
	else
		fail "$1" "running $(bal_q running), digest $d1 -> $d2, prog $(xdp_prog_id "$NS_B" "$IF_B"), received $got"
	fi
}
fail_static fail_static_sigterm TERM
# A new balancer with the same settings carries on: the table it finds stays.
d_left=$(digest); moves_left=$(bal_q moves)
start_bal || fail restart "$(cat "$T_TMP/bal.err")"
if [ "$(bal_q running)" = true ] && [ "$(digest)" = "$d_left" ] && [ "$(bal_q moves)" -ge "$moves_left" ]; then
	ok new_balancer_picks_up
else
	fail new_balancer_picks_up "running $(bal_q running), digest $d_left -> $(digest), moves $moves_left -> $(bal_q moves)"
fi
fail_static fail_static_sigkill KILL

# What the balancer did is a Prometheus counter too.
pm=$(xdplb_b --status --prometheus | awk -v i="$IF_B" '$1 ~ "^xdplb_balance_moves_total" && $1 ~ i {print $2}')
[ "${pm:-0}" -ge 1 ] && ok prometheus_moves || fail prometheus_moves "xdplb_balance_moves_total '$pm'"

# A configuration file's balance keys are checked like the options.
printf 'iface %s\ncpus 0,1\nbalance\nbalance-interval 50\n' "$IF_B" >"$T_TMP/bad.conf"
expect config_bad_interval 2 "bad.conf:4: balance-interval: 50: an integer 100..60000" -- --config "$T_TMP/bad.conf"

# --watch shows the balancer's state.
start_bal || fail restart "$(tail -n1 "$T_TMP/bal.err")"
if xdplb_b --watch --iface "$IF_B" --interval 0.2 --count 2 2>&1 | grep -q "balance: running (pid $BAL_PID), [0-9]* moves, [0-9]* deferred"; then
	ok watch_balance_line
else
	fail watch_balance_line "$(xdplb_b --watch --iface "$IF_B" --interval 0.2 --count 2 2>&1 | grep balance)"
fi

# Jumbo frames: at MTU 9000 the programs are loaded multi-buffer, the cpumap program that
# ends a hold included; the balancer comes up, and a numbered flow still arrives in order.
stop_bal TERM
xdplb_b --detach --iface "$IF_B" >/dev/null
in_a ip link set dev "$IF_A" mtu 9000; in_b ip link set dev "$IF_B" mtu 9000
if start_bal; then
	in_b "$SEQ" recv $PORT 3 >"$T_TMP/recv5.out" &
	RECV=$!
	sleep 0.3
	in_a "$SEQ" send $IP_B $SPORT $PORT 4 2 3000 1
	wait $RECV
	read -r _ flows _ received _ inversions < "$T_TMP/recv5.out"
	if [ "${received:-0}" -gt 20000 ] && [ "$inversions" = 0 ]; then
		ok jumbo_balance
	else
		fail jumbo_balance "$(head -n1 "$T_TMP/recv5.out")"
	fi
else
	fail jumbo_balance "the balancer did not come up at MTU 9000: $(tail -n1 "$T_TMP/bal.err")"
fi
stop_bal TERM
