#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: "make demo".  Installs what it needs, builds lbnic for the newest
# supported kernel and runs scripts/demo-guest.sh in a fresh VM.
set -euo pipefail

src=$(readlink -f "$(dirname "$0")/..")
cd "$src"
scripts/deps.sh
kver=$(scripts/kernels.sh | sed -n 1p)
make -s -C userspace >/dev/null
echo "lbnic demo: booting Debian $kver under QEMU"
exec selftests/vm/run.sh -k "$kver" -d scripts/demo-guest.sh
