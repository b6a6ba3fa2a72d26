#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lbnic does not depend on conntrack, and keeps working when conntrack is
# loaded and tracking other traffic, even with rules that drop what
# conntrack calls invalid: its packets bypass conntrack as untracked.
# timeout: 150
source "$(dirname "$0")/l4lib.sh"

require_cmd nft
l4_setup
ktap_plan 5

ip netns exec "$lb" nft -f - <<NFT
table inet lbtest {
	chain pre {
		type filter hook prerouting priority 0;
		ip daddr $VIP4 counter name vip_seen
		ct state invalid counter name invalid drop
	}
	chain post {
		type filter hook postrouting priority 0;
		ct state untracked counter name untracked
	}
	counter vip_seen { }
	counter invalid { }
	counter untracked { }
}
NFT
# Conntrack now tracks the client's pings to the load balancer.
in_cli ping -c 2 -W 2 10.0.1.1 >/dev/null

counter() {
	ip netns exec "$lb" nft -j list counter inet lbtest "$1" |
		python3 -c 'import json,sys; print([o["counter"]["packets"] for o in json.load(sys.stdin)["nftables"] if "counter" in o][0])'
}

for mode in nat fullnat; do
	snat=()
	[ $mode = fullnat ] && snat=(snat $LB4)
	lb service add "$(svc_addr $VIP4 80)" proto tcp mode $mode "${snat[@]}"
	add_backends $VIP4 80 tcp 8080 "${BE4[@]}"
	run in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 20
	check_eq "$mode works with conntrack loaded and strict rules" "$(jq_py 'd["failed"]')" 0
	lb service del "$(svc_addr $VIP4 80)" proto tcp
done
check_eq "VIP packets never reached the conntrack-ordered hooks" "$(counter vip_seen)" 0
check_ok "lbnic's packets left as untracked" test "$(counter untracked)" -gt 0
check_eq "nothing of lbnic's was called invalid" "$(counter invalid)" 0

ktap_finished
