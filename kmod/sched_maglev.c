// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: weighted Maglev consistent hashing (Eisenbud et al., NSDI '16).
 *
 * Each backend walks its own permutation of the table, derived only from
 * its address and port, and claims free slots in turn; a backend gets turns
 * in proportion to its weight.  Adding or removing one backend moves few
 * slots, and every lbnic box behind the same ECMP group builds the same
 * table, so a flow keeps its backend whichever box it reaches.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "sched.h"

#define LBNIC_MAGLEV_EMPTY 0xffff

int lbnic_maglev_build(struct lbnic_sched_state *st,
		       const struct lbnic_service *svc)
{
	u32 m = svc->maglev_size, filled = 0, max_weight = 0;
	struct {
		u32 offset;
		u32 skip;
		u32 next;
		u32 credit;
	} *p;
	unsigned int i;
	u32 slot;

	p = kcalloc(st->n, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	st->table = kvmalloc_array(m, sizeof(*st->table), GFP_KERNEL_ACCOUNT);
	if (!st->table) {
		kfree(p);
		return -ENOMEM;
	}
	memset(st->table, 0xff, m * sizeof(*st->table));
	st->table_size = m;

	for (i = 0; i < st->n; i++) {
		const struct lbnic_backend *be = st->be[i];
		u32 key = jhash(&be->addr, sizeof(be->addr),
				(__force u32)be->port);

		p[i].offset = jhash_1word(key, LBNIC_MAGLEV_SEED) % m;
		p[i].skip = jhash_1word(key, ~LBNIC_MAGLEV_SEED) % (m - 1) + 1;
		max_weight = max(max_weight, be->weight);
	}

	while (filled < m) {
		for (i = 0; i < st->n && filled < m; i++) {
			p[i].credit += st->be[i]->weight;
			if (p[i].credit < max_weight)
				continue;
			p[i].credit -= max_weight;
			do {
				slot = (p[i].offset +
					(u64)p[i].next++ * p[i].skip) % m;
			} while (st->table[slot] != LBNIC_MAGLEV_EMPTY);
			st->table[slot] = i;
			filled++;
		}
		cond_resched();
	}
	kfree(p);
	return 0;
}

static struct lbnic_backend *lbnic_maglev_pick(struct lbnic_sched_state *st,
					       const struct lbnic_tuple *k)
{
	return st->be[st->table[lbnic_tuple_jhash(k, LBNIC_MAGLEV_SEED) % st->table_size]];
}

const struct lbnic_sched_ops lbnic_sched_maglev = {
	.name = "maglev",
	.build = lbnic_maglev_build,
	.pick = lbnic_maglev_pick,
};
