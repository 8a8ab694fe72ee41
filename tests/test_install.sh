#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_install.sh: `make install` into a temporary DESTDIR puts exactly the expected tree
# (binary, man page, completion, unit for the prefix, example configuration, doc/examples), the
# installed xdplb runs by itself (its BPF objects are inside it), and `make uninstall`
# removes exactly that and nothing else. The README's first section says how to run it.
SUITE=test_install
. "$(dirname "$0")/lib.sh"
need_cmd make sed
tmp=$(mktemp -d /tmp/xdplb-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The files of an install, relative to DESTDIR, with their modes.
expected_tree() {
	local p=$1
	cat <<-EOF
	dir etc/xdplb/
	644 ${p#/}/lib/systemd/system/xdplb-balance@.service
	644 ${p#/}/lib/systemd/system/xdplb@.service
	755 ${p#/}/sbin/xdplb
	644 ${p#/}/share/bash-completion/completions/xdplb
	644 ${p#/}/share/doc/xdplb/examples/README.md
	644 ${p#/}/share/doc/xdplb/examples/eth0.conf
	644 ${p#/}/share/doc/xdplb/examples/exabgp/exabgp.conf
	644 ${p#/}/share/doc/xdplb/examples/kubernetes/xdplb-daemonset.yaml
	644 ${p#/}/share/man/man8/xdplb.8
	EOF
}

# What is in a DESTDIR: files with their modes, and directories that hold no file.
actual_tree() {
	(cd "$1" && find . -type f -printf '%m %P\n' && find . -mindepth 1 -type d -empty -printf 'dir %P/\n') |
		sort
}

# The README's first section: the two set-up commands, then how to run what they built.
first=$(awk '/^## /{n++} n==1' "$ROOT/README.md")
missing=""
for w in "apt-get install -y make" "make demo" "make test" "make install" "build/xdplb" "man xdplb"; do
	grep -qF -- "$w" <<<"$first" || missing="$missing [$w]"
done
[[ $first == "## First two commands"* ]] && [ -z "$missing" ] &&
	ok "README's first section: the two commands, then make install or build/xdplb" ||
	fail "README's first section" "heading '$(head -1 <<<"$first")', missing:$missing"

for prefix in /usr/local /usr; do
	dest=$tmp/dest${prefix//\//_}
	name="install PREFIX=$prefix"
	if [ "$prefix" = /usr/local ]; then
		# The default prefix: nothing given but DESTDIR.
		out=$(make -C "$ROOT" -s install DESTDIR="$dest" 2>&1)
	else
		out=$(make -C "$ROOT" -s install DESTDIR="$dest" PREFIX="$prefix" 2>&1)
	fi
	rc=$?
	if [ $rc != 0 ]; then
		fail "$name" "make install exited $rc: $out"
		continue
	fi
	got=$(actual_tree "$dest")
	want=$(expected_tree "$prefix" | sort)
	[ "$got" = "$want" ] && ok "$name: tree" ||
		fail "$name: tree" "$(diff <(echo "$want") <(echo "$got") | tr '\n' ' ')"

	bin=$dest$prefix/sbin/xdplb
	ver=$("$bin" --version 2>&1); rc=$?
	want_ver=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
	# Run from elsewhere, with the build tree out of sight: nothing is looked up at run time.
	if [ $rc = 0 ] && [[ $ver == "xdplb $want_ver "* ]] &&
	   (cd / && env -i "$bin" --help | grep -q -- '--cpus LIST'); then
		ok "$name: installed xdplb runs"
	else
		fail "$name: installed xdplb runs" "exit $rc: $ver"
	fi

	unit=$dest$prefix/lib/systemd/system/xdplb@.service
	if grep -qx "ExecStart=$prefix/sbin/xdplb --config /etc/xdplb/%I.conf" "$unit" &&
	   grep -qx "ExecReload=$prefix/sbin/xdplb --config /etc/xdplb/%I.conf" "$unit" &&
	   grep -qx "ExecStop=$prefix/sbin/xdplb --detach --iface %I" "$unit" &&
	   ! grep -qE '@[A-Z]+@' "$unit"; then
		ok "$name: unit names the installed binary"
	else
		fail "$name: unit names the installed binary" "$(grep -E '^(Exec|Env)' "$unit" | tr '\n' ' ')"
	fi
	cmp -s "$dest$prefix/share/man/man8/xdplb.8" "$ROOT/doc/xdplb.8" &&
		cmp -s "$dest$prefix/share/bash-completion/completions/xdplb" "$ROOT/completion/xdplb" &&
		ok "$name: man page and completion are the sources" ||
		fail "$name: man page and completion are the sources" "installed files differ"

	# Files of others in the same directories, and an operator's configuration, stay.
	touch "$dest$prefix/share/man/man8/other.8" "$dest/etc/xdplb/eth9.conf"
	if [ "$prefix" = /usr/local ]; then
		out=$(make -C "$ROOT" -s uninstall DESTDIR="$dest" 2>&1)
	else
		out=$(make -C "$ROOT" -s uninstall DESTDIR="$dest" PREFIX="$prefix" 2>&1)
	fi
	rc=$?
	left=$(cd "$dest" && find . -type f -printf '%P\n' | sort | tr '\n' ' ')
	want_left="etc/xdplb/eth9.conf ${prefix#/}/share/man/man8/other.8 "
	if [ $rc = 0 ] && [ "$left" = "$want_left" ] && [ ! -e "$dest$prefix/share/doc/xdplb" ]; then
		ok "$name: uninstall removes what install put"
	else
		fail "$name: uninstall removes what install put" "exit $rc, left: $left $out"
	fi
	rm -f "$dest/etc/xdplb/eth9.conf"
	make -C "$ROOT" -s uninstall DESTDIR="$dest" PREFIX="$prefix" >/dev/null 2>&1
	[ ! -e "$dest/etc/xdplb" ] && ok "$name: empty configuration directory removed" ||
		fail "$name: empty configuration directory removed" "$dest/etc/xdplb is still there"
done
exit 0
