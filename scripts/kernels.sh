#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh [--candidates]: the kernels lbnic is built and tested for, one
# release per line: the newest Debian 6.12 and 6.1 amd64 kernels that have
# both an image and headers installed.  With --candidates, the newest of
# each line that apt could install instead.
set -euo pipefail

lines=('6\.12\.[0-9]+\+deb12-amd64' '6\.1\.0-[0-9]+-amd64')

if [ "${1:-}" = --candidates ]; then
	for re in "${lines[@]}"; do
		apt-cache pkgnames linux-image- |
			sed -nE "s/^linux-image-($re)-unsigned$/\1/p" |
			sort -V | tail -n 1
	done
	exit 0
fi

for re in "${lines[@]}"; do
	for k in $(ls /boot 2>/dev/null | sed -nE "s/^vmlinuz-($re)$/\1/p" | sort -rV); do
		if [ -d "/lib/modules/$k/build" ]; then
			echo "$k"
			break
		fi
	done
done
