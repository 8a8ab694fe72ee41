# SPDX-License-Identifier: GPL-2.0
# balance_cases.sh: the --balance cases of `make bench`, sourced by bench/lib.sh. On two
# CPUs where CPU 0 also generates and receives the load, four cases run back to back each
# round: the kernel's RPS to CPU 1 alone, xdp-bench redirect-cpu -p l4-dport, static
# xdplb, and xdplb with its balancer (whose delivered rate is compared with the best of the
# first two). The load's ports vary (flow i: sport and dport + i), so that l4-dport spreads
# it as xdplb does.
BAL_PID=

bal_running() { xdplb_r --status --json | jq -e '.instances[0].balance.running' >/dev/null; }

# Starts the balancer in the receiver namespace (bounded in time); 0 once it runs.
set_xdplb_balance() {
	enter xdplb-bal
	nsenter --net=/run/netns/"$NS_R" timeout $(( DURATION_S + 60 )) "$XDPLB" --iface "$IF_R" \
		"$@" --balance --balance-interval 200 --balance-max-moves 64 >"$WORK/balance.log" 2>&1 &
	BAL_PID=$!
	if wait_for 10 bal_running; then
		return 0
	fi
	head -n1 "$WORK/balance.log"
	return 1
}

# Leaves the balance state: the balancer stopped (SIGTERM; the table stays), then detached.
leave_xdplb_balance() {
	[ -n "$BAL_PID" ] && kill -TERM "$BAL_PID" 2>/dev/null && wait "$BAL_PID" 2>/dev/null
	BAL_PID=
	xdplb_r --detach --iface "$IF_R" >/dev/null
}

define_balance_cases() {
	local cpus
	cpus=$(cpu_list 2)
	add_case bal_rps1 "RPS to CPU 1, ports vary (balance group)" - "set_rps $(rps_list 1)" \
		ip_in_r "--vary ports"
	add_case bal_xb "xdp-bench redirect-cpu -p l4-dport, 2 CPUs, ports vary (balance group)" - \
		"set_xb redirect-cpu $(xb_cpus "$cpus")-p l4-dport -q 2048 $IF_R" ip_in_r "--vary ports"
	add_case bal_static "xdplb cpumap 2 CPUs ($cpus), static, ports vary" bal_rps1,bal_xb \
		"set_xdplb --cpus $cpus --qsize 2048 --remote none" ip_in_r "--vary ports"
	add_case bal_on "xdplb cpumap 2 CPUs ($cpus), --balance, ports vary" bal_rps1,bal_xb \
		"set_xdplb_balance --cpus $cpus --qsize 2048 --remote none" ip_in_r "--vary ports"
}
