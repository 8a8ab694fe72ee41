#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# deps.sh: installs the Debian 12 packages xdplb needs to build, test and demo, only those
# that are missing (needs root and the Debian archive).
set -e
# Every suite runs on a fresh Debian 12 once these are in: none may skip for want of a
# command (tests/test_deps.sh checks the commands the suites name against this list).
# A minimal root (debootstrap, containers) has only the Priority: required packages, so
# those of priority important or standard the suites use are listed too.
build="make clang llvm gcc pkg-config libbpf-dev libxdp-dev libpcap-dev libelf-dev zlib1g-dev
       bpftool"
# ip, ss; ethtool; iperf3 traffic; ping; ps, kill, sysctl (procps: suites' cleanup);
# python3 (test_which, test_redirect, test_layers); (test_redirect); col
# (bsdextrautils: test_man); strace (test_unit); promtool (prometheus: test_prometheus).
suites="iproute2 ethtool iperf3 iputils-ping procps python3 curl jq util-linux bsdextrautils
        gnuplot-nox groff-base man-db bash-completion systemd strace prometheus"
# The Debian package (test_deb): dpkg-buildpackage, debhelper compat 13, lintian.
package="dpkg-dev build-essential debhelper lintian"
pkgs="$build $suites $package"
# --list: the packages, one a line, installing nothing (for tests/test_deps.sh).
if [ "${1:-}" = --list ]; then
	printf '%s\n' $pkgs
	exit 0
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# The tests need promtool only, which Debian ships with the Prometheus server: where
# systemd runs, the server's unit is masked first so the install does not start it.
if [[ $missing == *" prometheus"* ]] && [ -d /run/systemd/system ]; then
	systemctl mask prometheus.service >/dev/null
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
