#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_safety.sh: what keeps xdplb from cutting a machine off, in a namespace whose default
# route goes through the veth xdplb runs on: the guard refuses --remote drop there (and
# --force overrides it), non-IP frames stay on the local stack, --mode auto, --confirm
# reverting a fresh attach and a reconfiguration by itself (also when the process that
# made the change is killed, and at once on SIGTERM), --confirm-ok keeping the change,
# and a foreign XDP program left untouched.
SUITE=test_safety
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd jq ip ethtool nsenter ping bpftool mkfifo
trap confirm_cleanup EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }
ip -n "$NS_B" route add default via $IP_A dev "$IF_B"

check() { if eval "$2"; then ok "$1"; else fail "$1" "$3"; fi; }
prog_on_b() { xdp_prog_id "$NS_B" "$IF_B"; }
no_instance() { [ -z "$(prog_on_b)" ] && [ ! -e "$XDPLB_PIN_ROOT/$IF_B" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
# Revert processes living in namespace B.
revert_procs() {
	ip netns pids "$NS_B" | xargs -r ps -o pid=,comm= -p 2>/dev/null | awk '$2 == "xdplb-revert" {print $1}'
}
# The pid in "... (revert process PID)".
revert_pid() { sed -n 's/.*(revert process \([0-9]*\))$/\1/p' <<<"$1"; }
# Targets as "cpu:qsize ..." and the hash, from --status.
settings() { status_q '.instances[0] | "\(.hash) \(.seed) \([.targets[] | "\(.cpu):\(.qsize)"] | join(","))"'; }
# The kernel's own cpumap entries, "cpu:qsize,...", read from the pinned map.
cpumap() {
	bpftool map dump pinned "$XDPLB_PIN_ROOT/$IF_B/xdplb_cpus" -j |
		jq -r '.[] | select(.value | type == "array") | "\(.key[0]) \(.value[0]) \(.value[1])"' |
		while read -r k lo hi; do printf '%d:%d\n' "$k" $(( hi * 256 + lo )); done | paste -sd,
}

# --- the guard ---------------------------------------------------------------------------
err=$(xdplb_b --iface "$IF_B" --cpus 0-1 --remote drop 2>&1 >/dev/null); rc=$?
check "guard refuses --remote drop on the default route's interface" \
	'[ $rc = 2 ] && [ "$err" = "xdplb: --remote: drop: refused on $IF_B, which carries the default route via $IP_A: dropping there can cut this machine off; add --force if that is intended" ] && no_instance' \
	"exit $rc: $err"
if xdplb_b --iface "$IF_B" --cpus 0-1; then
	before=$(settings)
	err=$(xdplb_b --iface "$IF_B" --cpus 0-1 --remote drop 2>&1 >/dev/null); rc=$?
	check "guard refuses a reconfiguration to --remote drop" \
		'[ $rc = 2 ] && grep -q "refused on $IF_B" <<<"$err" && [ "$(settings)" = "$before" ] && [ "$(status_q ".instances[0].remote")" = none ]' \
		"exit $rc: $err"
	xdplb_b --detach --iface "$IF_B"
else
	fail "guard refuses a reconfiguration to --remote drop" "attach failed"
fi
xdplb_b --iface "$IF_B" --cpus 0-1 --remote drop --force; rc=$?
check "--force allows it" '[ $rc = 0 ] && [ "$(status_q ".instances[0].remote")" = drop ]' "exit $rc"
# IP dies on the remote CPUs, ARP and IPv6 neighbour discovery do not: the link stays up.
in_a ip neigh flush dev "$IF_A"
in_a ping -c 2 -i 0.2 -W 1 -q $IP_B >/dev/null 2>&1; ping_rc=$?
neigh=$(in_a ip neigh show $IP_B dev "$IF_A")
check "with --remote drop IP is dropped, ARP still answered" \
	'[ $ping_rc != 0 ] && grep -qE "lladdr .* (REACHABLE|STALE|DELAY|PROBE)" <<<"$neigh" && [ "$(status_q ".instances[0].pass.non_ip")" -gt 0 ]' \
	"ping exit $ping_rc, neighbour '$neigh', non_ip $(status_q '.instances[0].pass.non_ip')"
in_a ip -6 neigh flush dev "$IF_A"
in_a ping -6 -c 2 -i 0.2 -W 1 -q $IP6_B >/dev/null 2>&1; ping_rc=$?
neigh=$(in_a ip -6 neigh show $IP6_B dev "$IF_A")
check "with --remote drop ping6 is dropped, neighbour discovery still answered" \
	'[ $ping_rc != 0 ] && grep -qE "lladdr .* (REACHABLE|STALE|DELAY|PROBE)" <<<"$neigh"' \
	"ping6 exit $ping_rc, neighbour '$neigh'"
xdplb_b --detach --iface "$IF_B"
# The SSH connection's interface is guarded even without a default route, and nothing
# else is: the same command passes once neither applies.
ip -n "$NS_B" route del default
err=$(SSH_CONNECTION="$IP_A 50022 $IP_B 22" xdplb_b --iface "$IF_B" --cpus 0 --remote drop 2>&1 >/dev/null); rc=$?
check "guard refuses --remote drop on the SSH connection's interface" \
	'[ $rc = 2 ] && grep -q "which carries the SSH connection from $IP_A" <<<"$err" && no_instance' "exit $rc: $err"
xdplb_b --iface "$IF_B" --cpus 0 --remote drop; rc=$?
check "no guard where neither applies" '[ $rc = 0 ]' "exit $rc"
xdplb_b --detach --iface "$IF_B"
ip -n "$NS_B" -6 route add default via $IP6_A dev "$IF_B"
err=$(xdplb_b --iface "$IF_B" --cpus 0 --remote drop 2>&1 >/dev/null); rc=$?
check "guard sees an IPv6 default route" \
	'[ $rc = 2 ] && grep -q "which carries the default route via $IP6_A" <<<"$err" && no_instance' "exit $rc: $err"
ip -n "$NS_B" -6 route del default
# A default route through a nexthop group object, and one spread over two paths.
if ip -n "$NS_B" nexthop add id 91 via $IP_A dev "$IF_B" 2>/dev/null &&
   ip -n "$NS_B" nexthop add id 92 group 91 && ip -n "$NS_B" route add default nhid 92; then
	err=$(xdplb_b --iface "$IF_B" --cpus 0 --remote drop 2>&1 >/dev/null); rc=$?
	check "guard follows nexthop objects" '[ $rc = 2 ] && grep -q "carries the default route" <<<"$err"' "exit $rc: $err"
	ip -n "$NS_B" route del default
else
	skip "guard follows nexthop objects" "this kernel has no nexthop objects"
fi
ip -n "$NS_B" link add xlt${T_ID}m type veth peer name xlt${T_ID}n
ip -n "$NS_B" link set xlt${T_ID}m up
ip -n "$NS_B" addr add 198.18.1.2/24 dev xlt${T_ID}m
ip -n "$NS_B" route add default nexthop via 198.18.1.1 dev xlt${T_ID}m nexthop via $IP_A dev "$IF_B"
err=$(xdplb_b --iface "$IF_B" --cpus 0 --remote drop 2>&1 >/dev/null); rc=$?
check "guard follows multipath routes" '[ $rc = 2 ] && grep -q "carries the default route" <<<"$err"' "exit $rc: $err"
ip -n "$NS_B" route del default
ip -n "$NS_B" link del xlt${T_ID}m
ip -n "$NS_B" route add default via $IP_A dev "$IF_B"

# --- attach modes ------------------------------------------------------------------------
err=$(xdplb_b --iface "$IF_B" --cpus 0 --mode auto 2>&1); rc=$?
check "--mode auto on a veth gets native" \
	'[ $rc = 0 ] && [ "$err" = "xdplb: $IF_B: --mode auto: attached in native mode" ] && [ "$(status_q ".instances[0].mode")" = native ]' \
	"exit $rc: $err"
xdplb_b --detach --iface "$IF_B"
# An ifb has no native XDP: auto falls back to skb and says so.
IFB=xlt${T_ID}i
if ip -n "$NS_B" link add "$IFB" type ifb 2>/dev/null; then
	ip -n "$NS_B" link set "$IFB" up
	err=$(xdplb_b --iface "$IFB" --cpus 0 --mode auto 2>&1); rc=$?
	mode=$(xdplb_b --status --json --iface "$IFB" | jq -r '.instances[0].mode')
	kernel_mode=$(ip -n "$NS_B" -d link show dev "$IFB" | grep -o 'xdpgeneric')
	check "--mode auto without native XDP falls back to skb" \
		'[ $rc = 0 ] && grep -q "native mode failed (.*): attached in skb mode" <<<"$err" && [ "$mode" = skb ] && [ "$kernel_mode" = xdpgeneric ]' \
		"exit $rc: $err; status mode $mode; ip: $kernel_mode"
	xdplb_b --detach --iface "$IFB"
	ip -n "$NS_B" link del "$IFB"
else
	skip "--mode auto without native XDP falls back to skb" "this kernel cannot create an ifb"
fi

# --- --confirm ----------------------------------------------------------------------------
# A fresh attach that nobody confirms: the interface ends with no program and no pins.
err=$(xdplb_b --iface "$IF_B" --cpus 0-1 --confirm 2 2>&1); rc=$?
pid=$(revert_pid "$err")
REVERT_PIDS+=("$pid")
check "--confirm: attached, and says how to keep it" \
	'[ $rc = 0 ] && [ -n "$pid" ] && [ -n "$(prog_on_b)" ] && grep -q "reverts in 2 s unless confirmed: xdplb --confirm-ok --iface $IF_B" <<<"$err"' \
	"exit $rc: $err"
# Double-forked after setsid: another session than ours (a hangup of the operator's
# session misses it), and not a session leader (it can never get a terminal again).
sid=$(ps -o sid= -p "$pid" | tr -d ' ')
check "the revert process has a session of its own" \
	'[ -n "$sid" ] && [ "$sid" != "$(ps -o sid= -p $$ | tr -d " ")" ] && [ "$sid" != "$pid" ]' \
	"pid $pid sid '$sid', ours $(ps -o sid= -p $$)"
err=$(xdplb_b --iface "$IF_B" --cpus 0 2>&1 >/dev/null); rc=$?
check "no second change while one waits for confirmation" \
	'[ $rc = 1 ] && grep -q "waiting for confirmation" <<<"$err"' "exit $rc: $err"
check "--status shows the pending revert" 'xdplb_b --status | grep -q "unconfirmed: reverts in .* (revert process $pid)"' \
	"$(xdplb_b --status | tail -1)"
wait_for 15 no_instance && wait_for 5 gone "$pid"
check "unconfirmed attach reverted: no program, no pins" 'no_instance && gone "$pid" && [ ! -e "$XDPLB_PIN_ROOT" ]' \
	"prog '$(prog_on_b)', pins: $(ls -A "$XDPLB_PIN_ROOT" 2>&1)"
in_a ping -c 2 -i 0.2 -W 1 -q $IP_B >/dev/null 2>&1 &&
	ok "traffic flows after the revert" || fail "traffic flows after the revert" "no ping reply"

# A reconfiguration that nobody confirms: the previous CPUs, queue sizes, hash and seed
# come back, in the pinned settings and in the kernel's cpumap, on the same program.
if xdplb_b --iface "$IF_B" --cpus 0 --qsize 100 --hash l3 --seed 0x5eed; then
	prog=$(prog_on_b)
	before=$(settings)
	err=$(xdplb_b --iface "$IF_B" --cpus 0-1 --qsize 300 --hash sym --confirm 2 2>&1); rc=$?
	pid=$(revert_pid "$err")
	REVERT_PIDS+=("$pid")
	check "--confirm reconfiguration applied" \
		'[ $rc = 0 ] && [ "$(settings)" = "sym 0x5eed 0:300,1:300" ] && [ "$(cpumap)" = "0:300,1:300" ]' \
		"exit $rc: $err; $(settings); cpumap $(cpumap)"
	wait_for 15 gone "$pid"
	check "unconfirmed reconfiguration reverted to the previous settings" \
		'[ "$(settings)" = "$before" ] && [ "$before" = "l3 0x5eed 0:100" ] && [ "$(cpumap)" = "0:100" ] && [ "$(prog_on_b)" = "$prog" ]' \
		"now '$(settings)', cpumap $(cpumap), prog $(prog_on_b); before '$before', prog $prog"

	# Confirmed in time: the change stays past its deadline.
	err=$(xdplb_b --iface "$IF_B" --cpus 1 --confirm 2 2>&1)
	pid=$(revert_pid "$err")
	REVERT_PIDS+=("$pid")
	out=$(xdplb_b --confirm-ok --iface "$IF_B"); rc=$?
	check "--confirm-ok takes the confirmation" '[ $rc = 0 ] && [ "$out" = "$IF_B: confirmed: the change stays" ] && wait_for 5 gone "$pid"' \
		"exit $rc: $out"
	# Nothing is left to happen: wait out the deadline to see that nothing does.
	sleep 3
	check "a confirmed change stays" '[ "$(settings)" = "l3 0x5eed 1:100" ] && [ "$(cpumap)" = "1:100" ]' \
		"now '$(settings)', cpumap $(cpumap)"
	err=$(xdplb_b --confirm-ok --iface "$IF_B" 2>&1 >/dev/null); rc=$?
	check "--confirm-ok with nothing pending" '[ $rc = 1 ] && grep -q "no change is waiting for confirmation" <<<"$err"' \
		"exit $rc: $err"
	xdplb_b --detach --iface "$IF_B"
else
	fail "--confirm reconfiguration" "attach failed"
fi

# The process that made the change is killed after making it: the revert does not depend
# on it. Its stderr is a pipe already full, so it blocks on its last line, alive, after
# the change is made; then it gets SIGKILL.
mkfifo "$FIFO"
exec 3<>"$FIFO"
head -c 65536 /dev/zero >&3
nsenter --net=/run/netns/"$NS_B" "$XDPLB" --iface "$IF_B" --cpus 0-1 --confirm 2 2>"$FIFO" &
applier=$!
made() { [ -n "$(prog_on_b)" ] && [ -e "$XDPLB_PIN_ROOT/$IF_B" ]; }
if wait_for 10 made && kill -KILL "$applier" 2>/dev/null; then
	wait "$applier" 2>/dev/null
	REVERT_PIDS+=($(revert_procs))
	check "applier killed after the change, change still in place" 'made' "prog '$(prog_on_b)'"
	wait_for 15 no_instance
	check "revert happens although the applier was killed" 'no_instance' \
		"prog '$(prog_on_b)', pins: $(ls -A "$XDPLB_PIN_ROOT" 2>&1)"
else
	fail "applier killed after the change" "the change never appeared, or the applier had exited"
fi
# Killed in the middle of the change: with --mode auto the applier reports its mode on
# stderr right after the program is attached and before anything is pinned; blocked on
# that line, it dies leaving an attached program with no pins, and never told the revert
# process that the change was made.
nsenter --net=/run/netns/"$NS_B" "$XDPLB" --iface "$IF_B" --cpus 0-1 --mode auto --confirm 2 2>"$FIFO" &
applier=$!
half_made() { [ -n "$(prog_on_b)" ]; }
if wait_for 10 half_made && sleep 0.2 && [ ! -e "$XDPLB_PIN_ROOT/$IF_B" ] && kill -KILL "$applier" 2>/dev/null; then
	wait "$applier" 2>/dev/null
	REVERT_PIDS+=($(revert_procs))
	wait_for 15 no_instance
	check "applier killed mid-change: the unpinned program is found and detached" 'no_instance' \
		"prog '$(prog_on_b)', pins: $(ls -A "$XDPLB_PIN_ROOT" 2>&1)"
else
	fail "applier killed mid-change" "no program appeared, pins appeared, or the applier had exited"
fi
exec 3<&-
rm -f "$FIFO"

# SIGTERM to the revert process (an operator's kill, a shutdown) restores at once.
err=$(xdplb_b --iface "$IF_B" --cpus 0 --confirm 600 2>&1)
pid=$(revert_pid "$err")
REVERT_PIDS+=("$pid")
if [ -n "$pid" ] && [ -n "$(prog_on_b)" ]; then
	kill -TERM "$pid"
	wait_for 10 no_instance && wait_for 5 gone "$pid"
	check "SIGTERM to the revert process reverts at once" 'no_instance && gone "$pid"' "prog '$(prog_on_b)'"
else
	fail "SIGTERM to the revert process reverts at once" "no change made: $err"
fi

# --detach while a change waits: nothing is left to revert, and the next change may come.
err=$(xdplb_b --iface "$IF_B" --cpus 0 --confirm 600 2>&1)
pid=$(revert_pid "$err")
REVERT_PIDS+=("$pid")
xdplb_b --detach --iface "$IF_B"
wait_for 5 gone "$pid"
check "--detach dismisses a pending revert" 'gone "$pid" && xdplb_b --iface "$IF_B" --cpus 0' "revert process $pid still there"
xdplb_b --detach --iface "$IF_B"

# --- a foreign program --------------------------------------------------------------------
ip -n "$NS_B" link set dev "$IF_B" xdp obj "$ROOT/build/tests/foreign_pass.bpf.o" sec xdp
foreign=$(prog_on_b)
err=$(xdplb_b --iface "$IF_B" --cpus 0 2>&1 >/dev/null); rc=$?
check "foreign program explained: what it is and the options" \
	'[ $rc = 1 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -q "runs another XDP program, '"'"'foreign_pass'"'"' (id $foreign, native mode).*which xdplb leaves alone: remove it if nothing needs it (ip link set dev $IF_B xdp off)" <<<"$err" && grep -qE "dispatcher, which this kernel cannot run|run priority 100" <<<"$err"' \
	"exit $rc: $err"
err=$(xdplb_b --iface "$IF_B" --cpus 0 --confirm 2 2>&1 >/dev/null); rc=$?
check "foreign program: --confirm refused too, no revert process left" \
	'[ $rc = 1 ] && [ -z "$(revert_procs)" ]' "exit $rc: $err; revert processes: $(revert_procs)"
err=$(xdplb_b --detach --iface "$IF_B" 2>&1); rc=$?
check "foreign program untouched by attach and detach" \
	'[ "$(prog_on_b)" = "$foreign" ] && [ $rc = 1 ] && [ ! -e "$XDPLB_PIN_ROOT/$IF_B" ]' \
	"prog now '$(prog_on_b)', was $foreign; detach exit $rc: $err"
ip -n "$NS_B" link set dev "$IF_B" xdp off
exit 0
