#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: "make bench".  Installs what it needs, builds lbnic for the newest
# supported kernel, runs bench/guest.sh in one VM boot and prints the table;
# the JSON lands in build/bench/results.json, the raw runs beside it.
# BENCH_* variables (see bench/guest.sh, scenarios.sh, metrics.sh) pass
# through to the VM, e.g. BENCH_REPS=5 or BENCH_SCENARIOS="baseline lbnic-nat".
set -euo pipefail

src=$(readlink -f "$(dirname "$0")/..")
cd "$src"
scripts/deps.sh
kver=${BENCH_KVER:-$(scripts/kernels.sh | sed -n 1p)}
out=$src/build/bench
mkdir -p "$out"
echo "lbnic bench: booting Debian $kver under QEMU (about 14 minutes)"
# 1M connections of three kinds one after another need room.
LBNIC_VM_MEM=${LBNIC_VM_MEM:-3072} \
LBNIC_VM_TIMEOUT=${LBNIC_VM_TIMEOUT:-1500} \
	selftests/vm/run.sh -k "$kver" -d bench/guest.sh | tee "$out/log.txt"
cp "build/$kver/vm/share/bench.tsv" "$out/bench.tsv"
echo
bench/report.py "$out/bench.tsv" "$out/results.json" | tee "$out/results.md"
echo
echo "written: $out/results.md $out/results.json"
