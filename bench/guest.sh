#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, inside the VM (bench/run.sh boots it).  For each scenario
# of bench/scenarios.sh: a fresh L4 topology, the scenario's LB, every
# metric of bench/metrics.sh BENCH_REPS times, the 1M-connection memory run
# where it applies, then the netns are deleted.  Last, the table
# microbenchmark module.  Rows "scenario<TAB>metric<TAB>value" go to
# $BENCH_TSV; bench/report.py turns them into the table.
#
# BENCH_SMOKE=1 shrinks every run to a second (selftests/net/bench_smoke.sh).
here=$(dirname "$(readlink -f "$0")")
# Not a test (set for the script: as a prefix of source it would not last).
LBNIC_NOT_A_TEST=1
source "$here/../selftests/net/l4lib.sh" >/dev/null
source "$here/scenarios.sh"
source "$here/metrics.sh"

BENCH_TSV=${BENCH_TSV:-${LBNIC_RESULTS:-/tmp}/bench.tsv}
if [ -n "${BENCH_SMOKE:-}" ]; then
	BENCH_REPS=1 BENCH_SECS=1 BENCH_MEM_CONNS=3000 BENCH_WARMUP_PKTS=1000
	BENCH_TABLE_ENTRIES=16384 BENCH_TABLE_LOOKUPS=20000
fi
BENCH_REPS=${BENCH_REPS:-3}
BENCH_MEM_CONNS=${BENCH_MEM_CONNS:-1000000}
BENCH_TABLE_ENTRIES=${BENCH_TABLE_ENTRIES:-1048576}
BENCH_TABLE_LOOKUPS=${BENCH_TABLE_LOOKUPS:-1048576}
HTTPD=${HTTPD:-$here/httpd}

declare -A MEM_CACHE=([ipvs]=ip_vs_conn [nft]=nf_conntrack [lbnic-nat]=lbnic_conn)

say() { echo "bench: [$(cut -d. -f1 /proc/uptime) s] $*" >&2; }

emit() {
	printf '%s\t%s\t%s\n' "$@" >> "$BENCH_TSV"
}

bench_topology() {
	local i b

	l4_topology || return 1
	# Generator on CPU 0, forwarding on CPU 1 (see metrics.sh).
	ip netns exec "$lb" sh -c 'echo 2 > /sys/class/net/l0/queues/rx-0/rps_cpus'
	ip netns exec "$cli" sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
	for i in 0 1 2; do
		b=${BNS[$i]}
		tc -n "$b" qdisc add dev e0 clsact &&
			tc -n "$b" filter add dev e0 ingress protocol ip flower \
				ip_proto udp dst_port 9 action drop || return 1
		bg ip netns exec "$b" "$HTTPD" 8080
	done
	bg ip netns exec "${BNS[0]}" iperf3 -s -p 5201 >/dev/null
	for i in 0 1 2; do
		busywait 10000 ip netns exec "${BNS[$i]}" sh -c \
			'ss -Hltn | grep -q ":8080 "' || return 1
	done
	busywait 10000 ip netns exec "${BNS[0]}" sh -c 'ss -Hltn | grep -q ":5201 "'
}

# Deleting the netns frees what the LBs tracked (IPVS and conntrack
# entries outlive their rules otherwise); wait for it so the next memory
# run starts from a quiet slab.
bench_teardown() {
	local cache

	cleanup_ns
	for cache in "${MEM_CACHE[@]}"; do
		busywait 60000 sh -c "awk '\$1 == \"$cache\" && \$2 > 1000 { exit 1 }' /proc/slabinfo" ||
			say "$cache still holds objects"
	done
}

run_scenario() {
	local scn=$1 m rep v

	SCN=$scn
	bench_topology || { say "$scn: topology failed"; return 1; }
	"scn_$scn" || { say "$scn: configuration failed"; return 1; }
	for m in $BENCH_METRICS; do
		for rep in $(seq "$BENCH_REPS"); do
			if v=$("m_$m"); then
				emit "$scn" "$m" "$v"
			else
				say "$scn: $m run $rep failed"
				emit "$scn" "$m" nan
			fi
		done
	done
	if declare -F "x_$scn" >/dev/null; then
		"x_$scn" >> "$BENCH_TSV" || say "$scn: its own rows failed"
	fi
	if [ -n "${MEM_CACHE[$scn]:-}" ] && [[ " $BENCH_MEM_SCENARIOS " == *" $scn "* ]]; then
		if v=$(m_mem "${MEM_CACHE[$scn]}" "$BENCH_MEM_CONNS"); then
			emit "$scn" mem_bytes "$v"
		else
			say "$scn: memory run failed"
			emit "$scn" mem_bytes nan
		fi
	fi
	bench_teardown
}

# Seed 000 Figure 5 for lbnic's table, rhashtable and an IPVS-style table.
# lbnic's table is the initial netns's, sized by conn-max at the first
# service: the module inserts through that service's backend.
run_table_bench() {
	local svc=10.0.0.10:80 mark rc

	"$LBNIC" config set conn-max "$BENCH_TABLE_ENTRIES" &&
		"$LBNIC" service add $svc proto tcp mode nat &&
		"$LBNIC" backend add $svc proto tcp addr 10.0.2.11:80 || return 1
	mark=$(dmesg_mark)
	insmod "$LBNIC_BUILD/lbnic_bench.ko" entries="$BENCH_TABLE_ENTRIES" \
		lookups="$BENCH_TABLE_LOOKUPS" reps="$BENCH_REPS"
	rc=$?
	"$LBNIC" service del $svc proto tcp
	[ $rc -eq 0 ] && rmmod lbnic_bench || { say "table bench failed"; return 1; }
	dmesg_since "$mark" |
		sed -n 's/.*lbnic_bench: result \(.*\)/\1/p' |
		while read -r table op occ threads mops; do
			emit "table-$table" "${op}_mops_${occ}pct_${threads}t" "$mops"
		done
}

main() {
	local scn

	: > "$BENCH_TSV"
	emit meta kernel "$(uname -r)"
	emit meta generator "pktgen (UDP), iperf3 $(iperf3 -v | awk 'NR == 1 { print $2 }'), wrk"
	emit meta cpus "$(nproc)"
	emit meta reps "$BENCH_REPS"
	lbnic_load || { say "cannot load lbnic"; exit 1; }
	modprobe pktgen && modprobe nf_conntrack || exit 1
	# Room for every flow: a full conntrack table evicts instead.
	sysctl -qw net.netfilter.nf_conntrack_max=$((BENCH_MEM_CONNS * 2 + 262144))
	for scn in $BENCH_SCENARIOS; do
		say "$scn"
		run_scenario "$scn"
	done
	say "table microbenchmark"
	run_table_bench
	lbnic_unload
}

main
