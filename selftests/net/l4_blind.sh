#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Blind attacks on a live fullnat connection: an attacker who knows its
# addresses and ports, but not its sequence numbers, sends an RST or a FIN
# and then a SYN, as if the client had closed and reconnected.  Were lbnic
# to believe them, the SYN would be scheduled afresh with a new SNAT port
# and the real connection would die.  lbnic forwards them for the end host
# to judge (RFC 5961), changes nothing and counts them; the connection goes
# on.  The same from the backend's side.  (l4_pcc.sh shows that a real
# close does let a client reuse its port.)
# timeout: 180
source "$(dirname "$0")/l4lib.sh"

l4_setup
ktap_plan 7

STOP=$(mktemp -u)
RESULT=$(mktemp)
on_exit rm -f "$STOP" "$RESULT"

lb service add $VIP4:80 proto tcp mode fullnat snat $LB4
add_backends $VIP4 80 tcp 8080 "${BE4[@]}"

# entry FIELD: FIELD of the one established connection.
entry() {
	lb -j conn show | python3 -c '
import json, sys
c = [c for c in json.load(sys.stdin) if c["state"] == "ESTABLISHED"]
print(c[0][sys.argv[1]] if len(c) == 1 else "")' "$1"
}
has_entry() { [ -n "$(entry client_port)" ]; }

bg in_cli $L4TOOL stream --vip $VIP4 --port 80 --rate 65536 --until "$STOP" > "$RESULT"
xfer=${BG_PIDS[-1]}
busywait 60000 has_entry
ktap_result "a connection is established" $?
cport=$(entry client_port)
lport=$(entry local_port)
backend=$(entry backend)
log "client port $cport, SNAT port $lport, backend $backend"

# blind_then_syn FLAGS SEQ ACK SYN_SEQ: from the client's address and port,
# a teardown with guessed numbers (any fixed pair is as good as a random
# one), then a SYN that would reuse the port were the teardown honoured.
blind_then_syn() {
	from_cli tcp --src $CLI4 --sport "$cport" --dst $VIP4 --dport 80 \
		--flags "$1" --seq "$2" --ack "$3" >/dev/null
	from_cli tcp --src $CLI4 --sport "$cport" --dst $VIP4 --dport 80 \
		--flags S --seq "$4" >/dev/null
}

ignored=$(lb_stat tcp_ignored)
blind_then_syn RA 12345 67890 424242
busywait 20000 stat_reaches tcp_ignored $((ignored + 1))
ktap_result "a blind RST is counted and not acted on" $?
check_eq "... and the SYN after it kept the connection's SNAT port" \
	"$(entry local_port)" "$lport"

blind_then_syn FA 23456 78901 434343
busywait 20000 stat_reaches tcp_ignored $((ignored + 2))
ktap_result "a blind FIN is counted and not acted on" $?

# From the backend's side, toward the SNAT port, as the reply would come.
from_cli tcp --src "$backend" --sport 8080 --dst $LB4 --dport "$lport" \
	--flags RA --seq 34567 --ack 89012 >/dev/null
busywait 20000 stat_reaches tcp_ignored $((ignored + 3))
ktap_result "a blind RST spoofing the backend is counted and not acted on" $?
check_eq "the connection is still ESTABLISHED on its SNAT port" \
	"$(entry local_port)" "$lport"

touch "$STOP"
wait "$xfer"
rc=$?
log "transfer: $(cat "$RESULT")"
ktap_result "the connection went on, byte for byte, and closed cleanly" $rc

ktap_finished
