#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A spoofed SYN flood against a full table.  With conn-max 1024, 20,000 SYNs
# from random sources fill it many times over; a full table evicts entries
# that never proved to be real flows (nf_conntrack's early drop), so two
# transfers older than the flood go on byte-exact and new clients after it
# get in.  Entries made by a stray mid-flow segment (a spoofed ACK) live
# only as long as a SYN's until the flow proves itself.
# timeout: 240
source "$(dirname "$0")/l4lib.sh"

l4_setup
ktap_plan 7

STOP=$(mktemp -u)
STARTED=$(mktemp -u)
RESULT=$(mktemp)
on_exit rm -f "$STOP" "$STARTED" "$RESULT"

# The table is made with the first service: 1024 entries, 1024 buckets.
lb config set conn-max 1024
lb service add $VIP4:80 proto tcp
add_backends $VIP4 80 tcp 8080 "${BE4[@]}"

established() {
	[ "$(lb -j conn show | python3 -c '
import json, sys
print(sum(1 for c in json.load(sys.stdin) if c["state"] == "ESTABLISHED"))')" -ge "$1" ]
}

bg in_cli $L4TOOL stream --vip $VIP4 --port 80 --streams 2 --rate 65536 \
	--until "$STOP" --started "$STARTED" > "$RESULT"
xfer=${BG_PIDS[-1]}
busywait 60000 established 2
ktap_result "two transfers are established" $?

run from_cli flood --vip $VIP4 --port 80 --count 20000
check_eq "20,000 spoofed SYNs sent" "$(jq_py 'd["sent"]')" 20000
run lb -s -j info
log "after the flood: $(jq_py '{k: d[k] for k in ("conn_count", "conn_refused")}'), stats $(jq_py 'd["stats"]')"
check_eq "the full table evicted never-answered entries to make room" \
	"$(jq_py 'd["stats"]["early_drop"] > 10000 and d["conn_count"] <= 1024')" True

run in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 100
log "after the flood: $(jq_py '{k: d[k] for k in ("failed", "backends")}')"
check_eq "99 or more of 100 new connections after the flood succeed" \
	"$(jq_py 'd["failed"] <= 1')" True

touch "$STOP"
wait "$xfer"
rc=$?
log "transfers: $(cat "$RESULT")"
ktap_result "both transfers outlived the flood, byte for byte" $rc

# Mid-flow entries from spoofed ACKs (dsr: no reply ever proves them).
lb service del $VIP4:80 proto tcp
lb config set timeout tcp-syn 5
lb service add $VIP4:80 proto tcp mode dsr
add_backends $VIP4 80 tcp 80 "${BE4[@]}"
run from_cli flood --vip $VIP4 --port 80 --count 200 --kind ack
run lb -j conn show
log "entries: $(jq_py 'len(d)'), longest expiry $(jq_py 'max(c["expires_ms"] for c in d)') ms"
check_eq "an entry a spoofed ACK made lives as long as a SYN's, not 900 s" \
	"$(jq_py 'len(d) > 100 and all(c["expires_ms"] <= 5000 for c in d)')" True
table_empty() { [ "$(conn_count)" = 0 ]; }
busywait 60000 table_empty
ktap_result "... and they are gone after it" $?

ktap_finished
