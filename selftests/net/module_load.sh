#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading and unloading lbnic.ko: repeatedly, with parameters, and with
# network namespaces that outlive a load.
source "$(dirname "$0")/lib.sh"

ITERATIONS=20

ktap_plan 7

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

ktap_finished
