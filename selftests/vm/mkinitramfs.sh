#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh KVER OUT: a busybox initramfs that loads what it takes to
# mount the host's root over virtio-9p, puts a tmpfs overlay on it and
# switch_roots into it (see init.sh).  Module dependencies are resolved with
# the host's modprobe against the installed /lib/modules/KVER.
set -euo pipefail

kver=$1
out=$2
here=$(dirname "$(readlink -f "$0")")

busybox=$(command -v busybox) || { echo "busybox-static is not installed" >&2; exit 1; }
! readelf -l "$busybox" | grep -q 'program interpreter' || {
	echo "$busybox is not statically linked (install busybox-static)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp"/{bin,dev,proc,sys,mnt,lib/modules}
cp "$busybox" "$tmp/bin/busybox"
cp "$here/init.sh" "$tmp/init"
chmod 0755 "$tmp/init"

# Load order: each module after its dependencies, each once.
: > "$tmp/modules.order"
for mod in virtio_pci 9pnet_virtio 9p overlay; do
	modprobe -S "$kver" --show-depends "$mod" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
	name=$(basename "$ko")
	case "$name" in
	*.ko.xz) xz -dc "$ko" > "$tmp/lib/modules/${name%.xz}"; name=${name%.xz} ;;
	*.ko) cp "$ko" "$tmp/lib/modules/$name" ;;
	*) echo "unexpected module file $ko" >&2; exit 1 ;;
	esac
	echo "$name" >> "$tmp/modules.order"
done

# Two VMs of one kernel may start together: each writes its own file.
new=$(mktemp "$out.XXXXXX")
trap 'rm -rf "$tmp"; rm -f "$new"' EXIT
(cd "$tmp" && find . | cpio --quiet -o -H newc) | gzip -1 > "$new"
chmod 644 "$new"
mv "$new" "$out"
