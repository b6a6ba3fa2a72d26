#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KVER [KBUILD ARGS...]: build lbnic.ko and the table
# microbenchmark lbnic_bench.ko for one installed kernel into build/KVER/.  Kbuild before 6.13 cannot put an external
# module's objects outside its source tree, so each kernel gets its own
# copy of the sources (mtimes kept, so rebuilds stay incremental).
set -euo pipefail

src=$(readlink -f "$(dirname "$0")/..")
kver=$1
shift
kdir=/lib/modules/$kver/build
[ -d "$kdir" ] || { echo "no $kdir: install linux-headers-$kver" >&2; exit 2; }

obj=$src/build/$kver/src
mkdir -p "$obj"
mkdir -p "$obj/bench"
cp -a "$src/Kbuild" "$src/kmod" "$src/include" "$obj/"
cp -a "$src/bench/kmod" "$obj/bench/"
make -C "$kdir" M="$obj" LBNIC_BENCH=m "$@" modules
cp "$obj/lbnic.ko" "$obj/lbnic_bench.ko" "$src/build/$kver/"
