#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# profile.sh: where the time goes, per frame, in named bench cases. Runs each case once, as
# bench/run.sh does, under `perf record` on every CPU, and splits the samples by the stage of
# the path a frame takes: generator, veth receive, XDP programs, redirect and queueing, the
# kernel's XDP event hooks, pages, the cpumap kthread and skb building, GRO and IP, locks,
# softirq and wake-ups. Each stage is shown in ns per frame the receiving veth took, per CPU,
# so two cases compare stage by stage; what is not on the path (other tasks of a shared
# machine, idle) is shown as a share of the CPU.
#
# perf samples on a timer here (no hardware counters in the VM): time spent with interrupts
# off is charged to where they come back on (_raw_spin_unlock_irqrestore, bh enable).
#
# Usage: bench/profile.sh CASE...      e.g. bench/profile.sh c2_none_q2048 xbs2 rps2
#   (case ids as in bench/results/bench.csv; run.sh's environment applies: DURATION_S,
#   XDP_BENCH, QSIZES; PERF_HZ sets the sampling rate, 10000 by default)
set -u
usage() { sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; }
case ${1:-} in
-h|--help) usage; exit 0 ;;
'') usage >&2; exit 2 ;;
esac
WANT=" $* "
RUNS=1
. "$(dirname "$0")/lib.sh"
want_case() { [[ "$WANT" == *" $1 "* ]]; }
HZ=${PERF_HZ:-10000}
command -v perf >/dev/null || { say "profile: perf is not installed"; exit 1; }
bench_check || exit 1
bench_init
PERF_PID=
trap '[ -n "$PERF_PID" ] && kill -INT "$PERF_PID"; teardown' EXIT
define_cases
[ ${#CASES[@]} -gt 0 ] || { say "profile: no case named $*"; exit 2; }
topo_bench_up || { say "profile: cannot build the namespace topology"; exit 1; }

# Stage of a kernel symbol; user-space and unknown symbols are not on the path.
STAGES='
function stage(sym, kernel) {
	if (!kernel) return "other"
	if (sym ~ /^bpf_prog_[0-9a-f]+_(xdplb_ev|tp_)/) return "hooks"
	if (sym ~ /^bpf_prog_[0-9a-f]+_lf_tx$/) return "gen"
	if (sym ~ /^bpf_prog_/) return "prog"
	if (sym ~ /^(xdp_test_run|bpf_test_|__pi_memcpy$|memcpy)/) return "gen"
	if (sym ~ /^veth_/) return "veth"
	if (sym ~ /^(bpf_trace_run|__traceiter_|__bpf_trace_|bpf_probe_read|copy_from_kernel)/) return "hooks"
	if (sym ~ /^(xdp_do_redirect|xdp_do_flush|bq_|cpu_map_enqueue|cpu_map_redirect|__cpu_map|dev_map|__dev_map|dev_xdp_enqueue|xdp_master_redirect|ptr_ring)/) return "redirect"
	if (sym ~ /^(cpu_map_kthread|cpu_map_bpf|__xdp_build_skb|xdp_build_skb|napi_skb_cache|__napi_build_skb|napi_build_skb|build_skb|__alloc_skb|skb_|__skb|kmem_cache|kfree_skb|__kfree_skb|__slab|xdp_return|__xdp_return|xdp_rxq_info)/) return "skb"
	if (sym ~ /^(page_pool|__page_pool|.*rmqueue|.*alloc_pages|__free_.*pages|free_unref|free_pcppages|get_page_from_freelist|__folio|folio_|put_page|__put_page)/) return "pages"
	if (sym ~ /^(_raw_spin|__pv_queued_spin|__raw_callee_save|queued_spin|native_queued)/) return "locks"
	if (sym ~ /(gro|^ip_|^ip6_|netif_receive|^__netif|^eth_type_trans|^fib|^dst_|process_backlog|enqueue_to_backlog|rps|^net_rx_action|napi|^inet_|^udp|^raw_local|^sk_skb_reason_drop|^ipv4_|^rt_|^ip_route|^__ip|^nf_)/) return "stack"
	if (sym ~ /(safe_halt|default_idle|cpuidle|do_idle|poll_idle|acpi_idle)/) return "idle"
	if (sym ~ /(softirq|bh_enable|irq_exit|wake_up|ttwu|schedule|finish_task_switch|enqueue_task|dequeue_task|^update_|rcu|migrate_)/) return "softirq"
	return "other"
}'
ORDER="gen veth prog redirect hooks pages skb stack locks softirq"
declare -A NAME=(
	[gen]="generator (live_frames, BPF_PROG_RUN)"
	[veth]="veth receive"
	[prog]="XDP programs (steering, remote, sinks)"
	[redirect]="redirect and enqueue (generator XDP_TX, cpumap, devmap)"
	[hooks]="XDP event hooks (tracepoints, their programs)"
	[pages]="pages (page_pool, allocator)"
	[skb]="skb build and free (cpumap kthread, veth)"
	[stack]="GRO, RPS, IP receive"
	[locks]="spinlocks (and irq-off time)"
	[softirq]="softirq, wake-ups, scheduler, RCU")

# The tasks this case's frames run in, as perf's pid:comm: the generator (whose softirq polls
# the veth), softirq threads, the idle task (softirq on interrupt exit), and the cpumap
# kthreads the case's setup started (by pid: their names, cpumap/CPU/map:ID, are cut to 15
# characters, and other instances on the host have their own). Softirq work that lands in
# another task's context (RPS's backlog on a busy CPU) is counted as that task's.
cpumap_pids() { ps -eo pid=,comm= | awk '$2 ~ /^cpumap\// {print $1}' | sort; }
path_tasks() {
	local pids

	pids=$(comm -13 <(echo "$1") <(cpumap_pids) | paste -sd'|')
	echo "^(${pids:-none}):|:(live_frames|ksoftirqd/[0-9]+|swapper|napi/.*)\$"
}

for id in "${CASES[@]}"; do
	enter none
	before=$(cpumap_pids)
	if ! ${SETUP[$id]} >"$WORK/why"; then
		say "profile: $id: skipped: $(head -n1 "$WORK/why")"
		continue
	fi
	# Bounded by its own sleep even if this script dies; stopped early once the load ends.
	perf record -a -F "$HZ" -o "$WORK/$id.data" -q -- sleep $((DURATION_S + 20)) >/dev/null 2>&1 &
	PERF_PID=$!
	sleep 0.3
	measure "$id" 1
	ok=$?
	kill -INT "$PERF_PID"; wait "$PERF_PID"; PERF_PID=
	[ $ok = 0 ] && [ "$RX_FRAMES" -gt 0 ] || continue
	echo
	echo "## $id: $(awk -F'\t' -v id="$id" '$1 == id {print $2}' "$META")"
	echo
	echo "rx $RX_PPS frames/s, delivered $DELIVERED_PPS/s; ns per received frame, by CPU:"
	echo
	perf report -i "$WORK/$id.data" --no-children --sort cpu,pid,dso,symbol -g none -n \
		--stdio 2>/dev/null |
		awk -v hz="$HZ" -v frames="$RX_FRAMES" -v ncpus="$NCPUS" -v order="$ORDER" \
		    -v path="$(path_tasks "$before")" \
		    -v names="$(for s in $ORDER; do printf '%s=%s;' "$s" "${NAME[$s]}"; done)" "$STAGES"'
		/^#/ || NF < 6 { next }
		{
			n = $2; cpu = $3 + 0; kernel = 0; sym = ""
			for (i = 5; i < NF; i++)
				if ($i == "[k]" || $i == "[.]") { kernel = $i == "[k]"; sym = $(i + 1); break }
			g = $4 ~ path ? stage(sym, kernel) : "other"
			ns[g, cpu] += n; all[cpu] += n
		}
		END {
			split(names, kv, ";")
			for (i in kv) { split(kv[i], p, "="); label[p[1]] = p[2] }
			printf "| stage |"; for (c = 0; c < ncpus; c++) printf " CPU %d |", c; print ""
			printf "| --- |"; for (c = 0; c < ncpus; c++) printf " --- |"; print ""
			n = split(order, stl, " ")
			for (i = 1; i <= n; i++) {
				printf "| %s |", label[stl[i]]
				for (c = 0; c < ncpus; c++) printf " %.0f |", ns[stl[i], c] / hz * 1e9 / frames
				print ""
			}
			printf "| **on the path, total** |"
			for (c = 0; c < ncpus; c++) {
				t = 0
				for (i = 1; i <= n; i++) t += ns[stl[i], c]
				printf " **%.0f** |", t / hz * 1e9 / frames
			}
			print ""
			printf "| not this path: other tasks / idle |"
			for (c = 0; c < ncpus; c++)
				printf " %.0f%% / %.0f%% |", all[c] ? 100 * ns["other", c] / all[c] : 0,
				       all[c] ? 100 * ns["idle", c] / all[c] : 0
			print ""
		}'
done
enter none
