/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: the one place where differences between the kernel lines we build
 * for (Debian's 6.1 and 6.12) are absorbed.  Code elsewhere is written
 * against the newest API and this header supplies it on older kernels, so
 * no other file has kernel-dependent #ifs.  Kbuild probes the headers for
 * each interface (LBNIC_HAVE_*), which also catches distribution backports;
 * each shim names the release that brought the real interface, so it can
 * be dropped with that release.
 */
#ifndef _LBNIC_COMPAT_H
#define _LBNIC_COMPAT_H

#include <net/genetlink.h>
#include <net/tcp.h>

/*
 * The attributes a dump request was parsed into.  genl_info_dump() came
 * with the 6.5 rework of dumps around struct genl_info; 6.1 keeps them in
 * struct genl_dumpit_info itself.
 */
#ifdef LBNIC_HAVE_GENL_INFO_DUMP
static inline struct nlattr **lbnic_dump_attrs(struct netlink_callback *cb)
{
	return genl_info_dump(cb)->attrs;
}
#else
static inline struct nlattr **lbnic_dump_attrs(struct netlink_callback *cb)
{
	return genl_dumpit_info(cb)->attrs;
}
#endif

/* The GSO helpers left skbuff.h for a header of their own in 6.5. */
#ifdef LBNIC_HAVE_NET_GSO_H
#include <net/gso.h>
#endif

/*
 * Multicast groups only CAP_NET_ADMIN may join came with 6.7 (and 6.1.68):
 * without them lbnic's offload events, which name clients and backends,
 * would be open to every local user.  There is nothing to fall back on.
 */
#ifndef LBNIC_HAVE_GENL_MCAST_CAP
#error "this kernel lacks GENL_MCAST_CAP_NET_ADMIN (Linux 6.7, 6.1.68): lbnic needs it"
#endif

/* container_of() for a route's rt6_info: 6.10, and backported to 6.1.y. */
#ifndef LBNIC_HAVE_DST_RT6_INFO
#define dst_rt6_info(_ptr) container_of(_ptr, struct rt6_info, dst)
#endif

/*
 * The MSS a SYN cookie in @th's ACK encodes, or 0.  The checks take the
 * cookie from the ACK themselves since 6.8; before, the caller passed it.
 * A kernel without SYN cookies has none of them (http mode is refused).
 */
#if !IS_ENABLED(CONFIG_SYN_COOKIES)
static inline u32 __cookie_v4_init_sequence(const struct iphdr *iph,
					    const struct tcphdr *th, u16 *mssp)
{
	return 0;
}

static inline u32 __cookie_v6_init_sequence(const struct ipv6hdr *ip6h,
					    const struct tcphdr *th, u16 *mssp)
{
	return 0;
}

static inline int lbnic_cookie_v4_check(const struct iphdr *iph,
					const struct tcphdr *th)
{
	return 0;
}

static inline int lbnic_cookie_v6_check(const struct ipv6hdr *ip6h,
					const struct tcphdr *th)
{
	return 0;
}
#elif defined(LBNIC_HAVE_COOKIE_CHECK_ACK)
static inline int lbnic_cookie_v4_check(const struct iphdr *iph,
					const struct tcphdr *th)
{
	return __cookie_v4_check(iph, th);
}

static inline int lbnic_cookie_v6_check(const struct ipv6hdr *ip6h,
					const struct tcphdr *th)
{
	return __cookie_v6_check(ip6h, th);
}
#else
static inline int lbnic_cookie_v4_check(const struct iphdr *iph,
					const struct tcphdr *th)
{
	return __cookie_v4_check(iph, th, ntohl(th->ack_seq) - 1);
}

static inline int lbnic_cookie_v6_check(const struct ipv6hdr *ip6h,
					const struct tcphdr *th)
{
	return __cookie_v6_check(ip6h, th, ntohl(th->ack_seq) - 1);
}
#endif

#endif /* _LBNIC_COMPAT_H */
