#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The http mode's pools and routes: requests go to the pool their Host and
# path route to (exact host over "*." suffix over any host, then the
# longest path prefix), to the service's own backends when no route
# matches, and a kept-alive connection stays with its first backend.
# Bad pools and routes get clear errors; a pool a route uses stays.
# timeout: 240
source "$(dirname "$0")/l4lib.sh"

T=$((60 * ${LBNIC_TIMEOUT_SCALE:-1}))
# A ceiling (ms, busywait scales it) on waiting for a condition, not a duration.
W=60000

l4_setup
ktap_plan 48

serve_backends 60000 "$L7TOOL" 8000

S="$VIP4:80 proto tcp"
lb service add $S mode http snat $LB4
lb service add "$VIP4:81" proto tcp
lb backend add $S addr "${BE4[0]}:8000"

check_err "pools are for http services only" \
	"^Error: pools and routes are for http services only\.$" \
	lb pool add "$VIP4:81" proto tcp name api
check_ok "a pool with its own scheduler" lb pool add $S name api sched wrr
check_ok "a pool with the service's" lb pool add $S name img
lb pool add $S name empty
check_err "a pool's name is unique" "^Error: pool already exists\.$" \
	lb pool add $S name img
check_err "\"default\" is the service's own backends" "^Error: pool already exists\.$" \
	lb pool add $S name default
check_err "a pool's name is a word" "^Error: pool name must be letters" \
	lb pool add $S name 'a/b'
check_err "an unknown scheduler" "^Error: unknown scheduler" \
	lb pool add $S name x sched nope
check_err "a backend in an unknown pool" "^Error: pool not found\.$" \
	lb backend add $S addr "${BE4[1]}:8000" pool nope
check_ok "a backend in a pool" lb backend add $S addr "${BE4[1]}:8000" pool api
lb backend add $S addr "${BE4[2]}:8000" pool img
check_ok "one address may be in two pools" lb backend add $S addr "${BE4[1]}:8000" pool empty
check_ok "  ... and leave one of them" lb backend del $S addr "${BE4[1]}:8000" pool empty
run lb -j backend show $S
check_eq "backend show names each backend's pool" \
	"$(jq -c '[.backends[] | .pool // "default"]' <<<"$OUT")" '["default","api","img"]'
run lb -j pool show $S
check_eq "pool show: name, scheduler, backends" \
	"$(jq -c '[.[] | "\(.name) \(.sched) \(.backends)"]' <<<"$OUT")" \
	'["api wrr 1","img maglev 1","empty maglev 0"]'

check_ok "a route by host and path" lb route add $S host www.example.com path /api pool api
check_ok "a route by host suffix" lb route add $S host '*.img.test' pool img
check_ok "a route by path, any host" lb route add $S path /static pool img
lb route add $S host shop.test path / pool api
lb route add $S host www.example.com path /api/v2 pool img
lb route add $S path /empty pool empty
check_err "a route's host and path are unique" "^Error: route with this host and path already exists\.$" \
	lb route add $S host WWW.example.com path /api pool img
check_err "a route's path starts with /" "^Error: route path must start with '/'" \
	lb route add $S path api pool api
check_err "a route's host is a name" "^Error: route host must be a name" \
	lb route add $S host '*.' pool api
check_err "  ... without its port, which is not compared" "^Error: route host must be a name" \
	lb route add $S host www.example.com:80 pool api
check_err "  ... without the query, which is not compared" "^Error: route path must start with '/'" \
	lb route add $S path '/a?b' pool api
check_err "a backend pool of a service without pools" \
	"^Error: pools and routes are for http services only\.$" \
	lb backend add "$VIP4:81" proto tcp addr "${BE4[1]}:8000" pool api
check_err "a route to an unknown pool" "^Error: pool not found\.$" \
	lb route add $S path /x pool nope
check_err "a route needs a pool" "^Error: \"pool\" needs a value" \
	lb route add $S path /x
check_err "a pool a route uses stays" "^Error: pool is in use by a route: delete the route first\.$" \
	lb pool del $S name api
check_err "the default pool goes only with its service" "^Error: the default pool goes only with its service\.$" \
	lb pool del $S name default
run lb route show $S
check_eq "route show: most specific first, as route add takes them" "$OUT" \
"route host www.example.com path /api/v2 pool img
route host www.example.com path /api pool api
route host shop.test path / pool api
route host *.img.test pool img
route path /static pool img
route path /empty pool empty"

# backend HOST PATH: the backend that answered a request for them.
backend() {
	in_cli curl -s -m $T -H "Host: $1" "http://$VIP4$2" | jq -r .backend
}

check_eq "host and path prefix" "$(backend www.example.com /api/v1)" b2
check_eq "  ... the host without case or final dot" "$(backend WWW.Example.COM. /api)" b2
check_eq "  ... the longest prefix of the host's" "$(backend www.example.com /api/v2/x)" b3
check_eq "  ... no route for this path: the service's backends" "$(backend www.example.com /other)" b1
check_eq "a host below the suffix" "$(backend x.img.test /p)" b3
check_eq "  ... not the suffix's own name" "$(backend img.test /p)" b1
check_eq "a path for any host" "$(backend www.example.com /static/a)" b3
check_eq "a host's route wins over a longer path of any host's" "$(backend shop.test /static/a)" b2
check_eq "a pool without backends: 503" \
	"$(in_cli curl -s -m $T -o /dev/null -w '%{http_code}' "http://$VIP4/empty")" 503
run in_cli $L7TOOL req --vip $VIP4 --data 'GET /static/1 HTTP/1.0\r\n\r\n'
check_eq "no Host at all: routes for any host" "$(jq -r '.body | fromjson | .backend' <<<"$OUT")" b3
run in_cli $L7TOOL req --vip $VIP4 \
	--data 'GET http://x.img.test/p HTTP/1.1\r\nHost: x.img.test\r\nConnection: close\r\n\r\n'
check_eq "an absolute-form target routes by its authority" \
	"$(jq -r '.body | fromjson | .backend' <<<"$OUT")" b3

# Requests on one connection stay on one backend (Documentation/l7.rst).
run in_cli $L7TOOL many --vip $VIP4 --count 6 --hosts www.example.com,x.img.test --path /api/
check_eq "a kept-alive connection stays with its first backend" \
	"$(jq -r '"\(.ok) \(.backends)"' <<<"$OUT")" '6 ["b2"]'
run in_cli $L7TOOL many --vip $VIP4 --count 6 --hosts x.img.test,www.example.com --path /api/ --pipeline
check_eq "  ... pipelined too" "$(jq -r '"\(.ok) \(.backends)"' <<<"$OUT")" '6 ["b3"]'

check_ok "a route goes" lb route del $S host '*.img.test'
check_eq "  ... and its requests go to the service's backends" "$(backend x.img.test /p)" b1
check_err "a route that is not there" "^Error: route not found\.$" \
	lb route del $S host '*.img.test'
lb route del $S path /static
lb route del $S host www.example.com path /api/v2
check_ok "a pool without routes goes" lb pool del $S name img
run lb -j pool show $S
check_eq "  ... and leaves pool show" "$(jq -c '[.[].name]' <<<"$OUT")" '["api","empty"]'

lb service add "[$VIP6]:80" proto tcp mode http snat $LB6
lb backend add "[$VIP6]:80" proto tcp addr "[${BE6[0]}]:8000"
lb pool add "[$VIP6]:80" proto tcp name api
lb backend add "[$VIP6]:80" proto tcp addr "[${BE6[1]}]:8000" pool api
lb route add "[$VIP6]:80" proto tcp host www.example.com pool api
check_eq "routes over IPv6" \
	"$(in_cli curl -s -m $T -H 'Host: www.example.com' "http://[$VIP6]/" | jq -r .backend)" b2

check_ok "a service goes with its pools and routes" lb service del $S

busywait $W conn_count_is 0
ktap_result "no entry is left" $?
ktap_finished
