/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: what a forwarding mode does with a connection's packets.
 */
#ifndef _LBNIC_FWD_H
#define _LBNIC_FWD_H

#include "conn.h"
#include "xmit.h"

/* What a packet of one direction looks like on arrival and after lbnic. */
struct lbnic_flow_dir {
	const union nf_inet_addr *saddr, *daddr, *new_saddr, *new_daddr;
	__be16 sport, dport, new_sport, new_dport;
	const union nf_inet_addr *hop;	/* the neighbour to send to */
};

/* An ICMP error about a packet lbnic sent, as it must leave lbnic. */
struct lbnic_icmp_xlat {
	const union nf_inet_addr *osrc, *odst;		/* outer */
	const union nf_inet_addr *isrc, *idst;		/* quoted */
	__be16 isport, idport;
};

/*
 * One forwarding mode.  A connection's is fixed when it is made, as IPVS
 * binds ip_vs_conn's packet_xmit in ip_vs_bind_xmit(); the entry has no
 * room for a pointer, so its mode bits index lbnic_fwd_ops_of().
 */
struct lbnic_fwd_ops {
	/* Replies come back through lbnic: the entry has a reply node. */
	bool two_way;
	/* The reply tuple's port is taken from the service's SNAT range. */
	bool snat;
	/* Addresses and ports are rewritten (a backend may have its own port). */
	bool rewrites;
	/* Sends on a packet of @c from @dir; consumes @skb. */
	unsigned int (*xmit)(struct lbnic_net *ln, struct sk_buff *skb,
			     const struct lbnic_pkt *p,
			     const struct lbnic_conn *c, enum lbnic_dir dir);
	/* Sends a packet of a stateless service to @be; NULL: not supported. */
	unsigned int (*xmit_stateless)(struct lbnic_net *ln, struct sk_buff *skb,
				       const struct lbnic_pkt *p,
				       const struct lbnic_backend *be);
	/* Translates an error about @c's packet from @dir; NULL: forwarded as is. */
	void (*icmp_xlat)(const struct lbnic_conn *c, enum lbnic_dir dir,
			  struct lbnic_icmp_xlat *x);
	/* What an offload rule for @dir matches and rewrites; NULL: none. */
	void (*flow_dir)(const struct lbnic_conn *c, enum lbnic_dir dir,
			 struct lbnic_flow_dir *f);
	/*
	 * The modes that are not L4 forwarding handle packets themselves:
	 * those of an entry, and those to the service that have none.  Both
	 * consume @skb.  NULL: the L4 datapath of hook.c.
	 */
	unsigned int (*rcv)(struct lbnic_net *ln, struct sk_buff *skb,
			    const struct lbnic_pkt *p, struct lbnic_conn *c,
			    enum lbnic_dir dir);
	unsigned int (*new_flow)(struct lbnic_net *ln, struct sk_buff *skb,
				 const struct lbnic_pkt *p,
				 struct lbnic_service *svc);
	/* The entry was unlinked: drop the mode's own state. */
	void (*release)(struct lbnic_conn *c);
};

extern const struct lbnic_fwd_ops *const lbnic_fwd_modes[LBNIC_CONN_MODE_MASK + 1];

/* @mode is one netlink's policy accepted: LBNIC_MODE_NAT..LBNIC_MODE_MAX. */
static inline const struct lbnic_fwd_ops *lbnic_fwd_ops_of(u8 mode)
{
	return lbnic_fwd_modes[mode & LBNIC_CONN_MODE_MASK];
}

static inline const struct lbnic_fwd_ops *lbnic_conn_ops(const struct lbnic_conn *c)
{
	return lbnic_fwd_ops_of(lbnic_conn_mode(c));
}

#endif /* _LBNIC_FWD_H */
