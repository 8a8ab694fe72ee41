#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_bpffs.sh: xdplb refuses a bpffs whose pins would vanish with it, and takes the host's
# wherever it is seen from. Real `ip netns exec` (its private /sys has no bpffs, so xdplb
# would mount one of its own): attach, --status and --detach exit 1 with one line and the
# nsenter hint, nothing attached, no pin anywhere. A private bpffs mounted in a mount
# namespace of its own: refused alike. A mount namespace of its own that still sees the
# host's bpffs (a DaemonSet's hostPath /sys/fs/bpf, slave or private propagation): attach
# works and the host sees the instance live.
SUITE=test_bpffs
. "$(dirname "$0")/lib.sh"
netns_suite ip nsenter unshare mount

hint='^xdplb: bpffs: /sys/fs/bpf: not the bpffs of the mount namespace xdplb was started from .*nsenter --net=/run/netns/NAME xdplb'
# refused NAME -- COMMAND...: exit 1, one stderr line with the hint, and nothing left:
# no program on IF_B, no pin root.
refused() {
	local name=$1 err rc
	shift 2
	err=$("$@" 2>&1 >/dev/null); rc=$?
	if [ $rc = 1 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -qE -- "$hint" <<<"$err" &&
	   [ -z "$(xdp_prog_id "$NS_B" "$IF_B")" ] && [ ! -e "$XDPLB_PIN_ROOT" ]; then
		ok "$name"
	else
		fail "$name" "exit $rc, prog '$(xdp_prog_id "$NS_B" "$IF_B")', pins $(ls "$XDPLB_PIN_ROOT" 2>&1): $err"
	fi
}

refused "ip netns exec: attach refused, nothing attached" -- \
	ip netns exec "$NS_B" "$XDPLB" --iface "$IF_B" --cpus 0-1
refused "ip netns exec: --config refused" -- \
	ip netns exec "$NS_B" bash -c "printf 'iface $IF_B\ncpus 0\n' >$T_TMP/c.conf && $XDPLB --config $T_TMP/c.conf"
refused "a private bpffs in a mount namespace of its own: refused" -- \
	unshare -m --propagation private bash -c \
	"mount -t bpf bpf /sys/fs/bpf && nsenter --net=/run/netns/$NS_B $XDPLB --iface $IF_B --cpus 0-1"

# The host's bpffs through a mount namespace of its own, as a container with a hostPath.
for prop in slave private; do
	out=$(unshare -m --propagation $prop nsenter --net=/run/netns/"$NS_B" "$XDPLB" --iface "$IF_B" --cpus 0-1 2>&1); rc=$?
	state=$(status_q '.instances[0].state')
	[ $rc = 0 ] && [ "$state" = live ] && [ -n "$(xdp_prog_id "$NS_B" "$IF_B")" ] &&
		ok "own mount namespace, host's bpffs ($prop propagation): attached, the host sees it live" ||
		fail "own mount namespace, host's bpffs ($prop propagation)" "exit $rc, state '$state': $out"
	[ $prop = slave ] && xdplb_b --detach --iface "$IF_B"
done
# The instance made through the private copy is still there: ip netns exec cannot see it.
out=$(ip netns exec "$NS_B" "$XDPLB" --status 2>&1); rc=$?
[ $rc = 1 ] && grep -qE -- "$hint" <<<"$out" &&
	ok "ip netns exec: --status refused rather than showing nothing" ||
	fail "ip netns exec: --status refused" "exit $rc: $out"
out=$(ip netns exec "$NS_B" "$XDPLB" --detach --iface "$IF_B" 2>&1); rc=$?
[ $rc = 1 ] && [ -n "$(xdp_prog_id "$NS_B" "$IF_B")" ] && grep -qE -- "$hint" <<<"$out" &&
	ok "ip netns exec: --detach refused, the instance stays whole" ||
	fail "ip netns exec: --detach refused" "exit $rc: $out"
xdplb_b --detach --iface "$IF_B" || fail "$SUITE" "cannot detach"
exit 0
