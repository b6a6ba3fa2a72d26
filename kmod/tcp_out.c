// SPDX-License-Identifier: GPL-2.0
/*
 * lbnic: the local transmit path, for the segments lbnic originates: the
 * L7 engine's SYN-ACKs and SYNs, ACKs, RSTs, the request header it holds
 * and short HTTP answers.  As nf_synproxy_core.c and nf_reject build
 * theirs: a fresh skb with room for every lower header, the TCP checksum
 * left to the device (CHECKSUM_PARTIAL), routed by lbnic (the source may
 * be a VIP this host does not own) and sent by the local output path,
 * untracked, as lbnic's forwarded packets are.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "tcp_out.h"
#include "xmit.h"

static void lbnic_seg_tcp(struct sk_buff *skb, const struct lbnic_seg *s,
			  unsigned int hdrlen)
{
	struct tcphdr *th = skb_push(skb, hdrlen);

	skb_reset_transport_header(skb);
	memset(th, 0, hdrlen);
	th->source = s->sport;
	th->dest = s->dport;
	th->seq = htonl(s->seq);
	th->ack_seq = htonl(s->ack);
	th->doff = hdrlen / 4;
	tcp_flag_byte(th) = s->flags;
	th->window = htons(s->win);
	if (s->mss) {
		__be32 *opt = (__be32 *)(th + 1);

		*opt = htonl((TCPOPT_MSS << 24) | (TCPOLEN_MSS << 16) | s->mss);
	}
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	skb->ip_summed = CHECKSUM_PARTIAL;
}

static void lbnic_seg_ip4(struct sk_buff *skb, const struct lbnic_seg *s,
			  const struct dst_entry *dst)
{
	struct tcphdr *th = tcp_hdr(skb);
	struct iphdr *iph;

	th->check = ~tcp_v4_check(skb->len, s->saddr->ip, s->daddr->ip, 0);
	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	*iph = (struct iphdr) {
		.version = 4,
		.ihl = sizeof(*iph) / 4,
		.frag_off = htons(IP_DF),
		.ttl = ip4_dst_hoplimit(dst),
		.protocol = IPPROTO_TCP,
		.saddr = s->saddr->ip,
		.daddr = s->daddr->ip,
	};
	skb->protocol = htons(ETH_P_IP);
}

static void lbnic_seg_ip6(struct sk_buff *skb, const struct lbnic_seg *s,
			  const struct dst_entry *dst)
{
	struct tcphdr *th = tcp_hdr(skb);
	struct ipv6hdr *ip6h;

	th->check = ~tcp_v6_check(skb->len, &s->saddr->in6, &s->daddr->in6, 0);
	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->nexthdr = IPPROTO_TCP;
	ip6h->hop_limit = ip6_dst_hoplimit((struct dst_entry *)dst);
	ip6h->saddr = s->saddr->in6;
	ip6h->daddr = s->daddr->in6;
	skb->protocol = htons(ETH_P_IPV6);
}

int lbnic_seg_send(struct lbnic_net *ln, const struct lbnic_seg *s)
{
	unsigned int hdrlen = sizeof(struct tcphdr) + (s->mss ? TCPOLEN_MSS : 0);
	struct dst_entry *dst;
	struct sk_buff *skb;
	int err;

	dst = lbnic_route(ln->net, s->family, s->daddr, 0);
	if (IS_ERR(dst)) {
		lbnic_stat_inc(ln, LBNIC_NET_STAT_NO_ROUTE);
		return PTR_ERR(dst);
	}
	skb = alloc_skb(MAX_TCP_HEADER + s->len, GFP_ATOMIC);
	if (!skb) {
		dst_release(dst);
		return -ENOMEM;
	}
	skb_reserve(skb, MAX_TCP_HEADER);
	if (s->len)
		skb_put_data(skb, s->data, s->len);
	lbnic_seg_tcp(skb, s, hdrlen);
	skb_dst_set(skb, dst);
	lbnic_untrack(skb);
	if (s->family == AF_INET) {
		lbnic_seg_ip4(skb, s, dst);
		err = ip_local_out(ln->net, NULL, skb);
	} else {
		lbnic_seg_ip6(skb, s, dst);
		err = ip6_local_out(ln->net, NULL, skb);
	}
	/* net_xmit_eval() evaluates its argument twice: never pass it a call. */
	return net_xmit_eval(err);
}
