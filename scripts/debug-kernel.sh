#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: builds, once, a 6.12 kernel with KASAN, lockdep
# (PROVE_LOCKING, PROVE_RCU), kmemleak, DEBUG_NET and DEBUG_ATOMIC_SLEEP
# from Debian's linux-source-6.12, and installs it as /boot/vmlinuz-KVER
# with its headers tree under /lib/modules/KVER, so that selftests/vm/run.sh
# can boot it like any other kernel.  Prints KVER.  Everything lbnic's tests
# need is built in.
#
# The build is kept outside any clone, in LBNIC_CACHE (default
# /var/cache/lbnic), under a name made of this configuration and the
# source package's version: clones and CI runs on one machine build it once.
set -euo pipefail

tarball=/usr/src/linux-source-6.12.tar.xz
[ -r "$tarball" ] || { echo "install linux-source-6.12" >&2; exit 2; }
config=$(sed -n "/^cat > lbnic-debug.config <<'CFG'$/,/^CFG$/p" "$0")
key=$( { dpkg-query -W -f='${Version}' linux-source-6.12; echo "$config"; } |
	sha256sum | cut -c1-12)
cache=${LBNIC_CACHE:-/var/cache/lbnic}
out=$cache/debug-kernel-$key

if [ ! -f "$out/.built" ]; then
	echo "debug-kernel: building $out (once, about 10 minutes)" >&2
	# Builds of other configurations are stale: 2 GB each.  (On a fresh
	# machine the cache does not exist, and find would fail the script.)
	mkdir -p "$cache"
	find "$cache" -maxdepth 1 -name 'debug-kernel-*' ! -name "debug-kernel-$key" \
		-exec rm -rf {} + 2>/dev/null
	rm -rf "$out"
	mkdir -p "$out"
	tar -xJf "$tarball" -C "$out" --strip-components=1
	cd "$out"
	make -s allnoconfig
cat > lbnic-debug.config <<'CFG'
CONFIG_LOCALVERSION="-lbnic-debug"
CONFIG_64BIT=y
CONFIG_SMP=y
CONFIG_NR_CPUS=4
CONFIG_PCI=y
CONFIG_VIRTIO_MENU=y
CONFIG_VIRTIO=y
CONFIG_VIRTIO_PCI=y
CONFIG_TTY=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_PRINTK=y
CONFIG_BUG=y
CONFIG_MULTIUSER=y
CONFIG_FUTEX=y
CONFIG_EPOLL=y
CONFIG_SIGNALFD=y
CONFIG_TIMERFD=y
CONFIG_EVENTFD=y
CONFIG_SHMEM=y
CONFIG_FILE_LOCKING=y
CONFIG_POSIX_TIMERS=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_RD_GZIP=y
CONFIG_BINFMT_ELF=y
CONFIG_BINFMT_SCRIPT=y
CONFIG_PROC_FS=y
CONFIG_SYSFS=y
CONFIG_TMPFS=y
CONFIG_DEVTMPFS=y
CONFIG_OVERLAY_FS=y
CONFIG_NETWORK_FILESYSTEMS=y
CONFIG_9P_FS=y
CONFIG_NET_9P=y
CONFIG_NET_9P_VIRTIO=y
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_NAMESPACES=y
CONFIG_NET_NS=y
CONFIG_USER_NS=y
CONFIG_UTS_NS=y
CONFIG_NET=y
CONFIG_UNIX=y
CONFIG_PACKET=y
CONFIG_INET=y
CONFIG_SYN_COOKIES=y
CONFIG_IPV6=y
CONFIG_NETFILTER=y
CONFIG_NETFILTER_ADVANCED=y
CONFIG_NF_CONNTRACK=y
CONFIG_NF_TABLES=y
CONFIG_NF_TABLES_INET=y
CONFIG_NFT_CT=y
CONFIG_NFT_COUNTER=y
CONFIG_NF_TABLES_IPV4=y
CONFIG_NF_TABLES_IPV6=y
CONFIG_NETDEVICES=y
CONFIG_NET_CORE=y
CONFIG_VETH=y
CONFIG_BRIDGE=y
CONFIG_NET_SCHED=y
CONFIG_NET_CLS=y
CONFIG_NET_CLS_ACT=y
CONFIG_NET_CLS_FLOWER=y
CONFIG_NET_SCH_INGRESS=y
CONFIG_NET_ACT_PEDIT=y
CONFIG_NET_ACT_CSUM=y
CONFIG_NET_ACT_MIRRED=y
CONFIG_CGROUPS=y
CONFIG_MEMCG=y
CONFIG_DEBUG_KERNEL=y
CONFIG_DEBUG_NET=y
CONFIG_KALLSYMS=y
CONFIG_STACKTRACE=y
CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_INLINE=y
CONFIG_PROVE_LOCKING=y
CONFIG_PROVE_RCU=y
CONFIG_DEBUG_ATOMIC_SLEEP=y
CONFIG_DEBUG_KMEMLEAK=y
CONFIG_DEBUG_KMEMLEAK_AUTO_SCAN=n
CONFIG_SLUB_DEBUG=y
CONFIG_DEBUG_LIST=y
CONFIG_DEBUG_OBJECTS=y
CONFIG_DEBUG_OBJECTS_RCU_HEAD=y
CONFIG_UNWINDER_FRAME_POINTER=y
CFG
	./scripts/kconfig/merge_config.sh -m .config lbnic-debug.config >/dev/null
	make -s olddefconfig
	# Refuse a config that silently lost a debug option.
	for opt in KASAN PROVE_LOCKING PROVE_RCU DEBUG_KMEMLEAK DEBUG_NET \
		DEBUG_ATOMIC_SLEEP VETH BRIDGE NF_TABLES NF_TABLES_INET NFT_CT \
		NF_DEFRAG_IPV4 NF_DEFRAG_IPV6 NET_CLS_FLOWER NET_SCH_INGRESS \
		NET_ACT_PEDIT NET_ACT_CSUM NET_ACT_MIRRED MEMCG NET_9P_VIRTIO 9P_FS \
		OVERLAY_FS USER_NS; do
		grep -q "^CONFIG_$opt=y" .config || { echo "CONFIG_$opt did not stick" >&2; exit 1; }
	done
	make -s -j"$(nproc)" bzImage modules
	make -s modules_prepare
	touch .built
fi
cd "$out"
kver=$(make -s kernelrelease)
# Installed unless this very build is: an older one has the same release.
if ! cmp -s arch/x86/boot/bzImage "/boot/vmlinuz-$kver" ||
   [ "$(readlink "/lib/modules/$kver/build")" != "$out" ]; then
	install -m 0644 arch/x86/boot/bzImage "/boot/vmlinuz-$kver"
	make -s modules_install >/dev/null
	ln -sfn "$out" "/lib/modules/$kver/build"
fi
echo "$kver"
