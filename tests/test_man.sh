#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_man.sh: xdplb(8) documents exactly the options of xdplb's option table (`xdplb
# --list-options`: name, short form and value placeholder, both ways), which --help lists too, every mode of its usage, every key of `--status --json`
# and every metric of `--status --prometheus`; it renders without a warning from groff
# or man; its version is the binary's; its examples start with the README's usage lines.
SUITE=test_man
. "$(dirname "$0")/lib.sh"
need_cmd groff man jq
MAN=${MAN_PAGE:-$ROOT/doc/xdplb.8}

# "-i, --iface IF" lines from the option table.
table_options() {
	"$XDPLB" --list-options | awk '{ o = ($2 != "-" ? $2 ", " : "") $1; if ($3 != "-") o = o " " $3; print o }' |
		sort
}

# The same from the option list of --help.
help_options() {
	"$XDPLB" --help | sed -nE 's/^ +((-[a-zA-Z], )?--[a-z0-9-]+)( ([A-Z][^ ]*))?( .*)?$/\1 \4/p' |
		sed 's/ *$//' | sort
}

# The same from the OPTIONS section of the page: the .B/.BI line after each .TP.
man_options() {
	awk '/^\.SH /{ in_opts = ($2 == "OPTIONS") } in_opts && prev == ".TP" && /^\.BI? / { print } { prev = $0 }' "$MAN" |
		sed -E 's/^\.BI? //; s/\\-/-/g; s/"//g; s/  +/ /g; s/ *$//' | sort
}

got_table=$(table_options)
got_help=$(help_options)
got_man=$(man_options)
if [ "$(echo "$got_table" | wc -l)" -lt 10 ]; then
	fail "man options" "could not read the option table: $got_table"
else
	missing=$(comm -23 <(echo "$got_table") <(echo "$got_man") | tr '\n' ';')
	extra=$(comm -13 <(echo "$got_table") <(echo "$got_man") | tr '\n' ';')
	[ -z "$missing$extra" ] && ok "man options: the $(echo "$got_table" | wc -l) options of the table, no other" ||
		fail "man options" "in the table, not in the man page: [$missing] in the man page, not in the table: [$extra]"
	[ "$got_table" = "$got_help" ] && ok "--help lists the options of the table" ||
		fail "--help lists the options of the table" "$(diff <(echo "$got_table") <(echo "$got_help") | tr '\n' ' ')"
fi

# Every mode of the usage ("xdplb --status ...") opens a synopsis of the page.
modes_help=$("$XDPLB" --help | sed -nE 's/^  xdplb (--[a-z-]+).*/\1/p' | sort -u)
modes_man=$(awk 'prev == ".SY xdplb" { print } { prev = $0 }' "$MAN" |
	sed -nE 's/^\.BI? "?\\-\\-([a-z\\-]+).*/--\1/p' | sed 's/\\-/-/g' | sort -u)
missing=$(comm -23 <(echo "$modes_help") <(echo "$modes_man") | tr '\n' ' ')
[ -n "$modes_help" ] && [ -z "$missing" ] && ok "man synopsis: every mode of the usage" ||
	fail "man synopsis: every mode of the usage" "missing: $missing (usage: $modes_help)"

warn=$(groff -ww -man -Tutf8 "$MAN" 2>&1 >/dev/null)
[ -z "$warn" ] && ok "man groff -ww: no warning" || fail "man groff -ww: no warning" "$warn"
warn=$(MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null)
[ -z "$warn" ] && ok "man --warnings: no warning" || fail "man --warnings: no warning" "$warn"

text=$(MANWIDTH=200 man -l "$MAN" 2>/dev/null | col -bx)
for section in NAME SYNOPSIS DESCRIPTION OPTIONS COUNTERS "JSON OUTPUT" "PROMETHEUS METRICS" \
	       SAFETY SYSTEMD "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
	grep -qx "$section" <<<"$text" || missing_sections+="$section; "
done
[ -z "$missing_sections" ] && ok "man sections" || fail "man sections" "missing: $missing_sections"

version=$("$XDPLB" --version | awk '{ print $2 }')
grep -q "^\.TH XDPLB 8 \"[0-9-]*\" \"xdplb $version\"" "$MAN" && ok "man version is the binary's" ||
	fail "man version is the binary's" "xdplb $version, page: $(grep '^\.TH' "$MAN")"

# The README's usage block opens the examples, in the same order.
readme=$(sed -n '/^## Usage/,/^```$/p' "$ROOT/README.md" | grep '^xdplb' | head -3 |
	sed 's/ *#.*//; s/  */ /g')
examples=$(sed -n '/^EXAMPLES/,/^[A-Z]/p' <<<"$text" | grep '^ *xdplb' | head -3 |
	sed 's/^ *//; s/ *#.*//; s/  */ /g')
[ -n "$readme" ] && [ "$readme" = "$examples" ] && ok "man examples start with the README's usage" ||
	fail "man examples start with the README's usage" "README: [$readme] man: [$examples]"

# Keys and metrics of a real instance are all documented.
if ! need_root "man json keys and metrics"; then
	exit 0
fi
need_cmd ip nsenter
trap topo_down EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }
# One instance of each kind: CPU targets with a remote program, CPU targets with --remote
# redirect:IF, port targets; the ports send out of IF_B, so no frame can loop.
P1=xlt${T_ID}r P2=xlt${T_ID}s
ip -n "$NS_B" link add "$P1" type veth peer name "$P2" && ip -n "$NS_B" link set "$P1" up &&
	ip -n "$NS_B" link set "$P2" up
if ! xdplb_b --iface "$IF_B" --cpus 0 --remote pass ||
   ! xdplb_b --iface "$P1" --cpus 0 --remote redirect:"$IF_B" 2>/dev/null ||
   ! xdplb_b --redirect "$P2:$IF_B" 2>/dev/null; then
	fail "man json keys and metrics" "cannot attach"
	exit 0
fi
keys=$(xdplb_b --status --json | jq -r '[.instances[] | paths | map(select(type == "string")) | last] | unique[]')
undocumented=$(for k in $keys; do grep -qw -- "$k" <<<"$text" || echo "$k"; done | tr '\n' ' ')
[ -n "$keys" ] && [ -z "$undocumented" ] && ok "man documents every --status --json key" ||
	fail "man documents every --status --json key" "not in the page: $undocumented"
metrics=$(xdplb_b --status --prometheus | awk '/^# TYPE/ { print $3 }')
undocumented=$(for m in $metrics; do grep -qw -- "$m" <<<"$text" || echo "$m"; done | tr '\n' ' ')
[ -n "$metrics" ] && [ -z "$undocumented" ] && ok "man documents every Prometheus metric" ||
	fail "man documents every Prometheus metric" "not in the page: $undocumented"
exit 0
