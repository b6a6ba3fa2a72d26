#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test VM's initramfs: mount the host root read-only over 9p,
# lay a tmpfs overlay on it, and switch_root into the guest script named in
# the results share's vm.conf.  switch_root (not chroot) so the kernel's
# usermode modprobe runs in the host root, where /lib/modules lives.
/bin/busybox --install -s /bin
export PATH=/bin

die() {
	echo "lbnic-vm: init: $*" > /dev/console
	echo 1 > /proc/sys/kernel/sysrq 2>/dev/null
	reboot -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

for m in $(cat /modules.order); do
	insmod "/lib/modules/$m" || die "cannot load $m"
done

mkdir -p /mnt/lower /mnt/rw /mnt/root /results
# Uncached: what the guest writes there reaches the host at once, so a run
# can be followed, and a VM that dies keeps what it wrote.
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 \
	results /results || die "cannot mount the results share"
. /results/vm.conf || die "no vm.conf in the results share"

mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 \
	hostroot /mnt/lower || die "cannot mount the host root"
mount -t tmpfs -o size=256m tmpfs /mnt/rw
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay overlay \
	-o lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work \
	/mnt/root || die "cannot mount the overlay root"

mkdir -p /mnt/root/lbnic-results
mount --move /results /mnt/root/lbnic-results
mount --move /dev /mnt/root/dev
umount /sys /proc

exec switch_root /mnt/root "$GUEST_INIT"
