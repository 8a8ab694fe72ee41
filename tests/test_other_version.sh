#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_other_version.sh: an instance left by another xdplb version (another ABI: its maps
# have other layouts) is never used. Made here by rewriting a running instance's meta
# version to 2. While its program runs, an attach is refused with one line naming the
# version and the fix, and changes nothing; --detach removes its program and pins. Once its
# program is gone, its pins are replaced by a new attach like any broken ones.
SUITE=test_other_version
. "$(dirname "$0")/lib.sh"
# The ABI this build speaks, as maps/ says it.
ABI=$(awk '$2 == "XDPLB_ABI_VERSION" {print $3}' "$ROOT/maps/xdplb_limits.h")
need_root "$SUITE" || exit 0
need_cmd jq ip nsenter bpftool
trap topo_down EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }

check() { if eval "$2"; then ok "$1"; else fail "$1" "$3"; fi; }
META=$XDPLB_PIN_ROOT/$IF_B/xdplb_meta
# Rewrites the pinned meta's first word, abi_version, to $1 (little-endian, as on x86).
set_abi() {
	local bytes
	bytes=$(bpftool -j map lookup pinned "$META" key 0 0 0 0 | jq -r '.value[]') || return 1
	# shellcheck disable=SC2086
	bpftool map update pinned "$META" key 0 0 0 0 value $(printf '0x%02x' "$1") \
		$(tail -n +2 <<<"$bytes")
}
state_b() { status_q ".instances[] | select(.ifname == \"$IF_B\") | .state"; }
machine_state() { xdp_prog_id "$NS_B" "$IF_B"; find "$XDPLB_PIN_ROOT" 2>/dev/null | sort; }

if ! xdplb_b --iface "$IF_B" --cpus 0-1 || ! set_abi 2; then
	fail "an instance made to look like ABI 2" "attach or bpftool update failed"
	exit 1
fi
prog=$(xdp_prog_id "$NS_B" "$IF_B")
check "--status shows it as broken" '[ "$(state_b)" = broken ]' "state '$(state_b)'"

before=$(machine_state)
err=$(xdplb_b --iface "$IF_B" --cpus 0 2>&1 >/dev/null); rc=$?
check "attach refused while its program runs: one line, exit 1, nothing changed" \
	'[ $rc = 1 ] && [ "$err" = "xdplb: --iface: $IF_B: runs an xdplb instance of another version (ABI 2, this xdplb is ABI $ABI): xdplb --detach --iface $IF_B first" ] && [ "$(machine_state)" = "$before" ]' \
	"exit $rc: $err"

err=$(xdplb_b --detach --iface "$IF_B" 2>&1); rc=$?
check "--detach removes its program and its pins" \
	'[ $rc = 0 ] && [ -z "$(xdp_prog_id "$NS_B" "$IF_B")" ] && [ ! -e "$XDPLB_PIN_ROOT/$IF_B" ] && grep -q "another xdplb version (ABI 2)" <<<"$err"' \
	"exit $rc: $err; prog '$(xdp_prog_id "$NS_B" "$IF_B")' (was $prog)"

# Its program gone by other means: what is left is broken pins, replaced by an attach.
xdplb_b --iface "$IF_B" --cpus 0-1 && set_abi 2 && ip -n "$NS_B" link set dev "$IF_B" xdp off
err=$(xdplb_b --iface "$IF_B" --cpus 0 2>&1); rc=$?
check "its pins without its program: replaced by a new attach" \
	'[ $rc = 0 ] && [ "$(state_b)" = live ] && [ -n "$(xdp_prog_id "$NS_B" "$IF_B")" ] && grep -q "removing broken pins" <<<"$err"' \
	"exit $rc: $err; state '$(state_b)'"
xdplb_b --detach --iface "$IF_B"
