#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The connection table as an operator sees it: "conn show" and "-s service
# show" report what the traffic did, entries expire after their state's
# timeout, a full table refuses new flows but keeps the old ones, flush
# empties it, an entry costs at most 192 bytes, and fullnat finds source
# ports in any range.
# timeout: 240
source "$(dirname "$0")/l4lib.sh"

l4_setup
ktap_plan 11

SVC=$(svc_addr $VIP4 80)
lb service add "$SVC" proto tcp
add_backends $VIP4 80 tcp 8080 "${BE4[@]}"

run in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 20
run lb -s -j service show
check_ok "-s -j service show is JSON with stats" python3 -c '
import json, sys
d = json.loads(sys.argv[1])[0]
assert d["vip"] == "10.0.0.10" and d["port"] == 80 and d["proto"] == "tcp", d
assert d["stats"]["conns"] == 20, d["stats"]
assert d["stats"]["pkts_in"] >= 20 * 4 and d["stats"]["pkts_out"] >= 20 * 3, d["stats"]
assert sum(b["stats"]["conns"] for b in d["backends"]) == 20, d["backends"]
assert all(b["stats"]["bytes_out"] > 0 for b in d["backends"]), d["backends"]' "$OUT"

run lb -j conn show
check_ok "conn show lists the 20 connections with their translation" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert len(d) == 20, len(d)
for c in d:
    assert c["proto"] == "tcp" and c["client"] == "10.0.1.2", c
    assert c["vip"] == "10.0.0.10" and c["vip_port"] == 80, c
    assert c["backend"] in ("10.0.2.11", "10.0.2.12", "10.0.2.13"), c
    assert c["backend_port"] == 8080 and c["expires_ms"] > 0, c' "$OUT"
run lb conn show
check_eq "conn show text has one line per connection" "$(wc -l <<<"$OUT")" 20
run lb -s service show
check_ok "service show text shows the backends and counters" \
	grep -q -- "-> 10.0.2.11:8080 weight 1" <<<"$OUT"

check_ok "conn flush" lb conn flush
run lb -j info
check_eq "the table is empty after flush" "$(jq_py 'd["conn_count"]')" 0
check_eq "an entry costs 192 bytes or less, both directions" \
	"$(jq_py 'd["conn_entry_size"] <= 192')" True

# Short timeouts: entries go away on their own.
lb config set timeout udp 2 timeout tcp-fin 2 timeout tcp-close 2
lb service add "$SVC" proto udp
add_backends $VIP4 80 udp 8080 "${BE4[@]}"
in_cli $L4TOOL dist --vip $VIP4 --port 80 --proto udp --count 10 >/dev/null
in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 10 >/dev/null
table_empty() { [ "$(conn_count)" = 0 ]; }
table_used() { [ "$(conn_count)" -ge 1 ]; }
log "entries after 10 UDP and 10 TCP flows: $(conn_count)"
check_ok "entries expire after their timeouts" busywait 20000 table_empty

# A full table refuses new flows and keeps the old ones.
lb config set conn-max 1024 timeout udp 300
result=$(mktemp)
bg in_cli $L4TOOL transfer --vip $VIP4 --port 80 --streams 1 \
	--bytes $((2 << 20)) --rate 262144 > "$result"
xfer=${BG_PIDS[-1]}
busywait 10000 table_used
used=$?
in_cli $L4TOOL flood --vip $VIP4 --port 80 --count 3000
run lb -j info
log "after the flood: $OUT"
check_ok "the full table refused new flows and counted them" \
	test "$(jq_py 'd["conn_refused"] > 0 and d["conn_count"] <= 1024')" = True
wait "$xfer"
rc=$?
log "transfer: $(cat "$result")"
[ $rc = 0 ] && [ $used = 0 ]
ktap_result "a flow older than the flood completed byte-exact" $?
rm -f "$result"

# fullnat draws a source port per flow, trying up to 64 of its range by a
# prime stride: a range of exactly 7919 ports must still offer 64 choices.
lb config set conn-max 65536
lb service add $VIP4:82 proto udp mode fullnat snat $LB4 snat-ports 1024-8942
lb backend add $VIP4:82 proto udp addr "${BE4[0]}:8080"
run in_cli $L4TOOL udpflows --vip $VIP4 --port 82 --count 1000 --packets 1
log "1000 flows on 7919 ports: $OUT"
check_eq "fullnat on a 7919-port range: 1000 UDP flows all answered" \
	"$(jq_py 'd["answered"]')" 1000

ktap_finished
