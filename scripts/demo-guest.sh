#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What "make demo" shows, run inside the VM: each command is echoed, then
# its output.  Grows with every capability lbnic gains.
source "$SRCDIR/selftests/net/l4lib.sh" >/dev/null
PATH=$SRCDIR/userspace:$PATH

say() { printf '\n### %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

say "Load the module (built for $(uname -r))"
show insmod "$LBNIC_BUILD/lbnic.ko"
show lbnic version

say "A client, a load balancer and three backends, each in its own netns"
l4_setup >/dev/null
echo "client $CLI4 -> VIP $VIP4:80 -> lbnic ($lb) -> backends ${BE4[*]} on :8080"

say "A fullnat service with Maglev, backends weighted 1:2:3 (in the LB netns)"
show lbnic -n "$lb" service add 10.0.0.10:80 proto tcp sched maglev mode fullnat snat 10.0.2.1
for i in 0 1 2; do
	show lbnic -n "$lb" backend add 10.0.0.10:80 proto tcp addr "${BE4[$i]}:8080" weight $((i + 1))
done

say "600 client connections; each backend says who answered"
printf '$ %s\n' "l4tool.py dist --vip 10.0.0.10 --port 80 --count 600"
in_cli $L4TOOL dist --vip $VIP4 --port 80 --count 600 |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print("answers:", dict(sorted(d["backends"].items())), "failed:", d["failed"], "backends saw source:", list(d["peers"]))'

say "What lbnic counted"
show lbnic -n "$lb" -s service show
show lbnic -n "$lb" info

say "The connection table (first 5 of 600)"
printf '$ %s\n' "lbnic -n $lb conn show | head -n 5"
lbnic -n "$lb" conn show | head -n 5

say "Bad input gets the kernel's own explanation"
show lbnic -n "$lb" backend add 10.0.0.10:80 proto tcp addr 10.0.2.14:8080 weight 0 || true
show lbnic -n "$lb" service add 10.0.0.10:80 proto tcp || true

say "Flow offload: established flows become TC flower rules (lbnicd, skip_hw on veth)"
show lbnic -n "$lb" config set offload-packets 20
STATUS=$(mktemp)
printf '$ %s\n' "ip netns exec $lb lbnicd -f -p skip_hw -i 200 &"
ip netns exec "$lb" lbnicd -f -p skip_hw -i 200 -S "$STATUS" &
agent=$!
busywait 10000 test -s "$STATUS"
printf '$ %s\n' "l4tool.py transfer --vip 10.0.0.10 --port 80 --streams 2 --bytes 4M --rate 1M/s &"
in_cli $L4TOOL transfer --vip $VIP4 --port 80 --streams 2 --bytes $((4 << 20)) --rate 1048576 &
xfer=$!
busywait 20000 sh -c "[ \$(lbnic -n $lb conn show | grep -c 'offload sw') -ge 2 ]"
sleep 1		# let the rules' counters move
printf '$ %s\n' "lbnic -n $lb conn show | grep offload"
lbnic -n "$lb" conn show | grep offload
show tc -n "$lb" -s filter show dev l0 ingress
printf '$ %s\n' "tc -n $lb filter show dev br0 ingress | grep -E 'handle|cookie|Redirect'"
tc -n "$lb" filter show dev br0 ingress | grep -E 'handle|cookie|Redirect'
printf '$ %s\n' "wait  # the transfers, byte-checked"
wait $xfer && echo "transfers: ok"
show lbnicd -s -S "$STATUS"
kill $agent
wait $agent

say "Unload with the topology still up"
cleanup_ns
show rmmod lbnic
