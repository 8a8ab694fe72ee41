#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_deps.sh: a fresh Debian 12 runs every suite after the README's two commands. Each
# command a suite names (need_cmd, and those the shared helpers and some suites call
# directly) comes from a package tests/deps.sh installs, or from one every Debian root has
# (Priority: required, what debootstrap and container images start from). And the Makefile
# is read without the toolchain: `make demo` parses it before deps.sh has installed gcc.
SUITE=test_deps
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
command -v dpkg-query >/dev/null || { skip "$SUITE" "not a Debian system (no dpkg-query)"; exit 0; }

# Commands run outside need_cmd: lib.sh's cleanup (xargs kill: procps), suites' own probes.
direct="kill ps sysctl ping col python3 curl man groff promtool systemd-analyze strace script
        dpkg-buildpackage dh lintian dpkg-deb gnuplot taskset"
named=$(sed -n 's/^[[:space:]]*need_cmd \(.*\)/\1/p' tests/test_*.sh | tr ' ' '\n' | grep -v '^"')
listed=$(bash tests/deps.sh --list | tr '\n' ' ')
# With what they depend on (python3 brings python3-minimal, which owns /usr/bin/python3).
listed=" $listed $(dpkg-query -W -f='${Pre-Depends}, ${Depends}, ' $listed 2>/dev/null | tr ',|' '\n\n' |
	sed -e 's/^ *//' -e 's/[ :].*//' | sort -u | tr '\n' ' ') "

# The package that owns a command.
package_of() {
	local p pkg
	# The path itself, the file an alternatives link leads to, the other usrmerge names.
	for p in "$1" "$(readlink -f "$1")" {/bin,/usr/bin,/sbin,/usr/sbin}/"$(basename "$1")"; do
		pkg=$(dpkg-query -S "$p" 2>/dev/null | head -1 | cut -d: -f1)
		[ -n "$pkg" ] && echo "$pkg" && return
	done
}

bad=""
for c in $(printf '%s\n' $named $direct | sort -u); do
	# A Debian binary, not a local one (pyenv shims, /usr/local) that hides it.
	path=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin type -P "$c") ||
		{ bad="$bad $c(not installed)"; continue; }
	pkg=$(package_of "$path")
	[ -n "$pkg" ] || { bad="$bad $c(no package owns $path)"; continue; }
	[[ $listed == *" $pkg "* ]] && continue
	[ "$(dpkg-query -W -f='${Priority}' "$pkg" 2>/dev/null)" = required ] && continue
	bad="$bad $c($pkg)"
done
[ -z "$bad" ] && ok "every command the suites use comes from deps.sh or a required package" ||
	fail "commands the suites use come from deps.sh" "missing from tests/deps.sh:$bad"

# Only the few tools a bare machine has on PATH: no gcc, no pkg-config.
bare=$(mktemp -d /tmp/xlt-bare.XXXXXX)
trap 'rm -rf "$bare"' EXIT INT TERM
for c in make sh bash uname sed rm; do ln -s "$(command -v "$c")" "$bare/$c"; done
err=$(PATH=$bare make -n clean 2>&1 >/dev/null)
[ -z "$err" ] && ok "the Makefile parses without gcc or pkg-config: no noise before deps.sh" ||
	fail "the Makefile parses without gcc or pkg-config" "$err"
exit 0
