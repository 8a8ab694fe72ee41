#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# deps.sh: installs the Debian 12 packages xdplb needs to build, test and demo, only those
# that are missing (needs root and the Debian archive).
set -e
pkgs="make clang llvm gcc pkg-config libbpf-dev libxdp-dev libpcap-dev libelf-dev zlib1g-dev bpftool
      iproute2 ethtool iperf3 iputils-ping jq util-linux gnuplot-nox
      groff-base man-db bash-completion systemd strace prometheus"
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
