#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# run.sh: `make bench`. Builds a generator, a receiver and a sink namespace, replays the same
# IPv4 UDP load (bench/live_frames, pinned to one CPU) into the receiver's veth under each
# case, and records what the kernel counted there: frames the veth took (interface counter)
# and frames that reached their end (the XDP_DROP counter, the IP layer's InReceives, the
# cpumap kthread events, the sink veths' counters). Then bench/decision_cost times the decision
# with BPF_PROG_TEST_RUN, and bench/report.sh writes the table, CSV and plot. Cases run
# round-robin, one run of each per round, so a noisy minute on a shared machine hits every
# case a little rather than one case a lot.
#
# The namespaces, counters and cases are bench/lib.sh's.
#
# Usage: bench/run.sh [FILTER]    (only the cases whose id matches FILTER, an extended
#   regular expression: "bal_" or "^(xbm|dev1)$")
# Environment: QUICK=1 (one 1 s run per case, qsize 2048 only: the smoke check of make test),
#   RUNS, DURATION_S, BENCH_OUT (bench/results), XDP_BENCH (xdp-bench, else PATH).
set -u
FILTER=${1:-}
. "$(dirname "$0")/lib.sh"
bench_check || exit 1
bench_init
define_cases

START=$(date +%s)
say "bench: $NCPUS CPUs, generator on CPU $GEN_CPU, ${#CASES[@]} cases x $RUNS runs x" \
	"${DURATION_S} s; namespaces $NS_G/$NS_R/$NS_S"
topo_bench_up || { say "bench: cannot build the namespace topology"; exit 1; }

for run in $(seq "$RUNS"); do
	for id in "${CASES[@]}"; do
		[ -n "${SKIP[$id]:-}" ] && continue
		# In this shell, not $(...): the setup changes STATE and may start BG_PID.
		if ! ${SETUP[$id]} >"$WORK/why"; then
			SKIP[$id]=$(head -n1 "$WORK/why")
			SKIP[$id]=${SKIP[$id]:-setup failed}
			record "$id" skip 0 "${SKIP[$id]}"
			say "  $id: skipped: ${SKIP[$id]}"
			continue
		fi
		measure "$id" "$run"
	done
done
enter none

# bench/decision_cost times every parse path's frame with an XDP_PASS program, xdp-bench's
# redirect-cpu l4-dport program (its BPF object beside XDP_BENCH, when there is one) and
# xdplb_rx one after the other, round after round, and prints per path the medians of its
# rounds: ns/packet, and the paired extra ns over XDP_PASS and over xdp-bench and the ratio
# to XDP_PASS, which a burst of load on the shared machine moves less than the ns. One call
# per run gives the spread across runs.
cost_run() {
	XDP_BENCH_OBJ=$(xb_object) "$BIN/decision_cost" "$COST_ROUNDS" "$COST_REPEAT" |
		awk -v run="$1" -v OFS='\t' 'NR > 1 && !/^medians/ {
			name = substr($0, 1, 26); sub(/ +$/, "", name); n = split(substr($0, 27), f, " ")
			base = name ~ /baseline/
			id = base ? "cost_base" : "cost_" name; gsub(/[^A-Za-z0-9_]+/, "_", id)
			label = base ? "XDP_PASS only (baseline)" : "decision: " name
			print id, label, run, "ns", f[3]
			print id, label, run, "extra_ns", f[n - 1] + 0
			print id, label, run, "xpass", f[5]
			if (!base && f[2] != "-") {
				print id, label, run, "xb_ns", f[2]
				print id, label, run, "xb_extra_ns", f[n] + 0
			}
		}'
}
if [ -z "$FILTER" ] || [[ cost == *"$FILTER"* ]]; then
	say "bench: decision cost: $COST_RUNS x decision_cost $COST_ROUNDS $COST_REPEAT"
	for run in $(seq "$COST_RUNS"); do
		cost_run "$run" 2>"$WORK/cost.err" >>"$WORK/cost.tsv" || break
	done
	if ! [ -s "$WORK/cost.tsv" ]; then
		printf 'cost\tdecision cost\t-\n' >>"$META"
		record cost skip 0 "decision_cost: $(head -n1 "$WORK/cost.err")"
	fi
	while IFS=$'\t' read -r id label run metric value; do
		[ "$run" = 1 ] && [ "$metric" = ns ] && printf '%s\t%s\t%s\n' "$id" "$label" \
			"$([ "$id" = cost_base ] && echo - || echo cost_base)" >>"$META"
		record "$id" "$metric" "$run" "$value"
	done < <(cat "$WORK/cost.tsv" 2>/dev/null)
fi

mkdir -p "$OUT"
cp "$RAW" "$OUT/raw.tsv"; cp "$META" "$OUT/cases.tsv"
MACHINE="$(nproc) vCPU $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
bash "$ROOT/bench/report.sh" "$OUT" "$MACHINE" \
	"runs $RUNS x ${DURATION_S} s, $FLOWS flows of 64 B IPv4 UDP, generator on CPU $GEN_CPU" ||
	{ say "bench: the report failed"; exit 1; }
say "bench: done in $(( $(date +%s) - START )) s; results in $OUT"
