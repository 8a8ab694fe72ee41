# SPDX-License-Identifier: GPL-2.0
# lib.sh: what bench/run.sh and bench/profile.sh share, sourced by both: settings, the
# generator / receiver / sink namespaces, the kernel's counters, the cases (how to set each
# up and what counts its delivered frames), and one measured run of the load.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
. "$ROOT/tests/lib.sh"

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
	RUNS=${RUNS:-1}; DURATION_S=${DURATION_S:-1}; QSIZES=${QSIZES:-2048}
	COST_REPEAT=200000; COST_RUNS=1; COST_ROUNDS=1
else
	RUNS=${RUNS:-3}; DURATION_S=${DURATION_S:-4}; QSIZES=${QSIZES:-64 512 2048 8192}
	# A cost run is decision_cost with 3 rounds, about 6 s.
	COST_REPEAT=2000000; COST_RUNS=3; COST_ROUNDS=3
fi
OUT=${BENCH_OUT:-$ROOT/bench/results}
BIN=$ROOT/build/bench
FLOWS=1024
# Every frame is addressed to an address nobody has, with forwarding off: the stack takes it
# through GRO, IP receive and a FIB lookup and drops it, counted in Ip InReceives. A local
# address would add an ICMP port-unreachable route lookup per frame (rate limiting comes
# after the lookup since Linux 6.12) and measure that instead.
DST_IP=198.18.0.3

B_ID=$(printf '%05x' $(( ($$ * 131 + RANDOM) % 0xfffff )))
NS_G=xlb${B_ID}g; NS_R=xlb${B_ID}r; NS_S=xlb${B_ID}s
IF_G=${NS_G}0; IF_R=${NS_R}0; IF_P1=${NS_R}1; IF_P2=${NS_R}2; IF_S1=${NS_S}1; IF_S2=${NS_S}2
export XDPLB_PIN_ROOT=/sys/fs/bpf/xdplb-bench-$B_ID
BG_PID=
WORK=
STATE=none

say() { printf '%s\n' "$*" >&2; }
in_r() { nsenter --net=/run/netns/"$NS_R" "$@"; }
xdplb_r() { in_r "$XDPLB" "$@"; }

teardown() {
	stop_bg
	[ -n "${BAL_PID:-}" ] && kill -TERM "$BAL_PID" 2>/dev/null
	[ -d "$XDPLB_PIN_ROOT/$IF_R" ] && xdplb_r --detach --iface "$IF_R" >/dev/null 2>&1
	local ns
	for ns in "$NS_G" "$NS_R" "$NS_S"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$XDPLB_PIN_ROOT" "$WORK"
}

# ---- preconditions ------------------------------------------------------------------------

bench_check() {
	local c b

	[ "$(id -u)" = 0 ] || { say "bench: needs root (namespaces, XDP)"; return 1; }
	for c in ip ethtool nsenter jq taskset awk; do
		command -v $c >/dev/null || { say "bench: $c is not installed"; return 1; }
	done
	for b in "$XDPLB" "$BIN/live_frames"; do
		[ -x "$b" ] || { say "bench: $b is missing: run make first"; return 1; }
	done
	NCPUS=$(nproc)
	[ "$NCPUS" -ge 2 ] || { say "bench: needs 2 CPUs, this machine has $NCPUS"; return 1; }
	# The generator and the receiving veth's NAPI share GEN_CPU (veth polls where the frames
	# were sent). With 3+ CPUs the targets leave it alone; with 2, the 2-CPU cases include it.
	GEN_CPU=0
	if [ "$NCPUS" -ge 3 ]; then
		CPUS_1=1; CPUS_2=1-2; MASK_1=2; MASK_2=6
	else
		CPUS_1=1; CPUS_2=0-1; MASK_1=2; MASK_2=3
	fi
}

# Teardown on every exit path from here on; the scratch directory lives until then.
bench_init() {
	trap teardown EXIT
	trap 'exit 130' INT TERM
	WORK=$(mktemp -d /tmp/xlb-bench.XXXXXX)
	RAW=$WORK/raw.tsv
	META=$WORK/cases.tsv
	: >"$RAW"; : >"$META"
	XB=${XDP_BENCH:-$(command -v xdp-bench || true)}
}

# xdp-bench's redirect-cpu BPF object, for decision_cost: XDP_BENCH_OBJ, else the one an
# xdp-bench build leaves beside its binary; empty when there is none.
xb_object() {
	local o=${XDP_BENCH_OBJ:-}
	[ -z "$o" ] && [ -n "${XB:-}" ] && o=$(dirname "$XB")/xdp_redirect_cpumap.bpf.o
	[ -n "$o" ] && [ -f "$o" ] && echo "$o"
	return 0
}

# ---- topology -----------------------------------------------------------------------------

topo_bench_up() {
	ip netns add "$NS_G" && ip netns add "$NS_R" && ip netns add "$NS_S" || return 1
	ip link add "$IF_G" netns "$NS_G" type veth peer name "$IF_R" netns "$NS_R" || return 1
	ip link add "$IF_P1" netns "$NS_R" type veth peer name "$IF_S1" netns "$NS_S" || return 1
	ip link add "$IF_P2" netns "$NS_R" type veth peer name "$IF_S2" netns "$NS_S" || return 1
	ip -n "$NS_G" addr add 198.18.0.1/24 dev "$IF_G"
	ip -n "$NS_R" addr add 198.18.0.2/24 dev "$IF_R"
	in_r sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.all.forwarding=0
	local ns dev
	for ns in "$NS_G" "$NS_R" "$NS_S"; do
		ip -n "$ns" link set lo up
		for dev in $(ip -n "$ns" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
			ip -n "$ns" link set "$dev" up || return 1
		done
	done
	# veth takes XDP frames only into a NAPI context: an XDP program or GRO on the peer.
	in_r ethtool -K "$IF_R" gro on >/dev/null || return 1
	for dev in "$IF_S1" "$IF_S2"; do
		ip -n "$NS_S" link set dev "$dev" xdp obj "$ROOT/build/bench/xdp_drop.bpf.o" sec xdp ||
			return 1
	done
	MAC_R=$(ip -n "$NS_R" -j link show dev "$IF_R" | jq -r '.[0].address')
}

# ---- counters: all read from the kernel ---------------------------------------------------

link_rx() { ip -n "$1" -s -j link show dev "$2" | jq '.[0].stats64.rx.packets'; }
rx_r() { link_rx "$NS_R" "$IF_R"; }
xdp_drops_r() { in_r ethtool -S "$IF_R" | awk '/rx_queue_0_xdp_drops:/ {print $2}'; }
ip_in_r() { in_r awk '/^Ip:/ && $2 ~ /^[0-9]/ {print $4}' /proc/net/snmp; }
sinks_rx() { echo $(( $(link_rx "$NS_S" "$IF_S1") + $(link_rx "$NS_S" "$IF_S2") )); }
# The xdp_cpumap_kthread tracepoint's processed frames for this instance's cpumap.
kthread_r() { xdplb_r --status --json | jq '[.instances[0].targets[].kthread_processed] | add'; }

# Waits until $1 reads the same twice 100 ms apart (queues drained), for up to 3 s.
settle() {
	local a b i
	a=$($1)
	for i in $(seq 30); do
		sleep 0.1
		b=$($1)
		[ "$a" = "$b" ] && break
		a=$b
	done
	echo "$a"
}

# ---- background baselines (xdp-bench) -----------------------------------------------------

# A child that exited stays a zombie until waited for, and kill -0 still finds it.
bg_alive() {
	local st

	[ -n "$BG_PID" ] && st=$(ps -o stat= -p "$BG_PID") && [ "${st:0:1}" != Z ]
}
bg_gone() { ! bg_alive; }
xdp_on_r() { ip -n "$NS_R" -d link show dev "$IF_R" | grep -q 'prog/xdp'; }
no_xdp_on_r() { ! xdp_on_r; }
started_or_gone() { xdp_on_r || bg_gone; }

stop_bg() {
	[ -n "$BG_PID" ] || return 0
	# timeout(1) passes SIGTERM on (a background job ignores SIGINT); xdp-bench detaches and
	# exits on it. Give it 5 s, then kill both by id.
	kill -TERM "$BG_PID" 2>/dev/null
	if ! wait_for 5 bg_gone; then
		pkill -KILL -P "$BG_PID"
		kill -KILL "$BG_PID" 2>/dev/null
	fi
	wait "$BG_PID" 2>/dev/null
	BG_PID=
	wait_for 5 no_xdp_on_r || ip -n "$NS_R" link set dev "$IF_R" xdp off 2>/dev/null
}

# Starts xdp-bench with "$@" in the receiver namespace; returns 0 once its program is on
# IF_R, else prints why it did not start (its own error line) and returns 1.
start_xdp_bench() {
	local log=$WORK/xdp-bench.log line why
	[ -n "$XB" ] && [ -x "$XB" ] || { echo "xdp-bench not found (set XDP_BENCH or PATH)"; return 1; }
	# Not through in_r: a backgrounded function is a subshell, and $! would name it, not xdp-bench.
	nsenter --net=/run/netns/"$NS_R" timeout $(( DURATION_S + 30 )) "$XB" "$@" -i 60 >"$log" 2>&1 &
	BG_PID=$!
	if wait_for 10 started_or_gone && bg_alive; then
		return 0
	fi
	stop_bg
	# Its last error line says what failed; a missing kernel symbol, if any, says why.
	line=$(grep -E "Couldn't|[Ff]ail|[Ee]rror|[Ii]nvalid|not supported" "$log" | tail -n1)
	why=$(grep -m1 "failed to find kernel" "$log" | sed "s/^ *//")
	[ -n "$why" ] && line="$line ($why)"
	echo "$(basename "$XB") $*: ${line:-$(tail -n1 "$log")}" | sed 's/^ *//; s/  */ /g'
	return 1
}

# ---- cases --------------------------------------------------------------------------------

# meta: id, label, baseline id(s) for the delivered rate (comma list = the best of them).
declare -a CASES=()
declare -A SETUP=() DELIVERED=() SKIP=() LOAD=()
# want_case ID: whether to run it (run.sh: ids FILTER matches, an extended regular
# expression, so a bare id matches every id containing it; profile.sh: named ones).
want_case() { [ -z "${FILTER:-}" ] || [[ "$1" =~ $FILTER ]]; }
# add_case ID LABEL BASE SETUP DELIVERED [LOAD]: LOAD, extra live_frames arguments.
add_case() {
	local id=$1 label=$2 base=$3 setup=$4 delivered=$5
	want_case "$id" || return 0
	CASES+=("$id")
	SETUP[$id]=$setup
	DELIVERED[$id]=$delivered
	LOAD[$id]=${6:-}
	printf '%s\t%s\t%s\n' "$id" "$label" "$base" >>"$META"
}

# Moves from the current state to $1 (none drop rps xdp-bench xdplb xdplb-dev), undoing the old.
enter() {
	[ "$STATE" = "$1" ] && return 0
	case $STATE in
	drop) ip -n "$NS_R" link set dev "$IF_R" xdp off ;;
	rps) rps_mask 0 ;;
	xdp-bench) stop_bg ;;
	xdplb|xdplb-dev) xdplb_r --detach --iface "$IF_R" >/dev/null ;;
	xdplb-mb) xdplb_r --detach --iface "$IF_R" >/dev/null; mtu_r 1500 ;;
	xdplb-bal) leave_xdplb_balance ;;
	esac
	STATE=$1
}

set_floor() {
	enter drop
	ip -n "$NS_R" link set dev "$IF_R" xdp obj "$ROOT/build/bench/xdp_drop.bpf.o" sec xdp
}
set_stack() { enter none; }
# veth picks its rx queue by the sending CPU, so every queue gets the mask. ip netns exec, not
# nsenter: sysfs shows the interfaces of the namespace it was mounted in.
rps_mask() {
	ip netns exec "$NS_R" sh -c "for q in /sys/class/net/$IF_R/queues/rx-*; do echo $1 > \$q/rps_cpus; done"
}
set_rps() { enter rps; rps_mask "$1"; }
set_xb() { enter xdp-bench; stop_bg; start_xdp_bench "$@"; }
set_xdplb() {
	enter xdplb
	xdplb_r --iface "$IF_R" "$@" 2>&1 >/dev/null | head -n1
	return "${PIPESTATUS[0]}"
}
# Both ends of the load's veth at MTU $1: above 3498 xdplb loads its multi-buffer programs.
mtu_r() { ip -n "$NS_R" link set dev "$IF_R" mtu "$1" && ip -n "$NS_G" link set dev "$IF_G" mtu "$1"; }
set_xdplb_mb() {
	enter xdplb-mb
	mtu_r 9000 || return 1
	xdplb_r --iface "$IF_R" "$@" 2>&1 >/dev/null | head -n1
	return "${PIPESTATUS[0]}"
}
set_redirect() {
	"$XDPLB" --help 2>&1 | grep -q -- '--redirect' || { echo "xdplb has no --redirect"; return 1; }
	enter xdplb-dev
	xdplb_r --redirect "$IF_R:$1" 2>&1 >/dev/null | head -n1
	return "${PIPESTATUS[0]}"
}

cpu_list() { [ "$1" = 1 ] && echo "$CPUS_1" || echo "$CPUS_2"; }
rps_list() { [ "$1" = 1 ] && echo "$MASK_1" || echo "$MASK_2"; }
xb_cpus() { local c; for c in $(seq -s ' ' ${1/-/ }); do printf -- '-c %s ' "$c"; done; }

# The order is the order of a round: each xdplb case runs right after its baselines, and the
# qsize the targets compare (2048) first, so that a pair is measured seconds apart.
define_cases() {
	local n cpus word remote q qs base what delivered

	add_case floor "XDP_DROP on the receiving veth (floor)" - "set_floor" xdp_drops_r
	add_case stack "stack, no XDP, receiving CPU only" floor "set_stack" ip_in_r
	qs="$(printf '%s\n' $QSIZES | grep -x 2048) $(printf '%s\n' $QSIZES | grep -vx 2048)"
	for n in 1 2; do
		cpus=$(cpu_list $n); word=CPUs; [ $n = 1 ] && word=CPU
		add_case rps$n "RPS to $n $word ($cpus)" stack "set_rps $(rps_list $n)" ip_in_r
		add_case xbc$n "xdp-bench redirect-cpu -p l4-dport, $n $word" rps$n \
			"set_xb redirect-cpu $(xb_cpus "$cpus")-p l4-dport -q 2048 $IF_R" ip_in_r
		base=rps$n,xbc$n
		if [ $n = 2 ]; then
			add_case xbs2 "xdp-bench redirect-cpu -p l4-sport, 2 CPUs" rps2 \
				"set_xb redirect-cpu $(xb_cpus "$cpus")-p l4-sport -q 2048 $IF_R" ip_in_r
			base=$base,xbs2
		fi
		for remote in none drop; do
			what=stack; delivered=ip_in_r
			[ $remote = drop ] && { base=floor; what="remote drop"; delivered=kthread_r; }
			for q in $qs; do
				add_case "c${n}_${remote}_q$q" "xdplb cpumap $n $word ($cpus), $what, qsize $q" \
					"$base" "set_xdplb --cpus $cpus --qsize $q --remote $remote" $delivered
				# The cost of the multi-buffer programs on the same 64-byte load.
				[ "$n$remote$q" = 2none2048 ] &&
					add_case c2_none_q2048_mb "xdplb cpumap 2 CPUs ($cpus), stack, qsize 2048, MTU 9000 (multi-buffer)" \
						"c2_none_q2048" "set_xdplb_mb --cpus $cpus --qsize 2048 --remote none" $delivered
			done
		done
	done
	# The same two CPUs under a load whose destination ports vary too (flow i: sport and
	# dport + i), so that -p l4-dport spreads it as xdplb does: the like-for-like pair.
	cpus=$(cpu_list 2)
	add_case xbc2p "xdp-bench redirect-cpu -p l4-dport, 2 CPUs, ports vary" - \
		"set_xb redirect-cpu $(xb_cpus "$cpus")-p l4-dport -q 2048 $IF_R" ip_in_r "--vary ports"
	add_case c2p_none_q2048 "xdplb cpumap 2 CPUs ($cpus), stack, qsize 2048, ports vary" xbc2p \
		"set_xdplb --cpus $cpus --qsize 2048 --remote none" ip_in_r "--vary ports"
	add_case xbm "xdp-bench redirect-map, 1 port" floor "set_xb redirect-map $IF_R $IF_P1" sinks_rx
	add_case dev1 "xdplb devmap, 1 port" xbm "set_redirect $IF_P1" sinks_rx
	add_case dev2 "xdplb devmap, 2 ports" xbm "set_redirect $IF_P1,$IF_P2" sinks_rx
	define_balance_cases
}
. "$ROOT/bench/balance_cases.sh"

# ---- one run ------------------------------------------------------------------------------

record() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$RAW"; }

per_s() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN {printf "%.0f", (b - a) / t}'; }

# Sends the load once under the current setup and records case $1's rx_pps and
# delivered_pps; leaves them in RX_PPS and DELIVERED_PPS, the frame counts in RX_FRAMES.
measure() {
	local id=$1 run=$2 fn=${DELIVERED[$1]} rx0 d0 rx1 d1 out dur
	local -a load
	read -r -a load <<<"${LOAD[$1]:-}"
	rx0=$(rx_r); d0=$($fn)
	out=$(ip netns exec "$NS_G" taskset -c $GEN_CPU "$BIN/live_frames" --ifname "$IF_G" \
		--dst-mac "$MAC_R" --dst $DST_IP --flows $FLOWS --duration "$DURATION_S" "${load[@]}" \
		--json 2>/dev/null)
	dur=$(jq -r '.duration_s // empty' <<<"$out" 2>/dev/null)
	if [ -z "$dur" ]; then
		record "$id" skip "$run" "live_frames failed"
		say "  $id: live_frames failed"
		return 1
	fi
	d1=$(settle "$fn"); rx1=$(rx_r)
	RX_FRAMES=$((rx1 - rx0))
	RX_PPS=$(per_s "$rx0" "$rx1" "$dur"); DELIVERED_PPS=$(per_s "$d0" "$d1" "$dur")
	record "$id" rx_pps "$run" "$RX_PPS"
	record "$id" delivered_pps "$run" "$DELIVERED_PPS"
	say "$(printf '  %-16s run %d/%d: rx %s, delivered %s pps' "$id" "$run" "$RUNS" "$RX_PPS" \
		"$DELIVERED_PPS")"
}
