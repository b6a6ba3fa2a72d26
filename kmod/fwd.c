// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: the forwarding modes, each one table of operations.
 *
 * nat rewrites the destination to the backend and, on the way back, the
 * source to the VIP; fullnat also rewrites the client's address and port to
 * a local one, so the backend needs no route back through lbnic; dsr leaves
 * the IP packet alone and sends it to the backend's MAC address, and the
 * backend answers the client directly; http splices two TCP connections
 * (kmod/l7.c).  Everything that differs between
 * them is here: the datapath, the ICMP translation and the offload rules
 * ask a connection's operations rather than its mode.
 */
#include "fwd.h"
#include "l7.h"

static_assert(LBNIC_MODE_MAX <= LBNIC_CONN_MODE_MASK);

/* Into the backend as local address and port, back out as the VIP. */
static unsigned int lbnic_fwd_nat_xmit(struct lbnic_net *ln, struct sk_buff *skb,
				       const struct lbnic_pkt *p,
				       const struct lbnic_conn *c,
				       enum lbnic_dir dir)
{
	if (dir == LBNIC_DIR_ORIG)
		return lbnic_xmit_nat(ln, skb, p, &c->laddr, c->lport,
				      &c->daddr, c->dport);
	return lbnic_xmit_nat(ln, skb, p, &c->vaddr, c->vport,
			      &c->caddr, c->cport);
}

static unsigned int lbnic_fwd_nat_stateless(struct lbnic_net *ln,
					    struct sk_buff *skb,
					    const struct lbnic_pkt *p,
					    const struct lbnic_backend *be)
{
	return lbnic_xmit_nat(ln, skb, p, &p->k.saddr, p->k.sport,
			      &be->addr, be->port);
}

/*
 * The quoted packet was one lbnic sent.  Sent toward the backend (found as
 * a reply), it becomes what the client sent, and the error goes to the
 * client from the VIP.  Sent toward the client (found as the original
 * direction), it becomes what the backend sent, and the error goes to the
 * backend from the local address.
 */
static void lbnic_fwd_nat_icmp(const struct lbnic_conn *c, enum lbnic_dir dir,
			       struct lbnic_icmp_xlat *x)
{
	if (dir == LBNIC_DIR_REPLY) {
		*x = (struct lbnic_icmp_xlat) {
			&c->vaddr, &c->caddr, &c->caddr, &c->vaddr,
			c->cport, c->vport,
		};
		return;
	}
	*x = (struct lbnic_icmp_xlat) {
		&c->laddr, &c->daddr, &c->daddr, &c->laddr, c->dport, c->lport,
	};
}

static void lbnic_fwd_nat_flow(const struct lbnic_conn *c, enum lbnic_dir dir,
			       struct lbnic_flow_dir *f)
{
	if (dir == LBNIC_DIR_REPLY) {
		*f = (struct lbnic_flow_dir) {
			&c->daddr, &c->laddr, &c->vaddr, &c->caddr,
			c->dport, c->lport, c->vport, c->cport, &c->caddr,
		};
		return;
	}
	*f = (struct lbnic_flow_dir) {
		&c->caddr, &c->vaddr, &c->laddr, &c->daddr,
		c->cport, c->vport, c->lport, c->dport, &c->daddr,
	};
}

static const struct lbnic_fwd_ops lbnic_fwd_nat = {
	.two_way	= true,
	.rewrites	= true,
	.xmit		= lbnic_fwd_nat_xmit,
	.xmit_stateless	= lbnic_fwd_nat_stateless,
	.icmp_xlat	= lbnic_fwd_nat_icmp,
	.flow_dir	= lbnic_fwd_nat_flow,
};

/* As nat; a stateless service has no entry to hold a local port in. */
static const struct lbnic_fwd_ops lbnic_fwd_fullnat = {
	.two_way	= true,
	.snat		= true,
	.rewrites	= true,
	.xmit		= lbnic_fwd_nat_xmit,
	.icmp_xlat	= lbnic_fwd_nat_icmp,
	.flow_dir	= lbnic_fwd_nat_flow,
};

static unsigned int lbnic_fwd_dsr_xmit(struct lbnic_net *ln, struct sk_buff *skb,
				       const struct lbnic_pkt *p,
				       const struct lbnic_conn *c,
				       enum lbnic_dir dir)
{
	return lbnic_xmit_dsr(ln, skb, c->family, &c->daddr);
}

static unsigned int lbnic_fwd_dsr_stateless(struct lbnic_net *ln,
					    struct sk_buff *skb,
					    const struct lbnic_pkt *p,
					    const struct lbnic_backend *be)
{
	return lbnic_xmit_dsr(ln, skb, p->k.family, &be->addr);
}

/* Only the destination MAC changes: the rule matches and keeps the tuple. */
static void lbnic_fwd_dsr_flow(const struct lbnic_conn *c, enum lbnic_dir dir,
			       struct lbnic_flow_dir *f)
{
	*f = (struct lbnic_flow_dir) {
		&c->caddr, &c->vaddr, &c->caddr, &c->vaddr,
		c->cport, c->vport, c->cport, c->vport, &c->daddr,
	};
}

/*
 * The backend's own errors go straight to the client, and lbnic rewrote
 * nothing that an error could quote: no ICMP translation.
 */
static const struct lbnic_fwd_ops lbnic_fwd_dsr = {
	.xmit		= lbnic_fwd_dsr_xmit,
	.xmit_stateless	= lbnic_fwd_dsr_stateless,
	.flow_dir	= lbnic_fwd_dsr_flow,
};

/*
 * L7: lbnic ends the client's TCP connection and opens the backend's from
 * the SNAT address (kmod/l7.c).  Nothing is offloaded yet; ICMP errors
 * about its segments go on untranslated.
 */
static const struct lbnic_fwd_ops lbnic_fwd_http = {
	.two_way	= true,
	.snat		= true,
	.rewrites	= true,
	.rcv		= lbnic_l7_rcv,
	.new_flow	= lbnic_l7_new_flow,
	.release	= lbnic_l7_release,
};

const struct lbnic_fwd_ops *const lbnic_fwd_modes[LBNIC_CONN_MODE_MASK + 1] = {
	[LBNIC_MODE_NAT]	= &lbnic_fwd_nat,
	[LBNIC_MODE_FULLNAT]	= &lbnic_fwd_fullnat,
	[LBNIC_MODE_DSR]	= &lbnic_fwd_dsr,
	[LBNIC_MODE_HTTP]	= &lbnic_fwd_http,
};
