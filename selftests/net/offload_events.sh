#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Offload when events are lost or rules vanish: a rule must never outlive
# its flow, and a flow must never be kept alive by a rule that is gone.
#
# Flushing a backend with 2,000 exported flows makes 2,000 FLOW_GONE events
# at once, more than lbnic's queue holds: lbnic tells its listeners to
# resync, and the agent's resync leaves no rule behind.  A rule deleted
# behind the agent's back (tc filter del) hands its flow back to lbnic,
# which forwards it again and expires it when it goes idle; reporting the
# vanished rule's last use would have kept the entry alive for ever.
# timeout: 300
source "$(dirname "$0")/offloadlib.sh"

FLOWS=2000

ktap_plan 9

STOP=$(mktemp -u)
STARTED=$(mktemp -u)
on_exit rm -f "$STOP" "$STARTED"

# A queue of 64 events: the flush must overflow it.
lbnic_unload
lbnic_load offload_queue=64 || ksft_fail_all "cannot load lbnic"
on_exit lbnic_unload	# the next test loads it with its defaults
l4_setup
lb config set offload-packets 2 timeout udp 300

# --- an agent starting among 2,000 devices ----------------------------------
# It deletes its priorities on every device, rules left by an earlier run
# included: 4,000 requests whose 4,000 answers must all be read.
devs=$(mktemp)
on_exit rm -f "$devs"
for i in $(seq 0 1999); do echo "link add d$i type dummy"; done > "$devs"
ip -n "$lb" -batch "$devs" &&
	tc -n "$lb" qdisc add dev d1999 clsact &&
	tc -n "$lb" filter add dev d1999 ingress prio $PRIO protocol ip flower \
		action drop || ksft_fail_all "cannot create the devices"
# A receive buffer that holds every event: what resyncs the agent here
# must be lbnic's own notice, not its socket overflowing.
agent_start skip_hw -i 1000 -b $((16 << 20)) || ksft_fail_all "lbnicd did not start"
check_eq "lbnicd started among 2,000 devices removes a rule an earlier run left" \
	"$(rules d1999)" 0

# --- 2,000 flows of one backend, flushed at once ---------------------------
lb service add $VIP4:90 proto udp
lb backend add $VIP4:90 proto udp addr "${BE4[0]}:8080"
bg in_cli $L4TOOL udpflows --vip $VIP4 --port 90 --count $FLOWS --packets 2 \
	--started "$STARTED" --until "$STOP"
busywait 120000 test -e "$STARTED" && busywait 300000 count_offload sw $FLOWS
ktap_result "$FLOWS UDP flows are exported" $?
log "rules: l0 $(rules l0), br0 $(rules br0)"
lost=$(lb -j info | python3 -c 'import json,sys; print(json.load(sys.stdin)["offload_events_lost"])')
told=$(status events_resync)
lb backend del $VIP4:90 proto udp addr "${BE4[0]}:8080" flush
busywait 120000 no_rules
ktap_result "backend del ... flush of $FLOWS exported flows leaves no rule" $?
run lb -j info
log "lbnic: events lost $(jq_py 'd["offload_events_lost"]'), agent: resyncs $(status resyncs), lbnic's resync notices $(status events_resync), socket overflows $(status events_lost)"
check_eq "... though lbnic's queue of 64 overflowed" \
	"$(jq_py 'd["offload_events_lost"] > '"$lost")" True
busywait 20000 eval '[ "$(status events_resync)" -gt "$told" ]'
ktap_result "... and lbnic told the agent to resync" $?
touch "$STOP"

# --- a rule deleted behind the agent's back ---------------------------------
rm -f "$STOP"
lb config set timeout udp 3
lb service add $VIP4:91 proto udp
add_backends $VIP4 91 udp 8080 "${BE4[@]}"
result=$(mktemp)
on_exit rm -f "$result"
bg in_cli $L4TOOL udpstream --vip $VIP4 --port 91 --rate 50 --until "$STOP" > "$result"
xfer=${BG_PIDS[-1]}

# flow FIELD: FIELD of the stream's connection ("" if none).
flow() {
	lb -j conn show | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    if c["vip_port"] == 91:
        print(c.get(sys.argv[1], "")); break' "$1"
}
flow_is() { [ "$(flow offload)" = "$1" ]; }
busywait 60000 flow_is sw
ktap_result "a UDP stream is exported" $?
cookie=$(flow cookie)
handle=$(tc -n "$lb" -j filter show dev l0 ingress prio $PRIO | python3 -c '
import json, sys
for f in json.load(sys.stdin):
    if any(a.get("cookie") == sys.argv[1] for a in f.get("options", {}).get("actions", [])):
        print(f["options"]["handle"]); break' "$cookie")
log "cookie $cookie, client-side rule handle $handle"
[ -n "$handle" ] &&
	tc -n "$lb" filter del dev l0 ingress prio $PRIO handle "$handle" protocol ip flower &&
	busywait 20000 flow_is returned
ktap_result "tc filter del of its rule hands the flow back to lbnic" $?
p0=$(flow packets_orig)
counts() { [ "$(flow packets_orig)" -gt "$((p0 + 5))" ]; }
busywait 20000 counts
ktap_result "... which forwards it again, and the agent removed its other rule" \
	$(( $? + $(rules br0) ))
touch "$STOP"
wait "$xfer"
rc=$?
log "stream: $(cat "$result")"
gone() { [ -z "$(flow state)" ]; }
busywait 60000 gone
ktap_result "... and expires it once it stops, every answer received" $(( $? + rc ))

ktap_finished
