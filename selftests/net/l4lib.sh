# SPDX-License-Identifier: GPL-2.0
#
# The L4 test topology: a client, the load balancer, three backends.
#
#   cli (c0) ----- (l0) lb (br0) ----+---- (e0) b1  10.0.2.11  fd00:2::11
#   10.0.1.2        10.0.1.1         +---- (e0) b2  10.0.2.12  fd00:2::12
#   fd00:1::2       fd00:1::1        +---- (e0) b3  10.0.2.13  fd00:2::13
#                   10.0.2.1, fd00:2::1
#
# The VIPs (10.0.0.10, fd00::10) are routed to lb by the client's default
# route, as an ECMP router would; lb does not own them.  Backends route
# back through lb, hold the VIPs on lo for dsr, and run l4tool.py servers
# on ports 8080 and 80 (dsr cannot change ports).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VIP4=10.0.0.10
VIP6=fd00::10
CLI4=10.0.1.2
CLI6=fd00:1::2
LB4=10.0.2.1
LB6=fd00:2::1
BE4=(10.0.2.11 10.0.2.12 10.0.2.13)
BE6=(fd00:2::11 fd00:2::12 fd00:2::13)
L4TOOL="python3 $(dirname "${BASH_SOURCE[0]}")/l4tool.py"
PKTTOOL="python3 $(dirname "${BASH_SOURCE[0]}")/pkttool.py"
L7TOOL="python3 $(dirname "${BASH_SOURCE[0]}")/l7tool.py"

lb() { "$LBNIC" -n "$lb" "$@"; }
in_cli() { ip netns exec "$cli" "$@"; }

# l4_topology: the namespaces, links and addresses above, no servers.
# Fails if any step does.
l4_topology() {
	local i b

	setup_ns cli lb b1 b2 b3 || return 1
	BNS=("$b1" "$b2" "$b3")

	# One ip -batch per namespace: on the debug kernel each command started
	# costs half a second.  A batch stops at its first failing line.
	ip link add c0 netns "$cli" type veth peer name l0 netns "$lb" || return 1
	for i in 0 1 2; do
		ip link add e0 netns "${BNS[$i]}" type veth peer name p$i netns "$lb" ||
			return 1
	done
	ip -n "$cli" -batch - <<-EOF || return 1
		addr add $CLI4/24 dev c0
		addr add $CLI6/64 dev c0 nodad
		link set c0 up
		route add default via 10.0.1.1
		route add ::/0 via fd00:1::1
	EOF
	ip -n "$lb" -batch - <<-EOF || return 1
		link add br0 type bridge
		addr add 10.0.1.1/24 dev l0
		addr add fd00:1::1/64 dev l0 nodad
		addr add $LB4/24 dev br0
		addr add $LB6/64 dev br0 nodad
		link set l0 up
		link set br0 up
		link set p0 master br0 up
		link set p1 master br0 up
		link set p2 master br0 up
	EOF
	ip netns exec "$lb" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 || return 1

	for i in 0 1 2; do
		b=${BNS[$i]}
		ip -n "$b" -batch - <<-EOF || return 1
			addr add ${BE4[$i]}/24 dev e0
			addr add ${BE6[$i]}/64 dev e0 nodad
			addr add $VIP4/32 dev lo
			addr add $VIP6/128 dev lo
			link set e0 up
			route add default via $LB4
			route add ::/0 via $LB6
		EOF
		ip netns exec "$b" sysctl -qw net.ipv4.conf.e0.arp_ignore=1 \
			net.ipv4.conf.e0.arp_announce=2 || return 1
	done
}

l4_setup() {
	local i

	require_cmd python3 ip
	lbnic_load || ksft_fail_all "cannot load lbnic"
	l4_topology || ksft_fail_all "cannot create netns"
	serve_backends 30000 "$L4TOOL" 8080 --port 80
}

# serve_backends CEILING TOOL PORT [ARGS...]: "TOOL serve" as b1, b2, b3 in
# the backend namespaces, on PORT (and ARGS), each up once PORT accepts
# connections; CEILING (ms, busywait scales it) bounds the start, it is
# not a duration.
serve_backends() {
	local ceiling=$1 tool=$2 port=$3 i

	shift 3
	for i in 0 1 2; do
		bg ip netns exec "${BNS[$i]}" $tool serve --name "b$((i + 1))" --port "$port" "$@"
	done
	for i in 0 1 2; do
		busywait "$ceiling" ip netns exec "${BNS[$i]}" \
			bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null ||
			ksft_fail_all "backend b$((i + 1)) did not start"
	done
}

# backends VIP PORT PROTO ADDRS...: adds each ADDR:8080 (or :PORT for dsr).
add_backends() {
	local vip=$1 port=$2 proto=$3 bport=$4 a

	shift 4
	for a in "$@"; do
		lb backend add "$(svc_addr "$vip" "$port")" proto "$proto" \
			addr "$(svc_addr "$a" "$bport")" || return 1
	done
}

# svc_addr ADDR PORT: ADDR:PORT, bracketed for IPv6.
svc_addr() {
	if [[ $1 == *:* ]]; then echo "[$1]:$2"; else echo "$1:$2"; fi
}

# jq_py EXPR: evaluates a Python expression on the JSON in $OUT as "d".
jq_py() {
	python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($1)" "$OUT"
}

# lb_stat NAME: a counter of the LB namespace's datapath (lbnic -s info).
lb_stat() {
	lb -s -j info | jq -r --arg k "$1" '.stats[$k]'
}

# conn_count: entries in the LB namespace's table.
conn_count() {
	lb -j info | jq -r .conn_count
}

# conn_count_is N: the table holds N entries (for busywait).
conn_count_is() {
	[ "$(conn_count)" = "$1" ]
}

# lb_mac DEV: the MAC address of DEV in the LB namespace.
lb_mac() {
	ip -n "$lb" -j link show "$1" | jq -r '.[0].address'
}

# from_cli ARGS...: pkttool.py frames out of the client's c0 to lb's l0.
from_cli() {
	in_cli $PKTTOOL --dev c0 --dmac "$(lb_mac l0)" "$@"
}

# stat_reaches NAME N: the counter NAME is at least N.
stat_reaches() {
	[ "$(lb_stat "$1")" -ge "$2" ]
}
