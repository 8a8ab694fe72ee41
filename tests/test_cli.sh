#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_cli.sh: every bad input gets one line on stderr naming the value, exit 2 for usage
# and 1 for runtime errors, and leaves the machine exactly as it was: no program, no pin,
# and a running instance unchanged.
SUITE=test_cli
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd jq ip ethtool nsenter setpriv
T_CLI=$(mktemp -d /tmp/xlt-cli-XXXXXX)
mkfifo "$T_CLI/fifo"
trap 'topo_down; rm -rf "$T_CLI"' EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }

# What must not change: the XDP program on the interface, the pins, the instance's config.
machine_state() {
	xdp_prog_id "$NS_B" "$IF_B"
	find "$XDPLB_PIN_ROOT" 2>/dev/null | sort
	[ -d "$XDPLB_PIN_ROOT/$IF_B" ] && xdplb_b --status --json |
		jq -c '.instances[] | [.prog_id, .hash, .inner, .seed, .table_size, .remote, [.targets[] | [.cpu, .qsize, .weight]]]'
}

bad_matrix() {
	local p=$1
	expect "$p unknown interface" 2 "--iface: nosuch0: no such interface" -- --iface nosuch0 --cpus 0
	expect "$p cpus empty" 2 "--cpus: '': empty" -- --iface "$IF_B" --cpus ''
	expect "$p cpus a-b" 2 "--cpus: a-b: a list of CPUs" -- --iface "$IF_B" --cpus a-b
	expect "$p cpus 1-" 2 "--cpus: 1-: a list of CPUs" -- --iface "$IF_B" --cpus 1-
	expect "$p cpus comma" 2 "--cpus: ,: a list of CPUs" -- --iface "$IF_B" --cpus ,
	expect "$p cpus reversed" 2 "--cpus: 1-0: reversed range 1-0 \(write 0-1\)" -- --iface "$IF_B" --cpus 1-0
	expect "$p cpus impossible" 2 "--cpus: 4096: CPU 4096 does not exist; online CPUs: 0" -- --iface "$IF_B" --cpus 4096
	expect "$p cpus duplicate" 2 "--cpus: 0,0: CPU 0 is listed twice" -- --iface "$IF_B" --cpus 0,0
	# Issue 20: numbers past 2^64 are refused, not wrapped to CPU 0 or weight 2.
	expect "$p cpus 2^64" 2 "--cpus: 18446744073709551616: a list of CPUs" -- --iface "$IF_B" --cpus 18446744073709551616
	expect "$p cpus range 2^64" 2 "--cpus: 0-18446744073709551617: a list of CPUs" -- --iface "$IF_B" --cpus 0-18446744073709551617
	expect "$p cpus weight 2^64+2" 2 "--cpus: 0:18446744073709551618: a weight is an integer 1..100" -- --iface "$IF_B" --cpus 0:18446744073709551618
	expect "$p qsize 2^64" 2 "--qsize: 18446744073709551616: an integer" -- --iface "$IF_B" --cpus 0 --qsize 18446744073709551616
	expect "$p table-size 2^64" 2 "--table-size: 18446744073709551616: " -- --iface "$IF_B" --cpus 0 --table-size 18446744073709551616
	expect "$p redirect weight 2^64" 2 "--redirect: .*: the weight of port" -- --redirect "$IF_B:$IF_B:18446744073709551617"
	printf 'iface %s\ncpus 18446744073709551616\n' "$IF_B" >"$T_CLI/big.conf"
	expect "$p config cpus 2^64" 2 "big.conf:2: cpus: 18446744073709551616: a list of CPUs" -- --config "$T_CLI/big.conf"
	# A FIFO (or any non-regular file) as --config is refused at once, not read for ever.
	if timeout 5 nsenter --net=/run/netns/"$NS_B" "$XDPLB" --config "$T_CLI/fifo" 2>/dev/null; [ $? = 124 ]; then
		fail "$p config fifo" "still blocked reading the FIFO after 5 s"
	else
		expect "$p config fifo" 2 "--config: .*: not a regular file" -- --config "$T_CLI/fifo"
	fi
	expect "$p config dir" 2 "--config: .*: not a regular file" -- --config "$T_CLI"
	# Options --config would drop silently are refused.
	printf 'iface %s\ncpus 0\n' "$IF_B" >"$T_CLI/ok.conf"
	expect "$p config interval" 2 "--config: conflicts" -- --config "$T_CLI/ok.conf" --interval 2
	expect "$p config count" 2 "--config: conflicts" -- --config "$T_CLI/ok.conf" --count 2
	expect "$p config prometheus" 2 "--config: conflicts" -- --config "$T_CLI/ok.conf" --prometheus
	expect "$p config prometheus-file" 2 "--config: conflicts" -- --config "$T_CLI/ok.conf" --prometheus-file "$T_CLI/p.prom"
	expect "$p config-out prometheus" 2 "--config-out: conflicts" -- --status --iface "$IF_B" --config-out --prometheus
	expect "$p config-out prometheus-file" 2 "--config-out: conflicts" -- --status --iface "$IF_B" --config-out --prometheus-file "$T_CLI/p.prom"
	expect "$p cpus bad weight" 2 "--cpus: 0:0: a weight is an integer 1..100" -- --iface "$IF_B" --cpus 0:0
	expect "$p qsize 0" 2 "--qsize: 0: an integer 1..16384" -- --iface "$IF_B" --cpus 0 --qsize 0
	expect "$p qsize 16385" 2 "--qsize: 16385: an integer 1..16384" -- --iface "$IF_B" --cpus 0 --qsize 16385
	expect "$p qsize -1" 2 "--qsize: -1: an integer 1..16384" -- --iface "$IF_B" --cpus 0 --qsize -1
	expect "$p qsize 12x" 2 "--qsize: 12x: an integer 1..16384" -- --iface "$IF_B" --cpus 0 --qsize 12x
	expect "$p qsize huge" 2 "--qsize: 99999999999: an integer 1..16384" -- --iface "$IF_B" --cpus 0 --qsize 99999999999
	expect "$p qsize=form" 2 "--qsize: 0: an integer" -- --iface="$IF_B" --cpus=0 --qsize=0
	expect "$p hash unknown" 2 "--hash: md5: one of sym, l4, l3" -- --iface "$IF_B" --cpus 0 --hash md5
	expect "$p inner and no-inner" 2 "--no-inner: conflicts: give --inner or --no-inner" -- \
		--iface "$IF_B" --cpus 0 --inner --no-inner
	expect "$p status with inner" 2 "--status: conflicts: with --cpus, --redirect, --qsize, --hash, --\\[no-\\]inner" -- \
		--status --inner
	expect "$p seed bad" 2 "--seed: xyz: 1..16 hex digits" -- --iface "$IF_B" --cpus 0 --seed xyz
	expect "$p table size" 2 "--table-size: 1000: a power of two" -- --iface "$IF_B" --cpus 0 --table-size 1000
	expect "$p unknown option" 2 "--bogus: unknown option" -- --iface "$IF_B" --cpus 0 --bogus
	expect "$p missing cpus" 2 "--cpus: missing" -- --iface "$IF_B"
	expect "$p detach with cpus" 2 "--detach: conflicts: with --cpus" -- --detach --iface "$IF_B" --cpus 0
	expect "$p two commands" 2 "--status: conflicts: with --detach" -- --detach --status --iface "$IF_B"
	expect "$p stray argument" 2 "extra: unexpected argument" -- --iface "$IF_B" --cpus 0 extra
	expect "$p mode unknown" 2 "--mode: fast: one of native, skb, hw, auto" -- --iface "$IF_B" --cpus 0 --mode fast
	expect "$p confirm 0" 2 "--confirm: 0: an integer 1..3600" -- --iface "$IF_B" --cpus 0 --confirm 0
	expect "$p confirm 3601" 2 "--confirm: 3601: an integer 1..3600" -- --iface "$IF_B" --cpus 0 --confirm 3601
	expect "$p confirm 2s" 2 "--confirm: 2s: an integer 1..3600" -- --iface "$IF_B" --cpus 0 --confirm 2s
	expect "$p confirm-ok without iface" 2 "--confirm-ok: missing --iface" -- --confirm-ok
	expect "$p confirm-ok with cpus" 2 "--confirm-ok: conflicts: with --cpus" -- --confirm-ok --iface "$IF_B" --cpus 0
	expect "$p detach with confirm" 2 "--detach: conflicts: with .*--confirm" -- --detach --iface "$IF_B" --confirm 5
	expect "$p check with force" 2 "--check: conflicts: with .*--force" -- --check --force
}

# Against a bare interface: nothing may be attached or pinned afterwards.
bad_matrix bare

before=$(machine_state)
err=$(setpriv --reuid=65534 --regid=65534 --clear-groups nsenter --net=/run/netns/"$NS_B" \
	"$XDPLB" --iface "$IF_B" --cpus 0 2>&1 >/dev/null) 2>/dev/null
rc=$?
# nsenter itself needs privileges: run the unprivileged xdplb inside the namespace instead.
if grep -q "nsenter" <<<"$err"; then
	err=$(ip netns exec "$NS_B" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$XDPLB" --iface "$IF_B" --cpus 0 2>&1 >/dev/null)
	rc=$?
fi
if [ $rc = 1 ] && grep -qE "^xdplb: privileges: uid 65534 lacks CAP_BPF.*run as root$" <<<"$err" &&
   [ "$before" = "$(machine_state)" ]; then
	ok "not root"
else
	fail "not root" "exit $rc: $err"
fi

# --confirm-ok with nothing pending is a runtime error that changes nothing.
expect "confirm-ok with nothing pending" 1 "--confirm-ok: $IF_B: no change is waiting for confirmation" -- \
	--confirm-ok --iface "$IF_B"

# A pin root that is not on a bpffs: refused before anything is attached.
mkdir -p /tmp/xdplb-no-bpffs-$T_ID
err=$(XDPLB_PIN_ROOT=/tmp/xdplb-no-bpffs-$T_ID/xdplb xdplb_b --iface "$IF_B" --cpus 0 2>&1)
rc=$?
if [ $rc = 1 ] && grep -q "not on a bpffs" <<<"$err" && [ -z "$(xdp_prog_id "$NS_B" "$IF_B")" ] &&
   [ -z "$(ls -A /tmp/xdplb-no-bpffs-$T_ID)" ]; then
	ok "bpffs absent"
else
	fail "bpffs absent" "exit $rc: $err"
fi
rm -rf /tmp/xdplb-no-bpffs-$T_ID

# An attach that fails in the kernel (no offload on veth) is rolled back completely.
expect "attach failure rolls back" 1 "attach in hw mode failed" -- --iface "$IF_B" --cpus 0 --mode hw

# A foreign XDP program is reported and left alone.
ip -n "$NS_B" link set dev "$IF_B" xdp obj "$ROOT/build/tests/foreign_pass.bpf.o" sec xdp
foreign=$(xdp_prog_id "$NS_B" "$IF_B")
expect "foreign program refused" 1 "runs another XDP program, 'foreign_pass' \(id $foreign" -- \
	--iface "$IF_B" --cpus 0
[ "$(xdp_prog_id "$NS_B" "$IF_B")" = "$foreign" ] && ok "foreign program untouched" ||
	fail "foreign program untouched" "program id changed from $foreign"
ip -n "$NS_B" link set dev "$IF_B" xdp off

# Against a running instance: every bad input leaves it exactly as it was.
if xdplb_b --iface "$IF_B" --cpus 0-1 --qsize 256 --hash l4 --seed 0xabc; then
	bad_matrix live
	expect "live mode change refused" 2 "--mode: skb: $IF_B runs in native mode" -- \
		--iface "$IF_B" --cpus 0 --mode skb
	expect "detach nothing" 1 "--detach: nosuch0: no xdplb instance" -- --detach --iface nosuch0
else
	fail "live instance" "could not attach"
fi

out=$("$XDPLB" --help); rc=$?
[ $rc = 0 ] && grep -q "^Usage:" <<<"$out" && grep -q -- "--cpus LIST" <<<"$out" && ok "help" || fail "help" "exit $rc"
out=$("$XDPLB" --version); rc=$?
[ $rc = 0 ] && grep -qE "^xdplb [0-9]+\.[0-9]+\.[0-9]+" <<<"$out" && ok "version" || fail "version" "exit $rc: $out"
out=$(XDPLB_PIN_ROOT=/sys/fs/bpf/xdplb-empty-$T_ID xdplb_b --status --json); rc=$?
[ $rc = 0 ] && [ "$out" = '{"instances": []}' ] && ok "status with no instance" || fail "status with no instance" "exit $rc: $out"
rmdir /sys/fs/bpf/xdplb-empty-$T_ID 2>/dev/null
exit 0
