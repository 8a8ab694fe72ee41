#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_check.sh: xdplb --check, the environment doctor, on a veth pair between two
# namespaces. Each fact it reports is compared with what ip, ethtool, uname, ldd and the
# kernel config say; each problem it finds is created here on purpose, and its fix line
# is run to see the problem go away. --check only reads: the suite checks that too.
SUITE=test_check
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd jq ip ethtool nsenter unshare setpriv realpath
trap topo_down EXIT INT TERM
topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }
# B reaches the world through A, as a server does through its gateway.
ip -n "$NS_B" route add default via $IP_A dev "$IF_B"

# The line of check NAME in a --check output (levels are ok, warn, fail).
line_of() { grep -E "^(ok|warn|fail) +$2: " <<<"$1"; }
level_of() { line_of "$1" "$2" | awk '{print $1}'; }
# The command after "; fix: " on that line.
fix_of() { local l; l=$(line_of "$1" "$2"); [ "$l" != "${l##*; fix: }" ] && echo "${l##*; fix: }"; }

# check NAME COND DETAIL: ok when COND (a bash expression) holds.
check() { if eval "$2"; then ok "$1"; else fail "$1" "$3"; fi; }

before_state=$(xdp_prog_id "$NS_B" "$IF_B"; find "$XDPLB_PIN_ROOT" 2>/dev/null)
out=$(xdplb_b --check --iface "$IF_B"); rc=$?
check "check on a veth exits 0" '[ $rc = 0 ] && [ "$(tail -1 <<<"$out")" = "xdplb can run here" ]' \
	"exit $rc: $(tail -3 <<<"$out")"
bad=$(sed '$d' <<<"$out" | grep -vE '^(ok|warn|fail) +[^:]+: .+')
check "one check per line, each ok, warn or fail" '[ -z "$bad" ]' "malformed lines: $bad"
check "check changes nothing" '[ "$before_state" = "$(xdp_prog_id "$NS_B" "$IF_B"; find "$XDPLB_PIN_ROOT" 2>/dev/null)" ]' \
	"program or pins appeared"

# Interface facts against ip and ethtool.
mtu=$(ip -n "$NS_B" -o link show dev "$IF_B" | grep -o 'mtu [0-9]*' | awk '{print $2}')
drv=$(in_b ethtool -i "$IF_B" | awk '/^driver:/ {print $2}')
# ethtool -l prints n/a for a zero count.
channels=$(in_b ethtool -l "$IF_B" | awk '/^Current/ {cur=1} cur && /^(RX|TX|Combined):/ {
	printf "%s ", ($2 == "n/a" ? 0 : $2) }')
read -r rxq txq combined <<<"$channels"
basics=$(line_of "$out" "$IF_B")
check "driver, queues and MTU match ethtool and ip" \
	'[ "$basics" = "ok   $IF_B: driver $drv, kind veth, queues rx $rxq, tx $txq, combined $combined (ethtool -l), mtu $mtu, up" ]' \
	"ethtool: driver $drv, channels $channels; ip: mtu $mtu; xdplb: $basics"
check "a veth reports native XDP" '[ "$(level_of "$out" "$IF_B xdp modes")" = ok ] &&
	line_of "$out" "$IF_B xdp modes" | grep -q ": native, skb (xdp_features: basic redirect"' \
	"$(line_of "$out" "$IF_B xdp modes")"
check "no XDP program reported as none" '[ "$(line_of "$out" "$IF_B xdp program")" = "ok   $IF_B xdp program: none" ]' \
	"$(line_of "$out" "$IF_B xdp program")"
check "the default route's interface is shown as guarded" \
	'line_of "$out" "$IF_B guard" | grep -q "carries the default route via $IP_A"' "$(line_of "$out" "$IF_B guard")"

# Machine facts against uname, the kernel config, nproc and the loaded libraries.
check "kernel version" 'grep -qF "ok   kernel: $(uname -r) ($(uname -m))" <<<"$out"' "$(line_of "$out" kernel)"
if [ -r /proc/config.gz ]; then
	syscall=$(zcat /proc/config.gz | grep -E '^CONFIG_BPF_SYSCALL=' | cut -d= -f2)
	check "kernel config read from /proc/config.gz" \
		'line_of "$out" "kernel config" | grep -q "CONFIG_BPF_SYSCALL=${syscall:-x}.*(/proc/config.gz)"' \
		"config says CONFIG_BPF_SYSCALL=$syscall; xdplb: $(line_of "$out" "kernel config")"
else
	skip "kernel config read from /proc/config.gz" "this kernel publishes no /proc/config.gz"
fi
[ -e /sys/kernel/btf/vmlinux ] && want=ok || want=fail
check "btf" '[ "$(level_of "$out" btf)" = $want ]' "$(line_of "$out" btf)"
cpus=$(line_of "$out" cpus)
check "online CPUs and NUMA nodes" \
	'grep -q "cpus: $(nproc) online: " <<<"$cpus" && { [ ! -d /sys/devices/system/node/node0 ] || grep -q "NUMA node 0: " <<<"$cpus"; }' \
	"nproc $(nproc); xdplb: $cpus"
libbpf=$(realpath "$(ldd "$XDPLB" | awk '/libbpf.so/ {print $3}')")
libxdp=$(realpath "$(ldd "$XDPLB" | awk '/libxdp.so/ {print $3}')")
check "libbpf and libxdp found at run time" \
	'line_of "$out" libbpf | grep -qF "$libbpf" && [ "$(line_of "$out" libxdp)" = "ok   libxdp: $libxdp" ]' \
	"ldd: $libbpf $libxdp; xdplb: $(line_of "$out" libbpf) / $(line_of "$out" libxdp)"
check "dispatcher availability is stated" \
	'line_of "$out" "libxdp dispatcher" | grep -qE "^ok .*: available|^warn .*: unavailable \(cannot "' \
	"$(line_of "$out" "libxdp dispatcher")"

# JSON: the same facts for scripts.
json=$(xdplb_b --check --iface "$IF_B" --json); rc=$?
check "--json" '[ $rc = 0 ] && jq -e --arg i "$IF_B" --argjson m "$mtu" ".can_run == true and
	(.checks | length) > 10 and all(.checks[]; .level == \"ok\" or .level == \"warn\" or .level == \"fail\") and
	(.interfaces[0] | .ifname == \$i and .driver == \"veth\" and .native == true and .mtu == \$m and
	 .xdp_prog_id == 0 and .default_route == true)" <<<"$json" >/dev/null' "exit $rc: $json"

# fix_works TEST CHECK FIX: CHECK warns with exactly FIX as its fix line, and FIX, run as
# printed, turns it ok.
fix_works() {
	local name=$2 want=$3 out fix
	out=$(xdplb_b --check --iface "$IF_B")
	fix=$(fix_of "$out" "$name")
	check "$1 warned, with its fix" '[ "$(level_of "$out" "$name")" = warn ] && [ "$fix" = "$want" ]' \
		"$(line_of "$out" "$name")"
	eval "$fix" >/dev/null
	out=$(xdplb_b --check --iface "$IF_B")
	check "$1: the fix clears it" '[ "$(level_of "$out" "$name")" = ok ]' "$(line_of "$out" "$name")"
}
# Trap: the peer sends with checksum offload.
in_a ethtool -K "$IF_A" tx on >/dev/null
fix_works "peer with checksum offload" "$IF_B peer checksum" "ip netns exec $NS_A ethtool -K $IF_A tx off"
# Trap: the peer takes no XDP-redirected frames without GRO or XDP; the kernel agrees.
fix_works "veth redirect target without GRO on its peer" "$IF_B redirect target" \
	"ip netns exec $NS_A ethtool -K $IF_A gro on"
json=$(xdplb_b --check --iface "$IF_B" --json)
check "with GRO on the peer the kernel offers ndo-xmit" \
	'jq -e "(.interfaces[0].xdp_features | contains(\"ndo-xmit\"))" <<<"$json" >/dev/null' \
	"$(jq -c '.interfaces[0].xdp_features' <<<"$json")"
in_a ethtool -K "$IF_A" gro off >/dev/null

# A foreign program keeps xdplb off the interface: a failure, with the command to remove it.
ip -n "$NS_B" link set dev "$IF_B" xdp obj "$ROOT/build/tests/foreign_pass.bpf.o" sec xdp
foreign=$(xdp_prog_id "$NS_B" "$IF_B")
out=$(xdplb_b --check --iface "$IF_B"); rc=$?
check "foreign program: fail and exit 1" \
	'[ $rc = 1 ] && line_of "$out" "$IF_B xdp program" | grep -q "^fail .*'"'"'foreign_pass'"'"' (id $foreign, native mode).*; fix: ip link set dev $IF_B xdp off"' \
	"exit $rc: $(line_of "$out" "$IF_B xdp program")"
check "foreign program left in place by --check" '[ "$(xdp_prog_id "$NS_B" "$IF_B")" = "$foreign" ]' "id changed"
ip -n "$NS_B" link set dev "$IF_B" xdp off
# Without --iface the same program is only a warning: other interfaces may do.
ip -n "$NS_B" link set dev "$IF_B" xdp obj "$ROOT/build/tests/foreign_pass.bpf.o" sec xdp
out=$(xdplb_b --check); rc=$?
check "every interface without --iface, lo left out, foreign only a warning" \
	'[ $rc = 0 ] && [ "$(level_of "$out" "$IF_B xdp program")" = warn ] && ! line_of "$out" lo >/dev/null' \
	"exit $rc: $(grep -E "xdp program|^[a-z]+ +lo:" <<<"$out")"
ip -n "$NS_B" link set dev "$IF_B" xdp off

# xdplb's own instance is recognised as such.
if xdplb_b --iface "$IF_B" --cpus 0; then
	id=$(xdp_prog_id "$NS_B" "$IF_B")
	out=$(xdplb_b --check --iface "$IF_B"); rc=$?
	check "running xdplb instance recognised" \
		'[ $rc = 0 ] && line_of "$out" "$IF_B xdp program" | grep -q "^ok .*: xdplb (id $id, native mode)"' \
		"exit $rc: $(line_of "$out" "$IF_B xdp program")"
	xdplb_b --detach --iface "$IF_B"
else
	fail "running xdplb instance recognised" "attach failed"
fi

# bpffs: a pin root outside any bpffs fails, with the mount that fixes it; running that
# fix (in a private mount namespace, so the host sees nothing) makes the check pass.
nobpf=/tmp/xlt-nobpf-$T_ID
mkdir -p "$nobpf"
out=$(XDPLB_PIN_ROOT=$nobpf/xdplb xdplb_b --check --iface "$IF_B"); rc=$?
fix=$(fix_of "$out" bpffs)
check "pin root off bpffs: fail with its fix" \
	'[ $rc = 1 ] && [ "$(level_of "$out" bpffs)" = fail ] && [ "$fix" = "mount -t bpf bpf $nobpf" ]' \
	"exit $rc: $(line_of "$out" bpffs)"
out=$(unshare -m --propagation private bash -c "$fix && XDPLB_PIN_ROOT=$nobpf/xdplb \
	nsenter --net=/run/netns/$NS_B $XDPLB --check --iface $IF_B"); rc=$?
check "the bpffs fix makes the check pass" '[ $rc = 0 ] && [ "$(level_of "$out" bpffs)" = ok ]' \
	"exit $rc: $(line_of "$out" bpffs)"
check "that mount stayed private" '! grep -q " $nobpf " /proc/mounts' "$nobpf is mounted on the host"
rmdir "$nobpf"
# /sys/fs/bpf not mounted at all (private mount namespace): xdplb would mount it itself,
# so a warning with the mount command, not a failure.
out=$(unshare -m --propagation private bash -c "umount -l /sys/fs/bpf && env -u XDPLB_PIN_ROOT \
	nsenter --net=/run/netns/$NS_B $XDPLB --check --iface $IF_B"); rc=$?
check "bpffs not mounted: warning with the mount command" \
	'[ $rc = 0 ] && line_of "$out" bpffs | grep -q "^warn  *bpffs: not mounted at /sys/fs/bpf.*; fix: mount -t bpf bpf /sys/fs/bpf$"' \
	"exit $rc: $(line_of "$out" bpffs)"
check "the host's bpffs is still mounted" 'grep -q " /sys/fs/bpf bpf " /proc/mounts' "it is gone"

# Without privileges xdplb cannot run: the check says so and how to fix it.
out=$(ip netns exec "$NS_B" setpriv --reuid=65534 --regid=65534 --clear-groups "$XDPLB" --check --iface "$IF_B"); rc=$?
check "unprivileged: fail, run as root" \
	'[ $rc = 1 ] && line_of "$out" privileges | grep -q "^fail .*; fix: run xdplb as root$"' "exit $rc: $(line_of "$out" privileges)"

# The SSH connection's interface is guarded too (SSH_CONNECTION as sshd sets it).
ip -n "$NS_B" route del default
json=$(SSH_CONNECTION="$IP_A 50022 $IP_B 22" xdplb_b --check --iface "$IF_B" --json)
check "the SSH connection's interface is shown as guarded" \
	'jq -e ".interfaces[0] | .ssh == true and .default_route == false" <<<"$json" >/dev/null' \
	"$(jq -c '.interfaces[0] | {ssh, default_route}' <<<"$json")"

err=$(xdplb_b --check --iface nosuch0 2>&1 >/dev/null); rc=$?
check "unknown interface: usage error" '[ $rc = 2 ] && [ "$err" = "xdplb: --iface: nosuch0: no such interface in this network namespace (see ip link)" ]' \
	"exit $rc: $err"
exit 0
