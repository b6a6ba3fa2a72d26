/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: what the files of the module share.
 */
#ifndef _LBNIC_H
#define _LBNIC_H

#include <linux/kfifo.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <uapi/linux/lbnic.h>

#include "compat.h"

#define LBNIC_VERSION "0.2.0"

struct lbnic_conn_table;
struct lbnic_sched_ops;
struct lbnic_sched_state;

/* Counters of a service or backend.  "In" is client to backend. */
struct lbnic_counters {
	u64 conns;
	u64 pkts_in;
	u64 pkts_out;
	u64 bytes_in;
	u64 bytes_out;
	u64 no_backend;
};

/* Kept per CPU, summed when read. */
struct lbnic_pcpu_stats {
	struct lbnic_counters c;
	struct u64_stats_sync syncp;
};

struct lbnic_stats {
	struct lbnic_counters c;
	u32 active;
	u32 inactive;
};

struct lbnic_service;

/*
 * A set of backends and the scheduler that picks from them.  A service's
 * own backends are its default pool, embedded in it; an http service may
 * have named ones too (kmod/route.c), which its routes choose by Host and
 * path.  Changed under ln->lock; the datapath picks from @sched_state
 * under RCU.  A named pool is freed after a grace period.
 */
struct lbnic_pool {
	struct list_head list;		/* svc->pools, ln->lock; if named */
	struct lbnic_service *svc;
	const struct lbnic_sched_ops *sched;
	struct lbnic_sched_state __rcu *sched_state;
	struct list_head backends;	/* ln->lock */
	unsigned int n_backends;
	char name[LBNIC_POOL_NAME_MAX];	/* "" for the default pool */
	struct rcu_head rcu;
};

/*
 * A real server.  Lives as long as its service lists it or a connection
 * points at it: each holds a reference.  Freed after an RCU grace period, so
 * a reader that found it through a connection or a scheduler state may use
 * it until rcu_read_unlock().
 */
struct lbnic_backend {
	struct list_head list;		/* pool->backends, ln->lock */
	struct hlist_node snode;	/* ln->stateless, RCU; if hashed */
	struct lbnic_service *svc;	/* holds a reference */
	struct lbnic_pool *pool;	/* ln->lock, while on its list */
	union nf_inet_addr addr;
	__be16 port;
	u32 weight;			/* ln->lock; readers use a sched state */
	refcount_t refcnt;
	atomic_t active;
	atomic_t inactive;
	struct lbnic_pcpu_stats __percpu *stats;
	struct rcu_head rcu;
};

/*
 * A virtual service, VIP:port/proto.  Found by the datapath through
 * ln->services under RCU; changed under ln->lock.
 */
struct lbnic_service {
	struct hlist_node hnode;	/* ln->services, RCU */
	union nf_inet_addr addr;
	__be16 port;
	u8 proto;
	u8 family;
	u8 mode;			/* enum lbnic_fwd_mode */
	u8 http_field;			/* enum lbnic_http_field */
	u32 flags;			/* LBNIC_SERVICE_F_* */
	u32 maglev_size;
	union nf_inet_addr snat_addr;
	u16 snat_port_min;
	u16 snat_port_max;
	struct lbnic_pool pool;		/* its own backends */
	struct list_head pools;		/* named pools, ln->lock */
	struct list_head routes;	/* struct lbnic_route, RCU */
	unsigned int n_pools;
	unsigned int n_routes;
	unsigned int n_backends;	/* in all its pools */
	refcount_t refcnt;		/* ln->services, backends, L7 entries */
	atomic_t active;
	atomic_t inactive;
	struct lbnic_pcpu_stats __percpu *stats;
	struct lbnic_net *ln;
	struct rcu_head rcu;
};

#define LBNIC_SVC_HASH_BITS 8

/* Timeouts in jiffies, indexed by enum lbnic_conn_state. */
struct lbnic_timeouts {
	u32 t[__LBNIC_CONN_S_MAX];
};

/* What the datapath tells the offload agent (kmod/offload.c). */
struct lbnic_ofl_event {
	u64 cookie;
	union nf_inet_addr caddr;
	union nf_inet_addr vaddr;
	__be16 cport;
	__be16 vport;
	u8 proto;
	u8 family;
	bool gone;
};

struct lbnic_offload {
	u32 packets;			/* candidate threshold; 0: off */
	u32 age;			/* candidate threshold, jiffies */
	atomic64_t next_cookie;
	atomic64_t lost;		/* events the full queue refused */
	bool resync;			/* lost some: listeners must resync */
	spinlock_t lock;		/* producers of @events */
	DECLARE_KFIFO_PTR(events, struct lbnic_ofl_event);
	struct work_struct work;	/* sends @events */
};

/* What a namespace's datapath counts (LBNIC_A_NET_STATS). */
enum lbnic_net_stat {
	LBNIC_NET_STAT_EARLY_DROP,	/* entries evicted by a full table */
	LBNIC_NET_STAT_MARTIAN,		/* packets from a martian source */
	LBNIC_NET_STAT_MALFORMED,	/* bad L4 headers of VIP traffic */
	LBNIC_NET_STAT_TCP_IGNORED,	/* RST, FIN outside the window */
	LBNIC_NET_STAT_OFFLOAD_READY,	/* flows announced for offload */
	LBNIC_NET_STAT_NO_ROUTE,	/* no unicast route to forward by */
	LBNIC_NET_STAT_HTTP_COOKIES,	/* SYN-ACKs with a cookie */
	LBNIC_NET_STAT_HTTP_COOKIE_BAD,	/* ACKs without a valid cookie */
	LBNIC_NET_STAT_HTTP_ANSWERED,	/* requests answered by lbnic */
	LBNIC_NET_STAT_HTTP_SPLICED,	/* connections spliced to a backend */
	LBNIC_NET_STAT_HTTP_RESENT,	/* lbnic's own segments sent again */
	LBNIC_NET_STAT_HTTP_TIME_WAIT,	/* backend SYNs a TIME-WAIT answered */
	__LBNIC_NET_STAT_MAX
};

struct lbnic_net_pcpu_stats {
	u64 c[__LBNIC_NET_STAT_MAX];
	struct u64_stats_sync syncp;
};

/*
 * Per network namespace state.  Configuration is serialised by ->lock;
 * the datapath reads under RCU and with READ_ONCE().
 */
struct lbnic_net {
	struct net *net;
	struct mutex lock;		/* serialises configuration */
	u32 conn_max;
	struct lbnic_timeouts timeouts;
	struct hlist_head services[1 << LBNIC_SVC_HASH_BITS];
	unsigned int n_services;
	unsigned int n_backends;
	/* Changes to pools and routes, so that their dumps tell (ln->lock). */
	u32 http_gen;
	/* Backends of stateless nat services, to find the VIP of a reply. */
	struct hlist_head stateless[1 << LBNIC_SVC_HASH_BITS];
	unsigned int n_stateless;
	bool hooks_registered;
	struct lbnic_conn_table __rcu *conns;	/* from the first service on */
	struct lbnic_offload offload;
	struct lbnic_net_pcpu_stats __percpu *stats;
	atomic_t http_buffered;		/* bytes of L7 request buffers */
	unsigned long http_rst_at;	/* jiffies: the current RST budget's */
	unsigned int http_rsts;		/* RSTs sent in it, approximately */
};

extern unsigned int lbnic_net_id;
extern unsigned int lbnic_conn_max_default;

static inline struct lbnic_net *lbnic_pernet(const struct net *net)
{
	return net_generic(net, lbnic_net_id);
}

/* From the datapath, in softirq context. */
static inline void lbnic_stat_inc(struct lbnic_net *ln, enum lbnic_net_stat i)
{
	struct lbnic_net_pcpu_stats *s = this_cpu_ptr(ln->stats);

	u64_stats_update_begin(&s->syncp);
	s->c[i]++;
	u64_stats_update_end(&s->syncp);
}

static inline bool lbnic_addr_eq(const union nf_inet_addr *a,
				 const union nf_inet_addr *b)
{
	/* Branch-free, 64 bits at a time: the lookup compares two per node. */
	return ipv6_addr_equal(&a->in6, &b->in6);
}

/*
 * RCU callbacks of lbnic's configuration queue others (a scheduler snapshot
 * drops backends, a backend its service), so one rcu_barrier() at unload
 * does not wait for them all: each such callback goes through
 * lbnic_call_rcu() and ends with lbnic_rcu_done(), and unload waits until
 * none is pending.  Connections' callbacks queue nothing and need no count
 * (and the datapath no shared atomic).
 */
extern atomic_t lbnic_rcu_pending;

static inline void lbnic_call_rcu(struct rcu_head *head, rcu_callback_t fn)
{
	atomic_inc(&lbnic_rcu_pending);
	call_rcu(head, fn);
}

static inline void lbnic_rcu_done(void)
{
	atomic_dec(&lbnic_rcu_pending);
}

int lbnic_netns_init(void);
void lbnic_netns_exit(void);

int lbnic_netlink_init(void);
void lbnic_netlink_exit(void);

#endif /* _LBNIC_H */
