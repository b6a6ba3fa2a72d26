#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, inside the VM (bench/run.sh boots it).
#
# Every scenario of bench/scenarios.sh gets a topology of its own, built
# and configured up front, and all of them stay up: a figure's runs can
# then be interleaved.  After one untimed warm-up round (round 0), each of
# BENCH_REPS rounds visits the scenarios in a fresh random order and runs
# their metrics (bench/metrics.sh) in a fresh random order, so that drift
# (the emulator's translation cache warming, the host's load) falls on
# every scenario alike, and round r of one scenario can be paired with
# round r of another.  A scenario's leftover connections are flushed when
# its turn ends, so its collector does not run in the others' windows.
# Then the memory runs (a fresh topology each, BENCH_MEM_REPS rounds) and
# the table microbenchmark module.
#
# Rows "scenario<TAB>metric<TAB>value<TAB>round" go to $BENCH_TSV, failures
# as "nan": bench/report.py turns them into the table and counts them.
#
# BENCH_SMOKE=1 shrinks every run to a second (selftests/net/bench_smoke.sh),
# BENCH_QUICK=1 keeps every figure with fewer rounds (make bench QUICK=1).
here=$(dirname "$(readlink -f "$0")")
# Not a test (set for the script: as a prefix of source it would not last).
LBNIC_NOT_A_TEST=1
source "$here/../selftests/net/l4lib.sh" >/dev/null
source "$here/scenarios.sh"
source "$here/metrics.sh"
source "$here/http.sh"

BENCH_TSV=${BENCH_TSV:-${LBNIC_RESULTS:-/tmp}/bench.tsv}
if [ -n "${BENCH_SMOKE:-}" ]; then
	BENCH_REPS=1 BENCH_WARMUP=0 BENCH_SECS=1 BENCH_MEM_CONNS=3000
	BENCH_MEM_REPS=1 BENCH_WARMUP_PKTS=1000
	BENCH_TABLE_ENTRIES=16384 BENCH_TABLE_LOOKUPS=20000
elif [ -n "${BENCH_QUICK:-}" ]; then
	BENCH_REPS=${BENCH_REPS:-3} BENCH_MEM_REPS=${BENCH_MEM_REPS:-1}
	BENCH_MEM_CONNS=${BENCH_MEM_CONNS:-100000}
	BENCH_TABLE_ENTRIES=${BENCH_TABLE_ENTRIES:-262144}
fi
BENCH_REPS=${BENCH_REPS:-10}
BENCH_WARMUP=${BENCH_WARMUP:-1}
BENCH_MEM_REPS=${BENCH_MEM_REPS:-3}
BENCH_MEM_CONNS=${BENCH_MEM_CONNS:-300000}
BENCH_TABLE_ENTRIES=${BENCH_TABLE_ENTRIES:-1048576}
BENCH_TABLE_LOOKUPS=${BENCH_TABLE_LOOKUPS:-131072}
BENCH_TABLE_REPS=${BENCH_TABLE_REPS:-$BENCH_REPS}
BENCH_SEED=${BENCH_SEED:-$(date +%s)}
HTTPD=${HTTPD:-$here/httpd}

declare -A MEM_CACHE=([ipvs-nat]=ip_vs_conn [nft-dnat]=nf_conntrack [lbnic-nat]=lbnic_conn)
# Each scenario's topology: the client, the LB, the three backends; a
# process that lives in the LB netns, through which metrics.sh reads its
# counters; the LB's l0 MAC, which pktgen sends to.
declare -A T_CLI T_LB T_BNS T_PID T_MAC

say() { echo "bench: [$(cut -d. -f1 /proc/uptime) s] $*" >&2; }

emit() {
	printf '%s\t%s\t%s\t%s\n' "$@" >> "$BENCH_TSV"
}

# shuffle ARRAY WORDS...: ARRAY holds WORDS in random order (Fisher-Yates
# on bash's RANDOM, seeded once from BENCH_SEED).  In this shell, not in a
# $(...): a subshell reseeds RANDOM, and the orders could not be repeated.
shuffle() {
	local -n out=$1
	local i j t

	shift
	out=("$@")
	for ((i = ${#out[@]} - 1; i > 0; i--)); do
		j=$((RANDOM % (i + 1)))
		t=${out[i]} out[i]=${out[j]} out[j]=$t
	done
}

# The connection tables of IPVS and conntrack are global and sized when
# their modules load.  IPVS gets 2^BENCH_TABLE_BITS buckets, or as many as
# it allows for the VM's memory (it clamps silently), and conntrack and
# lbnic (scenarios.sh) get what IPVS took.  A module loaded with another
# size is reloaded.
size_tables() {
	if [ -e /sys/module/ip_vs ] &&
	   [ "$(cat /sys/module/ip_vs/parameters/conn_tab_bits)" != "$BENCH_TABLE_BITS" ]; then
		modprobe -r ip_vs_mh ip_vs || return 1
	fi
	modprobe ip_vs conn_tab_bits="$BENCH_TABLE_BITS" && modprobe ip_vs_mh &&
		modprobe nf_conntrack || return 1
	BENCH_TABLE_BITS=$(cat /sys/module/ip_vs/parameters/conn_tab_bits)
	echo $((1 << BENCH_TABLE_BITS)) > /sys/module/nf_conntrack/parameters/hashsize ||
		return 1
	# Room for every flow: a full conntrack table evicts instead.
	sysctl -qw net.netfilter.nf_conntrack_max=$((BENCH_MEM_CONNS * 2 + 262144))
}

# use SCENARIO: makes SCENARIO's topology the current one.
use() {
	SCN=$1
	cli=${T_CLI[$1]}
	lb=${T_LB[$1]}
	read -r -a BNS <<<"${T_BNS[$1]}"
	lbpid=${T_PID[$1]}
	l0mac=${T_MAC[$1]}
}

# build SCENARIO: its topology, servers and configuration.
build() {
	local scn=$1 i b

	l4_topology || return 1
	bg nsenter --net="/run/netns/$lb" sleep infinity
	T_CLI[$scn]=$cli T_LB[$scn]=$lb T_BNS[$scn]=${BNS[*]} T_PID[$scn]=$!
	T_MAC[$scn]=$(mac_of "$lb" l0) || return 1
	use "$scn"
	# Generator on CPU 0, forwarding on CPU 1 (see metrics.sh).
	ip netns exec "$lb" sh -c 'echo 2 > /sys/class/net/l0/queues/rx-0/rps_cpus' &&
		ip netns exec "$cli" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" ||
		return 1
	for i in 0 1 2; do
		b=${BNS[$i]}
		# The backends drop pktgen's packets and send nothing for
		# minutes: a learned MAC would age out and the bridge flood
		# every packet to all three ports (each counted as delivered).
		bridge -n "$lb" fdb replace "$(mac_of "$b" e0)" dev p$i master static &&
			tc -n "$b" qdisc add dev e0 clsact &&
			tc -n "$b" filter add dev e0 ingress protocol ip flower \
				ip_proto udp dst_port 9 action drop || return 1
		bg ip netns exec "$b" "$HTTPD" 8080
	done
	bg ip netns exec "${BNS[0]}" iperf3 -s -p 5201 >/dev/null
	for i in 0 1 2; do
		busywait 10000 in_ns "${BNS[$i]}" sh -c 'ss -Hltn | grep -q ":8080 "' ||
			return 1
	done
	busywait 10000 in_ns "${BNS[0]}" sh -c 'ss -Hltn | grep -q ":5201 "' || return 1
	if [ "${SCN_MODE[$scn]}" = http ]; then
		http_backends || return 1
	fi
	"scn_$scn"
}

# ct_flush NS: empties conntrack's table of NS (ctnetlink: a delete with
# no tuple flushes), as "conntrack -F" would.
ct_flush() {
	in_ns "$1" python3 -c '
import socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
s.send(struct.pack("=LHHLLBBH", 20, 1 << 8 | 2, 1 | 4, 1, 0, socket.AF_INET, 0, 0))
raise SystemExit(struct.unpack("=i", s.recv(64)[16:20])[0] != 0)'
}

# quiesce: the current scenario's connections go, so that its collector
# does not run in the next scenario's windows.  IPVS entries only hold
# timers.
quiesce() {
	case $SCN in
	lbnic-*) lb conn flush >/dev/null ;;
	nft-*|ipvs-fullnat) ct_flush "$lb" ;;
	esac || say "$SCN: flush failed"
}

# turn ROUND: the current scenario's metrics once, in random order.
turn() {
	local v order

	ROUND=$1
	# shellcheck disable=SC2046 # one word per metric
	shuffle order $(metrics_of "$SCN")
	for METRIC in "${order[@]}"; do
		SECONDS=0
		v=$("m_$METRIC") || v=nan
		emit "$SCN" "$METRIC" "$v" "$1"
		say "round $1: $SCN $METRIC ${v/#nan/nan (failed)} ($SECONDS s)"
	done
	quiesce
}

# Deleting the netns frees what the LBs tracked (IPVS and conntrack
# entries outlive their rules otherwise); wait for it so the next memory
# run starts from a quiet slab.
teardown() {
	local cache

	cleanup_ns
	for cache in "${MEM_CACHE[@]}"; do
		busywait 60000 sh -c "awk '\$1 == \"$cache\" && \$2 > 1000 { exit 1 }' /proc/slabinfo" ||
			say "$cache still holds objects"
	done
}

# The memory figures: per run a fresh topology, so that every system
# starts from an empty table.
run_mem() {
	local rep scn buckets v order

	for rep in $(seq "$BENCH_MEM_REPS"); do
		shuffle order $BENCH_MEM_SCENARIOS
		for scn in "${order[@]}"; do
			say "memory, round $rep: $scn"
			METRIC=mem_bytes ROUND=$rep
			if ! build "$scn" >/dev/null; then
				emit "$scn" mem_bytes nan "$rep"
				teardown
				continue
			fi
			case $scn in
			ipvs-*) buckets=$((1 << $(cat /sys/module/ip_vs/parameters/conn_tab_bits))) ;;
			nft-*) buckets=$(cat /sys/module/nf_conntrack/parameters/hashsize) ;;
			lbnic-*) buckets=$(lb -j config show | jq -r .conn_buckets) ;;
			esac
			# conntrack forgets unreplied UDP after 30 s: not within a run.
			ip netns exec "$lb" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600
			if v=$(m_mem "${MEM_CACHE[$scn]}" "$BENCH_MEM_CONNS" "$buckets"); then
				emit "$scn" mem_bytes "$v" "$rep"
			else
				say "$scn: memory run $rep failed"
				emit "$scn" mem_bytes nan "$rep"
			fi
			teardown
		done
	done
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
		lookups="$BENCH_TABLE_LOOKUPS" reps="$BENCH_TABLE_REPS"
	rc=$?
	"$LBNIC" service del $svc proto tcp
	# What it measured before a failure is kept, and the failure counted.
	dmesg_since "$mark" |
		sed -n 's/.*lbnic_bench: result \(.*\)/\1/p' |
		while read -r table op occ threads mops rep; do
			emit "table-$table" "${op}_mops_${occ}pct_${threads}t" "$mops" "$rep"
		done
	[ $rc -eq 0 ] && rmmod lbnic_bench || { say "table bench failed"; return 1; }
}

main() {
	local scn r secs order alive=()

	: > "$BENCH_TSV"
	emit meta kernel "$(uname -r)" 0
	emit meta generator "pktgen (UDP), iperf3 $(iperf3 -v | awk 'NR == 1 { print $2 }'), wrk, curl" 0
	emit meta cpus "$(nproc)" 0
	emit meta reps "$BENCH_REPS" 0
	emit meta secs "$BENCH_SECS" 0
	emit meta seed "$BENCH_SEED" 0
	emit meta mem_reps "$BENCH_MEM_REPS" 0
	emit meta warmup "$BENCH_WARMUP" 0
	RANDOM=$BENCH_SEED
	lbnic_load || { say "cannot load lbnic"; exit 1; }
	modprobe pktgen && size_tables || { say "cannot load pktgen, IPVS or conntrack"; exit 1; }
	emit meta table_buckets $((1 << BENCH_TABLE_BITS)) 0
	for scn in $BENCH_SCENARIOS; do
		emit mode "$scn" "${SCN_MODE[$scn]:-}" 0
	done
	for scn in $BENCH_SCENARIOS; do
		say "setting up $scn"
		if build "$scn"; then
			alive+=("$scn")
		else
			say "$scn: setup failed"
			emit "$scn" setup nan 0
		fi
	done
	for r in $(seq $((1 - BENCH_WARMUP)) "$BENCH_REPS"); do
		# The warm-up round's windows are a second: nothing is kept.
		secs=$BENCH_SECS
		[ "$r" -gt 0 ] || BENCH_SECS=1
		shuffle order "${alive[@]}"
		for scn in "${order[@]}"; do
			use "$scn"
			turn "$r"
		done
		BENCH_SECS=$secs
	done
	for scn in "${alive[@]}"; do
		use "$scn"
		ROUND=1
		if declare -F "x_$scn" >/dev/null && ! "x_$scn" >> "$BENCH_TSV"; then
			say "$scn: its own rows failed"
			emit "$scn" extra nan 1
		fi
	done
	teardown
	run_mem
	say "table microbenchmark"
	run_table_bench || emit table-bench setup nan 0
	lbnic_unload
}

main
