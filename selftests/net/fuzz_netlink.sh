#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A million random and mutated generic netlink messages against lbnic
# (tools/nlfuzz.c: every command and attribute, wrong types, lengths and
# nesting), sent as root of a user namespace from namespaces it makes and
# drops as it goes.  Then no WARN, BUG or KASAN report in the kernel log
# (the harness fails the run on any), and lbnic still works: a normal
# configuration balances connections.
# timeout: 300
source "$(dirname "$0")/l4lib.sh"

NLFUZZ=$SRCDIR/selftests/net/tools/nlfuzz
COUNT=${LBNIC_FUZZ_MESSAGES:-1000000}

[ -x "$NLFUZZ" ] || ksft_fail_all "nlfuzz not built (make -C selftests/net/tools)"
lbnic_load || ksft_fail_all "cannot load lbnic"
ktap_plan 5

mark=$(dmesg_mark)
seed=$(( $(date +%s) % 100000 ))
log "seed $seed (LBNIC_FUZZ_SEED to replay)"
seed=${LBNIC_FUZZ_SEED:-$seed}
run "$NLFUZZ" --count "$COUNT" --seed "$seed"
rc=$?
log "nlfuzz: $OUT $ERR"
ktap_result "$COUNT messages sent and every answer read" $rc
check_eq "... every one of them answered or accepted" \
	"$(jq_py 'd["sent"] >= '"$COUNT"' and d["replies"] > 0')" True
check_eq "... some of them got past the policies (a service was made)" \
	"$(jq_py 'd["acks"] > 0')" True
check_eq "the kernel log holds no splat" \
	"$(dmesg_since "$mark" | grep -cE 'WARNING:|BUG:|Oops|KASAN|UBSAN|general protection|lockdep|suspicious RCU')" 0

l4_setup
lb service add $VIP4:80 proto tcp
add_backends $VIP4 80 tcp 8080 "${BE4[@]}"
run in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 20
check_eq "lbnic balances connections afterwards" "$(jq_py 'd["failed"]')" 0

ktap_finished
