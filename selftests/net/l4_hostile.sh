#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a remote host can send to a VIP that routing would refuse, and what
# lbnic must then not do.  lbnic runs before input routing, so it refuses
# martian sources itself (zero, broadcast, multicast, loopback, its own
# addresses, v4-mapped): no entry, no reply toward them.  Truncated TCP and
# UDP headers and impossible data offsets are dropped.  A backend whose
# route is not unicast (a broadcast address) gets nothing.  Each is proven
# by its own counter, not by waiting.
# timeout: 240
source "$(dirname "$0")/l4lib.sh"

l4_setup
ktap_plan 7

lb service add $VIP4:80 proto tcp
add_backends $VIP4 80 tcp 8080 "${BE4[@]}"
lb service add "[$VIP6]:80" proto udp
add_backends $VIP6 80 udp 8080 "${BE6[@]}"

# Each martian source reaches lbnic: the IPv4 input path checks none before
# PRE_ROUTING; ip6_rcv_core() drops ff00::/8 and ::1 sources itself.
martians4=(0.0.0.0 255.255.255.255 224.0.0.5 127.0.0.1 10.0.1.1 10.0.1.255 $LB4)
martians6=(:: ::ffff:10.0.1.2 fd00:1::1)
sent=0
for a in "${martians4[@]}"; do
	from_cli tcp --src "$a" --dst $VIP4 --dport 80 --flags S --count 2 >/dev/null &&
		sent=$((sent + 2))
done
for a in "${martians6[@]}"; do
	from_cli udp --src "$a" --dst $VIP6 --dport 80 --count 2 >/dev/null &&
		sent=$((sent + 2))
done
busywait 20000 stat_reaches martian $sent
ktap_result "$sent packets from martian sources counted as such" $?
check_eq "... and none made an entry" "$(conn_count)" 0

# A real client still gets through.
run in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 5
check_eq "a real client is served" "$(jq_py 'd["failed"]')" 0

# Truncated or impossible L4 headers, for the VIP and for a live entry.
before=$(lb_stat malformed)
run in_cli python3 -c '
import socket, struct, sys
vip = sys.argv[1]
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
seg = struct.pack("!HHII", 40001, 80, 1, 0)          # 12 of 20 bytes
raw.sendto(seg, (vip, 0))
doff15 = struct.pack("!HHIIBBHHH", 40002, 80, 1, 0, 15 << 4, 2, 512, 0, 0)
raw.sendto(doff15, (vip, 0))
doff3 = struct.pack("!HHIIBBHHH", 40003, 80, 1, 0, 3 << 4, 2, 512, 0, 0)
raw.sendto(doff3, (vip, 0))
udp = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_UDP)
udp.sendto(struct.pack("!HHH", 40004, 80, 6), (sys.argv[2], 0))   # 6 of 8
' $VIP4 $VIP6
busywait 20000 stat_reaches malformed $((before + 4))
ktap_result "4 packets with bad TCP and UDP headers counted as malformed" $?
run lb -j conn show
check_eq "... and none made an entry" \
	"$(jq_py 'len([c for c in d if c["client_port"] in (40001, 40002, 40003, 40004)])')" 0

# A backend at br0's broadcast address: its route is not unicast.
lb service add $VIP4:81 proto tcp
lb backend add $VIP4:81 proto tcp addr 10.0.2.255:8080
before=$(lb_stat no_route)
run in_cli $L4TOOL dist --vip $VIP4 --port 81 --count 3 --timeout 1
log "dist: $OUT"
busywait 20000 stat_reaches no_route $((before + 3))
ktap_result "SYNs toward a broadcast backend are dropped for want of a unicast route" $?
check_eq "... and no connection succeeded" "$(jq_py 'd["failed"]')" 3

ktap_finished
