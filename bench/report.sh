#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# report.sh: turns one bench/run.sh run (DIR/raw.tsv, DIR/cases.tsv) into DIR/bench.md (the
# tables and the project's targets), DIR/bench.csv and DIR/bench.png (gnuplot, when
# installed). Every figure is a median over the runs with its min-max. Every ratio is paired:
# run r of a case divided by run r of its baseline, measured in the same round of the same
# benchmark a few seconds apart; the median of those ratios is shown, with their min-max. On
# a shared machine the load moves both sides of a pair alike, so the ratios are steadier than
# the rates.
#
# Usage: bench/report.sh DIR "MACHINE" "CONDITIONS"
#   raw.tsv:   case <TAB> metric <TAB> run <TAB> value, or case <TAB> skip <TAB> 0 <TAB> reason;
#              metrics rx_pps, delivered_pps (packet rates), ns, extra_ns, xpass, xb_ns, xb_extra_ns
#              (decision cost: xdplb, over XDP_PASS, x XDP_PASS, xdp-bench, xdplb over xdp-bench)
#   cases.tsv: case <TAB> label <TAB> baseline ("-", a case, or a comma list: the best of
#              them in each round)
set -u
DIR=${1:?usage: report.sh DIR MACHINE CONDITIONS}
MACHINE=${2:-unknown machine}
CONDITIONS=${3:-}
DATE=$(date -u +%Y-%m-%d)
rm -f "$DIR/bench.png"

# One tab-separated line per case and metric (the CSV's fields), then the targets, as
# "target" lines: what, measured, goal, met.
awk -F'\t' -v OFS='\t' '
function sort_list(list, a,   n, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n
}
# Median of a space-separated list; leaves its min, max and count in lo, hi, cnt.
function median(list,   a, n) {
	n = sort_list(list, a)
	lo = a[1]; hi = a[n]; cnt = n
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
# The best (highest) value of the baselines in spec for metric m in run r, or "".
function base_in_run(spec, m, r,   bl, nb, i, k, v) {
	v = ""
	nb = split(spec, bl, ",")
	for (i = 1; i <= nb; i++) {
		k = bl[i] "|" m "|" r
		if (k in val && (v == "" || val[k] + 0 > v + 0))
			v = val[k]
	}
	return v
}
# Paired ratio of id to spec for metric m: median over the runs both have; "" if none. The
# min and max are left in rlo and rhi.
function paired(id, spec, m,   r, b, list) {
	list = ""
	for (r = 1; r <= maxrun; r++) {
		if (!((id "|" m "|" r) in val))
			continue
		b = base_in_run(spec, m, r)
		if (b != "" && b + 0 > 0)
			list = list " " val[id "|" m "|" r] / b
	}
	if (list == "")
		return ""
	r = median(list)
	rlo = lo; rhi = hi
	return r
}
# A target line; for ns (diff) the min-max of the medians are in rlo, rhi as for ratios.
function target(what, goal, v, limit, diff,   m) {
	if (v == "") {
		print "target", what, "n/a (a case is missing or skipped)", goal, "-"
		return
	}
	m = sprintf("%.3fx (%.2f-%.2f)", v, rlo, rhi)
	if (diff)
		m = sprintf("%+.0f ns (%+.0f..%+.0f)", v, rlo, rhi)
	print "target", what, m, goal, (diff ? v <= limit : v >= limit) ? "yes" : "no"
}
# The median of a decision metric over the runs of decision_cost, min-max in rlo, rhi.
function cost_median(k,   v) {
	if (!(k in vals))
		return ""
	v = median(vals[k]); rlo = lo; rhi = hi
	return v
}
FNR == NR { label[$1] = $2; base[$1] = $3; order[++ncases] = $1; next }
$2 == "skip" { if (!($1 in why)) why[$1] = $4; next }
{
	vals[$1 "|" $2] = vals[$1 "|" $2] " " $4
	val[$1 "|" $2 "|" $3] = $4
	if ($3 + 0 > maxrun) maxrun = $3 + 0
}
END {
	unit["rx_pps"] = unit["delivered_pps"] = "packets/s"
	unit["ns"] = unit["extra_ns"] = unit["xb_ns"] = unit["xb_extra_ns"] = "ns/packet"
	unit["xpass"] = "ratio"
	nm = split("rx_pps delivered_pps ns extra_ns xpass xb_ns xb_extra_ns", metrics, " ")
	for (c = 1; c <= ncases; c++) {
		id = order[c]
		if (id in why && !((id "|rx_pps") in vals) && !((id "|ns") in vals)) {
			print id, label[id], "skip", "", 0, "", "", "", "", "", "", "", "skipped: " why[id]
			continue
		}
		for (m = 1; m <= nm; m++) {
			k = id "|" metrics[m]
			if (!(k in vals))
				continue
			med = median(vals[k]); mlo = lo; mhi = hi; runs = cnt
			# rx against the floor; delivered and ns against the baseline of the case. extra_ns
			# and xpass are pairs already, decision_cost made them.
			b = metrics[m] == "rx_pps" ? "floor" : base[id]
			ratio = ""
			if (b != "-" && b != id && metrics[m] !~ /^(extra_ns|xpass|xb_ns|xb_extra_ns)$/)
				ratio = paired(id, b, metrics[m])
			gsub(/,/, "/", b)
			print id, label[id], metrics[m], unit[metrics[m]], runs, med, mlo, mhi,
			      ratio == "" ? "" : b, ratio == "" ? "" : sprintf("%.3f", ratio),
			      ratio == "" ? "" : sprintf("%.3f", rlo), ratio == "" ? "" : sprintf("%.3f", rhi),
			      id in why ? "some runs failed: " why[id] : ""
		}
	}
	# Issue 17. Decision: untagged IPv4/IPv6 TCP/UDP at most an empty program + 15 ns, and
	# no path dearer than xdp-bench l4-dport on the same frame (the paths both parse).
	np = split("ipv4_tcp ipv4_udp ipv6_tcp ipv6_udp", plain, " ")
	for (i = 1; i <= np; i++)
		target("decision, " plain[i] ", extra ns over an XDP_PASS program", "<= +15 ns",
		       cost_median("cost_" plain[i] "|extra_ns"), 15, 1)
	for (i = 1; i <= np; i++)
		for (t = 0; t <= 1; t++) {
			k = plain[i] (t ? "_vlan" : "")
			target("decision, " k ", extra ns over xdp-bench l4-dport on the same frame",
			       "<= +0 ns", cost_median("cost_" k "|xb_extra_ns"), 0, 1)
		}
	# Live, the like-for-like load (destination ports vary, 2 CPUs), and 1 CPU.
	target("live rx, 2 CPUs, ports vary, / xdp-bench redirect-cpu -p l4-dport", ">= 1.00x",
	       paired("c2p_none_q2048", "xbc2p", "rx_pps"), 1.0, 0)
	target("live delivered, 2 CPUs, ports vary, / xdp-bench redirect-cpu -p l4-dport",
	       ">= 1.00x", paired("c2p_none_q2048", "xbc2p", "delivered_pps"), 1.0, 0)
	target("live rx, 1 CPU, qsize 2048, / xdp-bench redirect-cpu -p l4-dport", ">= 1.00x",
	       paired("c1_none_q2048", "xbc1", "rx_pps"), 1.0, 0)
	target("live delivered, 1 CPU, qsize 2048, / xdp-bench redirect-cpu -p l4-dport",
	       ">= 1.00x", paired("c1_none_q2048", "xbc1", "delivered_pps"), 1.0, 0)
	target("devmap, 1 port, / xdp-bench redirect-map", ">= 1.00x",
	       paired("dev1", "xbm", "delivered_pps"), 1.0, 0)
}' "$DIR/cases.tsv" "$DIR/raw.tsv" >"$DIR/bench.body"
{
	echo "case,label,metric,unit,runs,median,min,max,baseline,ratio,ratio_min,ratio_max,note"
	# Free text (label, note) quoted, as RFC 4180 has it.
	awk -F'\t' -v OFS=',' 'function q(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
		$1 != "target" { $2 = q($2); $13 = q($13); print }' "$DIR/bench.body"
} >"$DIR/bench.csv"

# The markdown: one table for packet rates, one for the decision's cost, one for the targets.
awk -F'\t' -v date="$DATE" -v machine="$MACHINE" -v cond="$CONDITIONS" '
function mpps(v) { return sprintf("%.2f", v / 1e6) }
function spread(id, m) { return mpps(med[id, m]) " (" mpps(mn[id, m]) "-" mpps(mx[id, m]) ")" }
# The header row and rule of a table, from its column names separated by " | ".
function table_head(cols,   n, i, rule) {
	n = split(cols, col, " [|] ")
	rule = "|"
	for (i = 1; i <= n; i++) rule = rule " --- |"
	print "| " cols " |"; print rule
	return n
}
# A case that was skipped: its label, id and reason, the other columns empty.
function skipped_row(id, ncols,   i, row) {
	row = "| " label[id] " | " id " | " skip[id] " |"
	for (i = 4; i <= ncols; i++) row = row " |"
	print row
}
function ratio(id, m) {
	return rat[id, m] == "" ? "" : sprintf("%.2f (%.2f-%.2f)", rat[id, m], rlo[id, m], rhi[id, m])
}
$1 == "target" { targets[++nt] = "| " $2 " | " $3 " | " $4 " | " $5 " |"; next }
{
	id = $1; m = $3
	if (!(id in seen)) { seen[id] = 1; order[++nc] = id; label[id] = $2 }
	if (m == "skip") { skip[id] = $13; next }
	med[id, m] = $6; mn[id, m] = $7; mx[id, m] = $8; bas[id, m] = $9
	rat[id, m] = $10; rlo[id, m] = $11; rhi[id, m] = $12
	has[id, m] = 1
}
END {
	printf "# xdplb benchmark, %s\n\n%s; %s.\n\n", date, machine, cond
	print "## Packet rates\n"
	print "rx: frames the receiving veth took (its interface counter); delivered: frames that"
	print "reached the end of the case (XDP_DROP counter, Ip InReceives, cpumap kthread events,"
	print "the sink veths). Mpps: median of the runs (min-max). Ratios: median (min-max) of the"
	print "runs divided by the baseline run of the same round; a/b/c is the best of those.\n"
	ncols = table_head("case | id | rx Mpps | rx / floor | delivered Mpps | delivered / baseline | baseline")
	for (c = 1; c <= nc; c++) {
		id = order[c]
		if (has[id, "ns"] || id ~ /^cost/) continue
		if (id in skip && !has[id, "rx_pps"]) {
			skipped_row(id, ncols)
			continue
		}
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", label[id], id, spread(id, "rx_pps"),
		       ratio(id, "rx_pps"), spread(id, "delivered_pps"), ratio(id, "delivered_pps"),
		       bas[id, "delivered_pps"]
	}
	print "\n## Decision cost (BPF_PROG_TEST_RUN, repeat)\n"
	print "The frame of each path is timed with an XDP_PASS-only program, xdp-bench redirect-cpu l4-dport"
	print "and xdplb one after the other (decision_cost); the extra ns and the ratio come from those"
	print "triples. Medians of the runs (min-max).\n"
	ncols = table_head("path | id | xdplb ns/packet | extra ns over XDP_PASS | x XDP_PASS | xdp-bench ns | xdplb - xdp-bench ns")
	for (c = 1; c <= nc; c++) {
		id = order[c]
		if (id ~ /^cost/ && id in skip && !has[id, "ns"])
			skipped_row(id, ncols)
		if (!has[id, "ns"]) continue
		printf "| %s | %s | %s (%s-%s) | %s | %s | %s | %s |\n", label[id], id, med[id, "ns"],
		       mn[id, "ns"], mx[id, "ns"],
		       id == "cost_base" ? "" : sprintf("%+d (%+d-%+d)", med[id, "extra_ns"],
		                                        mn[id, "extra_ns"], mx[id, "extra_ns"]),
		       id == "cost_base" ? "" : sprintf("%.2f", med[id, "xpass"]),
		       has[id, "xb_ns"] ? med[id, "xb_ns"] : "",
		       has[id, "xb_extra_ns"] ? sprintf("%+d (%+d-%+d)", med[id, "xb_extra_ns"],
		                                        mn[id, "xb_extra_ns"], mx[id, "xb_extra_ns"]) : ""
	}
	print "\n## Targets\n"
	table_head("target | measured (paired ratios: median, min-max) | goal | met")
	for (i = 1; i <= nt; i++) print targets[i]
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
