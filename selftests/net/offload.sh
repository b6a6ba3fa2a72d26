#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flow offload: lbnic announces established flows, lbnicd exports each as
# two TC flower rules (pedit, csum, mirred) on the ingress devices.  veth
# cannot offload, so "skip_hw" runs the rules in TC's software path (the
# established flow then bypasses lbnic, as it would on a SmartNIC) and
# "skip_sw" is refused by every device.  Every flow a check needs alive is
# a stream that lasts until the test ends it, so no check races a
# transfer's end, however slow the machine.
# timeout: 300
source "$(dirname "$0")/offloadlib.sh"

THRESHOLD=20
RATE=262144

ktap_plan 23

STOP=$(mktemp -u)
PROGRESS=$(mktemp -u)
on_exit rm -f "$STOP" "$PROGRESS"

# stream_start PORT [STREAMS]: paced downloads until stream_stop.
stream_start() {
	rm -f "$STOP" "$PROGRESS"
	bg in_cli $L4TOOL stream --vip $VIP4 --port "$1" --streams "${2:-1}" \
		--rate $RATE --until "$STOP" --progress "$PROGRESS" >/dev/null
	XFER=${BG_PIDS[-1]}
}

# stream_stop: ends the streams; fails unless each was byte-exact.
stream_stop() {
	touch "$STOP"
	wait "$XFER"
}

# conn_field PORT FIELD: FIELD of the connection to VIP:PORT ("" if none).
conn_field() {
	lb -j conn show | jq -r --argjson port "$1" --arg f "$2" \
		'first(.[] | select(.vip_port == $port and .state == "ESTABLISHED")) | .[$f] // ""'
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

# has_cookie DEV COOKIE; an empty cookie is no cookie.  Not grep -q: tc
# would die of SIGPIPE, failing the pipeline.
has_cookie() {
	[ -n "$2" ] &&
		tc -n "$lb" -s filter show dev "$1" ingress prio $PRIO | grep "cookie $2" >/dev/null
}

grows() {
	local n

	n=$(rule_packets "$1" "$2")
	[ -n "$n" ] && [ "$n" -gt "$3" ]
}

lbnic_counts() {
	[ "$(conn_field 80 packets_orig)" -gt "$1" ]
}

# resynced COOKIE: the agent has resynced and the flow's rule is in place.
resynced() {
	[ "$(status resyncs)" -ge 1 ] && has_cookie l0 "$1"
}

# streamed BYTES: every stream got at least BYTES.
streamed() {
	[ -s "$PROGRESS" ] && [ "$(cat "$PROGRESS")" -ge "$1" ]
}

l4_setup
# A table of 64k buckets, not the default 1M: every poll of "conn show"
# walks all buckets, and on the debug kernel 1M of them take seconds.
lb config set offload-packets $THRESHOLD conn-max 65536
lb service add $VIP4:80 proto tcp mode nat
add_backends $VIP4 80 tcp 8080 "${BE4[@]}"
lb service add $VIP4:81 proto tcp mode fullnat snat $LB4
add_backends $VIP4 81 tcp 8080 "${BE4[@]}"
agent_start skip_hw || ksft_fail_all "lbnicd did not start"

# --- skip_hw: rules in TC's software path -------------------------------
stream_start 80
busywait 60000 offload_is 80 sw
ktap_result "an established flow is exported (lbnic conn show: offload sw)" $?
cookie=$(conn_field 80 cookie)
check_ok "tc -s filter show lists the client-side rule with the cookie" \
	has_cookie l0 "$cookie"
check_ok "... and the backend-side rule" has_cookie br0 "$cookie"
n0=$(rule_packets l0 "$cookie")
p0=$(conn_field 80 packets_orig)
busywait 60000 grows l0 "$cookie" $((${n0:-0} + 5))
ktap_result "the rule's counter grows" $?
p1=$(conn_field 80 packets_orig)
log "lbnic counted $p0 then $p1 packets"
[ -n "$p0" ] && [ "$p1" = "$p0" ]
ktap_result "lbnic's packet counter for the flow stands still" $?
stream_stop
ktap_result "the exported stream ends byte for byte" $?
busywait 20000 eval "! has_cookie l0 $cookie"
ktap_result "the FIN removes the rules" $?

# fullnat, with an idle timeout far shorter than the stream: lbnic sees
# none of its packets, the agent's reports keep the entry (and its SNAT
# port) alive; a new entry would mean a new port and a reset.
lb config set timeout tcp-est 2
stream_start 81
busywait 60000 offload_is 81 sw && cookie=$(conn_field 81 cookie) &&
	has_cookie l0 "$cookie" && has_cookie br0 "$cookie"
ktap_result "fullnat: both directions exported" $?
at=$(cat "$PROGRESS" 2>/dev/null || echo 0)
# Four idle timeouts' worth of data past the export, at the paced rate.
busywait 120000 streamed $((at + 4 * 2 * RATE))
ktap_result "fullnat: the stream runs on the rules for 4 idle timeouts" $?
stream_stop
ktap_result "... and ends byte for byte on its first SNAT port" $?
lb config set timeout tcp-est 900

# Short flows never reach the threshold: lbnic's own count says so.
ready=$(lb_stat offload_ready)
run in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 10
closed() {
	[ "$(lb -j conn show | jq '[.[] | select(.vip_port == 80 and
		(.state == "FIN" or .state == "CLOSE"))] | length')" -ge 10 ]
}
busywait 20000 closed
settled=$?
check_eq "flows below the threshold are never announced" \
	"$(jq_py 'd["failed"]') $settled $(lb_stat offload_ready)" "0 0 $ready"

# --- kill -9 and restart ------------------------------------------------
stream_start 80
busywait 60000 offload_is 80 sw && cookie=$(conn_field 80 cookie)
kill -9 $AGENT
wait $AGENT 2>/dev/null
check_ok "after kill -9 the agent's rules stay" has_cookie l0 "$cookie"
agent_start skip_hw || ksft_fail_all "lbnicd did not restart"
busywait 20000 resynced "$cookie"
ktap_result "the restarted agent resyncs the live flow" $?
stream_stop
ktap_result "the stream outlives the agent's death" $?
busywait 20000 no_rules
ktap_result "no rule outlives its flow" $?

# --- events lost: resync from the dump -----------------------------------
agent_stop
agent_start skip_hw -b 1 || ksft_fail_all "lbnicd did not restart"
kill -STOP $AGENT
stream_start 80 8
busywait 60000 count_offload pending 8
pending=$?
kill -CONT $AGENT
busywait 60000 count_offload sw 8 && [ $pending = 0 ]
ktap_result "events lost to a full socket buffer: resync exports all 8 flows" $?
log "agent: events lost $(status events_lost), resyncs $(status resyncs)"
stream_stop
ktap_result "... and all 8 streams end byte for byte" $?

# --- skip_sw: veth cannot offload ---------------------------------------
agent_stop
agent_start skip_sw || ksft_fail_all "lbnicd did not restart"
stream_start 80
busywait 60000 offload_is 80 refused
ktap_result "skip_sw on veth: the rule is refused" $?
check_eq "the refusal says why" "$(conn_field 80 offload_error)" \
	"Operation not supported"
p0=$(conn_field 80 packets_orig)
busywait 60000 lbnic_counts $((p0 + 5))
ktap_result "the refused flow stays in lbnic's datapath" $?
stream_stop
ktap_result "... and ends byte for byte" $?
# The agent keeps the kernel's (on mlx5, the driver's) own words, or
# strerror() when there are none (veth gives none).
busywait 10000 eval '[ "$(status refused_EOPNOTSUPP)" -ge 1 ]' &&
	line=$(grep "^refused_EOPNOTSUPP " "$STATUS") &&
	log "$line" && [ "$(wc -w <<<"$line")" -gt 2 ]
ktap_result "the agent counts the refusal by reason, with its explanation" $?

# --- module unload: the agent takes every rule down ----------------------
# (The stream dies with lbnic; the EXIT trap ends it.)
agent_stop
agent_start skip_hw || ksft_fail_all "lbnicd did not restart"
stream_start 80
busywait 60000 offload_is 80 sw
exported=$?
lbnic_unload
busywait 20000 no_rules && [ $exported = 0 ]
ktap_result "lbnic unloaded: the agent removes its rules" $?

ktap_finished
