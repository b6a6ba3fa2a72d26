#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 100,000 crafted packets toward VIPs of every mode (pkttool.py fuzz:
# truncated headers, bad IHL and TCP data offsets, options, IPv6 extension
# chains, fragments, ICMP errors quoting garbage or other flows, mutated
# packets).  Then no splat in the kernel log (the harness fails the run on
# any), no entry left once the timeouts pass, and lbnic still works.
# timeout: 300
source "$(dirname "$0")/l4lib.sh"

COUNT=${LBNIC_FUZZ_PACKETS:-100000}

l4_setup
ktap_plan 5

lb config set timeout tcp-syn 2 timeout tcp-est 2 timeout tcp-fin 2 \
	timeout tcp-close 2 timeout udp 2
lb service add $VIP4:80 proto tcp mode nat
add_backends $VIP4 80 tcp 8080 "${BE4[@]}"
lb service add $VIP4:80 proto udp mode fullnat snat $LB4
add_backends $VIP4 80 udp 8080 "${BE4[@]}"
lb service add $VIP4:53 proto udp mode nat stateless
add_backends $VIP4 53 udp 8080 "${BE4[@]}"
lb service add "[$VIP6]:80" proto tcp mode dsr
add_backends $VIP6 80 tcp 80 "${BE6[@]}"
lb service add "[$VIP6]:80" proto udp mode nat
add_backends $VIP6 80 udp 8080 "${BE6[@]}"
lb service add "[$VIP6]:81" proto tcp mode fullnat snat $LB6
add_backends $VIP6 81 tcp 8080 "${BE6[@]}"

mark=$(dmesg_mark)
seed=${LBNIC_FUZZ_SEED:-$(( $(date +%s) % 100000 ))}
log "seed $seed (LBNIC_FUZZ_SEED to replay)"
run from_cli --seed "$seed" fuzz --vip $VIP4 --vip $VIP6 --client $CLI4 \
	--client $CLI6 --ports 80 81 53 --count "$COUNT"
log "pkttool: $OUT $ERR"
check_eq "$COUNT crafted packets sent" "$(jq_py 'd["sent"]')" "$COUNT"
run lb -s -j info
log "lbnic after them: $(jq_py '{k: d[k] for k in ("conn_count", "conn_refused")}') $(jq_py 'd["stats"]')"
check_eq "the kernel log holds no splat" \
	"$(dmesg_since "$mark" | grep -cE 'WARNING:|BUG:|Oops|KASAN|UBSAN|general protection|lockdep|suspicious RCU')" 0
table_empty() { [ "$(conn_count)" = 0 ]; }
busywait 120000 table_empty
ktap_result "every entry they made expires: none leaked" $?
run in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 20
check_eq "lbnic balances connections afterwards" "$(jq_py 'd["failed"]')" 0
run in_cli $L4TOOL dist --vip $VIP6 --port 80 --proto udp --count 20
check_eq "... over IPv6 too" "$(jq_py 'd["failed"]')" 0

ktap_finished
