/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * lbnic: in-kernel load balancer with SmartNIC flow offload.
 *
 * This is the whole userspace contract of lbnic.ko: a generic netlink family
 * named LBNIC_GENL_NAME, version LBNIC_GENL_VERSION.  The kernel module and
 * the lbnic tools are built from this one file.
 *
 * Every request is answered in the network namespace of the sending socket;
 * each namespace has its own, independent lbnic state.  Requests are
 * validated strictly: unknown attributes, attributes of the wrong type or
 * length and out-of-range values are rejected with an extended ACK message
 * naming the offending attribute.  Every command, and joining the offload
 * multicast group, needs CAP_NET_ADMIN in the user namespace owning the
 * network namespace (GENL_UNS_ADMIN_PERM, GENL_MCAST_CAP_NET_ADMIN), as
 * IPVS and conntrack do: lbnic's state names clients, backends and MAC
 * addresses.  A namespace owned by a user namespace other than the initial
 * one has lower bounds (Documentation/l4.rst, "Limits"): its conn-max is at
 * most the module's conn_max_unpriv (-EPERM beyond), and its tables draw
 * on a shared reserve, conn_unpriv_total (-ENOSPC when it is spent).  Any
 * namespace has at most 4096 services and 65536 backends (-ENOSPC).
 *
 * Addresses are in network byte order, 4 bytes for IPv4 and 16 for IPv6;
 * the length gives the family.  Ports are u16 in host byte order.
 *
 * Commands and attribute tree
 * ---------------------------
 *
 * LBNIC_CMD_GET_INFO			read-only, no request attributes
 *   reply:
 *     LBNIC_A_VERSION			string, module version ("0.2.0")
 *     LBNIC_A_FEATURES			u64, LBNIC_FEATURE_* bits of this build
 *     LBNIC_A_CONFIG			nest, this namespace's settings:
 *       LBNIC_CONFIG_A_CONN_MAX	u32, connection table bound
 *       LBNIC_CONFIG_A_TIMEOUT_*	u32 seconds, per state (see enum);
 *					TIMEOUT_HTTP_REQ is how long a client
 *					has to send its request header (408)
 *       LBNIC_CONFIG_A_CONN_COUNT	u32, entries now (read-only)
 *       LBNIC_CONFIG_A_CONN_BUCKETS	u32, hash buckets, 0 until the
 *					first service (read-only)
 *       LBNIC_CONFIG_A_CONN_ENTRY_SIZE	u32, bytes per connection entry,
 *					both directions (read-only)
 *       LBNIC_CONFIG_A_CONN_REFUSED	u64, new flows refused because the
 *					table was full (read-only)
 *       LBNIC_CONFIG_A_OFFLOAD_PACKETS	u32, a flow becomes an offload
 *					candidate after this many packets
 *					(both directions); 0: offload off
 *       LBNIC_CONFIG_A_OFFLOAD_AGE	u32, ... and this many milliseconds
 *       LBNIC_CONFIG_A_OFFLOAD_LOST	u64, offload events dropped because
 *					the queue was full (read-only)
 *     LBNIC_A_NET_STATS		nest, what the datapath counted, u64s:
 *       LBNIC_NET_STATS_A_EARLY_DROP	entries a full table evicted for a
 *					new flow: never-answered ones only
 *       LBNIC_NET_STATS_A_MARTIAN	packets to a VIP from a source the
 *					routing input path refuses
 *					(zero, broadcast, multicast, loopback,
 *					local, v4-mapped), dropped
 *       LBNIC_NET_STATS_A_MALFORMED	packets to a VIP or of a connection
 *					with a truncated TCP/UDP header or a
 *					bad TCP data offset, dropped
 *       LBNIC_NET_STATS_A_TCP_IGNORED	RSTs and FINs outside the window:
 *					forwarded, but not acted on
 *       LBNIC_NET_STATS_A_OFFLOAD_READY	flows announced for offload
 *       LBNIC_NET_STATS_A_NO_ROUTE	packets dropped for want of a unicast
 *					route to their client or backend
 *       LBNIC_NET_STATS_A_HTTP_COOKIES	http: SYN-ACKs sent with a SYN cookie
 *       LBNIC_NET_STATS_A_HTTP_COOKIE_BAD	http: ACKs to a VIP that carried
 *					no valid cookie, dropped
 *       LBNIC_NET_STATS_A_HTTP_ANSWERED	http: requests lbnic answered itself
 *       LBNIC_NET_STATS_A_HTTP_SPLICED	http: connections spliced to a backend
 *       LBNIC_NET_STATS_A_HTTP_RESENT	http: segments of lbnic's own bytes sent again
 *       LBNIC_NET_STATS_A_HTTP_TIME_WAIT	http: SYNs to a backend answered by
 *					an earlier connection's TIME-WAIT,
 *					reset and sent again at once
 *					(4xx, 5xx: Documentation/l7.rst)
 *
 * LBNIC_CMD_SET_CONFIG			admin
 *   request:
 *     LBNIC_A_CONFIG			nest, required, at least one of:
 *       LBNIC_CONFIG_A_CONN_MAX	u32, LBNIC_CONN_MAX_MIN..LBNIC_CONN_MAX_MAX
 *       LBNIC_CONFIG_A_TIMEOUT_*	u32, 1..LBNIC_TIMEOUT_MAX seconds
 *       LBNIC_CONFIG_A_OFFLOAD_PACKETS	u32, 0..LBNIC_OFFLOAD_PACKETS_MAX
 *       LBNIC_CONFIG_A_OFFLOAD_AGE	u32, 0..LBNIC_OFFLOAD_AGE_MAX ms
 *     Only the attributes given are changed; read-only ones are refused.
 *
 * LBNIC_CMD_NEW_SERVICE		admin
 *   request:
 *     LBNIC_A_SERVICE			nest, required:
 *       LBNIC_SERVICE_A_ADDR		binary 4|16, required: the VIP
 *       LBNIC_SERVICE_A_PORT		u16 1..65535, required
 *       LBNIC_SERVICE_A_PROTO		u8 IPPROTO_TCP|IPPROTO_UDP, required
 *       LBNIC_SERVICE_A_SCHED		string, "maglev" (default), "wrr",
 *					"lc" or "sh"
 *       LBNIC_SERVICE_A_MODE		u8 enum lbnic_fwd_mode, default NAT
 *       LBNIC_SERVICE_A_FLAGS		u32 LBNIC_SERVICE_F_* bits
 *       LBNIC_SERVICE_A_MAGLEV_SIZE	u32, a prime in
 *					LBNIC_MAGLEV_SIZE_MIN..MAX, default
 *					LBNIC_MAGLEV_SIZE_DEFAULT (maglev, sh)
 *       LBNIC_SERVICE_A_SNAT_ADDR	binary 4|16, fullnat and http:
 *					required, the LB-owned source address
 *       LBNIC_SERVICE_A_SNAT_PORT_MIN	u16, fullnat source ports; they
 *       LBNIC_SERVICE_A_SNAT_PORT_MAX	u16  must stay out of the namespace's
 *					ip_local_port_range, whose replies
 *					lbnic would otherwise take for its
 *					own.  Default: the larger part of
 *					1024..65535 outside it (1024..32767
 *					with Linux's default range)
 *       LBNIC_SERVICE_A_HTTP_FIELD	u8 enum lbnic_http_field, http only:
 *					the field lbnic adds to every request
 *					header, default X-Forwarded-For
 *
 * LBNIC_CMD_DEL_SERVICE		admin; also drops its connections
 *   request: LBNIC_A_SERVICE with ADDR, PORT, PROTO
 *
 * LBNIC_CMD_GET_SERVICE		read-only, dump
 *   reply, one message per service: LBNIC_A_SERVICE with every attribute
 *   above that applies, and
 *       LBNIC_SERVICE_A_STATS		nest, enum lbnic_stats_attr
 *
 * LBNIC_CMD_NEW_BACKEND		admin
 *   request:
 *     LBNIC_A_SERVICE			nest with ADDR, PORT, PROTO, required
 *     LBNIC_A_BACKEND			nest, required:
 *       LBNIC_BACKEND_A_ADDR		binary 4|16, required, service's family
 *       LBNIC_BACKEND_A_PORT		u16 1..65535, required
 *       LBNIC_BACKEND_A_WEIGHT		u32 1..LBNIC_WEIGHT_MAX, default 1
 *       LBNIC_BACKEND_A_POOL		string, the http service's pool the
 *					backend is in; absent: the service's
 *					own backends (its default pool).  A
 *					backend is named by ADDR, PORT and
 *					POOL: one address may be in two pools
 *
 * LBNIC_CMD_SET_BACKEND		admin
 *   request: as NEW_BACKEND; LBNIC_BACKEND_A_WEIGHT required and may be 0,
 *   which drains: no new connections, existing ones continue.
 *
 * LBNIC_CMD_DEL_BACKEND		admin
 *   request: LBNIC_A_SERVICE, LBNIC_A_BACKEND with ADDR, PORT, POOL, and
 *       LBNIC_BACKEND_A_FLUSH		flag: also drop its connections;
 *					without it they run to their end
 *
 * LBNIC_CMD_GET_BACKEND		read-only, dump
 *   request: LBNIC_A_SERVICE with ADDR, PORT, PROTO, required
 *   reply, one message per backend of every pool, default pool first:
 *     LBNIC_A_BACKEND			nest with ADDR, PORT, WEIGHT, POOL
 *					(named pools only) and
 *       LBNIC_BACKEND_A_STATS		nest, enum lbnic_stats_attr
 *
 * Pools and routes of http services (Documentation/l7.rst, "Routes")
 * -------------------------------------------------------------------
 *
 * A pool is a named set of backends with its own scheduler; a route sends
 * the requests whose Host and path it matches to a pool.  Requests no
 * route matches go to the service's own backends.  Other modes have no
 * pools (-EOPNOTSUPP).  A service has at most LBNIC_POOLS_MAX pools and
 * LBNIC_ROUTES_MAX routes (-ENOSPC).
 *
 * LBNIC_CMD_NEW_POOL			admin
 *   request:
 *     LBNIC_A_SERVICE			nest with ADDR, PORT, PROTO, required
 *     LBNIC_A_POOL			nest, required:
 *       LBNIC_POOL_A_NAME		string, required: 1..LBNIC_POOL_NAME_MAX-1
 *					of [A-Za-z0-9_.-]; "default" names
 *					the service's own backends
 *       LBNIC_POOL_A_SCHED		string, as LBNIC_SERVICE_A_SCHED;
 *					default: the service's scheduler
 *
 * LBNIC_CMD_DEL_POOL			admin; refused (-EBUSY) while a route
 *   names it.  Its backends go as with DEL_BACKEND without FLUSH.
 *   request: LBNIC_A_SERVICE, LBNIC_A_POOL with NAME
 *
 * LBNIC_CMD_GET_POOL			read-only, dump
 *   request: LBNIC_A_SERVICE with ADDR, PORT, PROTO, required
 *   reply, one message per named pool: LBNIC_A_POOL with NAME, SCHED and
 *       LBNIC_POOL_A_BACKENDS		u32, backends in it
 *
 * LBNIC_CMD_NEW_ROUTE			admin
 *   request:
 *     LBNIC_A_SERVICE			nest with ADDR, PORT, PROTO, required
 *     LBNIC_A_ROUTE			nest, required:
 *       LBNIC_ROUTE_A_HOST		string, a host name matched without
 *					case ("www.example.com"), or
 *					"*.example.com" for any name below
 *					example.com (not example.com
 *					itself); absent: any host.  At most
 *					LBNIC_ROUTE_HOST_MAX-1 bytes
 *       LBNIC_ROUTE_A_PATH		string starting with "/", a prefix
 *					of the request's path (its query
 *					left out), matched byte for byte;
 *					absent: any path.  At most
 *					LBNIC_ROUTE_PATH_MAX-1 bytes
 *       LBNIC_ROUTE_A_POOL		string, required: a pool's name
 *   HOST and PATH name the route: -EEXIST if both are the same as an
 *   existing route's.  The most specific host wins (exact, then the
 *   longest "*." suffix, then any host); among routes of that host, the
 *   longest path prefix.
 *
 * LBNIC_CMD_DEL_ROUTE			admin
 *   request: LBNIC_A_SERVICE, LBNIC_A_ROUTE with HOST and PATH as added
 *
 * LBNIC_CMD_GET_ROUTE			read-only, dump
 *   request: LBNIC_A_SERVICE with ADDR, PORT, PROTO, required
 *   reply, one message per route, most specific first: LBNIC_A_ROUTE with
 *   HOST and PATH (if given), POOL
 *
 * LBNIC_CMD_GET_CONN			read-only, dump
 *   request: optional LBNIC_A_SERVICE (ADDR, PORT, PROTO) to filter
 *   reply, one message per connection:
 *     LBNIC_A_CONN			nest, enum lbnic_conn_attr; an http
 *					entry still reading its request
 *					header has no LOCAL_* or BACKEND_*.
 *					Every http entry has
 *       LBNIC_CONN_A_HTTP		nest, enum lbnic_conn_http_attr, the
 *					splice (Documentation/l7.rst):
 *         LBNIC_CONN_HTTP_A_PHASE	u8 enum lbnic_http_phase
 *         LBNIC_CONN_HTTP_A_REQUESTS	u32, request headers sent on
 *         LBNIC_CONN_HTTP_A_SEQ_OFFSET	u32, backend's sequence number of
 *					a request byte minus the client's:
 *					the bytes lbnic inserted so far
 *         LBNIC_CONN_HTTP_A_ACK_OFFSET	u32, client's sequence number of a
 *					response byte minus the backend's;
 *					once the backend answered the SYN
 *         LBNIC_CONN_HTTP_A_INSERT_SEQ	u32, once a header was sent: where
 *					its field went, the client's byte it
 *					precedes, numbered from 1 as its
 *					first; with
 *         LBNIC_CONN_HTTP_A_INSERT_LEN	u32, the field's length (0: none)
 *         LBNIC_CONN_HTTP_A_UNACKED	flag: the backend has not yet
 *					acknowledged the last header sent
 *
 * LBNIC_CMD_FLUSH_CONN			admin
 *   request: optional LBNIC_A_SERVICE (ADDR, PORT, PROTO) to filter
 *
 * Flow offload (Documentation/offload.rst)
 * ----------------------------------------
 *
 * Multicast group LBNIC_MCGRP_OFFLOAD carries two notifications:
 *
 * LBNIC_CMD_FLOW_READY			a connection is established and past
 *   the offload thresholds: it may be exported as one rule per direction.
 *     LBNIC_A_FLOW			nest, enum lbnic_flow_attr:
 *       LBNIC_FLOW_A_COOKIE		u64, names the connection while it
 *					lives; never reused in a namespace
 *       LBNIC_FLOW_A_PROTO		u8
 *       LBNIC_FLOW_A_CLIENT_ADDR	binary, with CLIENT_PORT, VIP_ADDR
 *       LBNIC_FLOW_A_CLIENT_PORT	u16      and VIP_PORT: the client's
 *       LBNIC_FLOW_A_VIP_ADDR		binary   tuple, which LBNIC_CMD_SET_FLOW
 *       LBNIC_FLOW_A_VIP_PORT		u16      names the connection by
 *       LBNIC_FLOW_A_AGE		u32, milliseconds since its first packet
 *       LBNIC_FLOW_A_ORIG		nest, client to backend, enum
 *					lbnic_flow_dir_attr:
 *         LBNIC_FLOW_DIR_A_IIF		u32, ingress ifindex: the rule's device
 *         LBNIC_FLOW_DIR_A_SADDR	binary \ what the rule matches (with
 *         LBNIC_FLOW_DIR_A_DADDR	binary  | PROTO, and TCP FIN and RST
 *         LBNIC_FLOW_DIR_A_SPORT	u16     | clear so that teardown still
 *         LBNIC_FLOW_DIR_A_DPORT	u16    /  reaches lbnic)
 *         LBNIC_FLOW_DIR_A_NEW_SADDR	binary \ what it rewrites them to
 *         LBNIC_FLOW_DIR_A_NEW_DADDR	binary  |
 *         LBNIC_FLOW_DIR_A_NEW_SPORT	u16     |
 *         LBNIC_FLOW_DIR_A_NEW_DPORT	u16    /
 *         LBNIC_FLOW_DIR_A_SMAC	binary 6, new Ethernet source: the
 *					egress device's address
 *         LBNIC_FLOW_DIR_A_DMAC	binary 6, new Ethernet destination:
 *					the next hop's neighbour entry
 *         LBNIC_FLOW_DIR_A_OIF		u32, egress ifindex (mirred target)
 *       LBNIC_FLOW_A_REPLY		nest, backend to client, as ORIG;
 *					absent in dsr mode
 *
 * LBNIC_CMD_FLOW_GONE			the flow's rules must go: FIN or RST
 *   seen, timeout, flush, backend removed with flush, module unloaded.
 *     LBNIC_A_FLOW			nest with COOKIE, PROTO, CLIENT_*, VIP_*
 *
 * LBNIC_CMD_FLOW_RESYNC		no attributes: events were lost (lbnic's
 *   queue was full, or a message could not be made).  A listener must take
 *   LBNIC_CMD_GET_FLOW as the truth: rules of flows it does not list go.
 *   A listener whose own socket overflowed learns the same from ENOBUFS.
 *
 * LBNIC_CMD_GET_FLOW			read-only, dump: every current candidate,
 *   as LBNIC_CMD_FLOW_READY messages, for a listener that lost events
 *   (ENOBUFS) or restarted.  Candidates whose next hop is unresolved are
 *   left out; they are announced when it resolves.
 *
 * LBNIC_CMD_SET_FLOW			admin: the agent reports on a flow
 *   request:
 *     LBNIC_A_FLOW			nest, required:
 *       LBNIC_FLOW_A_COOKIE		u64, required, must match the flow
 *       LBNIC_FLOW_A_PROTO, CLIENT_*, VIP_*	required: the flow
 *       LBNIC_FLOW_A_STATE		u8 enum lbnic_offload_state, required;
 *					RETURNED hands the flow back to lbnic
 *					for the rest of its life
 *       LBNIC_FLOW_A_ERROR		u32, errno of a refusal
 *       LBNIC_FLOW_A_LASTUSED	u32, milliseconds since a rule last
 *					matched a packet; the connection's
 *					timeout restarts from then
 *   -ENOENT (with extack) when the flow is gone or the cookie differs.
 *
 * Unknown commands are refused by the generic netlink core with
 * -EOPNOTSUPP.
 */
#ifndef _UAPI_LINUX_LBNIC_H
#define _UAPI_LINUX_LBNIC_H

#define LBNIC_GENL_NAME		"lbnic"
#define LBNIC_GENL_VERSION	1

/* Bounds of LBNIC_CONFIG_A_CONN_MAX. */
#define LBNIC_CONN_MAX_MIN	1024U
#define LBNIC_CONN_MAX_MAX	(1U << 26)
/*
 * Upper bound of every LBNIC_CONFIG_A_TIMEOUT_* (seconds, 24.8 days): 2^31
 * jiffies at HZ=1000, beyond which timer arithmetic would wrap.
 */
#define LBNIC_TIMEOUT_MAX	2147483U
/* Maglev lookup table sizes: primes in this range. */
#define LBNIC_MAGLEV_SIZE_MIN		251U
#define LBNIC_MAGLEV_SIZE_MAX		1048573U
#define LBNIC_MAGLEV_SIZE_DEFAULT	65537U
#define LBNIC_WEIGHT_MAX	65535U
#define LBNIC_SCHED_NAME_MAX	16
/* Pools and routes of http services. */
#define LBNIC_POOL_NAME_MAX	16
#define LBNIC_POOLS_MAX		64
#define LBNIC_ROUTES_MAX	256
#define LBNIC_ROUTE_HOST_MAX	254	/* a DNS name, and its NUL */
#define LBNIC_ROUTE_PATH_MAX	1024
/* Bounds of the offload thresholds. */
#define LBNIC_OFFLOAD_PACKETS_MAX	(1U << 30)
#define LBNIC_OFFLOAD_AGE_MAX		3600000U

#define LBNIC_MCGRP_OFFLOAD	"offload"

enum lbnic_cmd {
	LBNIC_CMD_UNSPEC,
	LBNIC_CMD_GET_INFO,
	LBNIC_CMD_SET_CONFIG,
	LBNIC_CMD_NEW_SERVICE,
	LBNIC_CMD_DEL_SERVICE,
	LBNIC_CMD_GET_SERVICE,
	LBNIC_CMD_NEW_BACKEND,
	LBNIC_CMD_SET_BACKEND,
	LBNIC_CMD_DEL_BACKEND,
	LBNIC_CMD_GET_BACKEND,
	LBNIC_CMD_GET_CONN,
	LBNIC_CMD_FLUSH_CONN,
	LBNIC_CMD_FLOW_READY,
	LBNIC_CMD_FLOW_GONE,
	LBNIC_CMD_GET_FLOW,
	LBNIC_CMD_SET_FLOW,
	LBNIC_CMD_FLOW_RESYNC,
	LBNIC_CMD_NEW_POOL,
	LBNIC_CMD_DEL_POOL,
	LBNIC_CMD_GET_POOL,
	LBNIC_CMD_NEW_ROUTE,
	LBNIC_CMD_DEL_ROUTE,
	LBNIC_CMD_GET_ROUTE,

	__LBNIC_CMD_MAX,
	LBNIC_CMD_MAX = __LBNIC_CMD_MAX - 1
};

/* LBNIC_A_FEATURES bits. */
enum lbnic_feature {
	LBNIC_FEATURE_IPV6	= 1 << 0,	/* built with IPv6 support */
};

enum lbnic_fwd_mode {
	LBNIC_MODE_UNSPEC,
	LBNIC_MODE_NAT,		/* DNAT; replies must route back via lbnic */
	LBNIC_MODE_FULLNAT,	/* DNAT + SNAT to LBNIC_SERVICE_A_SNAT_ADDR */
	LBNIC_MODE_DSR,		/* rewrite the destination MAC only */
	/*
	 * L7: lbnic answers the client's handshake itself (SYN cookies) and
	 * reads the request header; TCP only, needs SNAT_ADDR as fullnat
	 * (Documentation/l7.rst), then sends it to a backend its routes
	 * choose.
	 */
	LBNIC_MODE_HTTP,

	__LBNIC_MODE_MAX,
	LBNIC_MODE_MAX = __LBNIC_MODE_MAX - 1
};

/* LBNIC_SERVICE_A_FLAGS bits. */
enum lbnic_service_flag {
	/* UDP only, nat or dsr: no connection entries, every packet hashed. */
	LBNIC_SERVICE_F_STATELESS	= 1 << 0,
};

#define LBNIC_SERVICE_F_ALL	LBNIC_SERVICE_F_STATELESS

/* What an http service adds to each request header, before its blank line. */
enum lbnic_http_field {
	/* "X-Forwarded-For: <client address>"; a client's own ones stay */
	LBNIC_HTTP_FIELD_XFF,
	/*
	 * "X-Real-IP: <client address>"; a request bringing its own is
	 * answered 400, as lbnic cannot take fields out and a backend could
	 * believe the forged one.
	 */
	LBNIC_HTTP_FIELD_REAL_IP,
	LBNIC_HTTP_FIELD_NONE,		/* the header goes on as it came */

	__LBNIC_HTTP_FIELD_MAX,
	LBNIC_HTTP_FIELD_MAX = __LBNIC_HTTP_FIELD_MAX - 1
};

/* LBNIC_CONN_A_STATE values. */
enum lbnic_conn_state {
	LBNIC_CONN_S_NONE,
	LBNIC_CONN_S_SYN,		/* TCP: client SYN seen */
	LBNIC_CONN_S_ESTABLISHED,	/* TCP: handshake done */
	LBNIC_CONN_S_FIN,		/* TCP: a FIN seen */
	LBNIC_CONN_S_CLOSE,		/* TCP: RST seen */
	LBNIC_CONN_S_UDP,		/* UDP flow */
	/* http: the client's handshake done, its request header awaited */
	LBNIC_CONN_S_HTTP_REQ,

	__LBNIC_CONN_S_MAX,
	LBNIC_CONN_S_MAX = __LBNIC_CONN_S_MAX - 1
};

enum lbnic_attr {
	LBNIC_A_UNSPEC,
	LBNIC_A_PAD,
	LBNIC_A_VERSION,		/* string */
	LBNIC_A_FEATURES,		/* u64 */
	LBNIC_A_CONFIG,			/* nest, enum lbnic_config_attr */
	LBNIC_A_SERVICE,		/* nest, enum lbnic_service_attr */
	LBNIC_A_BACKEND,		/* nest, enum lbnic_backend_attr */
	LBNIC_A_CONN,			/* nest, enum lbnic_conn_attr */
	LBNIC_A_FLOW,			/* nest, enum lbnic_flow_attr */
	LBNIC_A_NET_STATS,		/* nest, enum lbnic_net_stats_attr */
	LBNIC_A_POOL,			/* nest, enum lbnic_pool_attr */
	LBNIC_A_ROUTE,			/* nest, enum lbnic_route_attr */

	__LBNIC_A_LAST,
	LBNIC_A_MAX = __LBNIC_A_LAST - 1
};

enum lbnic_config_attr {
	LBNIC_CONFIG_A_UNSPEC,
	LBNIC_CONFIG_A_PAD,
	LBNIC_CONFIG_A_CONN_MAX,		/* u32 */
	LBNIC_CONFIG_A_TIMEOUT_TCP_SYN,		/* u32, seconds */
	LBNIC_CONFIG_A_TIMEOUT_TCP_EST,		/* u32, seconds */
	LBNIC_CONFIG_A_TIMEOUT_TCP_FIN,		/* u32, seconds */
	LBNIC_CONFIG_A_TIMEOUT_TCP_CLOSE,	/* u32, seconds */
	LBNIC_CONFIG_A_TIMEOUT_UDP,		/* u32, seconds */
	LBNIC_CONFIG_A_CONN_COUNT,		/* u32, read-only */
	LBNIC_CONFIG_A_CONN_BUCKETS,		/* u32, read-only */
	LBNIC_CONFIG_A_CONN_ENTRY_SIZE,		/* u32, read-only */
	LBNIC_CONFIG_A_CONN_REFUSED,		/* u64, read-only */
	LBNIC_CONFIG_A_OFFLOAD_PACKETS,		/* u32 */
	LBNIC_CONFIG_A_OFFLOAD_AGE,		/* u32, milliseconds */
	LBNIC_CONFIG_A_OFFLOAD_LOST,		/* u64, read-only */
	LBNIC_CONFIG_A_TIMEOUT_HTTP_REQ,	/* u32, seconds */

	__LBNIC_CONFIG_A_LAST,
	LBNIC_CONFIG_A_MAX = __LBNIC_CONFIG_A_LAST - 1
};

enum lbnic_service_attr {
	LBNIC_SERVICE_A_UNSPEC,
	LBNIC_SERVICE_A_PAD,
	LBNIC_SERVICE_A_ADDR,		/* binary, 4 or 16 bytes */
	LBNIC_SERVICE_A_PORT,		/* u16 */
	LBNIC_SERVICE_A_PROTO,		/* u8 */
	LBNIC_SERVICE_A_SCHED,		/* string */
	LBNIC_SERVICE_A_MODE,		/* u8, enum lbnic_fwd_mode */
	LBNIC_SERVICE_A_FLAGS,		/* u32, LBNIC_SERVICE_F_* */
	LBNIC_SERVICE_A_MAGLEV_SIZE,	/* u32 */
	LBNIC_SERVICE_A_SNAT_ADDR,	/* binary, 4 or 16 bytes */
	LBNIC_SERVICE_A_SNAT_PORT_MIN,	/* u16 */
	LBNIC_SERVICE_A_SNAT_PORT_MAX,	/* u16 */
	LBNIC_SERVICE_A_STATS,		/* nest, enum lbnic_stats_attr */
	LBNIC_SERVICE_A_HTTP_FIELD,	/* u8, enum lbnic_http_field */

	__LBNIC_SERVICE_A_LAST,
	LBNIC_SERVICE_A_MAX = __LBNIC_SERVICE_A_LAST - 1
};

enum lbnic_backend_attr {
	LBNIC_BACKEND_A_UNSPEC,
	LBNIC_BACKEND_A_PAD,
	LBNIC_BACKEND_A_ADDR,		/* binary, 4 or 16 bytes */
	LBNIC_BACKEND_A_PORT,		/* u16 */
	LBNIC_BACKEND_A_WEIGHT,		/* u32 */
	LBNIC_BACKEND_A_FLUSH,		/* flag */
	LBNIC_BACKEND_A_STATS,		/* nest, enum lbnic_stats_attr */
	LBNIC_BACKEND_A_POOL,		/* string */

	__LBNIC_BACKEND_A_LAST,
	LBNIC_BACKEND_A_MAX = __LBNIC_BACKEND_A_LAST - 1
};

enum lbnic_pool_attr {
	LBNIC_POOL_A_UNSPEC,
	LBNIC_POOL_A_NAME,		/* string */
	LBNIC_POOL_A_SCHED,		/* string */
	LBNIC_POOL_A_BACKENDS,		/* u32, read-only */

	__LBNIC_POOL_A_LAST,
	LBNIC_POOL_A_MAX = __LBNIC_POOL_A_LAST - 1
};

enum lbnic_route_attr {
	LBNIC_ROUTE_A_UNSPEC,
	LBNIC_ROUTE_A_HOST,		/* string */
	LBNIC_ROUTE_A_PATH,		/* string */
	LBNIC_ROUTE_A_POOL,		/* string */

	__LBNIC_ROUTE_A_LAST,
	LBNIC_ROUTE_A_MAX = __LBNIC_ROUTE_A_LAST - 1
};

/* What a namespace's datapath counted (LBNIC_A_NET_STATS), all u64. */
enum lbnic_net_stats_attr {
	LBNIC_NET_STATS_A_UNSPEC,
	LBNIC_NET_STATS_A_PAD,
	LBNIC_NET_STATS_A_EARLY_DROP,
	LBNIC_NET_STATS_A_MARTIAN,
	LBNIC_NET_STATS_A_MALFORMED,
	LBNIC_NET_STATS_A_TCP_IGNORED,
	LBNIC_NET_STATS_A_OFFLOAD_READY,
	LBNIC_NET_STATS_A_NO_ROUTE,
	LBNIC_NET_STATS_A_HTTP_COOKIES,
	LBNIC_NET_STATS_A_HTTP_COOKIE_BAD,
	LBNIC_NET_STATS_A_HTTP_ANSWERED,
	LBNIC_NET_STATS_A_HTTP_SPLICED,
	LBNIC_NET_STATS_A_HTTP_RESENT,
	LBNIC_NET_STATS_A_HTTP_TIME_WAIT,

	__LBNIC_NET_STATS_A_LAST,
	LBNIC_NET_STATS_A_MAX = __LBNIC_NET_STATS_A_LAST - 1
};

/* Counters of a service or backend.  "In" is client to backend. */
enum lbnic_stats_attr {
	LBNIC_STATS_A_UNSPEC,
	LBNIC_STATS_A_PAD,
	LBNIC_STATS_A_CONNS,		/* u64, connections scheduled */
	LBNIC_STATS_A_ACTIVE,		/* u32, established TCP and UDP now */
	LBNIC_STATS_A_INACTIVE,		/* u32, other TCP states now */
	LBNIC_STATS_A_PKTS_IN,		/* u64 */
	LBNIC_STATS_A_PKTS_OUT,		/* u64 */
	LBNIC_STATS_A_BYTES_IN,		/* u64 */
	LBNIC_STATS_A_BYTES_OUT,	/* u64 */
	LBNIC_STATS_A_NO_BACKEND,	/* u64, packets dropped: no backend */

	__LBNIC_STATS_A_LAST,
	LBNIC_STATS_A_MAX = __LBNIC_STATS_A_LAST - 1
};

enum lbnic_conn_attr {
	LBNIC_CONN_A_UNSPEC,
	LBNIC_CONN_A_PAD,
	LBNIC_CONN_A_PROTO,		/* u8 */
	LBNIC_CONN_A_CLIENT_ADDR,	/* binary */
	LBNIC_CONN_A_CLIENT_PORT,	/* u16 */
	LBNIC_CONN_A_VIP_ADDR,		/* binary */
	LBNIC_CONN_A_VIP_PORT,		/* u16 */
	LBNIC_CONN_A_LOCAL_ADDR,	/* binary, source toward the backend */
	LBNIC_CONN_A_LOCAL_PORT,	/* u16 */
	LBNIC_CONN_A_BACKEND_ADDR,	/* binary */
	LBNIC_CONN_A_BACKEND_PORT,	/* u16 */
	LBNIC_CONN_A_STATE,		/* u8, enum lbnic_conn_state */
	LBNIC_CONN_A_EXPIRES,		/* u32, milliseconds left */
	LBNIC_CONN_A_MODE,		/* u8, enum lbnic_fwd_mode */
	LBNIC_CONN_A_PACKETS_ORIG,	/* u64, packets lbnic forwarded */
	LBNIC_CONN_A_PACKETS_REPLY,	/* u64 */
	/* u8, enum lbnic_offload_state; only on offload candidates */
	LBNIC_CONN_A_OFFLOAD,
	LBNIC_CONN_A_OFFLOAD_ERROR,	/* u32, errno of a refusal */
	LBNIC_CONN_A_COOKIE,		/* u64, offload candidates */
	LBNIC_CONN_A_HTTP,		/* nest, enum lbnic_conn_http_attr */

	__LBNIC_CONN_A_LAST,
	LBNIC_CONN_A_MAX = __LBNIC_CONN_A_LAST - 1
};

/* What an http connection's client bytes are for now. */
enum lbnic_http_phase {
	LBNIC_HTTP_PHASE_HEADER,	/* a request header, being read */
	LBNIC_HTTP_PHASE_HELD,		/* a complete one, waiting to go on */
	LBNIC_HTTP_PHASE_BODY,		/* relayed: a body, or a tunnel */
};

enum lbnic_conn_http_attr {
	LBNIC_CONN_HTTP_A_UNSPEC,
	LBNIC_CONN_HTTP_A_PHASE,	/* u8, enum lbnic_http_phase */
	LBNIC_CONN_HTTP_A_REQUESTS,	/* u32 */
	LBNIC_CONN_HTTP_A_SEQ_OFFSET,	/* u32 */
	LBNIC_CONN_HTTP_A_ACK_OFFSET,	/* u32 */
	LBNIC_CONN_HTTP_A_INSERT_SEQ,	/* u32 */
	LBNIC_CONN_HTTP_A_INSERT_LEN,	/* u32 */
	LBNIC_CONN_HTTP_A_UNACKED,	/* flag */

	__LBNIC_CONN_HTTP_A_LAST,
	LBNIC_CONN_HTTP_A_MAX = __LBNIC_CONN_HTTP_A_LAST - 1
};

/* Where a candidate flow's rules are, as the agent last reported. */
enum lbnic_offload_state {
	LBNIC_OFFLOAD_PENDING,		/* announced; no report yet */
	LBNIC_OFFLOAD_HW,		/* rules in hardware */
	LBNIC_OFFLOAD_SW,		/* rules in the TC software path only */
	LBNIC_OFFLOAD_REFUSED,		/* refused: LBNIC_FLOW_A_ERROR says why */
	/*
	 * Rules gone (removed by someone else, or with their device): lbnic
	 * forwards the flow again, to its end.
	 */
	LBNIC_OFFLOAD_RETURNED,

	__LBNIC_OFFLOAD_MAX,
	LBNIC_OFFLOAD_MAX = __LBNIC_OFFLOAD_MAX - 1
};

enum lbnic_flow_attr {
	LBNIC_FLOW_A_UNSPEC,
	LBNIC_FLOW_A_PAD,
	LBNIC_FLOW_A_COOKIE,		/* u64 */
	LBNIC_FLOW_A_PROTO,		/* u8 */
	LBNIC_FLOW_A_CLIENT_ADDR,	/* binary */
	LBNIC_FLOW_A_CLIENT_PORT,	/* u16 */
	LBNIC_FLOW_A_VIP_ADDR,		/* binary */
	LBNIC_FLOW_A_VIP_PORT,		/* u16 */
	LBNIC_FLOW_A_AGE,		/* u32, milliseconds */
	LBNIC_FLOW_A_ORIG,		/* nest, enum lbnic_flow_dir_attr */
	LBNIC_FLOW_A_REPLY,		/* nest, enum lbnic_flow_dir_attr */
	LBNIC_FLOW_A_STATE,		/* u8, enum lbnic_offload_state */
	LBNIC_FLOW_A_ERROR,		/* u32, errno */
	LBNIC_FLOW_A_LASTUSED,		/* u32, milliseconds ago */

	__LBNIC_FLOW_A_LAST,
	LBNIC_FLOW_A_MAX = __LBNIC_FLOW_A_LAST - 1
};

enum lbnic_flow_dir_attr {
	LBNIC_FLOW_DIR_A_UNSPEC,
	LBNIC_FLOW_DIR_A_IIF,		/* u32 */
	LBNIC_FLOW_DIR_A_SADDR,		/* binary */
	LBNIC_FLOW_DIR_A_DADDR,		/* binary */
	LBNIC_FLOW_DIR_A_SPORT,		/* u16 */
	LBNIC_FLOW_DIR_A_DPORT,		/* u16 */
	LBNIC_FLOW_DIR_A_NEW_SADDR,	/* binary */
	LBNIC_FLOW_DIR_A_NEW_DADDR,	/* binary */
	LBNIC_FLOW_DIR_A_NEW_SPORT,	/* u16 */
	LBNIC_FLOW_DIR_A_NEW_DPORT,	/* u16 */
	LBNIC_FLOW_DIR_A_SMAC,		/* binary, 6 bytes */
	LBNIC_FLOW_DIR_A_DMAC,		/* binary, 6 bytes */
	LBNIC_FLOW_DIR_A_OIF,		/* u32 */

	__LBNIC_FLOW_DIR_A_LAST,
	LBNIC_FLOW_DIR_A_MAX = __LBNIC_FLOW_DIR_A_LAST - 1
};

#endif /* _UAPI_LINUX_LBNIC_H */
