/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: the L7 (http) engine (kmod/l7.c).
 */
#ifndef _LBNIC_L7_H
#define _LBNIC_L7_H

#include <linux/memcontrol.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "conn.h"
#include "http_parse.h"
#include "xmit.h"

/*
 * An http connection's own state, behind its entry's l7 pointer.  The
 * client's leg is followed in the client's sequence space (c_*) and in the
 * one lbnic chose for it, its SYN cookie (l_*).
 */
struct lbnic_l7 {
	spinlock_t lock;		/* everything below */
	struct timer_list timer;	/* the header's deadline, retransmissions */
	struct rcu_head rcu;
	struct lbnic_net *ln;
	struct lbnic_conn *c;
	struct lbnic_service *svc;	/* holds a reference */
	struct mem_cgroup *memcg;	/* the table's, charged for @buf */
	unsigned long acked_at;		/* jiffies: the last ACK not asked for */
	u32 c_nxt;			/* the next byte the client sends */
	u32 l_iss;			/* lbnic's first toward it: the cookie */
	u32 l_nxt;			/* the next byte lbnic sends the client */
	u32 l_una;			/* the first of those not acknowledged */
	u32 drained;			/* bytes taken and dropped after an answer */
	u16 mss;			/* the client's, as its cookie encoded */
	u16 answer;			/* the HTTP status lbnic answered, or 0 */
	u8 tries;			/* retransmissions so far */
	u8 flags;			/* LBNIC_L7_F_* */
	struct lbnic_http_scan scan;
	u32 len;			/* request bytes in @buf */
	u32 size;			/* @buf's size */
	char *buf;
};

extern bool lbnic_http_preview;

unsigned int lbnic_l7_new_flow(struct lbnic_net *ln, struct sk_buff *skb,
			       const struct lbnic_pkt *p,
			       struct lbnic_service *svc);
unsigned int lbnic_l7_rcv(struct lbnic_net *ln, struct sk_buff *skb,
			  const struct lbnic_pkt *p, struct lbnic_conn *c,
			  enum lbnic_dir dir);
void lbnic_l7_release(struct lbnic_conn *c);
const struct lbnic_service *lbnic_l7_service(const struct lbnic_conn *c);

#endif /* _LBNIC_L7_H */
