#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The http mode's TCP options rule (Documentation/l7.rst, "TCP options"):
# lbnic's SYN-ACK to the client and its SYN to the backend offer the
# cookie's MSS and nothing else, so whatever the client's and the
# backend's stacks enable of timestamps, SACK and window scaling (all 64
# combinations), and whatever MTU each leg has, neither connection
# negotiates an option lbnic would have to translate, and uploads and
# downloads arrive intact.
# timeout: 600
source "$(dirname "$0")/l4lib.sh"

T=$((60 * ${LBNIC_TIMEOUT_SCALE:-1}))
W=60000
N=100000	# bytes each way per combination

require_cmd curl ss
l4_setup
ktap_plan 15

serve_backends 60000 "$L7TOOL" 8000
lb service add "$VIP4:80" proto tcp mode http snat $LB4
add_backends $VIP4 80 tcp 8000 "${BE4[0]}"
b1=${BNS[0]}

curl_c() {
	in_cli curl -s -m $T -H 'Expect:' "$@"
}

# tcp_opts NS BITS: NS's stack with timestamps (bit 0), SACK (bit 1) and
# window scaling (bit 2) on or off.
tcp_opts() {
	ip netns exec "$1" sysctl -qw net.ipv4.tcp_timestamps=$(($2 & 1)) \
		net.ipv4.tcp_sack=$(($2 >> 1 & 1)) net.ipv4.tcp_window_scaling=$(($2 >> 2 & 1))
}

# What a held connection negotiated, as each end's ss sees it: the options
# (ts, sack, wscale) and the MSS it sends with.
held_opts() {
	ip netns exec "$1" ss -Htin state established "$2" |
		grep -oE '\b(ts|sack|wscale:[0-9,]+|mss:[0-9]+)\b' | sort | paste -sd' '
}

# held CMD: a request answered, its connection left open while CMD runs.
held() {
	local rc

	# The only entry: spliced() must find this connection, no other.
	busywait $W conn_count_is 0 || return 1
	exec {hold_in}> >(in_cli $L7TOOL hold --vip $VIP4 --data 'GET /h HTTP/1.1\r\nHost: a\r\n\r\n' >/dev/null)
	busywait $W spliced
	"$@"
	rc=$?
	exec {hold_in}>&-
	busywait $W conn_count_is 0
	return $rc
}

spliced() {
	lb -j conn show | jq -e '.[] | select(.http.requests == 1 and .http.unacked == false)' >/dev/null
}

both_views() {
	CLI_OPTS=$(held_opts "$cli" "( dport = :80 )")
	BE_OPTS=$(held_opts "$b1" "( sport = :8000 )")
}

up=$(mktemp)
on_exit rm -f "$up"
head -c $N /dev/urandom > "$up"
up_md5=$(md5sum < "$up" | cut -d' ' -f1)
down_md5=$($L7TOOL pattern $N | md5sum | cut -d' ' -f1)

# transfer: an upload and a download of N bytes, both checked.
transfer() {
	[ "$(curl_c --data-binary @"$up" "http://$VIP4/up" | jq -r .md5)" = "$up_md5" ] &&
		[ "$(curl_c "http://$VIP4/bytes/$N" | md5sum | cut -d' ' -f1)" = "$down_md5" ]
}

# Everything on at both ends: what would be negotiated without lbnic.
tcp_opts "$cli" 7 && tcp_opts "$b1" 7
held both_views
check_eq "client, all options on: it gets the cookie's MSS and nothing else" "$CLI_OPTS" "mss:1460"
check_eq "backend, all options on: lbnic's SYN offers the same" "$BE_OPTS" "mss:1460"

# Each of the client's 8 settings against each of the backend's 8.
for c in $(seq 0 7); do
	bad=
	tcp_opts "$cli" $c || bad+=" sysctl"
	for b in $(seq 0 7); do
		tcp_opts "$b1" $b && transfer || bad+=" $b"
	done
	check_eq "client ts/sack/ws $((c & 1))/$((c >> 1 & 1))/$((c >> 2 & 1)): both ways intact with all 8 backend settings" \
		"${bad:-none}" none
done

# Different MTUs on the legs: the client's 1400 (MSS 1360: the cookie
# encodes 1300) and the backend's 9000 (MSS 8960).  Each side sends at most
# what the other can take: the backend is offered the client's 1300.
tcp_opts "$cli" 7 && tcp_opts "$b1" 7
in_cli ip link set c0 mtu 1400 && ip -n "$lb" link set l0 mtu 1400 &&
	ip -n "$b1" link set e0 mtu 9000 && ip -n "$lb" link set p0 mtu 9000
ktap_result "client leg MTU 1400, backend leg MTU 9000" $?
held both_views
check_eq "  ... the client sends with the cookie's 1300" "$CLI_OPTS" "mss:1300"
check_eq "  ... the backend is offered 1300 too" "$BE_OPTS" "mss:1300"
transfer
ktap_result "  ... uploads and downloads intact" $?

busywait $W conn_count_is 0
ktap_result "no entry is left" $?
ktap_finished
