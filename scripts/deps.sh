#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh [--bench]: installs, from Debian's archive, everything "make
# check", "make demo" and "make bench" need on a fresh Debian 12 machine;
# the benchmark's plotting library only with --bench (bench/run.sh).
# Idempotent and quiet when all is there already.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")

pkgs=(
	build-essential pkg-config libmnl-dev sparse	# build and static checks
	qemu-system-x86 busybox-static kmod xz-utils cpio	# the VM harness
	iproute2 util-linux python3 jq procps nftables iputils-ping curl	# tests, in the VM
	iperf3 wrk ipvsadm	# make bench and its smoke test, in the VM
	haproxy nginx-light apache2-utils	# the L7 peers and clients (ab), in the VM
	linux-source-6.12 dkms	# checkpatch.pl; dkms.conf is built by dkms
	clang-14 libclang-rt-14-dev	# the HTTP parser's fuzzer (libFuzzer)
	flex bison bc libelf-dev libssl-dev	# make check-debug builds a kernel
)

[ "${1:-}" != --bench ] || pkgs+=(python3-matplotlib)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

export DEBIAN_FRONTEND=noninteractive
# Kernels are only booted under QEMU with our own initramfs: skip Debian's.
export INITRD=No

updated=
apt_update() {
	[ -n "$updated" ] || apt-get update -qq
	updated=1
}

if [ "$("$here/kernels.sh" | wc -l)" -lt 2 ]; then
	apt_update
	for k in $("$here/kernels.sh" --candidates); do
		missing+=("linux-image-$k-unsigned" "linux-headers-$k")
	done
fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	apt_update
	# haproxy and nginx run only in the VM: no service of theirs may start
	# on this machine (a busy port 80 would fail their installation).
	rcd=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		rcd=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\nexit 101\n' > $rcd
		chmod +x $rcd
		trap 'rm -f $rcd' EXIT
	fi
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	[ -z "$rcd" ] || rm -f $rcd
fi

[ "$("$here/kernels.sh" | wc -l)" -eq 2 ] || {
	echo "deps: could not install a 6.12 and a 6.1 kernel with headers" >&2
	exit 1
}
