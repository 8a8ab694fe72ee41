#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_crash_adv.sh: an adversarial round, longer than a suite should be, so it runs only
# with XDPLB_ADVERSARIAL=1. Random command lines against a running instance (one line on
# stderr and nothing changed when refused; the kernel and --status agreeing when taken),
# every one of an instance's pins removed by hand in turn, and kill -9 at random points of
# attaches, CPU and port changes and detaches, each judged after the next command as in
# test_crash.sh. Prints the figures as "# " lines.
SUITE=test_crash_adv
. "$(dirname "$0")/lib.sh"
# An adversarial round (minutes of random input and kill -9) is for a release, not every run:
# `make test` leaves it out and says so; test_crash.sh covers the same cases in brief.
[ "${XDPLB_ADVERSARIAL:-0}" = 1 ] || { echo "   ($SUITE: not run; XDPLB_ADVERSARIAL=1 runs it)"; exit 0; }
GUARD=/sys/fs/bpf/xlt-adv-$T_ID
export XDPLB_PIN_ROOT=$GUARD/root
netns_suite jq ip bpftool nsenter python3 ethtool
trap 'topo_down; rm -rf "$GUARD" "$T_TMP"' EXIT INT TERM
LINES=${XDPLB_ADV_LINES:-300}
KILLS=${XDPLB_ADV_KILLS:-40}
DIR=$XDPLB_PIN_ROOT/$IF_B
mkdir -p "$XDPLB_PIN_ROOT"
make_canary "$GUARD/canary" && make_canary "$XDPLB_PIN_ROOT/canary" || { fail "$SUITE" "no canaries"; exit 1; }
CANARIES=$(canary_ids "$GUARD/canary" "$XDPLB_PIN_ROOT/canary")
P1=${IF_B}p; Q1=${IF_A}p; P2=${IF_B}r; Q2=${IF_A}r
for i in p r; do
	ip link add "${IF_B}$i" netns "$NS_B" type veth peer name "${IF_A}$i" netns "$NS_A"
	ip -n "$NS_B" link set "${IF_B}$i" up
	ip -n "$NS_A" link set "${IF_A}$i" up
done
prog_b() { xdp_prog_id "$NS_B" "$IF_B"; }

# state|kind|hash|seed|targets, checked against the kernel's cpumap or devmap and config.
signature() {
	xdplb_b --status --json >"$T_TMP/status.json" 2>/dev/null || { echo status-failed; return 1; }
	python3 - "$T_TMP/status.json" "$DIR" "$IF_B" <<'PY'
import json, subprocess, sys
status, d, ifname = sys.argv[1:4]
inst = [i for i in json.load(open(status))["instances"] if i["ifname"] == ifname]
if not inst:
    print("none"); sys.exit(0)
i = inst[0]
tg = i["targets"]
# A port's devmap slot is left out: a port kept by a change keeps its slot, so after a
# change it may differ from a fresh attach's; the devmap check below covers it.
key = lambda t: "%s:%s:%s" % (t.get("cpu", t.get("ifname")), t.get("qsize", "-"), t["weight"])
print("|".join([i["state"], i["hash"], i["seed"], ",".join(sorted(map(key, tg)))]))
if i["state"] != "live":
    sys.exit(0)
def dump(name):
    return json.loads(subprocess.check_output(["bpftool", "-j", "map", "dump", "pinned", d + "/" + name]))
def le(b):
    return int.from_bytes(bytes(int(x, 16) for x in b), "little")
errs = []
ports = any(t["type"] == "port" for t in tg)
got = {le(e["key"]): le(e["value"][:4]) for e in dump("xdplb_ports" if ports else "xdplb_cpus")
       if isinstance(e["value"], list)}
if ports:
    want = {t["slot"]: t["ifindex"] for t in tg}
else:
    want = {t["cpu"]: t["qsize"] for t in tg}
if got != want:
    errs.append("kernel %s, status %s" % (got, want))
cfg = dump("xdplb_config")[0]["formatted"]["value"]
h = cfg["half"][cfg["active"] & 1]
if h["seed"] != int(i["seed"], 16) or h["table_mask"] + 1 != i["table_size"]:
    errs.append("active half seed %#x size %d, status %s %d" % (h["seed"], h["table_mask"] + 1, i["seed"], i["table_size"]))
if errs:
    sys.stderr.write("; ".join(errs) + "\n"); sys.exit(1)
PY
}
machine() { prog_b; find "$XDPLB_PIN_ROOT" | sort; signature 2>&1; canary_ids "$GUARD/canary" "$XDPLB_PIN_ROOT/canary"; }

# --- random command lines ---------------------------------------------------------------
# No --watch (it runs until stopped) and no --confirm (it leaves a revert process): their
# refusals are test_cli's. Values name no file outside the scratch directory, the cwd.
OPTS=(--check --config --config-out --confirm-ok --count --cpus --detach --force --hash
      --iface --inner --interval --json --mode --no-inner --pass-non-ip --prometheus
      --prometheus-file --qsize --redirect --remote --seed --status --table-size --which)
VALS=("" . .. / "a
b" 18446744073709551616 -1 0 1 0-1 1-0 0:0 0:101 0,0 "$IF_B" lo nosuch0 "%s%n" 4096 16385 "$IF_B:$P1"
      "$IF_B:$P1,$P1" "$IF_B:lo" redirect:"$P1" drop pass sym l3 l4 hw skb native auto 0x1 256 3 0.01
      "$T_TMP" abcdefghijklmnopq "tcp 1.2.3.4 5 6.7.8.9 10")
random_line() {
	local n=$(( RANDOM % 5 + 1 )) k
	ARGS=()
	for ((k = 0; k < n; k++)); do
		ARGS+=("${OPTS[RANDOM % ${#OPTS[@]}]}")
		[ $(( RANDOM % 4 )) != 0 ] && ARGS+=("${VALS[RANDOM % ${#VALS[@]}]}")
	done
}
xdplb_b --iface "$IF_B" --cpus 0:1,1:3 --qsize 1024 --hash l4 --seed 0xa1 || { fail "$SUITE" "cannot attach"; exit 1; }
BASE=$(machine)
cd "$T_TMP" || exit 1
lines=0 refused=0 taken=0 bad=0
for ((l = 0; l < LINES; l++)); do
	random_line
	err=$(timeout 10 nsenter --net=/run/netns/"$NS_B" "$XDPLB" "${ARGS[@]}" 2>&1 >/dev/null </dev/null)
	rc=$?
	lines=$((lines + 1))
	if [ $rc = 1 ] || [ $rc = 2 ]; then
		refused=$((refused + 1))
		now=$(machine)
		if [ "$(printf '%s\n' "$err" | wc -l)" != 1 ] || [ "$now" != "$BASE" ]; then
			bad=$((bad + 1))
			echo "# refused badly (exit $rc): $(printf '%q ' "${ARGS[@]}"): $(head -c 300 <<<"$err")"
			[ "$now" != "$BASE" ] && echo "#   state changed: $(diff <(echo "$BASE") <(echo "$now") | head -5 | tr '\n' ' ')"
		fi
	elif [ $rc = 0 ]; then
		taken=$((taken + 1))
		sig=$(signature 2>"$T_TMP/why") || { bad=$((bad + 1)); echo "# taken, then inconsistent: $(printf '%q ' "${ARGS[@]}"): $(cat "$T_TMP/why")"; }
	else
		bad=$((bad + 1))
		echo "# exit $rc: $(printf '%q ' "${ARGS[@]}"): $(head -c 300 <<<"$err")"
	fi
	# Back to the base instance whatever the line did (a detach, a change).
	if [ "$(machine)" != "$BASE" ]; then
		xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1
		ip -n "$NS_B" link set dev "$IF_B" xdp off 2>/dev/null
		xdplb_b --iface "$IF_B" --cpus 0:1,1:3 --qsize 1024 --hash l4 --seed 0xa1 >/dev/null 2>&1
		BASE=$(machine)
	fi
done
echo "# $lines random command lines: $refused refused, $taken taken, $bad mishandled"
check_bad() { [ "$2" = 0 ] && ok "$1" || fail "$1" "$2 mishandled"; }
check_bad "random command lines" "$bad"

# --- every pin removed in turn ------------------------------------------------------------
pins=0 pin_bad=0
for pin in $(ls "$DIR"); do
	[ -d "$DIR" ] || xdplb_b --iface "$IF_B" --cpus 0:1,1:3 --qsize 1024 --hash l4 --seed 0xa1
	rm -f "$DIR/$pin"
	pins=$((pins + 1))
	st=$(xdplb_b --status --json | jq -r '.instances[0] | "\(.state)|\(.reason)"')
	out=$(xdplb_b --detach --iface "$IF_B" 2>&1); rc=$?
	# The journal alone may go: an instance without one (made before journals) gets it
	# at its next change.
	if { [ "$pin" != journal ] && { [ "${st%%|*}" = live ] || [ "${st#*|}" = null ]; }; } || [ $rc != 0 ] || [ -n "$(prog_b)" ] || [ -e "$DIR" ]; then
		pin_bad=$((pin_bad + 1))
		echo "# pin $pin removed: status '$st', detach exit $rc ($out), prog '$(prog_b)'"
	fi
done
echo "# $pins pins removed one at a time: $pin_bad mishandled"
check_bad "every pin removed in turn" "$pin_bad"

# --- kill -9 at random points ---------------------------------------------------------------
A=(--iface "$IF_B" --cpus 0:1,1:3 --qsize 1024 --hash l4 --seed 0xa1)
B=(--iface "$IF_B" --cpus 1 --qsize 4096 --hash l3 --seed 0xb2)
RA=(--redirect "$IF_B:$P1:3,$P2" --hash l4 --seed 0xa1)
RB=(--redirect "$IF_B:$P2" --hash l3 --seed 0xb2)
clean_sig() { xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1; xdplb_b "$@" >/dev/null 2>&1; signature; }
SA=$(clean_sig "${A[@]}") SB=$(clean_sig "${B[@]}") SRA=$(clean_sig "${RA[@]}") SRB=$(clean_sig "${RB[@]}")
xdplb_b --detach --iface "$IF_B"
tried=0 kbad=0
judge() {
	local name=$1 sig
	shift
	tried=$((tried + 1))
	sig=$(signature 2>"$T_TMP/why")
	if [ $? != 0 ] || ! printf '%s\n' "$@" | grep -qxF -- "$sig" ||
	   find "$XDPLB_PIN_ROOT" -maxdepth 1 -name 'pending-*' | grep -q . ||
	   { [ "$sig" = none ] && [ -n "$(prog_b)" ]; }; then
		kbad=$((kbad + 1))
		echo "# $name: '$sig' $(cat "$T_TMP/why") prog '$(prog_b)'"
	fi
}
for ((k = 0; k < KILLS; k++)); do
	kill_at 600 "${A[@]}"; judge "attach $k" none "$SA"
	xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1
done
for pair in "A B" "RA RB"; do
	set -- $pair
	declare -n X=$1 Y=$2 SX=S$1 SY=S$2
	xdplb_b "${X[@]}" >/dev/null 2>&1
	for ((k = 0; k < KILLS; k++)); do
		if [ "$(signature 2>/dev/null)" = "$SX" ]; then kill_at 120 "${Y[@]}"; else kill_at 120 "${X[@]}"; fi
		judge "change $pair $k" "$SX" "$SY"
	done
	unset -n X Y SX SY
	xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1
done
for ((k = 0; k < KILLS; k++)); do
	[ "$(signature 2>/dev/null)" = none ] && xdplb_b "${A[@]}"
	kill_at 300 --detach --iface "$IF_B"; judge "detach $k" none "$SA"
done
echo "# $tried kill -9 trials: $kbad inconsistent"
check_bad "kill -9 trials" "$kbad"
xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1
[ "$(canary_ids "$GUARD/canary" "$XDPLB_PIN_ROOT/canary")" = "$CANARIES" ] && ok "canaries kept" ||
	fail "canaries kept" "$(canary_ids "$GUARD/canary" "$XDPLB_PIN_ROOT/canary")"
exit 0
