#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make bench" in miniature (BENCH_SMOKE=1: one one-second run of each
# metric, 3000 connections for memory, a 16k-entry table), so that the
# benchmark cannot rot unnoticed.  Asserts only that every scenario and
# the table microbenchmark produce numbers, not what the numbers are.
# timeout: 1200
source "$(dirname "$0")/lib.sh"
# make bench runs on the newest supported kernel (bench/run.sh): so does this.
newest=$("$SRCDIR/scripts/kernels.sh" | sed -n 1p)
[ -z "$newest" ] || [ "$(uname -r)" = "$newest" ] ||
	ksft_skip_all "make bench runs on $newest only"
require_cmd iperf3 wrk ipvsadm nft tc curl haproxy nginx
# The debug kernel (scripts/debug-kernel.sh) builds neither in.  IPVS is
# only looked for: bench/guest.sh loads it with its own table size.
modprobe -q pktgen && modinfo ip_vs >/dev/null 2>&1 && modprobe -q nf_nat ||
	ksft_skip_all "this kernel lacks pktgen, IPVS or NAT"
[ -x "$SRCDIR/bench/httpd" ] || ksft_fail_all "bench/httpd not built (make -C bench)"
[ -z "$LBNIC_BUILD" ] || [ -r "$LBNIC_BUILD/lbnic_bench.ko" ] ||
	ksft_fail_all "lbnic_bench.ko not built"

tsv=$(mktemp)
on_exit rm -f "$tsv" "$tsv.json"
# Every scenario and metric the benchmark knows, by its own lists.
source "$SRCDIR/bench/scenarios.sh"
source "$SRCDIR/bench/metrics.sh"
ktap_plan $(($(wc -w <<<"$BENCH_SCENARIOS") + 5))

BENCH_SMOKE=1 BENCH_TSV=$tsv "$SRCDIR/bench/guest.sh" 2>&1 | sed -u 's/^/# /'

# numbers SCENARIO METRIC...: each metric has a positive number.
numbers() {
	local scn=$1 m

	shift
	for m in "$@"; do
		awk -F'\t' -v s="$scn" -v m="$m" '
			$1 == s && $2 == m && $3 + 0 > 0 { ok = 1 }
			END { exit !ok }' "$tsv" || { log "$scn: no $m"; return 1; }
	done
}

for scn in $BENCH_SCENARIOS; do
	# shellcheck disable=SC2046 # one word per metric
	numbers "$scn" $(metrics_of "$scn")
	ktap_result "$scn: every metric measured" $?
done
# 3000 connections are too few to weigh against free-memory noise: the
# smoke run only checks that they were made and counted.
rc=0
for scn in $BENCH_MEM_SCENARIOS; do
	numbers "$scn" mem_bytes:conns || rc=1
done
ktap_result "memory per connection: $BENCH_MEM_SCENARIOS" $rc
numbers lbnic-offload offload_rules_installed offload_rules_per_s offload_latency_p99_ms
ktap_result "offload: flows exported, install rate and latency measured" $?
rows=$(awk -F'\t' '$1 ~ /^table-/ && $3 + 0 > 0 && $4 == 1' "$tsv" | wc -l)
check_eq "table microbenchmark: 3 tables x 8 results, of round 1" "$rows" 24
# The report must accept what the guest wrote, failed runs included (it
# then exits 1 and says so).  A row per scenario: the one-flow UDP row of
# the L4 ones, the keep-alive row of the http ones.
rows=$(python3 "$SRCDIR/bench/report.py" "$tsv" "$tsv.json" |
	grep -cE '^\| (UDP 64 B, 1 flow|HTTP 1 KB, keep-alive \(wrk\)) \| [^|]+ \| (ceiling|nat|dsr|fullnat|http) \|')
check_eq "bench/report.py renders a row per scenario" "$rows" \
	"$(wc -w <<<"$BENCH_SCENARIOS")"
python3 -m json.tool "$tsv.json" >/dev/null
ktap_result "bench/report.py writes valid JSON" $?
ktap_finished
