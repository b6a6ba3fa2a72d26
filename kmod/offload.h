/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: flow offload events (Documentation/offload.rst).
 */
#ifndef _LBNIC_OFFLOAD_H
#define _LBNIC_OFFLOAD_H

#include <linux/skbuff.h>

#include "conn.h"

extern unsigned int lbnic_offload_queue_len;

void lbnic_offload_init(struct lbnic_net *ln);
void lbnic_offload_exit(struct lbnic_net *ln);
int lbnic_offload_prepare(struct lbnic_net *ln, u32 packets);
void lbnic_offload_set(struct lbnic_net *ln, u32 packets, u32 age_ms);

void lbnic_offload_event_of(const struct lbnic_conn *c,
			    struct lbnic_ofl_event *ev);
void lbnic_offload_consider(struct lbnic_net *ln, struct lbnic_conn *c);
void lbnic_offload_gone(struct lbnic_net *ln, struct lbnic_conn *c);

/*
 * Counts a packet lbnic forwards on @c, and makes @c a candidate once past
 * the thresholds.  Packets of a flow whose rules are installed never get
 * here, which is how "lbnic conn show" tells they are.
 */
static inline void lbnic_offload_account(struct lbnic_net *ln,
					 struct lbnic_conn *c,
					 enum lbnic_dir dir,
					 const struct sk_buff *skb)
{
	int iif = skb->dev->ifindex;

	atomic64_inc(&c->packets[dir]);
	if (READ_ONCE(c->iif[dir]) != iif)
		WRITE_ONCE(c->iif[dir], iif);
	if (READ_ONCE(ln->offload.packets) &&
	    READ_ONCE(c->ofl) == LBNIC_OFL_NONE)
		lbnic_offload_consider(ln, c);
}

#endif /* _LBNIC_OFFLOAD_H */
