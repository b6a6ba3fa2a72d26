#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: what "make check" and CI run.  Installs dependencies, builds and
# statically checks lbnic for every supported kernel, runs the VM suite on
# each and part of it on a KASAN/lockdep/kmemleak kernel, and ends with one
# line: "N passed, N failed, N skipped".
#
# A VM keeps about one core busy, so the VMs run in two lanes that take
# them from one queue: each kernel's suite in three VMs, and the debug
# kernel's share in two.  That kernel is built once per machine and kept
# outside the clone (scripts/debug-kernel.sh); on a fresh machine its build
# starts with the static checks, and the second lane waits for it.  Tests
# never depend on the machine's speed, so this load is theirs to bear.
set -uo pipefail

src=$(readlink -f "$(dirname "$0")/..")
cd "$src" || exit 1
logs=$src/build/check
now() { date +%s; }

t0=$(now)
scripts/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
t_deps=$(( $(now) - t0 ))
mapfile -t kernels < <(scripts/kernels.sh)

rm -rf "$logs"
mkdir -p "$logs"
pass=0 fail=0 skip=0 n=0

# static_check DESC CMD...: one TAP line; the log's tail on failure.
static_check() {
	local desc=$1 log

	shift
	n=$((n + 1))
	log=$logs/$n.log
	if "$@" >"$log" 2>&1; then
		pass=$((pass + 1))
		echo "ok $n $desc"
	else
		fail=$((fail + 1))
		echo "not ok $n $desc"
		tail -n 40 "$log" | sed 's/^/#   /'
	fi
}

# Builds from scratch so every file is compiled (and checked) again.
build_clean() {
	local out

	rm -rf "build/$1/src"
	out=$(scripts/build-module.sh "$1" W=1 C=2 CHECK="sparse -Wsparse-error" 2>&1)
	local rc=$?
	echo "$out"
	[ $rc -eq 0 ] && ! grep -E 'warning:|error:' <<<"$out"
}

userspace_clean() {
	make -C userspace clean && make -C userspace CFLAGS="-O2 -g -Werror"
}

tools_clean() {
	make -C selftests/net/tools clean && make -C bench clean &&
		make -C selftests/net/tools CFLAGS="-O2 -g -Werror" && make -C bench
}

# The parser's own suite and a short fuzz; "make fuzz" runs 10 million.
HTTP_FUZZ_RUNS=500000
http_unit() {
	make -C selftests/http clean && make -C selftests/http check
}

http_fuzz() {
	make -C selftests/http fuzz FUZZ_RUNS=$HTTP_FUZZ_RUNS
}

versions_agree() {
	local k u d

	k=$(sed -nE 's/^#define LBNIC_VERSION "(.*)"/\1/p' kmod/lbnic.h)
	u=$(sed -nE 's/^#define LBNIC_UTIL_VERSION "(.*)"/\1/p' userspace/lbnic.h)
	d=$(sed -nE 's/^PACKAGE_VERSION="(.*)"/\1/p' dkms.conf)
	echo "module=$k utility=$u dkms=$d"
	[ -n "$k" ] && [ "$k" = "$u" ] && [ "$k" = "$d" ]
}

uapi_standalone() {
	echo '#include <linux/lbnic.h>' |
		gcc -std=c99 -Wall -Wextra -Werror -pedantic -fsyntax-only \
			-Iinclude/uapi -x c -
}

# In a copy of the tree, as a user's clone would be: kbuild's clean there
# would also delete what build/ holds for the VMs.
install_staged() {
	local tmp rc

	tmp=$(mktemp -d)
	mkdir -p "$tmp/src" "$tmp/stage"
	git ls-files -z | xargs -0 cp --parents -t "$tmp/src"
	make -C "$tmp/src" install KDIR="/lib/modules/$1/build" DESTDIR="$tmp/stage" &&
		ls "$tmp/stage/lib/modules/$1/extra/"lbnic.ko* "$tmp/stage/usr/sbin/lbnic" \
			"$tmp/stage/usr/sbin/lbnicd" \
			"$tmp/stage/usr/lib/systemd/system/lbnicd.service" \
			"$tmp/stage/usr/share/man/man8/lbnic.8" \
			"$tmp/stage/usr/share/man/man8/lbnicd.8"
	rc=$?
	rm -rf "$tmp"
	return $rc
}

dkms_build() {
	local tmp ver rc

	ver=$(sed -nE 's/^PACKAGE_VERSION="(.*)"/\1/p' dkms.conf)
	tmp=$(mktemp -d)
	mkdir -p "$tmp/src/lbnic-$ver" "$tmp/tree"
	git ls-files -z | xargs -0 cp --parents -t "$tmp/src/lbnic-$ver"
	dkms build -m lbnic -v "$ver" -k "$1" --sourcetree "$tmp/src" \
		--dkmstree "$tmp/tree" &&
		ls "$tmp/tree/lbnic/$ver/$1/"*/module/lbnic.ko*
	rc=$?
	rm -rf "$tmp"
	return $rc
}

# It reads nothing in the tree, so it can build beside the static checks.
scripts/debug-kernel.sh > "$logs/debug-kernel.log" 2>&1 &
dk_pid=$!

t0=$(now)
echo "# static checks"
echo "TAP version 13"
for k in "${kernels[@]}"; do
	static_check "lbnic.ko builds for $k, W=1 and sparse clean" build_clean "$k"
done
static_check "userspace builds with -Werror" userspace_clean
static_check "test tools and the benchmark's server build with -Werror" tools_clean
static_check "checkpatch.pl --strict is clean" scripts/checkpatch.sh
static_check "UAPI header compiles on its own" uapi_standalone
static_check "HTTP parser unit tests pass (ASan, UBSan)" http_unit
static_check "HTTP parser survives $HTTP_FUZZ_RUNS fuzzer executions" http_fuzz
static_check "module, CLI and dkms.conf versions agree" versions_agree
static_check "make install stages module, CLI, agent, unit and man pages" install_staged "${kernels[0]}"
for k in "${kernels[@]}"; do
	static_check "dkms builds lbnic for $k" dkms_build "$k"
done
echo "1..$n"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
t_build=$(( $(now) - t0 ))

# The debug kernel's share of the suite: what the hardening work asks of
# it, with fewer fuzz rounds (KASAN runs several times slower), in two VMs
# that took about equally long.
DEBUG_PARTS=("module_load.sh l4_pcc.sh fuzz_packets.sh" "offload.sh fuzz_netlink.sh l4_table.sh")
# Each other kernel's suite in this many VMs.
PARTS=3

# vm NAME KVER TESTS: a VM with TESTS into $logs/vm-NAME.log and
# build/KVER/vm-NAME.
vm() {
	local name=$1 k=$2 t0

	t0=$(now)
	rm -rf "build/$k/vm-$name"
	if [[ $name == debug-* ]]; then
		LBNIC_TIMEOUT_SCALE=4 LBNIC_FUZZ_MESSAGES=250000 LBNIC_FUZZ_PACKETS=25000 \
			selftests/vm/run.sh -B -k "$k" -n "$name" -t "$3"
	else
		selftests/vm/run.sh -B -k "$k" -n "$name" -t "$3"
	fi > "$logs/vm-$name.log" 2>&1
	echo "$name $(( $(now) - t0 ))s" > "$logs/vm-$name.time"
}

# split N: "BUDGET TEST..." lines, the suite dealt into N parts of about
# equal budget (selftests/vm/budget.sh), largest test first.
split() {
	(cd selftests/net && for t in *; do
		[ -f "$t" ] && [ -x "$t" ] && echo "$(../vm/budget.sh "$t") $t"
	done) | sort -rn | awk -v n="$1" '
		{ b = 1; for (i = 2; i <= n; i++) if (load[i] < load[b]) b = i
		  load[b] += $1; part[b] = part[b] " " $2 }
		END { for (i = 1; i <= n; i++) if (part[i] != "") print load[i] part[i] }'
}

# The VMs are jobs in one queue, largest first: "BUDGET NAME KVER TESTS".
# Two lanes take the next job as each frees, a VM keeping about one core
# busy; the second lane starts with the debug kernel's, once it is built.
queue=$logs/queue
for i in "${!kernels[@]}"; do
	j=0
	split $PARTS | while read -r b tests; do
		j=$((j + 1))
		echo "$b k$i-$j ${kernels[$i]} $tests"
	done
done | sort -rn > "$queue"
cp "$queue" "$queue.all"

# next_job: pops the queue's first line into $job.  On an empty queue it
# waits while the debug kernel's jobs may still come ($queue.open is
# locked until then), and fails once none can.
next_job() {
	local fd

	while :; do
		exec {fd}>>"$queue.lock"
		flock "$fd"
		job=$(head -n 1 "$queue")
		sed -i 1d "$queue"
		exec {fd}>&-
		[ -z "$job" ] || return 0
		[ ! -e "$queue.closed" ] || return 1
		flock -s "$queue.open" true
	done
}

# push_front: puts the jobs read ("NAME KVER TESTS") at the queue's head.
push_front() {
	local fd

	exec {fd}>>"$queue.lock"
	flock "$fd"
	sed 's/^/0 /' > "$queue.new"
	cat "$queue.new" >> "$queue.all"
	cat "$queue" >> "$queue.new" && mv "$queue.new" "$queue"
	exec {fd}>&-
}

lane() {
	local job b name k tests

	while next_job; do
		read -r b name k tests <<<"$job"
		vm "$name" "$k" "$tests"
	done
}

# What the VMs run, built before the lanes start with the flags a user's
# build has (the static builds' W=1 and sparse flags make kbuild build it
# again).
for k in "${kernels[@]}"; do
	scripts/build-module.sh "$k" > "$logs/build-$k.log" 2>&1 ||
		{ echo "# building lbnic for $k failed"; tail -n 20 "$logs/build-$k.log"; }
done

t0=$(now)
exec {open_fd}>"$queue.open"
flock "$open_fd"
lane &
lane_pid=$!
debug_rc=1
if wait $dk_pid; then
	dkver=$(tail -n 1 "$logs/debug-kernel.log")
	if scripts/build-module.sh "$dkver" > "$logs/debug-module.log" 2>&1; then
		debug_rc=0
		for j in "${!DEBUG_PARTS[@]}"; do
			echo "debug-$((j + 1)) $dkver ${DEBUG_PARTS[$j]}"
		done | push_front
	fi
fi
touch "$queue.closed"
flock -u "$open_fd"
lane
wait $lane_pid
t_vm=$(( $(now) - t0 ))

# Every job, whether or not a lane ran it.
while read -r _ name k _; do
	cat "$logs/vm-$name.log" 2>/dev/null
	if read -r p f s < "build/$k/vm-$name/summary"; then
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	else
		echo "not ok - $name: the VM left no summary"
		fail=$((fail + 1))
	fi
done < "$queue.all"
if [ $debug_rc -ne 0 ]; then
	echo "not ok - the debug kernel was built and lbnic for it"
	tail -n 40 "$logs/debug-kernel.log" "$logs/debug-module.log" 2>/dev/null | sed 's/^/#   /'
	fail=$((fail + 1))
fi

echo "# time: deps ${t_deps}s, build and static checks ${t_build}s, VMs ${t_vm}s ($(cat "$logs"/vm-*.time 2>/dev/null | paste -sd, -))"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
