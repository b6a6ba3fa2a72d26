#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What "make demo" shows, run inside the VM: each command is echoed, then
# its output.  Grows with every capability lbnic gains.
# Not a test: no plan to check at exit.  Set for the whole script, not as
# a prefix of source, which would unset it once the library is read.
LBNIC_NOT_A_TEST=1
source "$SRCDIR/selftests/net/l4lib.sh" >/dev/null
PATH=$SRCDIR/userspace:$PATH

say() { printf '\n### %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

say "Load the module (built for $(uname -r))"
lbnic_ko_deps	# nf_defrag_ipv4/6: modprobe would load them, insmod does not
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
STOP=$(mktemp -u)
RESULT=$(mktemp)
printf '$ %s\n' "ip netns exec $lb lbnicd -f -p skip_hw -i 200 &"
bg ip netns exec "$lb" lbnicd -f -p skip_hw -i 200 -S "$STATUS"
agent=${BG_PIDS[-1]}
busywait 20000 test -s "$STATUS"
# Streams that last until the demo has shown them: however slow the
# machine, the rules are there to see.
printf '$ %s\n' "l4tool.py stream --vip 10.0.0.10 --port 80 --streams 2 --rate 1M/s &"
bg in_cli $L4TOOL stream --vip $VIP4 --port 80 --streams 2 --rate 1048576 \
	--until "$STOP" > "$RESULT"
xfer=${BG_PIDS[-1]}
exported() { [ "$(lbnic -n "$lb" conn show | grep -c 'offload sw')" -ge 2 ]; }
# The rules have carried some traffic: every mirred counter past 100.
counted() {
	tc -n "$lb" -s -j filter show dev l0 ingress | python3 -c '
import json, sys
n = [a["stats"]["packets"] for f in json.load(sys.stdin)
     for a in f.get("options", {}).get("actions", []) if a.get("kind") == "mirred"]
sys.exit(not (len(n) >= 2 and min(n) > 100))'
}
busywait 120000 exported && busywait 120000 counted ||
	echo "(the flows were not exported: see lbnicd -s below)"
printf '$ %s\n' "lbnic -n $lb conn show | grep offload"
lbnic -n "$lb" conn show | grep offload
show tc -n "$lb" -s filter show dev l0 ingress
printf '$ %s\n' "tc -n $lb -s filter show dev br0 ingress | grep -E 'handle|cookie|Redirect|Sent'"
tc -n "$lb" -s filter show dev br0 ingress | grep -E 'handle|cookie|Redirect|Sent'
printf '$ %s\n' "kill %l4tool  # end the streams; each checks every byte"
touch "$STOP"
wait $xfer && echo "streams: $(cat "$RESULT")"
show lbnicd -s -S "$STATUS"
kill $agent
wait $agent
rm -f "$STATUS" "$RESULT" "$STOP"

say "L7: the VIP becomes an http service that routes by Host and path"
# The backends: l7tool.py's HTTP servers on :8000, each logging what it got.
ACCESS=$(mktemp)
serve_backends 60000 "$L7TOOL" 8000 --log "$ACCESS"
svc="10.0.0.10:80 proto tcp"
show lbnic -n "$lb" service del $svc
show lbnic -n "$lb" service add $svc mode http snat 10.0.2.1
show lbnic -n "$lb" backend add $svc addr "${BE4[0]}:8000"
show lbnic -n "$lb" pool add $svc name api
show lbnic -n "$lb" backend add $svc addr "${BE4[1]}:8000" pool api
show lbnic -n "$lb" pool add $svc name static sched wrr
show lbnic -n "$lb" backend add $svc addr "${BE4[2]}:8000" pool static
show lbnic -n "$lb" route add $svc host api.example.com pool api
show lbnic -n "$lb" route add $svc host '*.example.com' path /static/ pool static
show lbnic -n "$lb" route show $svc

say "curl by Host and path: api to b2, static to b3, the rest to b1"
# Each backend answers with its name and the X-Forwarded-For it received.
for url in http://api.example.com/v1/users http://www.example.com/static/logo.png \
	http://www.example.com/; do
	host=${url#http://} host=${host%%/*}
	printf '$ curl --resolve %s %s\n' "$host:80:$VIP4" "$url"
	in_cli curl -s -m 30 --resolve "$host:80:$VIP4" "$url" |
		jq -c '{backend, xff, path}'
done

say "What the backends logged: one X-Forwarded-For each, the client's address"
printf '$ cat access.log\n'
cat "$ACCESS"

say "A keep-alive connection, held open: its splice in conn show"
printf '$ %s\n' "l7tool.py hold --vip 10.0.0.10 --data 'GET /one HTTP/1.1 ...' &  # answered, then held open"
exec {hold_in}> >(in_cli $L7TOOL hold --vip $VIP4 \
	--data 'GET /one HTTP/1.1\r\nHost: www.example.com\r\n\r\n' >/dev/null)
held() { lbnic -n "$lb" -j conn show | jq -e '.[] | select(.http.requests == 1 and .http.unacked == false)' >/dev/null; }
busywait 60000 held || echo "(the request was not answered)"
show lbnic -n "$lb" conn show
exec {hold_in}>&-
show lbnic -n "$lb" -s service show
rm -f "$ACCESS"

say "Unload with the topology still up"
cleanup_ns
show rmmod lbnic
