#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# test_bench_quick.sh: `make bench` in its QUICK=1 form, once, as a smoke check: every case
# must end with a number or a reason it was skipped, the table, CSV (and plot, with gnuplot)
# must be written, and nothing the benchmark built may be left behind. It asserts no timing:
# the machine is shared and a rate says nothing about correctness here.
SUITE=test_bench_quick
. "$(dirname "$0")/lib.sh"
need_root "$SUITE" || exit 0
need_cmd jq ip ethtool nsenter taskset
[ "$(nproc)" -ge 2 ] || { skip "$SUITE" "needs 2 CPUs, this machine has $(nproc)"; exit 0; }
OUT=$(mktemp -d /tmp/xlt-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

QUICK=1 BENCH_OUT=$OUT timeout 300 bash "$ROOT/bench/run.sh" >"$OUT/log" 2>&1
rc=$?
[ $rc = 0 ] && ok "bench QUICK=1 ran" || fail "bench QUICK=1 ran" "exit $rc: $(tail -n 3 "$OUT/log" | tr '\n' ' ')"

for f in bench.md bench.csv raw.tsv cases.tsv; do
	[ -s "$OUT/$f" ] || fail "bench wrote $f" "missing or empty"
done
if command -v gnuplot >/dev/null; then
	[ -s "$OUT/bench.png" ] && ok "bench drew bench.png" || fail "bench drew bench.png" "missing"
fi

# Every case listed must have a median for each of its metrics, or a skip reason.
ncases=0
bad=
while IFS=$'\t' read -r id _label _base; do
	ncases=$((ncases + 1))
	rows=$(grep "^$id," "$OUT/bench.csv")
	if grep -q ',skip,' <<<"$rows"; then
		grep -q '"skipped: ..*"' <<<"$rows" || bad="$bad $id(skip without a reason)"
	# Quoted free text may hold commas: blank it out before splitting.
	elif [ -z "$rows" ] || ! sed 's/"[^"]*"/L/g' <<<"$rows" |
		awk -F',' 'NF != 13 || $6 !~ /^-?[0-9.]+$/ { exit 1 }'; then
		bad="$bad $id(no number)"
	fi
done <"$OUT/cases.tsv"
[ "$ncases" -ge 10 ] && [ -z "$bad" ] && ok "every case ($ncases) has a number or a skip reason" ||
	fail "every case has a number or a skip reason" "$ncases cases;$bad"

# Both kinds of figure are there: packet rates against the floor, ns against XDP_PASS.
grep -q '^floor,.*,rx_pps,' "$OUT/bench.csv" && grep -q '^cost_base,.*,ns,' "$OUT/bench.csv" &&
	ok "floor rate and XDP_PASS cost measured" ||
	fail "floor rate and XDP_PASS cost measured" "$(grep -c . "$OUT/bench.csv") CSV lines"

# Nothing left: the namespaces and the pin root named on the benchmark's first line.
ns=$(grep -o 'namespaces xlb[0-9a-f]*g' "$OUT/log" | awk '{print $2}')
id=${ns#xlb}; id=${id%g}
if [ -n "$id" ] && ! ip netns list | grep -q "^xlb$id" && [ ! -e "/sys/fs/bpf/xdplb-bench-$id" ]; then
	ok "bench left no namespace and no pin"
else
	fail "bench left no namespace and no pin" "id '$id': $(ip netns list | grep "^xlb$id" | tr '\n' ' ')"
fi
exit 0
