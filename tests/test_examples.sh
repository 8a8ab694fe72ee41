#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_examples.sh: doc/examples/ as far as it can be checked here. The ExaBGP health check's
# command, read from exabgp.conf, says unhealthy (1) with no instance, healthy (0) once the
# DaemonSet's own command has applied the ConfigMap's eth0.conf, unhealthy again after the
# DaemonSet's preStop hook. The DaemonSet YAML parses and names what it must: hostNetwork,
# the host's /sys/fs/bpf mounted at /sys/fs/bpf, the ConfigMap mounted where the commands
# read IF.conf, a readiness probe running --health. The ConfigMap's file uses only keys xdplb
# accepts, with valid values: it is applied as is but for iface and cpus (this machine's).
SUITE=test_examples
. "$(dirname "$0")/lib.sh"
netns_suite ip nsenter jq /usr/bin/python3
EX=$ROOT/doc/examples
/usr/bin/python3 -c 'import yaml' 2>/dev/null || { skip "$SUITE" "python3-yaml is not installed"; exit 0; }

# The examples name `xdplb` and eth0: here they run build/xdplb on IF_B in namespace B.
mkdir -p "$T_TMP/bin" && ln -s "$XDPLB" "$T_TMP/bin/xdplb"
run_b() { nsenter --net=/run/netns/"$NS_B" env PATH="$T_TMP/bin:$PATH" sh -c "$1"; }
here() { sed -e "s|/etc/xdplb/eth0.conf|$T_TMP/eth0.conf|g" -e "s/ eth0\b/ $IF_B/g" <<<"$1"; }

cmd=$(sed -n 's/.*healthcheck .*--cmd "\([^"]*\)".*/\1/p' "$EX/exabgp/exabgp.conf")
[ "$cmd" = "xdplb --status --iface eth0 --health" ] && ok "exabgp.conf: the health check runs xdplb --health" ||
	fail "exabgp.conf: the health check runs xdplb --health" "--cmd is '$cmd'"
hc=$(here "$cmd")
out=$(run_b "$hc"); rc=$?
[ $rc = 1 ] && [[ $out == "unhealthy: $IF_B: no xdplb instance" ]] &&
	ok "exabgp health check: no instance, withdrawn (exit 1)" ||
	fail "exabgp health check: no instance" "exit $rc: $out"

# What the YAML must name, printed as KEY<TAB>VALUE lines for the checks below.
/usr/bin/python3 - "$EX/kubernetes/xdplb-daemonset.yaml" "$T_TMP/cm.conf" >"$T_TMP/facts" 2>"$T_TMP/yaml.err" <<'PY'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
cm = next(d for d in docs if d["kind"] == "ConfigMap")
ds = next(d for d in docs if d["kind"] == "DaemonSet")
pod = ds["spec"]["template"]["spec"]
c = pod["containers"][0]
vols = {v["name"]: v for v in pod["volumes"]}
mounts = {m["name"]: m for m in c["volumeMounts"]}
bpf = [n for n, v in vols.items() if v.get("hostPath", {}).get("path") == "/sys/fs/bpf"]
cfg = [n for n, v in vols.items() if v.get("configMap", {}).get("name") == cm["metadata"]["name"]]
out = {
    "hostNetwork": pod.get("hostNetwork"),
    "bpffs_mount": mounts[bpf[0]]["mountPath"] if bpf else None,
    "config_dir": mounts[cfg[0]]["mountPath"] if cfg else None,
    "config_keys": " ".join(cm["data"]),
    "command": " ".join(c["command"][2:]) if c["command"][:2] == ["/bin/sh", "-c"] else None,
    "readiness": " ".join(c["readinessProbe"]["exec"]["command"]),
    "prestop": " ".join(c["lifecycle"]["preStop"]["exec"]["command"]),
}
for k, v in out.items():
    print(f"{k}\t{v}")
open(sys.argv[2], "w").write(cm["data"].get("eth0.conf", ""))
PY
rc=$?
fact() { sed -n "s/^$1\t//p" "$T_TMP/facts"; }
[ $rc = 0 ] && ok "DaemonSet YAML parses (python3 yaml)" || fail "DaemonSet YAML parses" "$(cat "$T_TMP/yaml.err")"
[ "$(fact hostNetwork)" = True ] && ok "DaemonSet: hostNetwork" || fail "DaemonSet: hostNetwork" "$(fact hostNetwork)"
[ "$(fact bpffs_mount)" = /sys/fs/bpf ] && ok "DaemonSet: the host's /sys/fs/bpf at /sys/fs/bpf" ||
	fail "DaemonSet: the host's /sys/fs/bpf" "mounted at '$(fact bpffs_mount)'"
[ "$(fact config_dir)" = /etc/xdplb ] && [ "$(fact config_keys)" = eth0.conf ] &&
	[[ $(fact command) == *"xdplb --config /etc/xdplb/eth0.conf"* ]] &&
	ok "DaemonSet: the ConfigMap's eth0.conf at /etc/xdplb, applied with --config" ||
	fail "DaemonSet: the ConfigMap applied" "dir '$(fact config_dir)', keys '$(fact config_keys)', command '$(fact command)'"
[ "$(fact readiness)" = "$cmd" ] && ok "DaemonSet: readiness probe is the same --health" ||
	fail "DaemonSet: readiness probe" "'$(fact readiness)'"

# The ConfigMap's file, on this machine's interface and CPUs; the container's command, whose
# loop re-applies every minute, is stopped after its first apply.
sed -e "s/^iface .*/iface $IF_B/" -e "s/^cpus .*/cpus 0-1/" "$T_TMP/cm.conf" >"$T_TMP/eth0.conf"
run_b "timeout 4 sh -c '$(here "$(fact command)")'" >"$T_TMP/apply" 2>&1
got=$(status_q '.instances[0] | [.state, .hash, .seed, .table_size, ([.targets[] | .qsize] | tostring)] | join(" ")')
[ "$got" = "live sym 0x5eed1234abcd 8192 [2048,2048]" ] &&
	ok "DaemonSet command applies the ConfigMap's file: every key accepted" ||
	fail "DaemonSet command applies the ConfigMap's file" "'$got': $(cat "$T_TMP/apply")"
out=$(run_b "$(here "$(fact readiness)")"); rc=$?
[ $rc = 0 ] && [[ $out == "healthy: $IF_B: "* ]] && ok "health check on the applied instance: announced (exit 0)" ||
	fail "health check on the applied instance" "exit $rc: $out"
out=$(run_b "$(here "$(fact prestop)")" 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$(xdp_prog_id "$NS_B" "$IF_B")" ] && ok "DaemonSet preStop detaches" ||
	fail "DaemonSet preStop detaches" "exit $rc: $out"
out=$(run_b "$hc"); rc=$?
[ $rc = 1 ] && ok "exabgp health check after the detach: withdrawn (exit 1)" ||
	fail "exabgp health check after the detach" "exit $rc: $out"
exit 0
