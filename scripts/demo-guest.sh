#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What "make demo" shows, run inside the VM: each command is echoed, then
# its output.  Grows with every capability lbnic gains.
set -e
LBNIC=$SRCDIR/userspace/lbnic
PATH=$SRCDIR/userspace:$PATH

say() { printf '\n### %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "Load the module (built for $(uname -r))"
run insmod "$LBNIC_BUILD/lbnic.ko"
run dmesg --notime | grep lbnic | tail -n 1

say "What is loaded"
run lbnic version
run lbnic info
run lbnic -j -p info

say "Each network namespace has its own state"
ip netns add demo
run lbnic -n demo config set conn-max 4096
run lbnic -n demo config show
run lbnic config show

say "Bad input gets the kernel's own explanation"
run lbnic config set conn-max 5 || true
run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	--bounding-set=-all lbnic config set conn-max 4096 || true

say "Unload"
ip netns del demo
run rmmod lbnic
