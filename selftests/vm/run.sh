#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh -k KVER [-t "TEST ..." | -d SCRIPT] [-T SECONDS] [-B] [-n NAME]
#
# Boots a fresh QEMU (TCG) VM on Debian kernel KVER with the host's root
# as a read-only 9p overlay, loads nothing itself, and runs the named
# selftests/net tests (default: all) in it.  Prints kselftest TAP and a
# "# Totals:" line, writes build/KVER/vm/summary ("pass fail skip"), and
# exits non-zero on any failure, VM timeout or kernel splat.  With -d, runs
# SCRIPT (relative to the source tree) instead and prints what it printed.
# -B uses what is built (make check builds everything first, then runs
# kernels side by side: their builds must not race).  -n NAME keeps the
# results in build/KVER/vm-NAME instead of build/KVER/vm, so that VMs of
# one kernel can run side by side (with -B), each with its share of tests.
# LBNIC_VM_MEM (MiB) and LBNIC_VM_APPEND (kernel arguments) size the VM;
# slab_nomerge keeps each module's objects in a slab cache of its own.
set -uo pipefail

here=$(dirname "$(readlink -f "$0")")
src=$(readlink -f "$here/../..")
kver=
tests=
demo=
nobuild=
vm_timeout=${LBNIC_VM_TIMEOUT:-}
vm_mem=${LBNIC_VM_MEM:-1024}
vm_append=${LBNIC_VM_APPEND:-}
name=

while getopts "k:t:d:T:Bn:" opt; do
	case $opt in
	k) kver=$OPTARG ;;
	t) tests=$OPTARG ;;
	d) demo=$OPTARG ;;
	T) vm_timeout=$OPTARG ;;
	B) nobuild=1 ;;
	n) name=$OPTARG ;;
	*) echo "usage: $0 -k KVER [-t \"TEST ...\" | -d SCRIPT] [-T SECONDS] [-B] [-n NAME]" >&2; exit 2 ;;
	esac
done
[ -n "$kver" ] || { echo "usage: $0 -k KVER [-t \"TEST ...\"]" >&2; exit 2; }

kernel=/boot/vmlinuz-$kver
[ -r "$kernel" ] || { echo "no $kernel: install linux-image-$kver-unsigned" >&2; exit 2; }
if [ -z "$tests" ]; then
	tests=$(cd "$src/selftests/net" && for t in *; do
		[ -f "$t" ] && [ -x "$t" ] && echo "$t"; done | tr '\n' ' ')
fi
# The VM's own budget: its tests' (selftests/vm/budget.sh), boot and the
# final rmmod and kmemleak scan; a demo gets ten minutes.
if [ -z "$vm_timeout" ]; then
	if [ -n "$demo" ]; then
		vm_timeout=$((600 * ${LBNIC_TIMEOUT_SCALE:-1}))
	else
		vm_timeout=$(( $(cd "$src/selftests/net" && "$here/budget.sh" -s $tests) +
			       180 * ${LBNIC_TIMEOUT_SCALE:-1} ))
	fi
fi

build=$src/build/$kver
out=$build/vm${name:+-$name}
mkdir -p "$build"
if [ -z "$nobuild" ] && ! { "$src/scripts/build-module.sh" "$kver" &&
	make -C "$src/userspace" && make -C "$src/bench" &&
	make -C "$src/selftests/net/tools"; } > "$build/build.log" 2>&1; then
	tail -n 40 "$build/build.log" >&2
	echo "building lbnic for $kver failed" >&2
	exit 1
fi

initrd=$build/initramfs.cpio.gz
if [ ! -s "$initrd" ] || [ "$here/init.sh" -nt "$initrd" ] ||
   [ "$here/mkinitramfs.sh" -nt "$initrd" ]; then
	"$here/mkinitramfs.sh" "$kver" "$initrd" || exit 1
fi

rm -rf "$out"
mkdir -p "$out/share"
cat > "$out/share/vm.conf" <<CONF
GUEST_INIT='$here/guest.sh'
SRCDIR='$src'
KVER='$kver'
LBNIC_BUILD='$build'
TESTS='$tests'
DEMO='$demo'
CONF
# Test budgets (selftests/vm/budget.sh) and the benchmark's knobs
# (bench/guest.sh) reach the guest as they are.
for v in LBNIC_TEST_TIMEOUT LBNIC_TIMEOUT_SCALE ${!LBNIC_FUZZ_@} ${!BENCH_@}; do
	[ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
done >> "$out/share/vm.conf"

start=$(date +%s%N)
timeout --foreground -k 10 "$vm_timeout" \
qemu-system-x86_64 -accel tcg,thread=multi -cpu "${LBNIC_VM_CPU:-max}" -smp 2 -m "$vm_mem" \
	-nodefaults -no-reboot -display none -nic none \
	-serial "file:$out/console.log" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 panic_on_warn=1 oops=panic loglevel=5 slab_nomerge rdinit=/init $vm_append" \
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
	-virtfs "local,path=$out/share,mount_tag=results,security_model=none,multidevs=remap"
qemu_rc=$?
wall=$(( ($(date +%s%N) - start) / 1000000000 ))

# Host-side verdicts on the VM as a whole, appended to the guest's TAP.
splats=$(grep -E -h 'WARNING:|BUG:|Oops|general protection fault|Kernel panic|UBSAN|unreferenced object|suspected memory leak|possible recursive locking|circular locking dependency|suspicious RCU usage|INFO: task .* blocked|Call Trace:|rcu.*detected stall' \
	"$out/console.log" "$out/share/dmesg.txt" "$out/share/kmemleak.txt" 2>/dev/null |
	sort -u)
vm_checks=()
if [ -s "$out/share/status" ]; then
	vm_checks+=("ok - vm: guest ran to completion")
else
	vm_checks+=("not ok - vm: guest ran to completion # qemu rc=$qemu_rc after ${wall}s")
fi
if [ -z "$splats" ]; then
	vm_checks+=("ok - vm: kernel log free of WARN/BUG/oops/lockdep/leaks")
else
	vm_checks+=("not ok - vm: kernel log free of WARN/BUG/oops/lockdep/leaks")
fi

if [ -n "$demo" ]; then
	cat "$out/share/demo.txt" 2>/dev/null
	printf '%s\n' "${vm_checks[@]}" | grep '^not ok' && exit 1
	exit "$(cat "$out/share/demo-rc" 2>/dev/null || echo 1)"
fi

guest_tap=$(grep -v '^1\.\.' "$out/share/tap.txt" 2>/dev/null)
n=$(printf '%s\n' "$guest_tap" | grep -cE '^(not )?ok ')
{
	echo "# lbnic VM suite on $kver: guest init at $(cat "$out/share/boot-seconds" 2>/dev/null || echo '?') s uptime, VM wall time $wall s"
	echo "TAP version 13"
	echo "1..$((n + ${#vm_checks[@]}))"
	printf '%s\n' "$guest_tap" | grep -v '^TAP version'
	for c in "${vm_checks[@]}"; do
		n=$((n + 1))
		echo "${c/ - / $n }"
	done
	if [ -n "$splats" ]; then
		echo "# kernel log:"
		sed 's/^/#   /' "$out/console.log" | tail -n 80
		sed 's/^/#   /' "$out/share/kmemleak.txt" 2>/dev/null | head -n 80
	fi
} > "$out/tap.txt"

# Count cases: every sub-test line, plus each top-level line that is not a
# script summary, plus a failed script none of whose sub-tests failed.
awk '
	/^# (not )?ok / { sub_seen = 1; if ($2 == "not") sfail++; else if (/# SKIP/) sskip++; else spass++; next }
	/^(not )?ok / {
		if ($0 ~ /selftests: lbnic: .*\.(sh|py)/) {
			if ($1 == "not" && sfail == 0) fail++
			if ($1 == "ok" && / # SKIP/ && spass + sfail + sskip == 0) skip++
		} else if ($1 == "not") fail++
		else if (/# SKIP/) skip++
		else pass++
		pass += spass; fail += sfail; skip += sskip
		spass = sfail = sskip = 0
	}
	END {
		printf "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n", pass, fail, skip
		printf "%d %d %d\n", pass, fail, skip > "/dev/stderr"
	}' "$out/tap.txt" > "$out/totals" 2> "$out/summary"
cat "$out/totals" >> "$out/tap.txt"

cat "$out/tap.txt"
read -r _ fail _ < "$out/summary"
[ "$fail" -eq 0 ]
