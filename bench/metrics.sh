# SPDX-License-Identifier: GPL-2.0
#
# What the benchmark measures on a configured scenario.  Each metric NAME is
# a function m_NAME that prints one number (the unit is in bench/report.py)
# or fails; what the generator did meanwhile goes beside it as side rows
# ("NAME:offered_pps", ...), so that a generator-bound run is told from an
# LB-bound one.  The generator and the servers are the same for every
# scenario: only the LB netns differs.
#
# Packets from pktgen (thread on CPU 0) are steered by RPS to CPU 1 on the
# LB's ingress, so the generator and the forwarding path do not share a
# CPU; the rate is what reaches the backends' veths, counted in the LB netns.

BENCH_METRICS=${BENCH_METRICS:-udp_pps_10k udp_pps_1 tcp_gbps crr}
BENCH_SECS=${BENCH_SECS:-2}	# whole seconds: iperf3 and wrk take no fractions
BENCH_WARMUP_PKTS=${BENCH_WARMUP_PKTS:-20000}
# A wedged client must cost a failed run, not the whole benchmark.
BENCH_CLIENT_TIMEOUT=$((BENCH_SECS + 30))

# in_ns NS CMD...: CMD in netns NS.  Only the network namespace: "ip netns
# exec" also makes a mount namespace and remounts /sys, a third of a
# second under TCG, several times per run.  So nothing here reads
# /sys/class/net (it would show the initial netns): /proc/net follows the
# reader's netns.
in_ns() {
	nsenter --net="/run/netns/$1" "${@:2}"
}

# pktgen_prepare DST SADDR_MIN SADDR_MAX SPORT_MIN SPORT_END COUNT: one
# device on the client's CPU 0 thread; SPORT_END is exclusive, the address
# range inclusive, both advance by one per packet.  All in one trip into
# the client's netns.  The device stays on its thread between runs and is
# only reconfigured: removing it waits for the thread's idle wait to end.
# $l0mac is the LB's l0 (guest.sh's use()).
pktgen_prepare() {
	in_ns "$cli" sh -c '
		d=/proc/net/pktgen
		pg() {
			f=$1
			shift
			for cmd; do
				echo "$cmd" > "$d/$f" ||
					{ echo "pktgen $f: \"$cmd\" refused" >&2; exit 1; }
			done
		}
		[ -e $d/c0 ] || pg kpktgend_0 "add_device c0"
		pg c0 "$@"' sh "count $6" "clone_skb 0" "pkt_size 64" "delay 0" \
		"dst $1" "dst_mac $l0mac" "src_min $2" "src_max $3" \
		"udp_src_min $4" "udp_src_max $5" "udp_dst_min 9" "udp_dst_max 9"
}

pktgen_start() {
	in_ns "$cli" sh -c 'echo start > /proc/net/pktgen/pgctrl'
}

pktgen_stop() {
	in_ns "$cli" sh -c 'echo stop > /proc/net/pktgen/pgctrl'
}

# side NAME VALUE: a row beside the metric being measured.
side() {
	printf '%s\t%s:%s\t%s\t%s\n' "$SCN" "$METRIC" "$1" "$2" "$ROUND" >> "$BENCH_TSV"
}

# counters ARRAY: ARRAY gets microseconds, then from the LB netns's
# /proc/net/dev: packets handed to the backends (p0..p2's tx), packets
# offered by the generator (l0's rx, and its drops: a veth counts its
# peer's failed transmits, backlog drops included, as its own rx drops),
# the drops of every device of the LB netns; and the kernel's backlog
# drops (softnet_stat: all CPUs, all netns).  Read by this shell through
# a process that lives in the LB netns ($lbpid, guest.sh's use()), so
# that no process is started: while pktgen and the forwarding path keep
# both vCPUs busy, each costs the emulator half a second, and a clock read
# that far from the counters it goes with would skew the rate.
counters() {
	local -n c=$1
	local t=${EPOCHREALTIME/[.,]/} dev stat line f tx=0 rx= drop=0 backlog=0

	# Whole files in one read each: a read per line would have the
	# kernel rebuild the rest of the file every line.
	mapfile -t -s 2 dev < "/proc/$lbpid/net/dev" &&
		mapfile -t stat < /proc/net/softnet_stat || return 1
	for line in "${dev[@]}"; do
		IFS=' :' read -r -a f <<<"$line"
		case ${f[0]} in
		p[012]) tx=$((tx + f[10])) ;;
		l0) rx=$((f[2] + f[4])) ;;
		esac
		drop=$((drop + f[4] + f[12]))
	done
	for line in "${stat[@]}"; do
		read -r -a f <<<"$line"
		backlog=$((backlog + 16#${f[1]}))
	done
	# No l0: not the LB netns's file (its process gone).
	[ -n "$rx" ] || return 1
	c=("$t" "$tx" "$rx" "$drop" "$backlog")
}

# grown FIELD BASE N: counters() field FIELD (1 delivered, 2 offered) has
# grown by N since it read BASE.
grown() {
	local now

	counters now && [ $((now[$1] - $2)) -ge "$3" ]
}

# udp_pps SPORT_MIN SPORT_END: packets/s reaching the backends; beside it
# pktgen's rate, the share delivered and the drops, over the same window.
udp_pps() {
	local c0 c1 pid rc=0

	if declare -F "udp_warm_$SCN" >/dev/null; then
		"udp_warm_$SCN" "$1" "$2" || return 1
	fi
	pktgen_prepare "$VIP4" $CLI4 $CLI4 "$1" "$2" 0 && counters c0 || return 1
	pktgen_start &
	pid=$!
	# One run, until stopped.  The window opens once every flow's first
	# packet (its table insert) and BENCH_WARMUP_PKTS more are out, TCG
	# having translated the path by then.
	# It closes after BENCH_SECS, or later if by then nothing has reached
	# the backends (a slow LB's first flows, cold, under load): the rate
	# is over the time measured either way.
	if busywait 30000 grown 2 "${c0[2]}" $(($2 - $1 + BENCH_WARMUP_PKTS)); then
		counters c0 && sleep "$BENCH_SECS" &&
			busywait 30000 grown 1 "${c0[1]}" 1 && counters c1 || rc=1
	else
		rc=1
	fi
	pktgen_stop
	wait $pid
	if [ $rc -ne 0 ]; then
		echo "$SCN $METRIC: no window (offered ${c0[2]}, delivered ${c0[1]} at its start)" >&2
		return 1
	fi
	rate c0 c1
}

# rate C0 C1: of two counters() readings, the packets delivered per
# second; offered, the share delivered and the drops beside it.
rate() {
	local -n a=$1 b=$2
	local us=$((b[0] - a[0])) n=$((b[1] - a[1])) s=$((b[2] - a[2]))

	# More delivered than offered would be a bridge flooding its ports.
	if [ $us -le 0 ] || [ $n -le 0 ] || [ $s -le 0 ] || [ $n -gt $s ]; then
		echo "$SCN $METRIC: $n delivered, $s offered in $us us" >&2
		return 1
	fi
	side offered_pps $((s * 1000000 / us))
	side delivered_pct $((n * 100 / s))
	side dev_drops $((b[3] - a[3]))
	side softnet_drops $((b[4] - a[4]))
	echo $((n * 1000000 / us))
}

m_udp_pps_10k() {
	udp_pps 10000 20000
}

m_udp_pps_1() {
	udp_pps 10000 10000
}

# Beside it: the packets (GSO segments) the LB handed to the backends per
# second, and the sender's retransmissions.
m_tcp_gbps() {
	local c0 c1 out

	counters c0 || return 1
	out=$(timeout $BENCH_CLIENT_TIMEOUT nsenter --net="/run/netns/$cli" iperf3 -c "$VIP4" -t "$BENCH_SECS" -J |
		jq -er '.end | "\(.sum_received.bits_per_second / 1e9) \(.sum_sent.retransmits // 0)"') ||
		return 1
	counters c1 || return 1
	side pps $(( (c1[1] - c0[1]) * 1000000 / (c1[0] - c0[0]) ))
	side retransmits "${out#* }"
	echo "${out% *}"
}

# wrk_metric NAME WRK_ARGS...: wrk's requests/s, printed; its p50 and p99
# (microseconds) as metrics NAME_p50_us and NAME_p99_us, paired like the
# rate; its requests and socket errors beside the rate.
wrk_metric() {
	local name=$1 out

	shift
	out=$(timeout $BENCH_CLIENT_TIMEOUT nsenter --net="/run/netns/$cli" \
		wrk -d"${BENCH_SECS}s" --latency "$@") || return 1
	awk -v scn="$SCN" -v out="$BENCH_TSV" -v r="$ROUND" -v m="$name" '
		function us(v) {
			if (v ~ /us$/) return v + 0
			if (v ~ /ms$/) return v * 1000
			if (v ~ /s$/) return v * 1000000
		}
		$1 == "50%" { printf "%s\t%s_p50_us\t%.1f\t%s\n", scn, m, us($2), r >> out }
		$1 == "99%" { printf "%s\t%s_p99_us\t%.1f\t%s\n", scn, m, us($2), r >> out }
		/ requests in / { printf "%s\t%s:requests\t%d\t%s\n", scn, m, $1, r >> out }
		/^Requests\/sec:/ { rps = $2 }
		# Resets and timeouts are counted, not fatal: one SYN lost
		# under TCG must not void the run.  Wrong answers are fatal.
		/Socket errors/ {
			print > "/dev/stderr"
			gsub(/[^0-9 ]/, ""); errs = $1 + $2 + $3 + $4
		}
		/Non-2xx/ { bad = 1; print > "/dev/stderr" }
		END {
			printf "%s\t%s:errors\t%d\t%s\n", scn, m, errs, r >> out
			if (bad || !rps) exit 1
			print rps
		}' <<<"$out"
}

# New connections per second, one request each, with its latencies
# (crr_p50_us, crr_p99_us).
m_crr() {
	wrk_metric crr -t1 -c8 -H 'Connection: close' "http://$VIP4:8080/"
}

# m_mem CACHE N BUCKETS: bytes of kernel memory per tracked connection.
# pktgen sends one packet on each of N UDP flows (addresses x 1000 ports,
# coprime counts, so the cycle covers every pair once); the slab cache
# CACHE counts the connections that were created.  The cost is what every
# slab cache grew by per connection (so conntrack's extension area, in a
# kmalloc cache, is in it; the VM boots with slab_nomerge), plus the
# table's BUCKETS 8-byte heads over the 2^BENCH_TABLE_BITS connections
# every table is sized for.  Slab growth is linear in the connections, so
# N need not fill the tables: under TCG the LB creates some 30k
# connections a second, and 1M of them took half a minute a pass.
# Packets the LB's backlog drops leave flows out, so up to two more passes
# run until 95% exist.
m_mem() {
	local cache=$1 n=$2 buckets=$3 slab0 objs0 slab1 objs1 size conns slab table
	local ports=1000 addrs pass

	addrs=$(( (n + ports - 1) / ports ))
	while [ $((addrs % 2)) -eq 0 ] || [ $((addrs % 5)) -eq 0 ]; do
		addrs=$((addrs + 1))
	done
	read -r slab0 objs0 size < <(slabinfo "$cache")
	for pass in 1 2 3; do
		pktgen_prepare "$VIP4" 10.1.0.1 "10.1.$((addrs / 256)).$((addrs % 256))" \
			1000 $((1000 + ports)) $((ports * addrs)) && pktgen_start || return 1
		read -r slab1 objs1 size < <(slabinfo "$cache")
		[ $((objs1 - objs0)) -lt $((n * 95 / 100)) ] || break
	done
	conns=$((objs1 - objs0))
	[ $conns -gt $((n / 2)) ] || return 1
	slab=$(( (slab1 - slab0) / conns ))
	table=$(( buckets * 8 >> BENCH_TABLE_BITS ))
	side conns $conns
	side object_bytes "$size"
	side slab_bytes $slab
	side table_bytes $table
	echo $((slab + table))
}

# slabinfo CACHE: bytes in every slab cache's pages, then CACHE's objects
# in use and their size.  Caches are dropped first, so that dentries and
# inodes do not come and go in between.
slabinfo() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	awk -v c="$1" 'NR > 2 { b += $15 * $6 * 4096 }
		$1 == c { o = $2; s = $4 }
		END { printf "%.0f %d %d\n", b, o, s }' /proc/slabinfo
}
