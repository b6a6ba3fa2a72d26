# SPDX-License-Identifier: GPL-2.0
#
# The load balancers the benchmark compares, on the L4 test topology
# (selftests/net/l4lib.sh).  A scenario NAME is a function scn_NAME that
# configures the LB netns $lb of its own topology and records with knob()
# every setting it made (they go into the report).  Clients always send to the
# VIP, and every scenario serves the same three ports:
#
#   udp/9     pktgen's packets, balanced over b1..b3 (dropped there by tc)
#   tcp/8080  bench/httpd on b1..b3, for connections per second
#   tcp/5201  iperf3 on b1 only: its control and data connections must meet
#
# except the http scenarios (bench/http.sh), which serve tcp/80 from nginx
# on b1..b3's :8000 and run the http metrics instead.
#
# SCN_MODE says what a scenario is compared with: ratios are taken only
# between scenarios of one mode (nat, dsr, fullnat), and every scenario is
# set against the two ceilings ("ceiling").  To add a scenario, write
# scn_NAME, give it a mode and name it in BENCH_SCENARIOS.  A function
# x_NAME, if any, runs once after the timed rounds, for rows of its own.

declare -A SCN_MODE=(
	[route]=ceiling [tc-redirect]=ceiling
	[ipvs-nat]=nat [nft-dnat]=nat [nft-flowtable]=nat
	[lbnic-nat]=nat [lbnic-offload]=nat
	[ipvs-dr]=dsr [lbnic-dsr]=dsr
	[ipvs-fullnat]=fullnat [lbnic-fullnat]=fullnat
	[http-direct]=http [haproxy]=http [nginx]=http [lbnic-http]=http
)
# Metrics of bench/metrics.sh a scenario does not run, and why (at the
# scenario).
declare -A SCN_SKIP=([lbnic-offload]="udp_pps_10k crr")
BENCH_SCENARIOS=${BENCH_SCENARIOS:-route tc-redirect ipvs-nat nft-dnat nft-flowtable lbnic-nat lbnic-offload ipvs-dr lbnic-dsr ipvs-fullnat lbnic-fullnat http-direct haproxy nginx lbnic-http}
# What the http scenarios run (bench/http.sh), in place of BENCH_METRICS.
BENCH_HTTP_METRICS=${BENCH_HTTP_METRICS:-http_ka http_close http_bulk}
# The memory runs weigh one system each: IPVS, conntrack, lbnic.
BENCH_MEM_SCENARIOS=${BENCH_MEM_SCENARIOS:-ipvs-nat nft-dnat lbnic-nat}

# Every system's connection table has this many buckets (at most: IPVS
# may take fewer, see size_tables() in guest.sh): 2^20, a bucket for each
# of the 1M connections the memory figure charges the buckets to.  IPVS's conn_tab_bits and conntrack's
# hashsize are global, lbnic's conn-max is per netns.
BENCH_TABLE_BITS=${BENCH_TABLE_BITS:-20}

# metrics_of SCENARIO: the metrics of BENCH_METRICS (BENCH_HTTP_METRICS for
# an http scenario) that SCENARIO runs.
metrics_of() {
	local m list=$BENCH_METRICS

	[ "${SCN_MODE[$1]:-}" != http ] || list=$BENCH_HTTP_METRICS
	for m in $list; do
		[[ " ${SCN_SKIP[$1]:-} " == *" $m "* ]] || echo "$m"
	done
}

# knob TEXT: a setting of the scenario being built, for the report.
knob() {
	emit config "$SCN" "$*" 0
}

# The LB only routes: an ECMP route with an L4 hash spreads the VIP over
# the backends, which own it on lo (as for dsr) and answer the client
# directly.  iperf3's two connections must meet on b1: a rule for its
# port.  The same hops as every LB, nothing but forwarding.
scn_route() {
	ip -n "$lb" -batch - <<-EOF || return 1
		route add $VIP4/32 nexthop via ${BE4[0]} nexthop via ${BE4[1]} nexthop via ${BE4[2]}
		route add $VIP4/32 via ${BE4[0]} table 100
		rule add ipproto tcp dport 5201 table 100
	EOF
	ip netns exec "$lb" sysctl -qw net.ipv4.fib_multipath_hash_policy=1 || return 1
	knob "ECMP route to b1..b3, fib_multipath_hash_policy=1 (L4 hash)"
}

# Stateless NAT in TC: flower rules on the client's ingress rewrite the
# VIP to a backend picked by source-port range, set the MACs and redirect
# to the backend's port; the reverse rules on each port undo it.  No
# routing, no netfilter, no table: the fastest rewrite the kernel offers,
# and what lbnic's exported flows do per flow.  The ranges split pktgen's
# 10k source ports (10000-19999) in three.
scn_tc-redirect() {
	local i p c0mac bmac pmac ranges=(1-13333 13334-16666 16667-65535)

	# $l0mac: guest.sh's use().
	c0mac=$(mac_of "$cli" c0) || return 1
	tc -n "$lb" qdisc add dev l0 clsact || return 1
	for i in 0 1 2; do
		bmac=$(mac_of "${BNS[$i]}" e0) && pmac=$(mac_of "$lb" p$i) || return 1
		tc -n "$lb" qdisc add dev p$i clsact || return 1
		for p in udp tcp; do
			tc_nat "$lb" l0 2 "dst_ip $VIP4 ip_proto $p src_port ${ranges[$i]}" \
				"$bmac" "$pmac" dst "${BE4[$i]}" "$p" p$i || return 1
			tc_nat "$lb" p$i 2 "src_ip ${BE4[$i]} dst_ip $CLI4 ip_proto $p" \
				"$c0mac" "$l0mac" src "$VIP4" "$p" l0 || return 1
		done
	done
	bmac=$(mac_of "${BNS[0]}" e0) && pmac=$(mac_of "$lb" p0) || return 1
	tc_nat "$lb" l0 1 "dst_ip $VIP4 ip_proto tcp dst_port 5201" \
		"$bmac" "$pmac" dst "${BE4[0]}" tcp p0 || return 1
	knob "flower + pedit + csum + mirred, 13 static rules, TC software path"
}

# mac_of NS DEV: DEV's MAC address in netns NS.
mac_of() {
	ip -n "$1" -j link show "$2" | jq -er '.[0].address'
}

# tc_nat NS DEV PRIO MATCH DMAC SMAC dst|src IP PROTO TODEV: a rule on
# DEV's ingress that rewrites the MACs and one address, mends the
# checksums and redirects to TODEV.
tc_nat() {
	# shellcheck disable=SC2086 # MATCH is a word list
	tc -n "$1" filter add dev "$2" ingress prio "$3" protocol ip flower $4 \
		action pedit ex munge eth dst set "$5" munge eth src set "$6" \
		munge ip "$7" set "$8" pipe action csum ip4h and "$9" pipe \
		action mirred egress redirect dev "${10}"
}

# IPVS balances at LOCAL_IN: the director owns the VIP.  Tuned as its
# users tune it: the table sized like everyone's (guest.sh), and no
# second route lookup for replies (snat_reroute=0: no policy routing).
ipvs_common() {
	ip -n "$lb" addr add $VIP4/32 dev lo &&
		ip netns exec "$lb" sysctl -qw net.ipv4.vs.snat_reroute=0 || return 1
	knob "ipvsadm -s mh, conn_tab_bits=$(cat /sys/module/ip_vs/parameters/conn_tab_bits), snat_reroute=0"
}

# ipvs_services FORWARD: the three ports with ipvsadm forwarding FORWARD
# (-m masquerading, -g direct routing).
ipvs_services() {
	local svc be

	for svc in "-u $VIP4:9" "-t $VIP4:8080"; do
		ip netns exec "$lb" ipvsadm -A $svc -s mh || return 1
		for be in "${BE4[@]}"; do
			ip netns exec "$lb" ipvsadm -a $svc -r "$be" "$1" || return 1
		done
	done
	ip netns exec "$lb" ipvsadm -A -t $VIP4:5201 -s mh &&
		ip netns exec "$lb" ipvsadm -a -t $VIP4:5201 -r "${BE4[0]}" "$1"
}

scn_ipvs-nat() {
	ipvs_common && ipvs_services -m && knob "masquerading (-m)"
}

# The backends hold the VIP on lo and ignore ARP for it (l4lib.sh).  They
# answer from the VIP through the director, which owns it: accept_local
# lets it forward packets from its own address.
scn_ipvs-dr() {
	ipvs_common && ipvs_services -g &&
		ip netns exec "$lb" sysctl -qw net.ipv4.conf.br0.accept_local=1 &&
		knob "direct routing (-g), br0 accept_local=1"
}

# IPVS masquerading plus source NAT, as kube-proxy's IPVS mode does it:
# IPVS tells conntrack of its translation, nftables adds the SNAT.
scn_ipvs-fullnat() {
	ipvs_common && ipvs_services -m || return 1
	ip netns exec "$lb" sysctl -qw net.ipv4.vs.conntrack=1 || return 1
	nft_snat || return 1
	knob "masquerading (-m), vs.conntrack=1, nft snat to $LB4"
}

nft_snat() {
	ip netns exec "$lb" nft -f - <<-EOF
	table ip lbsnat {
		chain post {
			type nat hook postrouting priority srcnat;
			ip saddr != $LB4 ip daddr { ${BE4[0]}, ${BE4[1]}, ${BE4[2]} } snat to $LB4
		}
	}
	EOF
}

# nft_dnat [FLOWTABLE]: DNAT at prerouting by a hash of the source over a
# map of the backends; conntrack does the reverse.  With FLOWTABLE, the
# established flows take nf_flow_table's software fast path, hooked on
# l0 and on the bridge's ports, so that it transmits to the port itself.
nft_dnat() {
	local ft=

	[ -z "${1:-}" ] ||
		ft="flowtable ft { hook ingress priority 0; devices = { l0, p0, p1, p2 }; }
		chain forward {
			type filter hook forward priority filter;
			meta l4proto { tcp, udp } flow add @ft
		}"
	ip netns exec "$lb" nft -f - <<-EOF
	table ip lbbench {
		$ft
		chain pre {
			type nat hook prerouting priority dstnat;
			ip daddr $VIP4 tcp dport 5201 dnat to ${BE4[0]}
			ip daddr $VIP4 meta l4proto { tcp, udp } dnat to jhash ip saddr . th sport mod 3 map { 0 : ${BE4[0]}, 1 : ${BE4[1]}, 2 : ${BE4[2]} }
		}
	}
	EOF
}

scn_nft-dnat() {
	nft_dnat && knob "jhash DNAT, nf_conntrack hashsize=$(cat /sys/module/nf_conntrack/parameters/hashsize)"
}

scn_nft-flowtable() {
	nft_dnat flowtable && knob "jhash DNAT, flowtable on l0, p0-p2 (software), hashsize=$(cat /sys/module/nf_conntrack/parameters/hashsize)"
}

# lbnic_services MODE [service options]: the three ports, maglev, and the
# same table size as the peers.
lbnic_services() {
	local mode=$1 p be

	shift
	lb config set conn-max $((1 << BENCH_TABLE_BITS)) || return 1
	for p in "udp 9" "tcp 8080"; do
		lb service add "$VIP4:${p#* }" proto "${p% *}" sched maglev \
			mode "$mode" "$@" || return 1
		for be in "${BE4[@]}"; do
			lb backend add "$VIP4:${p#* }" proto "${p% *}" \
				addr "$be:${p#* }" || return 1
		done
	done
	lb service add "$VIP4:5201" proto tcp sched maglev mode "$mode" "$@" &&
		lb backend add "$VIP4:5201" proto tcp addr "${BE4[0]}:5201" || return 1
	knob "sched maglev, mode $mode $*, conn-buckets $(lb -j config show | jq -r .conn_buckets)"
}

scn_lbnic-nat() {
	lbnic_services nat
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
# and TCP bulk row are on the TC path, to set beside lbnic-nat's.  One-way
# flows (the 10k-flow row) and wrk's 20-packet-short connections are never
# exported: those rows would be lbnic-nat's plus the agent's and the
# candidate count's small cost, and are not run (so that cost is not
# measured).
scn_lbnic-offload() {
	local m

	for m in cls_flower act_pedit act_csum act_mirred; do
		modprobe "$m" || return 1
	done
	OFFLOAD_STATUS=$(mktemp -u /tmp/lbnicd.bench.XXXXXX)
	lb config set offload-packets 20 && lbnic_services nat || return 1
	bg ip netns exec "$lb" "$SRCDIR/userspace/lbnicd" -f -p skip_hw -i 500 \
		-S "$OFFLOAD_STATUS"
	busywait 10000 test -s "$OFFLOAD_STATUS" || return 1
	knob "offload-packets 20, lbnicd -p skip_hw -i 500"
}

# A flow needs both directions seen to be exported: for the one-flow UDP
# run, the client's first packets make the entry, each backend answers the
# client's port once (only the flow's own backend matches it), then the
# flow is sent to until its rules are in.
udp_warm_lbnic-offload() {
	local b

	[ "$1" -eq "$2" ] || return 0
	pktgen_prepare "$VIP4" $CLI4 $CLI4 "$1" "$2" 100 && pktgen_start || return 1
	for b in "${BNS[@]}"; do
		ip netns exec "$b" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 9))
s.sendto(b"x", (sys.argv[1], int(sys.argv[2])))' "$CLI4" "$1" || return 1
	done
	pktgen_prepare "$VIP4" $CLI4 $CLI4 "$1" "$2" 100 && pktgen_start &&
		busywait 10000 udp_exported "$1"
}

udp_exported() {
	lb conn show | grep -q "$CLI4:$1 .*offload sw"
}

# The agent's own figures, after 32 parallel iperf3 streams to export.
x_lbnic-offload() {
	local mark=$OFFLOAD_STATUS.mark

	timeout $BENCH_CLIENT_TIMEOUT ip netns exec "$cli" iperf3 -c "$VIP4" \
		-P 32 -t "$BENCH_SECS" >/dev/null && touch "$mark" || return 1
	# The agent rewrites its status every 500 ms: one written since.
	busywait 10000 test "$OFFLOAD_STATUS" -nt "$mark" || return 1
	awk -v scn="$SCN" '
		$1 == "rules_per_second" { m = "offload_rules_per_s" }
		$1 == "latency_p50_ms" { m = "offload_latency_p50_ms" }
		$1 == "latency_p99_ms" { m = "offload_latency_p99_ms" }
		$1 == "ready_latency_p50_ms" { m = "offload_ready_p50_ms" }
		$1 == "ready_latency_p99_ms" { m = "offload_ready_p99_ms" }
		$1 == "rules_installed" || $1 == "refused" { m = "offload_" $1 }
		m { printf "%s\t%s\t%s\t1\n", scn, m, $2; m = "" }' "$OFFLOAD_STATUS"
}
