// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: source hashing.  A client address always maps to the same backend
 * while the backend set is unchanged; built on Maglev's table, so a change
 * moves few clients.
 */
#include <linux/jhash.h>

#include "sched.h"

static struct lbnic_backend *lbnic_sh_pick(struct lbnic_sched_state *st,
					   const struct lbnic_tuple *k)
{
	u32 h = jhash2((const u32 *)k->saddr.all, 4, LBNIC_MAGLEV_SEED);

	return st->be[st->table[h % st->table_size]];
}

const struct lbnic_sched_ops lbnic_sched_sh = {
	.name = "sh",
	.build = lbnic_maglev_build,
	.pick = lbnic_sh_pick,
};
