#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Taking lbnic down under live traffic: deleting the load balancer's netns,
# then unloading the module, while clients keep sending.  The VM harness
# fails the run on any kernel splat; here the module must come out.
# timeout: 200
source "$(dirname "$0")/l4lib.sh"

ktap_plan 4

# traffic: TCP transfers and a UDP flood through a nat and a fullnat VIP.
start_traffic() {
	local svc4 svc6

	svc4=$(svc_addr $VIP4 80)
	svc6=$(svc_addr $VIP6 80)
	lb service add "$svc4" proto tcp mode fullnat snat $LB4
	lb service add "$svc6" proto udp
	add_backends $VIP4 80 tcp 8080 "${BE4[@]}"
	add_backends $VIP6 80 udp 8080 "${BE6[@]}"
	bg in_cli $L4TOOL transfer --vip $VIP4 --port 80 --streams 4 \
		--bytes $((8 << 20)) --rate 262144 >/dev/null 2>&1
	bg in_cli bash -c "while :; do $L4TOOL flood --vip $VIP6 --port 80 --count 200; done" \
		>/dev/null 2>&1
	busywait 20000 entries_present
}

entries_present() {
	[ "$(lb -j info | python3 -c 'import json,sys; print(json.load(sys.stdin)["conn_count"])')" -gt 10 ]
}

l4_setup
start_traffic
ktap_result "traffic is flowing through lbnic" $?
check_ok "the load balancer's netns is deleted under traffic" ip netns del "$lb"
cleanup_ns

l4_setup
start_traffic
ktap_result "traffic is flowing again in a new topology" $?
check_ok "the module unloads under traffic" lbnic_unload
cleanup_ns

ktap_finished
