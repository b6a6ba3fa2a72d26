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
 * DSR keeps the IP header and sends the packet to the backend's MAC
 * address, routed with the backend as the next hop.
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

/*
 * Too big for the next hop, as ip_exceeds_mtu() and ip6_pkt_too_big() judge
 * a forwarded packet: a datagram defragmentation reassembled is too big only
 * if one of its fragments was (frag_max_size), since output fragments it
 * again; GSO packets by their segments.
 */
static bool lbnic_too_big4(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu || !(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	if (IPCB(skb)->frag_max_size > mtu)
		return true;
	if (skb->ignore_df)
		return false;
	return !skb_is_gso(skb) || !skb_gso_validate_network_len(skb, mtu);
}

static bool lbnic_too_big6(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu)
		return false;
	if (IP6CB(skb)->frag_max_size > mtu)
		return true;
	if (skb->ignore_df)
		return false;
	return !skb_is_gso(skb) || !skb_gso_validate_network_len(skb, mtu);
}

/*
 * Refuses what the route cannot carry, before any address is changed, so
 * that the ICMP error goes to the sender in its own addresses.
 */
static int lbnic_mtu_check(struct sk_buff *skb, u8 family, unsigned int mtu)
{
	if (family == AF_INET ? !lbnic_too_big4(skb, mtu) : !lbnic_too_big6(skb, mtu))
		return 0;
	if (family == AF_INET)
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
	else
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	return -EMSGSIZE;
}

/* lbnic routes what it rewrites: a packet at the end of its hops dies. */
static int lbnic_ttl_check(struct sk_buff *skb, u8 family)
{
	if (family == AF_INET && ip_hdr(skb)->ttl <= 1) {
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return -ETIMEDOUT;
	}
	if (family == AF_INET6 && ipv6_hdr(skb)->hop_limit <= 1) {
		icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
		return -ETIMEDOUT;
	}
	return 0;
}

/*
 * The route to a client or backend.  Only unicast routes to other hosts:
 * a broadcast, multicast, anycast or local destination is never one lbnic
 * should send a balanced flow to (lbnic_martian() keeps such clients out;
 * this keeps out such backends, and anything routing makes of them later).
 */
struct dst_entry *lbnic_route(struct net *net, u8 family,
			      const union nf_inet_addr *daddr, u8 flags)
{
	struct flowi6 fl6 = { .daddr = daddr->in6, .flowi6_flags = flags };
	struct flowi4 fl4 = { .daddr = daddr->ip, .flowi4_flags = flags };
	struct dst_entry *dst;
	struct rtable *rt;

	if (family == AF_INET6) {
		if (ipv6_addr_type(&daddr->in6) & IPV6_ADDR_MULTICAST)
			return ERR_PTR(-EHOSTUNREACH);
		dst = ipv6_stub->ipv6_dst_lookup_flow(net, NULL, &fl6, NULL);
		if (!IS_ERR(dst) &&
		    (dst_rt6_info(dst)->rt6i_flags & (RTF_LOCAL | RTF_ANYCAST))) {
			dst_release(dst);
			return ERR_PTR(-EHOSTUNREACH);
		}
		return dst;
	}
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	if (rt->rt_type != RTN_UNICAST) {
		ip_rt_put(rt);
		return ERR_PTR(-EHOSTUNREACH);
	}
	return &rt->dst;
}

/* Routes @skb toward @daddr; returns the route's MTU or an error. */
static int lbnic_route_skb(struct net *net, struct sk_buff *skb, u8 family,
			   const union nf_inet_addr *daddr, u8 flags)
{
	struct dst_entry *dst = lbnic_route(net, family, daddr, flags);

	if (IS_ERR(dst))
		return PTR_ERR(dst);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	return dst_mtu(dst);
}

/* Out by the route @skb holds: POST_ROUTING, fragmentation, neighbours. */
static void lbnic_output(struct net *net, struct sk_buff *skb)
{
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	dst_output(net, NULL, skb);
}

/* lbnic is a router for what it rewrites: the TTL goes down by one. */
static void lbnic_forward_out(struct net *net, struct sk_buff *skb, u8 family)
{
	if (family == AF_INET)
		ip_decrease_ttl(ip_hdr(skb));
	else
		ipv6_hdr(skb)->hop_limit--;
	lbnic_output(net, skb);
}

/*
 * Rewrites @skb to saddr:sport -> daddr:dport and forwards it.  Always
 * consumes @skb.
 */
unsigned int lbnic_xmit_nat(struct lbnic_net *ln, struct sk_buff *skb,
			    const struct lbnic_pkt *p,
			    const union nf_inet_addr *saddr, __be16 sport,
			    const union nf_inet_addr *daddr, __be16 dport)
{
	struct net *net = ln->net;
	int mtu, err;

	mtu = lbnic_route_skb(net, skb, p->k.family, daddr, 0);
	if (mtu < 0) {
		lbnic_stat_inc(ln, LBNIC_NET_STAT_NO_ROUTE);
		goto err_drop;
	}
	err = lbnic_mtu_check(skb, p->k.family, mtu) ?:
	      lbnic_ttl_check(skb, p->k.family);
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
unsigned int lbnic_xmit_icmp(struct lbnic_net *ln, struct sk_buff *skb, u8 family,
			     const union nf_inet_addr *daddr)
{
	bool expiring = family == AF_INET ? ip_hdr(skb)->ttl <= 1 :
					    ipv6_hdr(skb)->hop_limit <= 1;

	if (expiring)
		goto err_drop;
	if (lbnic_route_skb(ln->net, skb, family, daddr, 0) < 0) {
		lbnic_stat_inc(ln, LBNIC_NET_STAT_NO_ROUTE);
		goto err_drop;
	}
	lbnic_forward_out(ln->net, skb, family);
	return NF_STOLEN;

err_drop:
	kfree_skb(skb);
	return NF_STOLEN;
}

/*
 * Sends the unchanged IP packet to @backend's MAC address.  The backend
 * holds the VIP on a loopback and answers the client directly.  The route
 * is the backend's with the backend as the next hop (FLOWI_FLAG_KNOWN_NH, as
 * IPVS's direct routing): the output path then fragments a reassembled
 * datagram for it, and its MTU is checked as for nat.
 */
unsigned int lbnic_xmit_dsr(struct lbnic_net *ln, struct sk_buff *skb, u8 family,
			    const union nf_inet_addr *backend)
{
	int mtu;

	mtu = lbnic_route_skb(ln->net, skb, family, backend, FLOWI_FLAG_KNOWN_NH);
	if (mtu < 0) {
		lbnic_stat_inc(ln, LBNIC_NET_STAT_NO_ROUTE);
		goto err_drop;
	}
	if (lbnic_mtu_check(skb, family, mtu))
		goto err_drop;
	lbnic_output(ln->net, skb);
	return NF_STOLEN;

err_drop:
	kfree_skb(skb);
	return NF_STOLEN;
}
