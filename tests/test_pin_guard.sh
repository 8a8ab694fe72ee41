#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_pin_guard.sh: no interface name reaches outside xdplb's own instance directories.
# Canary pins beside the pin root, inside it and inside a live instance's directory must
# survive every command given a name that is not an interface name ('.', '..', '/').
SUITE=test_pin_guard
. "$(dirname "$0")/lib.sh"
# The pin root one level down in a directory of the suite's own, so that even a broken
# xdplb given '..' can only reach the suite's canary, never the host's pins.
GUARD=/sys/fs/bpf/xlt-guard-$T_ID
export XDPLB_PIN_ROOT=$GUARD/root
netns_suite jq ip bpftool nsenter

CANARY_OUT=$GUARD/canary		# beside the pin root: another program's pin
CANARY_ROOT=$XDPLB_PIN_ROOT/canary	# in the root, not an instance
trap 'topo_down; rm -rf "$GUARD" "$T_TMP"' EXIT INT TERM

machine_state() {
	canary_ids "$CANARY_OUT" "$CANARY_ROOT"
	xdp_prog_id "$NS_B" "$IF_B"
	find "$XDPLB_PIN_ROOT" 2>/dev/null | sort
}

mkdir -p "$XDPLB_PIN_ROOT"
make_canary "$CANARY_OUT" && make_canary "$CANARY_ROOT" || { fail "$SUITE" "cannot pin the canaries"; exit 1; }

names_matrix() {
	local p=$1 name q
	for name in . .. ../.. a/b "$(printf 'x\ny')"; do
		q=$(printf '%q' "$name")
		expect "$p detach $q" 2 "^xdplb: --iface: .*: an interface name of 1..15 characters" -- \
			--detach --iface "$name"
		expect "$p attach $q" 2 "^xdplb: --iface: .*: an interface name" -- --iface "$name" --cpus 0
		expect "$p status $q" 2 "^xdplb: --iface: .*: an interface name" -- --status --iface "$name"
		expect "$p confirm-ok $q" 2 "^xdplb: --iface: .*: an interface name" -- --confirm-ok --iface "$name"
	done
	expect "$p redirect '..'" 2 "^xdplb: --redirect: " -- --redirect ..:"$IF_B"
	printf 'iface ..\ncpus 0\n' >"$T_TMP/dotdot.conf"
	expect "$p config iface '..'" 2 "^xdplb: .*\\.\\..*an interface name" -- --config "$T_TMP/dotdot.conf"
}

names_matrix bare
if xdplb_b --iface "$IF_B" --cpus 0-1; then
	names_matrix live
	[ "$(status_q '.instances[0].ifname')" = "$IF_B" ] && ok "live instance kept" ||
		fail "live instance kept" "status: $(xdplb_b --status 2>&1)"
	# A real detach removes its own directory, and nothing beside it.
	xdplb_b --detach --iface "$IF_B"
	if [ ! -e "$XDPLB_PIN_ROOT/$IF_B" ] && [ "$(canary_ids "$CANARY_OUT" "$CANARY_ROOT" | grep -c gone)" = 0 ]; then
		ok "detach removes only its own directory"
	else
		fail "detach removes only its own directory" "left: $(find "$XDPLB_PIN_ROOT"); canaries: $(canary_ids "$CANARY_OUT" "$CANARY_ROOT")"
	fi
else
	fail "live instance" "could not attach"
fi
exit 0
