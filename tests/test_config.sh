#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_config.sh: the configuration file and what a fleet relies on. Bad files are refused
# with FILE:LINE and change nothing; a file is applied whole; --config-out of one instance
# applied to another (another namespace, another interface) gives the same settings, a
# byte-identical live table and the same --which answers; the order of --cpus does not
# matter, nor the history of changes; the seed is random at attach and then kept;
# --table-size applies live; a weight change moves about the ideal share of table slots.
SUITE=test_config
. "$(dirname "$0")/lib.sh"
netns_suite jq ip ethtool nsenter bpftool
DIR=$T_TMP

config_out_a() { xdplb_a --status --iface "$IF_A" --config-out; }
config_out_b() { xdplb_b --status --iface "$IF_B" --config-out; }
# A configuration without the lines that name the interface: what two nodes share.
shared_part() { grep -v -e '^iface ' -e '^# xdplb configuration of '; }
value_of() { awk -v k="$1" '$1 == k { print $2 }'; }

# The live table as bpftool reads it from the pins, independently of xdplb: a header line
# "seed mode size", then the value of each slot of the active half.
live_table() {
	local dir=$XDPLB_PIN_ROOT/$1 cfg active
	cfg=$(bpftool -j map lookup pinned "$dir/xdplb_config" key 0 0 0 0) || return 1
	active=$(jq '.formatted.value.active' <<<"$cfg")
	jq -r ".formatted.value.half[$active] | \"\(.seed) \(.hash_mode) \(.table_mask + 1)\"" <<<"$cfg"
	# Lines of 32 two-byte slots (maps/xdplb_table.h), 2048 lines to a half.
	bpftool -j map dump pinned "$dir/xdplb_table" | jq -r --argjson lo $(( active * 2048 )) \
		--argjson n "$(jq "(.formatted.value.half[$active].table_mask + 1) / 32" <<<"$cfg")" \
		'.[] | .formatted | select(.key >= $lo and .key < $lo + $n) | .value.slot[]'
}

# What must not change when a file is refused: the program and the running configuration.
machine_state() {
	xdp_prog_id "$NS_B" "$IF_B"
	find "$XDPLB_PIN_ROOT" 2>/dev/null | sort
	[ -d "$XDPLB_PIN_ROOT/$IF_B" ] && config_out_b
}

# bad_file NAME CODE PATTERN CONTENT [EXTRA ARGS]: a file of CONTENT is refused with exit
# CODE and one stderr line "xdplb: PATTERN" ("F" standing for the file's path), nothing
# changed (lib.sh's expect).
bad_file() {
	local name=$1 code=$2 pattern=$3 f=$DIR/bad.conf
	printf '%b' "$4" >"$f"
	shift 4
	expect "$name" "$code" "^xdplb: ${pattern//F/$f}" -- --config "$f" "$@"
}

bad_files() {
	local p=$1 head="iface $IF_B\ncpus 0-1\n"
	bad_file "$p unknown key" 2 "F:3: bogus: unknown key: one of iface, cpus, redirect" "${head}bogus 1\n"
	bad_file "$p option spelled with dashes" 2 "F:3: --qsize: unknown key" "${head}--qsize 5\n"
	bad_file "$p command as a key" 2 "F:1: status: unknown key" "status\n$head"
	bad_file "$p key twice" 2 "F:4: cpus: given twice: first on line 2" "${head}# again\ncpus 1\n"
	bad_file "$p bad value on the last line" 2 "F:9: qsize: 0: an integer 1..16384" \
		"# all good but the last line\n${head}hash sym\nseed 0x1\nmode native\nremote none\ntable-size 4096\nqsize 0\n"
	bad_file "$p cpus do not exist" 2 "F:2: cpus: 4096: CPU 4096 does not exist; online CPUs" \
		"iface $IF_B\ncpus 4096\n"
	bad_file "$p weight 0" 2 "F:2: cpus: 0:0: a weight is an integer 1..100" "iface $IF_B\ncpus 0:0\n"
	bad_file "$p hash" 2 "F:3: hash: md5: one of sym, l4, l3" "${head}hash md5\n"
	bad_file "$p seed" 2 "F:3: seed: xyz: 1..16 hex digits" "${head}seed xyz\n"
	bad_file "$p mode" 2 "F:3: mode: fly: one of native, skb, hw" "${head}mode fly\n"
	bad_file "$p remote" 2 "F:3: remote: x: one of none, pass, drop" "${head}remote x\n"
	bad_file "$p table size" 2 "F:3: table-size: 1000: a power of two 64..65536" "${head}table-size 1000\n"
	bad_file "$p value for a flag" 2 "F:3: inner: yes: takes no value" "${head}inner yes\n"
	bad_file "$p inner and no-inner" 2 "F:4: no-inner: conflicts: give --inner or --no-inner" \
		"${head}inner\nno-inner\n"
	bad_file "$p pass-non-ip without redirect" 2 "F:3: pass-non-ip: conflicts: goes with --redirect" \
		"${head}pass-non-ip\n"
	bad_file "$p iface and redirect" 2 "F:1: iface: conflicts: with --redirect" \
		"iface $IF_B\nredirect $IF_B:lo\n"
	bad_file "$p two words" 2 "F:2: cpus: 0 1: one value, without spaces" "iface $IF_B\ncpus 0 1\n"
	bad_file "$p key without value" 2 "F:3: qsize: missing value" "${head}qsize\n"
	bad_file "$p no such interface" 2 "F:1: iface: nosuch0: no such interface" "iface nosuch0\ncpus 0\n"
	bad_file "$p interface missing" 2 "F: iface: missing" "cpus 0\n"
	bad_file "$p cpus missing" 2 "F: cpus: missing" "iface $IF_B\n"
	bad_file "$p only comments" 2 "--config: F: no settings in it" "# nothing\n\n   \n"
	bad_file "$p NUL byte" 2 "--config: F: not a text file" "${head}qsize 1\0000\n"
	bad_file "$p with --cpus" 2 "--config: conflicts: with other options" "$head" --cpus 0
	bad_file "$p with --iface" 2 "--config: conflicts: with other options" "$head" --iface "$IF_B"
	head -c 70000 /dev/zero | tr '\0' '#' >"$DIR/big.conf"
	err=$(xdplb_b --config "$DIR/big.conf" 2>&1)
	[ $? = 2 ] && grep -q "^xdplb: --config: $DIR/big.conf: larger than 65536 bytes" <<<"$err" &&
		ok "$p file too large" || fail "$p file too large" "$err"
	err=$(xdplb_b --config "$DIR/none.conf" 2>&1)
	[ $? = 2 ] && grep -q "^xdplb: --config: $DIR/none.conf: cannot read it: No such file" <<<"$err" &&
		ok "$p file missing" || fail "$p file missing" "$err"
}

bad_files "config bare:"
[ -z "$(xdp_prog_id "$NS_B" "$IF_B")" ] && ok "config bare: nothing attached" ||
	fail "config bare: nothing attached" "a program is attached"

# A file with comments, blank lines, tabs and a CRLF line is applied whole.
printf '# test fleet\n\niface %s\ncpus\t1:3,0   # weighted\r\nqsize 1024\nhash l4\ninner\nseed 0xfeed5eed\nmode native\nremote none\ntable-size 1024\n' \
	"$IF_B" >"$DIR/fleet.conf"
if xdplb_b --config "$DIR/fleet.conf"; then
	json=$(xdplb_b --status --json | jq -c --arg i "$IF_B" '.instances[] | select(.ifname == $i) |
		[.hash, .seed, .table_size, .remote, .mode, [.targets[] | [.cpu, .weight, .qsize]]]')
	want='["l4","0xfeed5eed",1024,"none","native",[[1,3,1024],[0,1,1024]]]'
	[ "$json" = "$want" ] && ok "config: file applied" || fail "config: file applied" "$json, expected $want"
else
	fail "config: file applied" "xdplb --config exited $?"
fi
out=$(config_out_b)
missing=""
for kv in "iface $IF_B" "cpus 0,1:3" "qsize 1024" "hash l4" "inner" "seed 0xfeed5eed" "mode native" \
	  "remote none" "table-size 1024"; do
	grep -qx "$kv" <<<"$out" || missing="$missing [$kv]"
done
[ -z "$missing" ] && ok "config-out: every key" || fail "config-out: every key" "no line$missing in: $out"
grep -qE "^# live table: 1024 slots, digest 0x[0-9a-f]{16} " <<<"$out" &&
	ok "config-out: digest of the live table" || fail "config-out: digest of the live table" "$out"
# The digest, computed apart from xdplb: FNV-1a 64 over the hash version the instance
# records, then each slot of the live half as 4 little-endian bytes (CPU mode).
hv=$(xdplb_b --status --json | jq --arg i "$IF_B" '.instances[] | select(.ifname == $i) | .hash_version')
want=$(live_table "$IF_B" | tail -n +2 | python3 -c '
import sys, struct
h = 0xcbf29ce484222325
for v in [int(sys.argv[1])] + [int(x) for x in sys.stdin.read().split()]:
    for b in struct.pack("<I", v):
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print("0x%016x" % h)' "${hv:-0}")
got=$(sed -n 's/^# live table: [0-9]* slots, digest \(0x[0-9a-f]*\) .*/\1/p' <<<"$out")
[ "$hv" = 1 ] && [ "$got" = "$want" ] &&
	ok "config-out: the digest covers hash version $hv and the slots" ||
	fail "config-out: the digest covers hash version $hv and the slots" "digest $got, expected $want (hash_version ${hv:-none})"

bad_files "config live:"
bad_file "config live: mode cannot change live" 2 "F:3: mode: skb: $IF_B runs in native mode" \
	"iface $IF_B\ncpus 0-1\nmode skb\n"

# Applying a node's own --config-out changes nothing.
prog=$(xdp_prog_id "$NS_B" "$IF_B")
config_out_b >"$DIR/b.conf"
xdplb_b --config "$DIR/b.conf" && [ "$(config_out_b)" = "$(cat "$DIR/b.conf")" ] &&
	[ "$(xdp_prog_id "$NS_B" "$IF_B")" = "$prog" ] && ok "config-out applied to itself changes nothing" ||
	fail "config-out applied to itself changes nothing" "$(diff <(config_out_b) "$DIR/b.conf")"

# Another node: B's --config-out, iface edited, applied in namespace A.
sed "s/^iface .*/iface $IF_A/" "$DIR/b.conf" >"$DIR/a.conf"
if xdplb_a --config "$DIR/a.conf"; then
	if [ "$(config_out_a | shared_part)" = "$(shared_part <"$DIR/b.conf")" ]; then
		ok "fleet: the other node runs the same configuration and table digest"
	else
		fail "fleet: the other node runs the same configuration and table digest" \
			"$(diff <(config_out_a | shared_part) <(shared_part <"$DIR/b.conf") | tr '\n' ' ')"
	fi
	live_table "$IF_A" >"$DIR/a.table"
	live_table "$IF_B" >"$DIR/b.table"
	if [ "$(wc -l <"$DIR/a.table")" = 1025 ] && cmp -s "$DIR/a.table" "$DIR/b.table"; then
		ok "fleet: live tables byte-identical (bpftool)"
	else
		fail "fleet: live tables byte-identical (bpftool)" \
			"$(wc -l <"$DIR/a.table") lines; $(cmp "$DIR/a.table" "$DIR/b.table" 2>&1)"
	fi
	diffs=""
	for i in $(seq 1 24); do
		for f in "udp 198.18.$i.1:$((1000 + i)) 198.18.0.2:53" "tcp 198.18.0.1:$((30000 + i * 7)) 198.18.0.$i:443" \
			 "sctp [fd00::$i]:$i [fd00::2]:36412" "icmp 198.18.0.$i 198.19.0.1"; do
			# shellcheck disable=SC2086
			wa=$(xdplb_a --which --iface "$IF_A" $f) wb=$(xdplb_b --which --iface "$IF_B" $f)
			[ -n "$wa" ] && [ "$wa" = "$wb" ] || diffs="$diffs [$f: $wa / $wb]"
		done
	done
	[ -z "$diffs" ] && ok "fleet: --which answers agree on 96 flows" ||
		fail "fleet: --which answers agree on 96 flows" "$diffs"
else
	fail "fleet: the other node runs the same configuration and table digest" "apply failed"
fi

# The file is the whole configuration: a key left out is its default again; the seed,
# left out, stays what the instance runs with.
printf 'iface %s\ncpus 0-1\n' "$IF_B" >"$DIR/min.conf"
xdplb_b --config "$DIR/min.conf"
out=$(config_out_b)
[ "$(value_of qsize <<<"$out")" = 2048 ] && [ "$(value_of hash <<<"$out")" = sym ] &&
	[ "$(value_of table-size <<<"$out")" = 4096 ] && ! grep -qx inner <<<"$out" &&
	ok "config: keys left out are defaults" ||
	fail "config: keys left out are defaults" "$out"
[ "$(value_of seed <<<"$out")" = 0xfeed5eed ] && ok "config: seed left out is kept" ||
	fail "config: seed left out is kept" "seed $(value_of seed <<<"$out")"

# How to apply may come with a file: --confirm, then --confirm-ok keeps the change.
printf 'iface %s\ncpus 1\nno-inner\n' "$IF_B" >"$DIR/one.conf"
if xdplb_b --config "$DIR/one.conf" --confirm 60 2>/dev/null && xdplb_b --confirm-ok --iface "$IF_B" &>/dev/null &&
   [ "$(config_out_b | value_of cpus)" = 1 ]; then
	ok "config: --confirm goes with --config"
else
	fail "config: --confirm goes with --config" "$(config_out_b | value_of cpus)"
fi
xdplb_b --config "$DIR/min.conf"

# Port mode: the redirect line names IN and the ports, known by name on every node.
P1=xlt${T_ID}p P2=xlt${T_ID}q
for ns in "$NS_A" "$NS_B"; do
	for p in "$P1" "$P2"; do
		ip -n "$ns" link add "$p" type veth peer name "${p}x" && ip -n "$ns" link set "$p" up &&
			ip -n "$ns" link set "${p}x" up
	done
done
xdplb_a --detach --iface "$IF_A"
if xdplb_a --redirect "$IF_A:$P1,$P2:3" --seed 0x42 --table-size 512 2>/dev/null; then
	config_out_a | sed "s/^redirect $IF_A:/redirect $IF_B:/" >"$DIR/ports.conf"
	xdplb_b --detach --iface "$IF_B"
	xdplb_b --config "$DIR/ports.conf" 2>/dev/null
	diffs=""
	for i in $(seq 1 16); do
		f="udp 198.18.$i.1:$((2000 + i)) 198.18.0.2:53"
		# shellcheck disable=SC2086
		wa=$(xdplb_a --which --iface "$IF_A" $f) wb=$(xdplb_b --which --iface "$IF_B" $f)
		[[ "$wa" == "port $P1" || "$wa" == "port $P2" ]] && [ "$wa" = "$wb" ] || diffs="$diffs [$f: $wa / $wb]"
	done
	if [ "$(config_out_b | grep -v '^# xdplb configuration of')" = "$(grep -v '^# xdplb configuration of' "$DIR/ports.conf")" ] &&
	   [ -z "$diffs" ]; then
		ok "fleet: port mode, same ports by name, same digest and --which answers"
	else
		fail "fleet: port mode, same ports by name, same digest and --which answers" \
			"$(diff <(config_out_b) "$DIR/ports.conf" | tr '\n' ' ') $diffs"
	fi
	grep -qx "redirect $IF_B:$P1,$P2:3" "$DIR/ports.conf" && ! grep -q '^iface\|^cpus\|^qsize\|^remote' "$DIR/ports.conf" &&
		ok "config-out: port mode writes redirect, not iface, cpus, qsize, remote" ||
		fail "config-out: port mode writes redirect, not iface, cpus, qsize, remote" "$(cat "$DIR/ports.conf")"
else
	fail "fleet: port mode, same ports by name, same digest and --which answers" "redirect attach failed"
fi
xdplb_a --detach --iface "$IF_A"
xdplb_b --detach --iface "$IF_B"

# The default table: 1024 slots per target the instance could have (each possible CPU, or
# each port given), a power of two 4096..65536, kept by changes that do not name a size.
size_b() { status_q ".instances[] | select(.ifname == \"$IF_B\") | .table_size"; }
possible=$(( $(sed 's/.*-//' /sys/devices/system/cpu/possible) + 1 ))
want=4096
while [ $want -lt 65536 ] && [ $want -lt $(( possible * 1024 )) ]; do want=$(( want * 2 )); done
for p in "${P1}3" "${P1}4" "${P1}5"; do
	ip -n "$NS_B" link add "$p" type veth peer name "${p}x" && ip -n "$NS_B" link set "$p" up &&
		ip -n "$NS_B" link set "${p}x" up
done
sizes=""
xdplb_b --iface "$IF_B" --cpus 0 && sizes="cpus $(size_b)"
xdplb_b --detach --iface "$IF_B"
xdplb_b --redirect "$IF_B:$P1,$P2,${P1}3,${P1}4,${P1}5" 2>/dev/null && sizes="$sizes, 5 ports $(size_b)"
xdplb_b --redirect "$IF_B:$P1" 2>/dev/null && sizes="$sizes, then 1 port $(size_b)"
xdplb_b --detach --iface "$IF_B"
xdplb_b --redirect "$IF_B:$P1" 2>/dev/null && sizes="$sizes, 1 port $(size_b)"
xdplb_b --detach --iface "$IF_B"
[ "$sizes" = "cpus $want, 5 ports 8192, then 1 port 8192, 1 port 4096" ] &&
	ok "default table size: 1024 per possible CPU or port, 4096..65536, kept by changes" ||
	fail "default table size: 1024 per possible CPU or port, 4096..65536, kept by changes" \
		"$sizes (CPU mode wants $want for $possible possible CPUs)"

xdplb_a --config "$DIR/a.conf"
xdplb_b --config "$DIR/min.conf"

# Seeds: random at attach, different each time, kept across every reconfiguration.
seed_b() { config_out_b | value_of seed; }
xdplb_b --detach --iface "$IF_B"
xdplb_b --iface "$IF_B" --cpus 0
s1=$(seed_b)
xdplb_b --detach --iface "$IF_B"
xdplb_b --iface "$IF_B" --cpus 0
s2=$(seed_b)
[ -n "$s1" ] && [ "$s1" != 0x0 ] && [ "$s1" != "$s2" ] && ok "seed: random at each attach" ||
	fail "seed: random at each attach" "$s1 then $s2"
kept=yes
for change in "--cpus 0-1" "--cpus 0:1,1:3 --table-size 256" "--cpus 1 --hash l3" "--cpus 0-1 --qsize 64"; do
	# shellcheck disable=SC2086
	xdplb_b --iface "$IF_B" $change && [ "$(seed_b)" = "$s2" ] || kept="no, after $change: $(seed_b)"
done
xdplb_b --config "$DIR/min.conf" && [ "$(seed_b)" = "$s2" ] || kept="no, after --config: $(seed_b)"
[ "$kept" = yes ] && ok "seed: kept across reconfigurations" || fail "seed: kept across reconfigurations" "$kept"
xdplb_b --iface "$IF_B" --cpus 0-1 --seed 0xabc
xdplb_b --iface "$IF_B" --cpus 0
[ "$(seed_b)" = 0xabc ] && ok "seed: --seed fixes it, then kept" || fail "seed: --seed fixes it, then kept" "$(seed_b)"

# Determinism: the order of --cpus and the history of changes do not matter.
xdplb_a --detach --iface "$IF_A"
xdplb_b --detach --iface "$IF_B"
xdplb_a --iface "$IF_A" --cpus 1,0 --seed 0x5eed
xdplb_b --iface "$IF_B" --cpus 0,1 --seed 0x5eed
live_table "$IF_A" >"$DIR/a.table"
live_table "$IF_B" >"$DIR/b.table"
cmp -s "$DIR/a.table" "$DIR/b.table" && [ "$(wc -l <"$DIR/a.table")" = 4097 ] &&
	ok "determinism: --cpus 1,0 and 0,1 give byte-identical tables (bpftool)" ||
	fail "determinism: --cpus 1,0 and 0,1 give byte-identical tables (bpftool)" "$(cmp "$DIR/a.table" "$DIR/b.table" 2>&1)"
digest() { "$@" | grep '^# live table'; }
xdplb_a --iface "$IF_A" --cpus 1:3,0:1
xdplb_b --iface "$IF_B" --cpus 0:1,1:3
[ "$(digest config_out_a)" = "$(digest config_out_b)" ] &&
	ok "determinism: weighted, in either order" ||
	fail "determinism: weighted, in either order" "$(digest config_out_a) / $(digest config_out_b)"
xdplb_a --iface "$IF_A" --cpus 0
xdplb_a --iface "$IF_A" --cpus 1:2 --table-size 512
xdplb_a --iface "$IF_A" --cpus 1:3,0 --table-size 4096
[ "$(digest config_out_a)" = "$(digest config_out_b)" ] &&
	ok "determinism: the history of changes does not matter" ||
	fail "determinism: the history of changes does not matter" "$(digest config_out_a) / $(digest config_out_b)"

# --table-size applies live: the program stays, the live half has the new mask.
prog=$(xdp_prog_id "$NS_B" "$IF_B")
bad=""
for size in 256 64 65536 4096; do
	xdplb_b --iface "$IF_B" --cpus 0-1 --table-size $size || bad="$bad [$size refused]"
	mask=$(live_half "$IF_B" .table_mask)
	if [ "$mask" != $(( size - 1 )) ] || [ "$(xdp_prog_id "$NS_B" "$IF_B")" != "$prog" ] ||
	   [ "$(status_q ".instances[] | select(.ifname == \"$IF_B\") | .table_size")" != $size ]; then
		bad="$bad [size $size: mask $mask, prog $(xdp_prog_id "$NS_B" "$IF_B") (was $prog)]"
	fi
done
[ -z "$bad" ] && ok "table-size: 256, 64, 65536, 4096 applied live" || fail "table-size live" "$bad"

# Flows moved by each change of a sequence, measured on the live tables: the fraction of
# slots whose target changed, against the ideal (the share that has to move).
measure_moves() {
	local prev="" spec ideal line moved bad=""
	while read -r spec ideal; do
		xdplb_b --iface "$IF_B" --cpus "$spec" --table-size 4096 || return 1
		live_table "$IF_B" | tail -n +2 >"$DIR/now.table"
		if [ -n "$prev" ]; then
			moved=$(paste -d' ' "$DIR/prev.table" "$DIR/now.table" | awk '$1 != $2' | wc -l)
			line="$prev -> $spec: moved $moved of 4096 = $(awk "BEGIN { printf \"%.3f\", $moved / 4096 }") (ideal $ideal)"
			echo "   $line"
			awk "BEGIN { exit !($moved / 4096 <= 1.2 * $ideal) }" || bad="$bad [$line]"
		fi
		mv "$DIR/now.table" "$DIR/prev.table"
		prev=$spec
	done
	[ -z "$bad" ] && ok "moves: each change moves at most 1.2x the ideal share" ||
		fail "moves: each change moves at most 1.2x the ideal share" "$bad"
}
measure_moves <<'EOF'
0 -
0-1 0.5
0:1,1:3 0.25
0:3,1:1 0.5
0:1,1:2 0.4167
0 0.6667
EOF
xdplb_a --detach --iface "$IF_A"
xdplb_b --detach --iface "$IF_B"
exit 0
