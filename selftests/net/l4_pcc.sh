#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-connection consistency: streams, checked byte for byte, go on to the
# end the test gives them while backends are added, removed, re-weighted
# and drained and
# Maglev rebuilds its table under them; new connections follow the new
# configuration at once.  Removing a backend with "flush" drops its flows.
# timeout: 240
source "$(dirname "$0")/l4lib.sh"

l4_setup
ktap_plan 8

SVC=$(svc_addr $VIP4 80)
lb service add "$SVC" proto tcp sched maglev
lb backend add "$SVC" proto tcp addr "${BE4[0]}:8080"
lb backend add "$SVC" proto tcp addr "${BE4[1]}:8080"

started=$(mktemp -u)
stop=$(mktemp -u)
result=$(mktemp)
on_exit rm -f "$started" "$stop" "$result"
# 8 slow streams (32 KiB/s: the checks need them alive, not fast) that
# last until the test stops them: however slow the machine, they are all
# established while the backends change.
bg in_cli $L4TOOL stream --vip $VIP4 --port 80 --streams 8 \
	--rate 32768 --until "$stop" --started "$started" > "$result"
xfer=${BG_PIDS[-1]}
busywait 30000 test -e "$started" || ksft_fail_all "the streams did not start"

run lb -j conn show
check_eq "the streams are spread over both backends" \
	"$(jq_py 'len({c["backend"] for c in d if c["state"] == "ESTABLISHED"})')" 2

ok=0
lb backend add "$SVC" proto tcp addr "${BE4[2]}:8080" weight 2 || ok=1
lb backend set "$SVC" proto tcp addr "${BE4[0]}:8080" weight 3 || ok=1
lb backend set "$SVC" proto tcp addr "${BE4[1]}:8080" weight 0 || ok=1
lb backend del "$SVC" proto tcp addr "${BE4[0]}:8080" || ok=1
ktap_result "backends added, re-weighted, drained and removed mid-transfer" $ok

run in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 30
check_eq "new connections go only to the remaining, undrained backend" \
	"$(jq_py 'list(d["backends"])')" "['b3']"

touch "$stop"
wait "$xfer"
rc=$?
log "streams: $(cat "$result")"
ktap_result "all 8 streams ended byte-exact, none reset" $rc

# Removed without flush, b1 kept its entries until their flows closed.
run lb -j conn show
check_eq "the removed backend's connections were kept to their end" \
	"$(jq_py 'any(c["backend"] == "'"${BE4[0]}"'" and c["state"] == "FIN" for c in d)')" True

lb backend del "$SVC" proto tcp addr "${BE4[1]}:8080" flush
run lb -j conn show
check_eq "deleting with flush drops that backend's entries" \
	"$(jq_py 'sum(1 for c in d if c["backend"] == "'"${BE4[1]}"'")')" 0

# A client that reuses its source port while its old entry is closing gets
# a new connection, scheduled afresh: not the old, now drained, backend.
run in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 1 --sport 40000
first=$(jq_py 'list(d["backends"])[0]')
lb backend add "$SVC" proto tcp addr "${BE4[0]}:8080"
drained=${BE4[2]}
[ "$first" = b1 ] && drained=${BE4[0]}
lb backend set "$SVC" proto tcp addr "$drained:8080" weight 0
run in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 1 --sport 40000
check_eq "the reused port was scheduled again, away from the drained backend" \
	"$(jq_py 'd["failed"] == 0 and list(d["backends"])[0] != "'"$first"'"')" True
run lb -j conn show
check_eq "one entry for the reused port, the new connection's" \
	"$(jq_py 'sum(1 for c in d if c["client_port"] == 40000)')" 1

ktap_finished
