#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh: checkpatch.pl --strict over every kernel-side file.  Debian
# ships checkpatch.pl only inside linux-source-6.12's tarball, so the script
# and its data files are unpacked once into build/checkpatch/.
set -euo pipefail

src=$(readlink -f "$(dirname "$0")/..")
cp_dir=$src/build/checkpatch
tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)

if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	[ -n "$tarball" ] || { echo "install linux-source-6.12 for checkpatch.pl" >&2; exit 2; }
	mkdir -p "$cp_dir"
	tar -xJf "$tarball" -C "$cp_dir" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi

cd "$src"
"$cp_dir/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
	-f Kbuild kmod/*.c kmod/*.h bench/kmod/*.c include/uapi/linux/*.h
