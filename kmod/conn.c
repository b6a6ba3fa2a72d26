// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: the connection table (seed 000, section 3.2).
 *
 * Lookups take no lock and allocate nothing: they walk one bucket's RCU
 * chain.  Writers lock only the one or two buckets they touch, through a
 * striped lock array, so inserts on different flows rarely meet.  Each
 * connection is linked twice, once per direction, so replies find the entry
 * their flow created (two-direction consistency, seed 002).  The table is
 * bounded; a delayed work reclaims expired entries a slice of buckets at a
 * time, never walking the whole table under a lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "conn.h"
#include "fwd.h"
#include "l7.h"
#include "limits.h"
#include "offload.h"
#include "service.h"
#include "tcp.h"

#define LBNIC_CONN_LOCKS	1024
/* The collector runs ten times a second and sweeps the table in two. */
#define LBNIC_GC_INTERVAL	(HZ / 10)
#define LBNIC_GC_SLICES		20
#define LBNIC_SNAT_TRIES	64
/* How far a full table looks for an entry to evict (conntrack's is 8). */
#define LBNIC_EVICT_BUCKETS	64
#define LBNIC_EVICT_ENTRIES	8

static struct kmem_cache *lbnic_conn_cache __ro_after_init;

static u32 lbnic_tuple_hash(const struct lbnic_conn_table *t,
			    const struct lbnic_tuple *k)
{
	return lbnic_tuple_jhash(k, t->seed) & t->mask;
}

void lbnic_conn_fill_tuple(const struct lbnic_conn *c, enum lbnic_dir dir,
			   struct lbnic_tuple *k)
{
	k->proto = c->proto;
	k->family = c->family;
	if (dir == LBNIC_DIR_ORIG) {
		k->saddr = c->caddr;
		k->daddr = c->vaddr;
		k->sport = c->cport;
		k->dport = c->vport;
	} else {
		k->saddr = c->daddr;
		k->daddr = c->laddr;
		k->sport = c->dport;
		k->dport = c->lport;
	}
}

static bool lbnic_conn_match(const struct lbnic_conn *c, enum lbnic_dir dir,
			     const struct lbnic_tuple *k)
{
	if (c->proto != k->proto || c->family != k->family)
		return false;
	if (dir == LBNIC_DIR_ORIG)
		return c->cport == k->sport && c->vport == k->dport &&
		       lbnic_addr_eq(&c->caddr, &k->saddr) &&
		       lbnic_addr_eq(&c->vaddr, &k->daddr);
	return c->dport == k->sport && c->lport == k->dport &&
	       lbnic_addr_eq(&c->daddr, &k->saddr) &&
	       lbnic_addr_eq(&c->laddr, &k->daddr);
}

static struct lbnic_conn *lbnic_node_conn(const struct lbnic_conn_node *n,
					  enum lbnic_dir *dir)
{
	*dir = ((unsigned long)n / sizeof(*n)) & 1;
	return container_of(n - *dir, struct lbnic_conn, node[0]);
}

/* Found from the reply direction too: under a bucket lock, or published. */
static bool lbnic_conn_two_way(const struct lbnic_conn *c)
{
	return READ_ONCE(c->flags) & LBNIC_CONN_F_REPLY;
}

struct lbnic_conn *lbnic_conn_lookup(struct lbnic_conn_table *t,
				     const struct lbnic_tuple *k,
				     enum lbnic_dir *dir)
{
	struct lbnic_conn_node *n;
	struct lbnic_conn *c;

	for (n = rcu_dereference(t->buckets[lbnic_tuple_hash(t, k)]); n;
	     n = rcu_dereference(n->next)) {
		c = lbnic_node_conn(n, dir);
		if (lbnic_conn_match(c, *dir, k))
			return c;
	}
	return NULL;
}

/* Exported only to the table microbenchmark, bench/kmod. */
EXPORT_SYMBOL_NS_GPL(lbnic_conn_lookup, LBNIC_INTERNAL);

/* The bucket of @k holds it; the caller has the bucket's lock. */
static bool lbnic_bucket_has(struct lbnic_conn_table *t, u32 h,
			     const struct lbnic_tuple *k)
{
	spinlock_t *lock = &t->locks[h % LBNIC_CONN_LOCKS];
	struct lbnic_conn_node *n;
	enum lbnic_dir dir;

	for (n = rcu_dereference_protected(t->buckets[h], lockdep_is_held(lock));
	     n; n = rcu_dereference_protected(n->next, lockdep_is_held(lock)))
		if (lbnic_conn_match(lbnic_node_conn(n, &dir), dir, k))
			return true;
	return false;
}

static void lbnic_bucket_link(struct lbnic_conn_table *t, u32 h,
			      struct lbnic_conn_node *n)
{
	spinlock_t *lock = &t->locks[h % LBNIC_CONN_LOCKS];

	RCU_INIT_POINTER(n->next, rcu_dereference_protected(t->buckets[h],
							    lockdep_is_held(lock)));
	rcu_assign_pointer(t->buckets[h], n);
}

static void lbnic_bucket_unlink(struct lbnic_conn_table *t, u32 h,
				struct lbnic_conn_node *n)
{
	spinlock_t *lock = &t->locks[h % LBNIC_CONN_LOCKS];
	struct lbnic_conn_node __rcu **pp = &t->buckets[h];
	struct lbnic_conn_node *p, *next;

	/* Chains are short; readers still on @n follow its intact ->next. */
	while ((p = rcu_dereference_protected(*pp, lockdep_is_held(lock)))) {
		if (p == n) {
			next = rcu_dereference_protected(n->next, lockdep_is_held(lock));
			rcu_assign_pointer(*pp, next);
			return;
		}
		pp = &p->next;
	}
	WARN_ON_ONCE(1);
}

/* Locks the buckets of both directions, in a fixed order. */
static void lbnic_lock_pair(struct lbnic_conn_table *t, u32 h0, u32 h1)
	__acquires(lock0) __acquires(lock1)
{
	unsigned int l0 = h0 % LBNIC_CONN_LOCKS, l1 = h1 % LBNIC_CONN_LOCKS;

	if (l0 > l1)
		swap(l0, l1);
	spin_lock_bh(&t->locks[l0]);
	if (l1 != l0)
		spin_lock_nested(&t->locks[l1], SINGLE_DEPTH_NESTING);
	else
		__acquire(lock1);	/* for sparse: one lock stands for both */
}

static void lbnic_unlock_pair(struct lbnic_conn_table *t, u32 h0, u32 h1)
	__releases(lock0) __releases(lock1)
{
	unsigned int l0 = h0 % LBNIC_CONN_LOCKS, l1 = h1 % LBNIC_CONN_LOCKS;

	if (l0 > l1)
		swap(l0, l1);
	if (l1 != l0)
		spin_unlock(&t->locks[l1]);
	else
		__release(lock1);
	spin_unlock_bh(&t->locks[l0]);
}

/* The tuples of @c's directions (@reply: both) and their buckets. */
static void lbnic_conn_hashes(struct lbnic_conn_table *t,
			      const struct lbnic_conn *c,
			      struct lbnic_tuple k[2], u32 h[2], bool reply)
{
	memset(k, 0, 2 * sizeof(*k));
	lbnic_conn_fill_tuple(c, LBNIC_DIR_ORIG, &k[0]);
	h[0] = lbnic_tuple_hash(t, &k[0]);
	if (!reply) {
		h[1] = h[0];
		return;
	}
	lbnic_conn_fill_tuple(c, LBNIC_DIR_REPLY, &k[1]);
	h[1] = lbnic_tuple_hash(t, &k[1]);
}

/*
 * Links @c under its original direction and, if it has a backend whose
 * replies come back through lbnic, under the reply one, unless either is
 * taken: -EEXIST when the flow itself is (another CPU won the race for its
 * first packet), -EADDRINUSE when only the reply tuple is (a fullnat port
 * in use).
 */
static int lbnic_conn_link(struct lbnic_conn_table *t, struct lbnic_conn *c)
{
	bool two_way = c->backend && lbnic_conn_ops(c)->two_way;
	struct lbnic_tuple k[2];
	int err = 0;
	u32 h[2];

	lbnic_conn_hashes(t, c, k, h, two_way);
	lbnic_lock_pair(t, h[0], h[1]);
	if (lbnic_bucket_has(t, h[0], &k[0])) {
		err = -EEXIST;
		goto out;
	}
	if (two_way && lbnic_bucket_has(t, h[1], &k[1])) {
		err = -EADDRINUSE;
		goto out;
	}
	if (two_way) {
		c->flags |= LBNIC_CONN_F_REPLY;
		lbnic_bucket_link(t, h[1], &c->node[LBNIC_DIR_REPLY]);
	}
	lbnic_bucket_link(t, h[0], &c->node[LBNIC_DIR_ORIG]);
out:
	lbnic_unlock_pair(t, h[0], h[1]);
	return err;
}

/* Unlinks @c unless someone else did; true if this call did. */
static bool lbnic_conn_unlink(struct lbnic_conn_table *t, struct lbnic_conn *c)
{
	struct lbnic_tuple k[2];
	bool done = false, reply;
	u32 h[2];

again:
	reply = lbnic_conn_two_way(c);
	lbnic_conn_hashes(t, c, k, h, reply);
	lbnic_lock_pair(t, h[0], h[1]);
	/* lbnic_conn_bind() linked the reply node meanwhile: lock its bucket too. */
	if (reply != lbnic_conn_two_way(c)) {
		lbnic_unlock_pair(t, h[0], h[1]);
		goto again;
	}
	if (!(c->flags & LBNIC_CONN_F_DEAD)) {
		lbnic_bucket_unlink(t, h[0], &c->node[LBNIC_DIR_ORIG]);
		if (reply)
			lbnic_bucket_unlink(t, h[1], &c->node[LBNIC_DIR_REPLY]);
		c->flags |= LBNIC_CONN_F_DEAD;
		done = true;
	}
	lbnic_unlock_pair(t, h[0], h[1]);
	return done;
}

/* Queues no other callback: lbnic_rcu_drain()'s first barrier covers it. */
static void lbnic_conn_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(lbnic_conn_cache, container_of(head, struct lbnic_conn, rcu));
}

/*
 * After unlinking: settle the counters, let the mode drop its own state,
 * then free once readers are gone.  An L7 entry may have no backend yet.
 */
static void lbnic_conn_release(struct lbnic_conn_table *t, struct lbnic_conn *c)
{
	const struct lbnic_fwd_ops *ops = lbnic_conn_ops(c);
	u8 old = xchg(&c->state, LBNIC_CONN_S_NONE);

	lbnic_offload_gone(t->ln, c);
	if (ops->release)
		ops->release(c);
	if (c->backend) {
		lbnic_backend_account(c->backend, old, LBNIC_CONN_S_NONE);
		lbnic_backend_put(c->backend);
	}
	atomic_dec(&t->count);
	call_rcu(&c->rcu, lbnic_conn_free_rcu);
}

/* Takes @c out of the table now, whatever its timeout says. */
void lbnic_conn_expire(struct lbnic_conn_table *t, struct lbnic_conn *c)
{
	if (lbnic_conn_unlink(t, c))
		lbnic_conn_release(t, c);
}
EXPORT_SYMBOL_NS_GPL(lbnic_conn_expire, LBNIC_INTERNAL);

void lbnic_conn_set_state(struct lbnic_conn *c, u8 state,
			  const struct lbnic_timeouts *to)
{
	u8 old = READ_ONCE(c->state);

	/* NONE is final: the entry is being torn down. */
	if (old == state || old == LBNIC_CONN_S_NONE)
		return;
	if (cmpxchg(&c->state, old, state) != old)
		return;
	WRITE_ONCE(c->expires, (u32)jiffies + lbnic_conn_timeout(c, to));
	/* An L7 entry's is set once, under its engine's lock, as are its states. */
	if (READ_ONCE(c->backend))
		lbnic_backend_account(c->backend, old, state);
}

/*
 * Links only @c's reply node, now that @be is its backend: -EADDRINUSE if
 * the reply tuple is taken, -ENOENT if @c was unlinked meanwhile.
 */
static int lbnic_conn_link_reply(struct lbnic_conn_table *t, struct lbnic_conn *c,
				 struct lbnic_backend *be)
{
	struct lbnic_tuple k[2];
	int err = 0;
	u32 h[2];

	lbnic_conn_hashes(t, c, k, h, true);
	lbnic_lock_pair(t, h[0], h[1]);
	if (c->flags & LBNIC_CONN_F_DEAD) {
		err = -ENOENT;
		goto out;
	}
	if (lbnic_bucket_has(t, h[1], &k[1])) {
		err = -EADDRINUSE;
		goto out;
	}
	/*
	 * Counted before it is seen: once @c->backend is, a release (which
	 * must unlink first, under these locks) counts it off again.
	 */
	lbnic_backend_account(be, LBNIC_CONN_S_NONE, READ_ONCE(c->state));
	WRITE_ONCE(c->backend, be);
	c->flags |= LBNIC_CONN_F_REPLY;
	lbnic_bucket_link(t, h[1], &c->node[LBNIC_DIR_REPLY]);
out:
	lbnic_unlock_pair(t, h[0], h[1]);
	return err;
}

/*
 * Picks a source port from the SNAT range, and links @c: whole, or (@be
 * given, for an entry already in the table) its reply node with @be as its
 * backend.  The reply tuple must be unused.
 */
static int lbnic_conn_link_snat(struct lbnic_conn_table *t,
				struct lbnic_conn *c,
				const struct lbnic_service *svc,
				struct lbnic_backend *be)
{
	u32 range = svc->snat_port_max - svc->snat_port_min + 1;
	/* A prime stride visits every port, unless the range is its multiple. */
	u32 stride = range % 7919 ? 7919 : 1;
	u32 off = get_random_u32();
	int i, err;

	for (i = 0; i < LBNIC_SNAT_TRIES; i++) {
		WRITE_ONCE(c->lport,
			   htons(svc->snat_port_min + (off + i * stride) % range));
		err = be ? lbnic_conn_link_reply(t, c, be) : lbnic_conn_link(t, c);
		if (err != -EADDRINUSE)
			return err;
	}
	return -EADDRNOTAVAIL;
}

/*
 * A full table makes room as nf_conntrack's early_drop() does: it evicts an
 * entry that never proved to be a real flow (LBNIC_SEEN_ASSURED), or one
 * that ended (lbnic_tcp_ended()), found near @h, where the new entry goes.
 * Entries of spoofed SYNs and stray segments go; established flows are
 * never evicted.  Bounded work:
 * a few entries, in at most LBNIC_EVICT_BUCKETS buckets (a table whose
 * conn-max was lowered after it was made may have none there: refused).
 */
static bool lbnic_conn_early_drop(struct lbnic_conn_table *t, u32 h)
{
	struct lbnic_conn_node *n;
	unsigned int i, seen = 0;
	struct lbnic_conn *c;
	enum lbnic_dir dir;

	for (i = 0; i < LBNIC_EVICT_BUCKETS && seen < LBNIC_EVICT_ENTRIES; i++) {
		for (n = rcu_dereference(t->buckets[(h + i) & t->mask]); n;
		     n = rcu_dereference(n->next)) {
			c = lbnic_node_conn(n, &dir);
			if (dir != LBNIC_DIR_ORIG)
				continue;
			seen++;
			/* Proven flows stay, unless they really ended. */
			if ((READ_ONCE(c->seen) & LBNIC_SEEN_ASSURED) &&
			    !(c->proto == IPPROTO_TCP && lbnic_tcp_ended(c)))
				continue;
			if (!lbnic_conn_unlink(t, c))
				continue;
			lbnic_conn_release(t, c);
			lbnic_stat_inc(t->ln, LBNIC_NET_STAT_EARLY_DROP);
			return true;
		}
	}
	return false;
}

/* Charged, in any context, to the memory cgroup the table's was (limits.c). */
static struct lbnic_conn *lbnic_conn_alloc(struct lbnic_conn_table *t)
{
	struct mem_cgroup *old = set_active_memcg(t->memcg);
	struct lbnic_conn *c;

	c = kmem_cache_zalloc(lbnic_conn_cache,
			      GFP_ATOMIC | (t->memcg ? __GFP_ACCOUNT : 0));
	set_active_memcg(old);
	return c;
}

/* Counts and allocates an entry for the flow @k; the caller links it. */
static struct lbnic_conn *lbnic_conn_new(struct lbnic_conn_table *t,
					 const struct lbnic_tuple *k, u8 state,
					 u8 mode)
{
	struct lbnic_net *ln = t->ln;
	struct lbnic_conn *c;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "connection entry made outside RCU");
	if (atomic_inc_return(&t->count) > READ_ONCE(ln->conn_max) &&
	    !lbnic_conn_early_drop(t, lbnic_tuple_hash(t, k))) {
		atomic_dec(&t->count);
		atomic64_inc(&t->refused);
		net_warn_ratelimited("lbnic: connection table full (%u), new flow refused\n",
				     READ_ONCE(ln->conn_max));
		return ERR_PTR(-ENOSPC);
	}
	c = lbnic_conn_alloc(t);
	if (!c) {
		atomic_dec(&t->count);
		return ERR_PTR(-ENOMEM);
	}
	c->proto = k->proto;
	c->family = k->family;
	c->state = state;
	c->flags = mode;
	c->created = (u32)jiffies;
	c->expires = c->created + lbnic_conn_timeout(c, &ln->timeouts);
	c->caddr = k->saddr;
	c->cport = k->sport;
	c->vaddr = k->daddr;
	c->vport = k->dport;
	return c;
}

/* Undoes lbnic_conn_new() for an entry that was never linked. */
static void lbnic_conn_discard(struct lbnic_conn_table *t, struct lbnic_conn *c)
{
	kmem_cache_free(lbnic_conn_cache, c);
	atomic_dec(&t->count);
}

struct lbnic_conn *lbnic_conn_create(struct lbnic_conn_table *t,
				     struct lbnic_backend *be,
				     const struct lbnic_tuple *k, u8 state)
{
	const struct lbnic_service *svc = be->svc;
	struct lbnic_conn *c;
	int err;

	if (!refcount_inc_not_zero(&be->refcnt))
		return ERR_PTR(-ENOENT);
	c = lbnic_conn_new(t, k, state, svc->mode);
	if (IS_ERR(c)) {
		err = PTR_ERR(c);
		goto err_new;
	}
	c->daddr = be->addr;
	c->dport = be->port;
	c->backend = be;
	if (lbnic_fwd_ops_of(svc->mode)->snat) {
		c->laddr = svc->snat_addr;
		err = lbnic_conn_link_snat(t, c, svc, NULL);
	} else {
		c->laddr = k->saddr;
		c->lport = k->sport;
		err = lbnic_conn_link(t, c);
	}
	if (err)
		goto err_link;

	lbnic_backend_account(be, LBNIC_CONN_S_NONE, state);
	lbnic_backend_count_conn(be);
	return c;

err_link:
	lbnic_conn_discard(t, c);
err_new:
	lbnic_backend_put(be);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_NS_GPL(lbnic_conn_create, LBNIC_INTERNAL);

/*
 * An L7 connection's entry, made when the client completes its handshake
 * and found only from the client until lbnic_conn_bind() gives it a
 * backend.  It owns @l7 once made (the mode's release operation frees it);
 * on failure the caller still does.
 */
struct lbnic_conn *lbnic_conn_create_front(struct lbnic_conn_table *t,
					   struct lbnic_service *svc,
					   const struct lbnic_tuple *k, u8 state,
					   struct lbnic_l7 *l7)
{
	struct lbnic_conn *c;
	int err;

	c = lbnic_conn_new(t, k, state, svc->mode);
	if (IS_ERR(c)) {
		err = PTR_ERR(c);
		goto err_new;
	}
	c->l7 = l7;
	l7->c = c;
	c->laddr = svc->snat_addr;
	err = lbnic_conn_link(t, c);
	if (err)
		goto err_link;
	return c;

err_link:
	lbnic_conn_discard(t, c);
err_new:
	return ERR_PTR(err);
}

/*
 * Gives @c its backend and a source port toward it, and links its reply
 * direction.  Until the reply node is published nothing reads what is set
 * here but the engine that calls it (and dumps, which may see it half set).
 */
int lbnic_conn_bind(struct lbnic_conn_table *t, struct lbnic_conn *c,
		    struct lbnic_backend *be)
{
	int err;

	if (!refcount_inc_not_zero(&be->refcnt))
		return -ENOENT;
	c->daddr = be->addr;
	WRITE_ONCE(c->dport, be->port);
	err = lbnic_conn_link_snat(t, c, be->svc, be);
	if (err) {
		lbnic_backend_put(be);
		return err;
	}
	lbnic_backend_count_conn(be);
	return 0;
}

/*
 * Removes the entries of buckets [@from, @to) that @match accepts (all if
 * it is NULL), sleeping now and then; removing all, the walk stops once the
 * table is empty.  One read section per 256 buckets, not per bucket: most
 * buckets are empty, and under lockdep an rcu_read_lock() costs more than
 * reading a bucket.  Returns how many it removed.
 */
static unsigned int lbnic_conn_sweep(struct lbnic_conn_table *t,
				     unsigned int from, unsigned int to,
				     lbnic_conn_match_t match, const void *arg)
{
	unsigned int i, removed = 0;
	struct lbnic_conn_node *n;
	struct lbnic_conn *c;
	enum lbnic_dir dir;

	rcu_read_lock();
	for (i = from; i < to && (match || atomic_read(&t->count)); i++) {
		for (n = rcu_dereference(t->buckets[i]); n;
		     n = rcu_dereference(n->next)) {
			c = lbnic_node_conn(n, &dir);
			/* Each entry is handled from its original direction. */
			if (dir != LBNIC_DIR_ORIG || (match && !match(c, arg)))
				continue;
			if (lbnic_conn_unlink(t, c)) {
				lbnic_conn_release(t, c);
				removed++;
			}
		}
		if (!((i + 1) % 256)) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	return removed;
}

/* Removes every entry @match accepts (all if it is NULL). */
unsigned int lbnic_conn_flush(struct lbnic_conn_table *t,
			      lbnic_conn_match_t match, const void *arg)
{
	return lbnic_conn_sweep(t, 0, t->mask + 1, match, arg);
}

/*
 * Calls @fn on each entry from @pos on, until it returns non-zero; @pos then
 * names that entry, so that the next call (the next dump message) resumes
 * with it.  Walks at most @budget buckets, and returns 1 when they are
 * spent.  Entries added or removed meanwhile may be seen or missed.
 */
int lbnic_conn_walk(struct lbnic_conn_table *t, struct lbnic_conn_pos *pos,
		    int (*fn)(const struct lbnic_conn *c, void *arg), void *arg,
		    unsigned long budget)
{
	struct lbnic_conn_node *n;
	struct lbnic_conn *c;
	enum lbnic_dir dir;
	unsigned long i;
	int err = 0;

	/* One read section per 256 buckets, as in lbnic_conn_sweep(). */
	rcu_read_lock();
	for (; pos->bucket <= t->mask; pos->bucket++, pos->skip = 0) {
		if (!budget--) {
			err = 1;
			break;
		}
		i = 0;
		for (n = rcu_dereference(t->buckets[pos->bucket]); n;
		     n = rcu_dereference(n->next)) {
			c = lbnic_node_conn(n, &dir);
			if (dir != LBNIC_DIR_ORIG || i++ < pos->skip)
				continue;
			err = fn(c, arg);
			if (err) {
				pos->skip = i - 1;
				goto out;
			}
		}
		if (!((pos->bucket + 1) % 256)) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
out:
	rcu_read_unlock();
	return err;
}

/* What one connection costs in memory, both directions, slab padding included. */
unsigned int lbnic_conn_entry_size(void)
{
	return kmem_cache_size(lbnic_conn_cache);
}

static bool lbnic_conn_expired(const struct lbnic_conn *c, const void *arg)
{
	return (s32)((u32)jiffies - READ_ONCE(c->expires)) >= 0;
}

static void lbnic_conn_gc(struct work_struct *work)
{
	struct lbnic_conn_table *t = container_of(to_delayed_work(work),
						  struct lbnic_conn_table,
						  gc_work);
	unsigned int slice = (t->mask + 1) / LBNIC_GC_SLICES + 1;
	unsigned int end = min(t->gc_next + slice, t->mask + 1);

	/* An empty table has nothing to collect: no sweep of its buckets. */
	if (!atomic_read(&t->count))
		end = t->gc_next;
	lbnic_conn_sweep(t, t->gc_next, end, lbnic_conn_expired, NULL);
	t->gc_next = end > t->mask ? 0 : end;
	queue_delayed_work(system_power_efficient_wq, &t->gc_work,
			   LBNIC_GC_INTERVAL);
}

/*
 * For bench/kmod only, with ln->lock held so the table stays: the
 * microbenchmark stops the collector while it times the kernel's tables
 * beside this one, so that only lbnic's own runs pay for it.
 */
void lbnic_conn_gc_pause(struct lbnic_conn_table *t, bool pause)
{
	lockdep_assert_held(&t->ln->lock);
	if (pause)
		cancel_delayed_work_sync(&t->gc_work);
	else
		queue_delayed_work(system_power_efficient_wq, &t->gc_work,
				   LBNIC_GC_INTERVAL);
}
EXPORT_SYMBOL_NS_GPL(lbnic_conn_gc_pause, LBNIC_INTERNAL);

int lbnic_conn_table_create(struct lbnic_net *ln, struct netlink_ext_ack *extack)
{
	unsigned int i, buckets;
	struct lbnic_conn_table *t;
	int err = -ENOMEM;

	lockdep_assert_held(&ln->lock);
	if (rcu_access_pointer(ln->conns))
		return 0;

	/* About one node per bucket with the table half full. */
	buckets = roundup_pow_of_two(max(ln->conn_max, LBNIC_CONN_MAX_MIN));
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		goto err_table;
	err = lbnic_limits_reserve(ln, &t->reserved, ln->conn_max, extack);
	if (err)
		goto err_reserve;
	err = -ENOMEM;
	t->buckets = kvcalloc(buckets, sizeof(*t->buckets), GFP_KERNEL_ACCOUNT);
	if (!t->buckets)
		goto err_buckets;
	t->locks = kvmalloc_array(LBNIC_CONN_LOCKS, sizeof(*t->locks),
				  GFP_KERNEL_ACCOUNT);
	if (!t->locks)
		goto err_locks;
	for (i = 0; i < LBNIC_CONN_LOCKS; i++)
		spin_lock_init(&t->locks[i]);
	/* The entries of an unprivileged user's table are theirs to pay for. */
	if (lbnic_net_unpriv(ln))
		t->memcg = get_mem_cgroup_from_mm(current->mm);
	t->mask = buckets - 1;
	t->seed = get_random_u32();
	t->ln = ln;
	INIT_DELAYED_WORK(&t->gc_work, lbnic_conn_gc);
	rcu_assign_pointer(ln->conns, t);
	queue_delayed_work(system_power_efficient_wq, &t->gc_work,
			   LBNIC_GC_INTERVAL);
	return 0;

err_locks:
	kvfree(t->buckets);
err_buckets:
	lbnic_limits_reserve(ln, &t->reserved, 0, NULL);
err_reserve:
	kfree(t);
err_table:
	return err;
}

/*
 * Netns exit: the hooks are gone and a grace period passed, so nothing adds
 * entries any more, and the offload work is the one reader left.
 */
void lbnic_conn_table_destroy(struct lbnic_net *ln)
{
	struct lbnic_conn_table *t = rcu_dereference_protected(ln->conns, 1);

	if (!t)
		return;
	cancel_delayed_work_sync(&t->gc_work);
	lbnic_conn_flush(t, NULL, NULL);
	RCU_INIT_POINTER(ln->conns, NULL);
	/* Its last run may hold @t; any later one finds none. */
	flush_work(&ln->offload.work);
	/*
	 * So may an L7 timer that ran when its entry was flushed (the flush
	 * deletes timers without waiting): timer callbacks are RCU readers,
	 * and nothing can arm them again.  What they queue is call_rcu()
	 * work, which the module's exit waits for.
	 */
	synchronize_rcu();
	lbnic_limits_reserve(ln, &t->reserved, 0, NULL);
	mem_cgroup_put(t->memcg);
	kvfree(t->locks);
	kvfree(t->buckets);
	kfree(t);
}

int lbnic_conn_cache_init(void)
{
	/*
	 * Three cache lines (two read-mostly, one written), and the alignment
	 * lbnic_node_conn() relies on.
	 */
	BUILD_BUG_ON(offsetof(struct lbnic_conn, node) != 0);
	BUILD_BUG_ON(sizeof(struct lbnic_conn) > 192);
	lbnic_conn_cache = kmem_cache_create("lbnic_conn", sizeof(struct lbnic_conn),
					     64, SLAB_HWCACHE_ALIGN, NULL);
	return lbnic_conn_cache ? 0 : -ENOMEM;
}

/* After lbnic_rcu_drain(): no lbnic_conn_free_rcu() is pending. */
void lbnic_conn_cache_exit(void)
{
	kmem_cache_destroy(lbnic_conn_cache);
}
