// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: packet rewriting (nat, fullnat) and direct server return.
 *
 * NAT edits addresses and ports in place with incremental checksum updates,
 * the way nf_nat does, so it is right for CHECKSUM_PARTIAL (GSO) packets
 * too, then routes the packet to its new destination and sends it through
 * the kernel's output path (POST_ROUTING, neighbours, GSO).  lbnic routes
 * it itself, as IPVS does, because fullnat gives it a local source address
 * that input routing would call martian, and so that a packet too big for
 * the next hop is refused in the sender's own addresses: the ICMP error
 * then means something to the sender, and path MTU discovery works.
 *
 * DSR keeps the IP header and hands the frame to the backend's neighbour
 * entry.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6_stubs.h>
#include <net/ndisc.h>
#include <net/neighbour.h>
#include <net/route.h>

#include "compat.h"
#include "xmit.h"

static int lbnic_nat(struct sk_buff *skb, const struct lbnic_pkt *p,
		     const union nf_inet_addr *saddr, __be16 sport,
		     const union nf_inet_addr *daddr, __be16 dport)
{
	bool tcp = p->k.proto == IPPROTO_TCP;
	unsigned int hdrlen = tcp ? sizeof(struct tcphdr) : sizeof(struct udphdr);
	__be16 *ports;
	__sum16 *check;
	bool csum;

	if (skb_ensure_writable(skb, p->l4off + hdrlen))
		return -ENOMEM;
	ports = (__be16 *)(skb_network_header(skb) + p->l4off);
	check = tcp ? &((struct tcphdr *)ports)->check : &((struct udphdr *)ports)->check;
	/* An IPv4 UDP checksum of zero means "none": keep it so. */
	csum = tcp || p->k.family == AF_INET6 || *check;

	if (p->k.family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		if (iph->saddr != saddr->ip) {
			if (csum)
				inet_proto_csum_replace4(check, skb, iph->saddr,
							 saddr->ip, true);
			csum_replace4(&iph->check, iph->saddr, saddr->ip);
			iph->saddr = saddr->ip;
		}
		if (iph->daddr != daddr->ip) {
			if (csum)
				inet_proto_csum_replace4(check, skb, iph->daddr,
							 daddr->ip, true);
			csum_replace4(&iph->check, iph->daddr, daddr->ip);
			iph->daddr = daddr->ip;
		}
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		if (!ipv6_addr_equal(&ip6h->saddr, &saddr->in6)) {
			inet_proto_csum_replace16(check, skb, ip6h->saddr.s6_addr32,
						  saddr->ip6, true);
			ip6h->saddr = saddr->in6;
		}
		if (!ipv6_addr_equal(&ip6h->daddr, &daddr->in6)) {
			inet_proto_csum_replace16(check, skb, ip6h->daddr.s6_addr32,
						  daddr->ip6, true);
			ip6h->daddr = daddr->in6;
		}
	}
	if (ports[0] != sport) {
		if (csum)
			inet_proto_csum_replace2(check, skb, ports[0], sport, false);
		ports[0] = sport;
	}
	if (ports[1] != dport) {
		if (csum)
			inet_proto_csum_replace2(check, skb, ports[1], dport, false);
		ports[1] = dport;
	}
	if (!tcp && csum && !*check)
		*check = CSUM_MANGLED_0;
	return 0;
}

static bool lbnic_too_big(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu)
		return false;
	return !skb_is_gso(skb) || !skb_gso_validate_network_len(skb, mtu);
}

/* Refuses what the route cannot carry, before any address is changed. */
static int lbnic_fwd_check4(struct sk_buff *skb, unsigned int mtu)
{
	const struct iphdr *iph = ip_hdr(skb);

	if ((iph->frag_off & htons(IP_DF)) && !skb->ignore_df &&
	    lbnic_too_big(skb, mtu)) {
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		return -EMSGSIZE;
	}
	if (iph->ttl <= 1) {
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return -ETIMEDOUT;
	}
	return 0;
}

static int lbnic_fwd_check6(struct sk_buff *skb, unsigned int mtu)
{
	if (lbnic_too_big(skb, mtu)) {
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		return -EMSGSIZE;
	}
	if (ipv6_hdr(skb)->hop_limit <= 1) {
		icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
		return -ETIMEDOUT;
	}
	return 0;
}

struct dst_entry *lbnic_route(struct net *net, u8 family,
			      const union nf_inet_addr *daddr)
{
	struct flowi6 fl6 = { .daddr = daddr->in6 };
	struct flowi4 fl4 = { .daddr = daddr->ip };
	struct rtable *rt;

	if (family == AF_INET6)
		return ipv6_stub->ipv6_dst_lookup_flow(net, NULL, &fl6, NULL);
	rt = ip_route_output_key(net, &fl4);
	return IS_ERR(rt) ? ERR_CAST(rt) : &rt->dst;
}

/* Routes @skb toward @daddr; returns the route's MTU or an error. */
static int lbnic_route_skb(struct net *net, struct sk_buff *skb, u8 family,
			   const union nf_inet_addr *daddr)
{
	struct dst_entry *dst = lbnic_route(net, family, daddr);

	if (IS_ERR(dst))
		return PTR_ERR(dst);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	return dst_mtu(dst);
}

/* lbnic is a router for what it rewrites: the TTL goes down by one. */
static void lbnic_forward_out(struct net *net, struct sk_buff *skb, u8 family)
{
	if (family == AF_INET)
		ip_decrease_ttl(ip_hdr(skb));
	else
		ipv6_hdr(skb)->hop_limit--;
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	dst_output(net, NULL, skb);
}

/*
 * Rewrites @skb to saddr:sport -> daddr:dport and forwards it.  Always
 * consumes @skb.
 */
unsigned int lbnic_xmit_nat(struct net *net, struct sk_buff *skb,
			    const struct lbnic_pkt *p,
			    const union nf_inet_addr *saddr, __be16 sport,
			    const union nf_inet_addr *daddr, __be16 dport)
{
	int mtu, err;

	mtu = lbnic_route_skb(net, skb, p->k.family, daddr);
	if (mtu < 0)
		goto err_drop;
	err = p->k.family == AF_INET ? lbnic_fwd_check4(skb, mtu) :
				       lbnic_fwd_check6(skb, mtu);
	if (err || lbnic_nat(skb, p, saddr, sport, daddr, dport))
		goto err_drop;
	lbnic_forward_out(net, skb, p->k.family);
	return NF_STOLEN;

err_drop:
	kfree_skb(skb);
	return NF_STOLEN;
}

/*
 * Forwards an ICMP error already translated toward @daddr.  No error is
 * ever sent about an error, so it is only dropped if it cannot go on.
 */
unsigned int lbnic_xmit_icmp(struct net *net, struct sk_buff *skb, u8 family,
			     const union nf_inet_addr *daddr)
{
	bool expiring = family == AF_INET ? ip_hdr(skb)->ttl <= 1 :
					    ipv6_hdr(skb)->hop_limit <= 1;

	if (expiring || lbnic_route_skb(net, skb, family, daddr) < 0) {
		kfree_skb(skb);
		return NF_STOLEN;
	}
	lbnic_forward_out(net, skb, family);
	return NF_STOLEN;
}

/* The route toward @backend and the neighbour to hand the frame to. */
static struct neighbour *lbnic_dsr_route4(struct net *net, __be32 backend,
					  struct dst_entry **dstp)
{
	struct flowi4 fl4 = { .daddr = backend };
	struct rtable *rt = ip_route_output_key(net, &fl4);

	if (IS_ERR(rt))
		return ERR_CAST(rt);
	*dstp = &rt->dst;
	if (rt->rt_type != RTN_UNICAST)
		return ERR_PTR(-EHOSTUNREACH);
	return ip_neigh_gw4(rt->dst.dev, rt_nexthop(rt, backend));
}

static struct neighbour *lbnic_dsr_route6(struct net *net,
					  const struct in6_addr *backend,
					  struct dst_entry **dstp)
{
	struct flowi6 fl6 = { .daddr = *backend };
	struct dst_entry *dst;

	dst = ipv6_stub->ipv6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return ERR_CAST(dst);
	*dstp = dst;
	return ip_neigh_gw6(dst->dev, rt6_nexthop(dst_rt6_info(dst), backend));
}

/*
 * Sends the unchanged IP packet to @backend's MAC address.  The backend
 * holds the VIP on a loopback and answers the client directly.
 */
unsigned int lbnic_xmit_dsr(struct net *net, struct sk_buff *skb, u8 family,
			    const union nf_inet_addr *backend)
{
	struct dst_entry *dst = NULL;
	struct neighbour *neigh;

	if (family == AF_INET)
		neigh = lbnic_dsr_route4(net, backend->ip, &dst);
	else
		neigh = lbnic_dsr_route6(net, &backend->in6, &dst);
	if (IS_ERR_OR_NULL(neigh))
		goto err_drop;
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev)))
		goto err_drop;

	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	skb->dev = dst->dev;
	skb->protocol = family == AF_INET ? htons(ETH_P_IP) : htons(ETH_P_IPV6);
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	neigh_output(neigh, skb, false);
	return NF_STOLEN;

err_drop:
	dst_release(dst);
	kfree_skb(skb);
	return NF_STOLEN;
}
