#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test VM after switch_root.  Sets up the few mounts a netns
# test needs, runs the test scripts named in vm.conf as a kselftest runner
# would, saves TAP and the kernel log to the results share, and reboots
# (qemu runs with -no-reboot, so that ends the VM).
R=/lbnic-results
. "$R/vm.conf"

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LBNIC_BUILD KVER SRCDIR LBNIC_RESULTS=$R
hostname lbnic-vm
ip link set lo up
cut -d' ' -f1 /proc/uptime > "$R/boot-seconds"

# reap N: kills what test N left running (its environment names it).
reap() {
	local p left=

	for p in /proc/[0-9]*; do
		grep -qsxz "LBNIC_TEST_RUN=$1" "$p/environ" || continue
		left="$left ${p#/proc/}:$(tr '\0' ' ' < "$p/cmdline" | cut -c1-60)"
		kill -KILL "${p#/proc/}" 2>/dev/null
	done
	[ -z "$left" ] || echo "# left running, killed:$left"
}

run_tests() {
	local n=0 total=0 t rc budget t0

	for t in $TESTS; do total=$((total + 1)); done
	echo "TAP version 13"
	echo "1..$((total + 1))"
	for t in $TESTS; do
		n=$((n + 1))
		budget=$("$SRCDIR/selftests/vm/budget.sh" "$SRCDIR/selftests/net/$t")
		echo "# selftest: lbnic: $t (budget ${budget}s)"
		t0=$(date +%s)
		# Into a file on the results share as it runs (the host can follow
		# it, and a test killed at its budget keeps its output), not a pipe:
		# a process the test left behind would hold a pipe open for ever.
		(cd "$SRCDIR/selftests/net" && LBNIC_TEST_RUN=$n \
			exec timeout -k 10 "$budget" "./$t") > "$R/test-$n.log" 2>&1
		rc=$?
		sed 's/^/# /' "$R/test-$n.log"
		reap $n
		echo "# $t: $(($(date +%s) - t0))s"
		case $rc in
		0) echo "ok $n selftests: lbnic: $t" ;;
		4) echo "ok $n selftests: lbnic: $t # SKIP" ;;
		124|137) echo "not ok $n selftests: lbnic: $t # TIMEOUT $budget seconds" ;;
		*) echo "not ok $n selftests: lbnic: $t # exit=$rc" ;;
		esac
	done

	# The module must come out cleanly after everything the tests did.
	n=$((n + 1))
	if ! grep -q '^lbnic ' /proc/modules || rmmod lbnic; then
		echo "ok $n selftests: lbnic: module unloads cleanly"
	else
		echo "not ok $n selftests: lbnic: module unloads cleanly"
	fi
}

if [ -n "${DEMO:-}" ]; then
	(cd "$SRCDIR" && "./$DEMO") > "$R/demo.txt" 2>&1
	echo "$?" > "$R/demo-rc"
else
	run_tests > "$R/tap.txt" 2>&1
fi
# A kmemleak kernel (scripts/debug-kernel.sh) is asked for leaks last.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > "$R/kmemleak.txt"
fi
dmesg > "$R/dmesg.txt"
echo done > "$R/status"
sync
reboot -f
