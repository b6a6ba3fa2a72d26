#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP and fragments through lbnic.  With a smaller MTU toward the
# backends, a large upload still completes: lbnic answers "too big" in the
# client's own addresses.  A backend's "port unreachable" reaches the
# client's socket: lbnic translates the error back.  A UDP datagram the
# client sends in fragments is balanced whole and reaches the backend (no
# "too big" for what output fragments again).  For nat and fullnat, IPv4
# and IPv6.
# timeout: 400
source "$(dirname "$0")/l4lib.sh"

l4_setup
ktap_plan 12

# svc_setup FAMILY MODE PROTO BACKEND_PORT: one service on port 80, 3 backends.
svc_setup() {
	local fam=$1 mode=$2 proto=$3 bport=$4 vip lbaddr
	local -a bes snat=()

	if [ "$fam" = 4 ]; then
		vip=$VIP4 lbaddr=$LB4 bes=("${BE4[@]}")
	else
		vip=$VIP6 lbaddr=$LB6 bes=("${BE6[@]}")
	fi
	[ "$mode" = fullnat ] && snat=(snat "$lbaddr")
	lb service add "$(svc_addr "$vip" 80)" proto "$proto" mode "$mode" "${snat[@]}" &&
		add_backends "$vip" 80 "$proto" "$bport" "${bes[@]}"
}

svc_teardown() {
	local vip=$VIP4

	[ "$1" = 6 ] && vip=$VIP6
	lb service del "$(svc_addr "$vip" 80)" proto "$2"
}

ip -n "$lb" link set br0 mtu 1400
for fam in 4 6; do
	vip=$VIP4
	[ $fam = 6 ] && vip=$VIP6
	for mode in nat fullnat; do
		svc_setup $fam $mode tcp 8080
		run in_cli timeout $((120 * ${LBNIC_TIMEOUT_SCALE:-1})) $L4TOOL upload --vip "$vip" --port 80 --bytes $((4 << 20))
		rc=$?
		log "$mode IPv$fam upload: $OUT $ERR"
		svc_teardown $fam tcp
		ktap_result "$mode IPv$fam: 4 MiB upload through a 1400-byte MTU" $rc
	done
done
ip -n "$lb" link set br0 mtu 1500

for fam in 4 6; do
	vip=$VIP4
	[ $fam = 6 ] && vip=$VIP6
	for mode in nat fullnat; do
		# Nothing listens on the backends' port 9999.
		svc_setup $fam $mode udp 9999
		run in_cli $L4TOOL unreach --vip "$vip" --port 80
		rc=$?
		log "$mode IPv$fam: $OUT $ERR"
		svc_teardown $fam udp
		ktap_result "$mode IPv$fam: a backend's port unreachable reaches the client" $rc
	done
done

for fam in 4 6; do
	vip=$VIP4
	[ $fam = 6 ] && vip=$VIP6
	for mode in nat fullnat; do
		svc_setup $fam $mode udp 8080
		run in_cli $L4TOOL dist --vip "$vip" --port 80 --proto udp --count 5 --size 3000
		log "$mode IPv$fam 3000-byte datagrams: $OUT $ERR"
		svc_teardown $fam udp
		check_eq "$mode IPv$fam: 3000-byte UDP datagrams in fragments reach a backend" \
			"$(jq_py 'd["failed"]')" 0
	done
done

ktap_finished
