#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_unit.sh: the installed xdplb@.service passes `systemd-analyze verify`, and its
# ExecStart, ExecReload and ExecStop lines, read from the unit and expanded as systemd
# would (the instance for %i/%I), run in a namespace under the unit's own capability
# bounding set and no_new_privs, in CPU mode and in redirect mode: start applies
# IF.conf (xdplb's own --config format, as --config-out writes it), an edited file and
# reload reconfigure the same program live, stop leaves no program and no pin. The commands
# are traced: every socket is of an address family the unit allows, and no system call falls
# in the groups it denies. When systemd is not PID 1 (containers, this VM) it cannot run
# the unit itself, so the rest of the sandbox is left to verify; where it is, the lines
# are still run this way, against the test's namespace and pin root.
SUITE=test_unit
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd make ip nsenter setpriv strace jq
tmp=$(mktemp -d /tmp/xdplb-unit.XXXXXX)
trap 'topo_down; rm -rf "$tmp"' EXIT INT TERM

# Installed under a temporary prefix rather than staged in a DESTDIR: the unit must name a
# binary and a configuration that exist where it says, for verify and for the run below.
if ! make -C "$ROOT" -s install PREFIX="$tmp/usr" SYSCONFDIR="$tmp/etc" >"$tmp/make.log" 2>&1; then
	fail "$SUITE" "make install: $(cat "$tmp/make.log")"
	exit 0
fi
unitdir=$tmp/usr/lib/systemd/system
unit=$unitdir/xdplb@.service

topo_up || { fail "$SUITE" "cannot build the namespace topology"; exit 1; }
ln -s xdplb@.service "$unitdir/xdplb@$IF_B.service"

if command -v systemd-analyze >/dev/null; then
	for u in "$unit" "$unitdir/xdplb@$IF_B.service"; do
		out=$(MANPATH=$tmp/usr/share/man systemd-analyze verify "$u" 2>&1); rc=$?
		[ $rc = 0 ] && [ -z "$out" ] && ok "unit verify $(basename "$u")" ||
			fail "unit verify $(basename "$u")" "exit $rc: $out"
	done
else
	skip "unit verify" "systemd-analyze is not installed (Debian package systemd)"
fi

# The value of KEY= in the unit (the last one, as systemd takes it for these keys).
unit_key() { sed -n "s/^$1=//p" "$unit" | tail -1; }

# Runs the unit's KEY line for instance IF_B as systemd would start it, with CAPS as the
# bounding set, traced into $tmp/trace.KEY (TRACE: another name for the trace).
run_line() {
	local key=$1 caps=$2 trace=${3:-$1} line
	local -a argv=()
	line=$(unit_key "$key")
	line=${line//%I/$IF_B} line=${line//%i/$IF_B}
	# No variable, no quote: the line is its words.
	[[ $line == *[\$\"\'%]* ]] && { echo "unit $key: $line: more than words"; return 99; }
	read -ra argv <<<"$line"
	# The pin root stays the test's own: the unit's default is the host's real one.
	nsenter --net=/run/netns/"$NS_B" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		XDPLB_PIN_ROOT="$XDPLB_PIN_ROOT" \
		setpriv --bounding-set="$caps" --inh-caps=-all --no-new-privs \
		strace -f -qq -o "$tmp/trace.$trace" "${argv[@]}"
}

# CapabilityBoundingSet=CAP_BPF CAP_NET_ADMIN ... as setpriv spells it: -all,+bpf,+net_admin.
caps=-all$(unit_key CapabilityBoundingSet | tr ' ' '\n' | sed -n 's/^CAP_\(.*\)/,+\L\1/p' | tr -d '\n')
[ "$(unit_key NoNewPrivileges)" = yes ] || fail "unit NoNewPrivileges" "the unit does not set it"
[ -z "$(unit_key EnvironmentFile)" ] || fail "unit reads IF.conf itself" "it still has an EnvironmentFile"
conf=$tmp/etc/xdplb/$IF_B.conf
settings() { status_q '.instances[0] | [.prog_id, .hash, ([.targets[] | [.cpu, .qsize]] | tostring)] | join(" ")'; }

printf 'iface %s\ncpus 0\nqsize 256\nhash l4\n' "$IF_B" >"$conf"
out=$(run_line ExecStart "$caps" 2>&1); rc=$?
prog=$(xdp_prog_id "$NS_B" "$IF_B")
start=$(settings)
if [ $rc = 0 ] && [ -n "$prog" ] && [ "$start" = "$prog l4 [[0,256]]" ]; then
	ok "unit ExecStart attaches as $IF_B.conf says"
else
	fail "unit ExecStart attaches as $IF_B.conf says" "exit $rc, prog '$prog', settings '$start': $out"
fi

# The file as --config-out writes it, edited: the fleet recipe's /etc/xdplb/IF.conf.
xdplb_b --status --iface "$IF_B" --config-out | sed -e 's/^cpus .*/cpus 0-1/' -e 's/^qsize .*/qsize 512/' >"$conf"
out=$(run_line ExecReload "$caps" 2>&1); rc=$?
reload=$(settings)
if [ $rc = 0 ] && [ "$(xdp_prog_id "$NS_B" "$IF_B")" = "$prog" ] && [ "$reload" = "$prog l4 [[0,512],[1,512]]" ]; then
	ok "unit ExecReload reconfigures the same program live"
else
	fail "unit ExecReload reconfigures the same program live" "exit $rc, settings '$reload' (was '$start'): $out"
fi

# Why CAP_SYS_ADMIN is in the set: without it the kernel refuses BPF_PROG_GET_FD_BY_ID,
# which libxdp needs to detach on stop; the failed stop must leave program and pins whole.
out=$(run_line ExecStop "${caps/,+sys_admin/}" no_sys_admin 2>&1); rc=$?
[ $rc != 0 ] && [ "$(xdp_prog_id "$NS_B" "$IF_B")" = "$prog" ] && [ -d "$XDPLB_PIN_ROOT/$IF_B" ] &&
	[ "$(settings)" = "$reload" ] && ok "unit needs CAP_SYS_ADMIN to stop; without it nothing is half removed" ||
	fail "unit needs CAP_SYS_ADMIN to stop; without it nothing is half removed" "exit $rc without it: $out"

out=$(run_line ExecStop "$caps" 2>&1); rc=$?
if [ $rc = 0 ] && [ -z "$(xdp_prog_id "$NS_B" "$IF_B")" ] && [ ! -e "$XDPLB_PIN_ROOT/$IF_B" ]; then
	ok "unit ExecStop detaches: no program, no pin"
else
	fail "unit ExecStop detaches: no program, no pin" "exit $rc, prog '$(xdp_prog_id "$NS_B" "$IF_B")': $out"
fi

# Redirect mode: IF.conf says redirect IF:OUT. The port is a veth whose peer is in the
# same namespace, so attach looks at the peer's GRO (an interface ioctl) as well.
IF_C=xlt${T_ID}c IF_D=xlt${T_ID}d
ip -n "$NS_B" link add "$IF_C" type veth peer name "$IF_D" && ip -n "$NS_B" link set "$IF_C" up &&
	ip -n "$NS_B" link set "$IF_D" up || fail "unit redirect mode" "cannot add a port to $NS_B"
ports() { status_q '.instances[0] | [.prog_id, ([.targets[] | [.type, .ifname, .weight]] | tostring)] | join(" ")'; }
printf 'redirect %s:%s\nhash l3\n' "$IF_B" "$IF_C" >"$conf"
out=$(run_line ExecStart "$caps" ExecStart.redirect 2>&1); rc=$?
prog=$(xdp_prog_id "$NS_B" "$IF_B")
start=$(ports)
[ $rc = 0 ] && [ -n "$prog" ] && [ "$start" = "$prog [[\"port\",\"$IF_C\",1]]" ] &&
	ok "unit ExecStart in redirect mode forwards as $IF_B.conf says" ||
	fail "unit ExecStart in redirect mode forwards as $IF_B.conf says" "exit $rc, '$start': $out"
printf 'redirect %s:%s:3\nhash l3\n' "$IF_B" "$IF_C" >"$conf"
out=$(run_line ExecReload "$caps" ExecReload.redirect 2>&1); rc=$?
reload=$(ports)
[ $rc = 0 ] && [ "$reload" = "$prog [[\"port\",\"$IF_C\",3]]" ] &&
	ok "unit ExecReload in redirect mode reconfigures the same program live" ||
	fail "unit ExecReload in redirect mode reconfigures the same program live" "exit $rc, '$reload': $out"
out=$(run_line ExecStop "$caps" ExecStop.redirect 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$(xdp_prog_id "$NS_B" "$IF_B")" ] && [ ! -e "$XDPLB_PIN_ROOT/$IF_B" ] &&
	ok "unit ExecStop in redirect mode detaches: no program, no pin" ||
	fail "unit ExecStop in redirect mode detaches" "exit $rc: $out"

# Address families: each socket() of the commands is of one the unit allows.
allowed=$(unit_key RestrictAddressFamilies)
used=$(cat "$tmp"/trace.Exec* | grep -oE 'socket\(AF_[A-Z0-9]+' | sed 's/socket(//' | sort -u)
bad=$(for af in $used; do [[ " $allowed " == *" $af "* ]] || echo "$af"; done)
[ -n "$used" ] && [ -z "$bad" ] && ok "unit address families: $(echo $used) within RestrictAddressFamilies" ||
	fail "unit address families" "used [$(echo $used)], allowed [$allowed]"

# System calls: none of the three falls in a group SystemCallFilter=~ denies.
if command -v systemd-analyze >/dev/null; then
	expand_group() {
		local s
		for s in $(systemd-analyze syscall-filter "$1" | sed -n 's/^ \{4\}\([@a-z0-9_]*\)$/\1/p'); do
			case $s in @*) expand_group "$s" ;; *) echo "$s" ;; esac
		done
	}
	denied=$(for g in $(unit_key SystemCallFilter | sed 's/^~//'); do expand_group "$g"; done | sort -u)
	called=$(sed -E 's/^[0-9]+ +//' "$tmp"/trace.Exec* | grep -oE '^[a-z0-9_]+\(' | tr -d '(' | sort -u)
	hit=$(comm -12 <(echo "$denied") <(echo "$called") | tr '\n' ' ')
	[ -n "$denied" ] && [ -n "$called" ] && [ -z "$hit" ] &&
		ok "unit system calls: $(echo "$called" | wc -l) used, none SystemCallFilter denies" ||
		fail "unit system calls" "denied but called: [$hit]"
fi
exit 0
