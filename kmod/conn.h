/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: the connection table.
 */
#ifndef _LBNIC_CONN_H
#define _LBNIC_CONN_H

#include <linux/jhash.h>
#include <linux/netlink.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "lbnic.h"

enum lbnic_dir {
	LBNIC_DIR_ORIG,		/* client to VIP */
	LBNIC_DIR_REPLY,	/* backend to client (or to the SNAT address) */
};

/* What a packet is looked up by: its own addresses and ports. */
struct lbnic_tuple {
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	__be16 sport;
	__be16 dport;
	u8 proto;
	u8 family;
};

/* The 5-tuple hash, shared by the table (random seed) and Maglev (fixed). */
static inline u32 lbnic_tuple_jhash(const struct lbnic_tuple *k, u32 seed)
{
	u32 ports = (__force u32)k->sport << 16 | (__force u32)k->dport;

	if (k->family == AF_INET)
		return jhash_3words((__force u32)k->saddr.ip,
				    (__force u32)k->daddr.ip, ports, seed ^ k->proto);
	return jhash2((const u32 *)k->saddr.all, 4,
		      jhash2((const u32 *)k->daddr.all, 4,
			     jhash_2words(ports, k->proto, seed)));
}

struct lbnic_conn_node {
	struct lbnic_conn_node __rcu *next;
};

#define LBNIC_CONN_MODE_MASK	0x07	/* enum lbnic_fwd_mode, lbnic_fwd_ops_of() */
#define LBNIC_CONN_F_REPLY	0x40	/* node[REPLY] linked; under both locks */
#define LBNIC_CONN_F_DEAD	0x80	/* unlinked; under both bucket locks */

/*
 * What the datapath has seen of a connection (c->seen, set with cmpxchg,
 * never cleared but for the TCP tracking bits of a client that sends its
 * SYN again before the backend answered: tcp.c).
 */
#define LBNIC_SEEN_REPLY	0x01	/* a packet in the reply direction */
#define LBNIC_SEEN_ASSURED	0x02	/* a real flow: never evicted early */
#define LBNIC_SEEN_SEQ(dir)	(0x04 << (dir))	/* tcp_end[dir] is valid */
#define LBNIC_SEEN_ACK(dir)	(0x10 << (dir))	/* tcp_ack[dir] is valid */
#define LBNIC_SEEN_FIN(dir)	(0x40 << (dir))	/* an in-window FIN */
#define LBNIC_SEEN_TCP		0xfc

/*
 * One connection, found from both directions: node[LBNIC_DIR_ORIG] is hashed
 * on client -> VIP, node[LBNIC_DIR_REPLY] on backend -> local address (the
 * client's own in nat mode, the SNAT address in fullnat; dsr has no reply
 * node).  The direction of a node is its position: entries are cache-line
 * aligned, so bit 3 of a node's address tells which one it is.
 *
 * Lookups read the first two cache lines under RCU and write there only
 * @state (cmpxchg, on TCP flag changes), @expires (at most once a second
 * per flow, see lbnic_conn_touch()) and, once each in a connection's life,
 * @cookie and @ofl; everything else in them is set before the entry is
 * published.  The third line is the one the datapath writes on every
 * packet (counters, TCP sequence tracking) and the agent's reports, so
 * that those writes do not take the lookup lines away from the other CPUs
 * that see the flow.
 */
struct lbnic_conn {
	struct lbnic_conn_node node[2];
	u8 proto;
	u8 family;
	u8 state;		/* enum lbnic_conn_state */
	u8 flags;		/* mode, LBNIC_CONN_F_* */
	u32 expires;		/* jiffies, truncated to 32 bits */
	union nf_inet_addr caddr;	/* client */
	union nf_inet_addr vaddr;	/* VIP */
	__be16 cport;
	__be16 vport;
	__be16 dport;
	__be16 lport;
	union nf_inet_addr daddr;	/* backend */
	union nf_inet_addr laddr;	/* source toward the backend */
	struct lbnic_backend *backend;	/* holds a reference */
	u32 created;		/* jiffies */
	u8 ofl;			/* enum lbnic_ofl, cmpxchg */
	int iif[2];		/* ingress ifindex per direction, when it changes */
	u64 cookie;		/* offload: set once, when announced */

	atomic64_t packets[2] ____cacheline_aligned;	/* per direction */
	union {
		/*
		 * TCP, per direction (kmod/tcp.c): end of the furthest
		 * segment, highest ACK, largest window (scaled), and the
		 * SYN's window scale.
		 */
		struct {
			u32 tcp_end[2];
			u32 tcp_ack[2];
			u32 tcp_win[2];
		};
		/*
		 * An L7 connection is two TCP connections, each followed by
		 * the engine itself (kmod/l7.c): its state, made with the
		 * entry and freed with it.
		 */
		struct lbnic_l7 *l7;
	};
	u8 tcp_wscale[2];	/* LBNIC_WSCALE_* */
	u8 seen;		/* LBNIC_SEEN_* */
	u8 ofl_state;		/* enum lbnic_offload_state, agent's report */
	u16 ofl_err;		/* errno of a refusal */
	struct rcu_head rcu;
};

/* c->tcp_wscale[]: no SYN seen; a SYN without the option; 2 + its scale. */
#define LBNIC_WSCALE_UNSEEN	0
#define LBNIC_WSCALE_NONE	1
#define LBNIC_WSCALE_BASE	2

/* A connection's offload life: announced once, withdrawn once. */
enum lbnic_ofl {
	LBNIC_OFL_NONE,		/* not (yet) a candidate */
	LBNIC_OFL_READY,	/* announced; its rules may exist */
	LBNIC_OFL_GONE,		/* withdrawn: its rules must go */
};

static inline enum lbnic_fwd_mode lbnic_conn_mode(const struct lbnic_conn *c)
{
	return c->flags & LBNIC_CONN_MODE_MASK;
}

struct mem_cgroup;

struct lbnic_conn_table {
	struct lbnic_conn_node __rcu **buckets;
	unsigned int mask;
	u32 seed;
	atomic_t count;
	atomic64_t refused;
	struct lbnic_net *ln;
	struct delayed_work gc_work;
	unsigned int gc_next;		/* next bucket the collector scans */
	spinlock_t *locks;
	u32 reserved;			/* entries reserved (limits.c); ln->lock */
	struct mem_cgroup *memcg;	/* charged for the entries, or NULL */
};

int lbnic_conn_cache_init(void);
void lbnic_conn_cache_exit(void);

int lbnic_conn_table_create(struct lbnic_net *ln, struct netlink_ext_ack *extack);
void lbnic_conn_table_destroy(struct lbnic_net *ln);

void lbnic_conn_gc_pause(struct lbnic_conn_table *t, bool pause);
struct lbnic_conn *lbnic_conn_lookup(struct lbnic_conn_table *t,
				     const struct lbnic_tuple *k,
				     enum lbnic_dir *dir);
struct lbnic_conn *lbnic_conn_create(struct lbnic_conn_table *t,
				     struct lbnic_backend *be,
				     const struct lbnic_tuple *k, u8 state);
struct lbnic_conn *lbnic_conn_create_front(struct lbnic_conn_table *t,
					   struct lbnic_service *svc,
					   const struct lbnic_tuple *k, u8 state,
					   struct lbnic_l7 *l7);
int lbnic_conn_bind(struct lbnic_conn_table *t, struct lbnic_conn *c,
		    struct lbnic_backend *be);
void lbnic_conn_set_state(struct lbnic_conn *c, u8 state,
			  const struct lbnic_timeouts *to);
void lbnic_conn_expire(struct lbnic_conn_table *t, struct lbnic_conn *c);

/* Sets @bits in c->seen; false if they were all set already. */
static inline bool lbnic_conn_see(struct lbnic_conn *c, u8 bits)
{
	u8 old = READ_ONCE(c->seen), prev;

	while ((old & bits) != bits) {
		prev = cmpxchg(&c->seen, old, old | bits);
		if (prev == old)
			return true;
		old = prev;
	}
	return false;
}

static inline void lbnic_conn_unsee(struct lbnic_conn *c, u8 bits)
{
	u8 old = READ_ONCE(c->seen), prev;

	while (old & bits) {
		prev = cmpxchg(&c->seen, old, old & ~bits);
		if (prev == old)
			return;
		old = prev;
	}
}

/*
 * The timeout of @c's state.  An entry made mid-flow (another box had the
 * flow, or a spoofer sent an ACK) is ESTABLISHED, but lives only as long as
 * a SYN's until the flow proves itself (LBNIC_SEEN_ASSURED).
 */
static inline u32 lbnic_conn_timeout(const struct lbnic_conn *c,
				     const struct lbnic_timeouts *to)
{
	u8 state = READ_ONCE(c->state);

	if (state == LBNIC_CONN_S_ESTABLISHED &&
	    !(READ_ONCE(c->seen) & LBNIC_SEEN_ASSURED))
		state = LBNIC_CONN_S_SYN;
	return READ_ONCE(to->t[state]);
}

static inline void lbnic_conn_touch(struct lbnic_conn *c,
				    const struct lbnic_timeouts *to)
{
	u32 expires = (u32)jiffies + lbnic_conn_timeout(c, to);

	/*
	 * Coarse refresh: most packets of a busy flow only read the entry, so
	 * its cache line stays shared between the CPUs that see the flow.
	 */
	if ((s32)(expires - READ_ONCE(c->expires)) >= (s32)HZ)
		WRITE_ONCE(c->expires, expires);
}

/* Where a walk over the table stands: a bucket and entries done in it. */
struct lbnic_conn_pos {
	unsigned long bucket;
	unsigned long skip;
};

int lbnic_conn_walk(struct lbnic_conn_table *t, struct lbnic_conn_pos *pos,
		    int (*fn)(const struct lbnic_conn *c, void *arg), void *arg,
		    unsigned long budget);
unsigned int lbnic_conn_entry_size(void);

typedef bool (*lbnic_conn_match_t)(const struct lbnic_conn *c, const void *arg);
unsigned int lbnic_conn_flush(struct lbnic_conn_table *t,
			      lbnic_conn_match_t match, const void *arg);
void lbnic_conn_fill_tuple(const struct lbnic_conn *c, enum lbnic_dir dir,
			   struct lbnic_tuple *k);

#endif /* _LBNIC_CONN_H */
