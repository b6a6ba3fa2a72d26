#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# offloadlib.sh: what the offload tests share on top of l4lib.sh: lbnicd
# in the LB netns, its status file, and the rules it installs.
source "$(dirname "${BASH_SOURCE[0]}")/l4lib.sh"

LBNICD=${LBNICD:-$SRCDIR/userspace/lbnicd}
PRIO=49152	# lbnicd's TC priority

require_cmd tc
[ -x "$LBNICD" ] || ksft_fail_all "lbnicd not built (make -C userspace)"

STATUS=$(mktemp)
on_exit rm -f "$STATUS" "$STATUS.tmp"

# agent_start POLICY [options]: lbnicd in the LB netns, until it reports.
# Later options override the defaults here (-i).
agent_start() {
	local policy=$1

	shift
	rm -f "$STATUS"
	bg ip netns exec "$lb" "$LBNICD" -f -p "$policy" -i 200 -S "$STATUS" "$@"
	AGENT=${BG_PIDS[-1]}
	busywait 20000 test -s "$STATUS"
}

agent_stop() {
	kill "$AGENT"
	wait "$AGENT" 2>/dev/null
}

# status KEY: a number from the agent's status file (0 if absent).
status() {
	awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' "$STATUS"
}

# rules DEV: the agent's rules on DEV.
rules() {
	tc -n "$lb" filter show dev "$1" ingress prio $PRIO | grep -c "^filter .* handle "
}

no_rules() {
	[ "$(rules l0)" = 0 ] && [ "$(rules br0)" = 0 ]
}

# count_offload STATE N: at least N connections are in offload STATE.
count_offload() {
	[ "$(lb conn show | grep -c "offload $1")" -ge "$2" ]
}
