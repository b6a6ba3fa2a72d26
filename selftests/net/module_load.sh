#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading lbnic.ko: repeatedly, with parameters, with
# network namespaces that outlive a load, and with a configuration and
# traffic in place: unload must wait for every RCU callback lbnic queued,
# including those its callbacks queue (a scheduler snapshot frees its
# backends, a backend its service).
# timeout: 600
source "$(dirname "$0")/l4lib.sh"

ITERATIONS=20
CYCLES=50

ktap_plan 8

lbnic_unload

fails=0
for i in $(seq $ITERATIONS); do
	if ! lbnic_load; then
		log "iteration $i: load failed"; fails=$((fails + 1)); continue
	fi
	"$LBNIC" info >/dev/null || { log "iteration $i: info failed"; fails=$((fails + 1)); }
	lbnic_unload || { log "iteration $i: unload failed"; fails=$((fails + 1)); }
done
ktap_result "load, query and unload $ITERATIONS times" $fails

check_err "family is gone after unload" "module is not loaded" "$LBNIC" info

lbnic_load conn_max=4096
check_eq "conn_max module parameter sets the default" "$(conn_max)" 4096
lbnic_unload

mark=$(dmesg_mark)
check_err "out-of-range conn_max refuses to load" "." lbnic_load conn_max=5
if dmesg_since "$mark" | grep -q "conn_max=5 is outside"; then
	ktap_test_pass "the refusal is explained in the kernel log"
else
	ktap_test_fail "the refusal is explained in the kernel log"
fi

setup_ns early
lbnic_load
check_eq "netns created before load gets default state" \
	"$("$LBNIC" -n "$early" -j info | python3 -c 'import json,sys; print(json.load(sys.stdin)["conn_max"])')" 1048576

# The netns outlives this load: its state must go with the module and come
# back fresh, not stale, on the next load.
"$LBNIC" -n "$early" config set conn-max 2048
lbnic_unload && lbnic_load
check_eq "reload resets state of a netns that outlived the module" \
	"$(conn_max -n "$early")" 1048576

# Two TCP and two UDP exchanges through lbnic, by bash's /dev/tcp and
# /dev/udp in one shell (a Python start costs more than a whole cycle under
# TCG, a process start in the client's netns a good part of one); dd reads
# each answer datagram whole, where bash's read would take it a byte at a
# time.
traffic() {
	in_cli timeout $((20 * ${LBNIC_TIMEOUT_SCALE:-1})) bash -c '
		for i in 1 2; do
			exec 3<>/dev/tcp/'$VIP4'/80 && echo WHO >&3 &&
				read -r -u 3 who tcp && exec 3>&- &&
			exec 4<>/dev/udp/'$VIP4'/81 && echo WHO >&4 &&
				udp=$(dd bs=256 count=1 <&4 2>/dev/null) && exec 4>&- &&
			[ -n "$tcp" ] && [ -n "$udp" ] || exit 1
			tcp= udp=
		done'
}

# step DESC CMD...: CMD, or a log line saying which step failed.
step() {
	local desc=$1

	shift
	"$@" || { log "$desc failed"; return 1; }
}

# cycle: load, services and backends, connections, a backend removed
# without flush (its entries hold it), unload with all of it in place.
cycle() {
	step load lbnic_load &&
	step configure lb -b - <<-EOF &&
		service add $VIP4:80 proto tcp sched maglev
		backend add $VIP4:80 proto tcp addr ${BE4[0]}:8080
		backend add $VIP4:80 proto tcp addr ${BE4[1]}:8080
		service add $VIP4:81 proto udp sched wrr
		backend add $VIP4:81 proto udp addr ${BE4[0]}:8080
		backend add $VIP4:81 proto udp addr ${BE4[1]}:8080
	EOF
	step traffic traffic &&
	step reconfigure lb -b - <<-EOF &&
		backend del $VIP4:80 proto tcp addr ${BE4[0]}:8080
		backend set $VIP4:81 proto udp addr ${BE4[1]}:8080 weight 5
	EOF
	step unload lbnic_unload
}

lbnic_unload
l4_setup
fails=0
for i in $(seq $CYCLES); do
	cycle || { log "cycle $i failed"; fails=$((fails + 1)); lbnic_unload; }
done
ktap_result "$CYCLES cycles of load, configure, traffic and unload" $fails

ktap_finished
