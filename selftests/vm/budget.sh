#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# budget.sh TEST...: the seconds each test may take, one per line, and with
# -s their sum.  A test states its own in a "# timeout: SECONDS" line: about
# four times what it takes on an idle 2-core machine under TCG, so that a
# slower or loaded machine still passes while a hung test is still caught.
# LBNIC_TIMEOUT_SCALE multiplies them (a debug kernel runs several times
# slower); tests without the line get LBNIC_TEST_TIMEOUT, 300 by default.
set -euo pipefail

sum=
[ "${1:-}" = -s ] && { sum=0; shift; }
scale=${LBNIC_TIMEOUT_SCALE:-1}
for t in "$@"; do
	b=$(sed -nE 's/^# timeout: ([0-9]+)$/\1/p' "$t" | head -n 1)
	b=$(( ${b:-${LBNIC_TEST_TIMEOUT:-300}} * scale ))
	if [ -n "$sum" ]; then sum=$((sum + b)); else echo "$b"; fi
done
[ -z "$sum" ] || echo "$sum"
