#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_deb.sh: the Debian package. In a copy of the tree under /tmp (the work tree stays as
# it was), `dpkg-buildpackage -us -uc -b` builds xdplb_VERSION_ARCH.deb; it holds the
# binary, the man page, the bash completion, the unit (naming /usr/sbin/xdplb and
# /etc/xdplb) and the examples, with the right modes; its control names its libraries;
# lintian finds no error; the packaged binary runs. Skips only without dpkg-dev, which
# tests/deps.sh installs.
SUITE=test_deb
. "$(dirname "$0")/lib.sh"
command -v dpkg-buildpackage >/dev/null ||
	{ skip "$SUITE" "dpkg-buildpackage is not installed (Debian package dpkg-dev)"; exit 0; }
tmp=$(mktemp -d /tmp/xdplb-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The files of the work tree git knows of or would add, as they are now (not build/).
mkdir "$tmp/src"
(cd "$ROOT" && git ls-files -co --exclude-standard | grep -v '^build/' | tar -cf - -T -) |
	tar -xf - -C "$tmp/src" || { fail "$SUITE" "cannot copy the tree"; exit 0; }
before=$(cd "$ROOT" && git status --porcelain)

version=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
arch=$(dpkg --print-architecture)
deb=$tmp/xdplb_${version}_$arch.deb
if (cd "$tmp/src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 && [ -f "$deb" ]; then
	ok "dpkg-buildpackage -us -uc -b builds $(basename "$deb")"
else
	fail "dpkg-buildpackage -us -uc -b" "$(tail -n 15 "$tmp/build.log" | tr '\n' ' ')"
	exit 0
fi
[ "$(cd "$ROOT" && git status --porcelain)" = "$before" ] && ok "the work tree is left as it was" ||
	fail "the work tree is left as it was" "git status changed"
grep -qx "$version" <(sed -n '1s/^xdplb (\([^)]*\)).*/\1/p' "$ROOT/debian/changelog") &&
	ok "debian/changelog's version is the Makefile's $version" ||
	fail "debian/changelog's version is the Makefile's" "$(head -1 "$ROOT/debian/changelog")"

# Mode and path of every file and link in the package, as dpkg-deb -c lists them.
got=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $1, $6}' | sort)
want=$(sort <<-EOF
	-rw-r--r-- ./lib/systemd/system/xdplb-balance@.service
	-rw-r--r-- ./lib/systemd/system/xdplb@.service
	-rw-r--r-- ./usr/share/bash-completion/completions/xdplb
	-rw-r--r-- ./usr/share/doc/xdplb/changelog.gz
	-rw-r--r-- ./usr/share/doc/xdplb/copyright
	-rw-r--r-- ./usr/share/doc/xdplb/examples/README.md
	-rw-r--r-- ./usr/share/doc/xdplb/examples/eth0.conf
	-rw-r--r-- ./usr/share/doc/xdplb/examples/exabgp/exabgp.conf
	-rw-r--r-- ./usr/share/doc/xdplb/examples/kubernetes/xdplb-daemonset.yaml
	-rw-r--r-- ./usr/share/man/man8/xdplb.8.gz
	-rwxr-xr-x ./usr/sbin/xdplb
	EOF
)
[ "$got" = "$want" ] && ok "dpkg-deb -c: binary, man page, completion, units, examples" ||
	fail "dpkg-deb -c" "$(diff <(echo "$want") <(echo "$got") | tr '\n' ' ')"
dpkg-deb -c "$deb" | grep ' ./etc/xdplb/$' >/dev/null && ok "the package makes /etc/xdplb" ||
	fail "the package makes /etc/xdplb" "no ./etc/xdplb/ in dpkg-deb -c"

depends=$(dpkg-deb -f "$deb" Depends)
[[ $depends == *libbpf1* && $depends == *libxdp1* ]] && ok "Depends names libbpf1 and libxdp1: $depends" ||
	fail "Depends names libbpf1 and libxdp1" "$depends"

dpkg-deb -x "$deb" "$tmp/root"
unit=$tmp/root/lib/systemd/system/xdplb@.service
grep -qx 'ExecStart=/usr/sbin/xdplb --config /etc/xdplb/%I.conf' "$unit" &&
	grep -qx 'ExecStop=/usr/sbin/xdplb --detach --iface %I' "$unit" &&
	ok "the packaged unit runs /usr/sbin/xdplb on /etc/xdplb/%I.conf" ||
	fail "the packaged unit" "$(grep '^Exec' "$unit" | tr '\n' ' ')"
ver=$(env -i "$tmp/root/usr/sbin/xdplb" --version 2>&1); rc=$?
[ $rc = 0 ] && [[ $ver == "xdplb $version "* ]] && ok "the packaged xdplb runs: $ver" ||
	fail "the packaged xdplb runs" "exit $rc: $ver"
zcat "$tmp/root/usr/share/man/man8/xdplb.8.gz" | cmp -s - "$ROOT/doc/xdplb.8" &&
	ok "the packaged man page is doc/xdplb.8" || fail "the packaged man page is doc/xdplb.8" "differs"

if command -v lintian >/dev/null; then
	out=$(cd "$tmp" && lintian --fail-on error "xdplb_${version}_$arch.changes" 2>&1); rc=$?
	errors=$(grep '^E: ' <<<"$out")
	[ $rc = 0 ] && [ -z "$errors" ] && ok "lintian: no error" || fail "lintian" "exit $rc: $errors"
else
	fail "lintian" "not installed (tests/deps.sh installs it)"
fi
exit 0
