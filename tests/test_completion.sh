#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_completion.sh: drives completion/xdplb the way bash does (COMP_WORDS, COMP_CWORD,
# COMP_LINE, COMP_POINT, then the function) inside a namespace, and checks COMPREPLY
# against xdplb itself: the options of its --help and its option table (--list-options), the values its parser accepts, the
# interfaces of the namespace, the online CPUs, the running instances.
SUITE=test_completion
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd ip nsenter
BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
[ -r "$BASH_COMPLETION" ] || { skip "$SUITE" "bash-completion is not installed"; exit 0; }
COMPLETION=${COMPLETION:-$ROOT/completion/xdplb}
files=/tmp/xdplb-comp-$T_ID
trap 'topo_down; rm -rf "$files"' EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }
# Two more interfaces in namespace B, for lists of ports.
P1=xlt${T_ID}r P2=xlt${T_ID}s
ip -n "$NS_B" link add "$P1" type veth peer name "$P2" || fail "$SUITE" "cannot add $P1-$P2"

# Prints the completions of LINE (cursor at its end) in namespace B, one per line, sorted.
# Words are split as bash splits them with its default COMP_WORDBREAKS: at blanks, and '='
# and ':' are words of their own.
complete_b() {
	nsenter --net=/run/netns/"$NS_B" env PATH="$(dirname "$XDPLB"):$PATH" bash -c '
		. "$1"; . "$2"; line=$3
		read -ra COMP_WORDS <<<"$(sed -E "s/([=:])/ \1 /g" <<<"$line")"
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
		COMP_LINE=$line COMP_POINT=${#line}
		_xdplb xdplb "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_COMPLETION" "$COMPLETION" "$1" | sed '/^$/d' | sort
}

# expect NAME LINE WORDS...: the completions of LINE are exactly WORDS.
expect() {
	local name=$1 line=$2 got want
	shift 2
	got=$(complete_b "$line" | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort | tr '\n' ' ')
	[ "$got" = "$want" ] && ok "completion $name" ||
		fail "completion $name" "'$line' gave [$got], expected [$want]"
}

# The long options of --help, as a user reads them.
mapfile -t options < <("$XDPLB" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z0-9-]+' | sed -E 's/^ +(-[a-zA-Z], )?//')
[ "${#options[@]}" -ge 10 ] || fail "completion options" "cannot read --help"
expect "options" "xdplb --" "${options[@]}"
expect "options by prefix" "xdplb --de" $(printf '%s\n' "${options[@]}" | grep '^--de')
expect "nothing after an option that takes a number" "xdplb --qsize "

# Every kind of value of the option table has its case in the completion file.
kinds=$("$XDPLB" --list-options | awk '$4 != "none" { print $4 }' | sort -u)
missing=$(for k in $kinds; do grep -qE "^[[:space:]]+$k\)" "$COMPLETION" || echo "$k"; done | tr '\n' ' ')
[ -n "$kinds" ] && [ -z "$missing" ] && ok "completion handles every kind of the option table ($(echo $kinds))" ||
	fail "completion handles every kind of the option table" "no case for: $missing (kinds: $(echo $kinds))"

# The words xdplb's parser accepts, from its own error message ("one of sym, l4, l3"), for
# every option of the table whose value is one of some words.
accepted() {
	"$XDPLB" --detach "$1" bogus 2>&1 | sed -nE 's/.*: one of (.*)$/\1/p' | tr -d ',' | tr ' ' '\n'
}
word_opts=$("$XDPLB" --list-options | awk '$4 == "word" { print $1 }')
[ "$(echo $word_opts)" = "--hash --mode --remote" ] || fail "completion word options" "table: $(echo $word_opts)"
for opt in $word_opts; do
	words=$(accepted "$opt")
	[ -n "$words" ] || fail "completion $opt" "no list of accepted values from xdplb"
	# redirect:IF completes as "redirect:" and then an interface.
	expect "$opt values" "xdplb $opt " $(sed 's/:IF$/:/' <<<"$words")
done
# Every value offered passes the parser: with --detach the next complaint is the conflict.
bad=""
for v in $(complete_b "xdplb --table-size "); do
	"$XDPLB" --detach --table-size "$v" 2>&1 | grep -q -- "--table-size:" && bad+="$v "
done
[ -z "$bad" ] && [ -n "$(complete_b "xdplb --table-size ")" ] && ok "completion --table-size values pass the parser" ||
	fail "completion --table-size values pass the parser" "refused: $bad"

# Interfaces of the namespace the shell runs in (not the host's), in each spelling.
expect "--which: a protocol first" "xdplb --which --iface lo " tcp udp sctp icmp icmpv6 esp
expect "--which: how the packet travels, after the flow" "xdplb --which --iface lo udp 198.18.0.1:1 198.18.1.1:2 f" first-frag frag
expect "--iface" "xdplb --iface " lo "$IF_B" "$P1" "$P2"
expect "--iface by prefix" "xdplb --iface xlt$T_ID" "$IF_B" "$P1" "$P2"
expect "--iface=" "xdplb --iface=xlt$T_ID" "$IF_B" "$P1" "$P2"
expect "-i" "xdplb -i " lo "$IF_B" "$P1" "$P2"
expect "--check --iface" "xdplb --check --iface " lo "$IF_B" "$P1" "$P2"

# Online CPUs, expanded from the kernel's list by the test itself.
online=$(awk -v RS=, '{ n = split($0, r, "-"); for (c = r[1]; c <= r[n]; c++) print c }' \
	/sys/devices/system/cpu/online)
expect "--cpus" "xdplb --iface $IF_B --cpus " $online
first=$(head -1 <<<"$online")
expect "--cpus after a comma" "xdplb --cpus $first," $(grep -vx "$first" <<<"$online" | sed "s/^/$first,/")

# Running instances for the commands that act on one; none before the attach.
expect "--detach --iface, no instance" "xdplb --detach --iface "
if xdplb_b --iface "$IF_B" --cpus 0; then
	expect "--detach --iface" "xdplb --detach --iface " "$IF_B"
	expect "--confirm-ok --iface" "xdplb --confirm-ok --iface " "$IF_B"
	expect "--status --iface" "xdplb --status --iface " "$IF_B"
else
	fail "completion instances" "cannot attach"
fi

# Files for a PATH value.
mkdir -p "$files" && touch "$files/xdplb.prom" "$files/other.prom"
expect "--prometheus-file" "xdplb --status --prometheus-file $files/x" "$files/xdplb.prom"
rm -rf "$files"

# --redirect IN:OUT,... completes an interface after ':' and after ',', less those already
# in the list (xdplb refuses a port twice or equal to IN). bash replaces only the text after
# the last ':' (a word break), so that part alone is offered there.
if "$XDPLB" --help | grep -q -- '--redirect'; then
	expect "--redirect first" "xdplb --redirect xlt$T_ID" "$IF_B" "$P1" "$P2"
	expect "--redirect after :" "xdplb --redirect lo:" "$IF_B" "$P1" "$P2"
	expect "--redirect after ," "xdplb --redirect lo:$P1," "$P1,$IF_B" "$P1,$P2"
	expect "--remote redirect:" "xdplb --remote redirect:" lo "$IF_B" "$P1" "$P2"
else
	skip "completion --redirect" "this xdplb has no --redirect yet"
fi
exit 0
