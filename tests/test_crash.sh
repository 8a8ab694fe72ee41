#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_crash.sh: xdplb recovers from what it cannot prevent. Pins removed by hand, all of
# them, a renamed interface: the program is still found (by the kernel's word, not the
# pins'), shown, detached, replaced. kill -9 at random points of attaches, changes and
# detaches: after the next command the kernel's maps (bpftool) and --status --json agree
# and hold the previous or the new settings, never a mix. Somebody else's xdplb_rx and
# another pin root's instance are left alone, and canary pins beside and inside the pin
# root survive every command.
SUITE=test_crash
. "$(dirname "$0")/lib.sh"
GUARD=/sys/fs/bpf/xlt-crash-$T_ID
export XDPLB_PIN_ROOT=$GUARD/root
netns_suite jq ip bpftool nsenter python3
trap 'topo_down; rm -rf "$GUARD" "$T_TMP"' EXIT INT TERM
# Each kill loop runs TRIALS trials or stops starting them after LOOP_S seconds (a loaded
# machine), so the suite stays within about 90 s.
LOOP_S=${XDPLB_CRASH_LOOP_S:-20}
TRIALS=${XDPLB_CRASH_TRIALS:-25}
DIR=$XDPLB_PIN_ROOT/$IF_B

mkdir -p "$XDPLB_PIN_ROOT"
make_canary "$GUARD/canary" && make_canary "$XDPLB_PIN_ROOT/canary" ||
	{ fail "$SUITE" "cannot pin the canaries"; exit 1; }
CANARIES=$(canary_ids "$GUARD/canary" "$XDPLB_PIN_ROOT/canary")
canaries_kept() {
	[ "$(canary_ids "$GUARD/canary" "$XDPLB_PIN_ROOT/canary")" = "$CANARIES" ] && ok "canaries kept: $1" ||
		fail "canaries kept: $1" "now $(canary_ids "$GUARD/canary" "$XDPLB_PIN_ROOT/canary" | tr '\n' ' '), were $(tr '\n' ' ' <<<"$CANARIES")"
}

state_of() { xdplb_b --status --json | jq -r --arg i "$1" '[.instances[] | select(.ifname == $i) | .state][0] // "none"'; }
prog_b() { xdp_prog_id "$NS_B" "${1:-$IF_B}"; }
check() { eval "$2" && ok "$1" || fail "$1" "$3"; }

A=(--iface "$IF_B" --cpus 0:1,1:3 --qsize 1024 --hash l4 --seed 0xa1)
B=(--iface "$IF_B" --cpus 1 --qsize 4096 --hash l3 --seed 0xb2)

# The instance on IF_B as --status --json says it is, checked against the kernel's maps:
# cpumap entries and queue sizes, the active half's seed and size; the live table's
# digest (read from the kernel's table by --config-out) is part of what it prints:
# "none", or state|hash|seed|cpu:qsize:weight,...|digest. Exit 1 (and why on stderr)
# when status and kernel disagree.
signature() {
	local sig digest
	xdplb_b --status --json >"$T_TMP/status.json" 2>"$T_TMP/status.err" || { echo "status-failed"; return 1; }
	sig=$(python3 - "$T_TMP/status.json" "$DIR" "$IF_B" <<'PY'
import json, subprocess, sys
status, d, ifname = sys.argv[1], sys.argv[2], sys.argv[3]
inst = [i for i in json.load(open(status))["instances"] if i["ifname"] == ifname]
if not inst:
    print("none"); sys.exit(0)
i = inst[0]
tg = sorted(i["targets"], key=lambda t: t["cpu"])
print("%s|%s|%s|%s" % (i["state"], i["hash"], i["seed"],
      ",".join("%d:%d:%d" % (t["cpu"], t["qsize"], t["weight"]) for t in tg)))
if i["state"] != "live":
    sys.exit(0)
def dump(name):
    out = subprocess.check_output(["bpftool", "-j", "map", "dump", "pinned", "%s/%s" % (d, name)])
    return json.loads(out)
def le(b):
    return int.from_bytes(bytes(int(x, 16) for x in b), "little")
errs = []
# A cpumap dump lists every CPU; an empty one's value is {"error": ...}.
cpus = {le(e["key"]): le(e["value"][:4]) for e in dump("xdplb_cpus") if isinstance(e["value"], list)}
want = {t["cpu"]: t["qsize"] for t in tg}
if cpus != want:
    errs.append("cpumap %s, status %s" % (cpus, want))
cfg = dump("xdplb_config")[0]["formatted"]["value"]
half = cfg["active"] & 1
h = cfg["half"][half]
if h["seed"] != int(i["seed"], 16) or h["table_mask"] + 1 != i["table_size"]:
    errs.append("active half seed %#x size %d, status %s %d" % (h["seed"], h["table_mask"] + 1,
                i["seed"], i["table_size"]))
if errs:
    sys.stderr.write("; ".join(errs) + "\n"); sys.exit(1)
PY
) || { echo "$sig"; return 1; }
	case $sig in live*)
		digest=$(xdplb_b --status --iface "$IF_B" --config-out | grep -o 'digest 0x[0-9a-f]*')
		sig+="|${digest#digest }" ;;
	esac
	echo "$sig"
}

pending_left() { find "$XDPLB_PIN_ROOT" -maxdepth 1 -name 'pending-*' | grep -q .; }

# What a clean attach of A and of B gives (the checks of signature() holding).
xdplb_b "${B[@]}" && SIG_B=$(signature) && xdplb_b --detach --iface "$IF_B" &&
	xdplb_b "${A[@]}" && SIG_A=$(signature) && xdplb_b --detach --iface "$IF_B"
case "$SIG_A $SIG_B" in
"live|l4|0xa1|0:1024:1,1:1024:3|0x"*" live|l3|0xb2|1:4096:1|0x"*) ok "clean attaches agree with the kernel" ;;
*) fail "clean attaches agree with the kernel" "A '$SIG_A', B '$SIG_B'"; exit 1 ;;
esac

# --- pins removed by hand -------------------------------------------------------------
xdplb_b "${A[@]}" || { fail "$SUITE" "cannot attach"; exit 1; }
npins=$(ls "$DIR" | wc -l)
rm "$DIR/xdplb_targets"
xdplb_b --status --json >"$T_TMP/status.json"
check "one map pin removed ($npins pins): status broken with a reason" \
	'jq -e ".instances[0] | .state == \"broken\" and (.reason | test(\"xdplb_targets is missing\"))" "$T_TMP/status.json" >/dev/null' \
	"$(jq -c '.instances[0] | [.state, .reason]' "$T_TMP/status.json")"
out=$(xdplb_b --detach --iface "$IF_B" 2>&1); rc=$?
check "one map pin removed: --detach removes the program and the pins" \
	'[ $rc = 0 ] && [ -z "$(prog_b)" ] && [ ! -e "$DIR" ]' "exit $rc, prog '$(prog_b)', $out"

xdplb_b "${A[@]}"
rm "$DIR/link_kthread"
xdplb_b --status --json >"$T_TMP/status.json"
check "a link pin removed: status not live, and says its counters stopped" \
	'jq -e ".instances[0] | .state == \"broken\" and (.reason | test(\"link_kthread.*counters stopped\"))" "$T_TMP/status.json" >/dev/null' \
	"$(jq -c '.instances[0] | [.state, .reason]' "$T_TMP/status.json")"
old=$(prog_b)
out=$(xdplb_b "${A[@]}" 2>&1); rc=$?
check "a link pin removed: an attach replaces the instance" \
	'[ $rc = 0 ] && [ "$(signature)" = "$SIG_A" ] && [ -e "$DIR/link_kthread" ] && [ "$(prog_b)" != "$old" ]' \
	"exit $rc: $out; $(signature 2>&1)"

rm -rf "$DIR"
check "every pin removed: status shows the program as orphaned" '[ "$(state_of "$IF_B")" = orphaned ]' \
	"state $(state_of "$IF_B")"
old=$(prog_b)
out=$(xdplb_b "${B[@]}" 2>&1); rc=$?
check "every pin removed: an attach replaces the orphan" \
	'[ $rc = 0 ] && [ "$(signature)" = "$SIG_B" ] && [ "$(prog_b)" != "$old" ]' "exit $rc: $out"
rm -rf "$DIR"
out=$(xdplb_b --detach --iface "$IF_B" 2>&1); rc=$?
check "every pin removed: --detach removes the orphan" '[ $rc = 0 ] && [ -z "$(prog_b)" ]' \
	"exit $rc, prog '$(prog_b)': $out"
canaries_kept "pins removed by hand"

# --- a renamed interface --------------------------------------------------------------
rename_b() { ip -n "$NS_B" link set "$1" down && ip -n "$NS_B" link set "$1" name "$2" &&
	     ip -n "$NS_B" link set "$2" up; }
NEW=${IF_B}n
xdplb_b "${A[@]}"
rename_b "$IF_B" "$NEW"
out=$(xdplb_b --detach --iface "$IF_B" 2>&1); rc=$?
check "renamed: --detach under the old name removes it" '[ $rc = 0 ] && [ -z "$(prog_b "$NEW")" ] && [ ! -e "$DIR" ]' \
	"exit $rc, prog '$(prog_b "$NEW")': $out"
rename_b "$NEW" "$IF_B"
xdplb_b "${A[@]}"
rename_b "$IF_B" "$NEW"
check "renamed: status shows it live under the new name" '[ "$(state_of "$NEW")" = live ] && [ -d "$XDPLB_PIN_ROOT/$NEW" ]' \
	"$(xdplb_b --status 2>&1 | head -2)"
out=$(xdplb_b --iface "$NEW" --cpus 1 --qsize 4096 --hash l3 --seed 0xb2 2>&1); rc=$?
check "renamed: an attach under the new name reconfigures it" \
	'[ $rc = 0 ] && xdplb_b --status --json | jq -e --arg i "$NEW" ".instances[] | select(.ifname == \$i) | .seed == \"0xb2\" and .state == \"live\"" >/dev/null' \
	"exit $rc: $out"
out=$(xdplb_b --detach --iface "$NEW" 2>&1); rc=$?
check "renamed: --detach under the new name removes it" '[ $rc = 0 ] && [ -z "$(prog_b "$NEW")" ]' "exit $rc: $out"
rename_b "$NEW" "$IF_B"
canaries_kept "rename"

# --- not ours: somebody's xdplb_rx, another root's instance ---------------------------
ip -n "$NS_B" link set dev "$IF_B" xdp obj "$ROOT/build/tests/imposter_rx.bpf.o" sec xdp
imp=$(prog_b)
out=$(xdplb_b --detach --iface "$IF_B" 2>&1); rc=$?
check "an imposter named xdplb_rx: --detach leaves it" '[ $rc = 1 ] && [ "$(prog_b)" = "$imp" ]' "exit $rc: $out"
out=$(xdplb_b "${A[@]}" 2>&1); rc=$?
check "an imposter named xdplb_rx: attach refuses it, leaves it" \
	'[ $rc = 1 ] && [ "$(prog_b)" = "$imp" ] && grep -q "runs another XDP program" <<<"$out"' "exit $rc: $out"
check "an imposter named xdplb_rx: status does not show it" '[ "$(state_of "$IF_B")" = none ]' "$(state_of "$IF_B")"
ip -n "$NS_B" link set dev "$IF_B" xdp off
XDPLB_PIN_ROOT=$GUARD/other xdplb_b "${A[@]}"
theirs=$(prog_b)
out=$(xdplb_b --detach --iface "$IF_B" 2>&1); rc=$?
check "another pin root's instance: not seen, not removed" \
	'[ $rc = 1 ] && [ -n "$theirs" ] && [ "$(prog_b)" = "$theirs" ] && [ "$(state_of "$IF_B")" = none ]' "exit $rc: $out"
XDPLB_PIN_ROOT=$GUARD/other xdplb_b --detach --iface "$IF_B"
canaries_kept "programs not ours"

# --- reads during back-to-back changes: each one all old or all new ------------------
xdplb_b "${A[@]}"
( end=$(( $(date +%s) + 6 ))
  while [ "$(date +%s)" -lt "$end" ]; do xdplb_b "${B[@]}"; xdplb_b "${A[@]}"; done ) >/dev/null 2>&1 &
changer=$!
reads=0 mixed=0
while kill -0 "$changer" 2>/dev/null; do
	r=$(xdplb_b --status --json | jq -r '.instances[0] | [.hash, .seed, ([.targets[] | "\(.cpu):\(.qsize):\(.weight)"] | join(","))] | join("|")')
	reads=$((reads + 1))
	case $r in "l4|0xa1|0:1024:1,1:1024:3" | "l3|0xb2|1:4096:1") ;; *) mixed=$((mixed + 1)) ;; esac
done
wait "$changer"
check "status during back-to-back changes: $mixed of $reads reads mixed old and new" \
	'[ $mixed = 0 ] && [ $reads -ge 5 ]' "e.g. the last: $r"
xdplb_b --detach --iface "$IF_B"

# --- kill -9 at random points ---------------------------------------------------------
# How long a run takes, in milliseconds (at least 10).
time_ms() {
	local t0=$(date +%s%N)
	xdplb_b "$@" >/dev/null 2>&1
	echo $(( ($(date +%s%N) - t0) / 1000000 + 10 ))
}
TRIED=0
BAD=0
OUTCOMES=""
# trial NAME ALLOWED...: the state after a killed run, repaired by the next command, is one
# of the allowed signatures, agrees with the kernel, and leaves no pending directory.
trial() {
	local name=$1 sig
	shift
	TRIED=$((TRIED + 1))
	sig=$(signature 2>"$T_TMP/why")
	OUTCOMES+="${sig%%|*} "
	if [ $? != 0 ] || ! printf '%s\n' "$@" | grep -qxF -- "$sig" || pending_left ||
	   { [ "$sig" = none ] && [ -n "$(prog_b)" ]; }; then
		BAD=$((BAD + 1))
		echo "# $name: '$sig' $(cat "$T_TMP/why") prog '$(prog_b)' $(ls "$XDPLB_PIN_ROOT" | tr '\n' ' ')"
	fi
}
loop_start() { LOOP_END=$(( $(date +%s) + LOOP_S )); n=0; }
in_budget() { [ "$(date +%s)" -lt "$LOOP_END" ]; }

span=$(time_ms "${A[@]}")
xdplb_b --detach --iface "$IF_B"
loop_start
while [ $n -lt "$TRIALS" ] && in_budget; do
	kill_at "$span" "${A[@]}"
	trial "attach $n" none "$SIG_A"
	[ "$(prog_b)" ] && xdplb_b --detach --iface "$IF_B"
	n=$((n + 1))
done
attach_bad=$BAD attach_n=$n
check "kill -9 during attach: $attach_bad of $attach_n trials inconsistent" '[ $attach_bad = 0 ] && [ $attach_n -gt 0 ]' \
	"see the lines above"

xdplb_b "${A[@]}"
cur=$SIG_A
span=$(( $(time_ms "${B[@]}") + 10 ))
xdplb_b "${A[@]}"
loop_start
while [ $n -lt "$TRIALS" ] && in_budget; do
	if [ "$cur" = "$SIG_A" ]; then kill_at "$span" "${B[@]}"; else kill_at "$span" "${A[@]}"; fi
	trial "change $n" "$SIG_A" "$SIG_B"
	cur=$(signature 2>/dev/null)
	n=$((n + 1))
done
change_bad=$((BAD - attach_bad)) change_n=$n
check "kill -9 during a change: $change_bad of $change_n trials inconsistent" '[ $change_bad = 0 ] && [ $change_n -gt 0 ]' \
	"see the lines above"

xdplb_b "${A[@]}"
span=$(time_ms --detach --iface "$IF_B")
loop_start
while [ $n -lt "$TRIALS" ] && in_budget; do
	[ "$(signature 2>/dev/null)" = none ] && xdplb_b "${A[@]}"
	kill_at "$span" --detach --iface "$IF_B"
	trial "detach $n" none "$SIG_A"
	n=$((n + 1))
done
detach_bad=$((BAD - attach_bad - change_bad)) detach_n=$n
check "kill -9 during detach: $detach_bad of $detach_n trials inconsistent" '[ $detach_bad = 0 ] && [ $detach_n -gt 0 ]' \
	"see the lines above"
echo "# $TRIED kill -9 trials: $BAD inconsistent; states after them: $(tr ' ' '\n' <<<"$OUTCOMES" | grep . | sort | uniq -c | tr -s ' \n' ' ')"
xdplb_b --detach --iface "$IF_B" >/dev/null 2>&1
canaries_kept "kill -9 trials"
exit 0
