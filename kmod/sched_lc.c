// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: weighted least connections, as IPVS's wlc: the backend with the
 * lowest (active * 256 + inactive) / weight gets the new connection.
 */
#include "sched.h"

static int lbnic_lc_build(struct lbnic_sched_state *st,
			  const struct lbnic_service *svc)
{
	return 0;
}

/*
 * The counts move without a lock as connections change state, so one can
 * read below zero for a moment: that is zero, not four billion.
 */
static u64 lbnic_lc_overhead(const struct lbnic_backend *be)
{
	return (u64)max(atomic_read(&be->active), 0) * 256 +
	       max(atomic_read(&be->inactive), 0);
}

static struct lbnic_backend *lbnic_lc_pick(struct lbnic_sched_state *st,
					   const struct lbnic_tuple *k)
{
	struct lbnic_backend *best = st->be[0];
	u64 best_oh = lbnic_lc_overhead(best), oh;
	unsigned int i;

	for (i = 1; i < st->n; i++) {
		oh = lbnic_lc_overhead(st->be[i]);
		/* oh / w < best_oh / best_w, without division. */
		if (oh * READ_ONCE(best->weight) <
		    best_oh * READ_ONCE(st->be[i]->weight)) {
			best = st->be[i];
			best_oh = oh;
		}
	}
	return best;
}

const struct lbnic_sched_ops lbnic_sched_lc = {
	.name = "lc",
	.build = lbnic_lc_build,
	.pick = lbnic_lc_pick,
};
