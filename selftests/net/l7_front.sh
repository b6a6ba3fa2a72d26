#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The http mode's client side: SYN cookies (a SYN flood makes no entry),
# the request header read in any segmentation, and lbnic's own answers
# (400, 408, 431, 505; 503 for a complete header, since these backends
# refuse: nothing listens on 8081), each delivered (what the client sends after it is drained,
# not reset) and the connection closed, leaving no entry.
# timeout: 240
source "$(dirname "$0")/l4lib.sh"

# A ceiling (ms, busywait scales it) on waiting for a condition, not a duration.
W=60000

l4_setup
ktap_plan 26

# status ARGS...: the status of the answer to l7tool.py req ARGS.
status() {
	in_cli $L7TOOL req "$@" | jq -r .status
}

stat_reaches() {
	[ "$(lb_stat "$1")" -ge "$2" ]
}

http_req_entry() {
	lb conn show | grep -q "HTTP_REQ .* via - -> -"
}

check_err "http mode over UDP" "^Error: http mode is for TCP services only\.$" \
	lb service add "$VIP4:80" proto udp mode http snat $LB4
check_err "http mode without an SNAT address" "^Error: fullnat and http need an SNAT address\.$" \
	lb service add "$VIP4:80" proto tcp mode http
check_ok "http service over IPv4" lb service add "$VIP4:80" proto tcp mode http snat $LB4
check_ok "http service over IPv6" lb service add "[$VIP6]:80" proto tcp mode http snat $LB6
add_backends $VIP4 80 tcp 8081 "${BE4[@]}"
add_backends $VIP6 80 tcp 8081 "${BE6[@]}"
run lb -j service show
check_eq "the service shows mode http" "$(jq -r '.[] | select(.port == 80) | .mode' <<<"$OUT" | sort -u)" http

# curl completes its handshake with lbnic and gets lbnic's answer.
cookies=$(lb_stat http_cookies)
run in_cli curl -s -m $((30 * ${LBNIC_TIMEOUT_SCALE:-1})) -o /dev/null -w '%{http_code}' "http://$VIP4/"
check_eq "curl over IPv4: the handshake completes, 503 (the backends refuse)" "$OUT" 503
run in_cli curl -s -m $((30 * ${LBNIC_TIMEOUT_SCALE:-1})) -o /dev/null -w '%{http_code}' "http://[$VIP6]/"
check_eq "curl over IPv6: likewise" "$OUT" 503
busywait $W stat_reaches http_cookies $((cookies + 2))
ktap_result "each handshake was answered from a SYN cookie" $?
busywait $W conn_count_is 0
ktap_result "closed connections leave no entry" $?

# Floods: SYNs get cookies and make nothing; ACKs without one are dropped.
cookies=$(lb_stat http_cookies)
bad=$(lb_stat http_cookie_bad)
from_cli flood --vip $VIP4 --port 80 --count 2000 --net 10.0.1.128/25 >/dev/null
busywait $W stat_reaches http_cookies $((cookies + 1000))
ktap_result "a SYN flood is answered with cookies" $?
check_eq "  ... and makes no entry" "$(conn_count)" 0
from_cli flood --vip $VIP4 --port 80 --count 2000 --kind ack --net 10.0.1.128/25 >/dev/null
busywait $W stat_reaches http_cookie_bad $((bad + 2000))
ktap_result "ACKs without a valid cookie are counted and dropped" $?
check_eq "  ... and make no entry" "$(conn_count)" 0

# The header in any segmentation; what is not HTTP gets a clean answer.
check_eq "a header sent a byte a segment" "$(status --vip $VIP4 --split 1)" 503
check_eq "  ... over IPv6" "$(status --vip $VIP6 --split 1)" 503
check_eq "a header in 7-byte segments" \
	"$(status --vip $VIP4 --split 7 --data 'GET /a/b?c HTTP/1.1\r\nHost: x.example\r\nUser-Agent: t\r\n\r\n')" 503
check_eq "a TLS ClientHello: 400" "$(status --vip $VIP4 --data '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03')" 400
check_eq "HTTP/2's preface: 505" "$(status --vip $VIP4 --data 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')" 505
run in_cli $L7TOOL req --vip $VIP4 --header-bytes 16000
check_eq "a header of 16000 bytes: 431, its rest drained, no reset" \
	"$(jq -r '"\(.status) \(.reset)"' <<<"$OUT")" "431 false"
check_eq "100 fields pass" "$(status --vip $VIP4 --fields 100)" 503
check_eq "101 fields: 400" "$(status --vip $VIP4 --fields 101)" 400

# Slowloris: a header not complete within http-req gets 408.
lb config set timeout http-req 2
check_eq "a header not complete in time: 408" \
	"$(status --vip $VIP4 --data 'GET / HTTP/1.1\r\nHost: a\r\n')" 408
lb config set timeout http-req 10

# An incomplete header is an entry without a backend; a client that leaves
# takes it away.
exec {hold_in}> >(in_cli $L7TOOL hold --vip $VIP4 --data 'GET / HTTP/1.1\r\n' >/dev/null)
busywait $W http_req_entry
ktap_result "an incomplete header shows as HTTP_REQ, without a backend" $?
exec {hold_in}>&-
busywait $W conn_count_is 0
ktap_result "a client that closes mid-header leaves no entry" $?

answered=$(lb_stat http_answered)
[ "$answered" -ge 11 ]
ktap_result "every answer was counted ($answered)" $?
busywait $W conn_count_is 0
ktap_result "no entry is left" $?
ktap_finished
