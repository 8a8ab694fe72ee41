#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_digest.sh: the table digest a fleet's monitoring compares is the one value everywhere:
# `--status` text, `--status --json` ("table_digest"), `--watch --json`, and `--prometheus`
# (xdplb_table_info{digest=...} 1) all show what `--config-out` writes, per instance, in CPU
# mode and in redirect mode; a change of the table changes it in all of them alike.
SUITE=test_digest
. "$(dirname "$0")/lib.sh"
netns_suite ip nsenter jq ethtool

P1=xlt${T_ID}r P2=xlt${T_ID}s
ip -n "$NS_B" link add "$P1" type veth peer name "$P2" && ip -n "$NS_B" link set "$P1" up &&
	ip -n "$NS_B" link set "$P2" up || { fail "$SUITE" "cannot add the veth pair $P1-$P2"; exit 0; }
xdplb_b --iface "$IF_B" --cpus 0-1 && xdplb_b --redirect "$P1:$IF_B" 2>/dev/null ||
	{ fail "$SUITE" "cannot attach"; exit 0; }

# IF: what each output says its digest is, space-separated, config-out's first.
digests() {
	local ifname=$1
	xdplb_b --status --iface "$ifname" --config-out | sed -n 's/^# live table: .* digest \(0x[0-9a-f]*\) .*/\1/p'
	xdplb_b --status --iface "$ifname" | sed -n 's/^  table digest \(0x[0-9a-f]*\) .*/\1/p'
	xdplb_b --status --json | jq -r --arg i "$ifname" '.instances[] | select(.ifname == $i) | .table_digest'
	xdplb_b --watch --iface "$ifname" --json --count 1 --interval 0.1 | jq -r '.instances[0].table_digest'
	xdplb_b --status --prometheus |
		sed -n "s/^xdplb_table_info{ifname=\"$ifname\",digest=\"\(0x[0-9a-f]*\)\"} 1$/\1/p"
}

# Five equal values of 0x and 16 hex digits.
check_equal() {
	local name=$1 got
	got=$(digests "$2" | tr '\n' ' ')
	read -ra all <<<"$got"
	if [ ${#all[@]} = 5 ] && [[ ${all[0]} =~ ^0x[0-9a-f]{16}$ ]] &&
	   [ "$(printf '%s\n' "${all[@]}" | sort -u | wc -l)" = 1 ]; then
		ok "$name: config-out, text, json, watch json, prometheus all say ${all[0]}"
		LAST=${all[0]}
	else
		fail "$name" "config-out, text, json, watch json, prometheus: $got"
		LAST=
	fi
}

check_equal "digest in CPU mode" "$IF_B"
before=$LAST
check_equal "digest in redirect mode" "$P1"
xdplb_b --iface "$IF_B" --cpus 0-1:1,0:3 >/dev/null 2>&1 || xdplb_b --iface "$IF_B" --cpus 0:3,1:1
check_equal "digest after a weight change" "$IF_B"
[ -n "$before" ] && [ -n "$LAST" ] && [ "$before" != "$LAST" ] && ok "a new table, a new digest" ||
	fail "a new table, a new digest" "before $before, after $LAST"

out=$(xdplb_b --status --prometheus | "${PROMTOOL:-promtool}" check metrics 2>&1); rc=$?
if command -v "${PROMTOOL:-promtool}" >/dev/null; then
	[ $rc = 0 ] && [ -z "$out" ] && ok "xdplb_table_info passes promtool check metrics" ||
		fail "xdplb_table_info passes promtool check metrics" "exit $rc: $out"
fi
exit 0
