#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad command lines: the CLI refuses what it can check itself, passes the
# rest to the kernel and shows the kernel's extack message as "Error: ...".
# Every failure exits non-zero and changes nothing.
# timeout: 60
source "$(dirname "$0")/lib.sh"

lbnic_load || ksft_fail_all "cannot load lbnic"
ktap_plan 12

before=$(conn_max)

check_err "unknown object" '^Error: object "bogus" is unknown' "$LBNIC" bogus
check_err "keywords are exact, not prefixes" '^Error: object "inf" is unknown' "$LBNIC" inf
check_err "unknown option" '^Error: option "-x" is unknown' "$LBNIC" -x info
check_err "unknown config command" '^Error: unknown argument "frob"' "$LBNIC" config frob
check_err "unknown config keyword" '^Error: unknown argument "conn-maximum"' \
	"$LBNIC" config set conn-maximum 4096
check_err "missing value" '^Error: "conn-max" needs a value' "$LBNIC" config set conn-max
check_err "not a number" '^Error: argument "lots" is wrong' "$LBNIC" config set conn-max lots
check_err "negative number" '^Error: argument "-1" is wrong' "$LBNIC" config set conn-max -1
check_err "nothing to set" '^Error: nothing to set' "$LBNIC" config set
check_err "below the kernel's range: kernel extack shown" \
	'^Error: integer out of range\.$' "$LBNIC" config set conn-max 1
check_err "above the kernel's range: kernel extack shown" \
	'^Error: integer out of range\.$' "$LBNIC" config set conn-max 4294967295
check_eq "nothing changed" "$(conn_max)" "$before"

ktap_finished
