/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: packet rewriting and transmission.
 */
#ifndef _LBNIC_XMIT_H
#define _LBNIC_XMIT_H

#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>

#include "conn.h"

/* A parsed TCP/UDP packet; offsets from the network header. */
struct lbnic_pkt {
	struct lbnic_tuple k;
	unsigned int l4off;
	u8 tcp_flags;
	u32 tcp_seq;
	u32 tcp_ack;
	u32 tcp_end;		/* seq + payload, + 1 for each of SYN and FIN */
	u16 tcp_win;		/* as sent, unscaled */
	u16 tcp_mss;		/* SYNs: the MSS option, or 536 */
	u8 tcp_wscale;		/* SYNs: LBNIC_WSCALE_* */
	u8 tcp_doff;		/* header length, options included */
};

/* lbnic's packets never need conntrack; spare them its cost and verdicts. */
static inline void lbnic_untrack(struct sk_buff *skb)
{
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

struct dst_entry *lbnic_route(struct net *net, u8 family,
			      const union nf_inet_addr *daddr, u8 flags);
unsigned int lbnic_xmit_nat(struct lbnic_net *ln, struct sk_buff *skb,
			    const struct lbnic_pkt *p,
			    const union nf_inet_addr *saddr, __be16 sport,
			    const union nf_inet_addr *daddr, __be16 dport);
unsigned int lbnic_xmit_icmp(struct lbnic_net *ln, struct sk_buff *skb, u8 family,
			     const union nf_inet_addr *daddr);
unsigned int lbnic_xmit_dsr(struct lbnic_net *ln, struct sk_buff *skb, u8 family,
			    const union nf_inet_addr *backend);

#endif /* _LBNIC_XMIT_H */
