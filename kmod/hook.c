// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: the datapath entry, netfilter PRE_ROUTING.
 *
 * The hook runs right after defragmentation and before conntrack (and the
 * raw table), so VIP traffic never depends on conntrack: lbnic marks the
 * packets it handles untracked and rewrites them before the routing
 * decision, which then forwards them like any routed packet.  Established
 * flows cost one lock-free table lookup and no allocation.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "conn.h"
#include "hook.h"
#include "icmp.h"
#include "offload.h"
#include "sched.h"
#include "service.h"
#include "xmit.h"

static int lbnic_parse_l4(struct sk_buff *skb, struct lbnic_pkt *p)
{
	__be16 _ports[2];
	const __be16 *ports;
	u8 _flags;
	const u8 *flags;

	ports = skb_header_pointer(skb, p->l4off, sizeof(_ports), _ports);
	if (!ports)
		return -EINVAL;
	p->k.sport = ports[0];
	p->k.dport = ports[1];
	p->tcp_flags = 0;
	if (p->k.proto == IPPROTO_TCP) {
		/* Byte 13 of the TCP header holds the flags we track. */
		flags = skb_header_pointer(skb, p->l4off + 13, 1, &_flags);
		if (!flags)
			return -EINVAL;
		p->tcp_flags = *flags;
	}
	return 0;
}

static int lbnic_parse4(struct sk_buff *skb, struct lbnic_pkt *p)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	/* Fragments reach us whole only when a defragmenter is loaded. */
	if (ip_is_fragment(iph))
		return -EINVAL;
	memset(&p->k, 0, sizeof(p->k));
	p->k.family = AF_INET;
	p->k.proto = iph->protocol;
	p->k.saddr.ip = iph->saddr;
	p->k.daddr.ip = iph->daddr;
	p->l4off = iph->ihl * 4;
	return lbnic_parse_l4(skb, p);
}

static int lbnic_parse6(struct sk_buff *skb, struct lbnic_pkt *p)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned int off = 0;
	unsigned short fragoff;
	int flags = 0, proto;

	proto = ipv6_find_hdr(skb, &off, -1, &fragoff, &flags);
	if (proto < 0)
		return proto;
	memset(&p->k, 0, sizeof(p->k));
	p->k.proto = proto;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	if (flags & IP6_FH_F_FRAG)
		return -EINVAL;
	p->k.family = AF_INET6;
	p->k.saddr.in6 = ip6h->saddr;
	p->k.daddr.in6 = ip6h->daddr;
	p->l4off = off;
	return lbnic_parse_l4(skb, p);
}

/* Follows a TCP flow closely enough to pick its timeout and count it. */
static void lbnic_tcp_track(struct lbnic_net *ln, struct lbnic_conn *c,
			    enum lbnic_dir dir, u8 flags)
{
	u8 old = READ_ONCE(c->state), new = old;

	if (flags & TCPHDR_RST)
		new = LBNIC_CONN_S_CLOSE;
	else if (flags & TCPHDR_FIN)
		new = old == LBNIC_CONN_S_CLOSE ? old : LBNIC_CONN_S_FIN;
	else if (old == LBNIC_CONN_S_SYN && dir == LBNIC_DIR_ORIG &&
		 (flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_ACK)
		new = LBNIC_CONN_S_ESTABLISHED;
	if (new == old)
		return;
	lbnic_conn_set_state(c, new, &ln->timeouts);
	/* Teardown is lbnic's again: the rules skip FIN and RST anyway. */
	if (new == LBNIC_CONN_S_FIN || new == LBNIC_CONN_S_CLOSE)
		lbnic_offload_gone(ln, c);
}

static unsigned int lbnic_forward(struct lbnic_net *ln, struct sk_buff *skb,
				  const struct lbnic_pkt *p,
				  struct lbnic_conn *c, enum lbnic_dir dir)
{
	struct lbnic_backend *be = c->backend;
	bool in = dir == LBNIC_DIR_ORIG;

	if (c->proto == IPPROTO_TCP)
		lbnic_tcp_track(ln, c, dir, p->tcp_flags);
	lbnic_conn_touch(c, &ln->timeouts);
	lbnic_offload_account(ln, c, dir, skb);
	lbnic_stats_add(be->stats, in, skb->len);
	lbnic_stats_add(be->svc->stats, in, skb->len);
	lbnic_untrack(skb);

	if (lbnic_conn_mode(c) == LBNIC_MODE_DSR)
		return lbnic_xmit_dsr(ln->net, skb, c->family, &c->daddr);
	if (in)
		return lbnic_xmit_nat(ln->net, skb, p, &c->laddr, c->lport,
				      &c->daddr, c->dport);
	return lbnic_xmit_nat(ln->net, skb, p, &c->vaddr, c->vport,
			      &c->caddr, c->cport);
}

/* Stateless UDP: every packet is hashed; nothing is remembered. */
static unsigned int lbnic_forward_stateless(struct lbnic_net *ln,
					    struct sk_buff *skb,
					    const struct lbnic_pkt *p,
					    struct lbnic_backend *be)
{
	lbnic_stats_add(be->stats, true, skb->len);
	lbnic_stats_add(be->svc->stats, true, skb->len);
	lbnic_untrack(skb);
	if (be->svc->mode == LBNIC_MODE_DSR)
		return lbnic_xmit_dsr(ln->net, skb, p->k.family, &be->addr);
	return lbnic_xmit_nat(ln->net, skb, p, &p->k.saddr, p->k.sport,
			      &be->addr, be->port);
}

/* A reply from a backend of a stateless nat service: back to the VIP. */
static unsigned int lbnic_stateless_reply(struct lbnic_net *ln,
					  struct sk_buff *skb,
					  const struct lbnic_pkt *p)
{
	struct lbnic_backend *be;

	be = lbnic_stateless_find(ln, &p->k.saddr, p->k.sport, p->k.proto,
				  p->k.family);
	if (!be)
		return NF_ACCEPT;
	lbnic_stats_add(be->stats, false, skb->len);
	lbnic_stats_add(be->svc->stats, false, skb->len);
	lbnic_untrack(skb);
	return lbnic_xmit_nat(ln->net, skb, p, &be->svc->addr, be->svc->port,
			      &p->k.daddr, p->k.dport);
}

/*
 * A new SYN from a client on the entry of its closing connection: the port
 * is reused for a new connection, which is scheduled afresh (IPVS's
 * conn_reuse_mode), or it would follow the old one to a drained backend.
 */
static bool lbnic_conn_reused(const struct lbnic_conn *c, enum lbnic_dir dir,
			      const struct lbnic_pkt *p)
{
	u8 state = READ_ONCE(c->state);

	return c->proto == IPPROTO_TCP && dir == LBNIC_DIR_ORIG &&
	       (p->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN &&
	       (state == LBNIC_CONN_S_FIN || state == LBNIC_CONN_S_CLOSE);
}

static u8 lbnic_initial_state(const struct lbnic_pkt *p)
{
	if (p->k.proto == IPPROTO_UDP)
		return LBNIC_CONN_S_UDP;
	if ((p->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN)
		return LBNIC_CONN_S_SYN;
	/* Mid-flow: another lbnic box behind the same ECMP group had it. */
	return LBNIC_CONN_S_ESTABLISHED;
}

static unsigned int lbnic_process(struct lbnic_net *ln, struct sk_buff *skb,
				  struct lbnic_pkt *p)
{
	struct lbnic_conn_table *t = rcu_dereference(ln->conns);
	struct lbnic_service *svc;
	struct lbnic_backend *be;
	struct lbnic_conn *c;
	enum lbnic_dir dir;

	if (!t)
		return NF_ACCEPT;
	c = lbnic_conn_lookup(t, &p->k, &dir);
	if (c) {
		if (!lbnic_conn_reused(c, dir, p))
			return lbnic_forward(ln, skb, p, c, dir);
		lbnic_conn_expire(t, c);
	}

	svc = lbnic_service_find(ln, &p->k.daddr, p->k.dport, p->k.proto,
				 p->k.family);
	if (!svc)
		return lbnic_stateless_reply(ln, skb, p);
	/* A reset for a flow we do not know has nothing to reset. */
	if (p->tcp_flags & TCPHDR_RST)
		return NF_DROP;
	be = lbnic_sched_pick(svc, &p->k);
	if (!be) {
		lbnic_service_no_backend(svc);
		return NF_DROP;
	}
	if (svc->flags & LBNIC_SERVICE_F_STATELESS)
		return lbnic_forward_stateless(ln, skb, p, be);

	c = lbnic_conn_create(t, be, &p->k, lbnic_initial_state(p));
	if (IS_ERR(c)) {
		/* Another CPU created it for this flow's first packets. */
		if (PTR_ERR(c) == -EEXIST)
			c = lbnic_conn_lookup(t, &p->k, &dir);
		if (IS_ERR_OR_NULL(c))
			return NF_DROP;
	}
	return lbnic_forward(ln, skb, p, c, LBNIC_DIR_ORIG);
}

static unsigned int lbnic_hook4(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct lbnic_net *ln = lbnic_pernet(state->net);
	struct lbnic_pkt p;

	if (ip_hdr(skb)->protocol == IPPROTO_ICMP)
		return lbnic_icmp_error(ln, skb, AF_INET);
	if (lbnic_parse4(skb, &p))
		return NF_ACCEPT;
	return lbnic_process(ln, skb, &p);
}

static unsigned int lbnic_hook6(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct lbnic_net *ln = lbnic_pernet(state->net);
	struct lbnic_pkt p;

	if (lbnic_parse6(skb, &p))
		return p.k.proto == IPPROTO_ICMPV6 ?
		       lbnic_icmp_error(ln, skb, AF_INET6) : NF_ACCEPT;
	return lbnic_process(ln, skb, &p);
}

static const struct nf_hook_ops lbnic_nf_ops[] = {
	{
		.hook = lbnic_hook4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK_DEFRAG + 1,
	},
	{
		.hook = lbnic_hook6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_CONNTRACK_DEFRAG + 1,
	},
};

int lbnic_hooks_register(struct lbnic_net *ln)
{
	int err;

	lockdep_assert_held(&ln->lock);
	if (ln->hooks_registered)
		return 0;
	err = nf_register_net_hooks(ln->net, lbnic_nf_ops, ARRAY_SIZE(lbnic_nf_ops));
	if (!err)
		ln->hooks_registered = true;
	return err;
}

void lbnic_hooks_unregister(struct lbnic_net *ln)
{
	if (!ln->hooks_registered)
		return;
	nf_unregister_net_hooks(ln->net, lbnic_nf_ops, ARRAY_SIZE(lbnic_nf_ops));
	ln->hooks_registered = false;
}
