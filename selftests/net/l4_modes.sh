#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nat, fullnat and dsr end to end, for TCP and UDP over IPv4 and IPv6, and
# stateless UDP: every request is answered by a backend, each backend sees
# the source the mode promises, and dsr replies bypass lbnic.
# timeout: 420
source "$(dirname "$0")/l4lib.sh"

l4_setup
ktap_plan 14

# mode_test FAMILY MODE PROTO [stateless]
mode_test() {
	local fam=$1 mode=$2 proto=$3 extra=$4 vip caddr lbaddr bport=8080 svc peer
	local -a bes snat=()

	if [ "$fam" = 4 ]; then
		vip=$VIP4 caddr=$CLI4 lbaddr=$LB4 bes=("${BE4[@]}")
	else
		vip=$VIP6 caddr=$CLI6 lbaddr=$LB6 bes=("${BE6[@]}")
	fi
	[ "$mode" = dsr ] && bport=80
	[ "$mode" = fullnat ] && snat=(snat "$lbaddr")
	peer=$caddr
	[ "$mode" = fullnat ] && peer=$lbaddr
	svc=$(svc_addr "$vip" 80)

	local desc="$mode $proto IPv$fam${extra:+ $extra}"
	if ! lb service add "$svc" proto "$proto" mode "$mode" "${snat[@]}" $extra ||
	   ! add_backends "$vip" 80 "$proto" "$bport" "${bes[@]}"; then
		lb service del "$svc" proto "$proto" 2>/dev/null
		ktap_test_fail "$desc: configure"
		return
	fi
	run in_cli $L4TOOL dist --vip "$vip" --port 80 --proto "$proto" --count 30
	log "$desc: $OUT $ERR"
	local ok=1
	[ "$(jq_py 'd["failed"]')" = 0 ] || { log "requests failed"; ok=0; }
	[ "$(jq_py 'sum(d["backends"].values())')" = 30 ] || ok=0
	[ "$(jq_py 'len(d["backends"]) >= 2')" = True ] || { log "not spread"; ok=0; }
	[ "$(jq_py 'list(d["peers"])')" = "['$peer']" ] ||
		{ log "backends saw another source than $peer"; ok=0; }
	run lb -s -j service show
	if [ "$mode" = dsr ]; then
		# Replies never pass lbnic: nothing counted out.
		[ "$(jq_py 'd[0]["stats"]["pkts_out"]')" = 0 ] || { log "replies seen"; ok=0; }
	else
		[ "$(jq_py 'd[0]["stats"]["pkts_out"] >= 30')" = True ] || { log "no replies counted"; ok=0; }
	fi
	if [ -n "$extra" ]; then
		run lb -j info
		[ "$(jq_py 'd["conn_count"]')" = 0 ] || { log "stateless kept entries"; ok=0; }
	fi
	lb service del "$svc" proto "$proto"
	ktap_result "$desc" $((1 - ok))
}

for fam in 4 6; do
	for mode in nat fullnat dsr; do
		for proto in tcp udp; do
			mode_test $fam $mode $proto
		done
	done
done
mode_test 4 nat udp stateless
mode_test 6 dsr udp stateless

ktap_finished
