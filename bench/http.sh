# SPDX-License-Identifier: GPL-2.0
#
# The http scenarios of the benchmark (Documentation/performance.rst, "L7"):
# lbnic's http mode beside the two proxies its users would otherwise run,
# each tuned as its users tune it, and beside no proxy at all.  They share
# the L4 topology; the backends b1..b3 run nginx on :8000, serving /1k (1024
# bytes) and /bulk (BENCH_BULK_MB MB), with logging off.  Clients reach
# the VIP on port 80 (http-direct: b1's :8000, routed by the LB netns).

BENCH_BULK_MB=${BENCH_BULK_MB:-64}
# Where the servers' files and configurations live: memory, not the 9p root.
HTTP_DIR=${HTTP_DIR:-/dev/shm/lbnic-bench}

# http_url: where the current scenario's clients send.
http_url() {
	if [ "$SCN" = http-direct ]; then
		echo "http://${BE4[0]}:8000"
	else
		echo "http://$VIP4"
	fi
}

# http_files: the backends' content, once for all of them.
http_files() {
	mkdir -p "$HTTP_DIR/www" || return 1
	[ -s "$HTTP_DIR/www/1k" ] || head -c 1024 /dev/urandom > "$HTTP_DIR/www/1k" || return 1
	[ "$(stat -c %s "$HTTP_DIR/www/bulk" 2>/dev/null)" = $((BENCH_BULK_MB << 20)) ] ||
		head -c $((BENCH_BULK_MB << 20)) /dev/urandom > "$HTTP_DIR/www/bulk"
}

# nginx_run NS NAME CONF PORT [WORKERS]: nginx in NS from CONF (its http
# block), in the foreground, with a prefix of its own; waits until it
# listens on PORT.
nginx_run() {
	local ns=$1 dir=$HTTP_DIR/$2 port=$4

	mkdir -p "$dir" || return 1
	cat > "$dir/nginx.conf" <<-EOF || return 1
		user root;
		worker_processes ${5:-1};
		pid $dir/nginx.pid;
		error_log stderr error;
		events { worker_connections 16384; }
		http {
			access_log off;
			keepalive_requests 1000000;
			$3
		}
	EOF
	bg ip netns exec "$ns" nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;'
	busywait 10000 in_ns "$ns" sh -c "ss -Hltn | grep -q ':$port '"
}

# http_backends: nginx on b1..b3, a worker per vCPU each (http-direct has
# b1 alone, and must not be held to one vCPU where the proxies spread over
# three servers), sendfile for the bulk file.
http_backends() {
	local i

	http_files || return 1
	for i in 0 1 2; do
		nginx_run "${BNS[$i]}" "$SCN-b$i" "
			sendfile on;
			server {
				listen 8000 reuseport;
				root $HTTP_DIR/www;
			}" 8000 "$(nproc)" || return 1
	done
}

scn_http-direct() {
	knob "wrk and curl to b1:8000 (nginx), routed by the LB netns: no proxy"
}

scn_lbnic-http() {
	local i

	lb service add $VIP4:80 proto tcp mode http snat $LB4 || return 1
	for i in 0 1 2; do
		lb backend add $VIP4:80 proto tcp addr "${BE4[$i]}:8000" || return 1
	done
	knob "lbnic service add $VIP4:80 proto tcp mode http snat $LB4 (Maglev, X-Forwarded-For), b1..b3:8000"
}

# HAProxy as its documentation tunes it: a thread per vCPU, keep-alive and
# connection reuse toward the servers, X-Forwarded-For, no log.
scn_haproxy() {
	local dir=$HTTP_DIR/$SCN cfg

	mkdir -p "$dir" && ip -n "$lb" addr add $VIP4/32 dev lo || return 1
	cfg="global
	nbthread $(nproc)
	maxconn 100000
	pidfile $dir/haproxy.pid
defaults
	mode http
	option forwardfor
	option http-keep-alive
	http-reuse always
	timeout connect 5s
	timeout client 30s
	timeout server 30s
frontend fe
	bind $VIP4:80
	default_backend be
backend be
	balance roundrobin
	server b1 ${BE4[0]}:8000
	server b2 ${BE4[1]}:8000
	server b3 ${BE4[2]}:8000"
	printf '%s\n' "$cfg" > "$dir/haproxy.cfg" || return 1
	bg ip netns exec "$lb" haproxy -db -f "$dir/haproxy.cfg"
	busywait 10000 in_ns "$lb" sh -c "ss -Hltn | grep -q '$VIP4:80 '" || return 1
	knob "haproxy $(haproxy -v | awk 'NR == 1 { print $3 }'): $(tr '\n\t' '; ' < "$dir/haproxy.cfg" | tr -s ' ')"
}

# nginx as a reverse proxy, as its documentation tunes it: a worker per
# vCPU, HTTP/1.1 keep-alive to the upstreams, X-Forwarded-For, no log.
scn_nginx() {
	local conf

	ip -n "$lb" addr add $VIP4/32 dev lo || return 1
	conf="upstream be {
				server ${BE4[0]}:8000;
				server ${BE4[1]}:8000;
				server ${BE4[2]}:8000;
				keepalive 64;
			}
			server {
				listen $VIP4:80;
				location / {
					proxy_pass http://be;
					proxy_http_version 1.1;
					proxy_set_header Connection \"\";
					proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
				}
			}"
	nginx_run "$lb" "$SCN" "$conf" 80 "$(nproc)" || return 1
	knob "nginx $(nginx -v 2>&1 | sed 's/.*\///'): worker_processes $(nproc); access_log off; $(tr '\n\t' '  ' <<<"$conf" | tr -s ' ')"
}

# Keep-alive requests for 1 KB, as many connections as a browser fleet
# would keep open to a site, a wrk thread per vCPU.
m_http_ka() {
	wrk_metric http_ka -t"$(nproc)" -c32 "$(http_url)/1k"
}

# One request per connection.
m_http_close() {
	wrk_metric http_close -t"$(nproc)" -c32 -H 'Connection: close' "$(http_url)/1k"
}

# One download of the bulk file, Gbit/s.
m_http_bulk() {
	local bps

	bps=$(timeout $BENCH_CLIENT_TIMEOUT nsenter --net="/run/netns/$cli" \
		curl -sf -o /dev/null -w '%{speed_download}' "$(http_url)/bulk") || return 1
	awk -v b="$bps" 'BEGIN { if (b <= 0) exit 1; printf "%.3f\n", b * 8 / 1e9 }'
}
