# SPDX-License-Identifier: GPL-2.0
# lib.sh: shared by the shell suites: result lines, a throwaway two-namespace veth
# topology with unique names, xdplb run inside a namespace as an operator would
# (nsenter keeps the host's bpffs), and teardown on every exit path.

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
XDPLB=${XDPLB:-$ROOT/build/xdplb}
# Unique per run, short enough for 15-character interface names.
T_ID=${T_ID:-$(printf '%x' $(( ($$ * 31 + RANDOM) % 0xfffff )))}
NS_A=xlt${T_ID}a
NS_B=xlt${T_ID}b
IF_A=xlt${T_ID}a
IF_B=xlt${T_ID}b
IP_A=198.18.0.1
IP_B=198.18.0.2
IP6_A=fd00::1
IP6_B=fd00::2
# Each run pins under its own root so parallel runs and a real instance never meet.
export XDPLB_PIN_ROOT=/sys/fs/bpf/xdplb-test-$T_ID
EXTRA_NS=()

ok()   { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; FAILED=1; }
skip() { echo "SKIP $1: $2"; }

need_root() {
	[ "$(id -u)" = 0 ] || { skip "$1" "needs root"; return 1; }
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || { skip "$SUITE" "$c is not installed"; exit 0; }
	done
}

in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }
# xdplb itself runs with nsenter: the network namespace changes, the mount namespace (and
# so the bpffs its pins live in) stays the host's.
xdplb_b() { nsenter --net=/run/netns/"$NS_B" "$XDPLB" "$@"; }

# Waits up to $1 seconds for the command to succeed.
wait_for() {
	local deadline=$(( $(date +%s) + $1 ))
	shift
	until "$@"; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

topo_up() {
	ip netns add "$NS_A" && ip netns add "$NS_B" || return 1
	ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B" || return 1
	in_a ip addr add $IP_A/24 dev "$IF_A"
	in_b ip addr add $IP_B/24 dev "$IF_B"
	in_a ip addr add $IP6_A/64 dev "$IF_A" nodad
	in_b ip addr add $IP6_B/64 dev "$IF_B" nodad
	in_a ip link set lo up
	in_b ip link set lo up
	in_a ip link set "$IF_A" up
	in_b ip link set "$IF_B" up
	# A veth hands partial checksums to its peer; XDP redirect loses that mark and the
	# receiver drops the TCP/UDP. Real NICs deliver full checksums.
	in_a ethtool -K "$IF_A" tx off >/dev/null
	in_b ethtool -K "$IF_B" tx off >/dev/null
	wait_for 5 in_a ping -c 1 -W 1 $IP_B >/dev/null
}

# The XDP program id on IF in NS (empty when none).
xdp_prog_id() {
	ip -n "$1" -d link show dev "$2" 2>/dev/null | grep -o 'prog/xdp id [0-9]*' | awk '{print $3}'
}

topo_down() {
	local ns
	for ns in "$NS_B" "${EXTRA_NS[@]}"; do
		[ -e /run/netns/"$ns" ] || continue
		for dev in $(ip -n "$ns" -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
			[ -d "$XDPLB_PIN_ROOT/$dev" ] && nsenter --net=/run/netns/"$ns" "$XDPLB" --detach --iface "$dev" >/dev/null 2>&1
		done
	done
	for ns in "$NS_A" "$NS_B" "${EXTRA_NS[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$XDPLB_PIN_ROOT"
}

# Suites that test --confirm: the revert processes they saw start, and a FIFO that holds an
# applier's stderr (fd 3 keeps it open). confirm_cleanup ends them all: SIGTERM makes a
# revert process restore the previous state at once.
REVERT_PIDS=()
FIFO=/tmp/xlt-fifo-$T_ID
confirm_cleanup() {
	local pid
	for pid in "${REVERT_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null && wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"
	done
	exec 3<&- 2>/dev/null
	rm -f "$FIFO"
	topo_down
}

# jq over `xdplb --status --json` in namespace B.
status_q() { xdplb_b --status --json | jq -r "$1"; }
# live_half IF JQ: JQ over the active half of IF's instance (struct xdplb_half), read by
# bpftool from the pins, independently of xdplb.
live_half() {
	bpftool -j map lookup pinned "$XDPLB_PIN_ROOT/$1/xdplb_config" key 0 0 0 0 2>/dev/null |
		jq -r ".formatted.value | .half[.active % 2] | $2"
}
# one_target_half IF: the target the live half marks as its only one
# (XDPLB_HASH_F_ONE_TARGET, 0x400: the data path skips hash and table), or "none".
one_target_half() {
	live_half "$1" 'if (.hash_mode / 1024 | floor) % 2 == 1 then .one_target else "none" end'
}

# expect NAME CODE PATTERN -- ARGS...: runs xdplb in namespace B and wants that exit code,
# one stderr line matching PATTERN, and no change in the suite's machine_state.
expect() {
	local name=$1 code=$2 pattern=$3 before after err rc
	shift 4
	before=$(machine_state)
	err=$(xdplb_b "$@" 2>&1 >/dev/null)
	rc=$?
	after=$(machine_state)
	if [ "$rc" != "$code" ]; then
		fail "$name" "exit $rc, expected $code (stderr: $err)"
	elif [ "$(printf '%s\n' "$err" | wc -l)" != 1 ] || ! grep -qE -- "$pattern" <<<"$err"; then
		fail "$name" "stderr is not one line matching '$pattern': $err"
	elif [ "$before" != "$after" ]; then
		fail "$name" "the machine changed: before [$before] after [$after]"
	else
		ok "$name"
	fi
}

# The start of a suite on the two-namespace topology: root and the tools it names, the
# topology and a scratch directory T_TMP (both removed on every exit), and two CPUs to
# spread over. Reports the suite skipped or failed, and exits, when one is missing.
netns_suite() {
	need_root "$SUITE" || exit 0
	need_cmd "$@"
	T_TMP=$(mktemp -d /tmp/xlt-"$T_ID"-XXXXXX)
	trap 'topo_down; rm -rf "$T_TMP"' EXIT INT TERM
	topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }
	NCPUS=$(nproc)
	[ "$NCPUS" -ge 2 ] || { skip "$SUITE" "needs 2 CPUs, this machine has $NCPUS"; exit 0; }
}

xdplb_a() { nsenter --net=/run/netns/"$NS_A" "$XDPLB" "$@"; }

# Canary pins: a map pinned where no xdplb command may reach, and the ids of those given
# ("gone PATH" for one that went), to compare before and after.
make_canary() { bpftool map create "$1" type array key 4 value 4 entries 1 name xlt_canary; }
canary_ids() {
	local p
	for p in "$@"; do
		bpftool map show pinned "$p" 2>/dev/null | head -n 1 | cut -d: -f1 || echo "gone $p"
	done
}

# kill_at SPAN_MS ARGS...: runs xdplb ARGS in namespace B and kills it -9 after a random
# part of SPAN_MS milliseconds (test_crash, test_crash_adv).
kill_at() {
	local span_ms=$1 pid
	shift
	nsenter --net=/run/netns/"$NS_B" "$XDPLB" "$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v ms=$(( RANDOM % span_ms )) 'BEGIN {printf "%.3f", ms / 1000}')"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
