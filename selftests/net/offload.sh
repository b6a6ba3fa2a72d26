#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flow offload: lbnic announces established flows, lbnicd exports each as
# two TC flower rules (pedit, csum, mirred) on the ingress devices.  veth
# cannot offload, so "skip_hw" runs the rules in TC's software path (the
# established flow then bypasses lbnic, as it would on a SmartNIC) and
# "skip_sw" is refused by every device.
source "$(dirname "$0")/l4lib.sh"

LBNICD=${LBNICD:-$SRCDIR/userspace/lbnicd}
PRIO=49152
THRESHOLD=20

require_cmd tc
[ -x "$LBNICD" ] || ksft_fail_all "lbnicd not built (make -C userspace)"
ktap_plan 21

STATUS=$(mktemp)
on_exit rm -f "$STATUS" "$STATUS.tmp"

# agent_start POLICY [options]: lbnicd in the LB netns, until it reports.
agent_start() {
	local policy=$1

	shift
	rm -f "$STATUS"
	ip netns exec "$lb" "$LBNICD" -f -p "$policy" -i 200 -S "$STATUS" "$@" &
	AGENT=$!
	BG_PIDS+=($AGENT)
	busywait 10000 test -s "$STATUS"
}

status() {
	awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' "$STATUS"
}

# conn_field PORT FIELD: FIELD of the connection to VIP:PORT ("" if none).
conn_field() {
	lb -j conn show | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    if c["vip_port"] == int(sys.argv[1]) and c["state"] == "ESTABLISHED":
        print(c.get(sys.argv[2], "")); break' "$1" "$2"
}

offload_is() {
	[ "$(conn_field "$1" offload)" = "$2" ]
}

# rule_packets DEV COOKIE: packets the agent's rule with COOKIE matched.
rule_packets() {
	tc -n "$lb" -s -j filter show dev "$1" ingress prio $PRIO | python3 -c '
import json, sys
for f in json.load(sys.stdin):
    for a in f.get("options", {}).get("actions", []):
        if a.get("kind") == "mirred" and a.get("cookie") == sys.argv[1]:
            print(a["stats"]["packets"])' "$2"
}

# Not grep -q: tc would die of SIGPIPE, failing the pipeline.
has_cookie() {
	tc -n "$lb" -s filter show dev "$1" ingress prio $PRIO | grep "cookie $2" >/dev/null
}

no_rules() {
	[ -z "$(tc -n "$lb" filter show dev l0 ingress prio $PRIO)" ] &&
		[ -z "$(tc -n "$lb" filter show dev br0 ingress prio $PRIO)" ]
}

grows() {
	[ "$(rule_packets "$1" "$2")" -gt "$3" ]
}

lbnic_counts() {
	[ "$(conn_field 80 packets_orig)" -gt "$1" ]
}

# count_offload STATE N: at least N connections in offload STATE.
count_offload() {
	[ "$(lb conn show | grep -c "offload $1")" -ge "$2" ]
}

resynced() {
	[ "$(status resyncs)" -ge 1 ] && has_cookie l0 "$1"
}

# transfer PORT BYTES RATE [STREAMS]: a paced, byte-checked download.
transfer() {
	in_cli $L4TOOL transfer --vip $VIP4 --port "$1" --streams "${4:-1}" \
		--bytes "$2" --rate "$3" >/dev/null
}

l4_setup
lb config set offload-packets $THRESHOLD
lb service add $VIP4:80 proto tcp mode nat
add_backends $VIP4 80 tcp 8080 "${BE4[@]}"
lb service add $VIP4:81 proto tcp mode fullnat snat $LB4
add_backends $VIP4 81 tcp 8080 "${BE4[@]}"
agent_start skip_hw || ksft_fail_all "lbnicd did not start"

# --- skip_hw: rules in TC's software path -------------------------------
transfer 80 $((8 << 20)) 1048576 & xfer=$!
busywait 20000 offload_is 80 sw
ktap_result "an established flow is exported (lbnic conn show: offload sw)" $?
cookie=$(conn_field 80 cookie)
check_ok "tc -s filter show lists the client-side rule with the cookie" \
	has_cookie l0 "$cookie"
check_ok "... and the backend-side rule" has_cookie br0 "$cookie"
n0=$(rule_packets l0 "$cookie")
p0=$(conn_field 80 packets_orig)
busywait 10000 grows l0 "$cookie" $((n0 + 5))
ktap_result "the rule's counter grows" $?
p1=$(conn_field 80 packets_orig)
log "lbnic counted $p0 then $p1 packets"
[ -n "$p0" ] && [ "$p1" = "$p0" ]
ktap_result "lbnic's packet counter for the flow stands still" $?
wait $xfer
ktap_result "the exported transfer completes, byte for byte" $?
busywait 10000 eval "! has_cookie l0 $cookie"
ktap_result "the FIN removes the rules" $?

# fullnat, with an idle timeout far shorter than the transfer: lbnic sees
# none of its packets, the agent's reports keep the entry (and its SNAT
# port) alive; a new entry would mean a new port and a reset.
lb config set timeout tcp-est 2
transfer 81 $((8 << 20)) 1048576 & xfer=$!
busywait 20000 offload_is 81 sw
cookie=$(conn_field 81 cookie)
has_cookie l0 "$cookie" && has_cookie br0 "$cookie"
ktap_result "fullnat: both directions exported" $?
wait $xfer
ktap_result "fullnat: a transfer 4x the idle timeout completes on the rules" $?
lb config set timeout tcp-est 900

ready=$(status events_ready)
in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 10 >/dev/null
sleep 0.5	# two poll periods of the agent: nothing may arrive in them
check_eq "flows below the threshold are never announced" "$(status events_ready)" "$ready"

# --- kill -9 and restart ------------------------------------------------
transfer 80 $((8 << 20)) 1048576 & xfer=$!
busywait 20000 offload_is 80 sw
cookie=$(conn_field 80 cookie)
kill -9 $AGENT
wait $AGENT 2>/dev/null
check_ok "after kill -9 the agent's rules stay" has_cookie l0 "$cookie"
agent_start skip_hw
busywait 10000 resynced "$cookie"
ktap_result "the restarted agent resyncs the live flow" $?
wait $xfer
ktap_result "the transfer outlives the agent's death" $?
busywait 10000 no_rules
ktap_result "no rule outlives its flow" $?

# --- events lost: resync from the dump -----------------------------------
kill $AGENT
wait $AGENT 2>/dev/null
agent_start skip_hw -b 1
kill -STOP $AGENT
transfer 80 $((3 << 20)) 1048576 8 & xfer=$!
busywait 20000 count_offload pending 8
kill -CONT $AGENT
busywait 20000 count_offload sw 8
ktap_result "events lost to a full socket buffer: resync exports all 8 flows" $?
log "agent: events lost $(status events_lost), resyncs $(status resyncs)"
wait $xfer

# --- skip_sw: veth cannot offload ---------------------------------------
kill $AGENT
wait $AGENT 2>/dev/null
agent_start skip_sw
transfer 80 $((8 << 20)) 1048576 & xfer=$!
busywait 20000 offload_is 80 refused
ktap_result "skip_sw on veth: the rule is refused" $?
check_eq "the refusal says why" "$(conn_field 80 offload_error)" \
	"Operation not supported"
p0=$(conn_field 80 packets_orig)
busywait 10000 lbnic_counts $((p0 + 5))
ktap_result "the refused flow stays in lbnic's datapath" $?
wait $xfer
ktap_result "... and completes" $?
busywait 5000 eval '[ "$(status refused_EOPNOTSUPP)" -ge 1 ]'
ktap_result "the agent counts the refusal by reason" $?

# --- module unload: the agent takes every rule down ----------------------
kill $AGENT
wait $AGENT 2>/dev/null
agent_start skip_hw
transfer 80 $((8 << 20)) 1048576 & xfer=$!
BG_PIDS+=($xfer)
busywait 20000 offload_is 80 sw
lbnic_unload
busywait 10000 no_rules
ktap_result "lbnic unloaded: the agent removes its rules" $?

ktap_finished
