# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the lbnic selftests, in the manner of the kernel's
# tools/testing/selftests/net/lib.sh and kselftest/ktap_helpers.sh.
# Source it; it installs an EXIT trap that deletes the test's netns.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

SRCDIR=${SRCDIR:-$(readlink -f "$(dirname "${BASH_SOURCE[0]}")/../..")}
LBNIC=${LBNIC:-$SRCDIR/userspace/lbnic}
[ -x "$LBNIC" ] || LBNIC=$(command -v lbnic)
# In the VM the freshly built module; elsewhere the installed one.
LBNIC_KO=${LBNIC_BUILD:+$LBNIC_BUILD/lbnic.ko}

__ktap_n=0
__ktap_pass=0
__ktap_fail=0
__ktap_skip=0
__ktap_plan=
__ktap_done=
NS_LIST=()
BG_PIDS=()
EXIT_CMDS=()

ktap_plan() {
	__ktap_plan=$1
	echo "TAP version 13"
	echo "1..$1"
}

ktap_test_pass() {
	__ktap_n=$((__ktap_n + 1))
	__ktap_pass=$((__ktap_pass + 1))
	echo "ok $__ktap_n $1"
}

ktap_test_fail() {
	__ktap_n=$((__ktap_n + 1))
	__ktap_fail=$((__ktap_fail + 1))
	echo "not ok $__ktap_n $1"
}

ktap_test_skip() {
	__ktap_n=$((__ktap_n + 1))
	__ktap_skip=$((__ktap_skip + 1))
	echo "ok $__ktap_n $1 # SKIP $2"
}

# ktap_result DESC STATUS: pass when STATUS is 0.
ktap_result() {
	if [ "$2" -eq 0 ]; then ktap_test_pass "$1"; else ktap_test_fail "$1"; fi
}

# As kselftest's ktap_helpers.sh: a script whose passes and skips do not
# add up to its plan stopped early or miscounted, and fails.
ktap_finished() {
	__ktap_done=1
	echo "# Totals: pass:$__ktap_pass fail:$__ktap_fail xfail:0 xpass:0 skip:$__ktap_skip error:0"
	if [ "$__ktap_fail" -gt 0 ]; then exit $KSFT_FAIL; fi
	if [ "$((__ktap_pass + __ktap_skip))" != "${__ktap_plan:-none}" ]; then
		log "planned ${__ktap_plan:-no} tests, ran $__ktap_n"
		exit $KSFT_FAIL
	fi
	if [ "$__ktap_pass" -eq 0 ] && [ "$__ktap_skip" -gt 0 ]; then exit $KSFT_SKIP; fi
	exit $KSFT_PASS
}

# Whole script cannot run: one SKIP line with the reason, exit 4.
ksft_skip_all() {
	ktap_plan 1
	ktap_test_skip "$(basename "$0")" "$1"
	ktap_finished
}

# Whole script cannot run because lbnic itself is broken: that is a failure.
ksft_fail_all() {
	log "$1"
	if [ -z "$__ktap_plan" ]; then
		ktap_plan 1
		ktap_test_fail "$(basename "$0")"
		ktap_finished
	fi
	# Past the plan: the tests not run yet cannot pass (kselftest's bail out).
	echo "Bail out! $1"
	__ktap_done=1
	exit $KSFT_FAIL
}

require_cmd() {
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null || ksft_skip_all "$c not installed"
	done
}

log() {
	echo "# $*"
}

# Runs a command, keeping its stdout in $OUT and stderr in $ERR.
run() {
	local o e rc

	o=$(mktemp) e=$(mktemp)
	"$@" >"$o" 2>"$e"
	rc=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
	return $rc
}

# check_ok DESC CMD...: the command succeeds.
check_ok() {
	local desc=$1

	shift
	if run "$@"; then
		ktap_test_pass "$desc"
	else
		log "'$*' failed: $ERR"
		ktap_test_fail "$desc"
	fi
}

# check_err DESC REGEX CMD...: the command fails and its stderr matches.
check_err() {
	local desc=$1 re=$2

	shift 2
	if run "$@"; then
		log "'$*' succeeded, expected an error matching /$re/"
		ktap_test_fail "$desc"
	elif ! grep -qE -- "$re" <<<"$ERR"; then
		log "'$*' said '$ERR', expected /$re/"
		ktap_test_fail "$desc"
	else
		ktap_test_pass "$desc"
	fi
}

# check_eq DESC ACTUAL EXPECTED
check_eq() {
	if [ "$2" = "$3" ]; then
		ktap_test_pass "$1"
	else
		log "got '$2', expected '$3'"
		ktap_test_fail "$1"
	fi
}

# setup_ns VAR...: creates uniquely named netns, their names stored in VAR.
setup_ns() {
	local var name

	for var in "$@"; do
		name=$var-$(mktemp -u XXXXXX)
		ip netns add "$name" || return 1
		ip -n "$name" link set lo up || return 1
		NS_LIST+=("$name")
		printf -v "$var" '%s' "$name"
	done
}

# bg CMD...: runs CMD in the background in a process group of its own,
# which the EXIT trap kills whole: CMD may be a function (a subshell) whose
# children would outlive a kill of the subshell alone.
bg() {
	set -m
	"$@" &
	BG_PIDS+=($!)
	set +m
}

# on_exit CMD...: runs CMD (one shell word list) when the script exits,
# before its namespaces are deleted.
on_exit() {
	EXIT_CMDS+=("$*")
}

cleanup_ns() {
	local ns pid

	for pid in "${BG_PIDS[@]}"; do
		kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	BG_PIDS=()
	for ns in "${NS_LIST[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	NS_LIST=()
}

# Polling forks nothing of its own: on the debug kernel a fork and exec
# costs half a second, more than most conditions take to come true.
# ms_now: milliseconds, from bash's own clock.
ms_now() {
	local t=${EPOCHREALTIME/[.,]/}

	echo $((t / 1000))
}
# A pipe nobody writes: read -t on it is a sleep without a process.
exec {__nap_fd}<> <(:)

# busywait TIMEOUT_MS CMD...: retries CMD until it succeeds or time runs out.
# The timeout is a ceiling for a stuck condition, never a measure of speed:
# it grows with the suite's LBNIC_TIMEOUT_SCALE (the debug kernel's 4).
busywait() {
	local timeout_ms=$(($1 * ${LBNIC_TIMEOUT_SCALE:-1})) start now

	shift
	start=$(ms_now)
	until "$@"; do
		now=$(ms_now)
		[ $((now - start)) -lt "$timeout_ms" ] || return 1
		read -rt 0.05 -u "$__nap_fd" || :	# times out, as it should
	done
}

# dmesg_mark: writes a unique line to the kernel log and prints it, so that
# dmesg_since can show what the kernel said after it.
dmesg_mark() {
	local m

	m="lbnic-selftest mark $$-$(date +%s%N)"
	echo "$m" > /dev/kmsg
	echo "$m"
}

dmesg_since() {
	dmesg | sed -n "/$1/,\$p"
}

lbnic_loaded() {
	grep -q '^lbnic ' /proc/modules
}

# lbnic_ko_deps: what lbnic.ko needs loaded first; insmod resolves nothing.
lbnic_ko_deps() {
	local d

	for d in $(modinfo -F depends "$LBNIC_KO" | tr ',' ' '); do
		modprobe -q "$d" || return 1
	done
}

lbnic_load() {
	lbnic_loaded && return 0
	if [ -n "$LBNIC_KO" ]; then
		lbnic_ko_deps && insmod "$LBNIC_KO" "$@"
	else
		modprobe lbnic "$@"
	fi
}

lbnic_unload() {
	! lbnic_loaded || rmmod lbnic
}

# conn_max [lbnic options]: the connection bound reported by "lbnic info".
conn_max() {
	"$LBNIC" -j "$@" config show | jq -r .conn_max
}

# The one EXIT trap: cleanups, then a verdict on a script that never
# reached ktap_finished (an exit or error on the way): that is a failure.
__lib_exit() {
	local rc=$? c

	for c in "${EXIT_CMDS[@]}"; do
		eval "$c"
	done
	cleanup_ns
	# Scripts that use the helpers without being tests set LBNIC_NOT_A_TEST.
	if [ -z "$__ktap_done" ] && [ -z "${LBNIC_NOT_A_TEST:-}" ]; then
		echo "# $(basename "$0") exited (status $rc) before ktap_finished"
		exit $KSFT_FAIL
	fi
	exit "$rc"
}
trap __lib_exit EXIT

[ "$(id -u)" -eq 0 ] || ksft_skip_all "needs root"
[ -n "$LBNIC" ] || ksft_fail_all "lbnic CLI not found (build userspace/)"
