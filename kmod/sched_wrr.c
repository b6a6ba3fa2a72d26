// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: weighted round robin.  Pick number i lands on the weight unit
 * (i * stride) mod total, with a stride coprime to the total weight: each
 * cycle of total picks gives every backend exactly its weight, interleaved
 * rather than in runs.  Lockless: one atomic per new connection.
 */
#include <linux/gcd.h>
#include <linux/slab.h>

#include "sched.h"

static int lbnic_wrr_build(struct lbnic_sched_state *st,
			   const struct lbnic_service *svc)
{
	u32 sum = 0, stride;
	unsigned int i;

	st->cum = kmalloc_array(st->n, sizeof(*st->cum), GFP_KERNEL_ACCOUNT);
	if (!st->cum)
		return -ENOMEM;
	for (i = 0; i < st->n; i++) {
		sum += st->be[i]->weight;
		st->cum[i] = sum;
	}
	/* Near the golden ratio of the total, made coprime to it. */
	stride = (u32)(((u64)sum * 0x9e3779b9ULL) >> 32) | 1;
	while (gcd(stride, sum) != 1)
		stride += 2;
	st->stride = stride % sum ? stride % sum : 1;
	return 0;
}

static struct lbnic_backend *lbnic_wrr_pick(struct lbnic_sched_state *st,
					    const struct lbnic_tuple *k)
{
	u32 unit = (u32)(((u64)(u32)atomic_inc_return(&st->rr) * st->stride) %
			 st->total_weight);
	unsigned int lo = 0, hi = st->n - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (st->cum[mid] > unit)
			hi = mid;
		else
			lo = mid + 1;
	}
	return st->be[lo];
}

const struct lbnic_sched_ops lbnic_sched_wrr = {
	.name = "wrr",
	.build = lbnic_wrr_build,
	.pick = lbnic_wrr_pick,
};
