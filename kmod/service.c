// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: virtual services and their backends.
 *
 * Configuration runs under ln->lock; the datapath finds services through
 * an RCU hash and backends through a scheduler snapshot (sched.c) or a
 * connection's reference.  A removed backend stays alive while connections
 * point at it, so per-connection consistency survives any change.
 */
#include <linux/jhash.h>
#include <linux/slab.h>

#include "conn.h"
#include "fwd.h"
#include "l7.h"
#include "hook.h"
#include "limits.h"
#include "route.h"
#include "sched.h"
#include "service.h"

static u32 lbnic_service_hash(const union nf_inet_addr *addr, __be16 port,
			      u8 proto)
{
	return jhash2((const u32 *)addr->all, 4,
		      (__force u32)port << 8 | proto) &
	       ((1 << LBNIC_SVC_HASH_BITS) - 1);
}

/* Under RCU or ln->lock. */
struct lbnic_service *lbnic_service_find(struct lbnic_net *ln,
					 const union nf_inet_addr *addr,
					 __be16 port, u8 proto, u8 family)
{
	struct lbnic_service *svc;

	hlist_for_each_entry_rcu(svc, &ln->services[lbnic_service_hash(addr, port, proto)],
				 hnode, lockdep_is_held(&ln->lock))
		if (svc->port == port && svc->proto == proto &&
		    svc->family == family && lbnic_addr_eq(&svc->addr, addr))
			return svc;
	return NULL;
}

static void lbnic_service_free_rcu(struct rcu_head *head)
{
	struct lbnic_service *svc = container_of(head, struct lbnic_service, rcu);

	free_percpu(svc->stats);
	kfree(svc);
	lbnic_rcu_done();
}

void lbnic_service_put(struct lbnic_service *svc)
{
	if (refcount_dec_and_test(&svc->refcnt))
		lbnic_call_rcu(&svc->rcu, lbnic_service_free_rcu);
}

int lbnic_service_add(struct lbnic_net *ln, const struct lbnic_service_cfg *cfg,
		      struct netlink_ext_ack *extack)
{
	struct lbnic_service *svc;
	int err;

	lockdep_assert_held(&ln->lock);
	if (lbnic_service_find(ln, &cfg->addr, cfg->port, cfg->proto, cfg->family)) {
		NL_SET_ERR_MSG(extack, "service already exists");
		return -EEXIST;
	}
	if (lbnic_net_unpriv(ln) && ln->n_services >= LBNIC_SERVICES_MAX) {
		NL_SET_ERR_MSG(extack, "namespace has too many services");
		return -ENOSPC;
	}

	svc = kzalloc(sizeof(*svc), GFP_KERNEL_ACCOUNT);
	if (!svc)
		return -ENOMEM;
	svc->stats = __netdev_alloc_pcpu_stats(struct lbnic_pcpu_stats, GFP_KERNEL_ACCOUNT);
	if (!svc->stats) {
		err = -ENOMEM;
		goto err_stats;
	}
	svc->addr = cfg->addr;
	svc->port = cfg->port;
	svc->proto = cfg->proto;
	svc->family = cfg->family;
	svc->mode = cfg->mode;
	svc->http_field = cfg->http_field;
	svc->flags = cfg->flags;
	svc->maglev_size = cfg->maglev_size;
	svc->pool.svc = svc;
	svc->pool.sched = cfg->sched;
	INIT_LIST_HEAD(&svc->pool.backends);
	INIT_LIST_HEAD(&svc->pools);
	INIT_LIST_HEAD(&svc->routes);
	svc->snat_addr = cfg->snat_addr;
	svc->snat_port_min = cfg->snat_port_min;
	svc->snat_port_max = cfg->snat_port_max;
	svc->ln = ln;
	refcount_set(&svc->refcnt, 1);

	err = lbnic_sched_rebuild(&svc->pool);
	if (err)
		goto err_sched;
	/* Shared by the namespace's services, the table and hooks stay once made. */
	err = lbnic_conn_table_create(ln, extack);
	if (!err)
		err = lbnic_hooks_register(ln);
	if (err)
		goto err_shared;

	hlist_add_head_rcu(&svc->hnode,
			   &ln->services[lbnic_service_hash(&svc->addr, svc->port,
							    svc->proto)]);
	ln->n_services++;
	return 0;

err_shared:
	lbnic_sched_release(&svc->pool);
err_sched:
	free_percpu(svc->stats);
err_stats:
	kfree(svc);
	return err;
}

bool lbnic_conn_of_service(const struct lbnic_conn *c, const void *svc)
{
	const struct lbnic_backend *be = READ_ONCE(c->backend);

	/* An L7 entry has no backend until its request header chose one. */
	return (be ? be->svc : lbnic_l7_service(c)) == svc;
}

static bool lbnic_conn_of_backend(const struct lbnic_conn *c, const void *be)
{
	return c->backend == be;
}

static bool lbnic_stateless_nat(const struct lbnic_service *svc)
{
	return (svc->flags & LBNIC_SERVICE_F_STATELESS) &&
	       lbnic_fwd_ops_of(svc->mode)->two_way;
}

/* Under RCU or ln->lock. */
struct lbnic_backend *lbnic_stateless_find(struct lbnic_net *ln,
					   const union nf_inet_addr *addr,
					   __be16 port, u8 proto, u8 family)
{
	struct lbnic_backend *be;

	if (!READ_ONCE(ln->n_stateless))
		return NULL;
	hlist_for_each_entry_rcu(be, &ln->stateless[lbnic_service_hash(addr, port, proto)],
				 snode, lockdep_is_held(&ln->lock))
		if (be->port == port && be->svc->proto == proto &&
		    be->svc->family == family && lbnic_addr_eq(&be->addr, addr))
			return be;
	return NULL;
}

static void lbnic_backend_unlink(struct lbnic_backend *be)
{
	struct lbnic_net *ln = be->svc->ln;

	if (lbnic_stateless_nat(be->svc)) {
		hlist_del_rcu(&be->snode);
		WRITE_ONCE(ln->n_stateless, ln->n_stateless - 1);
	}
	list_del(&be->list);
	be->pool->n_backends--;
	/* Its pool may go before its connections do: nothing reads it now. */
	be->pool = NULL;
	be->svc->n_backends--;
	ln->n_backends--;
	lbnic_backend_put(be);
}

/* Out of the datapath's reach: found by no new packet, scheduled no more. */
static void lbnic_service_unlink(struct lbnic_net *ln, struct lbnic_service *svc)
{
	struct lbnic_pool *pool;

	hlist_del_rcu(&svc->hnode);
	ln->n_services--;
	lbnic_sched_release(&svc->pool);
	list_for_each_entry(pool, &svc->pools, list)
		lbnic_sched_release(pool);
}

/* Its backends leave the lists; their connections keep them. */
void lbnic_pool_empty(struct lbnic_pool *pool)
{
	struct lbnic_backend *be, *tmp;

	list_for_each_entry_safe(be, tmp, &pool->backends, list)
		lbnic_backend_unlink(be);
}

/* A grace period after lbnic_service_unlink(), its backends and itself. */
static void lbnic_service_drop(struct lbnic_service *svc)
{
	lbnic_routes_drop(svc);
	lbnic_pool_empty(&svc->pool);
	lbnic_service_put(svc);
}

/* Deleting a service also drops its connections: nothing may point at it. */
void lbnic_service_del(struct lbnic_net *ln, struct lbnic_service *svc)
{
	struct lbnic_conn_table *t;

	lockdep_assert_held(&ln->lock);
	lbnic_service_unlink(ln, svc);
	/* Readers that found it before the unlink may still create entries. */
	synchronize_rcu();
	t = rcu_dereference_protected(ln->conns, lockdep_is_held(&ln->lock));
	if (t)
		lbnic_conn_flush(t, lbnic_conn_of_service, svc);
	lbnic_service_drop(svc);
}

/*
 * Netns exit: the hooks are gone and the caller waited out their last runs,
 * so one walk of the table drops every connection, with no grace period
 * per service (a namespace may have thousands).
 */
void lbnic_service_del_all(struct lbnic_net *ln)
{
	struct lbnic_conn_table *t;
	struct lbnic_service *svc;
	struct hlist_node *tmp;
	int i;

	lockdep_assert_held(&ln->lock);
	t = rcu_dereference_protected(ln->conns, lockdep_is_held(&ln->lock));
	if (t)
		lbnic_conn_flush(t, NULL, NULL);
	for (i = 0; i < ARRAY_SIZE(ln->services); i++) {
		hlist_for_each_entry_safe(svc, tmp, &ln->services[i], hnode) {
			lbnic_service_unlink(ln, svc);
			lbnic_service_drop(svc);
		}
	}
}

struct lbnic_backend *lbnic_backend_find(struct lbnic_pool *pool,
					 const union nf_inet_addr *addr,
					 __be16 port)
{
	struct lbnic_backend *be;

	lockdep_assert_held(&pool->svc->ln->lock);
	list_for_each_entry(be, &pool->backends, list)
		if (be->port == port && lbnic_addr_eq(&be->addr, addr))
			return be;
	return NULL;
}

static void lbnic_backend_free_rcu(struct rcu_head *head)
{
	struct lbnic_backend *be = container_of(head, struct lbnic_backend, rcu);

	lbnic_service_put(be->svc);
	free_percpu(be->stats);
	kfree(be);
	lbnic_rcu_done();
}

void lbnic_backend_put(struct lbnic_backend *be)
{
	if (refcount_dec_and_test(&be->refcnt))
		lbnic_call_rcu(&be->rcu, lbnic_backend_free_rcu);
}

#define LBNIC_BACKENDS_MAX 4096

int lbnic_backend_add(struct lbnic_pool *pool, const union nf_inet_addr *addr,
		      __be16 port, u32 weight, struct netlink_ext_ack *extack)
{
	struct lbnic_service *svc = pool->svc;
	struct lbnic_backend *be;
	int err;

	lockdep_assert_held(&svc->ln->lock);
	if (lbnic_backend_find(pool, addr, port)) {
		NL_SET_ERR_MSG(extack, "backend already exists");
		return -EEXIST;
	}
	if (lbnic_stateless_nat(svc) &&
	    lbnic_stateless_find(svc->ln, addr, port, svc->proto, svc->family)) {
		NL_SET_ERR_MSG(extack,
			       "backend already serves a stateless nat service: its replies would be ambiguous");
		return -EEXIST;
	}
	if (svc->n_backends >= LBNIC_BACKENDS_MAX) {
		NL_SET_ERR_MSG(extack, "service has too many backends");
		return -ENOSPC;
	}
	if (lbnic_net_unpriv(svc->ln) &&
	    svc->ln->n_backends >= LBNIC_NET_BACKENDS_MAX) {
		NL_SET_ERR_MSG(extack, "namespace has too many backends");
		return -ENOSPC;
	}
	be = kzalloc(sizeof(*be), GFP_KERNEL_ACCOUNT);
	if (!be)
		return -ENOMEM;
	be->stats = __netdev_alloc_pcpu_stats(struct lbnic_pcpu_stats, GFP_KERNEL_ACCOUNT);
	if (!be->stats) {
		err = -ENOMEM;
		goto err_stats;
	}
	be->addr = *addr;
	be->port = port;
	be->weight = weight;
	be->svc = svc;
	be->pool = pool;
	refcount_set(&be->refcnt, 1);
	refcount_inc(&svc->refcnt);
	list_add_tail(&be->list, &pool->backends);
	pool->n_backends++;
	svc->n_backends++;
	svc->ln->n_backends++;
	if (lbnic_stateless_nat(svc)) {
		hlist_add_head_rcu(&be->snode,
				   &svc->ln->stateless[lbnic_service_hash(addr, port,
									  svc->proto)]);
		WRITE_ONCE(svc->ln->n_stateless, svc->ln->n_stateless + 1);
	}

	err = lbnic_sched_rebuild(pool);
	if (err)
		goto err_sched;
	return 0;

err_sched:
	lbnic_backend_unlink(be);
	return err;
err_stats:
	kfree(be);
	return err;
}

int lbnic_backend_set_weight(struct lbnic_backend *be, u32 weight,
			     struct netlink_ext_ack *extack)
{
	u32 old = be->weight;
	int err;

	lockdep_assert_held(&be->svc->ln->lock);
	WRITE_ONCE(be->weight, weight);
	err = lbnic_sched_rebuild(be->pool);
	if (err)
		WRITE_ONCE(be->weight, old);
	return err;
}

/* Without @flush its connections go on to their natural end. */
void lbnic_backend_del(struct lbnic_backend *be, bool flush)
{
	struct lbnic_service *svc = be->svc;
	struct lbnic_conn_table *t;

	lockdep_assert_held(&svc->ln->lock);
	WRITE_ONCE(be->weight, 0);
	/*
	 * Should the rebuild fail, the old snapshot stays and may still pick
	 * @be for a while; it holds @be, so that is only a late connection.
	 */
	lbnic_sched_rebuild(be->pool);
	t = rcu_dereference_protected(svc->ln->conns,
				      lockdep_is_held(&svc->ln->lock));
	if (flush && t) {
		synchronize_rcu();
		lbnic_conn_flush(t, lbnic_conn_of_backend, be);
	}
	lbnic_backend_unlink(be);
}

static bool lbnic_state_active(u8 state)
{
	return state == LBNIC_CONN_S_ESTABLISHED || state == LBNIC_CONN_S_UDP;
}

/* A connection of @be moved from state @old to @new (NONE: not counted). */
void lbnic_backend_account(struct lbnic_backend *be, u8 old, u8 new)
{
	struct lbnic_service *svc = be->svc;

	if (old != LBNIC_CONN_S_NONE) {
		if (lbnic_state_active(old)) {
			atomic_dec(&be->active);
			atomic_dec(&svc->active);
		} else {
			atomic_dec(&be->inactive);
			atomic_dec(&svc->inactive);
		}
	}
	if (new != LBNIC_CONN_S_NONE) {
		if (lbnic_state_active(new)) {
			atomic_inc(&be->active);
			atomic_inc(&svc->active);
		} else {
			atomic_inc(&be->inactive);
			atomic_inc(&svc->inactive);
		}
	}
}

void lbnic_service_no_backend(struct lbnic_service *svc)
{
	struct lbnic_pcpu_stats *s = this_cpu_ptr(svc->stats);

	u64_stats_update_begin(&s->syncp);
	s->c.no_backend++;
	u64_stats_update_end(&s->syncp);
}

void lbnic_stats_read(struct lbnic_pcpu_stats __percpu *pcpu,
		      atomic_t *active, atomic_t *inactive,
		      struct lbnic_stats *out)
{
	const struct lbnic_pcpu_stats *s;
	struct lbnic_counters v;
	unsigned int start;
	int cpu;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(pcpu, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = s->c;
		} while (u64_stats_fetch_retry(&s->syncp, start));
		out->c.conns += v.conns;
		out->c.pkts_in += v.pkts_in;
		out->c.pkts_out += v.pkts_out;
		out->c.bytes_in += v.bytes_in;
		out->c.bytes_out += v.bytes_out;
		out->c.no_backend += v.no_backend;
	}
	out->active = max(atomic_read(active), 0);
	out->inactive = max(atomic_read(inactive), 0);
}
