# SPDX-License-Identifier: GPL-2.0
#
# The load balancers the benchmark compares, on the L4 test topology
# (selftests/net/l4lib.sh).  A scenario NAME is a function scn_NAME that
# configures the LB netns $lb of a fresh topology and sets TARGET, the
# address clients send to.  Every scenario serves the same three ports:
#
#   udp/9     pktgen's packets, balanced over b1..b3 (dropped there by tc)
#   tcp/8080  bench/httpd on b1..b3, for connections per second
#   tcp/5201  iperf3 on b1 only: its control and data connections must meet
#
# To add a scenario, write scn_NAME and name it in BENCH_SCENARIOS (and in
# BENCH_MEM_SCENARIOS if it keeps per-connection state worth weighing).  A
# function x_NAME, if any, runs once after the metrics, for rows of the
# scenario's own.

BENCH_SCENARIOS=${BENCH_SCENARIOS:-baseline ipvs nft lbnic-nat lbnic-fullnat lbnic-dsr lbnic-offload}
BENCH_MEM_SCENARIOS=${BENCH_MEM_SCENARIOS:-ipvs nft lbnic-nat}

# The LB just routes: clients address b1 itself.  The ceiling.
scn_baseline() {
	TARGET=${BE4[0]}
}

scn_ipvs() {
	local svc be

	TARGET=$VIP4
	# IPVS balances at LOCAL_IN: the director must own the VIP.
	ip -n "$lb" addr add $VIP4/32 dev lo || return 1
	for svc in "-u $VIP4:9" "-t $VIP4:8080"; do
		ip netns exec "$lb" ipvsadm -A $svc -s mh || return 1
		for be in "${BE4[@]}"; do
			ip netns exec "$lb" ipvsadm -a $svc -r "$be" -m || return 1
		done
	done
	ip netns exec "$lb" ipvsadm -A -t $VIP4:5201 -s mh &&
		ip netns exec "$lb" ipvsadm -a -t $VIP4:5201 -r "${BE4[0]}" -m
}

scn_nft() {
	TARGET=$VIP4
	# The 1M-connection run outlasts conntrack's 30 s unreplied UDP timeout.
	ip netns exec "$lb" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600
	ip netns exec "$lb" nft -f - <<-EOF
	table ip lbbench {
		chain pre {
			type nat hook prerouting priority dstnat;
			ip daddr $VIP4 tcp dport 5201 dnat to ${BE4[0]}
			ip daddr $VIP4 meta l4proto { tcp, udp } dnat to jhash ip saddr . th sport mod 3 map { 0 : ${BE4[0]}, 1 : ${BE4[1]}, 2 : ${BE4[2]} }
		}
	}
	EOF
}

# lbnic_services MODE [service options]: the three ports, maglev.
lbnic_services() {
	local mode=$1 p be

	shift
	for p in "udp 9" "tcp 8080"; do
		lb service add "$VIP4:${p#* }" proto "${p% *}" sched maglev \
			mode "$mode" "$@" || return 1
		for be in "${BE4[@]}"; do
			lb backend add "$VIP4:${p#* }" proto "${p% *}" \
				addr "$be:${p#* }" || return 1
		done
	done
	TARGET=$VIP4
	lb service add "$VIP4:5201" proto tcp sched maglev mode "$mode" "$@" &&
		lb backend add "$VIP4:5201" proto tcp addr "${BE4[0]}:5201"
}

# The connection bound covers the 1M-connection memory run.
scn_lbnic-nat() {
	lb config set conn-max 2097152 && lbnic_services nat
}

scn_lbnic-fullnat() {
	lbnic_services fullnat snat $LB4
}

scn_lbnic-dsr() {
	lbnic_services dsr
}

# nat, with established flows exported as TC flower rules in TC's software
# path (lbnicd -p skip_hw; veth cannot take them into hardware).  Its
# one-flow UDP row (a reply primes the flow, see udp_warm_lbnic-offload)
# and TCP rows are on the TC path, to set beside lbnic-nat's; one-way
# flows (the 10k-flow row) and wrk's 20-packet-short connections are never
# exported.
OFFLOAD_STATUS=/tmp/lbnicd.bench.status
scn_lbnic-offload() {
	local m

	for m in cls_flower act_pedit act_csum act_mirred; do
		modprobe "$m" || return 1
	done
	rm -f "$OFFLOAD_STATUS"
	lb config set offload-packets 20 && lbnic_services nat || return 1
	bg ip netns exec "$lb" "$SRCDIR/userspace/lbnicd" -f -p skip_hw -i 500 \
		-S "$OFFLOAD_STATUS"
	busywait 10000 test -s "$OFFLOAD_STATUS"
}

# A flow needs both directions seen to be exported: for the one-flow UDP
# run, each backend answers the client's port once (only the flow's own
# backend matches it), then the flow is sent to until its rules are in.
udp_warm_lbnic-offload() {
	local b

	[ "$1" -eq "$2" ] || return 0
	for b in "${BNS[@]}"; do
		ip netns exec "$b" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 9))
s.sendto(b"x", (sys.argv[1], int(sys.argv[2])))' "$CLI4" "$1" || return 1
	done
	pktgen_prepare "$TARGET" $CLI4 $CLI4 "$1" "$2" 100 && pktgen_start &&
		busywait 10000 udp_exported "$1"
}

udp_exported() {
	lb conn show | grep -q "$CLI4:$1 .*offload sw"
}

# The agent's own figures, after 32 parallel iperf3 streams to export.
x_lbnic-offload() {
	timeout $BENCH_CLIENT_TIMEOUT ip netns exec "$cli" iperf3 -c "$TARGET" \
		-P 32 -t "$BENCH_SECS" >/dev/null || return 1
	sleep 1		# one status period of the agent
	awk -v scn="$SCN" '
		$1 == "rules_per_second" { m = "offload_rules_per_s" }
		$1 == "latency_p50_ms" { m = "offload_latency_p50_ms" }
		$1 == "latency_p99_ms" { m = "offload_latency_p99_ms" }
		$1 == "ready_latency_p50_ms" { m = "offload_ready_p50_ms" }
		$1 == "ready_latency_p99_ms" { m = "offload_ready_p99_ms" }
		$1 == "rules_installed" || $1 == "refused" { m = "offload_" $1 }
		m { printf "%s\t%s\t%s\n", scn, m, $2; m = "" }' "$OFFLOAD_STATUS"
}
