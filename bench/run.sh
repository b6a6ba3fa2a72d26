#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: "make bench".  Installs what it needs, builds lbnic for the newest
# supported kernel, runs bench/guest.sh in one VM boot and prints the
# report; build/bench/ then holds results.md, results.json (every sample,
# every knob), ratios.png and ratios.svg, bench.tsv (the raw rows) and
# log.txt.  BENCH_* variables (see bench/guest.sh, scenarios.sh,
# metrics.sh) pass through to the VM, e.g. BENCH_REPS=12 or
# BENCH_SCENARIOS="route lbnic-nat"; BENCH_QUICK=1 (make bench QUICK=1)
# runs fewer rounds.
set -euo pipefail

src=$(readlink -f "$(dirname "$0")/..")
cd "$src"
scripts/deps.sh --bench
kver=${BENCH_KVER:-$(scripts/kernels.sh | sed -n 1p)}
out=$src/build/bench
mkdir -p "$out"
[ -n "${BENCH_QUICK:-}" ] || unset BENCH_QUICK
echo "lbnic bench: booting Debian $kver under QEMU (about 40 minutes${BENCH_QUICK:+; QUICK: fewer rounds})"
# 300k connections of three kinds one after another, 2^20-bucket tables
# and eleven topologies side by side need room.
LBNIC_VM_MEM=${LBNIC_VM_MEM:-3072} \
LBNIC_VM_TIMEOUT=${LBNIC_VM_TIMEOUT:-3600} \
	selftests/vm/run.sh -k "$kver" -d bench/guest.sh | tee "$out/log.txt"
cp "build/$kver/vm/share/bench.tsv" "$out/bench.tsv"
echo
rc=0
# Debian's interpreter, which deps.sh gave matplotlib (not whatever python3
# a PATH finds first, such as a pyenv shim).
/usr/bin/python3 bench/report.py "$out/bench.tsv" "$out/results.json" --plot "$out/ratios" \
	--commit "$(git describe --always --dirty 2>/dev/null || echo unknown)" |
	tee "$out/results.md" || rc=$?
echo
echo "written: $out/results.md $out/results.json $out/ratios.png $out/ratios.svg"
exit $rc
