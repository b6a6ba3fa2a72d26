/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: schedulers.  Each is one file behind struct lbnic_sched_ops, the
 * way IPVS plugs its schedulers in.
 */
#ifndef _LBNIC_SCHED_H
#define _LBNIC_SCHED_H

#include "conn.h"
#include "lbnic.h"

/*
 * What a scheduler picks from: a snapshot of a pool's backends with a
 * non-zero weight, sorted by address and port so that every lbnic box with
 * the same backends builds the same state.  Replaced whole under RCU on any
 * backend change; never modified once published, but for @rr.  It holds a
 * reference on each backend in it.
 */
struct lbnic_sched_state {
	struct rcu_head rcu;
	const struct lbnic_sched_ops *ops;
	unsigned int n;
	u32 total_weight;
	u32 stride;		/* wrr */
	atomic_t rr;		/* wrr */
	u32 *cum;		/* wrr: cumulative weights */
	u16 *table;		/* maglev, sh: backend index per slot */
	u32 table_size;
	struct lbnic_backend *be[];
};

struct lbnic_sched_ops {
	const char *name;
	/* Fills the scheduler's part of @st from st->be[]; may sleep. */
	int (*build)(struct lbnic_sched_state *st, const struct lbnic_service *svc);
	struct lbnic_backend *(*pick)(struct lbnic_sched_state *st,
				      const struct lbnic_tuple *k);
};

extern const struct lbnic_sched_ops lbnic_sched_maglev;
extern const struct lbnic_sched_ops lbnic_sched_sh;
extern const struct lbnic_sched_ops lbnic_sched_wrr;
extern const struct lbnic_sched_ops lbnic_sched_lc;

/* Maglev's table, shared by maglev (5-tuple key) and sh (source key). */
int lbnic_maglev_build(struct lbnic_sched_state *st,
		       const struct lbnic_service *svc);
/* Fixed seed: every lbnic box must hash a flow the same way. */
#define LBNIC_MAGLEV_SEED 0x6c626e69U

const struct lbnic_sched_ops *lbnic_sched_find(const char *name);
int lbnic_sched_rebuild(struct lbnic_pool *pool);
void lbnic_sched_release(struct lbnic_pool *pool);

static inline struct lbnic_backend *
lbnic_sched_pick(struct lbnic_pool *pool, const struct lbnic_tuple *k)
{
	struct lbnic_sched_state *st = rcu_dereference(pool->sched_state);

	if (!st || !st->n)
		return NULL;
	return st->ops->pick(st, k);
}

#endif /* _LBNIC_SCHED_H */
