#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: what "make check" and CI run.  Installs dependencies, builds and
# statically checks lbnic for every supported kernel, runs the VM suite on
# each, and ends with one line: "N passed, N failed, N skipped".
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

install_staged() {
	local stage

	stage=$(mktemp -d)
	make install KDIR="/lib/modules/$1/build" DESTDIR="$stage" &&
		ls "$stage/lib/modules/$1/extra/"lbnic.ko* "$stage/usr/sbin/lbnic" \
			"$stage/usr/sbin/lbnicd" "$stage/usr/lib/systemd/system/lbnicd.service" \
			"$stage/usr/share/man/man8/lbnic.8" "$stage/usr/share/man/man8/lbnicd.8"
	local rc=$?
	rm -rf "$stage"
	make -s -C "/lib/modules/$1/build" M="$src" clean >/dev/null 2>&1
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

t0=$(now)
echo "# static checks"
echo "TAP version 13"
for k in "${kernels[@]}"; do
	static_check "lbnic.ko builds for $k, W=1 and sparse clean" build_clean "$k"
done
static_check "userspace builds with -Werror" userspace_clean
static_check "checkpatch.pl --strict is clean" scripts/checkpatch.sh
static_check "UAPI header compiles on its own" uapi_standalone
static_check "module, CLI and dkms.conf versions agree" versions_agree
static_check "make install stages module, CLI, agent, unit and man pages" install_staged "${kernels[0]}"
for k in "${kernels[@]}"; do
	static_check "dkms builds lbnic for $k" dkms_build "$k"
done
echo "1..$n"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
t_build=$(( $(now) - t0 ))

vm_times=()
for k in "${kernels[@]}"; do
	t0=$(now)
	selftests/vm/run.sh -k "$k"
	vm_times+=("$k $(( $(now) - t0 ))s")
	if read -r p f s < "build/$k/vm/summary"; then
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	else
		fail=$((fail + 1))
	fi
done

echo "# time: deps ${t_deps}s, build and static checks ${t_build}s, VM runs: ${vm_times[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
