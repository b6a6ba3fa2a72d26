# SPDX-License-Identifier: GPL-2.0
#
# What the benchmark measures on a configured scenario.  Each metric NAME is
# a function m_NAME that prints one number (the unit is in bench/report.py)
# or fails.  The generator and the servers are the same for every scenario:
# only the LB netns differs.
#
# Packets from pktgen (thread on CPU 0) are steered by RPS to CPU 1 on the
# LB's ingress, so the generator and the forwarding path do not share a
# CPU; the rate is what reaches the backends' veths, counted in the LB netns.

BENCH_METRICS=${BENCH_METRICS:-udp_pps_10k udp_pps_1 tcp_gbps crr}
BENCH_SECS=${BENCH_SECS:-3}	# whole seconds: iperf3 and wrk take no fractions
BENCH_WARMUP_PKTS=${BENCH_WARMUP_PKTS:-50000}
# A wedged client must cost a failed run, not the whole benchmark.
BENCH_CLIENT_TIMEOUT=$((BENCH_SECS + 30))

# pktgen_prepare DST SADDR_MIN SADDR_MAX SPORT_MIN SPORT_END COUNT: one
# device on the client's CPU 0 thread; SPORT_END is exclusive, the address
# range inclusive, both advance by one per packet.  All in one trip into
# the client's netns: under TCG each "ip netns exec" costs a third of a
# second, and a run prepares pktgen twice.
pktgen_prepare() {
	local mac

	mac=$(ip netns exec "$lb" cat /sys/class/net/l0/address) || return 1
	ip netns exec "$cli" sh -c '
		d=/proc/net/pktgen
		pg() {
			f=$1
			shift
			for cmd; do
				echo "$cmd" > "$d/$f" ||
					{ echo "pktgen $f: \"$cmd\" refused" >&2; exit 1; }
			done
		}
		pg kpktgend_0 rem_device_all
		# The thread drops its devices when its idle wait ends, which
		# nothing cuts short: until then add_device refuses c0.
		i=0
		while [ -e $d/c0 ]; do
			i=$((i + 1))
			[ $i -le 600 ] || { echo "pktgen: c0 stays on its thread" >&2; exit 1; }
			sleep 0.05
		done
		pg kpktgend_0 "add_device c0"
		pg c0 "$@"' sh "count $6" "clone_skb 0" "pkt_size 64" "delay 0" \
		"dst $1" "dst_mac $mac" "src_min $2" "src_max $3" \
		"udp_src_min $4" "udp_src_max $5" "udp_dst_min 9" "udp_dst_max 9"
}

pktgen_start() {
	ip netns exec "$cli" sh -c 'echo start > /proc/net/pktgen/pgctrl'
}

pktgen_stop() {
	ip netns exec "$cli" sh -c 'echo stop > /proc/net/pktgen/pgctrl'
}

# Nanoseconds, then packets handed to the backends so far.
delivered() {
	ip netns exec "$lb" sh -c 'date +%s%N; cat /sys/class/net/p[012]/statistics/tx_packets' |
		awk 'NR == 1 { t = $1 } NR > 1 { n += $1 } END { print t, n }'
}

# udp_pps SPORT_MIN SPORT_END: packets/s reaching the backends.
udp_pps() {
	local t0 n0 t1 n1 pid

	# Warm up: every flow's first packet (table insert) happens here, and
	# TCG translates the code path before it is timed.
	pktgen_prepare "$TARGET" $CLI4 $CLI4 "$1" "$2" $(($2 - $1 + BENCH_WARMUP_PKTS)) &&
		pktgen_start || return 1
	if declare -F "udp_warm_$SCN" >/dev/null; then
		"udp_warm_$SCN" "$1" "$2" || return 1
	fi
	pktgen_prepare "$TARGET" $CLI4 $CLI4 "$1" "$2" 0 || return 1
	pktgen_start &
	pid=$!
	sleep 0.3
	read -r t0 n0 < <(delivered)
	sleep "$BENCH_SECS"
	read -r t1 n1 < <(delivered)
	pktgen_stop
	wait $pid
	[ $((n1 - n0)) -gt 0 ] || return 1
	echo $(( (n1 - n0) * 1000000000 / (t1 - t0) ))
}

m_udp_pps_10k() {
	udp_pps 10000 20000
}

m_udp_pps_1() {
	udp_pps 10000 10000
}

# Also emits tcp_pps: the packets (GSO segments) the LB handed to the
# backends meanwhile, per second.
m_tcp_gbps() {
	local t0 n0 t1 n1 gbps

	read -r t0 n0 < <(delivered)
	gbps=$(timeout $BENCH_CLIENT_TIMEOUT ip netns exec "$cli" iperf3 -c "$TARGET" -t "$BENCH_SECS" -J |
		python3 -c 'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))') ||
		return 1
	read -r t1 n1 < <(delivered)
	printf '%s\ttcp_pps\t%s\n' "$SCN" \
		"$(( (n1 - n0) * 1000000000 / (t1 - t0) ))" >> "$BENCH_TSV"
	echo "$gbps"
}

# New connections per second, one request each; wrk's p50 and p99 (in
# microseconds) are kept as the metrics crr_p50_us and crr_p99_us, its
# socket errors as crr_errors.
m_crr() {
	local out

	out=$(timeout $BENCH_CLIENT_TIMEOUT ip netns exec "$cli" wrk -t1 -c8 -d"${BENCH_SECS}s" --latency \
		-H 'Connection: close' "http://$TARGET:8080/") || return 1
	awk -v scn="$SCN" -v out="$BENCH_TSV" '
		function us(v) {
			if (v ~ /us$/) return v + 0
			if (v ~ /ms$/) return v * 1000
			if (v ~ /s$/) return v * 1000000
		}
		$1 == "50%" { printf "%s\tcrr_p50_us\t%.1f\n", scn, us($2) >> out }
		$1 == "99%" { printf "%s\tcrr_p99_us\t%.1f\n", scn, us($2) >> out }
		/^Requests\/sec:/ { rps = $2 }
		# Resets and timeouts are counted, not fatal: one SYN lost
		# under TCG must not void the run.  Wrong answers are fatal.
		/Socket errors/ {
			print > "/dev/stderr"
			gsub(/[^0-9 ]/, ""); errs = $1 + $2 + $3 + $4
		}
		/Non-2xx/ { bad = 1; print > "/dev/stderr" }
		END {
			printf "%s\tcrr_errors\t%d\n", scn, errs >> out
			if (bad || !rps) exit 1
			print rps
		}' <<<"$out"
}

# Bytes of kernel memory per tracked connection with N connections:
# pktgen sends one packet on each of N UDP flows (addresses x 1000 ports,
# coprime counts, so the cycle covers every pair once); the slab cache
# CACHE counts the connections that were created.  Packets the LB's
# backlog drops leave flows out, so a second pass runs unless 95% exist
# (more passes would not fit "make bench" in 20 minutes).
m_mem() {
	local cache=$1 n=$2 free0 free1 objs0 objs1 ports=1000 addrs pass

	addrs=$(( (n + ports - 1) / ports ))
	while [ $((addrs % 2)) -eq 0 ] || [ $((addrs % 5)) -eq 0 ]; do
		addrs=$((addrs + 1))
	done
	read -r free0 objs0 < <(meminfo "$cache")
	for pass in 1 2; do
		pktgen_prepare "$TARGET" 10.1.0.1 "10.1.$((addrs / 256)).$((addrs % 256))" \
			1000 $((1000 + ports)) $((ports * addrs)) && pktgen_start || return 1
		read -r free1 objs1 < <(meminfo "$cache")
		[ $((objs1 - objs0)) -lt $((n * 95 / 100)) ] || break
	done
	[ $((objs1 - objs0)) -gt $((n / 2)) ] || return 1
	echo -e "$SCN\tmem_conns\t$((objs1 - objs0))" >> "$BENCH_TSV"
	echo $(( (free0 - free1) * 1024 / (objs1 - objs0) ))
}

# Free memory in kB and the objects in use in slab cache $1.
meminfo() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	awk -v c="$1" 'FILENAME ~ /meminfo/ && $1 == "MemFree:" { f = $2 }
		FILENAME ~ /slabinfo/ && $1 == c { o = $2 }
		END { print f, o + 0 }' /proc/meminfo /proc/slabinfo
}
