/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lbnic: what the netlink command files share.
 */
#ifndef _LBNIC_NETLINK_H
#define _LBNIC_NETLINK_H

#include <net/genetlink.h>

#include "lbnic.h"

extern struct genl_family lbnic_genl_family;
extern const struct nla_policy lbnic_service_policy[LBNIC_SERVICE_A_MAX + 1];
extern const struct nla_policy lbnic_backend_policy[LBNIC_BACKEND_A_MAX + 1];
extern const struct nla_policy lbnic_flow_policy[LBNIC_FLOW_A_MAX + 1];
extern const struct nla_policy lbnic_pool_policy[LBNIC_POOL_A_MAX + 1];
extern const struct nla_policy lbnic_route_policy[LBNIC_ROUTE_A_MAX + 1];

/* Multicast groups, by index into the family's. */
enum lbnic_nlgrp {
	LBNIC_NLGRP_OFFLOAD,
};

struct lbnic_conn;

/*
 * Report a missing attribute both ways: by type for programs
 * (NLMSGERR_ATTR_MISS_TYPE) and in words for people.
 */
#define LBNIC_REQUIRE_ATTR(extack, nest, tb, type, msg) ({		\
	struct netlink_ext_ack *__ext = (extack);			\
	int __attr_type = (type);					\
	bool __missing = !(tb)[__attr_type];				\
									\
	if (__missing) {						\
		NL_SET_ERR_ATTR_MISS(__ext, nest, __attr_type);		\
		NL_SET_ERR_MSG(__ext, msg);				\
	}								\
	__missing;							\
})

int lbnic_nl_get_addr(const struct nlattr *attr, union nf_inet_addr *addr,
		      u8 *family, struct netlink_ext_ack *extack);
int lbnic_nl_put_addr(struct sk_buff *skb, int type,
		      const union nf_inet_addr *addr, u8 family);
struct lbnic_service *lbnic_nl_service_lookup(struct lbnic_net *ln,
					      struct nlattr *nest,
					      struct netlink_ext_ack *extack);
int lbnic_nl_put_stats(struct sk_buff *skb, int type,
		       const struct lbnic_stats *st);

int lbnic_nl_new_service(struct sk_buff *skb, struct genl_info *info);
int lbnic_nl_del_service(struct sk_buff *skb, struct genl_info *info);
int lbnic_nl_dump_services(struct sk_buff *skb, struct netlink_callback *cb);
int lbnic_nl_new_backend(struct sk_buff *skb, struct genl_info *info);
int lbnic_nl_set_backend(struct sk_buff *skb, struct genl_info *info);
int lbnic_nl_del_backend(struct sk_buff *skb, struct genl_info *info);
int lbnic_nl_dump_backends(struct sk_buff *skb, struct netlink_callback *cb);
struct lbnic_pool *lbnic_nl_pool_lookup(struct lbnic_service *svc,
					const struct nlattr *attr,
					struct netlink_ext_ack *extack);
int lbnic_nl_new_pool(struct sk_buff *skb, struct genl_info *info);
int lbnic_nl_del_pool(struct sk_buff *skb, struct genl_info *info);
int lbnic_nl_dump_pools(struct sk_buff *skb, struct netlink_callback *cb);
int lbnic_nl_new_route(struct sk_buff *skb, struct genl_info *info);
int lbnic_nl_del_route(struct sk_buff *skb, struct genl_info *info);
int lbnic_nl_dump_routes(struct sk_buff *skb, struct netlink_callback *cb);
int lbnic_nl_dump_table(struct sk_buff *skb, struct netlink_callback *cb,
			int (*fn)(const struct lbnic_conn *c, void *arg),
			void *arg);
int lbnic_nl_dump_conns(struct sk_buff *skb, struct netlink_callback *cb);
int lbnic_nl_flush_conns(struct sk_buff *skb, struct genl_info *info);

int lbnic_nl_flow_fill(struct sk_buff *msg, struct net *net,
		       const struct lbnic_conn *c, u32 portid, u32 seq, int flags);
struct sk_buff *lbnic_nl_flow_gone_msg(const struct lbnic_ofl_event *ev);
int lbnic_nl_offload_resync(struct net *net);
bool lbnic_nl_offload_listened(struct net *net);
void lbnic_nl_offload_notify(struct net *net, struct sk_buff *msg);
int lbnic_nl_dump_flows(struct sk_buff *skb, struct netlink_callback *cb);
int lbnic_nl_set_flow(struct sk_buff *skb, struct genl_info *info);

#endif /* _LBNIC_NETLINK_H */
