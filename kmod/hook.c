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
#include <net/addrconf.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/tcp.h>

#include "conn.h"
#include "fwd.h"
#include "hook.h"
#include "icmp.h"
#include "offload.h"
#include "sched.h"
#include "service.h"
#include "tcp.h"
#include "xmit.h"

/*
 * Ports, and for TCP the header lbnic tracks.  A header too short or with a
 * data offset that does not fit is -EBADMSG: such a packet is dropped if it
 * is for a VIP or a connection, as routing would drop it if lbnic did not.
 */
static int lbnic_parse_l4(struct sk_buff *skb, struct lbnic_pkt *p)
{
	struct tcphdr _th;
	const struct tcphdr *th;
	__be16 _ports[2];
	const __be16 *ports;
	unsigned int doff;

	ports = skb_header_pointer(skb, p->l4off, sizeof(_ports), _ports);
	if (!ports)
		return -EINVAL;
	p->k.sport = ports[0];
	p->k.dport = ports[1];
	p->tcp_flags = 0;
	if (p->k.proto != IPPROTO_TCP)
		return skb->len < p->l4off + sizeof(struct udphdr) ? -EBADMSG : 0;
	th = skb_header_pointer(skb, p->l4off, sizeof(_th), &_th);
	if (!th)
		return -EBADMSG;
	doff = th->doff * 4;
	if (doff < sizeof(*th) || skb->len < p->l4off + doff)
		return -EBADMSG;
	p->tcp_flags = tcp_flag_byte(th);
	p->tcp_seq = ntohl(th->seq);
	p->tcp_ack = ntohl(th->ack_seq);
	p->tcp_win = ntohs(th->window);
	/* SYN and FIN take a sequence number each. */
	p->tcp_end = p->tcp_seq + skb->len - p->l4off - doff + th->syn + th->fin;
	p->tcp_doff = doff;
	if (th->syn)
		lbnic_tcp_syn_options(skb, p, doff);
	return 0;
}

static int lbnic_parse4(struct sk_buff *skb, struct lbnic_pkt *p)
{
	const struct iphdr *iph = ip_hdr(skb);

	memset(&p->k, 0, sizeof(p->k));
	p->k.proto = iph->protocol;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	/*
	 * lbnic enables defragmentation in its namespaces, so a fragment here
	 * is one that reassembly gave up on: no ports to balance by.
	 */
	if (ip_is_fragment(iph))
		return -EINVAL;
	p->k.family = AF_INET;
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

	memset(&p->k, 0, sizeof(p->k));
	proto = ipv6_find_hdr(skb, &off, -1, &fragoff, &flags);
	if (proto < 0)
		return proto;
	/* As for IPv4: a fragment that reassembly gave up on. */
	if (flags & IP6_FH_F_FRAG)
		return -EINVAL;
	p->k.proto = proto;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	p->k.family = AF_INET6;
	p->k.saddr.in6 = ip6h->saddr;
	p->k.daddr.in6 = ip6h->daddr;
	p->l4off = off;
	return lbnic_parse_l4(skb, p);
}

/*
 * A source the routing input path would refuse (RFC 1812 5.3.7, RFC 4291
 * 2.5.2 and 2.5.5.2): lbnic runs before it, so it refuses them itself, or
 * it would make entries for them and send replies to them.  Checked for
 * new flows only: an entry exists only for a source that passed.
 */
static bool lbnic_martian(struct net *net, const struct lbnic_tuple *k)
{
	if (k->family == AF_INET) {
		__be32 a = k->saddr.ip;

		if (ipv4_is_zeronet(a) || ipv4_is_multicast(a) ||
		    ipv4_is_lbcast(a) || ipv4_is_loopback(a))
			return true;
		/* A local or subnet broadcast address, as fib_validate_source(). */
		return inet_addr_type(net, a) != RTN_UNICAST;
	}
	if ((ipv6_addr_type(&k->saddr.in6) &
	     (IPV6_ADDR_MULTICAST | IPV6_ADDR_LOOPBACK | IPV6_ADDR_MAPPED)) ||
	    ipv6_addr_any(&k->saddr.in6))
		return true;
	return ipv6_chk_addr(net, &k->saddr.in6, NULL, 0);
}

static unsigned int lbnic_forward(struct lbnic_net *ln, struct sk_buff *skb,
				  const struct lbnic_pkt *p,
				  struct lbnic_conn *c, enum lbnic_dir dir)
{
	struct lbnic_backend *be = c->backend;
	bool in = dir == LBNIC_DIR_ORIG;

	if (c->proto == IPPROTO_TCP)
		lbnic_tcp_track(ln, c, dir, p);
	/* A UDP flow is real once its backend answers (as conntrack's). */
	if (!in && !(READ_ONCE(c->seen) & LBNIC_SEEN_REPLY))
		lbnic_conn_see(c, c->proto == IPPROTO_UDP ?
			       LBNIC_SEEN_REPLY | LBNIC_SEEN_ASSURED :
			       LBNIC_SEEN_REPLY);
	lbnic_conn_touch(c, &ln->timeouts);
	lbnic_offload_account(ln, c, dir, skb);
	lbnic_stats_add(be->stats, in, skb->len);
	lbnic_stats_add(be->svc->stats, in, skb->len);
	lbnic_untrack(skb);

	return lbnic_conn_ops(c)->xmit(ln, skb, p, c, dir);
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
	return lbnic_fwd_ops_of(be->svc->mode)->xmit_stateless(ln, skb, p, be);
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
	return lbnic_xmit_nat(ln, skb, p, &be->svc->addr, be->svc->port,
			      &p->k.daddr, p->k.dport);
}

static unsigned int lbnic_process(struct lbnic_net *ln, struct sk_buff *skb,
				  struct lbnic_pkt *p, bool bad)
{
	struct lbnic_conn_table *t = rcu_dereference(ln->conns);
	const struct lbnic_fwd_ops *ops;
	struct lbnic_service *svc;
	struct lbnic_backend *be;
	struct lbnic_conn *c;
	enum lbnic_dir dir;

	if (!t)
		return NF_ACCEPT;
	c = lbnic_conn_lookup(t, &p->k, &dir);
	if (c) {
		if (bad)
			goto drop_malformed;
		ops = lbnic_conn_ops(c);
		if (ops->rcv)
			return ops->rcv(ln, skb, p, c, dir);
		/*
		 * A SYN on the ports of a connection that really ended is a
		 * new connection, scheduled afresh (IPVS's conn_reuse_mode),
		 * or it would follow the old one to a drained backend.
		 */
		if (c->proto != IPPROTO_TCP || !lbnic_tcp_reused(c, dir, p))
			return lbnic_forward(ln, skb, p, c, dir);
		lbnic_conn_expire(t, c);
	}

	svc = lbnic_service_find(ln, &p->k.daddr, p->k.dport, p->k.proto,
				 p->k.family);
	if (!svc)
		return bad ? NF_ACCEPT : lbnic_stateless_reply(ln, skb, p);
	if (bad)
		goto drop_malformed;
	if (lbnic_martian(ln->net, &p->k)) {
		lbnic_stat_inc(ln, LBNIC_NET_STAT_MARTIAN);
		return NF_DROP;
	}
	/* A reset for a flow we do not know has nothing to reset. */
	if (p->tcp_flags & TCPHDR_RST)
		return NF_DROP;
	ops = lbnic_fwd_ops_of(svc->mode);
	if (ops->new_flow)
		return ops->new_flow(ln, skb, p, svc);
	be = lbnic_sched_pick(&svc->pool, &p->k);
	if (!be) {
		lbnic_service_no_backend(svc);
		return NF_DROP;
	}
	if (svc->flags & LBNIC_SERVICE_F_STATELESS)
		return lbnic_forward_stateless(ln, skb, p, be);

	c = lbnic_conn_create(t, be, &p->k, p->k.proto == IPPROTO_UDP ?
			      LBNIC_CONN_S_UDP : lbnic_tcp_initial_state(p));
	if (IS_ERR(c)) {
		/* Another CPU created it for this flow's first packets. */
		if (PTR_ERR(c) == -EEXIST)
			c = lbnic_conn_lookup(t, &p->k, &dir);
		if (IS_ERR_OR_NULL(c))
			return NF_DROP;
	}
	return lbnic_forward(ln, skb, p, c, LBNIC_DIR_ORIG);

drop_malformed:
	lbnic_stat_inc(ln, LBNIC_NET_STAT_MALFORMED);
	return NF_DROP;
}

static unsigned int lbnic_hook4(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct lbnic_net *ln = lbnic_pernet(state->net);
	const struct iphdr *iph = ip_hdr(skb);
	struct lbnic_pkt p;
	int err;

	/* Only a whole ICMP message has a header to read. */
	if (iph->protocol == IPPROTO_ICMP)
		return ip_is_fragment(iph) ? NF_ACCEPT :
		       lbnic_icmp_error(ln, skb, AF_INET);
	err = lbnic_parse4(skb, &p);
	if (err && err != -EBADMSG)
		return NF_ACCEPT;
	return lbnic_process(ln, skb, &p, err);
}

static unsigned int lbnic_hook6(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct lbnic_net *ln = lbnic_pernet(state->net);
	struct lbnic_pkt p;
	int err;

	err = lbnic_parse6(skb, &p);
	if (err == -EPROTONOSUPPORT && p.k.proto == IPPROTO_ICMPV6)
		return lbnic_icmp_error(ln, skb, AF_INET6);
	if (err && err != -EBADMSG)
		return NF_ACCEPT;
	return lbnic_process(ln, skb, &p, err);
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

/*
 * The hooks, and the defragmenters that run just before them: a datagram
 * in fragments is balanced whole, as IPVS does (its fragments but the first
 * have no ports), and output fragments it again (see lbnic_too_big4()).
 */
int lbnic_hooks_register(struct lbnic_net *ln)
{
	int err;

	lockdep_assert_held(&ln->lock);
	if (ln->hooks_registered)
		return 0;
	err = nf_defrag_ipv4_enable(ln->net);
	if (err)
		goto err_defrag4;
	err = nf_defrag_ipv6_enable(ln->net);
	if (err)
		goto err_defrag6;
	err = nf_register_net_hooks(ln->net, lbnic_nf_ops, ARRAY_SIZE(lbnic_nf_ops));
	if (err)
		goto err_hooks;
	ln->hooks_registered = true;
	return 0;

err_hooks:
	nf_defrag_ipv6_disable(ln->net);
err_defrag6:
	nf_defrag_ipv4_disable(ln->net);
err_defrag4:
	return err;
}

void lbnic_hooks_unregister(struct lbnic_net *ln)
{
	if (!ln->hooks_registered)
		return;
	nf_unregister_net_hooks(ln->net, lbnic_nf_ops, ARRAY_SIZE(lbnic_nf_ops));
	nf_defrag_ipv6_disable(ln->net);
	nf_defrag_ipv4_disable(ln->net);
	ln->hooks_registered = false;
}
