#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The http mode's splice: requests reach a backend chosen by lbnic with
# one X-Forwarded-For each (or X-Real-IP, or none, as the service says),
# from curl, wrk and ab, over keep-alive and pipelined connections, in
# any segmentation; bodies both ways arrive intact, also through loss,
# duplication and reordering on both legs; a client that half-closes
# after its request is answered, one slow with a later header is reset,
# an upgraded connection is a tunnel; a
# backend that refuses gets the client a 503, one that resets before
# answering a 502; closed connections leave no entry.
# timeout: 900
source "$(dirname "$0")/l4lib.sh"

T=$((60 * ${LBNIC_TIMEOUT_SCALE:-1}))
# A ceiling (ms, busywait scales it) on waiting for a condition, not a duration.
W=60000

require_cmd curl wrk ab
l4_setup
ktap_plan 45

serve_backends 60000 "$L7TOOL" 8000

lb service add "$VIP4:80" proto tcp mode http snat $LB4
lb service add "[$VIP6]:80" proto tcp mode http snat $LB6
add_backends $VIP4 80 tcp 8000 "${BE4[@]}"
add_backends $VIP6 80 tcp 8000 "${BE6[@]}"
# Nothing listens on 8081: the backend refuses.
lb service add "$VIP4:81" proto tcp mode http snat $LB4
add_backends $VIP4 81 tcp 8081 "${BE4[0]}"
# The other fields lbnic can insert, or none.
lb service add "$VIP4:82" proto tcp mode http snat $LB4 insert x-real-ip
lb service add "$VIP4:83" proto tcp mode http snat $LB4 insert none
add_backends $VIP4 82 tcp 8000 "${BE4[@]}"
add_backends $VIP4 83 tcp 8000 "${BE4[@]}"
# Two SNAT ports for one backend: its TIME-WAITs meet lbnic's next SYNs.
lb service add "$VIP4:85" proto tcp mode http snat $LB4 snat-ports 2000-2001
add_backends $VIP4 85 tcp 8000 "${BE4[0]}"

curl_c() {
	in_cli curl -s -m $T -H 'Expect:' "$@"
}

# many ARGS...: "ok backends" of l7tool.py many ARGS; its story when one failed.
many() {
	local out

	out=$(in_cli $L7TOOL many "$@")
	[ "$(jq -r '.bad // empty' <<<"$out")" = "" ] || log "$(jq -c 'del(.statuses)' <<<"$out")" >&2
	jq -r '"\(.ok) \(.backends | length)"' <<<"$out"
}

run curl_c "http://$VIP4/a"
check_eq "curl over IPv4 reaches a backend" "$(jq -r '.backend | test("^b[123]$")' <<<"$OUT")" true
check_eq "  ... with the client's address in one X-Forwarded-For" "$(jq -c .xff <<<"$OUT")" "[\"$CLI4\"]"
run curl_c "http://[$VIP6]/a"
check_eq "curl over IPv6: one X-Forwarded-For, the client's" "$(jq -c .xff <<<"$OUT")" "[\"$CLI6\"]"
run curl_c -H 'X-Forwarded-For: 192.0.2.1' "http://$VIP4/a"
check_eq "a client's own X-Forwarded-For stays, lbnic's follows" \
	"$(jq -c .xff <<<"$OUT")" "[\"192.0.2.1\",\"$CLI4\"]"

run curl_c "http://$VIP4:82/a"
check_eq "insert x-real-ip: one X-Real-IP, the client's, no X-Forwarded-For" \
	"$(jq -c '[.real_ip, .xff]' <<<"$OUT")" "[[\"$CLI4\"],[]]"
check_eq "  ... and a request bringing its own X-Real-IP gets 400" \
	"$(curl_c -o /dev/null -w '%{http_code}' -H 'x-real-ip: 192.0.2.1' "http://$VIP4:82/a")" 400
check_eq "  ... also spelt X_Real_IP (CGI backends read it as X-Real-IP)" \
	"$(curl_c -o /dev/null -w '%{http_code}' -H 'X_Real_IP: 192.0.2.1' "http://$VIP4:82/a")" 400
run in_cli $L7TOOL req --vip $VIP4 --port 82 \
	--data 'GET /k HTTP/1.1\r\nHost: a\r\n\r\nGET /k HTTP/1.1\r\nHost: a\r\nX-Real-IP: 192.0.2.1\r\n\r\n'
# Once spliced, no answer can be given (a response may be under way).
check_eq "  ... on a later, pipelined request: the connection is reset" \
	"$(jq -r .reset <<<"$OUT")" true
check_eq "  ... keep-alive requests each get one" \
	"$(many --vip $VIP4 --port 82 --count 20 --field real_ip)" "20 1"
run curl_c -H 'X-Forwarded-For: 192.0.2.1' "http://$VIP4:83/a"
check_eq "insert none: the header reaches the backend as it came" \
	"$(jq -c '[.real_ip, .xff]' <<<"$OUT")" '[[],["192.0.2.1"]]'
check_eq "service show names the field" \
	"$(lb -j service show | jq -r '[.[] | select(.port == 82 or .port == 83)] | sort_by(.port) | map(.insert) | join(" ")')" "x-real-ip none"
check_err "the field is for http services only" \
	"^Error: an inserted field is for http services only\.$" \
	lb service add "$VIP4:84" proto tcp mode fullnat snat $LB4 insert none
check_err "the CLI names the fields it knows" "insert must be xff, x-real-ip or none" \
	lb service add "$VIP4:84" proto tcp mode http snat $LB4 insert forwarded

# What conn show tells of a splice: a connection left open after its
# request was answered and acknowledged.
exec {hold_in}> >(in_cli $L7TOOL hold --vip $VIP4 --data 'GET /h HTTP/1.1\r\nHost: a\r\n\r\n' >/dev/null)
splice() { lb -j conn show | jq -c '[.[] | select(.http.requests == 1)][0] // empty'; }
acked() { [ "$(splice | jq -r .http.unacked)" = false ]; }
busywait $W acked
ktap_result "conn show: a spliced entry, its one header acknowledged" $?
# "X-Forwarded-For: " ADDR CRLF before the blank line, client byte 27.
f=$((19 + ${#CLI4}))
check_eq "  ... its phase, offsets, insertion point, the response relayed" \
	"$(splice | jq -c '.http as $h | [$h.phase, $h.seq_offset, $h.insert_len, $h.insert_seq, ($h.ack_offset | type), .packets_reply > 0]')" \
	"[\"header\",$f,$f,27,\"number\",true]"
exec {hold_in}>&-

check_eq "100 keep-alive requests, each with its own field, one backend" \
	"$(many --vip $VIP4 --count 100)" "100 1"
check_eq "  ... over IPv6" "$(many --vip $VIP6 --count 100)" "100 1"
check_eq "20 pipelined requests" "$(many --vip $VIP4 --count 20 --pipeline)" "20 1"
check_eq "20 keep-alive requests with 3000-byte bodies" \
	"$(many --vip $VIP4 --count 20 --body 3000)" "20 1"
check_eq "20 pipelined requests with 700-byte bodies" \
	"$(many --vip $VIP4 --count 20 --body 700 --pipeline)" "20 1"

# The header split in two at every byte.
req='GET /split HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
bad=
for at in $(seq 1 47); do
	st=$(in_cli $L7TOOL req --vip $VIP4 --at $at --data "$req" | jq -r .status)
	[ "$st" = 200 ] || bad+=" $at:$st"
done
check_eq "the header split at each of its 47 bytes" "${bad:-none}" none
check_eq "the header a byte a segment" \
	"$(in_cli $L7TOOL req --vip $VIP4 --split 1 --data "$req" | jq -r .status)" 200

# Bodies both ways, checked end to end.
in_cli dd if=/dev/urandom of=/tmp/l7up bs=1M count=4 status=none
want=$(in_cli md5sum /tmp/l7up | cut -d' ' -f1)
run curl_c --data-binary @/tmp/l7up "http://$VIP4/up"
check_eq "a 4 MB upload arrives intact" "$(jq -r .md5 <<<"$OUT")" "$want"
for n in 1 100000 5000000; do
	want=$($L7TOOL pattern $n | md5sum | cut -d' ' -f1)
	check_eq "a download of $n bytes arrives intact" \
		"$(curl_c "http://$VIP4/bytes/$n" | md5sum | cut -d' ' -f1)" "$want"
done

# A client that half-closes after its request (HTTP/1.0 tools do) is answered.
run in_cli $L7TOOL req --vip $VIP4 --shut --data 'GET /h HTTP/1.0\r\nHost: a\r\n\r\n'
check_eq "a client that half-closes after its request gets the response" \
	"$(jq -r '.status, (.body | fromjson | .xff | length)' <<<"$OUT" | paste -sd' ')" "200 1"
run in_cli $L7TOOL req --vip $VIP4 --shut \
	--data 'POST /h HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello'
check_eq "  ... also with a body" "$(jq -r '.body | fromjson | .len' <<<"$OUT")" 5

# After an upgrade the connection is the new protocol's: relayed, unparsed.
run in_cli $L7TOOL req --vip $VIP4 --shut --data \
	'GET /upgrade HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nPING not http\r\n\r\nGET /x\r\n'
check_eq "after an upgrade (101), the connection is a tunnel" \
	"$(jq -c '[.status, .body]' <<<"$OUT")" '[101,"PING not http\r\n\r\nGET /x\r\n"]'

# A later header has http-req to be complete too.  No answer can be given
# (a response may be under way): the connection is reset.
lb config set timeout http-req 2
run in_cli $L7TOOL req --vip $VIP4 \
	--data 'GET /k HTTP/1.1\r\nHost: a\r\n\r\nGET /k HTTP/1.1\r\nHost: a\r\n'
lb config set timeout http-req 10
check_eq "a later header not complete in time: the response, then a reset" \
	"$(jq -r '"\(.status) \(.reset)"' <<<"$OUT")" "200 true"

# Errors before the first response byte are lbnic's to answer.
check_eq "a backend that refuses: 503" \
	"$(curl_c -o /dev/null -w '%{http_code}' "http://$VIP4:81/")" 503
check_eq "a backend that resets before answering: 502" \
	"$(curl_c -o /dev/null -w '%{http_code}' "http://$VIP4/reset")" 502

# The backend closes first (Connection: close): it keeps a TIME-WAIT for
# the SNAT port, which takes lbnic's next SYN there only half the time.
tw=$(lb_stat http_time_wait)
codes=$(for i in $(seq 20); do
	curl_c -o /dev/null -w '%{http_code} ' -H 'Connection: close' "http://$VIP4:85/tw"
done)
check_eq "20 requests, one a connection, through 2 SNAT ports: all answered" \
	"$(tr ' ' '\n' <<<"$codes" | grep . | sort | uniq -c | awk '{ print $1 "x" $2 }')" "20x200"
[ "$(lb_stat http_time_wait)" -gt "$tw" ]
ktap_result "  ... the backend's TIME-WAITs were reset ($(($(lb_stat http_time_wait) - tw)))" $?

# wrk, many connections at once.
run in_cli wrk -t 2 -c 8 -d 2s "http://$VIP4/w"
reqs=$(awk '/requests in/ { print $1 }' <<<"$OUT")
[ "${reqs:-0}" -gt 0 ] && ! grep -qE "Non-2xx|Socket errors" <<<"$OUT"
ktap_result "wrk: $reqs requests, no errors" $?

# ab speaks HTTP/1.0: keep-alive only by asking (-k), or a connection each.
for k in -k ""; do
	ka=0
	[ -z "$k" ] || ka=200
	run in_cli ab $k -n 200 -c 4 -s $T "http://$VIP4/ab"
	check_eq "ab ${k:+-k }-n 200 -c 4: complete, failed, non-2xx, kept alive" \
		"$(awk '/^Complete requests:/ { c = $3 } /^Failed requests:/ { f = $3 }
			/^Non-2xx responses:/ { n = $3 } /^Keep-Alive requests:/ { a = $3 }
			END { print c + 0, f + 0, n + 0, a + 0 }' <<<"$OUT")" "200 0 0 $ka"
done

busywait $W conn_count_is 0
ktap_result "closed connections leave no entry" $?

# Loss, duplication and reordering on both legs, each direction: lbnic
# must resend the headers it holds, the end hosts everything else.
netem="netem loss 5% duplicate 2% delay 2ms reorder 10%"
shape() {
	local i

	in_cli tc qdisc "$1" dev c0 root $2 &&
		ip netns exec "$lb" tc qdisc "$1" dev l0 root $2 || return 1
	for i in 0 1 2; do
		ip netns exec "${BNS[$i]}" tc qdisc "$1" dev e0 root $2 &&
			ip netns exec "$lb" tc qdisc "$1" dev p$i root $2 || return 1
	done
}
# Neither leg has SACK or timestamps (Documentation/l7.rst): through this
# much loss a transfer's time varies tenfold (1 MB: 2 to 60 s seen), and
# its ceiling is set far above that.
TN=$((300 * ${LBNIC_TIMEOUT_SCALE:-1}))
netem_tests() {
	local bad n want got rc resent

	check_ok "netem on every link, both ways" shape add "$netem"
	on_exit "shape del 2>/dev/null"
	resent=$(lb_stat http_resent)
	bad=
	for n in 1 1000 30000 200000 1000000; do
		want=$($L7TOOL pattern $n | md5sum | cut -d' ' -f1)
		got=$(curl_c -m $TN -o /tmp/l7down \
			-w '%{size_download} bytes in %{time_total} s' "http://$VIP4/bytes/$n")
		rc=$?
		[ "$(md5sum < /tmp/l7down | cut -d' ' -f1)" = "$want" ] ||
			{ bad+=" down$n"; log "down$n: curl exit $rc, $got"; }
	done
	in_cli dd if=/dev/urandom of=/tmp/l7up bs=100k count=5 status=none
	want=$(in_cli md5sum /tmp/l7up | cut -d' ' -f1)
	got=$(curl_c -m $TN --data-binary @/tmp/l7up "http://$VIP4/up" | jq -r .md5)
	[ "$got" = "$want" ] || bad+=" up"
	check_eq "through 5% loss, duplication, reordering: transfers intact" "${bad:-none}" none
	check_eq "  ... and 100 keep-alive requests with bodies" \
		"$(many --vip $VIP4 --count 100 --body 2000 --timeout 300)" "100 1"
	check_eq "  ... and 10 pipelined ones" \
		"$(many --vip $VIP4 --count 10 --pipeline --timeout 300)" "10 1"
	[ "$(lb_stat http_resent)" -gt "$resent" ]
	ktap_result "  ... lbnic resent headers it holds ($(($(lb_stat http_resent) - resent)) segments)" $?
	check_ok "netem off" shape del
}

# Kernels built without netem (the debug kernel) skip these, counted.
if in_cli tc qdisc add dev c0 root $netem 2>/dev/null && in_cli tc qdisc del dev c0 root; then
	netem_tests
else
	for i in $(seq 6); do
		ktap_test_skip "netem: this kernel has no sch_netem"
	done
fi

busywait $W conn_count_is 0
ktap_result "no entry is left" $?
ktap_finished
