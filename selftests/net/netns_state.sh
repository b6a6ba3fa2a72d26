#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Each network namespace has its own lbnic state; "lbnic -n" and
# "ip netns exec" reach the same one; -j output is JSON; -b runs batches.
# timeout: 90
source "$(dirname "$0")/lib.sh"

require_cmd python3
lbnic_load || ksft_fail_all "cannot load lbnic"
ktap_plan 13

setup_ns nsa nsb

default=$(conn_max)
check_eq "both netns start from the default" \
	"$(conn_max -n "$nsa") $(conn_max -n "$nsb")" "$default $default"

check_ok "set conn-max in one netns" "$LBNIC" -n "$nsa" config set conn-max 2048
check_eq "that netns shows the new value" "$(conn_max -n "$nsa")" 2048
check_eq "the other netns is untouched" "$(conn_max -n "$nsb")" "$default"
check_eq "the initial netns is untouched" "$(conn_max)" "$default"
check_eq "ip netns exec sees the same state as -n" \
	"$(ip netns exec "$nsa" "$LBNIC" -j config show)" "$("$LBNIC" -n "$nsa" -j config show)"

run "$LBNIC" -j info
check_ok "info -j is JSON with version, features and conn_max" python3 -c '
import json, re, sys
d = json.loads(sys.argv[1])
assert re.fullmatch(r"\d+\.\d+\.\d+", d["version"]), d
assert isinstance(d["features"], list)
assert isinstance(d["conn_max"], int)' "$OUT"
run "$LBNIC" -j -p version
check_ok "version -j -p is JSON with utility and module" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["utility"] == d["module"], d' "$OUT"

check_err "unknown netns is refused" "cannot open network namespace" \
	"$LBNIC" -n "no-such-ns-$$" info

batch=$(mktemp)
printf '%s\n' "# comment" "config set conn-max 4096" "" "info" > "$batch"
check_ok "batch file runs every line" "$LBNIC" -n "$nsb" -b "$batch"
check_eq "batch took effect" "$(conn_max -n "$nsb")" 4096

printf '%s\n' "config set conn-max 8192" "config set bogus 1" "config set conn-max 16384" > "$batch"
check_err "batch stops at the failing line and names it" "Command failed $batch:2" \
	"$LBNIC" -n "$nsb" -b "$batch"
check_eq "lines after the failure did not run" "$(conn_max -n "$nsb")" 8192
rm -f "$batch"

ktap_finished
