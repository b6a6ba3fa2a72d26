// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: the scheduler registry and the state snapshots they pick from.
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "sched.h"
#include "service.h"

static const struct lbnic_sched_ops *const lbnic_scheds[] = {
	&lbnic_sched_maglev,
	&lbnic_sched_wrr,
	&lbnic_sched_lc,
	&lbnic_sched_sh,
};

const struct lbnic_sched_ops *lbnic_sched_find(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(lbnic_scheds); i++)
		if (!strcmp(lbnic_scheds[i]->name, name))
			return lbnic_scheds[i];
	return NULL;
}

static void lbnic_sched_state_free(struct lbnic_sched_state *st)
{
	unsigned int i;

	for (i = 0; i < st->n; i++)
		lbnic_backend_put(st->be[i]);
	kvfree(st->table);
	kfree(st->cum);
	kfree(st);
}

static void lbnic_sched_state_free_rcu(struct rcu_head *head)
{
	lbnic_sched_state_free(container_of(head, struct lbnic_sched_state, rcu));
	lbnic_rcu_done();
}

static int lbnic_backend_cmp(const void *a, const void *b)
{
	const struct lbnic_backend *x = *(struct lbnic_backend * const *)a;
	const struct lbnic_backend *y = *(struct lbnic_backend * const *)b;
	int d = memcmp(&x->addr, &y->addr, sizeof(x->addr));

	return d ? d : memcmp(&x->port, &y->port, sizeof(x->port));
}

/* Publishes a new snapshot of @pool's usable backends. */
int lbnic_sched_rebuild(struct lbnic_pool *pool)
{
	struct lbnic_sched_state *st, *old;
	struct lbnic_backend *be;
	unsigned int n = 0;
	int err;

	lockdep_assert_held(&pool->svc->ln->lock);
	st = kzalloc(struct_size(st, be, pool->n_backends), GFP_KERNEL_ACCOUNT);
	if (!st)
		return -ENOMEM;
	/* A snapshot holds its backends: a stale one never points at freed memory. */
	list_for_each_entry(be, &pool->backends, list) {
		if (!be->weight)
			continue;
		refcount_inc(&be->refcnt);
		st->be[n++] = be;
		st->total_weight += be->weight;
	}
	st->n = n;
	st->ops = pool->sched;
	sort(st->be, n, sizeof(st->be[0]), lbnic_backend_cmp, NULL);
	if (n) {
		err = pool->sched->build(st, pool->svc);
		if (err) {
			lbnic_sched_state_free(st);
			return err;
		}
	}
	old = rcu_replace_pointer(pool->sched_state, st,
				  lockdep_is_held(&pool->svc->ln->lock));
	if (old)
		lbnic_call_rcu(&old->rcu, lbnic_sched_state_free_rcu);
	return 0;
}

void lbnic_sched_release(struct lbnic_pool *pool)
{
	struct lbnic_sched_state *st;

	st = rcu_replace_pointer(pool->sched_state, NULL,
				 lockdep_is_held(&pool->svc->ln->lock));

	if (st)
		lbnic_call_rcu(&st->rcu, lbnic_sched_state_free_rcu);
}
