#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# report.sh: turns one bench/run.sh run (DIR/raw.tsv, DIR/cases.tsv) into DIR/bench.md (the
# tables and the project's targets), DIR/bench.csv and DIR/bench.png (gnuplot, when
# installed). Every figure is a median over the runs with its min-max; a ratio divides two
# medians of the same run, except the decision cost's, which are medians of paired timings.
#
# Usage: bench/report.sh DIR "MACHINE" "CONDITIONS"
#   raw.tsv:   case <TAB> metric <TAB> run <TAB> value, or case <TAB> skip <TAB> 0 <TAB> reason;
#              metrics rx_pps, delivered_pps (packet rates), ns, extra_ns, xpass (decision cost)
#   cases.tsv: case <TAB> label <TAB> baseline ("-", a case, or a comma list: the best of them)
set -u
DIR=${1:?usage: report.sh DIR MACHINE CONDITIONS}
MACHINE=${2:-unknown machine}
CONDITIONS=${3:-}
DATE=$(date -u +%Y-%m-%d)
rm -f "$DIR/bench.png"

# Medians, spreads and ratios, one tab-separated line per case and metric.
awk -F'\t' -v OFS='\t' '
function median(list, n,   a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	lo = a[1]; hi = a[n]; runs = n
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
FNR == NR { label[$1] = $2; base[$1] = $3; order[++ncases] = $1; next }
$2 == "skip" { if (!(($1) in why)) why[$1] = $4; next }
{ vals[$1 "|" $2] = vals[$1 "|" $2] " " $4 }
END {
	unit["rx_pps"] = unit["delivered_pps"] = "packets/s"
	unit["ns"] = unit["extra_ns"] = "ns/packet"; unit["xpass"] = "ratio"
	for (k in vals) {
		med[k] = median(vals[k]); min[k] = lo; max[k] = hi; nruns[k] = runs
	}
	for (c = 1; c <= ncases; c++) {
		id = order[c]
		if (id in why && !((id "|rx_pps") in vals) && !((id "|ns") in vals)) {
			print id, label[id], "skip", "", 0, "", "", "", "", "", "skipped: " why[id]
			continue
		}
		nm = split("rx_pps delivered_pps ns extra_ns xpass", metrics, " ")
		for (m = 1; m <= nm; m++) {
			k = id "|" metrics[m]
			if (!(k in vals))
				continue
			# rx is always against the floor; delivered and ns against the named baseline,
			# or the best of a list of them.
			b = metrics[m] == "rx_pps" ? "floor" : base[id]
			best = ""; bv = 0
			nb = split(b, bl, ",")
			for (i = 1; i <= nb; i++)
				if ((bl[i] "|" metrics[m]) in med && med[bl[i] "|" metrics[m]] > bv) {
					best = bl[i]; bv = med[bl[i] "|" metrics[m]]
				}
			ratio = (best != "" && bv > 0 && best != id) ? sprintf("%.3f", med[k] / bv) : ""
			print id, label[id], metrics[m], unit[metrics[m]],
			      nruns[k], med[k], min[k], max[k], (best != id ? best : ""), ratio,
			      (id in why ? "some runs failed: " why[id] : "")
		}
	}
}' "$DIR/cases.tsv" "$DIR/raw.tsv" >"$DIR/bench.body"
{
	echo "case,label,metric,unit,runs,median,min,max,baseline,ratio,note"
	# Free text (label, note) quoted, as RFC 4180 has it.
	awk -F'\t' -v OFS=',' 'function q(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
		{ $2 = q($2); $11 = q($11); print }' "$DIR/bench.body"
} >"$DIR/bench.csv"

# The markdown: one table for packet rates, one for the decision's cost, one for the targets.
awk -F'\t' -v date="$DATE" -v machine="$MACHINE" -v cond="$CONDITIONS" '
function mpps(v) { return sprintf("%.2f", v / 1e6) }
function spread(id, m) { return mpps(med[id, m]) " (" mpps(mn[id, m]) "-" mpps(mx[id, m]) ")" }
function ratio(id, m) { return rat[id, m] == "" ? "" : sprintf("%.2f", rat[id, m]) }
function target(what, goal, num, den, rel, limit,   v, ok) {
	if (num == "" || den == "") {
		printf "| %s | n/a (a case is missing or skipped) | %s | - |\n", what, goal
		return
	}
	v = rel == "-" ? num - den : num / den
	ok = rel == "-" ? v <= limit : v >= limit
	v = rel == "-" ? sprintf("%+.1f ns", v) : sprintf("%.2fx", v)
	printf "| %s | %s | %s | %s |\n", what, v, goal, ok ? "yes" : "no"
}
{
	id = $1; m = $3
	if (!(id in seen)) { seen[id] = 1; order[++nc] = id; label[id] = $2 }
	if (m == "skip") { skip[id] = $11; next }
	med[id, m] = $6; mn[id, m] = $7; mx[id, m] = $8; bas[id, m] = $9; rat[id, m] = $10
	has[id, m] = 1
}
END {
	printf "# xdplb benchmark, %s\n\n%s; %s.\n\n", date, machine, cond
	print "## Packet rates\n"
	print "rx: frames the receiving veth took (its interface counter); delivered: frames that"
	print "reached the end of the case (XDP_DROP counter, Ip InReceives, cpumap kthread events,"
	print "the sink veths). Mpps, median of the runs (min-max); ratios divide medians.\n"
	print "| case | id | rx Mpps | rx / floor | delivered Mpps | delivered / baseline | baseline |"
	print "| --- | --- | --- | --- | --- | --- | --- |"
	for (c = 1; c <= nc; c++) {
		id = order[c]
		if (has[id, "ns"] || id ~ /^cost/) continue
		if (id in skip && !has[id, "rx_pps"]) {
			printf "| %s | %s | %s | | | | |\n", label[id], id, skip[id]
			continue
		}
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", label[id], id, spread(id, "rx_pps"),
		       ratio(id, "rx_pps"), spread(id, "delivered_pps"), ratio(id, "delivered_pps"),
		       bas[id, "delivered_pps"]
	}
	print "\n## Decision cost (BPF_PROG_TEST_RUN, repeat)\n"
	print "Each path is timed right after an XDP_PASS-only program (decision_cost); the extra ns"
	print "and the ratio come from those pairs. Medians of the runs (min-max).\n"
	print "| path | id | ns/packet | extra ns over XDP_PASS | x XDP_PASS |"
	print "| --- | --- | --- | --- | --- |"
	for (c = 1; c <= nc; c++) {
		id = order[c]
		if (id in skip && !has[id, "ns"] && id ~ /^cost/) {
			printf "| %s | %s | %s | | |\n", label[id], id, skip[id]
			continue
		}
		if (!has[id, "ns"]) continue
		printf "| %s | %s | %s (%s-%s) | %s | %s |\n", label[id], id, med[id, "ns"],
		       mn[id, "ns"], mx[id, "ns"],
		       id == "cost_base" ? "" : sprintf("%+d (%+d-%+d)", med[id, "extra_ns"],
		                                        mn[id, "extra_ns"], mx[id, "extra_ns"]),
		       id == "cost_base" ? "" : sprintf("%.2f", med[id, "xpass"])
	}
	print "\n## Targets\n"
	print "| target | measured | goal | met |"
	print "| --- | --- | --- | --- |"
	target("decision, IPv4 TCP, extra ns over an XDP_PASS program", "<= +15 ns",
	       med["cost_ipv4_tcp", "extra_ns"], 0, "-", 15)
	for (n = 1; n <= 2; n++) {
		target(sprintf("cpumap redirect (rx) rate, %d CPU%s, qsize 2048, / xdp-bench -p l4-dport", n,
		       n > 1 ? "s" : ""), ">= 1.10x",
		       med["c" n "_none_q2048", "rx_pps"], med["xbc" n, "rx_pps"], "/", 1.10)
		best = ""
		split(n == 1 ? "rps1 xbc1" : "rps2 xbc2 xbs2", bl, " ")
		for (i in bl)
			if (med[bl[i], "delivered_pps"] != "" && med[bl[i], "delivered_pps"] + 0 > best + 0)
				best = med[bl[i], "delivered_pps"]
		target(sprintf("delivered to the stack, %d CPU%s, qsize 2048, / best of RPS and xdp-bench", n,
		       n > 1 ? "s" : ""), ">= 1.00x", med["c" n "_none_q2048", "delivered_pps"], best, "/", 1.0)
	}
	target("devmap, 1 port, / xdp-bench redirect-map", ">= 1.00x",
	       med["dev1", "delivered_pps"], med["xbm", "delivered_pps"], "/", 1.0)
}' "$DIR/bench.body" >"$DIR/bench.md"

# The plot: rx and delivered Mpps per traffic case, min-max as error bars.
awk -F'\t' '$3 == "rx_pps" { rx[$1] = $6 / 1e6 " " $7 / 1e6 " " $8 / 1e6; order[++n] = $1 }
	$3 == "delivered_pps" { d[$1] = $6 / 1e6 " " $7 / 1e6 " " $8 / 1e6 }
	END { for (i = 1; i <= n; i++) print order[i], rx[order[i]], d[order[i]] }' \
	"$DIR/bench.body" >"$DIR/plot.dat"
rm -f "$DIR/bench.body"
if ! [ -s "$DIR/plot.dat" ]; then
	echo "report: no packet rates; no plot" >&2
elif command -v gnuplot >/dev/null; then
	gnuplot <<EOF || echo "report: gnuplot failed; no plot" >&2
set terminal pngcairo size 1400,700 noenhanced font ",10"
set output "$DIR/bench.png"
set title "xdplb bench $DATE: $MACHINE"
set ylabel "Mpps (median, min-max)"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set xtics rotate by -45 nomirror
set grid ytics
set yrange [0:*]
set key top right
plot "$DIR/plot.dat" using 2:3:4:xtic(1) title "rx (receiving veth)", \
     "" using 5:6:7 title "delivered"
EOF
else
	echo "report: gnuplot not installed; no plot" >&2
fi
rm -f "$DIR/plot.dat"
echo "report: $DIR/bench.md, $DIR/bench.csv$( [ -f "$DIR/bench.png" ] && echo ", $DIR/bench.png")" >&2
