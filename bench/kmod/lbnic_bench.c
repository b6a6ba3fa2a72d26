// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic_bench: the connection-table microbenchmark of seed 000 (Figure 5),
 * run at insmod like lib/test_rhashtable.c.  It times lookups and inserts of
 * lbnic's own table (through lbnic.ko, in the initial netns, which must have
 * a service with a backend and conn-max >= entries) beside the kernel's
 * rhashtable and an IPVS-style table (hlist buckets, 32 cache-aligned
 * spinlocks, as net/netfilter/ipvs/ip_vs_conn.c), all with the same keys:
 * IPv4 TCP 5-tuples, each entry findable from both directions.
 *
 * At each occupancy (50% and 90% of @entries), @reps rounds over the three
 * tables in turn: @lookups random lookups per thread, alternating the two
 * directions, and inserts of the next 5% of @entries (removed again,
 * untimed), on 1 and on 2 CPUs.  Each result is a line "lbnic_bench:
 * result TABLE OP OCC THREADS MOPS ROUND" in the kernel log.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "conn.h"
#include "service.h"

static unsigned int entries = 1 << 20;
module_param(entries, uint, 0444);
MODULE_PARM_DESC(entries, "Table capacity; occupancies are shares of it (default 1M)");
static unsigned int lookups = 1 << 20;
module_param(lookups, uint, 0444);
MODULE_PARM_DESC(lookups, "Lookups per thread per run (default 1M)");
static unsigned int reps = 3;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "Runs of each measurement (default 3)");

#define BENCH_MAX_THREADS	2
#define BENCH_INSERT_PCT	5

/* Key i, from client 10.128.0.0/9 port 1024+ to the VIP, and its reply. */
static struct lbnic_tuple *keys;
static struct lbnic_tuple *rkeys;

struct bench_table {
	const char *name;
	int (*init)(void);
	void (*fini)(void);
	int (*insert)(unsigned int i);
	bool (*lookup)(const struct lbnic_tuple *k);
	void (*remove)(unsigned int i);
};

/* lbnic: the real table of lbnic.ko, through the datapath's own calls. */
static struct lbnic_net *lbn;
static struct lbnic_conn_table *lbt;
static struct lbnic_backend *lbbe;

static int lbnic_t_init(void)
{
	struct lbnic_service *svc = NULL;
	unsigned int i;

	lbn = lbnic_pernet(&init_net);
	mutex_lock(&lbn->lock);
	for (i = 0; i < ARRAY_SIZE(lbn->services) && !svc; i++)
		svc = hlist_entry_safe(lbn->services[i].first,
				       struct lbnic_service, hnode);
	lbt = rcu_dereference_protected(lbn->conns, lockdep_is_held(&lbn->lock));
	if (!svc || list_empty(&svc->pool.backends) || !lbt ||
	    READ_ONCE(lbn->conn_max) < entries) {
		mutex_unlock(&lbn->lock);
		pr_err("needs a service with a backend and conn-max >= %u in the initial netns\n",
		       entries);
		return -ENOENT;
	}
	/* The lock keeps the service and backend from going away meanwhile. */
	lbbe = list_first_entry(&svc->pool.backends, struct lbnic_backend, list);
	return 0;
}

static void lbnic_t_fini(void)
{
	lbnic_conn_gc_pause(lbt, false);
	mutex_unlock(&lbn->lock);
}

/* As in the hook: under RCU, with BH off (the caller's). */
static int lbnic_t_insert(unsigned int i)
{
	struct lbnic_conn *c;
	int err = 0;

	rcu_read_lock();
	c = lbnic_conn_create(lbt, lbbe, &keys[i], LBNIC_CONN_S_ESTABLISHED);
	if (IS_ERR(c)) {
		err = PTR_ERR(c);
	} else {
		/* A proven flow: an unproven one's SYN timeout would end the run. */
		lbnic_conn_see(c, LBNIC_SEEN_ASSURED);
		lbnic_conn_touch(c, &lbn->timeouts);
	}
	rcu_read_unlock();
	return err;
}

static bool lbnic_t_lookup(const struct lbnic_tuple *k)
{
	enum lbnic_dir dir;

	return lbnic_conn_lookup(lbt, k, &dir);
}

static void lbnic_t_remove(unsigned int i)
{
	struct lbnic_conn *c;
	enum lbnic_dir dir;

	rcu_read_lock();
	c = lbnic_conn_lookup(lbt, &keys[i], &dir);
	if (c)
		lbnic_conn_expire(lbt, c);
	rcu_read_unlock();
}

/*
 * The two peers hold what an lbnic entry holds: both tuples, a backend
 * pointer, state and expiry, an rcu_head.
 */
struct bench_node {
	union {
		struct rhash_head rh;
		struct hlist_node hl;
	};
	struct lbnic_tuple key;
};

struct bench_entry {
	struct bench_node node[2];
	void *backend;
	u32 state;
	u32 expires;
	struct rcu_head rcu;
};

static struct kmem_cache *entry_cache;
static atomic_t entry_count;

static struct bench_entry *bench_entry_new(unsigned int i)
{
	struct bench_entry *e = kmem_cache_zalloc(entry_cache, GFP_ATOMIC);

	if (!e)
		return NULL;
	e->node[0].key = keys[i];
	e->node[1].key = rkeys[i];
	e->backend = lbbe;
	e->state = LBNIC_CONN_S_ESTABLISHED;
	e->expires = jiffies;
	return e;
}

static void bench_entry_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(entry_cache, container_of(head, struct bench_entry, rcu));
}

/* rhashtable, sized up front so that no resize runs while timed. */
static struct rhashtable rht;
static const struct rhashtable_params rht_params = {
	.head_offset = offsetof(struct bench_node, rh),
	.key_offset = offsetof(struct bench_node, key),
	.key_len = sizeof(struct lbnic_tuple),
	.automatic_shrinking = false,
};

static int rht_init(void)
{
	struct rhashtable_params p = rht_params;

	p.nelem_hint = 2 * entries;
	return rhashtable_init(&rht, &p);
}

/* Empty by now: bench_table() removed every entry. */
static void rht_fini(void)
{
	rhashtable_destroy(&rht);
}

static int rht_insert(unsigned int i)
{
	struct bench_entry *e = bench_entry_new(i);
	int err;

	if (!e)
		return -ENOMEM;
	err = rhashtable_lookup_insert_fast(&rht, &e->node[0].rh, rht_params);
	if (err)
		goto err_free;
	err = rhashtable_lookup_insert_fast(&rht, &e->node[1].rh, rht_params);
	if (err)
		goto err_remove;
	atomic_inc(&entry_count);
	return 0;

err_remove:
	/* Lookups may be on it already: free after a grace period. */
	rhashtable_remove_fast(&rht, &e->node[0].rh, rht_params);
	call_rcu(&e->rcu, bench_entry_free_rcu);
	return err;
err_free:
	kmem_cache_free(entry_cache, e);
	return err;
}

static bool rht_lookup(const struct lbnic_tuple *k)
{
	return rhashtable_lookup(&rht, k, rht_params);
}

static void rht_remove(unsigned int i)
{
	struct bench_node *n;
	struct bench_entry *e;

	rcu_read_lock();
	n = rhashtable_lookup(&rht, &keys[i], rht_params);
	if (n) {
		e = container_of(n, struct bench_entry, node[0]);
		rhashtable_remove_fast(&rht, &e->node[0].rh, rht_params);
		rhashtable_remove_fast(&rht, &e->node[1].rh, rht_params);
		atomic_dec(&entry_count);
		call_rcu(&e->rcu, bench_entry_free_rcu);
	}
	rcu_read_unlock();
}

/* IPVS's connection table: hlist buckets, a small array of bucket locks. */
#define HL_LOCKS 32
static struct {
	spinlock_t l;	/* buckets whose hash is its index mod HL_LOCKS */
} ____cacheline_aligned_in_smp hl_locks[HL_LOCKS];
static struct hlist_head *hl_buckets;
static u32 hl_mask, hl_seed;

static u32 hl_hash(const struct lbnic_tuple *k)
{
	return lbnic_tuple_jhash(k, hl_seed) & hl_mask;
}

static int hl_init(void)
{
	unsigned int i, n = roundup_pow_of_two(entries);

	hl_buckets = kvcalloc(n, sizeof(*hl_buckets), GFP_KERNEL);
	if (!hl_buckets)
		return -ENOMEM;
	for (i = 0; i < HL_LOCKS; i++)
		spin_lock_init(&hl_locks[i].l);
	hl_mask = n - 1;
	hl_seed = get_random_u32();
	return 0;
}

static void hl_fini(void)
{
	kvfree(hl_buckets);
}

static struct bench_node *hl_find(u32 h, const struct lbnic_tuple *k)
{
	struct bench_node *n;

	hlist_for_each_entry_rcu(n, &hl_buckets[h], hl)
		if (!memcmp(&n->key, k, sizeof(*k)))
			return n;
	return NULL;
}

static void hl_lock2(u32 h0, u32 h1)
	__acquires(lock0) __acquires(lock1)
{
	unsigned int l0 = h0 % HL_LOCKS, l1 = h1 % HL_LOCKS;

	if (l0 > l1)
		swap(l0, l1);
	spin_lock_bh(&hl_locks[l0].l);
	if (l1 != l0)
		spin_lock_nested(&hl_locks[l1].l, SINGLE_DEPTH_NESTING);
	else
		__acquire(lock1);	/* for sparse: one lock stands for both */
}

static void hl_unlock2(u32 h0, u32 h1)
	__releases(lock0) __releases(lock1)
{
	unsigned int l0 = h0 % HL_LOCKS, l1 = h1 % HL_LOCKS;

	if (l0 > l1)
		swap(l0, l1);
	if (l1 != l0)
		spin_unlock(&hl_locks[l1].l);
	else
		__release(lock1);
	spin_unlock_bh(&hl_locks[l0].l);
}

static int hl_insert(unsigned int i)
{
	struct bench_entry *e = bench_entry_new(i);
	u32 h0 = hl_hash(&keys[i]), h1 = hl_hash(&rkeys[i]);
	int err = 0;

	if (!e)
		return -ENOMEM;
	hl_lock2(h0, h1);
	if (hl_find(h0, &keys[i]) || hl_find(h1, &rkeys[i])) {
		err = -EEXIST;
	} else {
		hlist_add_head_rcu(&e->node[0].hl, &hl_buckets[h0]);
		hlist_add_head_rcu(&e->node[1].hl, &hl_buckets[h1]);
		atomic_inc(&entry_count);
	}
	hl_unlock2(h0, h1);
	if (err)
		kmem_cache_free(entry_cache, e);
	return err;
}

static bool hl_lookup(const struct lbnic_tuple *k)
{
	return hl_find(hl_hash(k), k);
}

static void hl_remove(unsigned int i)
{
	u32 h0 = hl_hash(&keys[i]), h1 = hl_hash(&rkeys[i]);
	struct bench_node *n;
	struct bench_entry *e;

	hl_lock2(h0, h1);
	n = hl_find(h0, &keys[i]);
	if (n) {
		e = container_of(n, struct bench_entry, node[0]);
		hlist_del_rcu(&e->node[0].hl);
		hlist_del_rcu(&e->node[1].hl);
		atomic_dec(&entry_count);
		call_rcu(&e->rcu, bench_entry_free_rcu);
	}
	hl_unlock2(h0, h1);
}

static const struct bench_table tables[] = {
	{ "lbnic", lbnic_t_init, lbnic_t_fini, lbnic_t_insert, lbnic_t_lookup, lbnic_t_remove },
	{ "rhashtable", rht_init, rht_fini, rht_insert, rht_lookup, rht_remove },
	{ "ipvs-hlist", hl_init, hl_fini, hl_insert, hl_lookup, hl_remove },
};

struct bench_run;

struct bench_worker {
	struct bench_run *r;
	unsigned int tid;
};

/* One timed run on @nthreads CPUs. */
struct bench_run {
	const struct bench_table *t;
	bool insert;
	unsigned int first, count;	/* inserts: keys [first, first + count) */
	unsigned int filled;		/* lookups: keys [0, filled) */
	atomic_t ready;
	unsigned int nthreads;
	u64 ns[BENCH_MAX_THREADS];
	u64 ops[BENCH_MAX_THREADS];
	int err;
	struct completion done[BENCH_MAX_THREADS];
	struct bench_worker w[BENCH_MAX_THREADS];
};

/*
 * Each operation runs with BHs off, as the datapath's do in softirq, and
 * lookups under rcu_read_lock() as in a netfilter hook.
 */
static int bench_thread(void *arg)
{
	struct bench_worker *w = arg;
	struct bench_run *r = w->r;
	unsigned int tid = w->tid, i, n = 0;
	struct rnd_state rnd;
	int err;
	u64 t0;

	prandom_seed_state(&rnd, tid + 1);
	/* Start together, so the two CPUs overlap. */
	atomic_inc(&r->ready);
	while (atomic_read(&r->ready) < r->nthreads)
		cpu_relax();
	t0 = ktime_get_ns();
	if (r->insert) {
		unsigned int per = r->count / r->nthreads;

		for (i = r->first + tid * per; i < r->first + (tid + 1) * per; i++, n++) {
			local_bh_disable();
			err = r->t->insert(i);
			local_bh_enable();
			if (err)
				WRITE_ONCE(r->err, err);
			if (!(n % 1024))
				cond_resched();
		}
	} else {
		for (i = 0; i < lookups; i++, n++) {
			u32 j = prandom_u32_state(&rnd) % r->filled;

			local_bh_disable();
			rcu_read_lock();
			if (!r->t->lookup((i & 1) ? &rkeys[j] : &keys[j]))
				WRITE_ONCE(r->err, -ENOENT);
			rcu_read_unlock();
			local_bh_enable();
			if (!(i % 1024))
				cond_resched();
		}
	}
	r->ns[tid] = ktime_get_ns() - t0;
	r->ops[tid] = n;
	complete(&r->done[tid]);
	return 0;
}

static int bench_run(struct bench_run *r, unsigned int nthreads)
{
	struct task_struct *tsk[BENCH_MAX_THREADS];
	u64 ops = 0, ns = 0;
	unsigned int i;

	r->nthreads = nthreads;
	r->err = 0;
	atomic_set(&r->ready, 0);
	for (i = 0; i < nthreads; i++) {
		init_completion(&r->done[i]);
		r->w[i].r = r;
		r->w[i].tid = i;
		tsk[i] = kthread_create(bench_thread, &r->w[i], "lbnic_bench/%u", i);
		if (IS_ERR(tsk[i]))
			goto err_threads;
		kthread_bind(tsk[i], i);
	}
	/* Woken only once all exist: each waits for the others to start. */
	for (i = 0; i < nthreads; i++)
		wake_up_process(tsk[i]);
	for (i = 0; i < nthreads; i++) {
		wait_for_completion(&r->done[i]);
		ops += r->ops[i];
		ns = max(ns, r->ns[i]);
	}
	if (r->err)
		return r->err;
	/* Millions of operations per second, in thousandths. */
	return ns ? div64_u64(ops * 1000000, ns) : 0;

err_threads:
	/* Never woken: kthread_stop() makes them exit without running. */
	while (i--)
		kthread_stop(tsk[i]);
	return -ENOMEM;
}

static void bench_report(const struct bench_table *t, const char *op,
			 unsigned int pct, unsigned int nthreads, int kops,
			 unsigned int rep)
{
	if (kops < 0)
		pr_err("%s %s at %u%% on %u CPUs failed: %d\n", t->name, op, pct,
		       nthreads, kops);
	else
		pr_info("result %s %s %u %u %d.%03d %u\n", t->name, op, pct,
			nthreads, kops / 1000, kops % 1000, rep + 1);
}

/* Untimed, but in the datapath's context as well. */
static void bench_remove(const struct bench_table *t, unsigned int i)
{
	local_bh_disable();
	t->remove(i);
	local_bh_enable();
	if (!(i % 1024))
		cond_resched();
}

/* Fills @t from @from up to @to entries. */
static int bench_fill(const struct bench_table *t, unsigned int from,
		      unsigned int to)
{
	int err;

	for (; from < to; from++) {
		local_bh_disable();
		err = t->insert(from);
		local_bh_enable();
		if (err)
			return err;
		if (!(from % 1024))
			cond_resched();
	}
	return 0;
}

/* One round of @t at @filled entries: lookups and inserts, 1 and 2 CPUs. */
static int bench_round(const struct bench_table *t, struct bench_run *r,
		       unsigned int pct, unsigned int filled, unsigned int rep)
{
	unsigned int chunk = entries / 100 * BENCH_INSERT_PCT;
	unsigned int cpus = min_t(unsigned int, num_online_cpus(), BENCH_MAX_THREADS);
	unsigned int th, i;
	int res;

	/* lbnic's collector runs in lbnic's rounds only. */
	lbnic_conn_gc_pause(lbt, t->init != lbnic_t_init);
	r->t = t;
	for (th = 1; th <= cpus; th++) {
		r->insert = false;
		r->filled = filled;
		res = bench_run(r, th);
		bench_report(t, "lookup", pct, th, res, rep);
		if (res < 0)
			return res;

		r->insert = true;
		r->first = filled;
		r->count = chunk;
		res = bench_run(r, th);
		bench_report(t, "insert", pct, th, res, rep);
		for (i = filled; i < filled + chunk; i++)
			bench_remove(t, i);
		rcu_barrier();
		if (res < 0)
			return res;
	}
	return 0;
}

/*
 * All three tables are filled side by side and measured in turns, the
 * order rotating with each round, so that round r of one can be paired
 * with round r of the others and drift (TCG's translation cache, the
 * host) falls on all of them alike.
 */
static int bench_tables(struct bench_run *r)
{
	static const unsigned int pcts[] = { 50, 90 };
	const unsigned int n = ARRAY_SIZE(tables);
	unsigned int p, rep, k, filled = 0, target, ready;
	int err = 0;

	for (ready = 0; ready < n; ready++) {
		err = tables[ready].init();
		if (err) {
			pr_err("%s: init failed: %d\n", tables[ready].name, err);
			goto out;
		}
	}
	for (p = 0; p < ARRAY_SIZE(pcts) && !err; p++) {
		target = entries / 100 * pcts[p];
		for (k = 0; k < n && !err; k++) {
			err = bench_fill(&tables[k], filled, target);
			if (err)
				pr_err("%s: filling to %u%% failed: %d\n",
				       tables[k].name, pcts[p], err);
		}
		filled = target;
		for (rep = 0; rep < reps && !err; rep++)
			for (k = 0; k < n && !err; k++)
				err = bench_round(&tables[(k + rep) % n], r, pcts[p],
						  filled, rep);
	}
out:
	/* Every key: a failed fill leaves a table with some past @filled. */
	while (ready--) {
		const struct bench_table *t = &tables[ready];
		unsigned int i;

		for (i = 0; i < entries; i++)
			bench_remove(t, i);
		rcu_barrier();
		t->fini();
	}
	return err;
}

static void bench_keys(const struct lbnic_backend *be)
{
	unsigned int i;

	for (i = 0; i < entries; i++) {
		struct lbnic_tuple *k = &keys[i], *rk = &rkeys[i];

		k->family = AF_INET;
		k->proto = IPPROTO_TCP;
		k->saddr.ip = htonl(0x0a800000 | i >> 4);
		k->sport = htons(1024 + (i & 15));
		k->daddr.ip = htonl(0x0a00000a);
		k->dport = htons(80);
		/* The reply of a nat connection: backend to client. */
		rk->family = AF_INET;
		rk->proto = IPPROTO_TCP;
		rk->saddr = be->addr;
		rk->sport = be->port;
		rk->daddr = k->saddr;
		rk->dport = k->sport;
	}
}

static int __init lbnic_bench_init(void)
{
	struct bench_run *r;
	int err;

	if (entries < 1024 || entries > (1U << 24) || !lookups || !reps)
		return -EINVAL;
	/* Zeroed: rhashtable compares keys with memcmp, padding included. */
	keys = vzalloc(array_size(entries, sizeof(*keys)));
	rkeys = vzalloc(array_size(entries, sizeof(*rkeys)));
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	entry_cache = kmem_cache_create("lbnic_bench_entry", sizeof(struct bench_entry),
					0, SLAB_HWCACHE_ALIGN, NULL);
	err = -ENOMEM;
	if (!keys || !rkeys || !r || !entry_cache)
		goto out;

	/* lbnic's table first: it finds the backend the keys reply from. */
	err = lbnic_t_init();
	if (err)
		goto out;
	bench_keys(lbbe);
	lbnic_t_fini();
	err = bench_tables(r);
out:
	kmem_cache_destroy(entry_cache);
	kfree(r);
	vfree(rkeys);
	vfree(keys);
	return err;
}

static void __exit lbnic_bench_exit(void)
{
}

module_init(lbnic_bench_init);
module_exit(lbnic_bench_exit);
MODULE_IMPORT_NS(LBNIC_INTERNAL);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lbnic connection table microbenchmark");
