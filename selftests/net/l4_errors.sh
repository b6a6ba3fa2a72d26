#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad service and backend requests get a clear "Error:" from the kernel (or
# the CLI, for what it can check itself), exit non-zero and change nothing.
# timeout: 180
source "$(dirname "$0")/l4lib.sh"

l4_setup
ktap_plan 22

SVC=$(svc_addr $VIP4 80)
lb service add "$SVC" proto tcp
lb backend add "$SVC" proto tcp addr "${BE4[0]}:8080"
lb service add "$(svc_addr $VIP4 53)" proto udp mode dsr
before=$(lb -j service show)

check_err "duplicate service" "^Error: service already exists\.$" \
	lb service add "$SVC" proto tcp
check_err "backend for a missing service" "^Error: service not found\.$" \
	lb backend add "$VIP4:81" proto tcp addr "${BE4[1]}:8080"
check_err "duplicate backend" "^Error: backend already exists\.$" \
	lb backend add "$SVC" proto tcp addr "${BE4[0]}:8080"
check_err "weight 0 on add" "^Error: a new backend needs a weight of 1 or more" \
	lb backend add "$SVC" proto tcp addr "${BE4[1]}:8080" weight 0
check_err "weight out of range" "^Error: integer out of range\.$" \
	lb backend add "$SVC" proto tcp addr "${BE4[1]}:8080" weight 65536
check_err "IPv6 backend for an IPv4 service" "^Error: backend address family differs" \
	lb backend add "$SVC" proto tcp addr "[${BE6[1]}]:8080"
check_err "port 0" '^Error: argument .* the port must be 1\.\.65535' \
	lb service add "$VIP4:0" proto tcp
check_err "unknown scheduler" "^Error: unknown scheduler" \
	lb service add "$VIP4:81" proto tcp sched fastest
check_err "fullnat without an SNAT address" "^Error: fullnat and http need an SNAT address\.$" \
	lb service add "$VIP4:81" proto tcp mode fullnat
check_err "SNAT address of the other family" "^Error: SNAT address family differs" \
	lb service add "$VIP4:81" proto tcp mode fullnat snat $LB6
check_err "SNAT settings without fullnat" "^Error: SNAT settings need fullnat or http mode\.$" \
	lb service add "$VIP4:81" proto tcp snat $LB4
check_err "stateless TCP" "^Error: stateless is for UDP services only\.$" \
	lb service add "$VIP4:81" proto tcp stateless
check_err "maglev table size not a prime" "^Error: maglev table size must be a prime\.$" \
	lb service add "$VIP4:81" proto tcp maglev-size 65536
check_err "stateless fullnat" "^Error: stateless works with nat and dsr only\.$" \
	lb service add "$VIP4:81" proto udp mode fullnat snat $LB4 stateless
check_err "empty SNAT port range" "^Error: SNAT port range is empty\.$" \
	lb service add "$VIP4:81" proto tcp mode fullnat snat $LB4 snat-ports 2000-1000
# Replies to local sockets' ports must not be taken for lbnic's.
read -r lo hi < <(ip netns exec "$lb" sysctl -n net.ipv4.ip_local_port_range)
check_err "SNAT ports overlapping ip_local_port_range ($lo-$hi)" \
	"^Error: SNAT ports overlap ip_local_port_range" \
	lb service add "$VIP4:81" proto tcp mode fullnat snat $LB4 snat-ports $((hi - 10))-65535
lb service add "$(svc_addr $VIP4 54)" proto udp stateless
lb service add "$(svc_addr $VIP4 55)" proto udp stateless
lb backend add "$(svc_addr $VIP4 54)" proto udp addr "${BE4[0]}:5353"
check_err "one backend for two stateless nat services" "^Error: backend already serves a stateless nat service" \
	lb backend add "$(svc_addr $VIP4 55)" proto udp addr "${BE4[0]}:5353"
lb service del "$(svc_addr $VIP4 54)" proto udp
lb service del "$(svc_addr $VIP4 55)" proto udp
check_err "dsr backend on another port" "^Error: dsr cannot change ports" \
	lb backend add "$(svc_addr $VIP4 53)" proto udp addr "${BE4[0]}:5353"
check_err "deleting a missing backend" "^Error: backend not found\.$" \
	lb backend del "$SVC" proto tcp addr "${BE4[2]}:8080"
check_err "an unprivileged user cannot add services" "^Error: Operation not permitted\.$" \
	ip netns exec "$lb" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$LBNIC" service add "$VIP4:81" proto tcp
check_eq "nothing changed" "$(lb -j service show)" "$before"

lb service add "$VIP4:81" proto tcp mode fullnat snat $LB4
run lb -j service show
check_eq "fullnat's default SNAT ports stay out of ip_local_port_range" \
	"$(jq_py '[(s["snat_port_min"], s["snat_port_max"]) for s in d if s["port"] == 81]')" \
	"[(1024, $((lo - 1)))]"
lb service del "$VIP4:81" proto tcp

ktap_finished
