// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: ICMP errors about balanced flows.
 *
 * A router past lbnic, or a backend, reports errors about packets lbnic
 * rewrote: the quoted header carries the rewritten addresses, which mean
 * nothing to the other end.  Such an error is found by its quoted header in
 * the connection table and translated back, quoted and outer headers both,
 * so that path MTU discovery and "port unreachable" reach the right socket
 * (RFC 5508 asks the same of NATs).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "conn.h"
#include "fwd.h"
#include "icmp.h"
#include "xmit.h"

/* Where the quoted packet is and what it is. */
struct lbnic_icmp {
	struct lbnic_tuple k;	/* the quoted packet's tuple, reversed */
	unsigned int off;	/* ICMP header */
	unsigned int inner;	/* quoted IP header */
	unsigned int inner_l4;	/* quoted TCP/UDP header */
};

/* The addresses a translated error gets, outer and quoted. */
static int lbnic_icmp_parse4(struct sk_buff *skb, struct lbnic_icmp *ic)
{
	struct icmphdr _ih;
	const struct icmphdr *ih;
	struct iphdr _iph;
	const struct iphdr *iph;
	__be16 _ports[2];
	const __be16 *ports;

	ic->off = ip_hdrlen(skb);
	ih = skb_header_pointer(skb, ic->off, sizeof(_ih), &_ih);
	if (!ih || !icmp_is_err(ih->type))
		return -EINVAL;
	ic->inner = ic->off + sizeof(_ih);
	iph = skb_header_pointer(skb, ic->inner, sizeof(_iph), &_iph);
	if (!iph || iph->ihl < 5 ||
	    (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP) ||
	    (iph->frag_off & htons(IP_OFFSET)))
		return -EINVAL;
	ic->inner_l4 = ic->inner + iph->ihl * 4;
	ports = skb_header_pointer(skb, ic->inner_l4, sizeof(_ports), _ports);
	if (!ports)
		return -EINVAL;
	memset(&ic->k, 0, sizeof(ic->k));
	ic->k.family = AF_INET;
	ic->k.proto = iph->protocol;
	ic->k.saddr.ip = iph->daddr;
	ic->k.daddr.ip = iph->saddr;
	ic->k.sport = ports[1];
	ic->k.dport = ports[0];
	return 0;
}

static int lbnic_icmp_parse6(struct sk_buff *skb, struct lbnic_icmp *ic)
{
	struct icmp6hdr _ih;
	const struct icmp6hdr *ih;
	struct ipv6hdr _ip6h;
	const struct ipv6hdr *ip6h;
	__be16 _ports[2];
	const __be16 *ports;
	__be16 fragoff;
	u8 nexthdr;
	int off;

	nexthdr = ipv6_hdr(skb)->nexthdr;
	off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr, &fragoff);
	if (off < 0 || nexthdr != IPPROTO_ICMPV6 || fragoff)
		return -EINVAL;
	ic->off = off;
	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih || !icmpv6_is_err(ih->icmp6_type))
		return -EINVAL;
	ic->inner = off + sizeof(_ih);
	ip6h = skb_header_pointer(skb, ic->inner, sizeof(_ip6h), &_ip6h);
	if (!ip6h)
		return -EINVAL;
	nexthdr = ip6h->nexthdr;
	off = ipv6_skip_exthdr(skb, ic->inner + sizeof(_ip6h), &nexthdr, &fragoff);
	if (off < 0 || fragoff ||
	    (nexthdr != IPPROTO_TCP && nexthdr != IPPROTO_UDP))
		return -EINVAL;
	ic->inner_l4 = off;
	ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
	if (!ports)
		return -EINVAL;
	memset(&ic->k, 0, sizeof(ic->k));
	ic->k.family = AF_INET6;
	ic->k.proto = nexthdr;
	ic->k.saddr.in6 = ip6h->daddr;
	ic->k.daddr.in6 = ip6h->saddr;
	ic->k.sport = ports[1];
	ic->k.dport = ports[0];
	return 0;
}

static void lbnic_icmp_rewrite4(struct sk_buff *skb, const struct lbnic_icmp *ic,
				const struct lbnic_icmp_xlat *x)
{
	struct iphdr *iph = ip_hdr(skb);
	struct iphdr *inner = (struct iphdr *)(skb_network_header(skb) + ic->inner);
	__be16 *ports = (__be16 *)(skb_network_header(skb) + ic->inner_l4);
	struct icmphdr *ih = (struct icmphdr *)(skb_network_header(skb) + ic->off);

	/*
	 * The quoted L4 checksum covers data the error no longer carries, so
	 * nobody can check it; the quoted IP header's is kept right.
	 */
	csum_replace4(&inner->check, inner->saddr, x->isrc->ip);
	csum_replace4(&inner->check, inner->daddr, x->idst->ip);
	inner->saddr = x->isrc->ip;
	inner->daddr = x->idst->ip;
	ports[0] = x->isport;
	ports[1] = x->idport;

	csum_replace4(&iph->check, iph->saddr, x->osrc->ip);
	csum_replace4(&iph->check, iph->daddr, x->odst->ip);
	iph->saddr = x->osrc->ip;
	iph->daddr = x->odst->ip;

	ih->checksum = 0;
	ih->checksum = csum_fold(skb_checksum(skb, ic->off, skb->len - ic->off, 0));
}

static void lbnic_icmp_rewrite6(struct sk_buff *skb, const struct lbnic_icmp *ic,
				const struct lbnic_icmp_xlat *x)
{
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct ipv6hdr *inner = (struct ipv6hdr *)(skb_network_header(skb) + ic->inner);
	__be16 *ports = (__be16 *)(skb_network_header(skb) + ic->inner_l4);
	struct icmp6hdr *ih = (struct icmp6hdr *)(skb_network_header(skb) + ic->off);
	unsigned int len = skb->len - ic->off;

	inner->saddr = x->isrc->in6;
	inner->daddr = x->idst->in6;
	ports[0] = x->isport;
	ports[1] = x->idport;
	ip6h->saddr = x->osrc->in6;
	ip6h->daddr = x->odst->in6;

	ih->icmp6_cksum = 0;
	ih->icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
					  IPPROTO_ICMPV6,
					  skb_checksum(skb, ic->off, len, 0));
}

/* NF_ACCEPT unless @skb is an error about a flow lbnic rewrote. */
unsigned int lbnic_icmp_error(struct lbnic_net *ln, struct sk_buff *skb,
			      u8 family)
{
	struct lbnic_conn_table *t = rcu_dereference(ln->conns);
	const struct lbnic_fwd_ops *ops;
	struct lbnic_icmp_xlat x;
	struct lbnic_icmp ic;
	struct lbnic_conn *c;
	enum lbnic_dir dir;
	int err;

	if (!t)
		return NF_ACCEPT;
	err = family == AF_INET ? lbnic_icmp_parse4(skb, &ic) :
				  lbnic_icmp_parse6(skb, &ic);
	if (err)
		return NF_ACCEPT;
	c = lbnic_conn_lookup(t, &ic.k, &dir);
	if (!c)
		return NF_ACCEPT;
	ops = lbnic_conn_ops(c);
	if (!ops->icmp_xlat)
		return NF_ACCEPT;

	if (skb_ensure_writable(skb, ic.inner_l4 + 4)) {
		kfree_skb(skb);
		return NF_STOLEN;
	}
	ops->icmp_xlat(c, dir, &x);
	if (family == AF_INET)
		lbnic_icmp_rewrite4(skb, &ic, &x);
	else
		lbnic_icmp_rewrite6(skb, &ic, &x);
	skb->ip_summed = CHECKSUM_NONE;
	lbnic_untrack(skb);
	return lbnic_xmit_icmp(ln, skb, family, x.odst);
}
